/* Reference-counted open files. */
#include <frame/errno.h>
#include <frame/heap.h>
#include "fs/epoll.h"
#include "fs/fcntl.h"
#include "fs/file.h"
#include "fs/file_limit.h"
#include "fs/lock.h"
#include "fs/open.h"
#include "fs/vfs.h"

int file_create(const struct file_ops *ops, unsigned flags, void *priv, struct file **out)
{
	struct file *f;
	int err;

	if ((err = file_limit_take()) != 0)
		return err;
	if (!(f = kzalloc(sizeof(*f)))) {
		file_limit_give();
		return -ENOMEM;
	}
	f->ops = ops;
	f->refs = 1;
	f->flags = flags;
	f->priv = priv;
	*out = f;
	return 0;
}

struct file *file_get(struct file *f)
{
	f->refs++;
	return f;
}

void file_put(struct file *f)
{
	if (!f || --f->refs)
		return;
	if (f->epoll_watches)
		epoll_file_closed(f); /* Linux's eventpoll_release: no events for a closed file */
	if (f->ops->release)
		f->ops->release(f);
	lock_release(f->inode, LOCK_OFD, f);
	lock_release(f->inode, LOCK_FLOCK, f);
	if (f->write_access)
		inode_put_write_access(f->inode);
	inode_put(f->inode);
	file_clear_path(f);
	kfree(f);
	file_limit_give();
}

int64_t file_noop_llseek(struct file *f, int64_t off, int whence)
{
	(void)off;
	(void)whence;
	return (int64_t)f->pos;
}

int file_stat(struct file *f, struct kstat *st)
{
	if (f->inode) {
		inode_getattr(f->inode, st);
		return 0;
	}
	return f->ops->stat ? f->ops->stat(f, st) : -EINVAL;
}

int64_t file_cookie_llseek(struct file *f, int64_t off, int whence)
{
	int64_t base = whence == SEEK_CUR ? (int64_t)f->pos : 0;

	if (whence != SEEK_SET && whence != SEEK_CUR)
		return -EINVAL;
	if (off > 0 ? base > INT64_MAX - off : base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return base + off;
}
