/* The kernel services start here, once the frame has bound every driver. */
#include <frame/boot.h>
#include <frame/log.h>
#include "monitor/monitor.h"

void kern_main(void)
{
	pr_info("kern: services up\n");
	monitor_run();
}
