/* A tiny check framework for the host tests: CHECK* record a failure and go
 * on, test_done() prints "<name>: N passed, N failed" and gives the exit code. */
#ifndef HOST_TEST_H
#define HOST_TEST_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

extern int t_passed, t_failed;

#define CHECK_MSG(cond, ...)                                                  \
	do {                                                                  \
		if (cond) {                                                   \
			t_passed++;                                           \
		} else {                                                      \
			t_failed++;                                           \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);  \
			fprintf(stderr, __VA_ARGS__);                         \
			fputc('\n', stderr);                                  \
		}                                                             \
	} while (0)
#define CHECK(cond) CHECK_MSG(cond, "%s", #cond)
#define CHECK_EQ(a, b)                                                        \
	do {                                                                  \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);              \
		CHECK_MSG(a_ == b_, "%s == %s: 0x%" PRIx64 " != 0x%" PRIx64, #a, #b, a_, b_); \
	} while (0)
#define CHECK_STR(a, b)                                                       \
	do {                                                                  \
		const char *a_ = (a), *b_ = (b);                              \
		CHECK_MSG(a_ && b_ && strcmp(a_, b_) == 0, "%s == %s: \"%s\" != \"%s\"", \
			  #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");    \
	} while (0)

/* Runs fn(arg) in a forked child and checks that it panics (SIGABRT from the
 * panic stub) with a message containing want. */
void expect_panic(const char *what, void (*fn)(void *), void *arg, const char *want);
/* Runs fn(arg) in a forked child and checks that it exits with code (and
 * neither panics nor trips a sanitizer). */
void expect_exit(const char *what, void (*fn)(void *), void *arg, int code);
/* Prints the summary; returns the process exit code. */
int test_done(const char *name);

#endif
