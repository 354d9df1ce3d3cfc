/* Power off and reboot: the handler a driver service registered (it writes
 * its own device's registers through its MMIO handle), else the SBI SRST
 * extension (QEMU's and the JH7110's firmware implement it). */
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/log.h>
#include <frame/power.h>
#include "sbi/sbi.h"

struct power_handler {
	power_handler_fn fn;
	void *ctx;
	const char *name;
};

static struct power_handler handlers[2];

int power_register(enum power_action action, power_handler_fn fn, void *ctx, const char *name)
{
	if ((unsigned)action >= ARRAY_SIZE(handlers) || !fn)
		return -EINVAL;
	if (handlers[action].fn)
		return -EBUSY;
	handlers[action] = (struct power_handler){ fn, ctx, name };
	return 0;
}

static void run_handler(enum power_action action, const char *what)
{
	struct power_handler *h = &handlers[action];

	if (!h->fn) {
		pr_info("power: %s through SBI\n", what);
		return;
	}
	pr_info("power: %s through %s\n", what, h->name);
	h->fn(h->ctx);
	pr_warn("power: %s did not act, trying SBI\n", h->name);
}

void power_off(void)
{
	(void)irq_save(); /* nothing may run between the request and the end */
	run_handler(POWER_ACTION_OFF, "off");
	sbi_shutdown();
}

void power_reboot(void)
{
	(void)irq_save();
	run_handler(POWER_ACTION_REBOOT, "reboot");
	sbi_reboot();
}
