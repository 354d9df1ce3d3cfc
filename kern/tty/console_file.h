#ifndef KERN_TTY_CONSOLE_FILE_H
#define KERN_TTY_CONSOLE_FILE_H
#include "fs/file.h"

/* A file on the serial console's tty; may_ctty: the open may make it the
 * caller's controlling tty (not through /dev/console, as Linux). */
int console_tty_open(unsigned flags, bool may_ctty, struct file **out);
/* The same for the kernel's own use (init's fds); NULL if out of memory. */
struct file *console_file_open(unsigned flags);

#endif
