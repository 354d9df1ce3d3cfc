/* /dev/pts/N: a node per pty pair while its master is open. ptsname(3)
 * names it; grantpt, openpty and programs stat and open it.
 *
 * Nodes are made by path, so they land in whatever is at /dev/pts: devfs's
 * own directory at boot, or a devpts instance once `mount -t devpts` put one
 * there (devpts_mount, a tmpfs of its own that starts with the nodes of
 * the pairs already open and a ptmx node, as Linux's). */
#include <frame/errno.h>
#include <frame/log.h>
#include <string.h>
#include "fs/kpath.h"
#include "fs/stat.h"
#include "fs/tmpfs.h"
#include "tty/devpts.h"
#include "tty/pty.h"

static void node_path(char *buf, size_t size, unsigned index)
{
	snprintf(buf, size, "/dev/pts/%u", index);
}

void devpts_add(unsigned index)
{
	char path[32];

	node_path(path, sizeof(path), index);
	kpath_unlink(path); /* a stale node left by someone else */
	kpath_mknod(path, S_IFCHR | 0620, (uint32_t)encode_dev(PTY_SLAVE_MAJOR, index), NULL);
}

void devpts_remove(unsigned index)
{
	char path[32];

	node_path(path, sizeof(path), index);
	kpath_unlink(path);
}

static int add_node(struct inode *root, const char *name, uint32_t mode, uint32_t rdev)
{
	struct inode *ino;
	int err = root->ops->create(root, name, strlen(name), S_IFCHR | mode, rdev, &ino);

	if (!err)
		inode_put(ino);
	return err;
}

int devpts_mount(const char *source, const char *data, struct super **out)
{
	struct super *sb = tmpfs_create(0755);
	char name[16];
	int err;

	(void)source, (void)data; /* gid=, mode=, ptmxmode=: not yet */
	if (!sb)
		return -ENOMEM;
	sb->type = "devpts";
	err = add_node(sb->root, "ptmx", 0666, (uint32_t)encode_dev(5, 2));
	for (unsigned i = 0; !err && i < PTY_MAX; i++) {
		if (!pty_is_open(i))
			continue;
		snprintf(name, sizeof(name), "%u", i);
		err = add_node(sb->root, name, 0620, (uint32_t)encode_dev(PTY_SLAVE_MAJOR, i));
	}
	if (err)
		pr_warn("devpts: cannot make its nodes (%s)\n", errno_name(err));
	*out = sb;
	return 0;
}
