/* The split virtqueue of drivers/virtio/virtqueue.c on real DMA handles,
 * with this test playing the device: it reads the available ring and the
 * descriptor chains straight from the buffer, completes chains out of
 * order, and runs long enough for the 16-bit indices to wrap. A lying
 * device (ids out of range or not in flight) is refused, not followed. */
#include <stdlib.h>
#include <string.h>

#include <frame/device.h>
#include <frame/dma.h>
#include <frame/errno.h>
#include "cap/cap_table.h"
#include "mm/pmm.h"
#include "rng.h"
#include "stubs.h"
#include "test.h"
#include "virtqueue.h"

#define FAKE_BASE 0x80000000UL
#define PG PMM_PAGE_SIZE
#define BUF_SIZE (8UL << 20)

static unsigned char *ram;
static unsigned holder;

/* What the frame would give the driver for its node. */
int device_dma(struct device *dev, uint64_t size, dma_t *out)
{
	(void)dev;
	return dma_grant(holder, size, &out->raw);
}

void dma_wmb(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
void dma_rmb(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
void dma_mb(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

/* ---- the device's side: the ring memory as the device sees it ---- */

struct fake_dev {
	unsigned char *mem;
	uint16_t avail_seen, used_idx;
};

static unsigned char *ring_mem(struct virtq *q)
{
	int err;
	struct cap_entry *e = cap_lookup(q->ring.raw, CAP_KIND_DMA, &err);

	CHECK(e != NULL);
	return e ? (unsigned char *)e->dma.va : NULL;
}

static uint16_t rd16(const unsigned char *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static void wr16(unsigned char *p, uint16_t v) { memcpy(p, &v, 2); }

/* Takes the next available chain: its head, checked against want[]. */
static int dev_pop(struct virtq *q, struct fake_dev *d, const struct virtq_buf *want, unsigned n)
{
	const struct virtq_layout *l = &q->layout;
	uint16_t idx = rd16(d->mem + l->avail + 2), head, i;

	if (idx == d->avail_seen)
		return -1;
	head = rd16(d->mem + virtq_avail_slot(l, q->num, d->avail_seen++));
	i = head;
	for (unsigned k = 0; k < n; k++) {
		struct virtq_desc desc;
		CHECK(i < q->num);
		memcpy(&desc, d->mem + l->desc + VIRTQ_DESC_SIZE * (i % q->num), sizeof(desc));
		CHECK_EQ(desc.addr, want[k].addr);
		CHECK_EQ(desc.len, want[k].len);
		CHECK_EQ(!!(desc.flags & VIRTQ_DESC_F_WRITE), want[k].device_writes);
		CHECK_EQ(!!(desc.flags & VIRTQ_DESC_F_NEXT), k + 1 < n);
		i = desc.next;
	}
	return head;
}

static void dev_push(struct virtq *q, struct fake_dev *d, uint32_t id, uint32_t len)
{
	struct virtq_used_elem e = { id, len };

	memcpy(d->mem + virtq_used_slot(&q->layout, q->num, d->used_idx), &e, sizeof(e));
	wr16(d->mem + q->layout.used + 2, ++d->used_idx);
}

/* ---- tests ---- */

static void test_ring_arithmetic(void)
{
	struct virtq_layout l = virtq_layout_of(8);

	CHECK_EQ(l.desc, 0);
	CHECK_EQ(l.avail, 128);
	CHECK_EQ(l.used, 4096); /* legacy: the used ring on the next 4 KiB boundary */
	CHECK_EQ(l.size, 4096 + 4 + 64 + 2);
	l = virtq_layout_of(256);
	CHECK_EQ(l.avail, 4096);
	CHECK_EQ(l.used, 8192);
	CHECK_EQ(virtq_pick_size(1024, 64), 64);
	CHECK_EQ(virtq_pick_size(100, 128), 64);
	CHECK_EQ(virtq_pick_size(3, 128), 2);
	CHECK_EQ(virtq_pick_size(0, 128), 0);
	CHECK_EQ(virtq_used_pending(2, 65534), 4); /* across the wrap */
	CHECK_EQ(virtq_used_pending(7, 7), 0);
	CHECK_EQ(virtq_avail_slot(&l, 256, 257), 4096 + 4 + 2);
	CHECK_EQ(virtq_used_slot(&l, 256, 256), 8192 + 4);
}

static void test_fill_and_drain(void)
{
	static struct virtq q;
	struct fake_dev d = { 0 };
	struct virtq_buf chain[3] = { { 0x1000, 16, false }, { 0x2000, 512, true }, { 0x3000, 1, true } };
	int cookies[4], heads[4];
	uint32_t len;

	CHECK_EQ(virtq_init(&q, NULL, 0, 6), -EINVAL); /* not a power of two */
	CHECK_EQ(virtq_init(&q, NULL, 0, 8), 0);
	d.mem = ring_mem(&q);
	CHECK(virtq_get_used(&q, &len) == NULL);
	CHECK_EQ(virtq_add(&q, chain, 3, &cookies[0]), 0);
	CHECK_EQ(virtq_add(&q, chain, 3, &cookies[1]), 0);
	CHECK_EQ(virtq_add(&q, chain, 3, &cookies[2]), -EAGAIN); /* 2 of 8 left */
	CHECK_EQ(virtq_add(&q, chain, 2, &cookies[2]), 0);
	CHECK_EQ(virtq_add(&q, chain, 1, NULL), -EINVAL);
	CHECK_EQ(q.num_free, 0);
	for (int i = 0; i < 3; i++)
		heads[i] = dev_pop(&q, &d, chain, i < 2 ? 3 : 2);
	CHECK_EQ(dev_pop(&q, &d, chain, 1), -1);
	/* Out of order: the last first. */
	dev_push(&q, &d, (uint32_t)heads[2], 7);
	dev_push(&q, &d, (uint32_t)heads[0], 513);
	CHECK(virtq_get_used(&q, &len) == &cookies[2]);
	CHECK_EQ(len, 7);
	CHECK(virtq_get_used(&q, &len) == &cookies[0]);
	CHECK_EQ(len, 513); /* reported as given: callers clamp */
	CHECK(virtq_get_used(&q, &len) == NULL);
	CHECK_EQ(q.num_free, 5);
	/* A lying device: an id out of range, one not in flight, a real one. */
	dev_push(&q, &d, 99, 1);
	dev_push(&q, &d, (uint32_t)heads[2], 1);
	dev_push(&q, &d, (uint32_t)heads[1], 1);
	CHECK(virtq_get_used(&q, &len) == &cookies[1]);
	CHECK(virtq_get_used(&q, &len) == NULL);
	CHECK_EQ(q.num_free, 8);
	CHECK_EQ(dma_revoke(q.ring), 0);
}

/* Random chains, random completion order, past 65536 of each index. */
static void test_wraparound(void)
{
	static struct virtq q;
	struct fake_dev d = { 0 };
	struct virtq_buf chain[4];
	int tokens[16];
	int inflight_head[16], inflight_len[16], ninflight = 0, descs_out = 0;
	unsigned long ops = 0, adds = 0;

	CHECK_EQ(virtq_init(&q, NULL, 1, 16), 0);
	d.mem = ring_mem(&q);
	for (unsigned i = 0; i < 4; i++)
		chain[i] = (struct virtq_buf){ 0x10000 + i * 0x1000, 100 + i, i & 1 };
	while (ops < 140000) {
		unsigned n = 1 + (unsigned)(rng() % 4);
		if (virtq_add(&q, chain, n, &tokens[n]) == 0) {
			int head = dev_pop(&q, &d, chain, n);
			CHECK(head >= 0);
			inflight_len[ninflight] = (int)n;
			inflight_head[ninflight++] = head;
			descs_out += (int)n;
			adds++;
		}
		if (ninflight && (rng() % 2 || q.num_free < 4)) {
			unsigned pick = (unsigned)(rng() % (unsigned)ninflight);
			uint32_t len;
			void *c;
			dev_push(&q, &d, (uint32_t)inflight_head[pick], 1);
			descs_out -= inflight_len[pick];
			inflight_len[pick] = inflight_len[--ninflight];
			inflight_head[pick] = inflight_head[ninflight];
			c = virtq_get_used(&q, &len);
			CHECK(c >= (void *)&tokens[1] && c <= (void *)&tokens[4]);
		}
		ops++;
	}
	CHECK(adds > 65536);                   /* the indices wrapped */
	CHECK_EQ(q.avail_idx, (uint16_t)adds);
	CHECK_EQ(d.used_idx, q.last_used);
	CHECK_EQ(q.num_free + descs_out, 16); /* no descriptor lost or doubled */
	CHECK_EQ(dma_revoke(q.ring), 0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	rng_init("virtq");
	ram = aligned_alloc(PG << PMM_MAX_ORDER, BUF_SIZE);
	if (!ram)
		return 2;
	pmm_init((uintptr_t)ram - FAKE_BASE);
	pmm_boot_region(FAKE_BASE, FAKE_BASE + 8 * PG);
	CHECK_EQ(pmm_add_zone(FAKE_BASE, BUF_SIZE), 0);
	pmm_add_free(FAKE_BASE + 8 * PG, BUF_SIZE - 8 * PG);
	pmm_boot_region_close();
	cap_table_init(0x0f1e2d3c4b5a6978ULL);
	holder = holder_register("virtio-mmio test");

	test_ring_arithmetic();
	test_fill_and_drain();
	test_wraparound();
	CHECK_EQ(host_locks_held, 0);
	free(ram);
	return test_done("host.virtq");
}
