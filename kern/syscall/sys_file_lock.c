/* Advisory locks from user space: fcntl's F_GETLK/F_SETLK/F_SETLKW and
 * their open-file-description (F_OFD_*) forms, and flock(2). Decoding the
 * struct flock into a byte range happens here; fs/lock.c keeps the locks. */
#include <frame/errno.h>
#include <frame/uaccess.h>
#include "fs/lock.h"
#include "fs/vfs.h"
#include "syscall/sys_file.h"

#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8

/* The riscv64 struct flock (off_t is 64-bit). */
struct uflock {
	int16_t type, whence;
	int32_t pad;
	int64_t start, len;
	int32_t pid, pad2;
};

/* struct flock's (whence, start, len) as an inclusive byte range. */
static int flock_range(const struct file *f, const struct uflock *fl, struct lock_request *r)
{
	int64_t base, start;

	switch (fl->whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)f->pos; break;
	case SEEK_END: base = (int64_t)f->inode->size; break;
	default: return -EINVAL;
	}
	if (__builtin_add_overflow(base, fl->start, &start))
		return -EOVERFLOW;
	if (fl->len < 0) {
		r->end = (uint64_t)start - 1;
		start += fl->len;
	} else if (fl->len == 0) {
		r->end = LOCK_EOF;
	} else {
		int64_t last;
		if (__builtin_add_overflow(start, fl->len - 1, &last))
			return -EOVERFLOW;
		r->end = (uint64_t)last;
	}
	if (start < 0)
		return -EINVAL;
	r->start = (uint64_t)start;
	return 0;
}

static int decode_flock(struct file *f, int cmd, uint64_t uarg, struct uflock *fl,
			struct lock_request *r)
{
	bool ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	bool get = cmd == F_GETLK || cmd == F_OFD_GETLK;

	if (!f->inode)
		return -EBADF;
	if (copy_from_user(fl, uarg, sizeof(*fl)))
		return -EFAULT;
	if (fl->type != F_RDLCK && fl->type != F_WRLCK && fl->type != F_UNLCK)
		return -EINVAL;
	if (ofd && fl->pid != 0)
		return -EINVAL;
	if (!get && ((fl->type == F_RDLCK && !file_readable(f)) ||
		     (fl->type == F_WRLCK && !file_writable(f))))
		return -EBADF;
	*r = (struct lock_request){ .kind = ofd ? LOCK_OFD : LOCK_POSIX, .type = fl->type,
				    .owner = ofd ? (const void *)f : (const void *)current->leader,
				    .pid = ofd ? -1 : current->leader->pid };
	return flock_range(f, fl, r);
}

static long get_lock(struct file *f, uint64_t uarg, struct uflock *fl, struct lock_request *r)
{
	if (r->type == F_UNLCK)
		return -EINVAL; /* Linux: F_GETLK asks about a lock, not an unlock */
	lock_get(f->inode, r);
	fl->type = (int16_t)r->type;
	if (r->type != F_UNLCK) {
		fl->whence = SEEK_SET;
		fl->start = (int64_t)r->start;
		fl->len = r->end == LOCK_EOF ? 0 : (int64_t)(r->end - r->start + 1);
		fl->pid = r->pid;
	}
	return copy_to_user(uarg, fl, sizeof(*fl)) ? -EFAULT : 0;
}

long fcntl_lock(struct file *f, int cmd, uint64_t uarg)
{
	struct uflock fl;
	struct lock_request r;
	int err = decode_flock(f, cmd, uarg, &fl, &r);

	if (err)
		return err;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK)
		return get_lock(f, uarg, &fl, &r);
	return lock_set(f->inode, &r, cmd == F_SETLKW || cmd == F_OFD_SETLKW);
}

bool fcntl_is_lock_cmd(int cmd)
{
	return (cmd >= F_GETLK && cmd <= F_SETLKW) || (cmd >= F_OFD_GETLK && cmd <= F_OFD_SETLKW);
}

SYSCALL(flock)
{
	struct file *f = fd_file((int)args->a[0]);
	unsigned op = (unsigned)args->a[1];
	struct lock_request r = { .kind = LOCK_FLOCK, .start = 0, .end = LOCK_EOF, .pid = -1 };

	if (!f)
		return -EBADF;
	switch (op & ~(unsigned)LOCK_NB) {
	case LOCK_SH: r.type = F_RDLCK; break;
	case LOCK_EX: r.type = F_WRLCK; break;
	case LOCK_UN: r.type = F_UNLCK; break;
	default: return -EINVAL;
	}
	if (!f->inode)
		return -EINVAL;
	r.owner = f;
	return lock_set(f->inode, &r, !(op & LOCK_NB));
}
