/* The kern console: input from whichever serial driver owns the console. */
#ifndef KERN_CONSOLE_H
#define KERN_CONSOLE_H

#include <frame/task.h>
#include <frame/types.h>

/* Called by a serial driver's interrupt handler for each received byte. */
void console_input_char(char c);
/* Next input byte; sleeps until one arrives. */
char console_getc(void);
/* The next byte if one is waiting (never sleeps). */
bool console_input_take(char *c);
/* Where readers sleep until console_input_char wakes them (irq_save first). */
struct wait_queue *console_input_queue(void);

#endif
