/* The console: log lines go to the registered output (the serial driver),
 * or to the SBI firmware console before one registers. Log lines, and only
 * they (not what programs write to the console tty), are also kept in a
 * ring for later reading (dmesg). */
#include <frame/console.h>
#include <frame/log.h>
#include <frame/spinlock.h>
#include <string.h>
#include "sbi/sbi.h"
#include "console/console_internal.h"

#define LOG_RING_SIZE (16 * 1024)

static const struct console_ops *active_ops;
static void *active_ctx;
static char log_ring[LOG_RING_SIZE];
static uint64_t log_ring_written; /* total bytes ever written */
static spinlock_t console_lock = SPINLOCK_INIT("console");
static enum log_level console_level = LOG_INFO;

static void sbi_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		sbi_console_putchar(buf[i]);
}

static void emit(const char *buf, size_t len, bool keep)
{
	if (keep) {
		for (size_t i = 0; i < len; i++)
			log_ring[(log_ring_written + i) % LOG_RING_SIZE] = buf[i];
		log_ring_written += len;
	}
	if (active_ops)
		active_ops->write(active_ctx, buf, len);
	else
		sbi_write(buf, len);
}

void console_write(const char *buf, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);
	emit(buf, len, false);
	spin_unlock_irqrestore(&console_lock, flags);
}

static void log_write(const char *buf, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);
	emit(buf, len, true);
	spin_unlock_irqrestore(&console_lock, flags);
}

int console_register(const char *name, const struct console_ops *ops, void *ctx)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);

	active_ops = ops;
	active_ctx = ctx;
	spin_unlock_irqrestore(&console_lock, flags);
	pr_info("console: output now through %s\n", name);
	return 0;
}

void console_check_driver(const char *stdout_path)
{
	if (active_ops)
		return;
	if (stdout_path)
		pr_warn("console: no driver took stdout-path \"%s\": output stays on the SBI "
			"firmware console, and there is no console input\n", stdout_path);
	else
		pr_warn("console: the device tree has no /chosen/stdout-path: output stays on the "
			"SBI firmware console, and there is no console input\n");
}

size_t log_ring_size(void)
{
	return LOG_RING_SIZE;
}

uint64_t log_ring_head(void)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);
	uint64_t head = log_ring_written;

	spin_unlock_irqrestore(&console_lock, flags);
	return head;
}

size_t log_ring_read(uint64_t *pos, char *buf, size_t size)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);
	uint64_t oldest = log_ring_written > LOG_RING_SIZE ? log_ring_written - LOG_RING_SIZE : 0;
	size_t n = 0;

	if (*pos < oldest)
		*pos = oldest; /* overwritten meanwhile */
	for (; n < size && *pos < log_ring_written; n++, ++*pos)
		buf[n] = log_ring[*pos % LOG_RING_SIZE];
	spin_unlock_irqrestore(&console_lock, flags);
	return n;
}

void console_panic_mode(void)
{
	/* A panic may interrupt a holder of the lock: never wait for it again. */
	console_lock.locked = 0;
}

void console_set_level(enum log_level level)
{
	console_level = level;
}

void kvlog(enum log_level level, const char *fmt, va_list ap)
{
	char line[256];
	int n;

	if (level > console_level)
		return;
	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	log_write(line, (size_t)n);
}

void klog(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvlog(level, fmt, ap);
	va_end(ap);
}
