/* Fault signals against Linux: SIGSEGV with SEGV_MAPERR and SEGV_ACCERR and
 * the faulting address, SIGILL and SIGTRAP at the pc, a handler that
 * recovers with siglongjmp, a fault while the signal is blocked or ignored
 * kills, and a bad sigreturn frame kills only that process. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static sigjmp_buf g_jump;
static volatile int g_sig, g_code;
static void *volatile g_addr;

static void fault_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	g_sig = sig;
	g_code = si->si_code;
	g_addr = si->si_addr;
	siglongjmp(g_jump, 1);
}

static void catch(int sig)
{
	struct sigaction sa = { .sa_sigaction = fault_handler, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void test_segv_codes(void)
{
	char *volatile page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	catch(SIGSEGV);
	g_sig = 0;
	if (sigsetjmp(g_jump, 1) == 0)
		*(volatile int *)((char *)g_low_addr + 4) = 1;
	CHECK(g_sig == SIGSEGV && g_code == SEGV_MAPERR && g_addr == (char *)g_low_addr + 4);

	CHECK(page != MAP_FAILED);
	g_sig = 0;
	if (sigsetjmp(g_jump, 1) == 0)
		page[8] = 1;
	CHECK(g_sig == SIGSEGV && g_code == SEGV_ACCERR && g_addr == page + 8);
	/* siglongjmp restored the mask: the next fault is caught again. */
	g_sig = 0;
	if (sigsetjmp(g_jump, 1) == 0)
		page[16] = 1;
	CHECK(g_sig == SIGSEGV && g_addr == page + 16);
	signal(SIGSEGV, SIG_DFL);
}

extern char ill_insn[], brk_insn[];

static void test_ill_and_trap(void)
{
	catch(SIGILL);
	g_sig = 0;
	if (sigsetjmp(g_jump, 1) == 0)
		__asm__ volatile(".globl ill_insn\nill_insn: .word 0\n"); /* an illegal all-zero word */
	CHECK(g_sig == SIGILL && g_code == ILL_ILLOPC && g_addr == (void *)ill_insn);
	signal(SIGILL, SIG_DFL);

	catch(SIGTRAP);
	g_sig = 0;
	if (sigsetjmp(g_jump, 1) == 0)
		__asm__ volatile(".globl brk_insn\nbrk_insn: ebreak\n");
	CHECK(g_sig == SIGTRAP && g_code == TRAP_BRKPT && g_addr == (void *)brk_insn);
	signal(SIGTRAP, SIG_DFL);
}

/* Runs fn in a child and returns its wait status. */
static int in_child(void (*fn)(void))
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return status;
}

static void fault_blocked(void)
{
	sigset_t set;

	catch(SIGSEGV);
	sigemptyset(&set);
	sigaddset(&set, SIGSEGV);
	sigprocmask(SIG_BLOCK, &set, NULL);
	*(volatile int *)g_low_addr = 1;
}

static void fault_ignored(void)
{
	signal(SIGSEGV, SIG_IGN);
	*(volatile int *)g_low_addr = 1;
}

static void bad_sigreturn(void)
{
	/* sp at unmapped memory: the frame cannot be read. */
	__asm__ volatile("mv sp, %0\n li a7, %1\n ecall\n" ::"r"(g_low_addr), "i"(SYS_rt_sigreturn));
}

static void killed_by_user(void)
{
	kill(getpid(), SIGSEGV); /* no core file is written: no WCOREDUMP */
}

static void test_fatal(void)
{
	int st = in_child(fault_blocked);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	st = in_child(fault_ignored);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	st = in_child(bad_sigreturn);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	st = in_child(killed_by_user);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
}

int main(void)
{
	test_segv_codes();
	test_ill_and_trap();
	test_fatal();
	return check_done("test_sigfault");
}
