/* The OOM killer (oom.h). */
#include <frame/log.h>
#include <frame/meminfo.h>
#include <frame/page.h>
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

/* Init and exempt processes are never picked (Linux's LONG_MIN badness). */
static bool exempt(struct process *p)
{
	return p->pid == 1 || p->leader->oom_score_adj == OOM_SCORE_ADJ_MIN || !mm_of(p);
}

static bool killable(struct process *p)
{
	return !exempt(p) && p->state == PROC_RUNNING && !p->group_exiting &&
	       !(p->sig.pending & SIG_BIT(SIGKILL));
}

static int64_t total_pages(void)
{
	return (int64_t)(mem_total_bytes() / PAGE_BYTES); /* no swap */
}

/* Linux's oom_badness: resident pages, plus oom_score_adj per mille of
 * memory (negative for an adj below 0 that outweighs the pages). */
static int64_t badness(struct process *p)
{
	return (int64_t)rss_pages(p) + p->leader->oom_score_adj * (total_pages() / 1000);
}

static struct process *worst(void)
{
	struct process *best = NULL;
	int64_t best_points = 0;

	for (struct process *p = process_first(); p; p = process_next(p)) {
		int64_t points = badness(p);
		if (killable(p) && rss_pages(p) > 0 && (!best || points > best_points))
			best = p, best_points = points;
	}
	return best;
}

unsigned oom_score(struct process *p)
{
	int64_t points;

	if (exempt(p))
		return 0;
	points = (1000 + badness(p) * 1000 / total_pages()) * 2 / 3;
	return points < 0 ? 0 : (unsigned)points;
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
	if (!(v = worst()))
		return OOM_KILL_SELF;
	pr_err("Out of memory: Killed process %d (%s) total-vm:%lukB, rss:%lukB, UID:%u\n",
	       v->pid, v->comm, vm_kb(mm_of(v)), rss_pages(v) * 4, v->cred.uid);
	signal_send(v, SIGKILL);
	dying_pid = v->pid;
	dying_since = time_now_ns();
	return v == faulter->leader ? OOM_KILL_SELF : OOM_RETRY;
}
