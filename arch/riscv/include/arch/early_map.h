#ifndef ARCH_EARLY_MAP_H
#define ARCH_EARLY_MAP_H
#include <stdint.h>

/* Device trees larger than this are refused as malformed. */
#define EARLY_FDT_MAX (2UL << 20)

/* Builds the boot page table; returns the satp value, or 0 if the image is
 * misaligned or too large. Called from entry.S with the MMU off. */
/* Size of the device tree early_map mapped, 0 if it found none. */
extern uint64_t early_fdt_size;

uint64_t early_map(uintptr_t load_pa, uintptr_t fdt_pa);

#endif
