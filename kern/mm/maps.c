/* One line of /proc/<pid>/maps per area, in Linux's layout, for procfs:
 *   start-end perms offset major:minor inode [padding name] */
#include <frame/log.h>
#include "fs/vfs.h"
#include "mm/mm.h"

#define NAME_COLUMN 73 /* Linux pads to 25 + 6 * sizeof(void *) - 1, then a space */

static const char *area_name(const struct vma *v)
{
	if (v->flags & VMA_BRK)
		return "[heap]";
	if (v->flags & VMA_STACK)
		return "[stack]";
	if (v->flags & VMA_ANON_SHARED)
		return "/dev/zero (deleted)"; /* as Linux names shared anonymous memory */
	return NULL; /* file names are not kept yet */
}

static unsigned dev_major(uint64_t dev)
{
	return (unsigned)((dev >> 8) & 0xfff);
}

static unsigned dev_minor(uint64_t dev)
{
	return (unsigned)((dev & 0xff) | ((dev >> 12) & 0xfff00));
}

size_t mm_format_area(const struct vma *v, char *buf, size_t size)
{
	const struct inode *ino = v->inode;
	const char *name = area_name(v);
	int n = snprintf(buf, size, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu", v->start, v->end,
			 v->prot & PROT_READ ? 'r' : '-', v->prot & PROT_WRITE ? 'w' : '-',
			 v->prot & PROT_EXEC ? 'x' : '-', v->flags & VMA_SHARED ? 's' : 'p',
			 ino ? v->pgoff * VMA_PAGE : 0, ino ? dev_major(ino->sb->dev) : 0,
			 ino ? dev_minor(ino->sb->dev) : 0, ino ? ino->ino : 0);
	size_t len = n < 0 ? 0 : MIN((size_t)n, size ? size - 1 : 0);

	if (name) {
		while (len + 1 < size && len < NAME_COLUMN - 1)
			buf[len++] = ' ';
		len += (size_t)snprintf(buf + len, size - len, " %s", name);
		len = MIN(len, size ? size - 1 : 0);
	}
	if (len + 1 < size) {
		buf[len++] = '\n';
		buf[len] = '\0';
	}
	return len;
}
