/* mount -t tmpfs: the options Linux's tmpfs takes that mean something
 * here (mode, uid, gid, size, nr_inodes); any other is -EINVAL, as Linux. */
#include <frame/errno.h>
#include <frame/meminfo.h>
#include <stdlib.h>
#include <string.h>
#include "fs/tmpfs_internal.h"

struct tmpfs_opts {
	uint32_t mode, uid, gid;
	uint64_t chunks, inodes; /* 0: the default */
	bool owner;
};

/* A size with an optional k/m/g suffix or "%" of RAM, in bytes. */
static int parse_size(const char *v, uint64_t *out)
{
	char *end;
	uint64_t n = strtoul(v, &end, 0);

	switch (*end) {
	case 'k': case 'K': n <<= 10; end++; break;
	case 'm': case 'M': n <<= 20; end++; break;
	case 'g': case 'G': n <<= 30; end++; break;
	case '%': n = mem_total_bytes() / 100 * n; end++; break;
	default: break;
	}
	if (end == v || *end)
		return -EINVAL;
	*out = n;
	return 0;
}

static int parse_num(const char *v, int base, uint64_t *out)
{
	char *end;

	*out = strtoul(v, &end, base);
	return end == v || *end ? -EINVAL : 0;
}

static bool key_is(const char *opt, size_t klen, const char *key)
{
	return strlen(key) == klen && strncmp(opt, key, klen) == 0;
}

static int parse_one(char *opt, struct tmpfs_opts *o)
{
	char *eq = strchr(opt, '=');
	size_t klen = eq ? (size_t)(eq - opt) : strlen(opt);
	const char *v = eq ? eq + 1 : "";
	uint64_t n;
	int err;

	if (key_is(opt, klen, "mode")) {
		if ((err = parse_num(v, 8, &n)) == 0)
			o->mode = (uint32_t)n & S_IALLUGO;
	} else if (key_is(opt, klen, "uid") || key_is(opt, klen, "gid")) {
		if ((err = parse_num(v, 10, &n)) == 0) {
			*(opt[0] == 'u' ? &o->uid : &o->gid) = (uint32_t)n;
			o->owner = true;
		}
	} else if (key_is(opt, klen, "size")) {
		if ((err = parse_size(v, &n)) == 0)
			o->chunks = (n + VFS_BLOCK - 1) / VFS_BLOCK;
	} else if (key_is(opt, klen, "nr_inodes")) {
		err = parse_size(v, &o->inodes);
	} else {
		err = -EINVAL;
	}
	return err;
}

static int parse_opts(const char *data, struct tmpfs_opts *o)
{
	char buf[256], *opt = buf;

	if (strlcpy(buf, data, sizeof(buf)) >= sizeof(buf))
		return -EINVAL;
	while (opt && *opt) {
		char *comma = strchr(opt, ',');
		int err;
		if (comma)
			*comma = '\0';
		if (*opt && (err = parse_one(opt, o)) != 0)
			return err;
		opt = comma ? comma + 1 : NULL;
	}
	return 0;
}

int tmpfs_mount(const char *data, struct super **out)
{
	struct tmpfs_opts o = { .mode = 01777 }; /* Linux's default root mode */
	struct super *sb;
	int err = parse_opts(data, &o);

	if (err)
		return err;
	if (!(sb = tmpfs_create(o.mode)))
		return -ENOMEM;
	if (o.owner) {
		sb->root->uid = o.uid;
		sb->root->gid = o.gid;
	}
	if (o.chunks)
		((struct tmpfs_sb *)sb->priv)->max_chunks = o.chunks;
	if (o.inodes)
		((struct tmpfs_sb *)sb->priv)->max_inodes = o.inodes;
	*out = sb;
	return 0;
}
