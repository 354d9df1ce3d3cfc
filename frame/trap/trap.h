#ifndef FRAME_TRAP_H
#define FRAME_TRAP_H

#include <frame/types.h>
#include <arch/trapframe.h>

void trap_init(void);
/* Handles one interrupt (timer, external, software) given its scause. */
void trap_handle_interrupt(uint64_t scause);
const char *trap_cause_name(uint64_t scause);

/* Called from trap_entry.S. */
void trap_dispatch(struct trapframe *tf);
void trap_kernel_stack_overflow(struct trapframe *tf) __noreturn;
void trap_bad_sscratch(struct trapframe *tf) __noreturn;

/* Cause, sepc symbolized, registers and backtrace of tf, on the console
 * (the body of a panic report; the watchdog's too). */
void trap_report(const struct trapframe *tf);
/* The panic report for a trap: cause, registers, backtrace. */
void panic_trap(struct trapframe *tf, const char *why) __noreturn;

#endif
