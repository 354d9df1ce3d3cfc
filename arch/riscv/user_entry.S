/* Entering user mode and coming back (the way back starts in trap_entry.S).
 *
 *   void user_enter(struct user_regs *regs);
 * Saves the kernel's callee-saved registers, loads regs and srets to
 * regs->pc in U-mode with interrupts enabled. A system call that the
 * frame's ecall path finishes re-enters at user_reenter instead of
 * returning, past the loads of s2-s11. The FP registers are user_run's
 * business: loaded only when they do not hold regs' state. The next trap
 * from user mode saves the user registers into *regs and returns from
 * user_enter. */
#include <arch/csr.h>
#include <arch/trapframe.h>

#define KFRAME (14 * 8)

	.text
	.globl	user_enter
user_enter:
	csrci	sstatus, SSTATUS_SIE	/* no traps until sret */
	addi	sp, sp, -KFRAME
	sd	ra, 0*8(sp)
	sd	s0, 1*8(sp)
	sd	s1, 2*8(sp)
	sd	s2, 3*8(sp)
	sd	s3, 4*8(sp)
	sd	s4, 5*8(sp)
	sd	s5, 6*8(sp)
	sd	s6, 7*8(sp)
	sd	s7, 8*8(sp)
	sd	s8, 9*8(sp)
	sd	s9, 10*8(sp)
	sd	s10, 11*8(sp)
	sd	s11, 12*8(sp)
	/* The kernel's are saved: load the user's callee-saved registers. */
	ld	s2, 18*8(a0)
	ld	s3, 19*8(a0)
	ld	s4, 20*8(a0)
	ld	s5, 21*8(a0)
	ld	s6, 22*8(a0)
	ld	s7, 23*8(a0)
	ld	s8, 24*8(a0)
	ld	s9, 25*8(a0)
	ld	s10, 26*8(a0)
	ld	s11, 27*8(a0)
	/* trap_from_user comes back here after a system call, with the
	 * kernel registers still saved, interrupts masked and s2-s11 still
	 * the user's: the call kept them, as the calling convention says
	 * (frame/user.h). The hart may be another one than before the call,
	 * so both slots are written. */
	.globl	user_reenter
user_reenter:
	sd	sp, HART_KERNEL_SP(tp)
	sd	a0, HART_UREGS(tp)

	/* U-mode, interrupts on there, no kernel access to user pages. */
	li	t0, SSTATUS_SPP | SSTATUS_SUM
	csrc	sstatus, t0
	li	t0, SSTATUS_SPIE
	csrs	sstatus, t0
	/* The FP registers hold the user's state already (user_run). */

	ld	t0, UREGS_PC(a0)
	csrw	sepc, t0
	csrw	sscratch, tp		/* the next trap comes from user mode */
	ld	ra, 1*8(a0)
	ld	sp, 2*8(a0)
	ld	gp, 3*8(a0)
	ld	tp, 4*8(a0)
	ld	t0, 5*8(a0)
	ld	t1, 6*8(a0)
	ld	t2, 7*8(a0)
	ld	s0, 8*8(a0)
	ld	s1, 9*8(a0)
	ld	a1, 11*8(a0)
	ld	a2, 12*8(a0)
	ld	a3, 13*8(a0)
	ld	a4, 14*8(a0)
	ld	a5, 15*8(a0)
	ld	a6, 16*8(a0)
	ld	a7, 17*8(a0)
	ld	t3, 28*8(a0)
	ld	t4, 29*8(a0)
	ld	t5, 30*8(a0)
	ld	t6, 31*8(a0)
	ld	a0, 10*8(a0)
	sret

	/* Reached from trap_from_user with sp = the saved kernel sp. */
	.globl	user_enter_return
user_enter_return:
	ld	ra, 0*8(sp)
	ld	s0, 1*8(sp)
	ld	s1, 2*8(sp)
	ld	s2, 3*8(sp)
	ld	s3, 4*8(sp)
	ld	s4, 5*8(sp)
	ld	s5, 6*8(sp)
	ld	s6, 7*8(sp)
	ld	s7, 8*8(sp)
	ld	s8, 9*8(sp)
	ld	s9, 10*8(sp)
	ld	s10, 11*8(sp)
	ld	s11, 12*8(sp)
	addi	sp, sp, KFRAME
	ret
