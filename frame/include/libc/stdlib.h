/* The freestanding subset of <stdlib.h> the kernel and libfdt use. */
#ifndef LIBC_STDLIB_H
#define LIBC_STDLIB_H
#include <stddef.h>

unsigned long strtoul(const char *s, char **end, int base);

#endif
