/* pipefs: the pseudo file system pipe2(2)'s pipes live on, one inode per
 * pipe (S_IFIFO, no name), so fstat gives each pipe a st_dev and st_ino and
 * /proc/<pid>/fd can name it pipe:[ino] (sb->type is "pipefs"). Never
 * mounted, as Linux's. */
#include <frame/errno.h>
#include <frame/heap.h>
#include "fs/fcntl.h"
#include "fs/pipe.h"
#include "fs/vfs.h"

#define PIPEFS_MAGIC 0x50495045

static int pipefs_statfs(struct super *sb, struct kstatfs *out)
{
	(void)sb;
	*out = (struct kstatfs){ .type = PIPEFS_MAGIC, .bsize = VFS_BLOCK, .frsize = VFS_BLOCK,
				 .namelen = NAME_MAX };
	return 0;
}

static struct super pipefs_sb = { .type = "pipefs", .next_ino = 1, .statfs = pipefs_statfs };

/* The last file of the pipe is gone (the pipe itself went with it). */
static void pipefs_evict(struct inode *ino)
{
	kfree(ino);
}

static const struct inode_ops pipefs_ops = { .evict = pipefs_evict };

static struct inode *pipefs_inode(struct pipe *p)
{
	struct inode *ino = kzalloc(sizeof(*ino));

	if (!ino)
		return NULL;
	if (!pipefs_sb.dev) {
		pipefs_sb.dev = vfs_anon_dev();
		pipefs_sb.mnt_id = vfs_next_mnt_id();
	}
	ino->ops = &pipefs_ops;
	ino->sb = &pipefs_sb;
	ino->ino = pipefs_sb.next_ino++;
	ino->mode = S_IFIFO | 0600;
	ino->uid = vfs_fsuid();
	ino->gid = vfs_fsgid();
	ino->nlink = 1; /* as Linux; pipe_drop zeroes it when the last end goes */
	ino->atime = ino->mtime = ino->ctime = ino->btime = vfs_now();
	ino->pipe = p;
	return ino;
}

int pipefs_create(unsigned flags, struct file *ends[2])
{
	struct pipe *p = pipe_new();
	struct inode *ino = p ? pipefs_inode(p) : NULL;
	unsigned status = flags & (O_NONBLOCK | O_DIRECT);
	int err = ino ? pipe_open_end(p, O_RDONLY | status, &ends[0]) : -ENOMEM;

	if (err) { /* -ENFILE at the system-wide limit, else -ENOMEM */
		if (p)
			pipe_ring_free(p);
		kfree(p);
		kfree(ino);
		return err;
	}
	p->inode = ino;
	p->anon = true;
	if ((err = pipe_open_end(p, O_WRONLY | status, &ends[1])) != 0) {
		file_put(ends[0]); /* frees the pipe */
		kfree(ino);
		return err;
	}
	ino->refs = 2;
	ends[0]->inode = ino;
	ends[1]->inode = ino;
	return 0;
}
