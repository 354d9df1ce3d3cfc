/* Power off and reboot through a syscon register (`syscon-poweroff`,
 * `syscon-reboot`: a `regmap` phandle to the syscon node, an `offset`, a
 * `value` and an optional `mask`, as Linux's drivers read them). On QEMU
 * virt that is the `sifive,test1` device: 0x5555 powers off, 0x7777
 * resets. The driver holds only a 4-byte write window of the syscon and
 * registers its handler with the frame's power calls. */
#include <frame/device.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/power.h>

#define SETTLE_SPINS 10000000 /* give the device time to act before SBI */

struct syscon_power {
	mmio_t reg;
	uint32_t value, mask;
	char name[40];
};

static void syscon_act(void *ctx)
{
	struct syscon_power *p = ctx;
	uint32_t v = p->value;

	if (p->mask != 0xffffffffu)
		v = (mmio_read32(p->reg, 0) & ~p->mask) | (p->value & p->mask);
	mmio_write32(p->reg, 0, v);
	for (volatile int i = 0; i < SETTLE_SPINS; i++)
		;
}

static int syscon_probe(struct device *dev, enum power_action action, const char *what)
{
	struct syscon_power *p = kzalloc(sizeof(*p));
	uint32_t offset;
	mmio_t whole;
	int err;

	if (!p)
		return -ENOMEM;
	if (device_prop_u32(dev, "value", &p->value) || device_prop_u32(dev, "offset", &offset)) {
		kfree(p);
		return -EINVAL;
	}
	if (device_prop_u32(dev, "mask", &p->mask))
		p->mask = 0xffffffffu;
	/* Only the one register is used; the syscon handle itself stays
	 * unused (revoking it would revoke the derived one too). */
	err = device_mmio_ref(dev, "regmap", CAP_READ | CAP_WRITE | CAP_DERIVE, &whole);
	if (!err)
		err = mmio_derive(whole, offset, 4, CAP_READ | CAP_WRITE, &p->reg);
	snprintf(p->name, sizeof(p->name), "%s", what);
	if (err || (err = power_register(action, syscon_act, p, p->name))) {
		kfree(p);
		return err;
	}
	return 0;
}

static int syscon_poweroff_probe(struct device *dev)
{
	return syscon_probe(dev, POWER_ACTION_OFF, "syscon-poweroff");
}

static int syscon_reboot_probe(struct device *dev)
{
	return syscon_probe(dev, POWER_ACTION_REBOOT, "syscon-reboot");
}

static const char *const poweroff_compatible[] = { "syscon-poweroff", NULL };
static const struct driver syscon_poweroff_driver = {
	.name = "syscon-poweroff",
	.compatible = poweroff_compatible,
	.probe = syscon_poweroff_probe,
};
DRIVER_REGISTER(syscon_poweroff_driver);

static const char *const reboot_compatible[] = { "syscon-reboot", NULL };
static const struct driver syscon_reboot_driver = {
	.name = "syscon-reboot",
	.compatible = reboot_compatible,
	.probe = syscon_reboot_probe,
};
DRIVER_REGISTER(syscon_reboot_driver);
