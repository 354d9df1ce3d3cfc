/* The name index of a tmpfs directory (tmpfs_internal.h): chained buckets,
 * as many as entries at most, doubled when the entries outnumber them.
 * Small directories have none; the insertion-ordered list is short there. */
#include <frame/heap.h>
#include "fs/tmpfs_internal.h"

#define HASH_FROM 8   /* entries before a directory gets an index */
#define HASH_FIRST 16 /* its first bucket count */

static void link_into(struct tmpfs_dirent **buckets, unsigned n, struct tmpfs_dirent *e)
{
	struct tmpfs_dirent **b = &buckets[e->hash & (n - 1)];

	e->hnext = *b;
	*b = e;
}

/* A table of n buckets over every entry of d; left as it was without memory. */
static void rebuild(struct tmpfs_dir *d, unsigned n)
{
	struct tmpfs_dirent **buckets = kzalloc(n * sizeof(*buckets));

	if (!buckets)
		return;
	for (struct tmpfs_dirent *e = d->head; e; e = e->next)
		link_into(buckets, n, e);
	kfree(d->buckets);
	d->buckets = buckets;
	d->nbuckets = n;
}

void tmpfs_dirhash_add(struct tmpfs_dir *d, struct tmpfs_dirent *e)
{
	if (d->buckets && d->count <= d->nbuckets) {
		link_into(d->buckets, d->nbuckets, e);
		return;
	}
	if (d->count < HASH_FROM)
		return;
	/* e is on the list already: the rebuild indexes it. A failed one
	 * leaves the old table, which must still get e. */
	rebuild(d, d->buckets ? d->nbuckets * 2 : HASH_FIRST);
	if (d->buckets && d->count > d->nbuckets)
		link_into(d->buckets, d->nbuckets, e);
}

void tmpfs_dirhash_remove(struct tmpfs_dir *d, struct tmpfs_dirent *e)
{
	if (!d->buckets)
		return;
	for (struct tmpfs_dirent **p = &d->buckets[e->hash & (d->nbuckets - 1)]; *p; p = &(*p)->hnext) {
		if (*p == e) {
			*p = e->hnext;
			return;
		}
	}
}

/* Names are short: a plain loop beats a call to memcmp. */
static bool same_name(const char *a, const char *b, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

struct tmpfs_dirent *tmpfs_dirhash_find(const struct tmpfs_dir *d, const char *name, size_t len,
					uint32_t hash)
{
	struct tmpfs_dirent *e = d->buckets ? d->buckets[hash & (d->nbuckets - 1)] : d->head;

	for (; e; e = d->buckets ? e->hnext : e->next)
		if (e->hash == hash && e->len == len && same_name(e->name, name, len))
			return e;
	return NULL;
}

void tmpfs_dirhash_free(struct tmpfs_dir *d)
{
	kfree(d->buckets);
	d->buckets = NULL;
	d->nbuckets = 0;
}
