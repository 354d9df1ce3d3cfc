#ifndef KERN_MONITOR_H
#define KERN_MONITOR_H

void monitor_run(void) __attribute__((noreturn));

/* Deliberate faults for the panic tests, kept apart so the backtrace names them. */
void monitor_crash_null(void);
unsigned long monitor_recurse(unsigned long depth);
void monitor_hang(unsigned long seconds);
void monitor_hang_masked(unsigned long seconds);

/* Device-service commands (devices.c). */
void monitor_cmd_blk(const char *args);
void monitor_cmd_blkread(const char *args);
void monitor_cmd_blkwrite(const char *args);
void monitor_cmd_date(const char *args);
void monitor_cmd_random(const char *args);

#endif
