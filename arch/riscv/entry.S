/* The first instructions: the Linux RISC-V Image header, then the boot hart's
 * way from "MMU off, somewhere in RAM" to frame_main() in the higher half.
 *
 * On entry (Linux boot protocol): a0 = boot hart id, a1 = physical address of
 * the device tree, S-mode, satp = 0. The image may sit at any 2 MiB aligned
 * address; all code up to the jump below is position independent (medany,
 * PC-relative only). */
#include <arch/csr.h>
#include <arch/layout.h>

#define SBI_EXT_HSM_ID 0x48534D

	.option norvc		/* the header's code0 must be one 4-byte jump */
	.section .head.text, "ax"
	.globl _start
_start:
	j	boot_entry		/* code0 */
	.word	0			/* code1 */
	.dword	IMAGE_TEXT_OFFSET	/* text_offset */
	.dword	_image_size		/* image_size, BSS included */
	.dword	0			/* flags: little endian */
	.word	2			/* version 0.2 */
	.word	0			/* res1 */
	.dword	0			/* res2 */
	.ascii	"RISCV\0\0\0"		/* magic (deprecated, still checked) */
	.ascii	"RSC\x05"		/* magic2 */
	.word	0			/* res3: no PE header */
	.option rvc

	.section .boot.text, "ax"
boot_entry:
	csrw	sie, zero
	csrw	sip, zero
	/* One hart boots. Firmware is meant to send only one here, but QEMU's
	 * OpenSBI lottery has been seen to let a second one through: the
	 * first to arrive wins (the word is in .data: BSS is zeroed by the
	 * winner), a loser goes back to the firmware's stopped state, from
	 * where SBI HSM hart_start brings it in through secondary_entry. */
	la	t0, boot_lottery
	li	t1, 1
	amoadd.w t1, t1, (t0)
	bnez	t1, boot_lost
	mv	s3, a0			/* hart id (not s0: that is fp) */
	mv	s1, a1			/* FDT physical address */
	/* A trap before paging (a device tree address naming no memory) is
	 * reported on the firmware console, never a silent hang. */
	la	sp, boot_stack_top
	la	t0, early_trap
	csrw	stvec, t0

	/* Zero BSS (the early page tables and boot stack live there). */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:
	la	sp, boot_stack_top
	la	s2, _start		/* physical load address */
	mv	a0, s2
	mv	a1, s1
	call	early_map		/* a0 = satp value, or 0 on failure */
	beqz	a0, boot_fail

	/* Absolute (link-time) address of boot_high: valid once paging is on. */
	la	t0, boot_high_addr
	ld	t0, 0(t0)
	csrw	stvec, t0
	sfence.vma
	csrw	satp, a0
	sfence.vma
	jr	t0

boot_fail:
	call	early_halt		/* says why, via the SBI console */

boot_halt:
	wfi
	j	boot_halt

boot_lost:
	li	a7, SBI_EXT_HSM_ID
	li	a6, 1			/* hart_stop: does not return on success */
	ecall
	j	boot_halt

	/* A secondary hart, started by SBI HSM hart_start (frame/smp/hart.c):
	 * a0 = hart id, a1 = physical address of its struct secondary_boot
	 * { satp, sp, tp, entry }, MMU off. Loading satp makes the next fetch
	 * (a physical address the kernel table does not map) fault to stvec,
	 * which is the entry's virtual address: that is the jump. */
	.globl secondary_entry
secondary_entry:
	csrw	sie, zero
	csrw	sscratch, zero
	ld	t0, 0(a1)
	ld	sp, 8(a1)
	ld	tp, 16(a1)
	ld	t1, 24(a1)
	csrw	stvec, t1
	sfence.vma
	csrw	satp, t0
	sfence.vma
	jr	t1			/* reached only if this page were mapped */

	.section .data
	.balign 4
boot_lottery:
	.word	0

	.section .rodata
	.balign 8
boot_high_addr:
	.dword	boot_high

	.text
boot_high:
	/* Running at the link address now: PC-relative 'la' yields virtual addresses. */
	la	sp, boot_stack_top
	mv	a0, s3
	mv	a1, s1
	mv	a2, s2
	li	fp, 0			/* ends the backtrace here */
	call	frame_main
	j	boot_halt

	.balign	4			/* stvec needs it */
	.globl	secondary_high
secondary_high:
	li	fp, 0
	call	hart_secondary_main	/* does not return */
	j	boot_halt

	/* The boot stack is used only until the frame moves to a guarded stack. */
	.section .bss.boot_stack, "aw", @nobits
	.balign	4096
	.globl boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip	KSTACK_SIZE
boot_stack_top:
