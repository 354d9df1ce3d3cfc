/* PLANTED VIOLATION (boundary.planted.asm): inline assembly in a service
 * source. The statement emits no instruction, so only the source scan can
 * catch it; the word asm in this comment and in the string below must not. */
#include "planted.h"

const char *planted_asm_barrier(void)
{
	__asm__ volatile("" ::: "memory");
	return "asm";
}
