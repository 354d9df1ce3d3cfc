/* -fstack-protector-strong support. The guard is re-seeded from the boot
 * entropy once it is known (stack_guard_seed), before any service runs. */
#include <frame/panic.h>
#include "lib/stack_protector.h"

uintptr_t __stack_chk_guard = 0x5a17c0debadc0ffeUL;

void __stack_chk_fail(void);
void __stack_chk_fail(void)
{
	panic("stack protector: a kernel stack frame was overwritten");
}

void stack_guard_seed(uint64_t entropy)
{
	/* Keep the low byte zero so string overruns cannot reproduce the guard. */
	__stack_chk_guard = (uintptr_t)(entropy & ~0xffUL);
}
