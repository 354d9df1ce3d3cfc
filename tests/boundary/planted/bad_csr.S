/* PLANTED VIOLATION (boundary.planted.instructions): a privileged CSR write
 * in a service object. */
	.text
	.globl planted_clear_sstatus
planted_clear_sstatus:
	csrw	sstatus, zero
	ret
