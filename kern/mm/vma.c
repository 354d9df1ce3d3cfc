/* The sorted list of areas: lookup, insertion, splitting, merging. Pure
 * list logic (host-tested in tests/host/test_vma.c); the page tables are
 * the callers' business. */
#include <frame/errno.h>
#include <frame/heap.h>
#include "fs/vfs.h"
#include "mm/vma.h"

struct vma *vma_next_from(const struct vma_list *l, uint64_t addr)
{
	struct vma *v = l->head;

	while (v && v->end <= addr)
		v = v->next;
	return v;
}

struct vma *vma_find(const struct vma_list *l, uint64_t addr)
{
	struct vma *v = vma_next_from(l, addr);

	return v && v->start <= addr ? v : NULL;
}

bool vma_range_free(const struct vma_list *l, uint64_t start, uint64_t end)
{
	struct vma *v = vma_next_from(l, start);

	return !v || v->start >= end;
}

bool vma_range_covered(const struct vma_list *l, uint64_t start, uint64_t end)
{
	struct vma *v = vma_next_from(l, start);

	for (uint64_t at = start; at < end; v = v->next) {
		if (!v || v->start > at)
			return false;
		at = v->end;
	}
	return true;
}

/* At most this many areas (Linux's vm.max_map_count default): beyond it
 * mappings fail with ENOMEM instead of exhausting the kernel heap. */
#define MAX_MAP_COUNT 65530

static struct vma *vma_dup(const struct vma *tmpl)
{
	struct vma *v = kmalloc(sizeof(*v));

	if (!v)
		return NULL;
	*v = *tmpl;
	v->next = NULL;
	if (v->inode)
		inode_get(v->inode);
	return v;
}

static void vma_free(struct vma *v)
{
	if (v->inode)
		inode_put(v->inode);
	kfree(v);
}

/* The link that points at the first area starting at or after addr. */
static struct vma **link_at(struct vma_list *l, uint64_t addr)
{
	struct vma **p = &l->head;

	while (*p && (*p)->start < addr)
		p = &(*p)->next;
	return p;
}

int vma_insert(struct vma_list *l, const struct vma *tmpl, struct vma **out)
{
	struct vma *v = l->count < MAX_MAP_COUNT ? vma_dup(tmpl) : NULL;
	struct vma **p;

	if (!v)
		return -ENOMEM;
	p = link_at(l, v->start);
	v->next = *p;
	*p = v;
	l->count++;
	if (out)
		*out = v;
	return 0;
}

/* Cuts v at addr (strictly inside it): v keeps the lower part. */
static int split_one(struct vma_list *l, struct vma *v, uint64_t addr)
{
	struct vma *hi = l->count < MAX_MAP_COUNT ? vma_dup(v) : NULL;

	if (!hi)
		return -ENOMEM;
	hi->start = addr;
	hi->pgoff = v->pgoff + (addr - v->start) / VMA_PAGE;
	hi->next = v->next;
	v->end = addr;
	v->next = hi;
	l->count++;
	return 0;
}

int vma_split_at(struct vma_list *l, uint64_t start, uint64_t end)
{
	struct vma *v = vma_find(l, start);
	int err = 0;

	if (v && v->start < start)
		err = split_one(l, v, start);
	v = vma_find(l, end);
	if (!err && v && v->start < end)
		err = split_one(l, v, end);
	return err;
}

void vma_remove_range(struct vma_list *l, uint64_t start, uint64_t end)
{
	struct vma **p = link_at(l, start);

	while (*p && (*p)->end <= end) {
		struct vma *v = *p;
		*p = v->next;
		l->count--;
		vma_free(v);
	}
}

/* True if b continues a: adjacent, same kind, and for files the next page. */
static bool continues(const struct vma *a, const struct vma *b)
{
	return a->end == b->start && a->prot == b->prot && a->flags == b->flags &&
	       a->inode == b->inode &&
	       (!a->inode || a->pgoff + (a->end - a->start) / VMA_PAGE == b->pgoff);
}

void vma_merge_around(struct vma_list *l, struct vma *v)
{
	struct vma **p = &l->head;

	while (*p && (*p)->next != v && *p != v)
		p = &(*p)->next;
	if (*p && *p != v && continues(*p, v))
		v = *p; /* the predecessor absorbs v below */
	while (v->next && continues(v, v->next)) {
		struct vma *n = v->next;
		v->end = n->end;
		v->next = n->next;
		l->count--;
		vma_free(n);
	}
}

uint64_t vma_gap_top_down(const struct vma_list *l, uint64_t len, uint64_t low, uint64_t high)
{
	uint64_t best = 0, gap_start = low;

	if (len == 0 || high < low || high - low < len)
		return 0;
	/* Walk up, remembering the highest gap that fits below high. */
	for (const struct vma *v = l->head;; v = v->next) {
		uint64_t gap_end = v ? MIN(v->start, high) : high;
		if (gap_end > gap_start && gap_end - gap_start >= len)
			best = gap_end - len;
		if (!v || v->end >= high)
			break;
		if (v->end > gap_start)
			gap_start = v->end;
	}
	return best;
}

int vma_list_copy(struct vma_list *dst, const struct vma_list *src)
{
	struct vma **tail = &dst->head;

	for (const struct vma *v = src->head; v; v = v->next) {
		struct vma *c = vma_dup(v);
		if (!c)
			return -ENOMEM;
		*tail = c;
		tail = &c->next;
		dst->count++;
	}
	return 0;
}

void vma_list_free(struct vma_list *l)
{
	while (l->head) {
		struct vma *v = l->head;
		l->head = v->next;
		vma_free(v);
	}
	l->count = 0;
}
