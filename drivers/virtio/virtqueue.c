/* Split virtqueues (virtio 1.x section 2.7): descriptors are written with
 * copies into the queue's DMA buffer, the indices the device shares with
 * single 16-bit stores and loads, with a barrier between a ring entry and
 * the index that publishes it. */
#include <frame/errno.h>
#include <frame/log.h>
#include <string.h>
#include "virtqueue.h"

int virtq_init(struct virtq *q, struct device *dev, unsigned index, unsigned num)
{
	int err;

	if (num == 0 || num > VIRTQ_MAX_SIZE || (num & (num - 1)))
		return -EINVAL;
	memset(q, 0, sizeof(*q));
	q->num = num;
	q->index = index;
	q->layout = virtq_layout_of(num);
	if ((err = device_dma(dev, q->layout.size, &q->ring)))
		return err;
	for (unsigned i = 0; i < num; i++)
		q->next[i] = (uint16_t)(i + 1);
	q->num_free = (uint16_t)num;
	return 0;
}

int virtq_addrs(struct virtq *q, uint64_t *desc, uint64_t *avail, uint64_t *used)
{
	int err = dma_device_addr(q->ring, q->layout.desc, desc);

	if (!err)
		err = dma_device_addr(q->ring, q->layout.avail, avail);
	if (!err)
		err = dma_device_addr(q->ring, q->layout.used, used);
	return err;
}

static int write_desc(struct virtq *q, uint16_t i, const struct virtq_buf *b, bool more)
{
	struct virtq_desc d = {
		.addr = b->addr,
		.len = b->len,
		.flags = (uint16_t)((more ? VIRTQ_DESC_F_NEXT : 0) |
				    (b->device_writes ? VIRTQ_DESC_F_WRITE : 0)),
		.next = more ? q->next[i] : 0,
	};

	return dma_copy_in(q->ring, q->layout.desc + (uint64_t)VIRTQ_DESC_SIZE * i, &d, sizeof(d));
}

int virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n, void *cookie)
{
	uint16_t head = q->free_head, i = head;
	int err;

	if (n == 0 || !cookie)
		return -EINVAL;
	if (n > q->num_free)
		return -EAGAIN;
	for (unsigned k = 0; k < n; k++) {
		if ((err = write_desc(q, i, &bufs[k], k + 1 < n)))
			return err;
		if (k + 1 < n)
			i = q->next[i];
	}
	q->free_head = q->next[i];
	q->num_free = (uint16_t)(q->num_free - n);
	q->cookie[head] = cookie;
	q->chain_len[head] = (uint16_t)n;
	dma_write16(q->ring, virtq_avail_slot(&q->layout, q->num, q->avail_idx), head);
	dma_wmb(); /* the ring entry before the index that makes it visible */
	q->avail_idx++;
	dma_write16(q->ring, q->layout.avail + 2, q->avail_idx);
	return 0;
}

/* Puts the chain starting at head back on the free list. */
static void free_chain(struct virtq *q, uint16_t head)
{
	uint16_t last = head;

	for (unsigned k = 1; k < q->chain_len[head]; k++)
		last = q->next[last];
	q->next[last] = q->free_head;
	q->free_head = head;
	q->num_free = (uint16_t)(q->num_free + q->chain_len[head]);
	q->chain_len[head] = 0;
	q->cookie[head] = NULL;
}

void *virtq_get_used(struct virtq *q, uint32_t *len)
{
	struct virtq_used_elem e;

	/* A bogus entry is logged and skipped, never followed. */
	while (virtq_used_pending(dma_read16(q->ring, q->layout.used + 2), q->last_used)) {
		void *cookie;
		dma_rmb(); /* the index before the entry it covers */
		if (dma_copy_out(q->ring, virtq_used_slot(&q->layout, q->num, q->last_used), &e,
				 sizeof(e)))
			return NULL;
		q->last_used++;
		if (e.id >= q->num || !q->chain_len[e.id]) {
			pr_err("virtq %u: device used descriptor %u that is not in flight\n",
			       q->index, e.id);
			continue;
		}
		cookie = q->cookie[e.id];
		free_chain(q, (uint16_t)e.id);
		*len = e.len;
		return cookie;
	}
	return NULL;
}
