/* A split virtqueue in one DMA buffer. The driver keeps its own shadow of
 * the free list and of what each descriptor chain belongs to, so nothing
 * the device writes into the ring (ids, lengths) is trusted without a
 * check. Caller must: serialize virtq_add and virtq_get_used (the device
 * driver's lock; completion runs in its interrupt handler). */
#ifndef DRIVERS_VIRTIO_VIRTQUEUE_H
#define DRIVERS_VIRTIO_VIRTQUEUE_H

#include <frame/device.h>
#include <frame/dma.h>
#include "virtq_ring.h"

#define VIRTQ_MAX_SIZE 128u

struct virtq {
	dma_t ring;
	struct virtq_layout layout;
	unsigned num;
	unsigned index;       /* queue number on the transport */
	uint16_t free_head;   /* first free descriptor */
	uint16_t num_free;
	uint16_t avail_idx;   /* next available-ring index to publish */
	uint16_t last_used;   /* next used-ring index to consume */
	uint16_t next[VIRTQ_MAX_SIZE];      /* free-list and chain links */
	uint16_t chain_len[VIRTQ_MAX_SIZE]; /* by chain head; 0 = not in flight */
	void *cookie[VIRTQ_MAX_SIZE];
};

/* One buffer of a chain: device address, length, device-writable or not. */
struct virtq_buf {
	uint64_t addr;
	uint32_t len;
	bool device_writes;
};

int virtq_init(struct virtq *q, struct device *dev, unsigned index, unsigned num);
/* Makes the chain bufs[0..n) available to the device with cookie (not
 * NULL); -EAGAIN if fewer than n descriptors are free. Notify afterwards. */
int virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n, void *cookie);
/* The cookie of the next chain the device used, with the byte count it
 * wrote in *len, or NULL when there is none. */
void *virtq_get_used(struct virtq *q, uint32_t *len);
/* Device addresses of the three rings (for the transport). */
int virtq_addrs(struct virtq *q, uint64_t *desc, uint64_t *avail, uint64_t *used);

#endif
