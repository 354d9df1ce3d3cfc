/* procfs's file system: superblocks, inodes made from the entry tables
 * (procfs_internal.h), directory lookup and listing, and symlinks. The
 * files' opening and reading is in procfs_file.c. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <string.h>
#include "fs/procfs_internal.h"
#include "proc/process.h"

struct proc_inode {
	struct inode inode; /* inode.priv points back here */
	const struct proc_entry *entry;
	struct proc_ctx ctx;
	struct inode *parent; /* a reference; NULL at the root */
};

/* Superblock state: inodes alive, so an unmounted procfs is freed with the
 * last one. */
struct procfs_sb {
	unsigned inodes;
	bool dead;
};

static inline struct proc_inode *pnode(const struct inode *ino)
{
	return ino->priv;
}

extern const struct inode_ops procfs_ops;

struct process *proc_ctx_process(const struct proc_ctx *c)
{
	/* A thread's own files (task/TID, or /proc/TID); zombies too, as Linux. */
	return c->pid ? thread_find(c->pid) : NULL;
}

const struct proc_entry *procfs_entry(const struct inode *ino, struct proc_ctx *ctx)
{
	*ctx = pnode(ino)->ctx;
	return pnode(ino)->entry;
}

/* Inode numbers: stable for the same entry, process and descriptor, and
 * different between the children of one directory. */
static uint64_t ino_of(const struct proc_entry *e, const struct proc_ctx *c)
{
	if (e == &proc_root_entry)
		return 1;
	return ((uint64_t)(uintptr_t)e & 0xffffff) ^ ((uint64_t)(unsigned)c->pid << 24) ^
	       ((uint64_t)(unsigned)(c->fd + 1) << 44);
}

static struct inode *new_inode(struct super *sb, const struct proc_entry *e,
			       const struct proc_ctx *c, struct inode *parent)
{
	struct proc_inode *n = kzalloc(sizeof(*n));
	struct process *p = proc_ctx_process(c);
	struct inode *ino;

	if (!n)
		return NULL;
	ino = &n->inode;
	*ino = (struct inode){ .ops = &procfs_ops, .sb = sb, .ino = ino_of(e, c), .mode = e->mode,
			       .nlink = mode_is(e->mode, S_IFDIR) ? 2 : 1, .refs = 1, .priv = n };
	ino->atime = ino->mtime = ino->ctime = ino->btime = vfs_now();
	if (p) { /* a process's files belong to it, as Linux's (dumpable) ones */
		ino->uid = p->cred.euid;
		ino->gid = p->cred.egid;
		ino->btime = ino->ctime = ino->mtime = (struct vfs_time){
			(int64_t)(p->start_ns / 1000000000u), (uint32_t)(p->start_ns % 1000000000u) };
	}
	n->entry = e;
	n->ctx = *c;
	n->parent = parent ? inode_get(parent) : NULL;
	((struct procfs_sb *)sb->priv)->inodes++;
	return ino;
}

static bool parse_number(const char *name, size_t len, unsigned long *out)
{
	unsigned long n = 0;

	if (len == 0 || len > 9 || (name[0] == '0' && len > 1))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return false;
		n = n * 10 + (unsigned long)(name[i] - '0');
	}
	*out = n;
	return true;
}

static int procfs_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	const struct proc_entry *e = pnode(dir)->entry, *child = NULL;
	struct proc_ctx ctx = pnode(dir)->ctx;
	unsigned long n;

	if (ctx.pid && !proc_ctx_process(&ctx))
		return -ENOENT; /* the process is gone: its directory is empty */
	for (const struct proc_entry *c = e->children; c && c->name && !child; c++)
		if (strlen(c->name) == len && memcmp(c->name, name, len) == 0)
			child = c;
	if (!child && e->dyn && parse_number(name, len, &n) && e->dyn->find(&ctx, n, &ctx) == 0)
		child = e->dyn->entry;
	if (!child)
		return -ENOENT;
	return (*out = new_inode(dir->sb, child, &ctx, dir)) ? 0 : -ENOMEM;
}

static struct inode *procfs_parent(struct inode *dir)
{
	struct inode *p = pnode(dir)->parent;

	return p ? inode_get(p) : NULL;
}

static unsigned dtype(uint32_t mode)
{
	return (mode & S_IFMT) >> 12;
}

/* Positions: 0 ".", 1 "..", then the fixed children, then DYN_BASE plus
 * the number of a numbered child (so listing resumes right even when
 * processes come and go in between). */
#define DYN_BASE 1024

static int readdir_dyn(struct inode *dir, uint64_t *pos, filldir_fn fill, void *ctx)
{
	const struct proc_dyn *d = pnode(dir)->entry->dyn;
	struct proc_ctx child;
	char name[16];

	for (;;) {
		uint64_t cookie = *pos - DYN_BASE;
		if (d->next(&pnode(dir)->ctx, &cookie, name, &child) != 0)
			return 0;
		if (fill(ctx, name, strlen(name), ino_of(d->entry, &child), dtype(d->entry->mode),
			 DYN_BASE + cookie + 1))
			return 0;
		*pos = DYN_BASE + cookie + 1;
	}
}

static int procfs_readdir(struct inode *dir, uint64_t *pos, filldir_fn fill, void *ctx)
{
	const struct proc_entry *e = pnode(dir)->entry;
	struct inode *up = pnode(dir)->parent;
	uint64_t i;

	if (pnode(dir)->ctx.pid && !proc_ctx_process(&pnode(dir)->ctx))
		return -ENOENT;
	if (*pos == 0) {
		if (fill(ctx, ".", 1, dir->ino, dtype(S_IFDIR), 1))
			return 0;
		*pos = 1;
	}
	if (*pos == 1) {
		if (fill(ctx, "..", 2, up ? up->ino : dir->ino, dtype(S_IFDIR), 2))
			return 0;
		*pos = 2;
	}
	for (i = 0; e->children && e->children[i].name; i++)
		; /* i: how many fixed children (lseek may have set any position) */
	for (; *pos >= 2 && *pos - 2 < i; ) {
		const struct proc_entry *c = &e->children[*pos - 2];
		if (fill(ctx, c->name, strlen(c->name), ino_of(c, &pnode(dir)->ctx), dtype(c->mode),
			 *pos + 1))
			return 0;
		*pos += 1;
	}
	if (*pos < DYN_BASE)
		*pos = DYN_BASE;
	return e->dyn ? readdir_dyn(dir, pos, fill, ctx) : 0;
}

static long procfs_readlink(struct inode *ino, char *buf, size_t size)
{
	const struct proc_entry *e = pnode(ino)->entry;

	if (pnode(ino)->ctx.pid && !proc_ctx_process(&pnode(ino)->ctx))
		return -ENOENT;
	return e->link(&pnode(ino)->ctx, buf, size);
}

static void procfs_evict(struct inode *ino)
{
	struct super *sb = ino->sb;
	struct procfs_sb *ps = sb->priv;

	inode_put(pnode(ino)->parent); /* cannot free sb: this one still counts */
	kfree(pnode(ino));
	if (--ps->inodes == 0 && ps->dead) {
		kfree(ps);
		kfree(sb);
	}
}

const struct inode_ops procfs_ops = {
	.lookup = procfs_lookup,
	.parent = procfs_parent,
	.readdir = procfs_readdir,
	.readlink = procfs_readlink,
	.evict = procfs_evict,
	.open = procfs_open,
};

static int procfs_statfs(struct super *sb, struct kstatfs *out)
{
	*out = (struct kstatfs){ .type = PROC_SUPER_MAGIC, .bsize = VFS_BLOCK,
				 .frsize = VFS_BLOCK, .namelen = NAME_MAX, .flags = sb->flags };
	return 0;
}

static void procfs_kill(struct super *sb)
{
	((struct procfs_sb *)sb->priv)->dead = true;
	inode_put(sb->root); /* the superblock's reference: usually the last */
}

int procfs_mount(const char *source, unsigned long flags, const char *data, struct super **out)
{
	struct super *sb = kzalloc(sizeof(*sb));
	struct procfs_sb *ps = kzalloc(sizeof(*ps));
	struct proc_ctx none = { 0, -1 };

	(void)source, (void)flags, (void)data;
	if (!sb || !ps) {
		kfree(sb);
		kfree(ps);
		return -ENOMEM;
	}
	*sb = (struct super){ .type = "proc", .dev = vfs_anon_dev(), .mnt_id = vfs_next_mnt_id(),
			      .statfs = procfs_statfs, .kill = procfs_kill, .transient = true,
			      .priv = ps };
	if (!(sb->root = new_inode(sb, &proc_root_entry, &none, NULL))) {
		kfree(sb);
		kfree(ps);
		return -ENOMEM;
	}
	*out = sb;
	return 0;
}
