/* A system call changes a0 and nothing else: every other register the
 * program set before the ecall is still there afterwards (the Linux RISC-V
 * ABI). Checked for calls that return at once, fail, yield, sleep, block
 * until another process writes, and block until a signal handler runs and
 * the call restarts (SA_RESTART), since each takes another way back to
 * user mode; on 4 harts the sleepers may also wake on another hart. */
#include "check.h"
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ecall_probe(in, out): loads x1, x5-x31 from in[n] (in[10] = a0 ...,
 * in[17] = a7, the call's number), runs one ecall and stores every
 * register into out[n]. sp, gp and tp keep the program's values (a signal
 * handler may run during the call and needs them); they are stored too. */
void ecall_probe(const uint64_t in[32], uint64_t out[32]);
__asm__(".text\n"
	".globl ecall_probe\n"
	"ecall_probe:\n"
	"	addi sp, sp, -128\n"
	"	sd ra, 0(sp)\n"
	"	sd s0, 8(sp)\n"
	"	sd s1, 16(sp)\n"
	"	sd s2, 24(sp)\n"
	"	sd s3, 32(sp)\n"
	"	sd s4, 40(sp)\n"
	"	sd s5, 48(sp)\n"
	"	sd s6, 56(sp)\n"
	"	sd s7, 64(sp)\n"
	"	sd s8, 72(sp)\n"
	"	sd s9, 80(sp)\n"
	"	sd s10, 88(sp)\n"
	"	sd s11, 96(sp)\n"
	"	sd a1, 104(sp)\n" /* out */
	"	mv t6, a0\n"
	"	ld ra, 8(t6)\n"
	"	ld t0, 40(t6)\n"
	"	ld t1, 48(t6)\n"
	"	ld t2, 56(t6)\n"
	"	ld s0, 64(t6)\n"
	"	ld s1, 72(t6)\n"
	"	ld a0, 80(t6)\n"
	"	ld a1, 88(t6)\n"
	"	ld a2, 96(t6)\n"
	"	ld a3, 104(t6)\n"
	"	ld a4, 112(t6)\n"
	"	ld a5, 120(t6)\n"
	"	ld a6, 128(t6)\n"
	"	ld a7, 136(t6)\n"
	"	ld s2, 144(t6)\n"
	"	ld s3, 152(t6)\n"
	"	ld s4, 160(t6)\n"
	"	ld s5, 168(t6)\n"
	"	ld s6, 176(t6)\n"
	"	ld s7, 184(t6)\n"
	"	ld s8, 192(t6)\n"
	"	ld s9, 200(t6)\n"
	"	ld s10, 208(t6)\n"
	"	ld s11, 216(t6)\n"
	"	ld t3, 224(t6)\n"
	"	ld t4, 232(t6)\n"
	"	ld t5, 240(t6)\n"
	"	ld t6, 248(t6)\n"
	"	ecall\n"
	"	sd t6, 112(sp)\n"
	"	ld t6, 104(sp)\n"
	"	sd ra, 8(t6)\n"
	"	sd sp, 16(t6)\n"
	"	sd gp, 24(t6)\n"
	"	sd tp, 32(t6)\n"
	"	sd t0, 40(t6)\n"
	"	sd t1, 48(t6)\n"
	"	sd t2, 56(t6)\n"
	"	sd s0, 64(t6)\n"
	"	sd s1, 72(t6)\n"
	"	sd a0, 80(t6)\n"
	"	sd a1, 88(t6)\n"
	"	sd a2, 96(t6)\n"
	"	sd a3, 104(t6)\n"
	"	sd a4, 112(t6)\n"
	"	sd a5, 120(t6)\n"
	"	sd a6, 128(t6)\n"
	"	sd a7, 136(t6)\n"
	"	sd s2, 144(t6)\n"
	"	sd s3, 152(t6)\n"
	"	sd s4, 160(t6)\n"
	"	sd s5, 168(t6)\n"
	"	sd s6, 176(t6)\n"
	"	sd s7, 184(t6)\n"
	"	sd s8, 192(t6)\n"
	"	sd s9, 200(t6)\n"
	"	sd s10, 208(t6)\n"
	"	sd s11, 216(t6)\n"
	"	sd t3, 224(t6)\n"
	"	sd t4, 232(t6)\n"
	"	sd t5, 240(t6)\n"
	"	ld t5, 112(sp)\n"
	"	sd t5, 248(t6)\n"
	"	ld ra, 0(sp)\n"
	"	ld s0, 8(sp)\n"
	"	ld s1, 16(sp)\n"
	"	ld s2, 24(sp)\n"
	"	ld s3, 32(sp)\n"
	"	ld s4, 40(sp)\n"
	"	ld s5, 48(sp)\n"
	"	ld s6, 56(sp)\n"
	"	ld s7, 64(sp)\n"
	"	ld s8, 72(sp)\n"
	"	ld s9, 80(sp)\n"
	"	ld s10, 88(sp)\n"
	"	ld s11, 96(sp)\n"
	"	addi sp, sp, 128\n"
	"	ret\n");

enum { R_RA = 1, R_SP, R_GP, R_TP, R_A0 = 10, R_A7 = 17 };

static int pipe_fds[2];

/* Runs call nr(args) with a distinct pattern in every other register;
 * returns its a0 and counts one check per register that must survive. */
static long probe(long nr, long a0, long a1, long a2)
{
	uint64_t in[32], out[32], sp, gp, tp;

	for (int n = 0; n < 32; n++)
		in[n] = 0x5a5a000000000000ULL | ((uint64_t)nr << 16) | (uint64_t)n * 0x0101;
	in[R_A0] = (uint64_t)a0;
	in[R_A0 + 1] = (uint64_t)a1;
	in[R_A0 + 2] = (uint64_t)a2;
	in[R_A7] = (uint64_t)nr;
	__asm__ volatile("mv %0, sp\n\tmv %1, gp\n\tmv %2, tp" : "=r"(sp), "=r"(gp), "=r"(tp));
	ecall_probe(in, out);
	int bad = 0;
	for (int n = 1; n < 32; n++) {
		uint64_t want = n == R_SP ? sp - 128 : n == R_GP ? gp : n == R_TP ? tp : in[n];
		if (n == R_A0 || out[n] == want)
			continue;
		printf("FAIL: syscall %ld changed x%d: 0x%lx, was 0x%lx\n", nr, n,
		       (unsigned long)out[n], (unsigned long)want);
		bad++;
	}
	CHECK(bad == 0);
	return (long)out[R_A0];
}

static void on_alarm(int sig)
{
	(void)sig;
	/* The read below is blocked: give it its byte, after the restart. */
	if (write(pipe_fds[1], "s", 1) != 1)
		_exit(3);
}

static void child_writes_later(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct timespec t = { 0, 20 * 1000 * 1000 };

		nanosleep(&t, NULL);
		_exit(write(pipe_fds[1], "c", 1) == 1 ? 0 : 1);
	}
	CHECK(pid > 0);
}

int main(void)
{
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	char byte = 0;
	int status;

	CHECK(pipe(pipe_fds) == 0);
	/* Straight back: the quick path. */
	CHECK(probe(SYS_getppid, 0, 0, 0) == getppid());
	CHECK(probe(SYS_close, -1, 0, 0) == -EBADF);
	CHECK(probe(SYS_getpid, 0, 0, 0) == getpid());
	/* Through the scheduler. */
	CHECK(probe(SYS_sched_yield, 0, 0, 0) == 0);
	CHECK(probe(SYS_nanosleep, (long)&ts, 0, 0) == 0);
	/* Blocked until another process writes. */
	child_writes_later();
	CHECK(probe(SYS_read, pipe_fds[0], (long)&byte, 1) == 1 && byte == 'c');
	CHECK(wait(&status) > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* Blocked, interrupted by a handler, restarted: the way back goes
	 * through the signal frame and sigreturn, then the call again. */
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	struct itimerval it = { .it_value = { 0, 20 * 1000 } };
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	byte = 0;
	CHECK(probe(SYS_read, pipe_fds[0], (long)&byte, 1) == 1 && byte == 's');
	/* And quick again once the signal is done with. */
	CHECK(probe(SYS_getppid, 0, 0, 0) == getppid());
	return check_done("test_syscall_regs");
}
