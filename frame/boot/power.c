/* Power off and reboot through the SBI SRST extension (QEMU's and the
 * JH7110's firmware implement it). */
#include <frame/log.h>
#include <frame/power.h>
#include "sbi/sbi.h"

void power_off(void)
{
	pr_info("power: off\n");
	sbi_shutdown();
}

void power_reboot(void)
{
	pr_info("power: reboot\n");
	sbi_reboot();
}
