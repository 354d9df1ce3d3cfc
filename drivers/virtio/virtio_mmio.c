/* The virtio-mmio transport: probe from the device tree (`virtio,mmio`),
 * reset and status handshake, feature negotiation, queue registers for both
 * the modern (version 2) and legacy (version 1) layouts, and the interrupt
 * (acknowledged here, used buffers handled by the device driver). QEMU virt
 * has eight such slots; the empty ones (device id 0) are skipped quietly. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include "virtio_mmio.h"

enum virtio_mmio_reg {
	MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008, DEVICE_FEATURES = 0x010,
	DEVICE_FEATURES_SEL = 0x014, DRIVER_FEATURES = 0x020, DRIVER_FEATURES_SEL = 0x024,
	LEGACY_GUEST_PAGE_SIZE = 0x028, QUEUE_SEL = 0x030, QUEUE_NUM_MAX = 0x034,
	QUEUE_NUM = 0x038, LEGACY_QUEUE_ALIGN = 0x03c, LEGACY_QUEUE_PFN = 0x040,
	QUEUE_READY = 0x044, QUEUE_NOTIFY = 0x050, INTERRUPT_STATUS = 0x060,
	INTERRUPT_ACK = 0x064, STATUS = 0x070, QUEUE_DESC = 0x080, QUEUE_DRIVER = 0x090,
	QUEUE_DEVICE = 0x0a0, CONFIG_GENERATION = 0x0fc, CONFIG = 0x100,
};

#define MAGIC_VIRT 0x74726976 /* "virt" */
#define STATUS_ACKNOWLEDGE 1u
#define STATUS_DRIVER 2u
#define STATUS_DRIVER_OK 4u
#define STATUS_FEATURES_OK 8u
#define STATUS_FAILED 128u
#define INT_USED_BUFFER 1u
#define LEGACY_PAGE 4096u

static const struct virtio_driver *const virtio_drivers[] = {
	&virtio_blk_driver,
	&virtio_rng_driver,
};

static uint32_t rd(struct virtio_dev *vd, enum virtio_mmio_reg r)
{
	return mmio_read32(vd->regs, r);
}

static void wr(struct virtio_dev *vd, enum virtio_mmio_reg r, uint32_t v)
{
	mmio_write32(vd->regs, r, v);
}

static void set_status(struct virtio_dev *vd, uint32_t bits)
{
	wr(vd, STATUS, rd(vd, STATUS) | bits);
}

static uint64_t device_features(struct virtio_dev *vd)
{
	uint64_t f;

	wr(vd, DEVICE_FEATURES_SEL, 0);
	f = rd(vd, DEVICE_FEATURES);
	if (vd->version >= 2) { /* legacy devices have 32 feature bits */
		wr(vd, DEVICE_FEATURES_SEL, 1);
		f |= (uint64_t)rd(vd, DEVICE_FEATURES) << 32;
	}
	return f;
}

int virtio_negotiate(struct virtio_dev *vd, uint64_t wanted)
{
	uint64_t offered = device_features(vd);

	if (vd->version >= 2) {
		if (!((offered >> VIRTIO_F_VERSION_1) & 1))
			return -ENODEV; /* a modern transport needs a modern device */
		wanted |= 1ULL << VIRTIO_F_VERSION_1;
	}
	vd->features = offered & wanted;
	wr(vd, DRIVER_FEATURES_SEL, 0);
	wr(vd, DRIVER_FEATURES, (uint32_t)vd->features);
	if (vd->version < 2)
		return 0;
	wr(vd, DRIVER_FEATURES_SEL, 1);
	wr(vd, DRIVER_FEATURES, (uint32_t)(vd->features >> 32));
	set_status(vd, STATUS_FEATURES_OK);
	return (rd(vd, STATUS) & STATUS_FEATURES_OK) ? 0 : -ENODEV;
}

static void write_addr(struct virtio_dev *vd, enum virtio_mmio_reg r, uint64_t addr)
{
	wr(vd, r, (uint32_t)addr);
	wr(vd, r + 4, (uint32_t)(addr >> 32));
}

int virtio_queue_setup(struct virtio_dev *vd, struct virtq *q, unsigned index, unsigned max_num)
{
	uint64_t desc, avail, used;
	unsigned num;
	int err;

	wr(vd, QUEUE_SEL, index);
	if (rd(vd, vd->version >= 2 ? QUEUE_READY : LEGACY_QUEUE_PFN))
		return -EBUSY;
	num = virtq_pick_size(rd(vd, QUEUE_NUM_MAX), MIN(max_num, VIRTQ_MAX_SIZE));
	if (num == 0)
		return -ENOENT;
	if ((err = virtq_init(q, vd->dev, index, num)) || (err = virtq_addrs(q, &desc, &avail, &used)))
		return err;
	wr(vd, QUEUE_NUM, num);
	if (vd->version < 2) {
		/* One contiguous area at a page frame number, used ring aligned. */
		wr(vd, LEGACY_QUEUE_ALIGN, VIRTQ_ALIGN);
		wr(vd, LEGACY_QUEUE_PFN, (uint32_t)(desc / LEGACY_PAGE));
		return 0;
	}
	write_addr(vd, QUEUE_DESC, desc);
	write_addr(vd, QUEUE_DRIVER, avail);
	write_addr(vd, QUEUE_DEVICE, used);
	wr(vd, QUEUE_READY, 1);
	return 0;
}

void virtio_notify(struct virtio_dev *vd, struct virtq *q)
{
	dma_wmb(); /* ring stores before the doorbell */
	wr(vd, QUEUE_NOTIFY, q->index);
}

static void virtio_irq(void *arg)
{
	struct virtio_dev *vd = arg;
	uint32_t status = rd(vd, INTERRUPT_STATUS);

	wr(vd, INTERRUPT_ACK, status);
	dma_rmb(); /* the status read before the used rings it announces */
	if ((status & INT_USED_BUFFER) && vd->on_used)
		vd->on_used(vd);
}

int virtio_ready(struct virtio_dev *vd)
{
	int err = device_irq(vd->dev, 0, &vd->irq);

	if (err || (err = irq_attach(vd->irq, virtio_irq, vd)))
		return err;
	vd->irq_live = true;
	if ((err = irq_enable(vd->irq)))
		return err;
	set_status(vd, STATUS_DRIVER_OK);
	return 0;
}

void virtio_fail(struct virtio_dev *vd)
{
	set_status(vd, STATUS_FAILED);
	if (vd->irq_live)
		(void)irq_revoke(vd->irq);
	vd->irq_live = false;
	wr(vd, STATUS, 0);
}

uint32_t virtio_config32(struct virtio_dev *vd, uint64_t off)
{
	return mmio_read32(vd->regs, CONFIG + off);
}

uint64_t virtio_config64(struct virtio_dev *vd, uint64_t off)
{
	uint32_t gen, lo, hi;

	/* A modern device may change config between the halves: retry until
	 * the generation is stable (legacy devices read 0 there). */
	do {
		gen = vd->version >= 2 ? rd(vd, CONFIG_GENERATION) : 0;
		lo = virtio_config32(vd, off);
		hi = virtio_config32(vd, off + 4);
	} while (vd->version >= 2 && gen != rd(vd, CONFIG_GENERATION));
	return (uint64_t)hi << 32 | lo;
}

static const struct virtio_driver *driver_for(uint32_t id)
{
	for (unsigned i = 0; i < ARRAY_SIZE(virtio_drivers); i++)
		if (virtio_drivers[i]->device_id == id)
			return virtio_drivers[i];
	return NULL;
}

/* Identifies the device; -ENODEV (quiet) for empty slots and non-virtio. */
static int identify(struct virtio_dev *vd)
{
	if (rd(vd, MAGIC) != MAGIC_VIRT)
		return -ENODEV;
	vd->version = rd(vd, VERSION);
	vd->device_id = rd(vd, DEVICE_ID);
	if (vd->device_id == 0)
		return -ENODEV;
	if (vd->version != 1 && vd->version != 2) {
		pr_warn("virtio: %s: unknown transport version %u\n", device_name(vd->dev),
			vd->version);
		return -ENODEV;
	}
	return 0;
}

static int virtio_mmio_probe(struct device *dev)
{
	struct virtio_dev *vd = kzalloc(sizeof(*vd));
	const struct virtio_driver *drv;
	int err;

	if (!vd)
		return -ENOMEM;
	vd->dev = dev;
	if ((err = device_mmio(dev, 0, CAP_READ | CAP_WRITE, &vd->regs)))
		goto out_free;
	if ((err = identify(vd)) || !(drv = driver_for(vd->device_id))) {
		if (!err)
			pr_info("virtio: %s: device id %u has no driver\n", device_name(dev),
				vd->device_id);
		err = -ENODEV;
		goto out_revoke;
	}
	wr(vd, STATUS, 0); /* reset */
	set_status(vd, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
	if (vd->version < 2)
		wr(vd, LEGACY_GUEST_PAGE_SIZE, LEGACY_PAGE);
	if ((err = drv->probe(vd)) == 0) {
		device_set_drvdata(dev, vd);
		pr_info("virtio: %s: %s (%s transport)\n", device_name(dev), drv->name,
			vd->version >= 2 ? "modern" : "legacy");
		return 0;
	}
	virtio_fail(vd);
out_revoke:
	(void)mmio_revoke(vd->regs);
out_free:
	kfree(vd);
	return err;
}

static const char *const virtio_mmio_compatible[] = { "virtio,mmio", NULL };
static const struct driver virtio_mmio_driver = {
	.name = "virtio-mmio",
	.compatible = virtio_mmio_compatible,
	.probe = virtio_mmio_probe,
};
DRIVER_REGISTER(virtio_mmio_driver);
