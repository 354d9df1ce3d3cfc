/* Device binding: the frame walks the device tree, matches each enabled node
 * against the drivers' compatible tables and calls probe with a device that
 * stands for that one node. Through it a driver can acquire handles for its
 * own node's `reg` windows and `interrupts`, and read its own properties;
 * it cannot name any other node or address. */
#ifndef FRAME_DEVICE_H
#define FRAME_DEVICE_H

#include <frame/dma.h>
#include <frame/irq.h>
#include <frame/mmio.h>

struct device;

struct driver {
	const char *name;
	const char *const *compatible; /* NULL-terminated */
	/* 0: bound. -ENODEV: not this driver's after all. Other: failed. */
	int (*probe)(struct device *dev);
};

/* Places a driver in the image's driver table (a linker set). */
#define DRIVER_REGISTER(drv)                                                   \
	static const struct driver *const __driver_entry_##drv                 \
		__attribute__((used, section(".rivet.drivers"), aligned(8))) = &drv

/* The index-th `reg` window of the node, with rights CAP_READ|CAP_WRITE|CAP_DERIVE
 * masked by rights. */
int device_mmio(struct device *dev, unsigned index, unsigned rights, mmio_t *out) __must_check;
/* The index-th interrupt of the node (`interrupts` or `interrupts-extended`). */
int device_irq(struct device *dev, unsigned index, irq_t *out) __must_check;
/* A new zeroed DMA buffer of at least size bytes (whole pages, at most
 * 4 MiB) held by this device's service, with every right. */
int device_dma(struct device *dev, uint64_t size, dma_t *out) __must_check;
/* An MMIO handle for the first `reg` window of the node that this node's
 * phandle property prop names (a syscon's `regmap`). Several nodes may
 * reference the same window; each gets its own handle. */
int device_mmio_ref(struct device *dev, const char *prop, unsigned rights,
		    mmio_t *out) __must_check;
int device_prop_u32(struct device *dev, const char *name, uint32_t *out) __must_check;
bool device_has_prop(struct device *dev, const char *name);
/* Does the node's compatible list name this string (anywhere in it)? */
bool device_is_compatible(struct device *dev, const char *compatible);
const char *device_name(struct device *dev);
/* True if this node is the one /chosen/stdout-path names. */
bool device_is_stdout(struct device *dev);
void device_set_drvdata(struct device *dev, void *data);
void *device_drvdata(struct device *dev);

#endif
