/* Saving and loading the user's floating-point registers. The kernel itself
 * is built without F/D and never touches them. a0 = struct user_regs *. */
#include <arch/trapframe.h>

	.option	push
	.option	arch, +d
	.text
	.globl	fpu_save, fpu_restore
fpu_save:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, (UREGS_F0 + \n * 8)(a0)
	.endr
	frcsr	t0
	sd	t0, UREGS_FCSR(a0)
	ret

fpu_restore:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, (UREGS_F0 + \n * 8)(a0)
	.endr
	ld	t0, UREGS_FCSR(a0)
	fscsr	t0
	ret
	.option	pop
