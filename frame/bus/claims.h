/* Physical address ranges already owned: RAM, the frame's own controllers,
 * and every MMIO window handed to a driver. No range is handed out twice. */
#ifndef FRAME_BUS_CLAIMS_H
#define FRAME_BUS_CLAIMS_H

#include <frame/types.h>

/* -EBUSY if [base, base+size) overlaps an existing claim, -ENOSPC if full. */
int claims_add(paddr_t base, uint64_t size, const char *owner);
/* As claims_add, but the exact same range may be claimed again this way
 * (a syscon window shared by its poweroff and reboot users); never a range
 * claimed exclusively. */
int claims_add_shared(paddr_t base, uint64_t size, const char *owner);
const char *claims_owner_of(paddr_t base, uint64_t size);

#endif
