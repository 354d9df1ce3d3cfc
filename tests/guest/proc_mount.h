/* Guest tests that read /proc: Linux does not mount it by itself, and
 * under Rivet the test program is init, so the test mounts it where it is
 * missing. Include after check.h. */
#ifndef GUEST_PROC_MOUNT_H
#define GUEST_PROC_MOUNT_H

#include <sys/mount.h>
#include <sys/stat.h>

static void ensure_proc(void)
{
	struct stat st;

	if (stat("/proc/self", &st) == 0)
		return;
	mkdir("/proc", 0555);
	CHECK(mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0);
}

#endif
