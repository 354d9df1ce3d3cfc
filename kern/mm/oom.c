/* The OOM killer (oom.h). */
#include <frame/log.h>
#include <frame/time.h>
#include "mm/mm.h"
#include "mm/oom.h"
#include "proc/process.h"
#include "proc/signal.h"

/* A victim that is not gone after this is passed over (it may be stuck in
 * a sleep SIGKILL does not end, such as a vfork parent's): pick another. */
#define DYING_PATIENCE_NS (2UL * 1000 * 1000 * 1000)

static int dying_pid;      /* the last victim, until its memory is gone */
static uint64_t dying_since;

/* A process's mm: any of its threads' (a leader that exited first has none). */
static struct mm *mm_of(struct process *p)
{
	for (struct process *t = p; t; t = t->thread_next)
		if (t->mm)
			return t->mm;
	return NULL;
}

static uint64_t rss_pages(struct process *p)
{
	struct mm *mm = mm_of(p);

	return mm ? aspace_pages(mm->as) : 0;
}

static bool still_dying(void)
{
	struct process *v = dying_pid ? process_find(dying_pid) : NULL;

	if (!v || rss_pages(v) == 0)
		return false;
	return time_now_ns() - dying_since < DYING_PATIENCE_NS;
}

static bool killable(struct process *p)
{
	return p->pid != 1 && p->state == PROC_RUNNING && !p->group_exiting &&
	       !(p->sig.pending & SIG_BIT(SIGKILL)) && mm_of(p);
}

static struct process *biggest(void)
{
	struct process *best = NULL;
	uint64_t best_rss = 0;

	for (struct process *p = process_first(); p; p = process_next(p)) {
		uint64_t rss = rss_pages(p);
		if (killable(p) && rss > best_rss)
			best = p, best_rss = rss;
	}
	return best;
}

static uint64_t vm_kb(const struct mm *mm)
{
	uint64_t bytes = 0;

	for (const struct vma *v = mm ? mm->vmas.head : NULL; v; v = v->next)
		bytes += v->end - v->start;
	return bytes / 1024;
}

enum oom_outcome oom_kill(struct process *faulter)
{
	struct process *v;

	if (still_dying())
		return OOM_RETRY;
	if (!(v = biggest()))
		return OOM_KILL_SELF;
	pr_err("Out of memory: Killed process %d (%s) total-vm:%lukB, rss:%lukB, UID:%u\n",
	       v->pid, v->comm, vm_kb(mm_of(v)), rss_pages(v) * 4, v->cred.uid);
	signal_send(v, SIGKILL);
	dying_pid = v->pid;
	dying_since = time_now_ns();
	return v == faulter->leader ? OOM_KILL_SELF : OOM_RETRY;
}
