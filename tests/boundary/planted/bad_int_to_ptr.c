/* PLANTED VIOLATION (boundary.planted.int-to-ptr): making up a pointer from
 * a computed integer, found by clang-tidy's performance-no-int-to-ptr. */
#include <frame/types.h>
#include "planted.h"

uint32_t planted_peek(uint64_t base, uint64_t off)
{
	return *(volatile uint32_t *)(uintptr_t)(base + off);
}
