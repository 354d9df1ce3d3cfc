#include "fs/stat.h"

/* Every member, pads included, is stored once: struct linux_stat has no
 * padding of its own (sizes add up to 128), so no memset is needed first
 * and a caller's buffer needs no zeroing of its own. */
void kstat_to_linux(const struct kstat *k, struct linux_stat *out)
{
	out->st_dev = k->dev;
	out->st_ino = k->ino;
	out->st_mode = k->mode;
	out->st_nlink = k->nlink;
	out->st_uid = k->uid;
	out->st_gid = k->gid;
	out->st_rdev = k->rdev;
	out->pad1 = 0;
	out->st_size = (int64_t)k->size;
	out->st_blksize = (int32_t)k->blksize;
	out->pad2 = 0;
	out->st_blocks = (int64_t)k->blocks;
	out->st_atime = k->atime_sec;
	out->st_atime_nsec = k->atime_nsec;
	out->st_mtime = k->mtime_sec;
	out->st_mtime_nsec = k->mtime_nsec;
	out->st_ctime = k->ctime_sec;
	out->st_ctime_nsec = k->ctime_nsec;
	out->unused[0] = out->unused[1] = 0;
}
