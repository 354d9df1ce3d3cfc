/* Harts and idling. */
#ifndef FRAME_CPU_H
#define FRAME_CPU_H

#include <frame/types.h>

struct hart_info {
	uint32_t hartid;
	bool boot;   /* the hart the kernel booted on */
	bool online; /* running Rivet code */
	int sbi_state; /* SBI HSM state, or -1 if unknown */
	char isa[64];
};

unsigned hart_count(void);
int hart_get_info(unsigned index, struct hart_info *out) __must_check;
/* The running hart's position in hart_get_info's order (Linux's cpu
 * number): only a hint, the caller may run elsewhere once it sleeps. */
unsigned cpu_current(void);
/* Sleeps this hart until the next interrupt has been handled. */
void cpu_idle(void);

#endif
