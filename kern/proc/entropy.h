/* Kernel random bytes for getrandom and AT_RANDOM: a xoshiro256** generator
 * seeded from the timer and fed by hardware sources through entropy_add
 * (kern/entropy.h: virtio-rng). Not a cryptographic construction: with a
 * hardware source its state is unpredictable, its output stream is not
 * backtracking-resistant. */
#ifndef KERN_PROC_ENTROPY_H
#define KERN_PROC_ENTROPY_H

#include <frame/types.h>

void entropy_fill(void *buf, size_t len);
/* Bytes hardware sources fed in since boot. */
uint64_t entropy_hw_bytes(void);

#endif
