/* Binding drivers to device-tree nodes. Each bound node becomes a struct
 * device and a holder in the capability ledger; the driver sees only that. */
#include <frame/device.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <libfdt.h>
#include "bus/bind.h"
#include "bus/claims.h"
#include "cap/cap_table.h"
#include "dt/dt_util.h"
#include "irq/irq_internal.h"
#include "irq/plic.h"
#include "mm/vmarea.h"

#define DEV_PATH_LEN 96

struct device {
	const void *fdt;
	int node;
	unsigned holder;
	bool is_stdout;
	void *drvdata;
	char path[DEV_PATH_LEN];
};

extern const struct driver *const __drivers_start[], *const __drivers_end[];

static const struct boot_info *bind_bi;

/* How well drv matches a node whose `compatible` is list (len bytes):
 * 0 = best (its first string), -1 = none. */
static int match_rank(const char *list, int len, const struct driver *drv)
{
	for (int rank = 0, pos = 0; pos < len; rank++) {
		const char *s = list + pos;
		for (const char *const *c = drv->compatible; *c; c++)
			if (strcmp(s, *c) == 0)
				return rank;
		pos += (int)strnlen(s, (size_t)(len - pos)) + 1;
	}
	return -1;
}

/* The property is looked up once for all drivers (each lookup walks the
 * node's properties). */
static const struct driver *best_driver(const void *fdt, int node)
{
	const struct driver *best = NULL;
	int best_rank = 1 << 30, len;
	const char *list = fdt_getprop(fdt, node, "compatible", &len);

	if (!list || len <= 0 || list[len - 1] != '\0')
		return NULL; /* strcmp must not run off the end */
	for (const struct driver *const *d = __drivers_start; d < __drivers_end; d++) {
		int rank = match_rank(list, len, *d);
		if (rank >= 0 && rank < best_rank) {
			best = *d;
			best_rank = rank;
		}
	}
	return best;
}

static bool node_is_stdout(const void *fdt, int node, const char *stdout_path)
{
	char path[DEV_PATH_LEN];
	size_t n;

	if (!stdout_path)
		return false;
	n = strchr(stdout_path, ':') ? (size_t)(strchr(stdout_path, ':') - stdout_path)
				      : strlen(stdout_path);
	/* stdout-path may be an alias ("serial0:115200n8") or a full path. */
	if (stdout_path[0] != '/') {
		const char *alias = fdt_get_alias_namelen(fdt, stdout_path, (int)n);
		if (!alias)
			return false;
		stdout_path = alias;
		n = strlen(alias);
	}
	if (dt_get_path(fdt, node, path, sizeof(path)) != 0)
		return false;
	return strlen(path) == n && strncmp(path, stdout_path, n) == 0;
}

static void probe_node(const void *fdt, int node, const struct driver *drv)
{
	struct device *dev = kzalloc(sizeof(*dev));
	char holder[HOLDER_NAME_LEN];
	int err;

	if (!dev) {
		pr_err("bind: out of memory\n");
		return;
	}
	dev->fdt = fdt;
	dev->node = node;
	if (dt_get_path(fdt, node, dev->path, sizeof(dev->path)) != 0)
		strlcpy(dev->path, fdt_get_name(fdt, node, NULL), sizeof(dev->path));
	dev->is_stdout = node_is_stdout(fdt, node, bind_bi->stdout_path);
	snprintf(holder, sizeof(holder), "%s %s", drv->name, dev->path);
	dev->holder = holder_register(holder);
	err = drv->probe(dev);
	if (err == 0)
		pr_info("bind: %s -> %s\n", dev->path, drv->name);
	else if (err != -ENODEV)
		pr_warn("bind: %s: %s probe failed (%s)\n", dev->path, drv->name, errno_name(err));
	/* A failed probe keeps its holder entry: the ledger shows what it held. */
}

unsigned bus_bind_all(const struct boot_info *bi)
{
	const void *fdt = bi->fdt;
	unsigned bound = 0;
	int node, depth = 0;

	bind_bi = bi;
	for (node = fdt_next_node(fdt, -1, &depth); node >= 0; node = fdt_next_node(fdt, node, &depth)) {
		const struct driver *drv;
		if (!fdt_getprop(fdt, node, "compatible", NULL) || !dt_node_enabled(fdt, node))
			continue;
		drv = best_driver(fdt, node);
		if (drv) {
			probe_node(fdt, node, drv);
			bound++;
		}
	}
	return bound;
}

/* ---- what a driver can ask of its device ---- */

/* A root handle for the window [base, base + size), already claimed. */
static int grant_mmio(struct device *dev, uint64_t base, uint64_t size, unsigned rights,
		      mmio_t *out)
{
	struct cap_entry *e;
	void *va = vmarea_map_mmio(base, size);

	if (!va)
		return -ENOMEM;
	e = cap_alloc(CAP_KIND_MMIO, rights & CAP_RIGHTS_ALL, dev->holder, -1, &out->raw);
	if (!e)
		return -ENOSPC;
	e->mmio.pa = base;
	e->mmio.size = size;
	e->mmio.va = (uintptr_t)va;
	return 0;
}

int device_mmio(struct device *dev, unsigned index, unsigned rights, mmio_t *out)
{
	uint64_t base, size;
	int err = dt_reg(dev->fdt, dev->node, index, &base, &size);

	if (err)
		return err;
	if (size == 0 || (err = claims_add(base, size, holder_name(dev->holder))))
		return err ? err : -EINVAL;
	return grant_mmio(dev, base, size, rights, out);
}

int device_mmio_ref(struct device *dev, const char *prop, unsigned rights, mmio_t *out)
{
	uint32_t phandle;
	uint64_t base, size;
	int target, err = dt_prop_u32(dev->fdt, dev->node, prop, &phandle);

	if (err)
		return err;
	target = fdt_node_offset_by_phandle(dev->fdt, phandle);
	if (target < 0 || !dt_node_enabled(dev->fdt, target))
		return -ENOENT;
	if ((err = dt_reg(dev->fdt, target, 0, &base, &size)))
		return err;
	if (size == 0 || claims_add_shared(base, size, "syscon"))
		return size ? -EBUSY : -EINVAL;
	return grant_mmio(dev, base, size, rights, out);
}

int device_dma(struct device *dev, uint64_t size, dma_t *out)
{
	return dma_grant(dev->holder, size, &out->raw);
}

/* The index-th (parent phandle, source) pair of the node's interrupts. */
static int irq_spec(struct device *dev, unsigned index, uint32_t *parent, uint32_t *source)
{
	int len;
	const fdt32_t *ext = fdt_getprop(dev->fdt, dev->node, "interrupts-extended", &len);

	if (ext) { /* the PLIC uses one cell per interrupt */
		if ((index + 1) * 8 > (unsigned)len)
			return -ENOENT;
		*parent = fdt32_to_cpu(ext[2 * index]);
		*source = fdt32_to_cpu(ext[2 * index + 1]);
		return 0;
	}
	const fdt32_t *irqs = fdt_getprop(dev->fdt, dev->node, "interrupts", &len);
	if (!irqs || (index + 1) * 4 > (unsigned)len)
		return -ENOENT;
	*source = fdt32_to_cpu(irqs[index]);
	return dt_interrupt_parent(dev->fdt, dev->node, parent);
}

int device_irq(struct device *dev, unsigned index, irq_t *out)
{
	uint32_t parent, source;
	int err = irq_spec(dev, index, &parent, &source);

	if (err)
		return err;
	if (parent != plic_phandle())
		return -ENODEV; /* routed through a controller we do not drive */
	return irq_grant(source, dev->holder, out);
}

int device_prop_u32(struct device *dev, const char *name, uint32_t *out)
{
	return dt_prop_u32(dev->fdt, dev->node, name, out);
}

bool device_has_prop(struct device *dev, const char *name)
{
	return fdt_getprop(dev->fdt, dev->node, name, NULL) != NULL;
}

bool device_is_compatible(struct device *dev, const char *compatible)
{
	return fdt_node_check_compatible(dev->fdt, dev->node, compatible) == 0;
}

const char *device_name(struct device *dev)
{
	return dev->path;
}

bool device_is_stdout(struct device *dev)
{
	return dev->is_stdout;
}

void device_set_drvdata(struct device *dev, void *data)
{
	dev->drvdata = data;
}

void *device_drvdata(struct device *dev)
{
	return dev->drvdata;
}
