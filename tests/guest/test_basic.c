/* Basic process syscalls and bad-input handling, checked against what
 * Linux does (errno values from the Linux man pages; verified on Linux). */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static void test_identity(void)
{
	struct utsname u;

	CHECK(getpid() > 0);
	CHECK(syscall(SYS_gettid) == getpid());
	CHECK(uname(&u) == 0 && strcmp(u.machine, "riscv64") == 0);
	CHECK_ERR(uname((struct utsname *)g_low_addr), EFAULT);
}

static void test_fds(void)
{
	struct stat st;

	CHECK(write(1, "", 0) == 0);
	CHECK_ERR(write(99, "x", 1), EBADF);
	CHECK_ERR(write(-1, "x", 1), EBADF);
	CHECK_ERR(write(1, g_low_addr, 4), EFAULT);
	CHECK_ERR(write(1, g_kernel_addr, 4), EFAULT); /* kernel address */
	CHECK_ERR(read(99, &st, 1), EBADF);
	CHECK(fstat(1, &st) == 0);
	CHECK(S_ISCHR(st.st_mode) == (isatty(1) == 1)); /* a tty is a character device */
	CHECK_ERR(fstat(1, (struct stat *)g_low_addr), EFAULT);
	CHECK_ERR(close(77), EBADF);
}

static void test_memory(void)
{
	char *brk0 = sbrk(0), *m;

	CHECK(sbrk(65536) == brk0);
	brk0[65535] = 1;
	CHECK(sbrk(-65536) != (void *)-1);
	m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	if (m != MAP_FAILED) {
		CHECK(m[0] == 0 && m[3 * 4096 - 1] == 0); /* zero-filled */
		m[4096] = 42;
		CHECK(mprotect(m, 4096, PROT_READ) == 0);
		CHECK(m[4096] == 42);
		CHECK(munmap(m, 3 * 4096) == 0);
	}
	CHECK_ERR((long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	CHECK_ERR(mmap((void *)4097, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL);
	CHECK_ERR(mprotect((void *)4097, 4096, PROT_READ), EINVAL);
	CHECK_ERR(munmap((void *)4097, 4096), EINVAL);
}

static void test_misc(void)
{
	struct timespec a, b;
	struct rlimit rl;
	unsigned char r1[16], r2[16];

	CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
	CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0);
	CHECK(b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec));
	CHECK_ERR(clock_gettime(CLOCK_MONOTONIC, (struct timespec *)g_low_addr), EFAULT);
	CHECK(getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur >= 65536);
	CHECK(getrandom(r1, sizeof(r1), 0) == sizeof(r1));
	CHECK(getrandom(r2, sizeof(r2), 0) == sizeof(r2));
	CHECK(memcmp(r1, r2, sizeof(r1)) != 0);
	CHECK(getauxval(AT_PAGESZ) == 4096);
	CHECK(getauxval(AT_RANDOM) != 0);
	CHECK(syscall(4000) == -1 && errno == ENOSYS); /* beyond the table */
	CHECK(syscall(250) == -1 && errno == ENOSYS); /* a hole in the riscv64 table */
}

int main(void)
{
	test_identity();
	test_fds();
	test_memory();
	test_misc();
	return check_done("test_basic");
}
