/* Output before paging, through the SBI console (early_console.c). */
#ifndef ARCH_EARLY_CONSOLE_H
#define ARCH_EARLY_CONSOLE_H
#include <stdint.h>

void early_puts(const char *s);
void early_puthex(uint64_t v);
/* Says the boot stopped, then waits forever. */
void early_halt(void) __attribute__((noreturn));
/* The trap vector before paging: reports the trap, then early_halt. */
void early_trap(void) __attribute__((noreturn));

#endif
