/* Words of the kernel command line (boot_cmdline(), space separated), for
 * kern and for drivers that take an option from it. */
#ifndef KERN_CMDLINE_H
#define KERN_CMDLINE_H

#include <frame/types.h>

/* Is the word (e.g. "ro", "rivet.captest=1") on the command line, whole? */
bool cmdline_flag(const char *word);
/* The value of key= on the command line, copied into buf (truncated to
 * size - 1 bytes); false if absent. */
bool cmdline_option(const char *key, char *buf, size_t size);

#endif
