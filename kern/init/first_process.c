/* Starting the first user process from the initramfs, as Linux does: the
 * initramfs is unpacked into the root file system, and rdinit= on the
 * command line names the program there, /init by default. */
#include <frame/boot.h>
#include <frame/errno.h>
#include <frame/log.h>
#include <kern/cmdline.h>
#include <string.h>
#include "exec/exec.h"
#include "fs/fcntl.h"
#include "fs/open.h"
#include "fs/rootfs.h"
#include "init/first_process.h"
#include "proc/process.h"
#include "proc/signal_names.h"
#include "tty/console_file.h"

#define PATH_MAX_INIT 128

/* The root and the init program's path: as Linux, an initramfs wins and
 * runs rdinit= (/init); without one, root= names the disk and init= (else
 * /sbin/init) the program on it. */
static int root_and_init(char *path, size_t size)
{
	const void *archive;
	size_t asize;
	char dev[32];

	if (boot_initrd(&archive, &asize) != 0 && cmdline_option("root", dev, sizeof(dev))) {
		strlcpy(path, "/sbin/init", size);
		cmdline_option("init", path, size);
		return rootfs_mount_disk(dev, cmdline_flag("ro"));
	}
	cmdline_option("rdinit", path, size);
	return rootfs_init();
}

static void report_end(const struct process *p, int status)
{
	if (status & 0x7f)
		pr_info("kern: %s (pid %d) was killed by %s\n", p->comm, p->pid,
			signal_name(status & 0x7f));
	else
		pr_info("kern: %s (pid %d) exited with status %d\n", p->comm, p->pid,
			(status >> 8) & 0xff);
}

/* stdin, stdout and stderr: /dev/console, as Linux opens it for init (the
 * console itself if the node cannot be opened). */
static int open_console_fds(struct process *p)
{
	for (int fd = 0; fd < 3; fd++) {
		struct file *f;
		if (vfs_open_kernel("/dev/console", O_RDWR, &f) != 0)
			f = console_file_open(O_RDWR);
		if (!f || fd_install(p, f) != fd)
			return -ENOMEM;
	}
	return 0;
}

int first_process_run(void)
{
	char path[PATH_MAX_INIT] = "/init";
	const char *const envp[] = { "HOME=/", "TERM=linux", "PATH=/sbin:/bin:/usr/sbin:/usr/bin", NULL };
	const char *argv[8] = { path, NULL }; /* room for a #! interpreter's words */
	struct process *p;
	int err, status;

	if ((err = root_and_init(path, sizeof(path))) != 0)
		return err;
	if (!(p = process_new()))
		return -ENOMEM;
	strlcpy(p->comm, "init", sizeof(p->comm));
	if ((err = open_console_fds(p)) == 0)
		err = exec_path(p, path, argv, ARRAY_SIZE(argv) - 1, envp);
	if (err) {
		pr_err("kern: cannot start %s (%s)\n", path, errno_name(err));
		process_free(p);
		return err;
	}
	pr_info("kern: starting %s\n", path);
	if ((err = process_start(p)) != 0) {
		process_free(p);
		return err;
	}
	process_wait_zombie(p);
	status = p->wait_status;
	report_end(p, status);
	process_free(p);
	return 0;
}
