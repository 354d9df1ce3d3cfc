/* Writing cached data back to the disks (see sync.c). */
#ifndef KERN_FS_SYNC_H
#define KERN_FS_SYNC_H

struct file;
struct super;

/* Every mounted file system and every device's cached blocks. */
void vfs_sync_all(void);
/* One file system: 0 or the first write error. */
int vfs_sync_super(struct super *sb, bool durable);
/* What fsync(fd) writes: the file's file system, or a device node's
 * device; -EINVAL for files with nothing to sync (pipes, ttys). */
int vfs_fsync(struct file *f);

/* writeback.c: starts syncing everything every 5 s (once is enough). */
void writeback_start(void);

#endif
