/* mount(2) and umount2(2) for the file-system types of fs/fstype.h. Every
 * mount is private (there is no propagation), and a file system is mounted
 * in one place: bind mounts are not there yet. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/uaccess.h>
#include "fs/fstype.h"
#include "proc/cred.h"
#include "syscall/sys_file.h"

#define MS_RDONLY 1
#define MS_NOSUID 2
#define MS_NODEV 4
#define MS_NOEXEC 8
#define MS_SYNCHRONOUS 16
#define MS_REMOUNT 32
#define MS_MANDLOCK 64
#define MS_DIRSYNC 128
#define MS_NOATIME 1024
#define MS_NODIRATIME 2048
#define MS_BIND 4096
#define MS_MOVE 8192
#define MS_REC 16384
#define MS_SILENT 32768
#define MS_UNBINDABLE (1 << 17)
#define MS_PRIVATE (1 << 18)
#define MS_SLAVE (1 << 19)
#define MS_SHARED (1 << 20)
#define MS_RELATIME (1 << 21)
#define MS_STRICTATIME (1 << 24)
#define MS_LAZYTIME (1 << 25)
#define MS_MGC_MSK 0xffff0000u
#define MS_MGC_VAL 0xc0ed0000u
#define MS_PROPAGATION (MS_UNBINDABLE | MS_PRIVATE | MS_SLAVE | MS_SHARED)
#define ST_NOATIME 1024

#define MNT_FORCE 1
#define MNT_DETACH 2
#define MNT_EXPIRE 4
#define UMOUNT_NOFOLLOW 8

#define TYPE_MAX 64
#define DATA_MAX 256

/* The statfs flags (ST_*) a mount's MS_* flags give. */
static unsigned st_flags(unsigned long ms)
{
	unsigned st = (unsigned)ms & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);

	if (ms & MS_NOATIME)
		st |= ST_NOATIME;
	else if (!(ms & MS_STRICTATIME))
		st |= ST_RELATIME;
	return st;
}

/* A user string into buf; "" for a NULL pointer when allowed. */
static int user_string(uint64_t u, char *buf, size_t size, bool null_ok)
{
	long n;

	if (!u) {
		buf[0] = '\0';
		return null_ok ? 0 : -EFAULT;
	}
	n = strncpy_from_user(buf, u, size);
	return n == -ENAMETOOLONG ? -EINVAL : n < 0 ? (int)n : 0;
}

/* MS_REMOUNT: new flags for the file system mounted at mroot. */
static int remount(struct inode *mroot, unsigned long flags)
{
	struct super *sb = mroot->sb;

	if (mroot != sb->root)
		return -EINVAL;
	sb->flags = st_flags(flags) | (sb->flags & ~(unsigned)(ST_RDONLY | ST_NOSUID | ST_NODEV |
							     ST_NOEXEC | ST_NOATIME | ST_RELATIME));
	return 0;
}

static int new_mount(struct inode *target, const char *source, const char *type,
		     const char *data, unsigned long flags)
{
	const struct fs_type *t = fs_type_find(type);
	struct super *sb;
	int err;

	if (!t)
		return -ENODEV;
	if ((err = t->mount(source, data, &sb)) != 0)
		return err;
	/* The mount's atime mode replaces the file system's default. */
	sb->flags = (sb->flags & ~(unsigned)(ST_RELATIME | ST_NOATIME)) | st_flags(flags);
	if ((err = vfs_mount_source(sb, target, source[0] ? source : "none")) != 0 && sb->kill)
		sb->kill(sb);
	return err;
}

struct mount_strings {
	char source[DATA_MAX], type[TYPE_MAX], data[DATA_MAX];
};

static long do_mount(const struct syscall_args *args, struct mount_strings *s)
{
	unsigned long flags = args->a[3];
	struct inode *target;
	long err;

	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~(unsigned long)MS_MGC_MSK;
	if ((err = user_string(args->a[0], s->source, sizeof(s->source), true)) ||
	    (err = user_string(args->a[4], s->data, sizeof(s->data), true)))
		return err;
	if ((err = user_lookup(AT_FDCWD, args->a[1], WALK_FOLLOW, &target)) != 0)
		return err;
	if (flags & MS_REMOUNT)
		err = remount(target, flags);
	else if (flags & (MS_BIND | MS_MOVE))
		err = -EINVAL; /* partial: no bind or move mounts yet */
	else if (flags & MS_PROPAGATION)
		err = 0;       /* every mount is private already */
	else if (!args->a[2])
		err = -EINVAL; /* a new mount needs a type */
	else if (!(err = user_string(args->a[2], s->type, sizeof(s->type), false)))
		err = new_mount(target, s->source, s->type, s->data, flags);
	inode_put(target);
	return err;
}

SYSCALL(mount)
{
	struct mount_strings *s;
	long err;

	if (!cred_capable())
		return -EPERM;
	if (!(s = kmalloc(sizeof(*s))))
		return -ENOMEM;
	err = do_mount(args, s);
	kfree(s);
	return err;
}

SYSCALL(umount2)
{
	unsigned flags = (unsigned)args->a[1];
	struct inode *target;
	long err;

	if (flags & ~(unsigned)(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
		return -EINVAL;
	if (!cred_capable())
		return -EPERM;
	err = user_lookup(AT_FDCWD, args->a[0], flags & UMOUNT_NOFOLLOW ? 0 : WALK_FOLLOW, &target);
	if (err)
		return err;
	if (flags & MNT_EXPIRE) {
		inode_put(target);
		return -EAGAIN; /* nothing expires here: never marked unused yet */
	}
	return vfs_umount(target, flags & MNT_DETACH);
}
