#ifndef FRAME_LIB_STACK_PROTECTOR_H
#define FRAME_LIB_STACK_PROTECTOR_H
#include <frame/types.h>

/* Must be called from a function that returns only after the boot completes
 * (frame_main), since frames live across the change would fail their check. */
void stack_guard_seed(uint64_t entropy);

#endif
