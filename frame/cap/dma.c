/* DMA buffer handles. A root buffer is a block of whole pages from the page
 * allocator (untyped memory: never a kernel object or a user page), zeroed
 * so a device cannot read what the pages held before. Every use is decoded
 * (handle, rights, range) before the one copy or access that commits it. */
#include <frame/dma.h>
#include <frame/errno.h>
#include <string.h>
#include "cap/cap_table.h"
#include "mm/pmm.h"

/* Decode step: the entry if [off, off + len) of it may be accessed with
 * right, else NULL (logged against the holder). */
static struct cap_entry *decode(dma_t h, uint64_t off, uint64_t len, unsigned right, int *err)
{
	struct cap_entry *e = cap_lookup(h.raw, CAP_KIND_DMA, err);

	if (!e)
		return NULL;
	if (!(e->rights & right)) {
		cap_refuse(e, right == CAP_READ ? "DMA read without CAP_READ"
						: "DMA write without CAP_WRITE", off);
		*err = -EACCES;
		return NULL;
	}
	if (off > e->dma.size || e->dma.size - off < len) {
		cap_refuse(e, "DMA access outside the buffer", off);
		*err = -ERANGE;
		return NULL;
	}
	return e;
}

static unsigned order_for(uint64_t size)
{
	unsigned order = 0;

	while ((PMM_PAGE_SIZE << order) < size)
		order++;
	return order;
}

int dma_grant(unsigned holder, uint64_t size, uint64_t *raw)
{
	unsigned order = order_for(size);
	struct cap_entry *e;
	paddr_t pa;

	if (size == 0 || order > PMM_MAX_ORDER)
		return -EINVAL;
	if (!(pa = pmm_alloc_zeroed(order)))
		return -ENOMEM;
	e = cap_alloc(CAP_KIND_DMA, CAP_RIGHTS_ALL, holder, -1, raw);
	if (!e) {
		pmm_free(pa, order);
		return -ENOSPC;
	}
	e->dma.pa = pa;
	e->dma.size = PMM_PAGE_SIZE << order;
	e->dma.va = (uintptr_t)pmm_to_virt(pa);
	e->dma.order = (int)order;
	return 0;
}

int dma_copy_in(dma_t h, uint64_t off, const void *src, size_t len)
{
	int err;
	struct cap_entry *e = decode(h, off, len, CAP_WRITE, &err);

	if (!e)
		return err;
	memcpy((void *)(e->dma.va + off), src, len);
	return 0;
}

int dma_copy_out(dma_t h, uint64_t off, void *dst, size_t len)
{
	int err;
	struct cap_entry *e = decode(h, off, len, CAP_READ, &err);

	if (!e)
		return err;
	memcpy(dst, (const void *)(e->dma.va + off), len);
	return 0;
}

int dma_zero(dma_t h, uint64_t off, size_t len)
{
	int err;
	struct cap_entry *e = decode(h, off, len, CAP_WRITE, &err);

	if (!e)
		return err;
	memset((void *)(e->dma.va + off), 0, len);
	return 0;
}

/* The single-access forms: width-aligned, so the load or store is one
 * single-copy-atomic access the device cannot tear. */
static volatile void *access_at(dma_t h, uint64_t off, unsigned width, unsigned right)
{
	int err;
	struct cap_entry *e = decode(h, off, width, right, &err);

	if (e && (off & (width - 1))) {
		cap_refuse(e, "misaligned DMA access", off);
		e = NULL;
	}
	return e ? (volatile void *)(e->dma.va + off) : NULL;
}

uint16_t dma_read16(dma_t h, uint64_t off)
{
	volatile uint16_t *p = access_at(h, off, 2, CAP_READ);
	return p ? *p : 0xffff;
}

uint32_t dma_read32(dma_t h, uint64_t off)
{
	volatile uint32_t *p = access_at(h, off, 4, CAP_READ);
	return p ? *p : 0xffffffffu;
}

void dma_write16(dma_t h, uint64_t off, uint16_t val)
{
	volatile uint16_t *p = access_at(h, off, 2, CAP_WRITE);
	if (p)
		*p = val;
}

void dma_write32(dma_t h, uint64_t off, uint32_t val)
{
	volatile uint32_t *p = access_at(h, off, 4, CAP_WRITE);
	if (p)
		*p = val;
}

int dma_device_addr(dma_t h, uint64_t off, uint64_t *addr)
{
	int err;
	struct cap_entry *e = cap_lookup(h.raw, CAP_KIND_DMA, &err);

	if (!e)
		return err;
	if (off >= e->dma.size) {
		cap_refuse(e, "device address outside the buffer", off);
		return -ERANGE;
	}
	*addr = e->dma.pa + off;
	return 0;
}

uint64_t dma_size(dma_t h)
{
	int err;
	struct cap_entry *e = cap_lookup(h.raw, CAP_KIND_DMA, &err);

	return e ? e->dma.size : 0;
}

int dma_derive(dma_t h, uint64_t off, uint64_t size, unsigned rights, dma_t *out)
{
	int err;
	struct cap_entry *parent = cap_lookup(h.raw, CAP_KIND_DMA, &err), *child;

	if (!parent)
		return err;
	if (!(parent->rights & CAP_DERIVE)) {
		cap_refuse(parent, "derive without CAP_DERIVE", off);
		return -EACCES;
	}
	if ((rights & ~parent->rights) || size == 0 || off >= parent->dma.size ||
	    parent->dma.size - off < size) {
		cap_refuse(parent, "derive wider than the parent", off);
		return -EINVAL;
	}
	child = cap_alloc(CAP_KIND_DMA, rights, parent->holder, cap_slot(parent), &out->raw);
	if (!child)
		return -ENOSPC;
	child->dma.pa = parent->dma.pa + off;
	child->dma.size = size;
	child->dma.va = parent->dma.va + off;
	child->dma.order = -1;
	return 0;
}

static void release_pages(struct cap_entry *e)
{
	/* Only a root owns pages; its children were revoked just before. */
	if (e->dma.order >= 0)
		pmm_free(e->dma.pa, (unsigned)e->dma.order);
}

int dma_revoke(dma_t h)
{
	return cap_revoke(h.raw, CAP_KIND_DMA, release_pages);
}
