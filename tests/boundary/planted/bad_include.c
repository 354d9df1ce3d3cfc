/* PLANTED VIOLATION (boundary.planted.includes): a service reaching a
 * frame-private header by a relative path, which no -I flag would show. */
#include "../../../frame/mm/pmm.h"
#include "planted.h"

uint64_t planted_page_size(void)
{
	return PMM_PAGE_SIZE;
}
