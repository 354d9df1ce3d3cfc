/* The capability ledger: which handles each service holds. */
#ifndef FRAME_LEDGER_H
#define FRAME_LEDGER_H

#include <frame/types.h>

/* Prints every live handle with its holder, kind, range and rights. */
void ledger_dump(void);
/* Count of refused handle uses since boot (bad range, rights, stale...). */
uint64_t ledger_refusals(void);

#endif
