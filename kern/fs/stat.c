#include <string.h>
#include "fs/stat.h"

void kstat_to_linux(const struct kstat *k, struct linux_stat *out)
{
	memset(out, 0, sizeof(*out));
	out->st_dev = k->dev;
	out->st_ino = k->ino;
	out->st_mode = k->mode;
	out->st_nlink = k->nlink;
	out->st_uid = k->uid;
	out->st_gid = k->gid;
	out->st_rdev = k->rdev;
	out->st_size = (int64_t)k->size;
	out->st_blksize = (int32_t)k->blksize;
	out->st_blocks = (int64_t)k->blocks;
	out->st_atime = k->atime_sec;
	out->st_atime_nsec = k->atime_nsec;
	out->st_mtime = k->mtime_sec;
	out->st_mtime_nsec = k->mtime_nsec;
	out->st_ctime = k->ctime_sec;
	out->st_ctime_nsec = k->ctime_nsec;
}
