/* reboot(2): the magic numbers, then power off or restart through the
 * frame. Halting powers off too: there is no one to look at a halted
 * machine that QEMU or a board would not show as off. */
#include <frame/errno.h>
#include <frame/log.h>
#include <frame/power.h>
#include "block/cache.h"
#include "proc/cred.h"
#include "syscall/syscall.h"

#define LINUX_REBOOT_MAGIC1 0xfee1deadu
#define LINUX_REBOOT_MAGIC2 672274793u
#define LINUX_REBOOT_MAGIC2A 85072278u
#define LINUX_REBOOT_MAGIC2B 369367448u
#define LINUX_REBOOT_MAGIC2C 537993216u
#define LINUX_REBOOT_CMD_RESTART 0x01234567u
#define LINUX_REBOOT_CMD_HALT 0xcdef0123u
#define LINUX_REBOOT_CMD_CAD_ON 0x89abcdefu
#define LINUX_REBOOT_CMD_CAD_OFF 0x00000000u
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcu
#define LINUX_REBOOT_CMD_RESTART2 0xa1b2c3d4u

static bool magic_ok(uint32_t m1, uint32_t m2)
{
	return m1 == LINUX_REBOOT_MAGIC1 &&
	       (m2 == LINUX_REBOOT_MAGIC2 || m2 == LINUX_REBOOT_MAGIC2A ||
		m2 == LINUX_REBOOT_MAGIC2B || m2 == LINUX_REBOOT_MAGIC2C);
}

/* As Linux's drivers do at shutdown, the disks' write caches are flushed
 * first: a sync(2) just before only started its flush. What is still
 * dirty is the caller's to sync, as on Linux, but goes out too. */
static void before_power_down(void)
{
	bcache_sync(NULL, BCACHE_FLUSH);
}

SYSCALL(reboot)
{
	uint32_t cmd = (uint32_t)args->a[2];

	if (!cred_capable())
		return -EPERM;
	if (!magic_ok((uint32_t)args->a[0], (uint32_t)args->a[1]))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0; /* Ctrl-Alt-Del has no meaning on a serial console */
	case LINUX_REBOOT_CMD_RESTART:
	case LINUX_REBOOT_CMD_RESTART2:
		pr_info("reboot: restarting system\n");
		before_power_down();
		power_reboot();
	case LINUX_REBOOT_CMD_HALT:
	case LINUX_REBOOT_CMD_POWER_OFF:
		pr_info("reboot: power down\n");
		before_power_down();
		power_off();
	default:
		return -EINVAL;
	}
}
