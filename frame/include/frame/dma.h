/* DMA buffer handles: memory a device reads and writes by bus address.
 *
 * A service never gets a pointer to DMA memory. It gives the device the
 * buffer's device address (dma_device_addr) and moves data between its own
 * kernel memory and the buffer with range-checked copies; ring indices the
 * device updates concurrently are read and written with the single-copy
 * atomic dma_read16/32 and dma_write16/32.
 *
 * Invariants:
 *   1. The buffer is untyped memory: whole zeroed pages from the page
 *      allocator, never kernel objects, page tables or user pages, so a
 *      device told to write anywhere in it can corrupt only that buffer.
 *   2. Every copy and access lies inside the handle's range
 *      (off + len <= size, no wrap-around); a refused one is logged against
 *      the holder and copies nothing.
 *   3. Copies in need CAP_WRITE, copies out CAP_READ; a derived handle has
 *      a subrange and a subset of its parent's rights.
 *   4. The memory returns to the allocator only when the root handle (from
 *      device_dma) is revoked, which also revokes every handle derived
 *      from it. Caller must: stop the device using the buffer first (reset
 *      it), since a device address cannot be revoked from the device.
 *   5. Device and CPU see the same memory (coherent DMA: QEMU virt; any
 *      cache maintenance a SoC needs is done inside these calls).
 *
 * Ordering: buffer stores become visible to the device in program order
 * only after dma_wmb(); a driver calls it between filling a ring and the
 * MMIO write that notifies the device, and dma_rmb() between reading a
 * device-written index (or interrupt status) and reading what it covers. */
#ifndef FRAME_DMA_H
#define FRAME_DMA_H

#include <frame/cap.h>

typedef struct dma_handle {
	uint64_t raw;
} dma_t;

/* dma_copy_in: len bytes from src into the buffer at off (CAP_WRITE).
 * dma_copy_out: len bytes of the buffer at off into dst (CAP_READ).
 * 0, or -ESTALE, -EACCES, -ERANGE (nothing copied). */
int dma_copy_in(dma_t h, uint64_t off, const void *src, size_t len) __must_check;
int dma_copy_out(dma_t h, uint64_t off, void *dst, size_t len) __must_check;
/* dma_zero: clears len bytes at off (CAP_WRITE). */
int dma_zero(dma_t h, uint64_t off, size_t len) __must_check;

/* Single loads and stores, aligned to their width (device-updated ring
 * indices). A refused read returns all ones; a refused write does nothing. */
uint16_t dma_read16(dma_t h, uint64_t off);
uint32_t dma_read32(dma_t h, uint64_t off);
void dma_write16(dma_t h, uint64_t off, uint16_t val);
void dma_write32(dma_t h, uint64_t off, uint32_t val);

/* The address the device uses for byte off of the buffer (off < size). */
int dma_device_addr(dma_t h, uint64_t off, uint64_t *addr) __must_check;
uint64_t dma_size(dma_t h);
/* A narrower handle: [off, off + size) of h, rights a subset (CAP_DERIVE). */
int dma_derive(dma_t h, uint64_t off, uint64_t size, unsigned rights, dma_t *out) __must_check;
/* Invalidates h and everything derived from it; for a root handle the
 * pages go back to the allocator (see invariant 4). */
int dma_revoke(dma_t h);

/* Barriers between buffer accesses and device (MMIO) accesses. */
void dma_wmb(void); /* earlier memory and MMIO writes before later writes */
void dma_rmb(void); /* earlier memory and MMIO reads before later reads */
void dma_mb(void);  /* all earlier accesses before all later ones */

#endif
