/* MMIO handle operations. Each access is decoded (handle, rights, range,
 * alignment) before the single volatile load or store that commits it. */
#include <frame/errno.h>
#include <frame/mmio.h>
#include "cap/cap_table.h"

/* Decode step: the entry if the access is allowed, else NULL (logged). */
static struct cap_entry *decode(mmio_t h, uint64_t off, unsigned width, unsigned right, int *err)
{
	struct cap_entry *e = cap_lookup(h.raw, CAP_KIND_MMIO, err);

	if (!e)
		return NULL;
	if (!(e->rights & right)) {
		cap_refuse(e, right == CAP_READ ? "read without CAP_READ" : "write without CAP_WRITE", off);
		*err = -EACCES;
		return NULL;
	}
	if (off >= e->mmio.size || e->mmio.size - off < width || (off & (width - 1))) {
		cap_refuse(e, "access outside the region or misaligned", off);
		*err = -ERANGE;
		return NULL;
	}
	return e;
}

static bool width_ok(unsigned width)
{
	return width == 1 || width == 2 || width == 4 || width == 8;
}

int mmio_try_read(mmio_t h, uint64_t off, unsigned width, uint64_t *val)
{
	int err = -EINVAL;
	struct cap_entry *e = width_ok(width) ? decode(h, off, width, CAP_READ, &err) : NULL;
	uintptr_t va;

	if (!e)
		return err;
	va = e->mmio.va + off;
	switch (width) {
	case 1: *val = *(volatile uint8_t *)va; break;
	case 2: *val = *(volatile uint16_t *)va; break;
	case 4: *val = *(volatile uint32_t *)va; break;
	default: *val = *(volatile uint64_t *)va; break;
	}
	return 0;
}

int mmio_try_write(mmio_t h, uint64_t off, unsigned width, uint64_t val)
{
	int err = -EINVAL;
	struct cap_entry *e = width_ok(width) ? decode(h, off, width, CAP_WRITE, &err) : NULL;
	uintptr_t va;

	if (!e)
		return err;
	va = e->mmio.va + off;
	switch (width) {
	case 1: *(volatile uint8_t *)va = (uint8_t)val; break;
	case 2: *(volatile uint16_t *)va = (uint16_t)val; break;
	case 4: *(volatile uint32_t *)va = (uint32_t)val; break;
	default: *(volatile uint64_t *)va = val; break;
	}
	return 0;
}

/* The plain accessors: a refused read yields all ones, like a bus error. */
#define MMIO_ACCESSORS(bits, bytes)                                              \
	uint##bits##_t mmio_read##bits(mmio_t h, uint64_t off)                   \
	{                                                                        \
		uint64_t v = 0;                                                  \
		return mmio_try_read(h, off, bytes, &v) ? (uint##bits##_t)~0ULL \
							: (uint##bits##_t)v;     \
	}                                                                        \
	void mmio_write##bits(mmio_t h, uint64_t off, uint##bits##_t val)        \
	{                                                                        \
		(void)!mmio_try_write(h, off, bytes, val);                       \
	}

MMIO_ACCESSORS(8, 1)
MMIO_ACCESSORS(16, 2)
MMIO_ACCESSORS(32, 4)
MMIO_ACCESSORS(64, 8)

int mmio_derive(mmio_t h, uint64_t off, uint64_t size, unsigned rights, mmio_t *out)
{
	int err;
	struct cap_entry *parent = cap_lookup(h.raw, CAP_KIND_MMIO, &err), *child;

	if (!parent)
		return err;
	if (!(parent->rights & CAP_DERIVE)) {
		cap_refuse(parent, "derive without CAP_DERIVE", off);
		return -EACCES;
	}
	if ((rights & ~parent->rights) || size == 0 || off >= parent->mmio.size ||
	    parent->mmio.size - off < size) {
		cap_refuse(parent, "derive wider than the parent", off);
		return -EINVAL;
	}
	child = cap_alloc(CAP_KIND_MMIO, rights, parent->holder, cap_slot(parent), &out->raw);
	if (!child)
		return -ENOSPC;
	child->mmio.pa = parent->mmio.pa + off;
	child->mmio.size = size;
	child->mmio.va = parent->mmio.va + off;
	return 0;
}

int mmio_revoke(mmio_t h)
{
	/* The window stays mapped for the frame; only the handles die. */
	return cap_revoke(h.raw, CAP_KIND_MMIO, NULL);
}

uint64_t mmio_size(mmio_t h)
{
	int err;
	struct cap_entry *e = cap_lookup(h.raw, CAP_KIND_MMIO, &err);

	return e ? e->mmio.size : 0;
}
