/* Force-included (-include) into every frame source built for the host: what
 * the kernel's own libc headers declare and the host libc may not have. */
#ifndef HOST_COMPAT_H
#define HOST_COMPAT_H
#include <stddef.h>

size_t strlcpy(char *dst, const char *src, size_t size);

#endif
