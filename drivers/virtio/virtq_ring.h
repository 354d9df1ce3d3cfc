/* Split-virtqueue ring arithmetic, pure and host-testable (tests/host).
 *
 * One queue lives in one DMA buffer in the legacy layout (virtio 1.x
 * section 2.7 and the legacy interface's 4 KiB alignment), which suits both
 * transports: the descriptor table at 0, the available ring right after
 * it, the used ring at the next 4 KiB boundary. Indices are free-running
 * 16-bit counters; a ring slot is the index modulo the queue size. */
#ifndef DRIVERS_VIRTIO_VIRTQ_RING_H
#define DRIVERS_VIRTIO_VIRTQ_RING_H

#include <frame/types.h>

#define VIRTQ_ALIGN 4096u
#define VIRTQ_DESC_SIZE 16u
#define VIRTQ_USED_ELEM_SIZE 8u
#define VIRTQ_DESC_F_NEXT 1u
#define VIRTQ_DESC_F_WRITE 2u

struct virtq_layout {
	uint64_t desc, avail, used; /* byte offsets in the buffer */
	uint64_t size;              /* bytes the whole queue needs */
};

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

/* num: a power of two, at most 32768. */
static inline struct virtq_layout virtq_layout_of(unsigned num)
{
	struct virtq_layout l;

	l.desc = 0;
	l.avail = (uint64_t)VIRTQ_DESC_SIZE * num;
	/* flags, idx, ring[num], used_event */
	l.used = ALIGN_UP(l.avail + 4 + 2 * (uint64_t)num + 2, (uint64_t)VIRTQ_ALIGN);
	/* flags, idx, ring[num], avail_event */
	l.size = l.used + 4 + (uint64_t)VIRTQ_USED_ELEM_SIZE * num + 2;
	return l;
}

static inline uint64_t virtq_avail_slot(const struct virtq_layout *l, unsigned num, uint16_t idx)
{
	return l->avail + 4 + 2 * (uint64_t)(idx & (num - 1));
}

static inline uint64_t virtq_used_slot(const struct virtq_layout *l, unsigned num, uint16_t idx)
{
	return l->used + 4 + (uint64_t)VIRTQ_USED_ELEM_SIZE * (idx & (num - 1));
}

/* Entries the device has used and the driver not yet seen. More than the
 * driver has outstanding means a broken device: the caller refuses it. */
static inline uint16_t virtq_used_pending(uint16_t used_idx, uint16_t last_seen)
{
	return (uint16_t)(used_idx - last_seen);
}

/* The largest power of two <= max and <= cap (0 if max is 0). */
static inline unsigned virtq_pick_size(unsigned max, unsigned cap)
{
	unsigned n = 1;

	if (max == 0)
		return 0;
	while (n * 2 <= max && n * 2 <= cap)
		n *= 2;
	return n;
}

#endif
