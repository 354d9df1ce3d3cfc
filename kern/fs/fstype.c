/* The file-system type table (see fstype.h), and the built-in types. */
#include <frame/errno.h>
#include <string.h>
#include "fs/fstype.h"
#include "fs/procfs.h"
#include "tty/devpts.h"
#include "fs/tmpfs.h"

#define MAX_FS_TYPES 16
#define SYSFS_MAGIC 0x62656572

static const struct fs_type *types[MAX_FS_TYPES];
static unsigned ntypes;

int fs_type_register(const struct fs_type *t)
{
	if (fs_type_find(t->name))
		return -EBUSY;
	if (ntypes == MAX_FS_TYPES)
		return -ENOMEM;
	types[ntypes++] = t;
	return 0;
}

const struct fs_type *fs_type_find(const char *name)
{
	for (unsigned i = 0; i < ntypes; i++)
		if (strcmp(types[i]->name, name) == 0)
			return types[i];
	return NULL;
}

const struct fs_type *fs_type_at(unsigned index)
{
	return index < ntypes ? types[index] : NULL;
}

static int tmpfs_type_mount(const char *source, const char *data, struct super **out)
{
	(void)source;
	return tmpfs_mount(data, out);
}

/* sysfs: an empty read-only directory until there is a device model to
 * show; enough for "mount -t sysfs" and programs that only look for it. */
/* As Linux's simple_statfs: no blocks or inodes to count (df skips it). */
static int sysfs_statfs(struct super *sb, struct kstatfs *out)
{
	*out = (struct kstatfs){ .type = SYSFS_MAGIC, .bsize = VFS_BLOCK, .frsize = VFS_BLOCK,
				 .namelen = NAME_MAX, .flags = sb->flags };
	return 0;
}

static int sysfs_mount(const char *source, const char *data, struct super **out)
{
	struct super *sb = tmpfs_create(0555);

	(void)source, (void)data; /* sysfs takes no options of its own */
	if (!sb)
		return -ENOMEM;
	sb->type = "sysfs";
	sb->statfs = sysfs_statfs;
	sb->flags |= ST_RDONLY | ST_NOSUID | ST_NODEV | ST_NOEXEC;
	*out = sb;
	return 0;
}

static const struct fs_type tmpfs_type = { .name = "tmpfs", .nodev = true, .mount = tmpfs_type_mount };
static const struct fs_type sysfs_type = { .name = "sysfs", .nodev = true, .mount = sysfs_mount };
static const struct fs_type proc_type = { .name = "proc", .nodev = true, .mount = procfs_mount };
static const struct fs_type devpts_type = { .name = "devpts", .nodev = true, .mount = devpts_mount };

void fs_types_init(void)
{
	fs_type_register(&sysfs_type);
	fs_type_register(&tmpfs_type);
	fs_type_register(&proc_type);
	fs_type_register(&devpts_type);
}
