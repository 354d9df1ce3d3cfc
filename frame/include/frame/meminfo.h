/* Physical memory as the frame found it in the device tree. */
#ifndef FRAME_MEMINFO_H
#define FRAME_MEMINFO_H

#include <frame/types.h>

struct mem_region {
	paddr_t base;
	uint64_t size;
	char name[32];
};

unsigned mem_bank_count(void);
int mem_bank(unsigned index, struct mem_region *out) __must_check;
unsigned mem_reserved_count(void);
int mem_reserved(unsigned index, struct mem_region *out) __must_check;
uint64_t mem_total_bytes(void);
uint64_t mem_free_bytes(void);

#endif
