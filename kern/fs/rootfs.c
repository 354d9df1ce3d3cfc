/* The root file system (see rootfs.h). */
#include <frame/boot.h>
#include <frame/errno.h>
#include <frame/log.h>
#include "block/block.h"
#include "dev/devfs.h"
#include "fs/fstype.h"
#include "fs/ext2/ext2_fs.h"
#include "fs/initramfs_unpack.h"
#include "fs/kpath.h"
#include "fs/rootfs.h"
#include "fs/sync.h"
#include "fs/tmpfs.h"
#include <string.h>

static void ensure_dir(const char *path, uint32_t mode)
{
	int err = kpath_mkdir(path, mode, NULL);

	if (err && err != -EEXIST)
		pr_warn("rootfs: cannot make %s (%s)\n", path, errno_name(err));
}

int rootfs_init(void)
{
	struct super *sb = tmpfs_create(0755);
	const void *archive;
	size_t size;
	int err;

	fs_types_init();
	if (!sb || (err = vfs_mount(sb, NULL)) != 0)
		return -ENOMEM;
	if (boot_initrd(&archive, &size) == 0 && (err = initramfs_unpack(archive, size)) != 0)
		pr_err("rootfs: initramfs unpacking failed (%s)\n", errno_name(err));
	ensure_dir("/tmp", 01777);
	block_start(); /* partitions of the disks found, before /dev lists them */
	devfs_init();
	writeback_start();
	return 0;
}

int rootfs_mount_disk(const char *dev, bool read_only)
{
	const char *name = strncmp(dev, "/dev/", 5) == 0 ? dev + 5 : dev;
	struct blockdev *bd;
	struct super *sb;
	int err;

	block_start();
	if (!(bd = blockdev_find(name))) {
		pr_err("rootfs: no disk %s for root=\n", dev);
		return -ENODEV;
	}
	if ((err = ext2_mount(bd, read_only ? MS_RDONLY : 0, NULL, &sb)) != 0) {
		pr_err("rootfs: cannot mount %s as ext2 (%s)\n", dev, errno_name(err));
		return err;
	}
	if ((err = vfs_mount(sb, NULL)) != 0) {
		ext2_release(sb);
		return err;
	}
	pr_info("rootfs: %s mounted as / (ext2%s)\n", dev, read_only ? ", read-only" : "");
	devfs_init();
	writeback_start();
	return 0;
}
