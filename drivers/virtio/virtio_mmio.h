/* The virtio-mmio transport (virtio 1.x section 4.2): modern (version 2)
 * and legacy (version 1) register layouts behind one interface, so the
 * device drivers (virtio_blk.c, virtio_rng.c) never see the difference. */
#ifndef DRIVERS_VIRTIO_VIRTIO_MMIO_H
#define DRIVERS_VIRTIO_VIRTIO_MMIO_H

#include <frame/device.h>
#include "virtqueue.h"

#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_RNG 4
#define VIRTIO_F_VERSION_1 32

struct virtio_dev {
	struct device *dev;
	mmio_t regs;
	irq_t irq;
	unsigned version;   /* 1 legacy, 2 modern */
	uint32_t device_id;
	uint64_t features;  /* negotiated */
	bool irq_live;      /* handler attached (virtio_ready) */
	/* Set by the device driver: called from the interrupt handler after
	 * the transport acknowledged a used-buffer interrupt. */
	void (*on_used)(struct virtio_dev *vd);
	void *priv;
};

/* One device type, matched on the transport's DeviceID. */
struct virtio_driver {
	uint32_t device_id;
	const char *name;
	int (*probe)(struct virtio_dev *vd);
};

extern const struct virtio_driver virtio_blk_driver, virtio_rng_driver;

/* Accepts wanted & offered (plus VERSION_1 on a modern device); -ENODEV if
 * the device refuses the set. The result is in vd->features. */
int virtio_negotiate(struct virtio_dev *vd, uint64_t wanted);
static inline bool virtio_has(const struct virtio_dev *vd, unsigned bit)
{
	return (vd->features >> bit) & 1;
}
/* Sets up queue index with at most max_num entries (a power of two). */
int virtio_queue_setup(struct virtio_dev *vd, struct virtq *q, unsigned index, unsigned max_num);
/* Tells the device queue q has new buffers (after a write barrier). */
void virtio_notify(struct virtio_dev *vd, struct virtq *q);
/* The driver is ready: DRIVER_OK, and the interrupt is attached. */
int virtio_ready(struct virtio_dev *vd);
/* Gives up on the device: status FAILED, interrupt detached, then reset so
 * it stops using its buffers (which stay allocated: never freed under a
 * device that might still write them). */
void virtio_fail(struct virtio_dev *vd);
uint32_t virtio_config32(struct virtio_dev *vd, uint64_t off);
uint64_t virtio_config64(struct virtio_dev *vd, uint64_t off);

#endif
