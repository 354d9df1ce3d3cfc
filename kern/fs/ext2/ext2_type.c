/* ext2 as a mount(2) file-system type (fs/fstype.h): the source names a
 * block device node, whose device the ext2 code mounts. */
#include <frame/errno.h>
#include "block/block.h"
#include "fs/ext2/ext2_fs.h"
#include "fs/fstype.h"
#include "fs/kpath.h"
#include "fs/path.h"

/* The block device the node at path names (-ENOTBLK, -ENXIO). */
static int source_device(const char *path, struct blockdev **out)
{
	struct inode *ino;
	int err = kpath_lookup(path, WALK_FOLLOW, &ino);

	if (err)
		return err;
	if (!mode_is(ino->mode, S_IFBLK))
		err = -ENOTBLK;
	else if (!(*out = blockdev_by_rdev(ino->rdev)))
		err = -ENXIO;
	inode_put(ino);
	return err;
}

static int ext2_type_mount(const char *source, unsigned long flags, const char *data,
			   struct super **out)
{
	struct blockdev *bd;
	int err;

	if (!source[0])
		return -ENOENT; /* Linux: a device-backed mount needs a source */
	if ((err = source_device(source, &bd)) != 0 ||
	    (err = ext2_mount(bd, flags & MS_RDONLY, data, out)) != 0)
		return err;
	(*out)->kill = ext2_release; /* umount writes everything back */
	return 0;
}

static const struct fs_type ext2_type = { .name = "ext2", .mount = ext2_type_mount };

void ext2_register(void)
{
	fs_type_register(&ext2_type);
}
