#ifndef KERN_MONITOR_H
#define KERN_MONITOR_H

void monitor_run(void) __attribute__((noreturn));

/* Deliberate faults for the panic tests, kept apart so the backtrace names them. */
void monitor_crash_null(void);
unsigned long monitor_recurse(unsigned long depth);

#endif
