/* The terminals (tty/): /dev/tty (5:0, the caller's controlling tty),
 * /dev/console (5:1) and /dev/ttyS0 (4:64), both the serial console, which
 * only the latter makes a controlling tty on open (as Linux), /dev/ptmx
 * (5:2) and the pty slaves (136:N, nodes under /dev/pts). */
#include <frame/errno.h>
#include "dev/chrdev.h"
#include "proc/process.h"
#include "tty/console_file.h"
#include "tty/pty.h"

static int ctty_open(unsigned flags, struct file **out)
{
	struct tty *t = current->ctty;

	return t ? tty_open_file(t, flags, false, out) : -ENXIO;
}

static int console_open(unsigned flags, struct file **out)
{
	return console_tty_open(flags, false, out);
}

static int serial_open(unsigned flags, struct file **out)
{
	return console_tty_open(flags, true, out);
}

static const struct chrdev tty_devices[] = {
	{ 5, 0, "tty", 0666, ctty_open, NULL },
	{ 5, 1, "console", 0600, console_open, NULL },
	{ 5, 2, "ptmx", 0666, pty_open_master, NULL },
	{ 4, 64, "ttyS0", 0660, serial_open, NULL },
	{ PTY_SLAVE_MAJOR, 0, NULL, 0, NULL, pty_open_slave },
};

void tty_devices_register(void)
{
	for (unsigned i = 0; i < ARRAY_SIZE(tty_devices); i++)
		chrdev_register(&tty_devices[i]);
}
