/* Kernel random bytes for getrandom and AT_RANDOM. Today a xoshiro256**
 * generator seeded from the timer: unpredictable enough for stack canaries
 * and hash seeds, NOT cryptographic. virtio-rng (issue 5) feeds it later. */
#ifndef KERN_PROC_ENTROPY_H
#define KERN_PROC_ENTROPY_H

#include <frame/types.h>

void entropy_fill(void *buf, size_t len);

#endif
