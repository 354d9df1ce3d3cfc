/* /proc itself: the system-wide files, the self links, and one directory
 * per process. Formats are Linux's, field for field, since busybox (ps,
 * top, free, uptime, mount) and glibc parse them. */
#include <frame/boot.h>
#include <frame/cpu.h>
#include <frame/errno.h>
#include <frame/log.h>
#include <frame/meminfo.h>
#include <frame/time.h>
#include "fs/fstype.h"
#include "fs/procfs_internal.h"
#include "proc/loadavg.h"
#include "proc/proc_info.h"
#include "proc/process.h"
#include "proc/uts.h"

#define USER_HZ 100
#define NS_PER_TICK (1000000000u / USER_HZ)

static int show_cpuinfo(struct seq *s, const struct proc_ctx *c)
{
	struct hart_info h;
	unsigned cpu = 0;

	(void)c;
	for (unsigned i = 0; i < hart_count(); i++) {
		if (hart_get_info(i, &h) != 0 || !h.online)
			continue;
		seq_printf(s, "processor\t: %u\nhart\t\t: %u\nisa\t\t: %s\nmmu\t\t: sv39\n\n", cpu++,
			   h.hartid, h.isa);
	}
	return 0;
}

static void kb_line(struct seq *s, const char *name, uint64_t bytes)
{
	seq_printf(s, "%-15s%8lu kB\n", name, (unsigned long)(bytes >> 10));
}

/* Everything but MemTotal and MemFree is zero: there is no page cache,
 * swap or slab accounting to show (tmpfs data is plain kernel memory). */
static int show_meminfo(struct seq *s, const struct proc_ctx *c)
{
	static const char *const zero[] = {
		"Buffers:", "Cached:", "SwapCached:", "Active:", "Inactive:", "SwapTotal:",
		"SwapFree:", "Dirty:", "Writeback:", "AnonPages:", "Mapped:", "Shmem:",
		"Slab:", "SReclaimable:", "SUnreclaim:",
	};

	(void)c;
	kb_line(s, "MemTotal:", mem_total_bytes());
	kb_line(s, "MemFree:", mem_free_bytes());
	kb_line(s, "MemAvailable:", mem_free_bytes());
	for (unsigned i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		kb_line(s, zero[i], 0);
	return 0;
}

/* Seconds with two decimals, as Linux prints them. */
static void seconds(struct seq *s, uint64_t ns, const char *end)
{
	seq_printf(s, "%lu.%02lu%s", (unsigned long)(ns / 1000000000u),
		   (unsigned long)(ns / 10000000u % 100), end);
}

static uint64_t idle_ns(void)
{
	uint64_t user, sys, all = time_now_ns() * procinfo_cpus();

	procinfo_cpu_totals(&user, &sys);
	return all > user + sys ? all - user - sys : 0;
}

static int show_uptime(struct seq *s, const struct proc_ctx *c)
{
	(void)c;
	seconds(s, time_now_ns(), " ");
	seconds(s, idle_ns(), "\n");
	return 0;
}

static unsigned count_processes(unsigned *running)
{
	unsigned n = 0;

	*running = 0;
	for (struct process *p = process_first(); p; p = process_next(p)) {
		if (p->state == PROC_ZOMBIE)
			continue;
		n++;
		if (p->task && !task_sleeping(p->task))
			++*running;
	}
	return n;
}

static int show_loadavg(struct seq *s, const struct proc_ctx *c)
{
	unsigned running, n = count_processes(&running);
	struct process *newest = process_first();
	unsigned long avg[3];

	(void)c;
	loadavg_get(avg);
	for (int i = 0; i < 3; i++)
		seq_printf(s, "%lu.%02lu ", avg[i] >> LOAD_FSHIFT,
			   ((avg[i] & (LOAD_FIXED_1 - 1)) * 100) >> LOAD_FSHIFT);
	seq_printf(s, "%u/%u %d\n", running, n, newest ? newest->pid : 0);
	return 0;
}

static void cpu_line(struct seq *s, const char *name, uint64_t user, uint64_t sys, uint64_t idle)
{
	seq_printf(s, "%s %lu 0 %lu %lu 0 0 0 0 0 0\n", name, (unsigned long)(user / NS_PER_TICK),
		   (unsigned long)(sys / NS_PER_TICK), (unsigned long)(idle / NS_PER_TICK));
}

/* Every process runs on the boot hart (cpu0): the others only idle. The
 * clock counts from boot until an RTC gives wall time, so btime is 0. */
static int show_stat(struct seq *s, const struct proc_ctx *c)
{
	uint64_t user, sys, up = time_now_ns(), idle = idle_ns(), idle0;
	unsigned ncpu = procinfo_cpus(), running;
	char name[16];

	(void)c;
	procinfo_cpu_totals(&user, &sys);
	cpu_line(s, "cpu ", user, sys, idle);
	idle0 = up > user + sys ? up - user - sys : 0;
	for (unsigned i = 0; i < ncpu; i++) {
		snprintf(name, sizeof(name), "cpu%u", i);
		cpu_line(s, name, i ? 0 : user, i ? 0 : sys, i ? up : idle0);
	}
	count_processes(&running);
	seq_printf(s, "intr 0\nctxt 0\nbtime 0\nprocesses %lu\nprocs_running %u\nprocs_blocked 0\n"
		      "softirq 0 0 0 0 0 0 0 0 0 0 0\n", (unsigned long)procinfo_forks(), running);
	return 0;
}

static int show_version(struct seq *s, const struct proc_ctx *c)
{
	(void)c;
	seq_printf(s, "%s version %s (rivet@rivet) %s\n", UTS_SYSNAME, UTS_RELEASE, UTS_VERSION);
	return 0;
}

static int show_filesystems(struct seq *s, const struct proc_ctx *c)
{
	const struct fs_type *t;

	(void)c;
	for (unsigned i = 0; (t = fs_type_at(i)); i++)
		seq_printf(s, "%s\t%s\n", t->nodev ? "nodev" : "", t->name);
	return 0;
}

static int show_cmdline(struct seq *s, const struct proc_ctx *c)
{
	(void)c;
	seq_printf(s, "%s\n", boot_cmdline());
	return 0;
}

/* The caller's own directory: "self" and "thread-self". */
static long link_self(const struct proc_ctx *c, char *buf, size_t size)
{
	int n;

	(void)c;
	if (!current)
		return -ENOENT;
	n = snprintf(buf, size, "%d", current->leader->pid); /* the process */
	return n < (int)size ? n : (long)size;
}

static long link_thread_self(const struct proc_ctx *c, char *buf, size_t size)
{
	int n;

	(void)c;
	if (!current)
		return -ENOENT;
	n = snprintf(buf, size, "%d/task/%d", current->leader->pid, current->pid);
	return n < (int)size ? n : (long)size;
}

static long link_mounts(const struct proc_ctx *c, char *buf, size_t size)
{
	int n = snprintf(buf, size, "self/mounts");

	(void)c;
	return n < (int)size ? n : (long)size;
}

/* Process directories, numbered by pid, in pid order. */
static int pid_next(const struct proc_ctx *dir, uint64_t *cookie, char *name, struct proc_ctx *child)
{
	struct process *best = NULL;

	(void)dir;
	for (struct process *p = process_first(); p; p = process_next(p))
		if ((uint64_t)p->pid >= *cookie && (!best || p->pid < best->pid))
			best = p;
	if (!best)
		return -ENOENT;
	*cookie = (uint64_t)best->pid;
	snprintf(name, 16, "%d", best->pid);
	*child = (struct proc_ctx){ best->pid, -1 };
	return 0;
}

static int pid_find(const struct proc_ctx *dir, unsigned long n, struct proc_ctx *child)
{
	(void)dir;
	if (n == 0 || n > 0x7fffffff || !process_find((int)n))
		return -ENOENT;
	*child = (struct proc_ctx){ (int)n, -1 };
	return 0;
}

static const struct proc_dyn pid_dyn = { .next = pid_next, .find = pid_find, .entry = &proc_pid_entry };

#define DIR_MODE (S_IFDIR | 0555)
#define FILE_MODE (S_IFREG | 0444)
#define LINK_MODE (S_IFLNK | 0777)

static const struct proc_entry root_children[] = {
	{ .name = "self", .mode = LINK_MODE, .link = link_self },
	{ .name = "thread-self", .mode = LINK_MODE, .link = link_thread_self },
	{ .name = "cpuinfo", .mode = FILE_MODE, .show = show_cpuinfo },
	{ .name = "meminfo", .mode = FILE_MODE, .show = show_meminfo },
	{ .name = "uptime", .mode = FILE_MODE, .show = show_uptime },
	{ .name = "loadavg", .mode = FILE_MODE, .show = show_loadavg },
	{ .name = "stat", .mode = FILE_MODE, .show = show_stat },
	{ .name = "version", .mode = FILE_MODE, .show = show_version },
	{ .name = "filesystems", .mode = FILE_MODE, .show = show_filesystems },
	{ .name = "cmdline", .mode = FILE_MODE, .show = show_cmdline },
	{ .name = "diskstats", .mode = FILE_MODE, .show = proc_show_diskstats },
	{ .name = "mounts", .mode = LINK_MODE, .link = link_mounts },
	{ .name = "sys", .mode = DIR_MODE, .children = proc_sys_entries },
	{ .name = "rivet", .mode = DIR_MODE, .children = proc_rivet_entries },
	{ 0 },
};

const struct proc_entry proc_root_entry = {
	.name = "", .mode = DIR_MODE, .children = root_children, .dyn = &pid_dyn,
};
