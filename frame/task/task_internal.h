#ifndef FRAME_TASK_INTERNAL_H
#define FRAME_TASK_INTERNAL_H

#include <frame/task.h>
#include "mm/vmarea.h"

struct task_context {
	uint64_t ra, sp, s[12];
};

enum task_state { TASK_RUNNABLE, TASK_RUNNING, TASK_SLEEPING, TASK_DEAD };

struct task {
	struct task_context ctx;
	struct kstack stack;
	enum task_state state;
	struct task *next; /* link in the run queue or a wait queue */
	struct wait_queue *sleeping_on; /* the queue it sleeps on, or NULL */
	void *data;        /* task_set_data */
	struct aspace *as; /* the user address space it runs in, or NULL */
	char name[16];
	uint64_t run_ns;    /* time on a hart before the current run (task_runtime_ns) */
	uint64_t run_since; /* when the current run began */
	unsigned hart;      /* block number of the hart it last ran on */
	uint64_t allowed;   /* hart mask (blocks) it may run on: task_set_affinity */
	bool bkl;           /* switched away holding the BKL: takes it again */
};

/* Makes the boot flow itself a task (it keeps its stack), on this hart. */
void task_init_boot(uintptr_t stack_bottom, uintptr_t stack_top);
/* The idle task of a secondary hart block (made on the boot hart); the
 * hart starts on its stack and calls task_hart_enter. NULL: no memory. */
struct task *task_create_idle(unsigned slot);
/* This hart runs its idle task from now on: joins scheduling. */
void task_hart_enter(void) __noreturn;
/* Records as as the current task's address space (aspace_activate). */
void task_set_aspace(struct aspace *as);
/* Forgets as in every task that has it (aspace_destroy). */
void task_forget_aspace(struct aspace *as);
/* Called by the timer tick. */
void task_tick(void);

#endif
