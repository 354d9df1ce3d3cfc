/* Walking and removing a VFS tree (fuzz_tree.h). Names are gathered a batch
 * at a time before anything is removed, since a directory's cookies are not
 * stable across removals. */
#include <stdlib.h>
#include <string.h>

#include "fs/iobuf.h"
#include "fuzz_tree.h"

#define BATCH 16
#define MAX_DEPTH 8

struct names {
	char name[BATCH][256];
	size_t len[BATCH];
	unsigned n;
};

static int gather(void *ctx, const char *name, size_t len, uint64_t ino, unsigned type,
		  uint64_t next)
{
	struct names *ns = ctx;

	(void)ino, (void)type, (void)next;
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return 0;
	if (ns->n == BATCH || len >= sizeof(ns->name[0]))
		return 1;
	memcpy(ns->name[ns->n], name, len);
	ns->len[ns->n++] = len;
	return 0;
}

static long kread(struct inode *ino, uint64_t off, void *p, size_t n)
{
	struct iobuf b = iobuf_kernel(p);

	return ino->ops->read(ino, off, &b, n);
}

void fuzz_walk(struct inode *dir, int depth)
{
	static char buf[65536];
	struct names *ns = calloc(1, sizeof(*ns));
	uint64_t pos = 0;

	dir->ops->readdir(dir, &pos, gather, ns);
	for (unsigned i = 0; i < ns->n; i++) {
		struct inode *c;

		if (dir->ops->lookup(dir, ns->name[i], ns->len[i], &c))
			continue;
		if (mode_is(c->mode, S_IFDIR) && depth < MAX_DEPTH)
			fuzz_walk(c, depth + 1);
		else if (mode_is(c->mode, S_IFREG))
			kread(c, 0, buf, c->size < sizeof(buf) ? c->size : sizeof(buf));
		else if (mode_is(c->mode, S_IFLNK))
			c->ops->readlink(c, buf, sizeof(buf));
		inode_put(c);
	}
	free(ns);
}

unsigned fuzz_names(struct inode *dir, char (*names)[256], size_t *lens, unsigned max)
{
	struct names *ns = calloc(1, sizeof(*ns));
	uint64_t pos = 0;
	unsigned n;

	dir->ops->readdir(dir, &pos, gather, ns);
	n = ns->n < max ? ns->n : max;
	for (unsigned i = 0; i < n; i++) {
		memcpy(names[i], ns->name[i], ns->len[i]);
		lens[i] = ns->len[i];
	}
	free(ns);
	return n;
}

void fuzz_empty(struct inode *dir)
{
	struct names *ns = malloc(sizeof(*ns));
	bool progress = true;

	while (progress) {
		uint64_t pos = 0;

		ns->n = 0;
		progress = false;
		dir->ops->readdir(dir, &pos, gather, ns);
		for (unsigned i = 0; i < ns->n; i++) {
			struct inode *c;

			if (dir->ops->lookup(dir, ns->name[i], ns->len[i], &c))
				continue;
			if (mode_is(c->mode, S_IFDIR)) {
				fuzz_empty(c);
				progress |= dir->ops->rmdir(dir, ns->name[i], ns->len[i]) == 0;
			} else {
				progress |= dir->ops->unlink(dir, ns->name[i], ns->len[i]) == 0;
			}
			inode_put(c);
		}
	}
	free(ns);
}
