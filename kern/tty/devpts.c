/* /dev/pts/N: a node per pty pair, made in devfs while the master is open.
 * ptsname(3) names it, grantpt and openpty stat and open it. A devpts file
 * system of its own (for mount -t devpts) is not there yet. */
#include <frame/log.h>
#include "fs/kpath.h"
#include "fs/stat.h"
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
