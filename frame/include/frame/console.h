/* The kernel console: where log output goes. Until a serial driver registers
 * itself, output goes through the SBI firmware console. */
#ifndef FRAME_CONSOLE_H
#define FRAME_CONSOLE_H

#include <frame/types.h>

struct console_ops {
	/* Must work with interrupts off and from a panic: busy-wait if needed. */
	void (*write)(void *ctx, const char *buf, size_t len);
};

int console_register(const char *name, const struct console_ops *ops, void *ctx);
/* Raw output (the console tty): not kept in the log ring, unlike klog. */
void console_write(const char *buf, size_t len);

#endif
