/* The serial console as a tty (/dev/ttyS0, /dev/console, and init's fds
 * 0-2): output through the frame console, which the serial driver owns, and
 * input from the console ring (console/input.c), fed through the line
 * discipline by a kernel task so signals and echo happen in task context,
 * never in the interrupt handler. While no file has the tty open the task
 * leaves the ring alone, so the boot monitor can read it after init ends. */
#include <frame/console.h>
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/log.h>
#include <kern/console.h>
#include "fs/stat.h"
#include "tty/console_file.h"
#include "tty/tty.h"

static struct tty serial;
static bool started;

/* The serial driver turns every '\n' into "\r\n" itself (klog relies on
 * it), so the '\r' ONLCR puts before a '\n' is left to it. */
static void serial_output(struct tty *t, const char *buf, size_t len)
{
	size_t start = 0;

	(void)t;
	for (size_t i = 0; i + 1 < len; i++) {
		if (buf[i] == '\r' && buf[i + 1] == '\n') {
			console_write(buf + start, i - start);
			start = i + 1;
		}
	}
	console_write(buf + start, len - start);
}

static void input_task(void *arg)
{
	unsigned long flags = irq_save();
	char c;

	(void)arg;
	for (;;) {
		while (!(serial.opens && console_input_take(&c)))
			wait_queue_sleep(console_input_queue());
		irq_restore(flags);
		tty_receive(&serial, &c, 1);
		flags = irq_save();
	}
}

static void serial_opened(struct tty *t)
{
	(void)t;
	if (!started && task_create(input_task, NULL, "tty-input"))
		started = true;
	wait_queue_wake_all(console_input_queue()); /* the task may take input again */
}

static const struct tty_driver serial_driver = {
	.output = serial_output,
	.opened = serial_opened,
};

static struct tty *serial_tty(void)
{
	if (!serial.driver) {
		/* The window size stays 0x0, as a Linux serial tty's: programs
		 * then ask the terminal (vi) or assume 80x24 (the shell). */
		tty_init(&serial, &serial_driver, NULL, (uint32_t)encode_dev(4, 64), &tty_std_termios);
	}
	return &serial;
}

int console_tty_open(unsigned flags, bool may_ctty, struct file **out)
{
	return tty_open_file(serial_tty(), flags, may_ctty, out);
}

struct file *console_file_open(unsigned flags)
{
	struct file *f;

	return console_tty_open(flags, false, &f) ? NULL : f;
}
