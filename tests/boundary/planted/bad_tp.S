/* PLANTED VIOLATION (boundary.planted.tp): a service keeping a copy of tp,
 * which goes stale when its task wakes on another hart. */
	.text
	.globl planted_copy_tp
planted_copy_tp:
	mv	a0, tp
	ret
