/* The boot monitor: a line-oriented shell on the console, the first service
 * code to run until the process work brings /init. Its commands report what
 * the frame found, so boot tests can compare it with the device tree. */
#include <frame/boot.h>
#include <frame/console.h>
#include <frame/cpu.h>
#include <frame/heap.h>
#include <frame/irq.h>
#include <frame/ledger.h>
#include <frame/log.h>
#include <frame/meminfo.h>
#include <frame/panic.h>
#include <frame/power.h>
#include <frame/time.h>
#include <kern/console.h>
#include <stdlib.h>
#include <string.h>
#include "monitor/monitor.h"

#define LINE_MAX 128

struct command {
	const char *name;
	const char *help;
	void (*run)(const char *args);
};

static const struct command commands[];

static void cmd_help(const char *args)
{
	(void)args;
	for (const struct command *c = commands; c->name; c++)
		pr_info("  %-9s %s\n", c->name, c->help);
}

static void cmd_echo(const char *args)
{
	pr_info("%s\n", args);
}

static void cmd_mem(const char *args)
{
	struct mem_region r;

	(void)args;
	for (unsigned i = 0; mem_bank(i, &r) == 0; i++)
		pr_info("bank %u: 0x%lx-0x%lx (%lu MiB)\n", i, r.base, r.base + r.size, r.size >> 20);
	for (unsigned i = 0; mem_reserved(i, &r) == 0; i++)
		pr_info("reserved %u: 0x%lx-0x%lx (%lu KiB) %s\n", i, r.base, r.base + r.size,
			r.size >> 10, r.name);
	pr_info("total %lu MiB, free %lu KiB\n", mem_total_bytes() >> 20, mem_free_bytes() >> 10);
}

static void cmd_harts(const char *args)
{
	struct hart_info h;

	(void)args;
	pr_info("harts: %u\n", hart_count());
	for (unsigned i = 0; hart_get_info(i, &h) == 0; i++)
		pr_info("hart %u: %s%s sbi-state %d isa %s\n", h.hartid,
			h.online ? "online" : "parked", h.boot ? " (boot)" : "", h.sbi_state, h.isa);
}

static void cmd_ticks(const char *args)
{
	(void)args;
	pr_info("ticks %lu at %u Hz, uptime %lu ms, timebase %lu Hz\n", timer_ticks(),
		timer_hz(), time_now_ns() / 1000000, timebase_hz());
}

static void cmd_cmdline(const char *args)
{
	(void)args;
	pr_info("cmdline: \"%s\"\n", boot_cmdline());
}

static void cmd_irqs(const char *args)
{
	(void)args;
	irq_report();
}

static void cmd_caps(const char *args)
{
	(void)args;
	ledger_dump();
}

static void cmd_heap(const char *args)
{
	/* Allocate and free a spread of sizes, checking the free total returns. */
	uint64_t before = mem_free_bytes();
	void *p[32];

	(void)args;
	for (unsigned i = 0; i < ARRAY_SIZE(p); i++)
		p[i] = kmalloc(16u << (i % 10));
	for (unsigned i = 0; i < ARRAY_SIZE(p); i++)
		kfree(p[i]);
	pr_info("heap: free before %lu KiB, after %lu KiB\n", before >> 10, mem_free_bytes() >> 10);
}

static void cmd_poweroff(const char *args)
{
	(void)args;
	power_off();
}

static void cmd_reboot(const char *args)
{
	(void)args;
	power_reboot();
}

static void cmd_panic(const char *args)
{
	panic("requested from the monitor: %s", args);
}

/* The hart id this command runs on: with SMP the monitor's task runs on
 * whichever hart woke it, and the fault reports must name that one. */
static uint32_t running_hartid(void)
{
	struct hart_info info;

	return hart_get_info(cpu_current(), &info) == 0 ? info.hartid : UINT32_MAX;
}

static void cmd_crash(const char *args)
{
	(void)args;
	pr_info("crash: on hart %u\n", running_hartid());
	monitor_crash_null();
}

static void cmd_overflow(const char *args)
{
	(void)args;
	pr_info("overflow: depth %lu\n", monitor_recurse(1));
}

static void cmd_hang(const char *args)
{
	unsigned long seconds = strtoul(args, NULL, 10);

	pr_info("hang: spinning in the kernel for %lu s on hart %u\n", seconds, running_hartid());
	monitor_hang(seconds);
	pr_info("hang: done\n");
}

static void cmd_hang_masked(const char *args)
{
	unsigned long seconds = strtoul(args, NULL, 10);

	pr_info("hangmasked: spinning with interrupts masked for %lu s on hart %u\n", seconds,
		running_hartid());
	monitor_hang_masked(seconds);
	pr_info("hangmasked: done\n");
}

static const struct command commands[] = {
	{ "help", "list commands", cmd_help },
	{ "echo", "print the rest of the line", cmd_echo },
	{ "mem", "memory banks and reserved ranges", cmd_mem },
	{ "harts", "harts found in the device tree", cmd_harts },
	{ "ticks", "timer ticks and uptime", cmd_ticks },
	{ "cmdline", "the kernel command line", cmd_cmdline },
	{ "irqs", "interrupt counts per line", cmd_irqs },
	{ "caps", "the capability ledger", cmd_caps },
	{ "heap", "exercise the kernel heap", cmd_heap },
	{ "panic", "panic on purpose (tests the report)", cmd_panic },
	{ "crash", "dereference NULL (tests the trap report)", cmd_crash },
	{ "overflow", "overflow the stack (tests the guard page)", cmd_overflow },
	{ "hang", "<seconds>: spin in the kernel (tests the watchdog)", cmd_hang },
	{ "hangmasked", "<seconds>: spin with interrupts masked (tests the hard-lockup watchdog)",
	  cmd_hang_masked },
	{ "blk", "block devices", monitor_cmd_blk },
	{ "blkread", "<disk> <sector> [n [count]]: hash n reads at once", monitor_cmd_blkread },
	{ "blkwrite", "<disk> <sector> <byte>: fill a sector, then flush", monitor_cmd_blkwrite },
	{ "date", "the wall clock", monitor_cmd_date },
	{ "random", "hardware entropy fed in, and a sample", monitor_cmd_random },
	{ "poweroff", "power the machine off", cmd_poweroff },
	{ "reboot", "reboot the machine", cmd_reboot },
	{ NULL, NULL, NULL },
};

static void run_line(char *line)
{
	char *args = strchr(line, ' ');

	if (args)
		*args++ = '\0';
	else
		args = line + strlen(line);
	if (!*line)
		return;
	for (const struct command *c = commands; c->name; c++) {
		if (strcmp(c->name, line) == 0) {
			c->run(args);
			return;
		}
	}
	pr_info("%s: unknown command (try help)\n", line);
}

/* Reads one line with echo, backspace and ^U (kill line). */
static void read_line(char *buf, size_t size)
{
	size_t n = 0;

	for (;;) {
		char c = console_getc();
		if (c == '\r' || c == '\n') {
			console_write("\n", 1);
			break;
		}
		if ((c == 0x7f || c == '\b') && n > 0) {
			n--;
			console_write("\b \b", 3);
		} else if (c == 0x15) {
			for (; n > 0; n--)
				console_write("\b \b", 3);
		} else if (c >= ' ' && c < 0x7f && n + 1 < size) {
			buf[n++] = c;
			console_write(&c, 1);
		}
	}
	buf[n] = '\0';
}

void monitor_run(void)
{
	char line[LINE_MAX];

	pr_info("Rivet monitor: type 'help' for commands\n");
	for (;;) {
		console_write("rivet> ", 7);
		read_line(line, sizeof(line));
		run_line(line);
	}
}
