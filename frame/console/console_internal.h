#ifndef FRAME_CONSOLE_INTERNAL_H
#define FRAME_CONSOLE_INTERNAL_H
#include <frame/log.h>

/* Called once a panic starts: the console lock is forced free. */
void console_panic_mode(void);
/* Messages above this level are dropped (the `loglevel=` boot argument). */
void console_set_level(enum log_level level);

/* After driver binding: says so if no serial driver became the console. */
void console_check_driver(const char *stdout_path);

#endif
