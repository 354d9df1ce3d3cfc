#ifndef FRAME_MM_HEAP_INTERNAL_H
#define FRAME_MM_HEAP_INTERNAL_H
#include <frame/types.h>

/* Pages currently used for small-object slabs (diagnostics and tests). */
uint64_t heap_slab_pages(void);

#endif
