/* /proc/sys: the sysctl files there are (kernel names and limits). The
 * host and domain names are writable by root, as with sethostname(2). */
#include <frame/errno.h>
#include "fs/file_limit.h"
#include "fs/procfs_internal.h"
#include "proc/cred.h"
#include "proc/task_limit.h"
#include "proc/uts.h"

#define NGROUPS_MAX 65536 /* what setgroups accepts before -EINVAL */
#define CAP_LAST_CAP 40   /* CAP_CHECKPOINT_RESTORE, the last in Linux 6.1 */
#define PID_MAX 32768 /* what Linux shows by default (pids here are not recycled) */

static int show_text(struct seq *s, const char *text)
{
	seq_printf(s, "%s\n", text);
	return 0;
}

static int show_hostname(struct seq *s, const struct proc_ctx *c) { (void)c; return show_text(s, uts_hostname()); }
static int show_domainname(struct seq *s, const struct proc_ctx *c) { (void)c; return show_text(s, uts_domainname()); }
static int show_osrelease(struct seq *s, const struct proc_ctx *c) { (void)c; return show_text(s, UTS_RELEASE); }
static int show_ostype(struct seq *s, const struct proc_ctx *c) { (void)c; return show_text(s, UTS_SYSNAME); }
static int show_version(struct seq *s, const struct proc_ctx *c) { (void)c; return show_text(s, UTS_VERSION); }

static int show_number(struct seq *s, long n)
{
	seq_printf(s, "%ld\n", n);
	return 0;
}

static int show_pid_max(struct seq *s, const struct proc_ctx *c) { (void)c; return show_number(s, PID_MAX); }
static int show_threads_max(struct seq *s, const struct proc_ctx *c) { (void)c; return show_number(s, task_limit_max()); }
/* glibc's sysconf(_SC_NGROUPS_MAX) and libcap read these two. */
static int show_ngroups_max(struct seq *s, const struct proc_ctx *c) { (void)c; return show_number(s, NGROUPS_MAX); }
static int show_cap_last_cap(struct seq *s, const struct proc_ctx *c) { (void)c; return show_number(s, CAP_LAST_CAP); }

/* fs: the system-wide open-file limit (fs/file_limit.h), in Linux's
 * formats; file-nr's middle field (free files) is 0 since Linux 2.6. */
static int show_file_max(struct seq *s, const struct proc_ctx *c) { (void)c; return show_number(s, (long)file_limit_max()); }

static int show_file_nr(struct seq *s, const struct proc_ctx *c)
{
	(void)c;
	seq_printf(s, "%lu\t0\t%lu\n", file_limit_count(), file_limit_max());
	return 0;
}

/* Any value 0..LONG_MAX, as Linux's proc_doulongvec_minmax takes it. */
static long store_file_max(const struct proc_ctx *c, const char *buf, size_t len)
{
	long n;
	(void)c;

	if (!cred_capable())
		return -EPERM;
	if (proc_parse_long(buf, len, &n) != 0 || n < 0)
		return -EINVAL;
	file_limit_set_max((unsigned long)n);
	return (long)len;
}

/* A name written with or without its newline; the whole write is taken. */
static long store_name(const char *buf, size_t len, int (*set)(const char *, size_t))
{
	size_t n = len && buf[len - 1] == '\n' ? len - 1 : len;
	int err;

	if (!cred_capable())
		return -EPERM;
	return (err = set(buf, n)) != 0 ? err : (long)len;
}

static long store_hostname(const struct proc_ctx *c, const char *buf, size_t len)
{
	(void)c;
	return store_name(buf, len, uts_set_hostname);
}

static long store_domainname(const struct proc_ctx *c, const char *buf, size_t len)
{
	(void)c;
	return store_name(buf, len, uts_set_domainname);
}

static const struct proc_entry kernel_entries[] = {
	{ .name = "hostname", .mode = S_IFREG | 0644, .show = show_hostname, .store = store_hostname },
	{ .name = "domainname", .mode = S_IFREG | 0644, .show = show_domainname, .store = store_domainname },
	{ .name = "osrelease", .mode = S_IFREG | 0444, .show = show_osrelease },
	{ .name = "ostype", .mode = S_IFREG | 0444, .show = show_ostype },
	{ .name = "version", .mode = S_IFREG | 0444, .show = show_version },
	{ .name = "pid_max", .mode = S_IFREG | 0444, .show = show_pid_max },
	{ .name = "threads-max", .mode = S_IFREG | 0444, .show = show_threads_max },
	{ .name = "ngroups_max", .mode = S_IFREG | 0444, .show = show_ngroups_max },
	{ .name = "cap_last_cap", .mode = S_IFREG | 0444, .show = show_cap_last_cap },
	{ 0 },
};

static const struct proc_entry fs_entries[] = {
	{ .name = "file-max", .mode = S_IFREG | 0644, .show = show_file_max, .store = store_file_max },
	{ .name = "file-nr", .mode = S_IFREG | 0444, .show = show_file_nr },
	{ 0 },
};

const struct proc_entry proc_sys_entries[] = {
	{ .name = "fs", .mode = S_IFDIR | 0555, .children = fs_entries },
	{ .name = "kernel", .mode = S_IFDIR | 0555, .children = kernel_entries },
	{ 0 },
};
