/* Stopping the machine on a broken invariant, with a readable report. */
#ifndef FRAME_PANIC_H
#define FRAME_PANIC_H

#include <frame/types.h>

void panic(const char *fmt, ...) __noreturn __printf(1, 2);

#define BUG_ON(cond)                                                          \
	do {                                                                  \
		if (__builtin_expect(!!(cond), 0))                            \
			panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)

#endif
