/* Advisory file locks: POSIX record locks (fcntl F_SETLK, owned by a
 * process, dropped when it closes any descriptor of the file), open file
 * description locks (F_OFD_SETLK, owned by the struct file) and flock(2)
 * locks (whole file, owned by the struct file, a namespace of their own).
 * Ranges are inclusive byte offsets; LOCK_EOF is "to the end, growing". */
#ifndef KERN_FS_LOCK_H
#define KERN_FS_LOCK_H

#include <frame/types.h>
#include "fs/vfs.h"

#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2
#define LOCK_EOF UINT64_MAX

struct inode;
struct file;

enum lock_kind { LOCK_POSIX, LOCK_OFD, LOCK_FLOCK };

struct lock_request {
	enum lock_kind kind;
	const void *owner; /* the process (POSIX) or the struct file */
	int pid;           /* reported by F_GETLK (-1 for OFD locks, as Linux) */
	int type;          /* F_RDLCK, F_WRLCK, F_UNLCK */
	uint64_t start, end;
};

/* Takes, changes or drops (F_UNLCK) a lock. With wait, sleeps while it
 * conflicts: 0, -EAGAIN (conflict, no wait), -EDEADLK (POSIX wait that
 * would deadlock), -ERESTARTSYS, -ENOLCK (out of memory). */
int lock_set(struct inode *ino, const struct lock_request *req, bool wait);
/* F_GETLK: the first lock that would conflict with *req is written back
 * into *req; if none, req->type becomes F_UNLCK. */
void lock_get(struct inode *ino, struct lock_request *req);
/* Drops every lock of owner and kind on ino (close, exit, file release). */
void lock_release_held(struct inode *ino, enum lock_kind kind, const void *owner);
/* The same; inline for the usual file with no locks, which every close
 * and release asks about. NULL ino is ignored. */
static inline void lock_release(struct inode *ino, enum lock_kind kind, const void *owner)
{
	if (ino && ino->locks)
		lock_release_held(ino, kind, owner);
}

#endif
