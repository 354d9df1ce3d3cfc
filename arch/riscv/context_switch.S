/* context_switch(from, to): saves the callee-saved registers, ra and sp in
 * *from and resumes *to where it last switched away (or at its start).
 * struct task_context (frame/task/task_internal.h): ra, sp, s0..s11. */
	.text
	.globl	context_switch
context_switch:
	sd	ra, 0*8(a0)
	sd	sp, 1*8(a0)
	sd	s0, 2*8(a0)
	sd	s1, 3*8(a0)
	sd	s2, 4*8(a0)
	sd	s3, 5*8(a0)
	sd	s4, 6*8(a0)
	sd	s5, 7*8(a0)
	sd	s6, 8*8(a0)
	sd	s7, 9*8(a0)
	sd	s8, 10*8(a0)
	sd	s9, 11*8(a0)
	sd	s10, 12*8(a0)
	sd	s11, 13*8(a0)
	ld	ra, 0*8(a1)
	ld	sp, 1*8(a1)
	ld	s0, 2*8(a1)
	ld	s1, 3*8(a1)
	ld	s2, 4*8(a1)
	ld	s3, 5*8(a1)
	ld	s4, 6*8(a1)
	ld	s5, 7*8(a1)
	ld	s6, 8*8(a1)
	ld	s7, 9*8(a1)
	ld	s8, 10*8(a1)
	ld	s9, 11*8(a1)
	ld	s10, 12*8(a1)
	ld	s11, 13*8(a1)
	ret

/* A new task's first return lands here: s1 = fn, s2 = arg. The switch
 * carried the scheduler lock: task_first_run drops it (and takes the BKL). */
	.globl	task_trampoline
task_trampoline:
	li	fp, 0
	call	task_first_run
	mv	a0, s2
	jalr	s1
	call	task_exit
