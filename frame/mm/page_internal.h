/* User pages inside the frame: what aspace.c shares with page.c. */
#ifndef FRAME_MM_PAGE_INTERNAL_H
#define FRAME_MM_PAGE_INTERNAL_H

#include <frame/page.h>

/* A user page (zeroed if zero), one reference; 0 when out of memory. */
paddr_t upage_alloc(bool zero);
/* The frame a handle names, or 0 if it is not a live user page. */
paddr_t upage_decode(page_t p);

#endif
