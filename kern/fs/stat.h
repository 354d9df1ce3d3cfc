/* struct stat as the riscv64 (asm-generic) ABI lays it out, and the kernel's
 * own description of a file that fills it. */
#ifndef KERN_FS_STAT_H
#define KERN_FS_STAT_H

#include <frame/types.h>

#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define S_IFLNK 0120000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFIFO 0010000

struct kstat {
	uint64_t dev, ino, rdev, size, blocks;
	uint32_t mode, nlink, uid, gid, blksize;
	int64_t atime_sec, mtime_sec, ctime_sec;
	uint32_t atime_nsec, mtime_nsec, ctime_nsec;
};

struct linux_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint32_t st_mode;
	uint32_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	uint64_t st_rdev;
	uint64_t pad1;
	int64_t st_size;
	int32_t st_blksize;
	int32_t pad2;
	int64_t st_blocks;
	int64_t st_atime, st_atime_nsec;
	int64_t st_mtime, st_mtime_nsec;
	int64_t st_ctime, st_ctime_nsec;
	uint32_t unused[2];
};
_Static_assert(sizeof(struct linux_stat) == 128, "riscv64 struct stat");

/* Linux's device number encoding (new_encode_dev). */
static inline uint64_t encode_dev(unsigned major, unsigned minor)
{
	return (minor & 0xff) | ((uint64_t)major << 8) | ((uint64_t)(minor & ~0xffu) << 12);
}

/* Writes every byte of *out, so the caller's buffer may be declared
 * LINUX_STAT_UNINIT (spared -ftrivial-auto-var-init's zeroing). */
void kstat_to_linux(const struct kstat *k, struct linux_stat *out);
#define LINUX_STAT_UNINIT __attribute__((uninitialized))

#endif
