/* Looking up a file in the newc initramfs, in place. */
#include <frame/boot.h>
#include <frame/errno.h>
#include <frame/log.h>
#include <string.h>
#include "fs/cpio.h"
#include "fs/stat.h"
#include "init/initramfs.h"

/* Drops leading "/" and "./" so archive names and paths compare. */
static const char *normalize(const char *name, size_t *len)
{
	for (;;) {
		if (*len >= 1 && name[0] == '/') {
			name++, (*len)--;
		} else if (*len >= 2 && name[0] == '.' && name[1] == '/') {
			name += 2, *len -= 2;
		} else {
			return name;
		}
	}
}

int initramfs_find(const char *path, const void **data, size_t *size)
{
	const void *archive;
	size_t archive_size, off = 0, plen = strlen(path);
	struct cpio_entry e;
	int r;

	if (boot_initrd(&archive, &archive_size))
		return -ENOENT;
	path = normalize(path, &plen);
	while ((r = cpio_next(archive, archive_size, &off, &e)) > 0) {
		size_t nlen = e.namelen;
		const char *name = normalize(e.name, &nlen);
		if (nlen == plen && memcmp(name, path, plen) == 0 && (e.mode & S_IFMT) == S_IFREG) {
			*data = e.data;
			*size = e.size;
			return 0;
		}
	}
	if (r < 0) {
		pr_warn("initramfs: malformed archive at offset %lu\n", off);
		return -EINVAL;
	}
	return -ENOENT;
}
