/* stack_switch(top, fn): continue on another stack, in fn(), never returning. */
	.text
	.globl	stack_switch
stack_switch:
	mv	sp, a0
	li	fp, 0
	li	ra, 0
	jr	a1
