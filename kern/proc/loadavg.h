/* Load averages, as Linux computes them: every 5 s the number of
 * runnable processes is folded into three exponentially decaying means
 * (1, 5 and 15 minutes), in fixed point with 11 fraction bits. */
#ifndef KERN_PROC_LOADAVG_H
#define KERN_PROC_LOADAVG_H

#include <frame/types.h>

#define LOAD_FSHIFT 11
#define LOAD_FIXED_1 (1ul << LOAD_FSHIFT)

/* Called by each process on its way through the kernel (process_main):
 * takes the samples that are due. Cheap when none is. */
void loadavg_update(uint64_t now_ns);
/* The three averages (fixed point, LOAD_FSHIFT bits of fraction). */
void loadavg_get(unsigned long avg[3]);

#endif
