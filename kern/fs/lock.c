/* Advisory file locks (see lock.h). Each inode keeps a list of held locks;
 * one owner's locks of one kind never overlap (setting a range first cuts
 * the owner's old locks out of it, then merges neighbours of the same type,
 * as Linux does). Waiters sleep on one queue that every unlock wakes. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/irq.h>
#include "fs/lock.h"
#include "fs/vfs.h"
#include "proc/sleep.h"

struct file_lock {
	struct lock_request r;
	struct file_lock *next;
};

static struct wait_queue lock_waiters = WAIT_QUEUE_INIT;

/* A POSIX waiter: whose lock it waits for, to detect a cycle. */
struct lock_wait {
	const void *waiter, *holder;
	struct lock_wait *next;
};
static struct lock_wait *posix_waits;

static struct file_lock **lock_list(struct inode *ino)
{
	return (struct file_lock **)&ino->locks;
}

static bool same_namespace(const struct lock_request *a, const struct lock_request *b)
{
	return (a->kind == LOCK_FLOCK) == (b->kind == LOCK_FLOCK);
}

static bool same_owner(const struct lock_request *a, const struct lock_request *b)
{
	return a->kind == b->kind && a->owner == b->owner;
}

static bool conflicts(const struct lock_request *held, const struct lock_request *req)
{
	return same_namespace(held, req) && !same_owner(held, req) && held->start <= req->end &&
	       req->start <= held->end && (held->type == F_WRLCK || req->type == F_WRLCK);
}

static struct file_lock *first_conflict(struct inode *ino, const struct lock_request *req)
{
	for (struct file_lock *l = *lock_list(ino); l; l = l->next)
		if (conflicts(&l->r, req))
			return l;
	return NULL;
}

/* Would owner waiting for holder close a cycle of POSIX waits? */
static bool would_deadlock(const void *owner, const void *holder)
{
	for (int depth = 0; depth < 64 && holder; depth++) {
		const void *next = NULL;
		if (holder == owner)
			return true;
		for (struct lock_wait *w = posix_waits; w; w = w->next)
			if (w->waiter == holder)
				next = w->holder;
		holder = next;
	}
	return false;
}

/* Cuts [start, end] out of owner's locks: shrinks, splits or frees them.
 * Fails only if a split needs memory (-ENOLCK), before changing anything. */
static int cut_owner_range(struct inode *ino, const struct lock_request *req)
{
	struct file_lock **link = lock_list(ino), *l;

	while ((l = *link)) {
		if (!same_owner(&l->r, req) || l->r.end < req->start || l->r.start > req->end) {
			link = &l->next;
			continue;
		}
		if (l->r.start < req->start && l->r.end > req->end) { /* split in two */
			struct file_lock *tail = kmalloc(sizeof(*tail));
			if (!tail)
				return -ENOLCK;
			*tail = *l;
			tail->r.start = req->end + 1;
			l->r.end = req->start - 1;
			tail->next = l->next;
			l->next = tail;
			return 0;
		}
		if (l->r.start < req->start) {
			l->r.end = req->start - 1;
		} else if (l->r.end > req->end) {
			l->r.start = req->end + 1;
		} else {
			*link = l->next;
			kfree(l);
			continue;
		}
		link = &l->next;
	}
	return 0;
}

/* Joins owner's locks of one type that touch or overlap the new one. */
static void merge_neighbours(struct inode *ino, struct file_lock *nl)
{
	struct file_lock **link = lock_list(ino), *l;

	while ((l = *link)) {
		bool touches = l->r.end == LOCK_EOF ? true : l->r.end + 1 >= nl->r.start;
		touches = touches && (nl->r.end == LOCK_EOF || nl->r.end + 1 >= l->r.start);
		if (l != nl && same_owner(&l->r, &nl->r) && l->r.type == nl->r.type && touches) {
			nl->r.start = MIN(nl->r.start, l->r.start);
			nl->r.end = MAX(nl->r.end, l->r.end);
			*link = l->next;
			kfree(l);
			continue;
		}
		link = &l->next;
	}
}

static int apply(struct inode *ino, const struct lock_request *req)
{
	struct file_lock *nl = NULL;
	int err;

	if (req->type != F_UNLCK && !(nl = kmalloc(sizeof(*nl))))
		return -ENOLCK;
	if ((err = cut_owner_range(ino, req)) != 0) {
		kfree(nl);
		return err;
	}
	if (nl) {
		nl->r = *req;
		nl->next = *lock_list(ino);
		*lock_list(ino) = nl;
		merge_neighbours(ino, nl);
	}
	wait_queue_wake_all(&lock_waiters); /* a change may have freed a range */
	return 0;
}

static int wait_for(const struct lock_request *req, const struct file_lock *holder)
{
	struct lock_wait w = { req->owner, holder->r.owner, posix_waits };
	int err;

	if (req->kind != LOCK_POSIX)
		return proc_sleep(&lock_waiters);
	if (holder->r.kind == LOCK_POSIX && would_deadlock(req->owner, holder->r.owner))
		return -EDEADLK;
	posix_waits = &w;
	err = proc_sleep(&lock_waiters);
	for (struct lock_wait **link = &posix_waits; *link; link = &(*link)->next) {
		if (*link == &w) {
			*link = w.next;
			break;
		}
	}
	return err;
}

int lock_set(struct inode *ino, const struct lock_request *req, bool wait)
{
	unsigned long flags = irq_save();
	struct file_lock *c;
	int err = 0;

	while (req->type != F_UNLCK && (c = first_conflict(ino, req))) {
		if (!wait) {
			err = -EAGAIN;
			break;
		}
		if ((err = wait_for(req, c)) != 0)
			break;
	}
	if (!err)
		err = apply(ino, req);
	irq_restore(flags);
	return err;
}

void lock_get(struct inode *ino, struct lock_request *req)
{
	struct file_lock *c = first_conflict(ino, req);

	if (c)
		*req = c->r;
	else
		req->type = F_UNLCK;
}

void lock_release_held(struct inode *ino, enum lock_kind kind, const void *owner)
{
	struct file_lock **link = lock_list(ino), *l;
	bool freed = false;

	while ((l = *link)) {
		if (l->r.kind == kind && l->r.owner == owner) {
			*link = l->next;
			kfree(l);
			freed = true;
			continue;
		}
		link = &l->next;
	}
	if (freed)
		wait_queue_wake_all(&lock_waiters);
}
