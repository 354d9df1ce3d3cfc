/* Kernel heap. Memory from it is never mapped into user space. */
#ifndef FRAME_HEAP_H
#define FRAME_HEAP_H

#include <frame/types.h>

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *ptr);

#endif
