/* The per-mount lock (see ext2.h): a sleeping lock that the holding task
 * may take again. */
#include <frame/task.h>
#include "fs/ext2/ext2.h"

void ext2_lock(struct ext2_sb *s)
{
	void *me = task_current();

	if (s->lock.owner == me) {
		s->lock.depth++;
		return;
	}
	slock_take(&s->lock.slock);
	s->lock.owner = me;
	s->lock.depth = 1;
}

void ext2_unlock(struct ext2_sb *s)
{
	if (--s->lock.depth)
		return;
	s->lock.owner = NULL;
	slock_give(&s->lock.slock);
}
