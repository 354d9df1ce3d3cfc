/* The virtual file system: inodes with operations, the file systems
 * (superblocks) they belong to, and the mount table that joins them into one
 * tree.
 *
 * Lifetime: an inode lives while it has a name (nlink > 0) or an in-memory
 * reference (refs > 0: an open file, a cwd, a path walk in progress, a
 * mount). inode_put() of the last reference to an unlinked inode hands it to
 * its file system's evict op. Directory entries are names, not references.
 *
 * Concurrency: kernel code is scheduled cooperatively and no VFS operation
 * sleeps, so each one runs to its end without another task in between. The
 * exception is opening a FIFO, which may wait for its partner at the very
 * end of the open (fs/fifo.c), holding only references; and disk file
 * systems (ext2), whose ops sleep on block I/O: each takes its own sleeping
 * lock for the whole op (fs/ext2/ext2.h), so the VFS sees it as atomic. */
#ifndef KERN_FS_VFS_H
#define KERN_FS_VFS_H

#include <frame/page.h>
#include <frame/types.h>
#include "fs/stat.h"

#define NAME_MAX 255
#define PATH_MAX 4096
#define MAXSYMLINKS 40
#define VFS_BLOCK 4096 /* st_blksize, statfs f_bsize */

/* Access checks (inode_permission). */
#define MAY_EXEC 1
#define MAY_WRITE 2
#define MAY_READ 4

#define S_ISUID 04000
#define S_ISGID 02000
#define S_ISVTX 01000
#define S_IXGRP 00010
#define S_IXUGO 00111
#define S_IALLUGO 07777

static inline bool mode_is(uint32_t mode, uint32_t type)
{
	return (mode & S_IFMT) == type;
}

struct vfs_time {
	int64_t sec;
	uint32_t nsec;
};

struct inode;
struct super;
struct iobuf;
struct pipe;
struct file;

/* Called by readdir for each entry; nonzero stops (the entry is not taken). */
/* next is the position just after this entry (getdents64 d_off). */
typedef int (*filldir_fn)(void *ctx, const char *name, size_t len, uint64_t ino, unsigned type,
			  uint64_t next);

/* What a file system implements. Names are len bytes, not NUL-terminated,
 * never "." or "..", 1..NAME_MAX bytes. The VFS has done the generic checks
 * (types, existence, permissions) before it calls a namespace op. */
struct inode_ops {
	/* Directories. lookup returns a referenced inode or -ENOENT. */
	int (*lookup)(struct inode *dir, const char *name, size_t len, struct inode **out);
	/* The parent directory, referenced; NULL at the file system's root. */
	struct inode *(*parent)(struct inode *dir);
	/* A non-directory, non-symlink node of mode (type included). */
	int (*create)(struct inode *dir, const char *name, size_t len, uint32_t mode, uint32_t rdev,
		      struct inode **out);
	int (*mkdir)(struct inode *dir, const char *name, size_t len, uint32_t mode, struct inode **out);
	int (*symlink)(struct inode *dir, const char *name, size_t len, const char *target,
		       size_t tlen, struct inode **out);
	int (*link)(struct inode *dir, const char *name, size_t len, struct inode *target);
	int (*unlink)(struct inode *dir, const char *name, size_t len);
	int (*rmdir)(struct inode *dir, const char *name, size_t len); /* -ENOTEMPTY */
	/* flags: RENAME_NOREPLACE / RENAME_EXCHANGE, already checked. -ENOTEMPTY
	 * if the replaced directory has entries. */
	int (*rename)(struct inode *odir, const char *oname, size_t olen, struct inode *ndir,
		      const char *nname, size_t nlen, unsigned flags);
	/* From the cookie *pos (0 first), advancing it past each entry taken. */
	int (*readdir)(struct inode *dir, uint64_t *pos, filldir_fn fill, void *ctx);
	/* Symlinks: the target into buf (no NUL); its length. */
	long (*readlink)(struct inode *ino, char *buf, size_t size);
	/* Regular files: bytes moved, or -errno if none was. */
	long (*read)(struct inode *ino, uint64_t off, const struct iobuf *buf, size_t len);
	long (*write)(struct inode *ino, uint64_t off, const struct iobuf *buf, size_t len);
	int (*truncate)(struct inode *ino, uint64_t size);
	/* For mmap: the page holding file page index, referenced for the
	 * caller; -ENXIO past the end of the file. NULL: cannot be mapped. */
	int (*get_page)(struct inode *ino, uint64_t index, page_t *out);
	/* Frees an inode with no name and no reference left. */
	void (*evict)(struct inode *ino);
	/* Optional: makes the open file itself (procfs's generated files);
	 * the VFS has checked the type and permissions. NULL: by type. */
	int (*open)(struct inode *ino, unsigned flags, struct file **out);
};

struct inode {
	const struct inode_ops *ops;
	struct super *sb;
	uint64_t ino;
	uint32_t mode, nlink, uid, gid, rdev; /* rdev: encode_dev() of major:minor */
	uint64_t size, blocks;                 /* blocks: 512-byte units */
	struct vfs_time atime, mtime, ctime, btime;
	unsigned refs;
	struct inode *mounted; /* the root of the file system mounted on this one */
	struct inode *covered; /* for a mounted root: the inode it is mounted on */
	void *locks;           /* advisory locks held on it (fs/lock.c) */
	void *priv;            /* the file system's own */
	struct pipe *pipe;     /* a FIFO's pipe while it is open (fs/fifo.c), a pipefs inode's */
	int writers;           /* > 0: open for writing; < 0: running as a program (write_access.c) */
};

/* statfs(2)'s numbers, before the syscall lays them out. */
struct kstatfs {
	uint64_t type, bsize, blocks, bfree, bavail, files, ffree, namelen, frsize, flags;
};

/* One mounted file system. */
struct super {
	const char *type;
	uint64_t dev;     /* st_dev of its inodes */
	uint64_t next_ino;
	unsigned mnt_id;  /* statx stx_mnt_id */
	unsigned flags;   /* statfs f_flags (ST_*) */
	struct inode *root;
	int (*statfs)(struct super *sb, struct kstatfs *out);
	/* Optional: called once it is unmounted. Its inodes may still be in
	 * use (a lazy umount): it frees what nothing uses now, the rest and
	 * the superblock as they are let go. */
	void (*kill)(struct super *sb);
	/* Inodes are made by lookup and freed with their last reference even
	 * while they have a name (procfs: nothing is stored). */
	bool transient;
	/* Writes everything cached to the device and makes it stable: waits
	 * for that when durable (fsync, syncfs, umount), else only asks for it
	 * (sync(2)). NULL: nothing to do. */
	int (*sync)(struct super *sb, bool durable);
	void *priv;
};

/* inode.c */
struct inode *inode_get(struct inode *ino);
void inode_put(struct inode *ino);
struct vfs_time vfs_now(void);
enum { T_ATIME = 1, T_MTIME = 2, T_CTIME = 4 };
void inode_touch(struct inode *ino, unsigned which);
void inode_getattr(const struct inode *ino, struct kstat *st);

/* perm.c: the caller's credentials (proc/cred.h) against the mode bits. An
 * fsuid 0 passes every check except MAY_EXEC of a non-directory without any
 * x bit; MAY_WRITE on a read-only mount is -EROFS for anyone. */
uint32_t vfs_fsuid(void);
uint32_t vfs_fsgid(void);
int inode_permission(const struct inode *ino, int mask);
bool vfs_capable(void);

/* attr.c: what chmod, chown, utimensat and truncate change. */
#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)
int vfs_chmod(struct inode *ino, uint32_t mode);
int vfs_chown(struct inode *ino, uint32_t uid, uint32_t gid); /* (uint32_t)-1: unchanged */
/* times NULL: both now; else {sec, nsec} pairs with UTIME_NOW / UTIME_OMIT. */
int vfs_utimes(struct inode *ino, const int64_t (*times)[2]);
int vfs_truncate(struct inode *ino, uint64_t size);

/* write_access.c: a running program's file cannot be written, nor a file
 * open for writing run (Linux's i_writecount): exec maps the file's own
 * pages, so a write would change the program under it. Each returns
 * -ETXTBSY when the other side holds the file. */
int inode_get_write_access(struct inode *ino);
void inode_put_write_access(struct inode *ino);
int inode_deny_write_access(struct inode *ino);
void inode_allow_write_access(struct inode *ino);

/* mount.c */
#define ST_RDONLY 1
#define ST_NOSUID 2
#define ST_NODEV 4
#define ST_NOEXEC 8
#define ST_RELATIME 4096
/* The file system is mounted read-only: no change through it (-EROFS). */
static inline bool sb_rdonly(const struct super *sb)
{
	return sb->flags & ST_RDONLY;
}

/* Mounts sb on mountpoint (a directory), or as the root if mountpoint is NULL. */
int vfs_mount(struct super *sb, struct inode *mountpoint);
/* The same, naming the source (what /proc/mounts shows first). */
int vfs_mount_source(struct super *sb, struct inode *mountpoint, const char *source);
/* Detaches the file system whose root is root (taking over the caller's
 * reference): -EINVAL if root is not a mounted root, -EBUSY if something in
 * it is in use (unless lazy). A file system no longer used is freed. */
int vfs_umount(struct inode *root, bool lazy);
/* A mount as /proc/mounts and mountinfo show it. */
struct mount_info {
	struct super *sb;
	const char *source;
	const char *path;  /* where it is mounted, absolute */
	unsigned parent_id; /* the mnt_id of the file system it is mounted on */
};
/* The index-th mount, in mount order; -ENOENT past the last. */
int vfs_mount_get(unsigned index, struct mount_info *out);
/* The root directory (borrowed: take a reference to keep it). */
struct inode *vfs_root(void);
/* ino, or the root of what is mounted on it, repeatedly (takes over the reference). */
struct inode *vfs_cross_mounts(struct inode *ino);
/* Anonymous device numbers for new file systems (major 0, as Linux's). */
uint64_t vfs_anon_dev(void);
unsigned vfs_next_mnt_id(void);

#endif
