/* Randomness from hardware: a driver service (virtio-rng, ...) hands kern
 * the bytes its device produced; kern mixes them into the generator behind
 * getrandom and /dev/random. Any context, including interrupt handlers. */
#ifndef KERN_ENTROPY_H
#define KERN_ENTROPY_H

#include <frame/types.h>

void entropy_add(const void *buf, size_t len);

#endif
