/* The terminals: /dev/console (5:1) and /dev/tty (5:0), both the console
 * file (tty/console_file.c) until there are sessions and a tty layer. */
#include <frame/errno.h>
#include "dev/chrdev.h"
#include "tty/console_file.h"

static int console_open(unsigned flags, struct file **out)
{
	*out = console_file_open(flags);
	return *out ? 0 : -ENOMEM;
}

static const struct chrdev tty_devices[] = {
	{ 5, 0, "tty", 0666, console_open },
	{ 5, 1, "console", 0600, console_open },
};

void tty_devices_register(void)
{
	for (unsigned i = 0; i < ARRAY_SIZE(tty_devices); i++)
		chrdev_register(&tty_devices[i]);
}
