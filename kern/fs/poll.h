/* Readiness of files, for poll, select and epoll: the POLL* bits (Linux
 * values) a file's poll op reports, and one wait queue that every change of
 * readiness wakes. One queue keeps a file free of per-poller bookkeeping;
 * pollers re-check their own descriptors when woken. */
#ifndef KERN_FS_POLL_H
#define KERN_FS_POLL_H

#include <frame/task.h>

#define POLLIN 0x001
#define POLLPRI 0x002
#define POLLOUT 0x004
#define POLLERR 0x008
#define POLLHUP 0x010
#define POLLNVAL 0x020
#define POLLRDNORM 0x040
#define POLLRDBAND 0x080
#define POLLWRNORM 0x100
#define POLLWRBAND 0x200
#define POLLRDHUP 0x2000

struct file;

/* Where pollers sleep (with interrupts masked, as frame/task.h asks). */
extern struct wait_queue poll_waiters;
/* A file's readiness may have changed (safe in interrupt context). */
void poll_wake(void);
/* f's readiness now: its poll op, or POLLIN | POLLOUT without one. */
unsigned file_poll(struct file *f);
/* The waiting loop of poll, select and epoll (fs/poll_wait.c): calls
 * scan(ctx) with interrupts masked until it returns nonzero (its result),
 * the deadline passes (one last scan's result, so 0 if still nothing) or a
 * signal comes (-ERESTARTSYS). deadline_ns 0: scan once; SLEEP_FOREVER. */
long poll_wait(long (*scan)(void *ctx), void *ctx, uint64_t deadline_ns);

#endif
