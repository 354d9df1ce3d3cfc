/* Signal handlers against Linux: arguments and siginfo, masks during and
 * after a handler, SA_NODEFER / SA_RESETHAND / SIG_IGN, pending and blocked
 * signals, sigsuspend, sigtimedwait, sigaltstack, nesting, every register
 * (FP too) back after sigreturn, a handler's edits to its ucontext, EINTR against SA_RESTART, and exec
 * resetting handlers. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include "check.h"

static volatile int g_count, g_sig, g_code, g_pid, g_order[4], g_norder;
static volatile bool g_blocked_self, g_blocked_usr2, g_uc_ok;
static volatile uintptr_t g_local_addr;

/* The Linux reference is qemu-user, which emulates a few things itself. */
static bool is_blocked(int sig)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, sig);
}

static void info_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	g_count++;
	g_sig = sig;
	g_code = si->si_code;
	g_pid = si->si_pid;
	g_uc_ok = uc && uc->uc_mcontext.__gregs[0] != 0; /* REG_PC */
	g_blocked_self = is_blocked(sig);
	g_blocked_usr2 = is_blocked(SIGUSR2);
}

static void set_handler(int sig, void (*fn)(int, siginfo_t *, void *), int flags, int masked)
{
	struct sigaction sa = { .sa_sigaction = fn, .sa_flags = SA_SIGINFO | flags };

	sigemptyset(&sa.sa_mask);
	if (masked)
		sigaddset(&sa.sa_mask, masked);
	CHECK(sigaction(sig, &sa, NULL) == 0);
}

static void test_handler_args(void)
{
	g_count = 0;
	set_handler(SIGUSR1, info_handler, 0, SIGUSR2);
	CHECK(kill(getpid(), SIGUSR1) == 0);
	CHECK(g_count == 1 && g_sig == SIGUSR1);
	CHECK(g_code == SI_USER && g_pid == getpid());
	CHECK(g_uc_ok);
	CHECK(g_blocked_self); /* the signal itself */
	/* sa_mask too (Linux does; qemu-user 7.2 does not show it to the handler) */
	CHECK(g_blocked_usr2 || !on_rivet());
	CHECK(!is_blocked(SIGUSR1) && !is_blocked(SIGUSR2)); /* mask back */
	CHECK(raise(SIGUSR1) == 0 && g_count == 2 && g_code == SI_TKILL);

	set_handler(SIGUSR1, info_handler, SA_NODEFER, 0);
	CHECK(raise(SIGUSR1) == 0 && g_count == 3 && !g_blocked_self);

	set_handler(SIGUSR1, info_handler, SA_RESETHAND, 0);
	CHECK(raise(SIGUSR1) == 0 && g_count == 4);
	struct sigaction old;
	CHECK(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == SIG_DFL);
}

/* sigqueue: SI_QUEUE with the value; real-time signals queue; kill(0)
 * reaches our own group. */
static void test_sigqueue_and_group(void)
{
	sigset_t set;
	siginfo_t si;
	union sigval v = { .sival_int = 77 };
	int status;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	CHECK(sigqueue(getpid(), SIGUSR2, v) == 0);
	CHECK(sigwaitinfo(&set, &si) == SIGUSR2);
	CHECK(si.si_code == SI_QUEUE && si.si_value.sival_int == 77 && si.si_pid == getpid());
	sigprocmask(SIG_UNBLOCK, &set, NULL);

	/* Real-time signals queue, in order, lowest number first. */
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigaddset(&set, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (int i = 1; i <= 3; i++)
		CHECK(sigqueue(getpid(), SIGRTMIN + 1, (union sigval){ .sival_int = 10 + i }) == 0);
	for (int i = 1; i <= 2; i++)
		CHECK(sigqueue(getpid(), SIGRTMIN, (union sigval){ .sival_int = i }) == 0);
	int order[5], values[5];
	for (int i = 0; i < 5; i++) {
		order[i] = sigwaitinfo(&set, &si);
		values[i] = si.si_value.sival_int;
	}
	CHECK(order[0] == SIGRTMIN && values[0] == 1 && order[1] == SIGRTMIN && values[1] == 2);
	CHECK(order[2] == SIGRTMIN + 1 && values[2] == 11 && values[3] == 12 && values[4] == 13);
	struct timespec zero = { 0, 0 };
	CHECK_ERR(sigtimedwait(&set, &si, &zero), EAGAIN);
	/* pthread_sigqueue's call: to one thread of a group (here: the process). */
	siginfo_t qi = { .si_code = SI_QUEUE, .si_pid = getpid(), .si_value.sival_int = 5 };
	CHECK(syscall(SYS_rt_tgsigqueueinfo, getpid(), getpid(), SIGRTMIN, &qi) == 0);
	CHECK(sigwaitinfo(&set, &si) == SIGRTMIN && si.si_value.sival_int == 5);
	CHECK_ERR(syscall(SYS_rt_tgsigqueueinfo, getpid(), 999999, SIGRTMIN, &qi), ESRCH);
	CHECK_ERR(syscall(SYS_rt_sigqueueinfo, getpid(), SIGRTMIN, g_low_addr), EFAULT);
	sigprocmask(SIG_UNBLOCK, &set, NULL);

	pid_t pid = fork();
	if (pid == 0) {
		g_count = 0;
		setpgid(0, 0);
		set_handler(SIGUSR1, info_handler, 0, 0);
		kill(0, SIGUSR1);
		_exit(g_count == 1 && g_code == SI_USER ? 0 : 1);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_sigaction_errors(void)
{
	struct sigaction sa = { .sa_handler = SIG_IGN };
	uint64_t k[3] = { 1, 0, 0 }; /* kernel struct sigaction: handler, flags, mask */

	CHECK_ERR(sigaction(SIGKILL, &sa, NULL), EINVAL);
	CHECK_ERR(sigaction(SIGSTOP, &sa, NULL), EINVAL);
	CHECK(sigaction(SIGKILL, NULL, &sa) == 0);
	CHECK_ERR(syscall(SYS_rt_sigaction, SIGUSR1, k, NULL, 4), EINVAL);
	CHECK_ERR(syscall(SYS_rt_sigaction, 0, k, NULL, 8), EINVAL);
	CHECK_ERR(syscall(SYS_rt_sigaction, 65, k, NULL, 8), EINVAL);
	CHECK_ERR(syscall(SYS_rt_sigaction, SIGUSR1, g_low_addr, NULL, 8), EFAULT);
	CHECK_ERR(syscall(SYS_rt_sigaction, SIGUSR1, NULL, g_kernel_addr, 8), EFAULT);
	CHECK_ERR(syscall(SYS_rt_sigprocmask, 7, k, NULL, 8), EINVAL);
	CHECK_ERR(syscall(SYS_rt_sigprocmask, SIG_BLOCK, g_low_addr, NULL, 8), EFAULT);
	CHECK_ERR(syscall(SYS_rt_sigpending, k, 16), EINVAL);
	CHECK_ERR(kill(getpid(), 65), EINVAL);
	CHECK(kill(getpid(), 0) == 0);
	CHECK_ERR(kill(999999, 0), ESRCH);
	CHECK_ERR(syscall(SYS_tgkill, getpid(), 999999, 0), ESRCH);
	CHECK_ERR(syscall(SYS_tgkill, 0, getpid(), 0), EINVAL);
	CHECK(syscall(SYS_tgkill, getpid(), getpid(), 0) == 0);
	/* Unknown flag bits are cleared (riscv has no SA_RESTORER). */
	uint64_t act[3] = { 1, 0x04000000UL | SA_RESTART, 0 }, got[3];
	CHECK(syscall(SYS_rt_sigaction, SIGUSR2, act, NULL, 8) == 0);
	CHECK(syscall(SYS_rt_sigaction, SIGUSR2, NULL, got, 8) == 0);
	CHECK(got[0] == 1 && (got[1] & SA_RESTART));
	CHECK(got[1] == SA_RESTART || !on_rivet()); /* Linux clears it; qemu-user keeps it */
	/* act and oldact together: the old one comes back, the new one is set. */
	uint64_t dfl[3] = { 0, 0, 0 };
	CHECK(syscall(SYS_rt_sigaction, SIGUSR2, dfl, got, 8) == 0 && got[0] == 1);
	CHECK(syscall(SYS_rt_sigaction, SIGUSR2, NULL, got, 8) == 0 && got[0] == 0);
	signal(SIGUSR2, SIG_DFL);
}

static void test_pending_and_ignored(void)
{
	sigset_t set, pend;

	g_count = 0;
	set_handler(SIGUSR1, info_handler, 0, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	CHECK(raise(SIGUSR1) == 0 && raise(SIGUSR1) == 0 && g_count == 0);
	CHECK(sigpending(&pend) == 0 && sigismember(&pend, SIGUSR1));
	CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0);
	CHECK(g_count == 1); /* standard signals do not queue */
	CHECK(sigpending(&pend) == 0 && !sigismember(&pend, SIGUSR1));

	signal(SIGUSR2, SIG_IGN);
	CHECK(raise(SIGUSR2) == 0);
	CHECK(sigpending(&pend) == 0 && !sigismember(&pend, SIGUSR2));
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	CHECK(raise(SIGUSR2) == 0); /* blocked: kept though ignored */
	CHECK(sigpending(&pend) == 0 && sigismember(&pend, SIGUSR2));
	signal(SIGUSR2, SIG_IGN); /* setting SIG_IGN drops it */
	CHECK(sigpending(&pend) == 0 && !sigismember(&pend, SIGUSR2));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	signal(SIGUSR2, SIG_DFL);
	/* SIGKILL and SIGSTOP cannot be blocked. */
	sigfillset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	sigprocmask(SIG_SETMASK, NULL, &pend);
	CHECK(!sigismember(&pend, SIGKILL) && !sigismember(&pend, SIGSTOP) &&
	      sigismember(&pend, SIGUSR1));
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
}

static void alarm_in_ms(int ms)
{
	struct itimerval it = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

static void test_sigsuspend_and_wait(void)
{
	sigset_t set, empty, cur;
	siginfo_t si;
	struct timespec zero = { 0, 0 }, short_wait = { 0, 20 * 1000 * 1000 };

	g_count = 0;
	set_handler(SIGALRM, info_handler, 0, 0);
	sigemptyset(&set);
	sigemptyset(&empty);
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	alarm_in_ms(30);
	CHECK_ERR(sigsuspend(&empty), EINTR);
	CHECK(g_count == 1 && g_sig == SIGALRM && g_code == SI_KERNEL);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(sigismember(&cur, SIGALRM)); /* the old mask is back */
	sigprocmask(SIG_UNBLOCK, &set, NULL);

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	CHECK(kill(getpid(), SIGUSR2) == 0);
	memset(&si, 0, sizeof(si));
	CHECK(sigtimedwait(&set, &si, &zero) == SIGUSR2);
	CHECK(si.si_signo == SIGUSR2 && si.si_code == SI_USER && si.si_pid == getpid());
	CHECK_ERR(sigtimedwait(&set, &si, &zero), EAGAIN);
	CHECK_ERR(sigtimedwait(&set, &si, &short_wait), EAGAIN);
	struct timespec bad = { 0, 1000000000 };
	CHECK_ERR(sigtimedwait(&set, &si, &bad), EINVAL);
	/* A signal the wait is for wakes it even though it is blocked. */
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	alarm_in_ms(20);
	CHECK(sigwaitinfo(&set, &si) == SIGALRM && si.si_signo == SIGALRM);
	/* A SIGCHLD, ignored by default, still arrives when waited for. */
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	pid_t pid = fork();
	if (pid == 0)
		_exit(5);
	CHECK(sigwaitinfo(&chld, &si) == SIGCHLD);
	CHECK(si.si_code == CLD_EXITED && si.si_pid == pid && si.si_status == 5);
	CHECK(waitpid(pid, NULL, 0) == pid);
	sigprocmask(SIG_UNBLOCK, &chld, NULL);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static char g_altstack[65536] __attribute__((aligned(16)));
static volatile int g_alt_flags;

static void alt_handler(int sig, siginfo_t *si, void *uc)
{
	char local;
	stack_t ss;

	(void)sig, (void)si, (void)uc;
	g_local_addr = (uintptr_t)&local;
	sigaltstack(NULL, &ss);
	g_alt_flags = ss.ss_flags;
}

static bool on_alt(uintptr_t a)
{
	return a >= (uintptr_t)g_altstack && a < (uintptr_t)g_altstack + sizeof(g_altstack);
}

static void test_sigaltstack(void)
{
	stack_t ss = { 0 }, old;

	CHECK(sigaltstack(NULL, &old) == 0 && old.ss_flags == SS_DISABLE);
	ss.ss_sp = g_altstack;
	ss.ss_size = 1024;
	CHECK_ERR(sigaltstack(&ss, NULL), ENOMEM);
	ss.ss_size = sizeof(g_altstack);
	ss.ss_flags = 0x10;
	CHECK_ERR(sigaltstack(&ss, NULL), EINVAL);
	ss.ss_flags = 0;
	CHECK_ERR(sigaltstack(g_low_addr, NULL), EFAULT);
	CHECK(sigaltstack(&ss, NULL) == 0);
	CHECK(sigaltstack(NULL, &old) == 0 && old.ss_flags == 0 && old.ss_sp == g_altstack &&
	      old.ss_size == sizeof(g_altstack));
	set_handler(SIGUSR1, alt_handler, SA_ONSTACK, 0);
	CHECK(raise(SIGUSR1) == 0);
	CHECK(on_alt(g_local_addr) && g_alt_flags == SS_ONSTACK);
	set_handler(SIGUSR1, alt_handler, 0, 0);
	CHECK(raise(SIGUSR1) == 0);
	CHECK(!on_alt(g_local_addr) && g_alt_flags == 0);
	ss.ss_flags = SS_DISABLE;
	CHECK(sigaltstack(&ss, NULL) == 0);
	CHECK(sigaltstack(NULL, &old) == 0 && old.ss_flags == SS_DISABLE);
}

static void inner_handler(int sig, siginfo_t *si, void *uc)
{
	(void)si, (void)uc;
	g_order[g_norder++] = sig;
}

static void outer_handler(int sig, siginfo_t *si, void *uc)
{
	sigset_t set;

	(void)si, (void)uc;
	g_order[g_norder++] = sig;
	raise(SIGUSR2); /* not masked: runs nested, now */
	g_order[g_norder++] = -sig;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL); /* undone by sigreturn */
}

static void test_nesting(void)
{
	g_norder = 0;
	set_handler(SIGUSR1, outer_handler, 0, 0);
	set_handler(SIGUSR2, inner_handler, 0, 0);
	CHECK(raise(SIGUSR1) == 0);
	CHECK(g_norder == 3 && g_order[0] == SIGUSR1 && g_order[1] == SIGUSR2 &&
	      g_order[2] == -SIGUSR1);
	CHECK(!is_blocked(SIGUSR2));
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
}

void regs_probe(long pid, uint64_t *out);
/* regs_probe(pid, out): loads a pattern into every register it may, sends
 * itself SIGUSR1 with a bare ecall, and stores what the registers hold after
 * the handler ran and sigreturn came back: out[n] = xn, out[32 + n] = fn,
 * out[64] = fcsr. */
__asm__(".text\n.globl regs_probe\nregs_probe:\n"
	"addi sp, sp, -128\n"
	"sd ra, 0(sp)\n"
	"sd s0, 8(sp)\n"
	"sd s1, 16(sp)\n"
	"sd s2, 24(sp)\n"
	"sd s3, 32(sp)\n"
	"sd s4, 40(sp)\n"
	"sd s5, 48(sp)\n"
	"sd s6, 56(sp)\n"
	"sd s7, 64(sp)\n"
	"sd s8, 72(sp)\n"
	"sd s9, 80(sp)\n"
	"sd s10, 88(sp)\n"
	"sd s11, 96(sp)\n"
	"mv s1, a1\n"
	"li t0, 0x3ff0000000000000\n fmv.d.x f0, t0\n"
	"li t0, 0x3ff0001000000001\n fmv.d.x f1, t0\n"
	"li t0, 0x3ff0002000000002\n fmv.d.x f2, t0\n"
	"li t0, 0x3ff0003000000003\n fmv.d.x f3, t0\n"
	"li t0, 0x3ff0004000000004\n fmv.d.x f4, t0\n"
	"li t0, 0x3ff0005000000005\n fmv.d.x f5, t0\n"
	"li t0, 0x3ff0006000000006\n fmv.d.x f6, t0\n"
	"li t0, 0x3ff0007000000007\n fmv.d.x f7, t0\n"
	"li t0, 0x3ff0008000000008\n fmv.d.x f8, t0\n"
	"li t0, 0x3ff0009000000009\n fmv.d.x f9, t0\n"
	"li t0, 0x3ff000a00000000a\n fmv.d.x f10, t0\n"
	"li t0, 0x3ff000b00000000b\n fmv.d.x f11, t0\n"
	"li t0, 0x3ff000c00000000c\n fmv.d.x f12, t0\n"
	"li t0, 0x3ff000d00000000d\n fmv.d.x f13, t0\n"
	"li t0, 0x3ff000e00000000e\n fmv.d.x f14, t0\n"
	"li t0, 0x3ff000f00000000f\n fmv.d.x f15, t0\n"
	"li t0, 0x3ff0010000000010\n fmv.d.x f16, t0\n"
	"li t0, 0x3ff0011000000011\n fmv.d.x f17, t0\n"
	"li t0, 0x3ff0012000000012\n fmv.d.x f18, t0\n"
	"li t0, 0x3ff0013000000013\n fmv.d.x f19, t0\n"
	"li t0, 0x3ff0014000000014\n fmv.d.x f20, t0\n"
	"li t0, 0x3ff0015000000015\n fmv.d.x f21, t0\n"
	"li t0, 0x3ff0016000000016\n fmv.d.x f22, t0\n"
	"li t0, 0x3ff0017000000017\n fmv.d.x f23, t0\n"
	"li t0, 0x3ff0018000000018\n fmv.d.x f24, t0\n"
	"li t0, 0x3ff0019000000019\n fmv.d.x f25, t0\n"
	"li t0, 0x3ff001a00000001a\n fmv.d.x f26, t0\n"
	"li t0, 0x3ff001b00000001b\n fmv.d.x f27, t0\n"
	"li t0, 0x3ff001c00000001c\n fmv.d.x f28, t0\n"
	"li t0, 0x3ff001d00000001d\n fmv.d.x f29, t0\n"
	"li t0, 0x3ff001e00000001e\n fmv.d.x f30, t0\n"
	"li t0, 0x3ff001f00000001f\n fmv.d.x f31, t0\n"
	"li t0, 0x65\n csrw fcsr, t0\n"
	"li x5, 0x5a5a000000050005\n"
	"li x6, 0x5a5a000000060006\n"
	"li x7, 0x5a5a000000070007\n"
	"li x8, 0x5a5a000000080008\n"
	"li x12, 0x5a5a0000000c000c\n"
	"li x13, 0x5a5a0000000d000d\n"
	"li x14, 0x5a5a0000000e000e\n"
	"li x15, 0x5a5a0000000f000f\n"
	"li x16, 0x5a5a000000100010\n"
	"li x18, 0x5a5a000000120012\n"
	"li x19, 0x5a5a000000130013\n"
	"li x20, 0x5a5a000000140014\n"
	"li x21, 0x5a5a000000150015\n"
	"li x22, 0x5a5a000000160016\n"
	"li x23, 0x5a5a000000170017\n"
	"li x24, 0x5a5a000000180018\n"
	"li x25, 0x5a5a000000190019\n"
	"li x26, 0x5a5a0000001a001a\n"
	"li x27, 0x5a5a0000001b001b\n"
	"li x28, 0x5a5a0000001c001c\n"
	"li x29, 0x5a5a0000001d001d\n"
	"li x30, 0x5a5a0000001e001e\n"
	"li x31, 0x5a5a0000001f001f\n"
	"li x1, 0x5a5a000000010001\n"
	"li a1, 10\n li a7, 129\n ecall\n"
	"sd x5, 40(s1)\n"
	"sd x6, 48(s1)\n"
	"sd x7, 56(s1)\n"
	"sd x8, 64(s1)\n"
	"sd x12, 96(s1)\n"
	"sd x13, 104(s1)\n"
	"sd x14, 112(s1)\n"
	"sd x15, 120(s1)\n"
	"sd x16, 128(s1)\n"
	"sd x18, 144(s1)\n"
	"sd x19, 152(s1)\n"
	"sd x20, 160(s1)\n"
	"sd x21, 168(s1)\n"
	"sd x22, 176(s1)\n"
	"sd x23, 184(s1)\n"
	"sd x24, 192(s1)\n"
	"sd x25, 200(s1)\n"
	"sd x26, 208(s1)\n"
	"sd x27, 216(s1)\n"
	"sd x28, 224(s1)\n"
	"sd x29, 232(s1)\n"
	"sd x30, 240(s1)\n"
	"sd x31, 248(s1)\n"
	"sd x1, 8(s1)\n"
	"sd a0, 80(s1)\n"
	"fsd f0, 256(s1)\n"
	"fsd f1, 264(s1)\n"
	"fsd f2, 272(s1)\n"
	"fsd f3, 280(s1)\n"
	"fsd f4, 288(s1)\n"
	"fsd f5, 296(s1)\n"
	"fsd f6, 304(s1)\n"
	"fsd f7, 312(s1)\n"
	"fsd f8, 320(s1)\n"
	"fsd f9, 328(s1)\n"
	"fsd f10, 336(s1)\n"
	"fsd f11, 344(s1)\n"
	"fsd f12, 352(s1)\n"
	"fsd f13, 360(s1)\n"
	"fsd f14, 368(s1)\n"
	"fsd f15, 376(s1)\n"
	"fsd f16, 384(s1)\n"
	"fsd f17, 392(s1)\n"
	"fsd f18, 400(s1)\n"
	"fsd f19, 408(s1)\n"
	"fsd f20, 416(s1)\n"
	"fsd f21, 424(s1)\n"
	"fsd f22, 432(s1)\n"
	"fsd f23, 440(s1)\n"
	"fsd f24, 448(s1)\n"
	"fsd f25, 456(s1)\n"
	"fsd f26, 464(s1)\n"
	"fsd f27, 472(s1)\n"
	"fsd f28, 480(s1)\n"
	"fsd f29, 488(s1)\n"
	"fsd f30, 496(s1)\n"
	"fsd f31, 504(s1)\n"
	"frcsr t0\n sd t0, 512(s1)\n"
	"ld ra, 0(sp)\n"
	"ld s0, 8(sp)\n"
	"ld s1, 16(sp)\n"
	"ld s2, 24(sp)\n"
	"ld s3, 32(sp)\n"
	"ld s4, 40(sp)\n"
	"ld s5, 48(sp)\n"
	"ld s6, 56(sp)\n"
	"ld s7, 64(sp)\n"
	"ld s8, 72(sp)\n"
	"ld s9, 80(sp)\n"
	"ld s10, 88(sp)\n"
	"ld s11, 96(sp)\n"
	"addi sp, sp, 128\n ret\n");

/* Clobbers every register a handler could, FP and fcsr included. */
static void clobber_handler(int sig)
{
	(void)sig;
	__asm__ volatile("fmv.d.x f0, zero\n fmv.d.x f1, zero\n fmv.d.x f7, zero\n"
			 "fmv.d.x f8, zero\n fmv.d.x f9, zero\n fmv.d.x f18, zero\n"
			 "fmv.d.x f27, zero\n fmv.d.x f31, zero\n fscsr zero\n"
			 "li t0, 0\n li t1, 0\n li t2, 0\n li t3, 0\n li t4, 0\n li t5, 0\n li t6, 0\n"
			 "li a2, 0\n li a3, 0\n li a4, 0\n li a5, 0\n li a6, 0\n li a7, 0\n"
			 "li s2, 0\n li s3, 0\n li s4, 0\n li s11, 0\n"
			 ::: "f0", "f1", "f7", "f8", "f9", "f18", "f27", "f31", "t0", "t1", "t2",
			 "t3", "t4", "t5", "t6", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3",
			 "s4", "s11", "memory");
	g_count++;
}

static void test_registers(void)
{
	static const int regs[] = { 5, 6, 7, 8, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 24,
				    25, 26, 27, 28, 29, 30, 31, 1 };
	static uint64_t out[65];
	bool ok = true;

	g_count = 0;
	signal(SIGUSR1, clobber_handler);
	regs_probe(getpid(), out);
	CHECK(g_count == 1);
	CHECK(out[10] == 0); /* kill's result */
	for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		int n = regs[i];
		if (out[n] != 0x5a5a000000000000ULL + (uint64_t)n * 0x10001) {
			printf("x%d = %#llx after sigreturn\n", n, (unsigned long long)out[n]);
			ok = false;
		}
	}
	for (int n = 0; n < 32; n++) {
		if (out[32 + n] != 0x3ff0000000000000ULL + (uint64_t)n * 0x1000000001ULL) {
			printf("f%d = %#llx after sigreturn\n", n, (unsigned long long)out[32 + n]);
			ok = false;
		}
	}
	CHECK(ok);
	CHECK(out[64] == 0x65);
	signal(SIGUSR1, SIG_DFL);
}

long edit_probe(long pid);
void edit_landing(void);
/* edit_probe(pid): sends itself SIGUSR1 and returns 0, unless the handler
 * moved the pc to edit_landing, which returns a0 as the handler left it. */
__asm__(".text\n.globl edit_probe\nedit_probe:\n"
	"li a1, 10\n li a7, 129\n ecall\n"
	"li a0, 0\n ret\n"
	".globl edit_landing\nedit_landing:\n ret\n");

static volatile int g_edit;

/* Changes what sigreturn restores: pc, a0, f10, fcsr and the mask. */
static void edit_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig, (void)si;
	uc->uc_mcontext.__gregs[REG_PC] = (uintptr_t)edit_landing;
	/* 3: a0 that looks like -ERESTARTSYS is the code's, never a restart */
	uc->uc_mcontext.__gregs[REG_A0] = g_edit == 3 ? (unsigned long)-512 : 42;
	uc->uc_mcontext.__fpregs.__d.__f[10] = 0x4045000000000000ULL; /* 42.0 */
	uc->uc_mcontext.__fpregs.__d.__fcsr = 0x40; /* rounding mode RUP */
	sigaddset(&uc->uc_sigmask, SIGUSR2);
	if (g_edit == 2) /* no extension state exists: a malformed frame */
		uc->uc_mcontext.__fpregs.__q.__glibc_reserved[1] = 1;
	g_count++;
}

/* A handler's changes to its ucontext are what the interrupted code gets
 * back; a frame with unknown extension state is refused with SIGSEGV. */
static void test_context_edits(void)
{
	uint64_t f10, fcsr;
	sigset_t none;
	int status;

	g_count = 0;
	g_edit = 1;
	sigemptyset(&none);
	set_handler(SIGUSR1, edit_handler, 0, 0);
	CHECK(edit_probe(getpid()) == 42);
	__asm__ volatile("fmv.x.d %0, f10\n frcsr %1" : "=r"(f10), "=r"(fcsr));
	CHECK(g_count == 1);
	CHECK(f10 == 0x4045000000000000ULL && fcsr == 0x40);
	__asm__ volatile("fscsr zero");
	CHECK(is_blocked(SIGUSR2));
	sigprocmask(SIG_SETMASK, &none, NULL);
	g_edit = 3;
	CHECK(edit_probe(getpid()) == -512 && g_count == 2);
	__asm__ volatile("fscsr zero");
	if (on_rivet()) { /* qemu-user does not check the reserved words */
		pid_t pid = fork();
		if (pid == 0) {
			g_edit = 2;
			edit_probe(getpid());
			_exit(0);
		}
		CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
		      WTERMSIG(status) == SIGSEGV);
	}
	signal(SIGUSR1, SIG_DFL);
}

/* Blocking calls: a handler without SA_RESTART makes them fail with EINTR;
 * with SA_RESTART wait4 goes on; nanosleep always fails (Linux). */
static void test_eintr_and_restart(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		usleep(1000 * 1000); /* long enough for the alarms below, even on a busy host */
		_exit(7);
	}
	g_count = 0;
	set_handler(SIGALRM, info_handler, 0, 0);
	alarm_in_ms(50);
	CHECK_ERR(waitpid(pid, &status, 0), EINTR);
	CHECK(g_count == 1);
	set_handler(SIGALRM, info_handler, SA_RESTART, 0);
	alarm_in_ms(50);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 7);
	CHECK(g_count == 2);

	struct timespec req = { 1, 0 }, rem = { 0, 0 };
	alarm_in_ms(50);
	CHECK_ERR(nanosleep(&req, &rem), EINTR);
	CHECK(g_count == 3);
	CHECK(rem.tv_sec == 0 && rem.tv_nsec > 500 * 1000 * 1000);
	signal(SIGALRM, SIG_DFL);
}

/* After exec: handled signals are SIG_DFL, ignored ones stay ignored, the
 * mask is kept. */
static int exec_child(void)
{
	struct sigaction a;
	int bad = 0;

	sigaction(SIGUSR1, NULL, &a);
	bad |= a.sa_handler != SIG_DFL;
	sigaction(SIGUSR2, NULL, &a);
	bad |= a.sa_handler != SIG_IGN;
	bad |= !is_blocked(SIGTERM) << 1;
	return bad ? 40 + bad : 42;
}

static void test_exec_resets(const char *self)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		char *const argv[] = { (char *)self, "exec-child", NULL };
		sigset_t set;
		set_handler(SIGUSR1, info_handler, 0, 0);
		signal(SIGUSR2, SIG_IGN);
		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		sigprocmask(SIG_BLOCK, &set, NULL);
		execv(self, argv);
		_exit(98);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	if (!on_rivet() && WEXITSTATUS(status) == 98)
		printf("SKIP: this Linux reference cannot exec riscv64 programs\n");
	else
		CHECK(WEXITSTATUS(status) == 42);
}

/* Init only gets the signals it handles (Linux's SIGNAL_UNKILLABLE). Only
 * checked when this test is init on Rivet: never aimed at a host's init. */
static void test_init_unkillable(void)
{
	int status;

	if (getpid() != 1 || !on_rivet())
		return;
	pid_t pid = fork();
	if (pid == 0) {
		kill(1, SIGTERM);
		kill(1, SIGKILL);
		kill(1, SIGSTOP);
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	usleep(10 * 1000);
	CHECK(getpid() == 1); /* still here, and not stopped */
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exec-child") == 0)
		return exec_child();
	test_handler_args();
	test_sigaction_errors();
	test_sigqueue_and_group();
	test_pending_and_ignored();
	test_sigsuspend_and_wait();
	test_sigaltstack();
	test_nesting();
	test_registers();
	test_context_edits();
	test_eintr_and_restart();
	test_exec_resets(argv[0]);
	test_init_unkillable();
	return check_done("test_signal");
}
