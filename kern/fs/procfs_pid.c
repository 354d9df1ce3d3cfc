/* /proc/PID: one process's files, in Linux's formats (proc(5)); busybox's
 * libbb/procps.c and glibc parse stat, status, cmdline and the links. */
#include <frame/errno.h>
#include <frame/log.h>
#include <frame/time.h>
#include <string.h>
#include "fs/fdtable.h"
#include "fs/open.h"
#include "fs/procfs_internal.h"
#include "mm/mm.h"
#include "mm/oom.h"
#include "proc/cred.h"
#include "proc/proc_info.h"
#include "proc/process.h"
#include "proc/signal.h"

#define PAGE 4096u
#define RLIMIT_RSS 5
#define USER_HZ 100
#define NS_PER_TICK (1000000000u / USER_HZ)

static unsigned long ticks(uint64_t ns)
{
	return (unsigned long)(ns / NS_PER_TICK);
}

/* R running (or runnable), S sleeping, Z zombie. */
static char state_of(const struct process *p)
{
	if (p->state == PROC_ZOMBIE)
		return 'Z';
	return p == current || !p->task || !task_sleeping(p->task) ? 'R' : 'S';
}

static const char *state_name(char st)
{
	return st == 'Z' ? "Z (zombie)" : st == 'S' ? "S (sleeping)" : "R (running)";
}

static unsigned long pages_of(const struct process *p)
{
	return p->as ? (unsigned long)aspace_pages(p->as) : 0;
}

static int ppid_of(const struct process *p)
{
	const struct process *parent = p->leader->parent; /* the process's */

	return parent ? parent->pid : 0;
}

/* The signals p ignores (which == SIG_IGN) or catches (which == 2: any
 * handler), as the SigIgn/SigCgt masks show them. */
static uint64_t sig_set_of(const struct process *p, uint64_t which)
{
	uint64_t set = 0;

	for (int sig = 1; sig <= NSIG; sig++) {
		uint64_t h = p->sig.action[sig].handler;
		if (which == SIG_IGN ? h == SIG_IGN : h != SIG_IGN && h != SIG_DFL)
			set |= SIG_BIT(sig);
	}
	return set;
}

/* proc(5)'s 52 fields; what is not tracked is 0. */
static int show_stat(struct seq *s, const struct proc_ctx *c)
{
	struct process *p = proc_ctx_process(c);
	unsigned long pages = pages_of(p);

	/* 1-25: pid (comm) state ppid pgrp session tty_nr tpgid flags minflt
	 * cminflt majflt cmajflt utime stime cutime cstime priority nice
	 * num_threads itrealvalue starttime vsize rss rsslim */
	seq_printf(s, "%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 %lu %lu %lu %lu %d %d %d 0 %lu %lu %lu %lu ",
		   p->pid, p->comm, state_of(p), ppid_of(p), p->pgid, p->sid, ticks(p->utime_ns),
		   ticks(procinfo_stime(p)), ticks(p->cutime_ns), ticks(p->cstime_ns), 20 + p->nice,
		   p->nice, p->leader->nr_threads, ticks(p->start_ns), pages * PAGE, pages,
		   (unsigned long)p->rlim[RLIMIT_RSS].cur);
	/* 26-52: startcode endcode startstack kstkesp kstkeip signal blocked
	 * sigignore sigcatch wchan nswap cnswap exit_signal processor
	 * rt_priority policy blkio guest cguest start_data end_data start_brk
	 * arg_start arg_end env_start env_end exit_code */
	seq_printf(s, "0 0 0 0 0 %lu %lu %lu %lu 0 0 0 %d 0 0 0 0 0 0 0 0 %lu 0 0 0 0 %d\n",
		   (unsigned long)(p->sig.pending & 0x7fffffff), (unsigned long)(p->sig.blocked & 0x7fffffff),
		   (unsigned long)(sig_set_of(p, SIG_IGN) & 0x7fffffff),
		   (unsigned long)(sig_set_of(p, 2) & 0x7fffffff), p->exit_signal,
		   (unsigned long)(p->mm ? p->mm->brk_start : 0),
		   p->state == PROC_ZOMBIE ? p->wait_status : 0);
	return 0;
}

static void id_line(struct seq *s, const char *name, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	seq_printf(s, "%s:\t%u\t%u\t%u\t%u\n", name, a, b, c, d);
}

/* A cpu mask as Linux's Cpus_allowed_list shows it: ranges, "0-1,3". */
static void cpu_list(struct seq *s, uint64_t mask)
{
	const char *sep = "";

	for (unsigned i = 0; i < 64; i++) {
		unsigned j = i;
		if (!((mask >> i) & 1))
			continue;
		while (j + 1 < 64 && ((mask >> (j + 1)) & 1))
			j++;
		if (j == i)
			seq_printf(s, "%s%u", sep, i);
		else
			seq_printf(s, "%s%u-%u", sep, i, j);
		sep = ",";
		i = j;
	}
}

static int show_status(struct seq *s, const struct proc_ctx *c)
{
	struct process *p = proc_ctx_process(c);
	const struct cred *cr = &p->cred;
	unsigned long kb = pages_of(p) * (PAGE / 1024);
	uint64_t caps = cr->euid == 0 ? 0x1ffffffffffull : 0;

	seq_printf(s, "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n"
		      "TracerPid:\t0\n", p->comm, p->umask, state_name(state_of(p)), p->leader->pid, p->pid,
		   ppid_of(p));
	id_line(s, "Uid", cr->uid, cr->euid, cr->suid, cr->fsuid);
	id_line(s, "Gid", cr->gid, cr->egid, cr->sgid, cr->fsgid);
	seq_printf(s, "FDSize:\t%d\nGroups:\t", MAX_FDS);
	for (unsigned i = 0; i < cr->ngroups; i++)
		seq_printf(s, "%u ", cr->groups[i]);
	seq_printf(s, "\nVmPeak:\t%8lu kB\nVmSize:\t%8lu kB\nVmRSS:\t%8lu kB\nThreads:\t%d\n", kb, kb, kb,
		   p->leader->nr_threads);
	seq_printf(s, "SigPnd:\t%016lx\nShdPnd:\t0000000000000000\nSigBlk:\t%016lx\n"
		      "SigIgn:\t%016lx\nSigCgt:\t%016lx\n",
		   (unsigned long)p->sig.pending, (unsigned long)p->sig.blocked,
		   (unsigned long)sig_set_of(p, SIG_IGN), (unsigned long)sig_set_of(p, 2));
	seq_printf(s, "CapInh:\t0000000000000000\nCapPrm:\t%016lx\nCapEff:\t%016lx\n"
		      "CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\n",
		   (unsigned long)caps, (unsigned long)caps);
	seq_printf(s, "Cpus_allowed:\t%lx\nCpus_allowed_list:\t", (unsigned long)p->affinity);
	cpu_list(s, p->affinity);
	seq_printf(s, "\n");
	return 0;
}

/* argv as it was at exec, NUL-separated; nothing for a zombie. */
static int show_cmdline(struct seq *s, const struct proc_ctx *c)
{
	struct process *p = proc_ctx_process(c);

	if (p->state != PROC_ZOMBIE && p->args)
		seq_write(s, p->args, p->argv_len);
	return 0;
}

static int show_environ(struct seq *s, const struct proc_ctx *c)
{
	struct process *p = proc_ctx_process(c);

	if (p->state != PROC_ZOMBIE && p->args)
		seq_write(s, p->args + p->argv_len, p->env_len);
	return 0;
}

static int show_comm(struct seq *s, const struct proc_ctx *c)
{
	seq_printf(s, "%s\n", proc_ctx_process(c)->comm);
	return 0;
}

/* Writing comm renames the process (the caller's own only: another one
 * would need ptrace rights). */
static long store_comm(const struct proc_ctx *c, const char *buf, size_t len)
{
	struct process *p = proc_ctx_process(c);
	size_t n = MIN(len, (size_t)COMM_LEN - 1);

	if (p != current)
		return -EINVAL;
	memcpy(p->comm, buf, n); /* a newline stays part of the name, as on Linux */
	p->comm[n] = '\0';
	return (long)len;
}

/* The OOM killer's view of the process (mm/oom.h). */
static int show_oom_score(struct seq *s, const struct proc_ctx *c)
{
	seq_printf(s, "%u\n", oom_score(proc_ctx_process(c)->leader));
	return 0;
}

static int show_oom_score_adj(struct seq *s, const struct proc_ctx *c)
{
	seq_printf(s, "%d\n", proc_ctx_process(c)->leader->oom_score_adj);
	return 0;
}

/* As Linux's __set_oom_adj: -1000..1000 (else EINVAL); going below the
 * lowest a privileged writer set (0 at first) takes CAP_SYS_RESOURCE
 * (root here, else EACCES), and a privileged write sets that floor. Who
 * may open the file for writing at all is its owner's business (the
 * process's euid), as for any file. */
static long store_oom_score_adj(const struct proc_ctx *c, const char *buf, size_t len)
{
	struct process *p = proc_ctx_process(c)->leader;
	long adj;

	if (proc_parse_long(buf, len, &adj) != 0 || adj < OOM_SCORE_ADJ_MIN || adj > OOM_SCORE_ADJ_MAX)
		return -EINVAL;
	if (adj < p->oom_score_adj_min && !cred_capable())
		return -EACCES;
	p->oom_score_adj = (int)adj;
	if (cred_capable())
		p->oom_score_adj_min = (int)adj;
	return (long)len;
}

/* One line per area, in Linux's layout (kern/mm/maps.c). */
static int show_maps(struct seq *s, const struct proc_ctx *c)
{
	struct process *p = proc_ctx_process(c);
	char line[160];

	if (!p->mm)
		return 0;
	for (const struct vma *v = p->mm->vmas.head; v; v = v->next) {
		mm_format_area(v, line, sizeof(line));
		seq_printf(s, "%s", line);
	}
	return 0;
}

static int show_statm(struct seq *s, const struct proc_ctx *c)
{
	unsigned long pages = pages_of(proc_ctx_process(c));

	seq_printf(s, "%lu %lu 0 0 0 %lu 0\n", pages, pages, pages);
	return 0;
}

static long put_link(char *buf, size_t size, const char *text)
{
	size_t n = MIN(strlen(text), size);

	memcpy(buf, text, n);
	return (long)n;
}

static long link_cwd(const struct proc_ctx *c, char *buf, size_t size)
{
	struct process *p = proc_ctx_process(c);
	long n;

	if (!p->cwd)
		return -ENOENT;
	if ((n = vfs_path_of(p->cwd, buf, size)) < 0)
		return n;
	return n - 1; /* without the NUL */
}

static long link_exe(const struct proc_ctx *c, char *buf, size_t size)
{
	struct process *p = proc_ctx_process(c);

	return p->exe && p->state != PROC_ZOMBIE ? put_link(buf, size, p->exe) : -ENOENT;
}

static long link_root(const struct proc_ctx *c, char *buf, size_t size)
{
	(void)c;
	return put_link(buf, size, "/"); /* no chroot yet */
}

/* fd/N: the file's path, else what kind of object it is. */
static long link_fd(const struct proc_ctx *c, char *buf, size_t size)
{
	struct process *p = proc_ctx_process(c);
	struct file *f = fd_get(p, c->fd);
	char text[48];
	long n;

	if (!f)
		return -ENOENT;
	if (f->inode && (n = file_path(f, buf, size)) >= 0)
		return n;
	if (f->inode && mode_is(f->inode->mode, S_IFIFO))
		snprintf(text, sizeof(text), "pipe:[%lu]", (unsigned long)f->inode->ino);
	else if (f->inode && mode_is(f->inode->mode, S_IFSOCK))
		snprintf(text, sizeof(text), "socket:[%lu]", (unsigned long)f->inode->ino);
	else
		snprintf(text, sizeof(text), "anon_inode:[%s]", f->inode ? "file" : "kernel");
	return put_link(buf, size, text);
}

static int fd_next(const struct proc_ctx *dir, uint64_t *cookie, char *name, struct proc_ctx *child)
{
	struct process *p = proc_ctx_process(dir);

	for (uint64_t fd = *cookie; p && fd < MAX_FDS; fd++) {
		if (fd_get(p, (int)fd)) {
			*cookie = fd;
			snprintf(name, 16, "%d", (int)fd);
			*child = (struct proc_ctx){ dir->pid, (int)fd };
			return 0;
		}
	}
	return -ENOENT;
}

static int fd_find(const struct proc_ctx *dir, unsigned long n, struct proc_ctx *child)
{
	struct process *p = proc_ctx_process(dir);

	if (!p || n >= MAX_FDS || !fd_get(p, (int)n))
		return -ENOENT;
	*child = (struct proc_ctx){ dir->pid, (int)n };
	return 0;
}

/* fdinfo/N: the position, the status flags in octal, the mount. */
static int show_fdinfo(struct seq *s, const struct proc_ctx *c)
{
	struct file *f = fd_get(proc_ctx_process(c), c->fd);

	if (!f)
		return -ENOENT;
	seq_printf(s, "pos:\t%lu\nflags:\t%07o\nmnt_id:\t%u\n", (unsigned long)f->pos,
		   f->flags | (fd_cloexec(proc_ctx_process(c), c->fd) ? O_CLOEXEC : 0),
		   f->inode ? f->inode->sb->mnt_id : 0);
	return 0;
}

static const struct proc_entry fd_link_entry = { .name = "", .mode = S_IFLNK | 0700, .link = link_fd };
static const struct proc_dyn fd_dyn = { .next = fd_next, .find = fd_find, .entry = &fd_link_entry };
static const struct proc_entry fdinfo_entry = { .name = "", .mode = S_IFREG | 0444, .show = show_fdinfo };
static const struct proc_dyn fdinfo_dyn = { .next = fd_next, .find = fd_find, .entry = &fdinfo_entry };

/* task/: the threads of the group, in tid order. */
static int task_next(const struct proc_ctx *dir, uint64_t *cookie, char *name, struct proc_ctx *child)
{
	struct process *p = proc_ctx_process(dir), *best = NULL;

	for (struct process *t = p ? p->leader : NULL; t; t = t->thread_next)
		if ((uint64_t)t->pid >= *cookie && (!best || t->pid < best->pid))
			best = t;
	if (!best)
		return -ENOENT;
	*cookie = (uint64_t)best->pid;
	snprintf(name, 16, "%d", best->pid);
	*child = (struct proc_ctx){ best->pid, -1 };
	return 0;
}

static int task_find(const struct proc_ctx *dir, unsigned long n, struct proc_ctx *child)
{
	struct process *p = proc_ctx_process(dir), *t = n < 0x80000000UL ? thread_find((int)n) : NULL;

	if (!p || !t || t->leader != p->leader)
		return -ENOENT;
	*child = (struct proc_ctx){ t->pid, -1 };
	return 0;
}

static const struct proc_dyn task_dyn = { .next = task_next, .find = task_find, .entry = &proc_pid_entry };

#define FILE_MODE (S_IFREG | 0444)
#define LINK_MODE (S_IFLNK | 0777)

static const struct proc_entry pid_children[] = {
	{ .name = "stat", .mode = FILE_MODE, .show = show_stat },
	{ .name = "status", .mode = FILE_MODE, .show = show_status },
	{ .name = "cmdline", .mode = FILE_MODE, .show = show_cmdline },
	{ .name = "comm", .mode = S_IFREG | 0644, .show = show_comm, .store = store_comm },
	{ .name = "environ", .mode = S_IFREG | 0400, .show = show_environ },
	{ .name = "maps", .mode = FILE_MODE, .show = show_maps },
	{ .name = "statm", .mode = FILE_MODE, .show = show_statm },
	{ .name = "mounts", .mode = FILE_MODE, .show = proc_show_mounts },
	{ .name = "mountinfo", .mode = FILE_MODE, .show = proc_show_mountinfo },
	{ .name = "oom_score", .mode = FILE_MODE, .show = show_oom_score },
	{ .name = "oom_score_adj", .mode = S_IFREG | 0644, .show = show_oom_score_adj, .store = store_oom_score_adj },
	{ .name = "cwd", .mode = LINK_MODE, .link = link_cwd },
	{ .name = "exe", .mode = LINK_MODE, .link = link_exe },
	{ .name = "root", .mode = LINK_MODE, .link = link_root },
	{ .name = "fd", .mode = S_IFDIR | 0500, .dyn = &fd_dyn },
	{ .name = "fdinfo", .mode = S_IFDIR | 0500, .dyn = &fdinfo_dyn },
	{ .name = "task", .mode = S_IFDIR | 0555, .dyn = &task_dyn },
	{ 0 },
};

const struct proc_entry proc_pid_entry = { .name = "", .mode = S_IFDIR | 0555, .children = pid_children };
