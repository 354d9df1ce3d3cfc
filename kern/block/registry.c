/* The block-device registry: drivers register disks here; the block cache,
 * partitions and /dev nodes are built on top of it. A small fixed table:
 * disks are few and never go away. */
#include <frame/errno.h>
#include <frame/log.h>
#include <frame/spinlock.h>
#include <kern/blockdev.h>
#include <string.h>
#include "block/registry.h"

#define MAX_BLOCKDEVS 16
#define NAME_LEN 8

static struct blockdev *devs[MAX_BLOCKDEVS];
static unsigned ndevs;
static char names[MAX_BLOCKDEVS][NAME_LEN]; /* handed out by blockdev_next_name */
static unsigned nnames;
static spinlock_t registry_lock = SPINLOCK_INIT("blockdev");

int blockdev_register(struct blockdev *bd)
{
	unsigned long flags;

	if (!bd || !bd->name || !bd->ops || !bd->ops->submit || !bd->sector_size)
		return -EINVAL;
	flags = spin_lock_irqsave(&registry_lock);
	if (ndevs >= MAX_BLOCKDEVS) {
		spin_unlock_irqrestore(&registry_lock, flags);
		return -ENOSPC;
	}
	devs[ndevs++] = bd;
	spin_unlock_irqrestore(&registry_lock, flags);
	pr_info("block: %s: %lu sectors of %u bytes%s\n", bd->name, bd->sectors, bd->sector_size,
		bd->read_only ? ", read-only" : "");
	return 0;
}

/* prefix + 'a', 'b', ...: the first letter no earlier call handed out. */
const char *blockdev_next_name(const char *prefix)
{
	unsigned long flags = spin_lock_irqsave(&registry_lock);
	const char *name = NULL;

	if (nnames < MAX_BLOCKDEVS && strlen(prefix) + 2 <= NAME_LEN) {
		char *n = names[nnames];
		size_t len = strlen(prefix);
		memcpy(n, prefix, len);
		n[len] = (char)('a' + nnames);
		n[len + 1] = '\0';
		name = n;
		nnames++;
	}
	spin_unlock_irqrestore(&registry_lock, flags);
	return name;
}

struct blockdev *blockdev_get(unsigned index)
{
	return index < ndevs ? devs[index] : NULL;
}

struct blockdev *blockdev_find(const char *name)
{
	for (unsigned i = 0; i < ndevs; i++)
		if (strcmp(devs[i]->name, name) == 0)
			return devs[i];
	return NULL;
}
