/* The trap vector. Convention: sscratch is 0 while the hart runs kernel
 * code; tp always points to the hart's struct hart in the kernel.
 *
 * A trap taken with too little stack left (a kernel stack overflow into the
 * guard page) switches to the hart's emergency stack first, so the report can
 * still be printed. */
#include <arch/trapframe.h>

	.macro SAVE_GPRS
	sd	ra, 1*8(sp)
	sd	gp, 3*8(sp)
	sd	t1, 6*8(sp)
	sd	t2, 7*8(sp)
	sd	s0, 8*8(sp)
	sd	s1, 9*8(sp)
	sd	a0, 10*8(sp)
	sd	a1, 11*8(sp)
	sd	a2, 12*8(sp)
	sd	a3, 13*8(sp)
	sd	a4, 14*8(sp)
	sd	a5, 15*8(sp)
	sd	a6, 16*8(sp)
	sd	a7, 17*8(sp)
	sd	s2, 18*8(sp)
	sd	s3, 19*8(sp)
	sd	s4, 20*8(sp)
	sd	s5, 21*8(sp)
	sd	s6, 22*8(sp)
	sd	s7, 23*8(sp)
	sd	s8, 24*8(sp)
	sd	s9, 25*8(sp)
	sd	s10, 26*8(sp)
	sd	s11, 27*8(sp)
	sd	t3, 28*8(sp)
	sd	t4, 29*8(sp)
	sd	t5, 30*8(sp)
	sd	t6, 31*8(sp)
	.endm

	.macro SAVE_CSRS
	csrr	t0, sepc
	sd	t0, TF_SEPC(sp)
	csrr	t0, sstatus
	sd	t0, TF_SSTATUS(sp)
	csrr	t0, scause
	sd	t0, TF_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, TF_STVAL(sp)
	.endm

	.text
	.balign	4
	.globl	trap_entry
trap_entry:
	csrrw	tp, sscratch, tp
	bnez	tp, trap_from_user
	csrr	tp, sscratch		/* from the kernel: tp was live all along */
	csrw	sscratch, zero
	sd	t0, HART_SCRATCH0(tp)
	ld	t0, HART_STACK_LO(tp)
	addi	t0, t0, TF_SIZE + 256	/* room for the frame and a call or two */
	bltu	sp, t0, trap_stack_overflow
	ld	t0, HART_SCRATCH0(tp)
	addi	sp, sp, -TF_SIZE
	sd	t0, 5*8(sp)
	addi	t0, sp, TF_SIZE
	sd	t0, 2*8(sp)		/* the interrupted sp */
	sd	tp, 4*8(sp)
	SAVE_GPRS
	SAVE_CSRS
	mv	a0, sp
	call	trap_dispatch

	/* Return to the interrupted kernel code. */
	ld	t0, TF_SEPC(sp)
	csrw	sepc, t0
	ld	t0, TF_SSTATUS(sp)
	csrw	sstatus, t0
	ld	ra, 1*8(sp)
	ld	gp, 3*8(sp)
	ld	t0, 5*8(sp)
	ld	t1, 6*8(sp)
	ld	t2, 7*8(sp)
	ld	s0, 8*8(sp)
	ld	s1, 9*8(sp)
	ld	a0, 10*8(sp)
	ld	a1, 11*8(sp)
	ld	a2, 12*8(sp)
	ld	a3, 13*8(sp)
	ld	a4, 14*8(sp)
	ld	a5, 15*8(sp)
	ld	a6, 16*8(sp)
	ld	a7, 17*8(sp)
	ld	s2, 18*8(sp)
	ld	s3, 19*8(sp)
	ld	s4, 20*8(sp)
	ld	s5, 21*8(sp)
	ld	s6, 22*8(sp)
	ld	s7, 23*8(sp)
	ld	s8, 24*8(sp)
	ld	s9, 25*8(sp)
	ld	s10, 26*8(sp)
	ld	s11, 27*8(sp)
	ld	t3, 28*8(sp)
	ld	t4, 29*8(sp)
	ld	t5, 30*8(sp)
	ld	t6, 31*8(sp)
	ld	sp, 2*8(sp)
	sret

	/* Save everything on the hart's emergency stack; t0 is already in
	 * HART_SCRATCH0. Used when the current stack cannot be trusted. */
	.macro EMERGENCY_SAVE
	sd	sp, HART_SCRATCH1(tp)
	ld	sp, HART_EMERGENCY_TOP(tp)
	addi	sp, sp, -TF_SIZE
	ld	t0, HART_SCRATCH0(tp)
	sd	t0, 5*8(sp)
	ld	t0, HART_SCRATCH1(tp)
	sd	t0, 2*8(sp)
	sd	tp, 4*8(sp)
	SAVE_GPRS
	SAVE_CSRS
	mv	a0, sp
	.endm

trap_stack_overflow:
	EMERGENCY_SAVE
	call	trap_kernel_stack_overflow	/* does not return */
	j	trap_halt

trap_from_user:
	/* tp = this hart (it was in sscratch), sscratch = the user's tp.
	 * Save the user registers into the running user context, then
	 * return from user_enter() on the kernel stack it left. */
	sd	t0, HART_SCRATCH0(tp)
	ld	t0, HART_UREGS(tp)
	sd	ra, 1*8(t0)
	sd	sp, 2*8(t0)
	sd	gp, 3*8(t0)
	sd	t1, 6*8(t0)
	sd	t2, 7*8(t0)
	sd	s0, 8*8(t0)
	sd	s1, 9*8(t0)
	sd	a0, 10*8(t0)
	sd	a1, 11*8(t0)
	sd	a2, 12*8(t0)
	sd	a3, 13*8(t0)
	sd	a4, 14*8(t0)
	sd	a5, 15*8(t0)
	sd	a6, 16*8(t0)
	sd	a7, 17*8(t0)
	sd	s2, 18*8(t0)
	sd	s3, 19*8(t0)
	sd	s4, 20*8(t0)
	sd	s5, 21*8(t0)
	sd	s6, 22*8(t0)
	sd	s7, 23*8(t0)
	sd	s8, 24*8(t0)
	sd	s9, 25*8(t0)
	sd	s10, 26*8(t0)
	sd	s11, 27*8(t0)
	sd	t3, 28*8(t0)
	sd	t4, 29*8(t0)
	sd	t5, 30*8(t0)
	sd	t6, 31*8(t0)
	csrr	t1, sscratch
	sd	t1, 4*8(t0)		/* user tp */
	ld	t1, HART_SCRATCH0(tp)
	sd	t1, 5*8(t0)		/* user t0 */
	csrw	sscratch, zero		/* back in the kernel */
	csrr	t1, sepc
	sd	t1, UREGS_PC(t0)
	/* Floating point: user_run saves it if the program changed it. */
	ld	sp, HART_KERNEL_SP(tp)
	csrr	t1, scause
	li	t2, CAUSE_ECALL_U
	beq	t1, t2, user_ecall
	sd	t1, HART_UCAUSE(tp)
	csrr	t2, stval
	sd	t2, HART_UTVAL(tp)
	j	user_enter_return

user_ecall:
	/* A system call runs here, on the stack user_enter left, and goes
	 * straight back to user mode when nothing else is due: no return
	 * through user_enter and user_run (frame/user/user.c sets ucause
	 * when it does return). */
	mv	a0, t0
	mv	s1, t0			/* callee-saved: the regs, whichever hart we wake on */
	li	fp, 0			/* a backtrace ends here, not in user values */
	call	user_syscall_trap
	beqz	a0, user_enter_return
	mv	a0, s1
	j	user_reenter

trap_halt:
	wfi
	j	trap_halt
