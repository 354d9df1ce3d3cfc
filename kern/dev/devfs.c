/* /dev (see devfs.h). */
#include <frame/errno.h>
#include <frame/log.h>
#include "dev/chrdev.h"
#include "dev/devfs.h"
#include "fs/kpath.h"
#include "fs/path.h"
#include "fs/tmpfs.h"

static int make_nodes(void)
{
	const struct chrdev *d;
	char path[64];
	int err;

	for (unsigned i = 0; (d = chrdev_at(i)); i++) {
		if (!d->name)
			continue;
		snprintf(path, sizeof(path), "/dev/%s", d->name);
		err = kpath_mknod(path, S_IFCHR | d->mode, (uint32_t)encode_dev(d->major, d->minor), NULL);
		if (err)
			return err;
	}
	if ((err = kpath_mkdir("/dev/pts", 0755, NULL)) != 0)
		return err;
	return kpath_mkdir("/dev/shm", 01777, NULL);
}

int devfs_init(void)
{
	struct super *sb;
	struct inode *dir;
	int err;

	mem_devices_register();
	tty_devices_register();
	err = kpath_mkdir("/dev", 0755, NULL);
	if ((err && err != -EEXIST) || (err = kpath_lookup("/dev", WALK_FOLLOW | WALK_DIRECTORY, &dir)))
		return err;
	if (!(sb = tmpfs_create(0755)))
		err = -ENOMEM;
	else
		err = vfs_mount(sb, dir);
	inode_put(dir);
	if (!err)
		err = make_nodes();
	if (err)
		pr_err("devfs: cannot set up /dev (%s)\n", errno_name(err));
	return err;
}
