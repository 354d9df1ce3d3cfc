#ifndef FRAME_BOOT_MEMORY_H
#define FRAME_BOOT_MEMORY_H
#include "dt/bootinfo.h"

/* Logs the memory map and sets up the page allocator's zones, with a boot
 * region after the image for early allocations. Reserves that region in bi. */
void memory_init(struct boot_info *bi, paddr_t image_end);
/* Once all RAM is mapped: hands every free page to the allocator. */
void memory_init_late(struct boot_info *bi);

#endif
