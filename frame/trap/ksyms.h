/* Kernel symbol lookup for backtraces. The table is generated from the
 * linked image by scripts/gen-ksyms.sh and linked in a second pass. */
#ifndef FRAME_TRAP_KSYMS_H
#define FRAME_TRAP_KSYMS_H

#include <frame/types.h>

/* Name of the function containing addr and the offset into it; NULL if unknown. */
const char *ksym_lookup(uintptr_t addr, uintptr_t *offset, uintptr_t *size);
bool ksym_is_text(uintptr_t addr);

#endif
