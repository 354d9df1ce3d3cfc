/* The kern console: input from whichever serial driver owns the console. */
#ifndef KERN_CONSOLE_H
#define KERN_CONSOLE_H

#include <frame/types.h>

/* Called by a serial driver's interrupt handler for each received byte. */
void console_input_char(char c);
/* Next input byte; sleeps until one arrives. */
char console_getc(void);
/* The same for a process's read: -ERESTARTSYS if a signal comes first. */
int console_getc_interruptible(char *out);
/* True if console_getc would return without sleeping (the poll op). */
bool console_input_ready(void);

#endif
