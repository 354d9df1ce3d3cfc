/* mount(2), the smallest useful part: a new tmpfs, or the ext2 on a block
 * device node, on a directory. No remount, bind or move, no options; the
 * procfs work brings the table of file-system types this will join. */
#include <frame/errno.h>
#include <frame/uaccess.h>
#include <string.h>
#include "block/block.h"
#include "fs/ext2/ext2_fs.h"
#include "fs/tmpfs.h"
#include "syscall/sys_file.h"

#define MS_NOSUID 2
#define MS_NODEV 4
#define MS_NOEXEC 8
#define MS_SILENT 32768
#define MS_NOATIME 1024
#define MS_NODIRATIME 2048
#define MS_RELATIME (1ul << 21)
#define MS_KNOWN (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SILENT | MS_NOATIME | \
		  MS_NODIRATIME | MS_RELATIME)
#define MS_MGC_MASK 0xffff0000ul /* old callers put 0xC0ED here */
#define MS_MGC_VAL 0xc0ed0000ul

/* The block device the node at upath names. */
static int source_device(uint64_t upath, struct blockdev **out)
{
	struct inode *ino;
	struct walk w;
	int err = walk_begin_user(&w, AT_FDCWD, upath, WALK_FOLLOW);

	if (!err && !(err = walk_lookup(&w, &ino))) {
		if (!mode_is(ino->mode, S_IFBLK))
			err = -ENOTBLK;
		else if (!(*out = blockdev_by_rdev(ino->rdev)))
			err = -ENXIO;
		inode_put(ino);
	}
	walk_end(&w);
	return err;
}

static int new_super(const char *type, uint64_t usource, unsigned long flags, struct super **out)
{
	struct blockdev *bd;
	int err;

	if (strcmp(type, "tmpfs") == 0) {
		*out = tmpfs_create(01777);
		return *out ? 0 : -ENOMEM;
	}
	if (strcmp(type, "ext2") != 0)
		return -ENODEV;
	if ((err = source_device(usource, &bd)) != 0)
		return err;
	return ext2_mount(bd, flags & MS_RDONLY, NULL, out);
}

static void drop_super(struct super *sb)
{
	if (strcmp(sb->type, "ext2") == 0)
		ext2_release(sb);
	/* a tmpfs that never held anything: its few bytes stay */
}

static int mount_on(struct inode *dir, const char *type, uint64_t usource, unsigned long flags)
{
	struct super *sb;
	int err;

	if (!mode_is(dir->mode, S_IFDIR))
		return -ENOTDIR;
	if (dir->mounted)
		return -EBUSY;
	if ((err = new_super(type, usource, flags, &sb)) != 0)
		return err;
	sb->flags |= (unsigned)(flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC));
	if ((err = vfs_mount(sb, dir)) != 0)
		drop_super(sb);
	return err;
}

/* mount(source, target, fstype, flags, data) */
SYSCALL(mount)
{
	unsigned long flags = args->a[3];
	char type[32];
	struct inode *dir;
	struct walk w;
	long n;
	int err;

	if ((flags & MS_MGC_MASK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MASK;
	if (!vfs_capable())
		return -EPERM;
	if ((n = strncpy_from_user(type, args->a[2], sizeof(type))) < 0)
		return n == -ENAMETOOLONG ? -ENODEV : n;
	if (flags & ~MS_KNOWN)
		return -EINVAL; /* remount, bind, move, propagation: not yet */
	if ((err = walk_begin_user(&w, AT_FDCWD, args->a[1], WALK_FOLLOW)) == 0 &&
	    (err = walk_lookup(&w, &dir)) == 0) {
		err = mount_on(dir, type, args->a[0], flags);
		inode_put(dir);
	}
	walk_end(&w);
	return err;
}
