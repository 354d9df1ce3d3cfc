/* The root file system (see rootfs.h). */
#include <frame/boot.h>
#include <frame/errno.h>
#include <frame/log.h>
#include "dev/devfs.h"
#include "fs/fstype.h"
#include "fs/initramfs_unpack.h"
#include "fs/kpath.h"
#include "fs/rootfs.h"
#include "fs/tmpfs.h"

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
	devfs_init();
	return 0;
}
