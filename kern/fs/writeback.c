/* Periodic write-back, as Linux's flusher threads: a kernel task wakes
 * every few seconds and syncs the file systems and the block cache, so data
 * written without sync(2) reaches the disk soon anyway. When nothing
 * changed, the sync writes nothing. */
#include <frame/irq.h>
#include <frame/ktimer.h>
#include <frame/log.h>
#include <frame/task.h>
#include <frame/time.h>
#include "fs/sync.h"

#define WRITEBACK_PERIOD_NS 5000000000ull

static struct ktimer timer;
static struct wait_queue wq = WAIT_QUEUE_INIT;
static volatile bool due;

static void tick(struct ktimer *t)
{
	(void)t;
	due = true;
	wait_queue_wake_all(&wq);
}

static void writeback_main(void *arg)
{
	(void)arg;
	for (;;) {
		unsigned long flags;

		ktimer_arm(&timer, time_now_ns() + WRITEBACK_PERIOD_NS, tick);
		flags = irq_save();
		while (!due)
			wait_queue_sleep(&wq);
		due = false;
		irq_restore(flags);
		vfs_sync_all();
	}
}

void writeback_start(void)
{
	static bool started;

	if (started)
		return;
	started = true;
	if (!task_create(writeback_main, NULL, "writeback"))
		pr_warn("writeback: no task: data reaches the disks only on sync\n");
}
