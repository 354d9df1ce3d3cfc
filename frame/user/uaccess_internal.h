#ifndef FRAME_USER_UACCESS_INTERNAL_H
#define FRAME_USER_UACCESS_INTERNAL_H
#include <frame/types.h>

/* The landing pad for a fault at pc inside a user-copy routine, or 0. */
uint64_t uaccess_fixup(uint64_t pc);

#endif
