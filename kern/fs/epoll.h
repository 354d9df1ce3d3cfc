/* epoll instances: a set of (descriptor, file) items, each with the events
 * it waits for; waits collect the ready ones. Readiness comes from the
 * files' poll ops and the one poll_waiters queue (fs/poll.h), so a file
 * needs no per-watcher bookkeeping: an item is re-checked when woken.
 * Items do not hold their file: the file's last close removes them
 * (epoll_file_closed, from file_put), as Linux's eventpoll_release. */
#ifndef KERN_FS_EPOLL_H
#define KERN_FS_EPOLL_H

#include <frame/types.h>

#define EPOLLIN 0x001
#define EPOLLOUT 0x004
#define EPOLLERR 0x008
#define EPOLLHUP 0x010
#define EPOLLEXCLUSIVE (1u << 28)
#define EPOLLWAKEUP (1u << 29)
#define EPOLLONESHOT (1u << 30)
#define EPOLLET (1u << 31)

#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3

#define EPOLL_CLOEXEC 02000000

/* riscv64 lays it out naturally aligned (only x86-64 packs it): 16 bytes. */
struct epoll_event {
	uint32_t events;
	uint64_t data;
};

struct file;

int epoll_create(unsigned flags, struct file **out);
bool file_is_epoll(const struct file *f);
/* One EPOLL_CTL_* on the epoll file ep for (fd, target), all decoded
 * (descriptors valid, target pollable, not ep itself): 0, -EEXIST, -ENOENT,
 * -ELOOP, -EINVAL or -ENOMEM. ev is NULL for EPOLL_CTL_DEL. */
int epoll_ctl(struct file *ep, int op, int fd, struct file *target, const struct epoll_event *ev);
/* Up to max ready events into out, waiting until deadline_ns (0: not at
 * all; SLEEP_FOREVER). The count, or -EINTR when a signal came first. */
int epoll_wait(struct file *ep, struct epoll_event *out, int max, uint64_t deadline_ns);
/* f's last reference is going: it leaves every epoll set. */
void epoll_file_closed(struct file *f);

#endif
