/* The goldfish real-time clock (QEMU virt's `google,goldfish-rtc`): a
 * 64-bit count of nanoseconds since 1970, read once at boot to give kern
 * the wall time. Reading TIME_LOW latches TIME_HIGH, so low goes first. */
#include <frame/device.h>
#include <frame/errno.h>
#include <frame/log.h>
#include <kern/wallclock.h>

#define TIME_LOW 0x00
#define TIME_HIGH 0x04

static int goldfish_rtc_probe(struct device *dev)
{
	mmio_t regs;
	uint64_t ns;
	int err = device_mmio(dev, 0, CAP_READ, &regs);

	if (err)
		return err;
	ns = mmio_read32(regs, TIME_LOW);
	ns |= (uint64_t)mmio_read32(regs, TIME_HIGH) << 32;
	if (ns == 0)
		return -ENODEV; /* a clock that was never set tells nothing */
	wallclock_set(ns);
	/* Only boot needs the clock: hand the window back. */
	(void)mmio_revoke(regs);
	return 0;
}

static const char *const goldfish_rtc_compatible[] = { "google,goldfish-rtc", NULL };
static const struct driver goldfish_rtc_driver = {
	.name = "goldfish-rtc",
	.compatible = goldfish_rtc_compatible,
	.probe = goldfish_rtc_probe,
};
DRIVER_REGISTER(goldfish_rtc_driver);
