/* PLANTED VIOLATION (boundary.planted.symbols): a service declaring a
 * frame-internal function itself and calling it, past the public headers. */
#include <frame/types.h>
#include "planted.h"

paddr_t pmm_alloc(unsigned order);

paddr_t planted_steal_page(void)
{
	return pmm_alloc(0);
}
