/* Copies between kernel and user memory. A fault inside one of these
 * routines does not panic: the trap handler finds the faulting pc in
 * uaccess_fixups and resumes at the routine's landing pad, which returns an
 * error. The caller has already checked that the user range is below the
 * user limit, so only unmapped or protected user pages can fault here. */
#include <arch/csr.h>

	.text
/* size_t uaccess_copy(void *dst, const void *src, size_t n):
 * returns the number of bytes NOT copied (0 on success).
 * When dst and src share their alignment mod 8 (nearly always: buffers
 * are aligned), bytes up to the first 8-byte boundary, then 64 bytes per
 * round in doublewords, a 32-byte round, doublewords, then the tail in bytes: a byte loop cost six
 * instructions a byte, the whole of a pipe's bandwidth. a3 counts what is
 * left and drops only after a store, so after a fault it is never less
 * than what was not copied. */
	.globl	uaccess_copy
uaccess_copy:
	li	t0, SSTATUS_SUM
	csrs	sstatus, t0
	mv	a3, a2
	xor	t2, a0, a1
	andi	t2, t2, 7
	bnez	t2, .Lcopy_bytes	/* different alignments: bytes only */
.Lcopy_head:
	andi	t2, a0, 7
	beqz	t2, .Lcopy_words
	beqz	a3, .Lcopy_done
	lbu	t1, 0(a1)
	sb	t1, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a3, a3, -1
	j	.Lcopy_head
.Lcopy_words:
	li	t2, 64
.Lcopy_words_loop:
	bltu	a3, t2, .Lcopy_round32
	ld	t1, 0(a1)
	ld	t3, 8(a1)
	ld	t4, 16(a1)
	ld	t5, 24(a1)
	ld	t6, 32(a1)
	ld	a4, 40(a1)
	ld	a5, 48(a1)
	ld	a6, 56(a1)
	sd	t1, 0(a0)
	sd	t3, 8(a0)
	sd	t4, 16(a0)
	sd	t5, 24(a0)
	sd	t6, 32(a0)
	sd	a4, 40(a0)
	sd	a5, 48(a0)
	sd	a6, 56(a0)
	addi	a0, a0, 64
	addi	a1, a1, 64
	addi	a3, a3, -64
	j	.Lcopy_words_loop
.Lcopy_round32:
	li	t2, 32
	bltu	a3, t2, .Lcopy_dwords
	ld	t1, 0(a1)
	ld	t3, 8(a1)
	ld	t4, 16(a1)
	ld	t5, 24(a1)
	sd	t1, 0(a0)
	sd	t3, 8(a0)
	sd	t4, 16(a0)
	sd	t5, 24(a0)
	addi	a0, a0, 32
	addi	a1, a1, 32
	addi	a3, a3, -32
	/* 8 to 31 bytes left (most syscall structs are that small). */
.Lcopy_dwords:
	li	t2, 8
.Lcopy_dwords_loop:
	bltu	a3, t2, .Lcopy_bytes
	ld	t1, 0(a1)
	sd	t1, 0(a0)
	addi	a0, a0, 8
	addi	a1, a1, 8
	addi	a3, a3, -8
	j	.Lcopy_dwords_loop
.Lcopy_bytes:
	beqz	a3, .Lcopy_done
	lbu	t1, 0(a1)
	sb	t1, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a3, a3, -1
	j	.Lcopy_bytes
.Lcopy_done:
.Lcopy_fault:
	li	t0, SSTATUS_SUM
	csrc	sstatus, t0
	mv	a0, a3
	ret
.Lcopy_end:

/* long uaccess_strncpy(char *dst, const char *src, size_t n):
 * copies up to n bytes, stopping after a NUL. Returns the string length
 * (without the NUL), n if no NUL came within n bytes, or -14 (EFAULT).
 * When dst and src share their alignment mod 8, whole doublewords go at
 * once while they hold no NUL ((x - 0x01..01) & ~x & 0x80..80 is zero
 * exactly then); the doubleword with the NUL, and any other tail, goes
 * byte by byte. An aligned doubleword never crosses a page, so reading
 * one past the NUL cannot fault where the bytes would not. */
	.globl	uaccess_strncpy
uaccess_strncpy:
	li	t0, SSTATUS_SUM
	csrs	sstatus, t0
	li	a3, 0
	xor	t2, a0, a1
	andi	t2, t2, 7
	seqz	a4, t2			/* a4: doublewords allowed (same alignment) */
	/* Bytes until src is aligned (then doublewords, if a4), and the tail. */
.Lstr_loop:
	beqz	a4, 1f
	add	t2, a1, a3
	andi	t2, t2, 7
	beqz	t2, .Lstr_words
1:	beq	a3, a2, .Lstr_done
	add	t2, a1, a3
	lbu	t1, 0(t2)
	add	t2, a0, a3
	sb	t1, 0(t2)
	beqz	t1, .Lstr_done
	addi	a3, a3, 1
	j	.Lstr_loop
.Lstr_words:
	li	a4, 0			/* back in the byte loop, stay there */
	li	t5, 0x0101010101010101
	slli	t6, t5, 7		/* 0x8080808080808080 */
.Lstr_words_loop:
	sub	t2, a2, a3
	li	t3, 8
	bltu	t2, t3, .Lstr_loop
	add	t2, a1, a3
	ld	t1, 0(t2)
	sub	t3, t1, t5
	not	t4, t1
	and	t3, t3, t4
	and	t3, t3, t6
	bnez	t3, .Lstr_loop		/* a NUL in this one: bytes */
	add	t2, a0, a3
	sd	t1, 0(t2)
	addi	a3, a3, 8
	j	.Lstr_words_loop
.Lstr_done:
	li	t0, SSTATUS_SUM
	csrc	sstatus, t0
	mv	a0, a3
	ret
.Lstr_fault:
	li	t0, SSTATUS_SUM
	csrc	sstatus, t0
	li	a0, -14
	ret
.Lstr_end:

	.section .rodata
	.balign	8
	.globl	uaccess_fixups, uaccess_nfixups
/* start, end, landing pad */
uaccess_fixups:
	.dword	uaccess_copy, .Lcopy_end, .Lcopy_fault
	.dword	uaccess_strncpy, .Lstr_end, .Lstr_fault
uaccess_nfixups:
	.dword	2
