/* Writing cached data back: sync(2), syncfs(2), fsync(2). File systems
 * that cache (ext2) have a sync op; the block cache holds the rest. */
#include <frame/errno.h>
#include "block/blkdev_file.h"
#include "block/cache.h"
#include "fs/file.h"
#include "fs/sync.h"
#include "fs/vfs.h"

int vfs_sync_super(struct super *sb, bool durable)
{
	return sb && sb->sync ? sb->sync(sb, durable) : 0;
}

void vfs_sync_all(void)
{
	struct mount_info m;

	for (unsigned i = 0; vfs_mount_get(i, &m) == 0; i++)
		vfs_sync_super(m.sb, false);
	bcache_sync(NULL, BCACHE_FLUSH_START); /* what device nodes wrote */
}

int vfs_fsync(struct file *f)
{
	struct blockdev *bd = blkdev_of_file(f);

	if (bd)
		return bcache_sync(bd, BCACHE_FLUSH);
	if (!f->inode || !(mode_is(f->inode->mode, S_IFREG) || mode_is(f->inode->mode, S_IFDIR)))
		return -EINVAL;
	return vfs_sync_super(f->inode->sb, true);
}
