/* User timespec and timeval values for the sleep and timer calls. */
#ifndef KERN_SYSCALL_SYS_TIMESPEC_H
#define KERN_SYSCALL_SYS_TIMESPEC_H

#include <frame/types.h>

#define NSEC_PER_SEC 1000000000ULL

struct k_timespec {
	int64_t sec, nsec;
};

/* Reads a relative timespec at uts: -EFAULT, -EINVAL (out of range), or 0
 * with *ns set (saturated). */
int timespec_read_ns(uint64_t uts, uint64_t *ns);
/* now + the relative timespec at uts, saturated below SLEEP_FOREVER. */
int timespec_deadline(uint64_t uts, uint64_t *deadline);
/* Writes ns as a timespec: 0 or -EFAULT. */
int timespec_write_ns(uint64_t uts, uint64_t ns);
/* a + b without passing UINT64_MAX - 1 (SLEEP_FOREVER is UINT64_MAX). */
uint64_t ns_add_sat(uint64_t a, uint64_t b);

#endif
