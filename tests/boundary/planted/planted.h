/* Prototypes for the planted violations: they are compiled with the service
 * warning flags (-Wmissing-prototypes -Werror) like any service. */
#ifndef PLANTED_H
#define PLANTED_H

#include <frame/types.h>

uint64_t planted_page_size(void);
paddr_t planted_steal_page(void);
const char *planted_asm_barrier(void);
uint32_t planted_peek(uint64_t base, uint64_t off);
int planted_poke(void);

#endif
