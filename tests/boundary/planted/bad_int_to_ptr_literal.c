/* PLANTED VIOLATION (boundary.planted.int-to-ptr-literal): a fixed address
 * cast to a pointer. clang-tidy's check skips bare integer literals; the
 * script's clang-query pass must catch it. */
#include <frame/types.h>
#include "planted.h"

int planted_poke(void)
{
	return *(volatile int *)0x10000000;
}
