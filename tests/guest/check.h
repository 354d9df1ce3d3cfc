/* A tiny check framework for guest tests: each test program checks one area
 * against Linux behaviour and ends with the line "name: N passed, N failed". */
#ifndef GUEST_CHECK_H
#define GUEST_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>
#include <sys/utsname.h>

static int g_passed, g_failed;

#define CHECK(cond)                                                             \
	do {                                                                    \
		if (cond) {                                                     \
			g_passed++;                                             \
		} else {                                                        \
			g_failed++;                                             \
			printf("FAIL %s:%d: %s (errno %d %s)\n", __FILE__, __LINE__, #cond, \
			       errno, strerror(errno));                        \
		}                                                               \
	} while (0)

/* A call that must fail with exactly this errno. */
#define CHECK_ERR(call, err) CHECK((errno = 0, (long)(call)) == -1 && errno == (err))

/* Addresses the compiler cannot see through, for bad-pointer checks. */
static void *volatile g_low_addr = (void *)16;
static void *volatile g_kernel_addr = (void *)0xffffffc000000000UL;

/* Some checks differ by design between Rivet and the Linux oracle (which
 * runs under qemu-riscv64 inside whatever container the host provides). */
static inline bool on_rivet(void)
{
	struct utsname u;

	return uname(&u) == 0 && strstr(u.release, "rivet") != NULL;
}

static inline int check_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, g_passed, g_failed);
	fflush(stdout);
	return g_failed ? 1 : 0;
}

#endif
