/* Panics: one readable report (what happened, registers, a symbolized
 * backtrace through the frame-pointer chain), then the machine stops. */
#include <frame/irq.h>
#include <frame/log.h>
#include <frame/panic.h>
#include <frame/task.h>
#include <arch/csr.h>
#include "console/console_internal.h"
#include "smp/hart.h"
#include "smp/ipi.h"
#include "trap/ksyms.h"
#include "trap/trap.h"

#define BACKTRACE_MAX 32

static const char *const reg_names[32] = {
	"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
	"a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
	"s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static volatile int panicking;

static void print_addr(const char *prefix, uintptr_t addr)
{
	uintptr_t off, size;
	const char *name = ksym_lookup(addr, &off, &size);

	if (name)
		pr_err("%s0x%016lx %s+0x%lx/0x%lx\n", prefix, addr, name, off, size);
	else
		pr_err("%s0x%016lx ?\n", prefix, addr);
}

static bool fp_plausible(uintptr_t fp, uintptr_t lo, uintptr_t hi)
{
	return fp > lo + 16 && fp <= hi && (fp & 7) == 0;
}

/* RISC-V frame records: ra at fp-8, the caller's fp at fp-16. A leaf
 * function saves only fp, at fp-8; then the return address is still in ra. */
static void backtrace(uintptr_t pc, uintptr_t ra, uintptr_t fp, uintptr_t lo, uintptr_t hi)
{
	uintptr_t off, size;

	pr_err("Backtrace:\n");
	print_addr("  ", pc);
	/* Stopped on a function's first instruction (an interrupt can land
	 * there): it has no frame yet, so ra is its caller and fp the caller's. */
	if (ksym_lookup(pc, &off, &size) && off == 0 && ksym_is_text(ra))
		print_addr("  ", ra - 4);
	for (int depth = 0; depth < BACKTRACE_MAX && fp_plausible(fp, lo, hi); depth++) {
		uintptr_t saved1 = ((uintptr_t *)fp)[-1];
		uintptr_t saved2 = ((uintptr_t *)fp)[-2];
		uintptr_t next_fp;

		if (depth == 0 && !ksym_is_text(saved1) && ksym_is_text(ra)) {
			pc = ra;          /* leaf frame */
			next_fp = saved1;
		} else {
			pc = saved1;
			next_fp = saved2;
		}
		if (!ksym_is_text(pc))
			break;
		print_addr("  ", pc - 4); /* the call, not the return point */
		if (next_fp <= fp)
			break;
		fp = next_fp;
	}
}

static void panic_begin(void)
{
	irq_save(); /* interrupts stay off from here on */
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST)) {
		for (;;)
			cpu_wait_for_interrupt(); /* a panic inside the panic */
	}
	console_panic_mode();
	ipi_stop_others(); /* the others halt: the report is this hart's alone */
}

static void __noreturn panic_end(void)
{
	pr_err("---[ end of kernel panic: system halted ]---\n");
	for (;;)
		cpu_wait_for_interrupt();
}

static void stack_bounds(uintptr_t sp, uintptr_t *lo, uintptr_t *hi)
{
	struct hart *h = this_hart();

	*lo = h->stack_lo;
	*hi = h->stack_hi;
	if (sp < *lo || sp > *hi) { /* on the emergency stack */
		*hi = h->emergency_top;
		*lo = *hi - EMERGENCY_STACK_SIZE;
	}
}

/* Which task the hart was running (none before the boot flow became one). */
static void print_task(void)
{
	struct task *t = task_current();

	pr_err("task: %s\n", t ? task_name(t) : "(none yet)");
}

void trap_report(const struct trapframe *tf)
{
	uintptr_t lo, hi;

	pr_err("cause: %s (scause 0x%lx)\n", trap_cause_name(tf->scause), tf->scause);
	print_addr("sepc:  ", tf->sepc);
	pr_err("stval: 0x%016lx  sstatus: 0x%016lx\n", tf->stval, tf->sstatus);
	for (int i = 1; i < 32; i += 4)
		pr_err("%4s 0x%016lx %4s 0x%016lx %4s 0x%016lx %4s 0x%016lx\n", reg_names[i],
		       tf->regs[i], reg_names[i + 1], tf->regs[i + 1], reg_names[i + 2],
		       tf->regs[i + 2], i + 3 < 32 ? reg_names[i + 3] : "", i + 3 < 32 ? tf->regs[i + 3] : 0);
	stack_bounds(tf->regs[REG_SP], &lo, &hi);
	/* An overflowed stack is still where the frames are. */
	if (tf->regs[REG_FP] > this_hart()->stack_lo - 4096 && tf->regs[REG_FP] <= this_hart()->stack_hi) {
		lo = this_hart()->stack_lo;
		hi = this_hart()->stack_hi;
	}
	backtrace(tf->sepc, tf->regs[REG_RA], tf->regs[REG_FP], lo, hi);
}

void panic_trap(struct trapframe *tf, const char *why)
{
	panic_begin();
	pr_err("\n---[ kernel panic on hart %u: %s ]---\n", this_hart()->hartid, why);
	print_task();
	trap_report(tf);
	panic_end();
}

void panic(const char *fmt, ...)
{
	uintptr_t fp = (uintptr_t)__builtin_frame_address(0);
	uintptr_t lo, hi;
	va_list ap;

	panic_begin();
	pr_err("\n---[ kernel panic on hart %u ]---\n", this_hart()->hartid);
	print_task();
	va_start(ap, fmt);
	kvlog(LOG_ERR, fmt, ap);
	va_end(ap);
	pr_err("\n");
	stack_bounds(fp, &lo, &hi);
	/* panic() never returns, so its call may be the caller's last
	 * instruction: name the call site, not the return address. */
	backtrace((uintptr_t)__builtin_return_address(0) - 4, 0, ((uintptr_t *)fp)[-2], lo, hi);
	panic_end();
}
