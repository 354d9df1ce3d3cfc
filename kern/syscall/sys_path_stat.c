/* Looking at files by path: newfstatat, statx, faccessat(2), readlinkat,
 * statfs, fstatfs. (fstat is in sys_fd.c.) */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/uaccess.h>
#include <string.h>
#include "syscall/sys_file.h"

#define STATX_BASIC_STATS 0x7ffu
#define STATX_BTIME 0x800u
#define STATX_MNT_ID 0x1000u
#define STATX_RESERVED 0x80000000u
#define F_OK 0

/* stat of dirfd + path. "" with AT_EMPTY_PATH is the descriptor itself,
 * which need not have an inode (glibc's fstat comes this way). */
static int stat_at(int dirfd, uint64_t upath, unsigned at, struct kstat *st, struct inode **out)
{
	struct inode *ino = NULL;
	struct walk w WALK_UNINIT;
	int err = walk_init_user(&w, upath, at_walk_flags(at));

	if (!err && walk_empty(&w) && (at & AT_EMPTY_PATH) && dirfd != AT_FDCWD) {
		struct file *f = fd_get(current, dirfd);
		err = f ? file_stat(f, st) : -EBADF;
		if (!err && f->inode)
			ino = inode_get(f->inode);
	} else if (!err && !(err = walk_start(&w, dirfd)) && !(err = walk_lookup(&w, &ino))) {
		inode_getattr(ino, st);
	}
	walk_end(&w);
	*out = ino;
	return err;
}

SYSCALL(newfstatat)
{
	unsigned at = (unsigned)args->a[3];
	struct linux_stat out LINUX_STAT_UNINIT;
	struct inode *ino;
	struct kstat st;
	int err;

	if (at & ~(unsigned)(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH))
		return -EINVAL;
	if ((err = stat_at((int)args->a[0], args->a[1], at, &st, &ino)) != 0)
		return err;
	inode_put(ino);
	kstat_to_linux(&st, &out);
	return copy_to_user(args->a[2], &out, sizeof(out)) ? -EFAULT : 0;
}

struct statx_timestamp {
	int64_t sec;
	uint32_t nsec;
	int32_t reserved;
};

struct statx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, spare0;
	uint64_t ino, size, blocks, attributes_mask;
	struct statx_timestamp atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t mnt_id;
	uint32_t dio_mem_align, dio_offset_align;
	uint64_t spare3[12];
};
_Static_assert(sizeof(struct statx) == 256, "struct statx");

static unsigned dev_major(uint64_t dev)
{
	return (unsigned)((dev & 0xfff00) >> 8);
}

static unsigned dev_minor(uint64_t dev)
{
	return (unsigned)((dev & 0xff) | ((dev >> 12) & 0xfff00));
}

static void fill_statx(struct statx *x, const struct kstat *st, const struct inode *ino)
{
	memset(x, 0, sizeof(*x));
	x->mask = STATX_BASIC_STATS | (ino ? STATX_BTIME | STATX_MNT_ID : 0);
	x->blksize = st->blksize;
	x->nlink = st->nlink;
	x->uid = st->uid;
	x->gid = st->gid;
	x->mode = (uint16_t)st->mode;
	x->ino = st->ino;
	x->size = st->size;
	x->blocks = st->blocks;
	x->atime = (struct statx_timestamp){ st->atime_sec, st->atime_nsec, 0 };
	x->mtime = (struct statx_timestamp){ st->mtime_sec, st->mtime_nsec, 0 };
	x->ctime = (struct statx_timestamp){ st->ctime_sec, st->ctime_nsec, 0 };
	if (ino) {
		x->btime = (struct statx_timestamp){ ino->btime.sec, ino->btime.nsec, 0 };
		x->mnt_id = ino->sb->mnt_id;
	}
	x->rdev_major = dev_major(st->rdev);
	x->rdev_minor = dev_minor(st->rdev);
	x->dev_major = dev_major(st->dev);
	x->dev_minor = dev_minor(st->dev);
}

/* statx(dirfd, path, flags, mask, buf) */
SYSCALL(statx)
{
	unsigned at = (unsigned)args->a[2];
	uint32_t mask = (uint32_t)args->a[3];
	struct inode *ino;
	struct kstat st;
	struct statx x;
	int err;

	if ((at & ~(unsigned)(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH |
			      AT_STATX_SYNC_TYPE)) ||
	    (at & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (mask & STATX_RESERVED))
		return -EINVAL;
	if ((err = stat_at((int)args->a[0], args->a[1], at, &st, &ino)) != 0)
		return err;
	fill_statx(&x, &st, ino);
	inode_put(ino);
	return copy_to_user(args->a[4], &x, sizeof(x)) ? -EFAULT : 0;
}

static long do_faccessat(const struct syscall_args *args, unsigned at)
{
	int mode = (int)args->a[2];
	struct inode *ino;
	int err;

	if (mode & ~7)
		return -EINVAL;
	if (at & ~(unsigned)(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((err = user_lookup((int)args->a[0], args->a[1], at_walk_flags(at), &ino)) != 0)
		return err;
	/* R_OK, W_OK and X_OK are MAY_READ, MAY_WRITE and MAY_EXEC. */
	err = mode == F_OK ? 0 : inode_permission(ino, mode);
	inode_put(ino);
	return err;
}

SYSCALL(faccessat)
{
	return do_faccessat(args, 0);
}

SYSCALL(faccessat2)
{
	return do_faccessat(args, (unsigned)args->a[3]);
}

static long read_link(struct inode *ino, uint64_t ubuf, int bufsiz)
{
	char *buf = kmalloc(PATH_MAX);
	long n = buf ? ino->ops->readlink(ino, buf, PATH_MAX) : -ENOMEM;

	if (n > bufsiz)
		n = bufsiz;
	if (n > 0 && copy_to_user(ubuf, buf, (size_t)n))
		n = -EFAULT;
	kfree(buf);
	return n;
}

/* readlinkat(dirfd, path, buf, bufsiz): "" names dirfd itself. */
SYSCALL(readlinkat)
{
	int bufsiz = (int)args->a[3];
	struct inode *ino;
	struct walk w;
	long err;

	if (bufsiz <= 0)
		return -EINVAL;
	if (!(err = walk_begin_user(&w, (int)args->a[0], args->a[1], WALK_EMPTY)) &&
	    !(err = walk_lookup(&w, &ino))) {
		if (mode_is(ino->mode, S_IFLNK))
			err = read_link(ino, args->a[2], bufsiz);
		else
			err = walk_empty(&w) ? -ENOENT : -EINVAL;
		inode_put(ino);
	}
	walk_end(&w);
	return err;
}

struct linux_statfs {
	int64_t type, bsize;
	uint64_t blocks, bfree, bavail, files, ffree;
	int32_t fsid[2];
	int64_t namelen, frsize, flags, spare[4];
};
_Static_assert(sizeof(struct linux_statfs) == 120, "riscv64 struct statfs");

#define ST_VALID 0x20

static long put_statfs(struct inode *ino, uint64_t ubuf)
{
	struct kstatfs k;
	struct linux_statfs s;
	int err = ino->sb->statfs(ino->sb, &k);

	if (err)
		return err;
	s = (struct linux_statfs){
		.type = (int64_t)k.type, .bsize = (int64_t)k.bsize, .blocks = k.blocks,
		.bfree = k.bfree, .bavail = k.bavail, .files = k.files, .ffree = k.ffree,
		.fsid = { (int32_t)ino->sb->dev, 0 }, .namelen = (int64_t)k.namelen,
		.frsize = (int64_t)k.frsize, .flags = (int64_t)(k.flags | ST_VALID),
	};
	return copy_to_user(ubuf, &s, sizeof(s)) ? -EFAULT : 0;
}

SYSCALL(statfs)
{
	struct inode *ino;
	long err = user_lookup(AT_FDCWD, args->a[0], WALK_FOLLOW, &ino);

	if (err)
		return err;
	err = put_statfs(ino, args->a[1]);
	inode_put(ino);
	return err;
}

SYSCALL(fstatfs)
{
	struct file *f = fd_get(current, (int)args->a[0]);

	if (!f)
		return -EBADF;
	return f->inode ? put_statfs(f->inode, args->a[1]) : -EOPNOTSUPP;
}
