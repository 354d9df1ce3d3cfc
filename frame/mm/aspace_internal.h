/* What the trap path needs from aspace.c. */
#ifndef FRAME_MM_ASPACE_INTERNAL_H
#define FRAME_MM_ASPACE_INTERNAL_H

#include <frame/aspace.h>

/* A page fault inside copy_{from,to}_user at va: the owner's fault handler
 * decides (else only copy-on-write is resolved). 0: retry the access. */
int aspace_uaccess_fault(struct aspace *as, uint64_t va, bool write);

/* If this hart has as loaded, loads the kernel's table instead (before
 * as's tables are freed). Interrupts masked. */
void aspace_leave_if_active(struct aspace *as);

#endif
