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
	uintptr_t stack_hi;
	unsigned index;           /* position in boot_info.harts */
	uint32_t hartid;
	bool online;
	uint32_t plic_context;    /* S-mode context, or UINT32_MAX if none */
	struct aspace *aspace;    /* the active user address space, or NULL */
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
	__asm__("mv %0, tp" : "=r"(h));
	return h;
}

/* Sets up the boot hart's block and tp; sscratch = 0. */
void hart_boot_init(uint32_t hartid, uintptr_t stack_lo, uintptr_t stack_hi);
/* Fills in every hart from the device tree; logs them with HSM state. */
void harts_init(const struct boot_info *bi);
struct hart *hart_by_index(unsigned index);
/* Records the stack this hart now runs on (for overflow detection). */
void hart_set_stack(uintptr_t lo, uintptr_t hi);

#endif
