/* Host tests of the area list (kern/mm/vma.c): insertion order, lookup,
 * splitting at range edges, removal, merging of areas that continue each
 * other (and not of those that do not), gap search, copying, and inode
 * references kept exactly (one per file-backed area), checked against a
 * page-granular shadow under random operations. */
#include <stdlib.h>

#include <frame/errno.h>
#include <frame/heap.h>
#include "fs/vfs.h"
#include "mm/mm.h"
#include "mm/vma.h"
#include "rng.h"
#include "test.h"

#define P VMA_PAGE

void *kmalloc(size_t size)
{
	return malloc(size ? size : 1);
}

void *kzalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

void kfree(void *p)
{
	free(p);
}

struct inode *inode_get(struct inode *ino)
{
	ino->refs++;
	return ino;
}

void inode_put(struct inode *ino)
{
	if (ino)
		ino->refs--;
}

static struct vma area(uint64_t start, uint64_t end, unsigned prot)
{
	return (struct vma){ .start = start * P, .end = end * P, .prot = prot };
}

/* Invariant 1: sorted, non-empty, not overlapping; count matches. */
static bool well_formed(const struct vma_list *l)
{
	unsigned n = 0;

	for (const struct vma *v = l->head; v; v = v->next, n++) {
		if (v->start >= v->end || (v->start | v->end) % P)
			return false;
		if (v->next && v->next->start < v->end)
			return false;
	}
	return n == l->count;
}

static void test_insert_find(void)
{
	struct vma_list l = { 0 };
	struct vma a = area(10, 20, 1), b = area(30, 40, 3), c = area(0, 5, 1);

	CHECK_EQ(vma_insert(&l, &b, NULL), 0);
	CHECK_EQ(vma_insert(&l, &a, NULL), 0);
	CHECK_EQ(vma_insert(&l, &c, NULL), 0);
	CHECK(well_formed(&l));
	CHECK_EQ(l.head->start, 0);
	CHECK_EQ(vma_find(&l, 10 * P)->start, 10 * P);
	CHECK_EQ(vma_find(&l, 20 * P - 1)->start, 10 * P);
	CHECK(vma_find(&l, 20 * P) == NULL);
	CHECK(vma_find(&l, 50 * P) == NULL);
	CHECK_EQ(vma_next_from(&l, 20 * P)->start, 30 * P);
	CHECK(vma_range_free(&l, 20 * P, 30 * P));
	CHECK(!vma_range_free(&l, 20 * P, 31 * P));
	CHECK(vma_range_covered(&l, 12 * P, 20 * P));
	CHECK(!vma_range_covered(&l, 12 * P, 21 * P));
	CHECK(!vma_range_covered(&l, 4 * P, 11 * P));
	/* The highest gap below the limit that fits. */
	CHECK_EQ(vma_gap_top_down(&l, 10 * P, 0, 100 * P), 90 * P);
	CHECK_EQ(vma_gap_top_down(&l, 10 * P, 0, 40 * P), 20 * P);
	CHECK_EQ(vma_gap_top_down(&l, 11 * P, 0, 40 * P), 0);
	CHECK_EQ(vma_gap_top_down(&l, 5 * P, 0, 30 * P), 25 * P);
	CHECK_EQ(vma_gap_top_down(&l, 5 * P, 5 * P, 10 * P), 5 * P);
	vma_list_free(&l);
	CHECK(l.head == NULL && l.count == 0);
}

static void test_split_remove_merge(void)
{
	struct vma_list l = { 0 };
	struct inode ino = { .refs = 1 };
	struct vma f = area(10, 20, 1), *v;

	f.inode = &ino;
	f.pgoff = 100;
	CHECK_EQ(vma_insert(&l, &f, &v), 0);
	CHECK_EQ(ino.refs, 2);
	/* Splitting at 12 and 15 gives three areas with the right offsets. */
	CHECK_EQ(vma_split_at(&l, 12 * P, 15 * P), 0);
	CHECK_EQ(l.count, 3);
	CHECK_EQ(ino.refs, 4);
	CHECK_EQ(vma_find(&l, 12 * P)->pgoff, 102);
	CHECK_EQ(vma_find(&l, 15 * P)->pgoff, 105);
	CHECK(well_formed(&l));
	/* Splitting at existing edges changes nothing. */
	CHECK_EQ(vma_split_at(&l, 10 * P, 20 * P), 0);
	CHECK_EQ(l.count, 3);
	/* A different prot in the middle does not merge ... */
	vma_find(&l, 12 * P)->prot = 3;
	vma_merge_around(&l, vma_find(&l, 12 * P));
	CHECK_EQ(l.count, 3);
	/* ... the same does, back into one area with its first offset. */
	vma_find(&l, 12 * P)->prot = 1;
	vma_merge_around(&l, vma_find(&l, 12 * P));
	CHECK_EQ(l.count, 1);
	CHECK_EQ(l.head->pgoff, 100);
	CHECK_EQ(l.head->end, 20 * P);
	CHECK_EQ(ino.refs, 2);
	/* Removing the middle leaves two. */
	CHECK_EQ(vma_split_at(&l, 13 * P, 14 * P), 0);
	vma_remove_range(&l, 13 * P, 14 * P);
	CHECK_EQ(l.count, 2);
	CHECK(vma_find(&l, 13 * P) == NULL);
	CHECK_EQ(ino.refs, 3);
	/* A file area whose offset does not continue is not merged. */
	struct vma g = area(13, 14, 1);
	g.inode = &ino;
	g.pgoff = 7;
	CHECK_EQ(vma_insert(&l, &g, &v), 0);
	vma_merge_around(&l, v);
	CHECK_EQ(l.count, 3);
	/* An anonymous one between anonymous ones is. */
	vma_list_free(&l);
	CHECK_EQ(ino.refs, 1);
	struct vma a = area(0, 1, 3), b = area(2, 3, 3), c = area(1, 2, 3);
	CHECK(!vma_insert(&l, &a, NULL) && !vma_insert(&l, &b, NULL) && !vma_insert(&l, &c, &v));
	vma_merge_around(&l, v);
	CHECK_EQ(l.count, 1);
	CHECK_EQ(l.head->end, 3 * P);
	vma_list_free(&l);
}

static void test_copy(void)
{
	struct vma_list l = { 0 }, c = { 0 };
	struct inode ino = { .refs = 1 };
	struct vma f = area(1, 2, 1);

	f.inode = &ino;
	CHECK_EQ(vma_insert(&l, &f, NULL), 0);
	f = area(5, 9, 3);
	CHECK_EQ(vma_insert(&l, &f, NULL), 0);
	CHECK_EQ(vma_list_copy(&c, &l), 0);
	CHECK_EQ(c.count, 2);
	CHECK(well_formed(&c));
	CHECK_EQ(ino.refs, 3);
	CHECK(c.head != l.head && c.head->start == l.head->start);
	vma_list_free(&c);
	vma_list_free(&l);
	CHECK_EQ(ino.refs, 1);
}

/* Random maps, unmaps and protects over 64 pages against a shadow array
 * of prot+1 per page (0: unmapped). */
#define NPAGES 64
static void test_random(void)
{
	struct vma_list l = { 0 };
	int shadow[NPAGES] = { 0 };
	bool ok = true;

	rng_init("vma");
	for (int round = 0; round < 4000 && ok; round++) {
		uint64_t s = rng() % NPAGES, e = s + 1 + rng() % (NPAGES - s);
		unsigned prot = (unsigned)(rng() % 3);
		int op = (int)(rng() % 3);
		if (op == 0 && vma_range_free(&l, s * P, e * P)) {
			struct vma t = area(s, e, prot), *v;
			ok = vma_insert(&l, &t, &v) == 0;
			vma_merge_around(&l, v);
			for (uint64_t i = s; i < e; i++)
				shadow[i] = (int)prot + 1;
		} else if (op == 1) {
			ok = vma_split_at(&l, s * P, e * P) == 0;
			vma_remove_range(&l, s * P, e * P);
			for (uint64_t i = s; i < e; i++)
				shadow[i] = 0;
		} else if (op == 2 && vma_range_covered(&l, s * P, e * P)) {
			ok = vma_split_at(&l, s * P, e * P) == 0;
			for (struct vma *v = vma_find(&l, s * P); v && v->start < e * P; v = v->next)
				v->prot = prot;
			vma_merge_around(&l, vma_find(&l, s * P));
			for (uint64_t i = s; i < e; i++)
				shadow[i] = (int)prot + 1;
		}
		ok = ok && well_formed(&l);
		for (uint64_t i = 0; i < NPAGES && ok; i++) {
			struct vma *v = vma_find(&l, i * P);
			ok = shadow[i] ? v && (int)v->prot + 1 == shadow[i] : v == NULL;
		}
	}
	CHECK(ok);
	vma_list_free(&l);
}

/* /proc/<pid>/maps lines, against lines Linux prints for the same areas. */
static void test_maps_lines(void)
{
	struct super sb = { .dev = (8 << 8) | 1 }; /* 08:01 */
	struct inode ino = { .sb = &sb, .ino = 1234 };
	struct vma text = { .start = 0x10000, .end = 0x6b000, .prot = PROT_READ | PROT_EXEC,
			    .inode = &ino, .pgoff = 0 };
	struct vma data = { .start = 0x6c000, .end = 0x6e000, .prot = PROT_READ | PROT_WRITE,
			    .inode = &ino, .pgoff = 0x5b };
	struct vma heap = { .start = 0x6e000, .end = 0x90000, .prot = PROT_READ | PROT_WRITE,
			    .flags = VMA_BRK };
	struct vma anon = { .start = 0x3ff7ff0000, .end = 0x3ff7ff2000, .prot = 0 };
	struct vma stack = { .start = 0x3fff800000, .end = 0x3ffffff000,
			     .prot = PROT_READ | PROT_WRITE, .flags = VMA_STACK };
	char buf[128];

	mm_format_area(&text, buf, sizeof(buf));
	CHECK_STR(buf, "00010000-0006b000 r-xp 00000000 08:01 1234\n");
	mm_format_area(&data, buf, sizeof(buf));
	CHECK_STR(buf, "0006c000-0006e000 rw-p 0005b000 08:01 1234\n");
	mm_format_area(&heap, buf, sizeof(buf));
	CHECK_STR(buf, "0006e000-00090000 rw-p 00000000 00:00 0"
		       "                                  [heap]\n");
	mm_format_area(&anon, buf, sizeof(buf));
	CHECK_STR(buf, "3ff7ff0000-3ff7ff2000 ---p 00000000 00:00 0\n");
	mm_format_area(&stack, buf, sizeof(buf));
	CHECK_STR(buf, "3fff800000-3ffffff000 rw-p 00000000 00:00 0"
		       "                              [stack]\n");
	/* Cut to the buffer, always terminated. */
	CHECK_EQ(mm_format_area(&stack, buf, 10), 9);
	CHECK_STR(buf, "3fff80000");
}

int main(void)
{
	test_insert_find();
	test_split_remove_merge();
	test_copy();
	test_random();
	test_maps_lines();
	return test_done("vma");
}
