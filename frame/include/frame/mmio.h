/* MMIO region handles: register access to one device's `reg` window.
 *
 * Invariants:
 *   1. Every access lies inside the region: offset + width <= size, and the
 *      offset is aligned to the width.
 *   2. Reads need CAP_READ, writes CAP_WRITE.
 *   3. The region came from the holder's own device-tree node (device_mmio) or
 *      was derived from such a handle.
 * A refused access is logged against the holder and has no effect: reads
 * return all ones (as a bus error does), the mmio_try_* forms return -errno. */
#ifndef FRAME_MMIO_H
#define FRAME_MMIO_H

#include <frame/cap.h>

typedef struct mmio_handle {
	uint64_t raw;
} mmio_t;

uint8_t mmio_read8(mmio_t h, uint64_t off);
uint16_t mmio_read16(mmio_t h, uint64_t off);
uint32_t mmio_read32(mmio_t h, uint64_t off);
uint64_t mmio_read64(mmio_t h, uint64_t off);
void mmio_write8(mmio_t h, uint64_t off, uint8_t val);
void mmio_write16(mmio_t h, uint64_t off, uint16_t val);
void mmio_write32(mmio_t h, uint64_t off, uint32_t val);
void mmio_write64(mmio_t h, uint64_t off, uint64_t val);

/* width is 1, 2, 4 or 8 bytes. */
int mmio_try_read(mmio_t h, uint64_t off, unsigned width, uint64_t *val) __must_check;
int mmio_try_write(mmio_t h, uint64_t off, unsigned width, uint64_t val) __must_check;

/* A narrower handle: [off, off + size) of h with rights a subset of h's. */
int mmio_derive(mmio_t h, uint64_t off, uint64_t size, unsigned rights, mmio_t *out) __must_check;
/* Invalidates h and every handle derived from it. */
int mmio_revoke(mmio_t h);
uint64_t mmio_size(mmio_t h);

#endif
