/* Copies between user and kernel memory: every size and alignment the
 * word loops of uaccess_copy and uaccess_strncpy split differently, and
 * strings and structs that end exactly where the mapping ends (one byte
 * more must be EFAULT, one byte less must work). */
#include "check.h"
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096

static char *guard; /* the first byte of a PROT_NONE page after a mapped one */

static void setup_guard(void)
{
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || mprotect(p + PAGE, PAGE, PROT_NONE) != 0) {
		printf("FAIL: no guard page\n");
		exit(1);
	}
	guard = p + PAGE;
}

/* "/./././" ... of len bytes then name, its NUL the last mapped byte. */
static char *path_at_end(int len, const char *name)
{
	int nlen = (int)strlen(name);
	char *s = guard - (len + nlen + 1);

	for (int i = 0; i < len; i++)
		s[i] = i % 2 ? '.' : '/';
	if (len % 2 == 0 && len) /* end on a slash before the name */
		s[len - 1] = '/';
	memcpy(s + len, name, (size_t)nlen + 1);
	return s;
}

static void test_strings_at_the_end(void)
{
	struct stat st;
	int dirs = 0, missing = 0, efault = 0;

	for (int len = 1; len <= 48; len++) {
		dirs += stat(path_at_end(len, ""), &st) == 0 && S_ISDIR(st.st_mode);
		errno = 0;
		missing += stat(path_at_end(len, "no-such-uaccess-file"), &st) == -1 &&
			   errno == ENOENT;
	}
	CHECK(dirs == 48);
	CHECK(missing == 48);
	for (int k = 1; k <= 48; k++) {
		memset(guard - k, '/', (size_t)k); /* no NUL before the guard page */
		errno = 0;
		efault += stat(guard - k, &st) == -1 && errno == EFAULT;
	}
	CHECK(efault == 48);
}

/* Through a pipe: the kernel copies in from src+so and out to dst+d. */
static bool copy_round(int fd[2], int n, int so, int d)
{
	static char src[160], dst[160];

	for (int i = 0; i < (int)sizeof src; i++) {
		src[i] = (char)(i * 7 + n);
		dst[i] = 0;
	}
	if (write(fd[1], src + so, (size_t)n) != n || read(fd[0], dst + d, (size_t)n) != n)
		return false;
	return memcmp(src + so, dst + d, (size_t)n) == 0 && dst[d + n] == 0 && (!d || dst[d - 1] == 0);
}

static void test_copy_sizes(void)
{
	int fd[2], bad = 0;

	CHECK(pipe(fd) == 0);
	for (int n = 1; n <= 80; n++)
		for (int so = 0; so < 8; so++)
			for (int d = 0; d < 8; d++)
				bad += !copy_round(fd, n, so, d);
	CHECK(bad == 0);
	close(fd[0]);
	close(fd[1]);
}

/* The kernel's struct sigaction on riscv64: no sa_restorer. */
struct ksigaction {
	void (*handler)(int);
	unsigned long flags;
	unsigned long mask;
};

static void test_structs_at_the_end(void)
{
	struct timespec *ts = (struct timespec *)(void *)(guard - sizeof *ts);
	struct stat *st = (struct stat *)(void *)(guard - sizeof *st);
	struct ksigaction *act = (struct ksigaction *)(void *)(guard - sizeof *act);
	struct ksigaction old;
	int fd = open("/", O_RDONLY | O_DIRECTORY);

	CHECK(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, ts) == 0 && ts->tv_nsec < 1000000000);
	CHECK_ERR(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, guard - 8), EFAULT);
	CHECK(fd >= 0 && fstat(fd, st) == 0 && S_ISDIR(st->st_mode));
	CHECK_ERR(fstat(fd, (struct stat *)(void *)(guard - sizeof *st + 8)), EFAULT);
	close(fd);
	/* qemu-riscv64 (the Linux oracle) reads a larger struct than the
	 * kernel's 24 bytes, so the exact fit is Rivet's check alone. */
	if (on_rivet()) {
		*act = (struct ksigaction){ SIG_IGN, 0, 1ul << (SIGUSR1 - 1) };
		CHECK(syscall(SYS_rt_sigaction, SIGUSR2, act, NULL, 8) == 0);
		CHECK(syscall(SYS_rt_sigaction, SIGUSR2, NULL, &old, 8) == 0 &&
		      old.handler == SIG_IGN && old.mask == 1ul << (SIGUSR1 - 1));
	}
	CHECK_ERR(syscall(SYS_rt_sigaction, SIGUSR2, guard - 16, NULL, 8), EFAULT);
	CHECK_ERR(syscall(SYS_rt_sigaction, SIGUSR2, NULL, guard - 16, 8), EFAULT);
	signal(SIGUSR2, SIG_DFL);
}

int main(void)
{
	setup_guard();
	test_strings_at_the_end();
	test_copy_sizes();
	test_structs_at_the_end();
	return check_done("test_uaccess");
}
