/* The kernel services start here, once the frame has bound every driver. */
#include <frame/boot.h>
#include <frame/errno.h>
#include <frame/log.h>
#include "init/first_process.h"
#include "monitor/monitor.h"

void kern_main(void)
{
	pr_info("kern: services up\n");
	if (first_process_run() == -ENOENT)
		pr_info("kern: no init program in an initramfs\n");
	/* Until processes can be restarted the monitor takes over when init
	 * ends (Linux would panic here). */
	monitor_run();
}
