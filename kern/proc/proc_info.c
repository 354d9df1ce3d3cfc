/* Process information for /proc and the accounting calls (proc_info.h).
 * argv and envp are copied at exec: Linux reads them out of the process's
 * memory, but another process's memory is not reachable from here, and a
 * copy shows what the program was started with. */
#include <frame/cpu.h>
#include <frame/heap.h>
#include <frame/time.h>
#include <string.h>
#include "fs/open.h"
#include "proc/proc_info.h"

#define ARGS_MAX (16 * 1024) /* longer argument lists are cut (Linux shows a page or more) */

static uint64_t forks, exited_user_ns, exited_sys_ns;

static char *dup_bytes(const char *s, size_t n)
{
	char *d = s ? kmalloc(n ? n : 1) : NULL;

	if (d)
		memcpy(d, s, n);
	return d;
}

unsigned procinfo_cpus(void)
{
	struct hart_info h;
	unsigned n = 0;

	for (unsigned i = 0; i < hart_count(); i++)
		if (hart_get_info(i, &h) == 0 && h.online)
			n++;
	return n ? n : 1;
}

void procinfo_init(struct process *p)
{
	unsigned n = procinfo_cpus();

	forks++;
	p->start_ns = time_now_ns();
	p->affinity = n >= 64 ? ~0ull : (1ull << n) - 1;
}

int procinfo_fork(struct process *child, const struct process *parent)
{
	child->cred = parent->cred;
	child->nice = parent->nice;
	child->affinity = parent->affinity;
	child->argv_len = parent->argv_len;
	child->env_len = parent->env_len;
	if (parent->exe && !(child->exe = dup_bytes(parent->exe, strlen(parent->exe) + 1)))
		return -1;
	if (parent->args && !(child->args = dup_bytes(parent->args, parent->argv_len + parent->env_len)))
		return -1;
	return 0;
}

/* The strings of v, each with its NUL, up to what fits in buf at off. */
static size_t pack(char *buf, size_t off, const char *const v[])
{
	for (size_t i = 0; v && v[i] && off < ARGS_MAX; i++) {
		size_t n = MIN(strlen(v[i]) + 1, ARGS_MAX - off);
		memcpy(buf + off, v[i], n);
		off += n;
	}
	return off;
}

void procinfo_exec(struct process *p, const char *path, const char *const argv[],
		   const char *const envp[])
{
	char *buf = kmalloc(ARGS_MAX), *exe = vfs_resolve(path);
	size_t alen, elen;

	if (exe) {
		kfree(p->exe);
		p->exe = exe;
	}
	if (!buf)
		return;
	alen = pack(buf, 0, argv);
	elen = pack(buf, alen, envp) - alen;
	kfree(p->args);
	p->args = dup_bytes(buf, alen + elen);
	p->argv_len = p->args ? alen : 0;
	p->env_len = p->args ? elen : 0;
	kfree(buf);
}

uint64_t procinfo_stime(const struct process *p)
{
	uint64_t run;

	if (p->state == PROC_ZOMBIE || !p->task)
		return p->stime_ns;
	run = task_runtime_ns(p->task);
	return run > p->utime_ns ? run - p->utime_ns : 0;
}

void procinfo_exit(struct process *p)
{
	p->stime_ns = procinfo_stime(p);
	exited_user_ns += p->utime_ns;
	exited_sys_ns += p->stime_ns;
}

uint64_t procinfo_forks(void)
{
	return forks;
}

void procinfo_cpu_totals(uint64_t *user_ns, uint64_t *sys_ns)
{
	*user_ns = exited_user_ns;
	*sys_ns = exited_sys_ns;
	for (struct process *p = process_first(); p; p = process_next(p)) {
		if (p->state == PROC_ZOMBIE)
			continue; /* counted when it exited */
		*user_ns += p->utime_ns;
		*sys_ns += procinfo_stime(p);
	}
}

void procinfo_reap(struct process *parent, const struct process *child)
{
	parent->cutime_ns += child->utime_ns + child->cutime_ns;
	parent->cstime_ns += child->stime_ns + child->cstime_ns;
}

void procinfo_free(struct process *p)
{
	kfree(p->exe);
	kfree(p->args);
	p->exe = p->args = NULL;
}
