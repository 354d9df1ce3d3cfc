/* Per-hart state. tp points to the running hart's struct hart whenever the
 * hart is in the kernel; the first fields are used by trap_entry.S. */
#ifndef FRAME_SMP_HART_H
#define FRAME_SMP_HART_H

#include <frame/types.h>
#include <arch/trapframe.h>
#include <frame/user.h>
#include "dt/bootinfo.h"

#define MAX_HARTS BI_MAX_HARTS
#define EMERGENCY_STACK_SIZE 4096

struct hart {
	uint64_t scratch[2];      /* HART_SCRATCH0/1: trap entry spill slots */
	uintptr_t stack_lo;       /* HART_STACK_LO: lowest address of the current stack */
	uintptr_t emergency_top;  /* HART_EMERGENCY_TOP */
	uintptr_t kernel_sp;      /* HART_KERNEL_SP: where user_enter left the kernel */
	struct user_regs *uregs;  /* HART_UREGS */
	uint64_t ucause;          /* HART_UCAUSE */
	uint64_t utval;           /* HART_UTVAL */
	void *current_data;       /* task_data(current): task_current_data's one load */
	uintptr_t stack_hi;
	unsigned index;           /* position in boot_info.harts */
	uint32_t hartid;
	bool online;
	bool bkl_kept_in_user;    /* smp/bkl.h: one hart, which keeps the BKL in user mode */
	uint32_t plic_context;    /* S-mode context, or UINT32_MAX if none */
	struct aspace *aspace;    /* the user address space in satp, or NULL */
	unsigned slot;            /* this block's number: 0 = boot hart, bit in hart masks */

	/* Only this hart touches these (interrupts masked where a handler does too). */
	unsigned locks_held;      /* spinlocks held: schedule() and the BKL check it */
	unsigned irq_depth;       /* > 0 inside an interrupt handler */
	volatile unsigned wants_bkl; /* > 0 while bkl_acquire waits (an interrupt may nest one): read by the watchdog */
	uint64_t next_tick;       /* time CSR value of this hart's next tick */
	uint64_t user_time_mark;  /* time CSR at the last entry to user mode: the watchdog's progress */
	uint64_t fpu_loaded;      /* token of the FP state in the registers (frame/user/user.c) */
	uint64_t fpu_count;       /* FP tokens handed out here */
	unsigned slice_ticks;

	/* Protected by sched_lock (frame/task/task.c). */
	struct task *current;
	struct task *idle;        /* runs when the queue is empty; never queued */
	struct task *run_head, *run_tail;
	unsigned nr_queued;       /* tasks on the queue (current not counted) */
	struct task *dead;        /* exited, freed once this hart switched away */
	volatile bool resched;
	volatile bool idling;     /* in the idle loop: needs an IPI to look again */
	uint64_t switches;        /* context switches here: task_set_affinity waits on it */

	/* The TLB mailbox (smp/tlb.c): written by a sender under shootdown_lock. */
	struct tlb_request *volatile tlb_req;
};

_Static_assert(__builtin_offsetof(struct hart, scratch) == HART_SCRATCH0, "hart layout");
_Static_assert(__builtin_offsetof(struct hart, stack_lo) == HART_STACK_LO, "hart layout");
_Static_assert(__builtin_offsetof(struct hart, emergency_top) == HART_EMERGENCY_TOP, "hart layout");
_Static_assert(__builtin_offsetof(struct hart, kernel_sp) == HART_KERNEL_SP, "hart layout");
_Static_assert(__builtin_offsetof(struct hart, uregs) == HART_UREGS, "hart layout");
_Static_assert(__builtin_offsetof(struct hart, ucause) == HART_UCAUSE, "hart layout");
_Static_assert(__builtin_offsetof(struct hart, utval) == HART_UTVAL, "hart layout");

static inline struct hart *this_hart(void)
{
	struct hart *h;
	/* volatile: a task may resume on another hart after a switch, so the
	 * value must not be kept across calls. */
	__asm__ volatile("mv %0, tp" : "=r"(h));
	return h;
}

/* Sets up the boot hart's block and tp; sscratch = 0. */
void hart_boot_init(uint32_t hartid, uintptr_t stack_lo, uintptr_t stack_hi);
/* Fills in every hart from the device tree; logs them with HSM state. */
void harts_init(const struct boot_info *bi);
/* The block numbered slot (0 = the boot hart), the numbering of hart masks. */
struct hart *hart_by_slot(unsigned slot);
/* Records the stack this hart now runs on (for overflow detection). */
void hart_set_stack(uintptr_t lo, uintptr_t hi);
/* Bits set in a hart mask (no libgcc popcount in the kernel). */
static inline unsigned hart_mask_count(uint64_t mask)
{
	unsigned n = 0;

	for (; mask; mask &= mask - 1)
		n++;
	return n;
}

/* Starts every other hart through SBI HSM; each joins the scheduler.
 * load_pa: where the image was loaded (the harts start with the MMU off). */
void harts_start_secondaries(paddr_t load_pa);
/* Bit i set for every online hart block i. */
uint64_t harts_online_mask(void);
/* Cpu numbers (hart_get_info order, Linux's cpu numbers: bit n = cpu n)
 * to hart masks (bit n = block n) and back; harts that do not exist drop out. */
uint64_t harts_slots_of_cpus(uint64_t cpus);
uint64_t harts_cpus_of_slots(uint64_t slots);

#endif
