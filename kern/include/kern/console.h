/* The kern console: input from whichever serial driver owns the console. */
#ifndef KERN_CONSOLE_H
#define KERN_CONSOLE_H

#include <frame/types.h>

/* Called by a serial driver's interrupt handler for each received byte. */
void console_input_char(char c);
/* Next input byte; sleeps until one arrives. */
char console_getc(void);
/* True if console_getc would return without sleeping (the poll op). */
bool console_input_ready(void);

#endif
