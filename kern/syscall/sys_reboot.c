/* reboot(2): power off, restart or halt the machine through the frame's
 * power calls (a syscon driver's registers, else SBI SRST). */
#include <frame/errno.h>
#include <frame/log.h>
#include <frame/power.h>
#include "syscall/syscall.h"

#define REBOOT_MAGIC1 0xfee1deadu
#define REBOOT_MAGIC2 672274793u
#define REBOOT_MAGIC2A 85072278u
#define REBOOT_MAGIC2B 369367448u
#define REBOOT_MAGIC2C 537993216u
#define REBOOT_CMD_RESTART 0x01234567u
#define REBOOT_CMD_HALT 0xcdef0123u
#define REBOOT_CMD_CAD_ON 0x89abcdefu
#define REBOOT_CMD_CAD_OFF 0x00000000u
#define REBOOT_CMD_POWER_OFF 0x4321fedcu
#define REBOOT_CMD_RESTART2 0xa1b2c3d4u

static bool magic_ok(uint32_t m1, uint32_t m2)
{
	return m1 == REBOOT_MAGIC1 && (m2 == REBOOT_MAGIC2 || m2 == REBOOT_MAGIC2A ||
				       m2 == REBOOT_MAGIC2B || m2 == REBOOT_MAGIC2C);
}

SYSCALL(reboot)
{
	uint32_t cmd = (uint32_t)args->a[2];

	if (!magic_ok((uint32_t)args->a[0], (uint32_t)args->a[1]))
		return -EINVAL;
	switch (cmd) {
	case REBOOT_CMD_CAD_ON:
	case REBOOT_CMD_CAD_OFF:
		return 0; /* no Ctrl-Alt-Del on a serial console */
	case REBOOT_CMD_RESTART:
	case REBOOT_CMD_RESTART2:
		power_reboot();
	case REBOOT_CMD_HALT: /* nothing is left to run: halting is powering off */
	case REBOOT_CMD_POWER_OFF:
		power_off();
	default:
		return -EINVAL;
	}
}
