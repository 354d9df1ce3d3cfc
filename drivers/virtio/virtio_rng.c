/* virtio-rng (virtio 1.x section 5.4): the device fills buffers with random
 * bytes; each filled buffer goes to kern's entropy pool (kern/entropy.h).
 * A few buffers at boot seed the pool, then one refill a second keeps
 * feeding it without keeping the device (and its host) busy. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/ktimer.h>
#include <frame/log.h>
#include <frame/spinlock.h>
#include <frame/time.h>
#include <kern/entropy.h>
#include "virtio_mmio.h"

#define RNG_CHUNK 64u
#define RNG_BOOT_FILLS 4
#define RNG_REFILL_NS 1000000000ULL

struct vrng {
	struct virtio_dev *vd;
	struct virtq q;
	dma_t buf;
	struct ktimer refill;
	unsigned boot_fills;
	uint64_t bytes;
	spinlock_t lock; /* protects q */
};

/* Offers the buffer to the device; caller holds the lock. */
static void post(struct vrng *r)
{
	struct virtq_buf b = { .len = RNG_CHUNK, .device_writes = true };

	if (dma_device_addr(r->buf, 0, &b.addr) || virtq_add(&r->q, &b, 1, r))
		return;
	virtio_notify(r->vd, &r->q);
}

static void refill(struct ktimer *t)
{
	struct vrng *r = t->data;
	unsigned long flags = spin_lock_irqsave(&r->lock);

	post(r);
	spin_unlock_irqrestore(&r->lock, flags);
}

static void rng_on_used(struct virtio_dev *vd)
{
	struct vrng *r = vd->priv;
	uint8_t bytes[RNG_CHUNK];
	uint32_t len;
	unsigned long flags = spin_lock_irqsave(&r->lock);

	while (virtq_get_used(&r->q, &len)) {
		len = MIN(len, RNG_CHUNK); /* the device's count is not trusted */
		if (len && dma_copy_out(r->buf, 0, bytes, len) == 0) {
			entropy_add(bytes, len);
			if (r->bytes == 0)
				pr_info("virtio-rng: first %u bytes fed to the entropy pool\n", len);
			r->bytes += len;
		}
		if (r->boot_fills && --r->boot_fills)
			post(r);
		else
			ktimer_arm(&r->refill, time_now_ns() + RNG_REFILL_NS, refill);
	}
	spin_unlock_irqrestore(&r->lock, flags);
}

static int vrng_probe(struct virtio_dev *vd)
{
	struct vrng *r = kzalloc(sizeof(*r));
	unsigned long flags;
	int err;

	if (!r)
		return -ENOMEM;
	r->vd = vd;
	r->lock = (spinlock_t)SPINLOCK_INIT("virtio-rng");
	r->boot_fills = RNG_BOOT_FILLS;
	r->refill.data = r;
	if ((err = virtio_negotiate(vd, 0)) || (err = virtio_queue_setup(vd, &r->q, 0, 4)) ||
	    (err = device_dma(vd->dev, RNG_CHUNK, &r->buf))) {
		kfree(r);
		return err;
	}
	vd->priv = r;
	vd->on_used = rng_on_used;
	if ((err = virtio_ready(vd)))
		return err;
	flags = spin_lock_irqsave(&r->lock);
	post(r);
	spin_unlock_irqrestore(&r->lock, flags);
	return 0;
}

const struct virtio_driver virtio_rng_driver = {
	.device_id = VIRTIO_ID_RNG,
	.name = "virtio-rng",
	.probe = vrng_probe,
};
