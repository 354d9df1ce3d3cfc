/* Host tests of the kernel heap (frame/mm/heap.c) on top of the real pmm,
 * whose "RAM" is a host buffer (see test_pmm.c). */
#include <stdlib.h>
#include <string.h>

#include <frame/heap.h>
#include "mm/heap_internal.h"
#include "mm/pmm.h"
#include "rng.h"
#include "stubs.h"
#include "test.h"

#define FAKE_BASE 0x80000000UL
#define MiB (1UL << 20)
#define PG PMM_PAGE_SIZE
#define BUF_SIZE (32 * MiB)
#define NCLASSES 8 /* 16 .. 2048, as heap.c */

static unsigned char *buf;
static uint64_t base_free; /* pmm pages free before the heap took any */

static bool in_ram(const void *p, size_t n)
{
	const unsigned char *c = p;
	return c >= buf && c + n <= buf + BUF_SIZE;
}

/* pmm pages accounted for: free + cached slabs must be the baseline when
 * the heap holds no objects and no large blocks. */
static void check_pages_back(const char *what)
{
	CHECK_MSG(pmm_free_pages() + heap_slab_pages() == base_free,
		  "%s: %lu free + %lu slab pages != %lu", what, (unsigned long)pmm_free_pages(),
		  (unsigned long)heap_slab_pages(), (unsigned long)base_free);
	CHECK_EQ(host_locks_held, 0);
}

static size_t expected_align(size_t size)
{
	size_t a = 16;

	if (size > PG - 32 && size <= PG)
		return PG; /* a bare page (heap.c: the header is 32 bytes) */
	if (size > 2048)
		return 16;
	while (a < size)
		a <<= 1;
	return a; /* slab objects are aligned to their class size */
}

static void test_sizes(void)
{
	static const size_t sizes[] = {
		0, 1, 2, 7, 8, 15, 16, 17, 24, 31, 32, 33, 48, 63, 64, 65, 100, 127, 128,
		129, 200, 255, 256, 257, 500, 511, 512, 513, 1000, 1023, 1024, 1025, 2000,
		2047, 2048, 2049, 3000, 4064, 4065, 4096, 4097, 8192, 12345, 65536, 100000,
		1 * MiB, 2 * MiB - 32, 2 * MiB, 4 * MiB - 32,
	};

	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t n = sizes[i];
		unsigned char *p = kmalloc(n);
		CHECK_MSG(p != NULL, "kmalloc(%zu)", n);
		if (!p)
			continue;
		CHECK_MSG(in_ram(p, n ? n : 1), "kmalloc(%zu) outside the pmm's RAM", n);
		CHECK_MSG((uintptr_t)p % expected_align(n) == 0, "kmalloc(%zu) = %p: not %zu-aligned",
			  n, (void *)p, expected_align(n));
		memset(p, 0x5a, n); /* ASan: inside RAM; the heap must survive it */
		unsigned char *q = kmalloc(n);
		CHECK(q != NULL && q != p);
		if (q) {
			CHECK_MSG(q + (n ? n : 1) <= p || p + (n ? n : 1) <= q,
				  "two kmalloc(%zu) overlap", n);
			memset(q, 0xa5, n);
		}
		bool intact = true;
		for (size_t k = 0; k < n; k++)
			intact &= p[k] == 0x5a;
		CHECK_MSG(intact, "kmalloc(%zu): object clobbered by its neighbour", n);
		kfree(q);
		kfree(p);
		check_pages_back("sizes");
	}

	/* Too big: more than the largest pmm block, or absurd. */
	CHECK(kmalloc(4 * MiB - 31) == NULL);
	CHECK(kmalloc(5 * MiB) == NULL);
	CHECK(kmalloc((size_t)1 << 31) == NULL);
	CHECK(kmalloc(~(size_t)0) == NULL);
	CHECK(kzalloc(~(size_t)0) == NULL);
	check_pages_back("too big");

	kfree(NULL); /* no-op */
	check_pages_back("kfree(NULL)");
}

static void test_kzalloc(void)
{
	static const size_t sizes[] = { 1, 16, 100, 2048, 3000, 10000 };

	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t n = sizes[i];
		unsigned char *p = kmalloc(n);
		if (!p)
			continue;
		memset(p, 0xff, n);
		kfree(p);
		p = kzalloc(n);
		CHECK(p != NULL);
		if (!p)
			continue;
		bool zero = true;
		for (size_t k = 0; k < n; k++)
			zero &= p[k] == 0;
		CHECK_MSG(zero, "kzalloc(%zu) not zeroed", n);
		kfree(p);
	}
	check_pages_back("kzalloc");
}

/* heap.c keeps one emptied slab per class as a cache and returns the others
 * to the pmm: after a burst that spanned several slabs is freed (in any
 * order), the class holds at most one slab more than before. */
static void test_empty_slabs_returned(void)
{
	for (unsigned c = 0; c < NCLASSES; c++) {
		size_t size = (size_t)16 << c;
		enum { SLABS = 5, MAX = 5 * 256 };
		static void *objs[MAX];
		uint64_t slabs0 = heap_slab_pages(), free0 = pmm_free_pages();
		unsigned n = 0;
		while (n < MAX && heap_slab_pages() < slabs0 + SLABS)
			objs[n++] = kmalloc(size);
		while (n < MAX && heap_slab_pages() == slabs0 + SLABS &&
		       pmm_free_pages() == free0 - SLABS) {
			void *p = kmalloc(size);
			if (heap_slab_pages() > slabs0 + SLABS) {
				kfree(p); /* would open a sixth slab */
				break;
			}
			objs[n++] = p;
		}
		for (unsigned i = n; i > 1; i--) {
			unsigned j = (unsigned)rng_below(i);
			void *t = objs[i - 1];
			objs[i - 1] = objs[j];
			objs[j] = t;
		}
		for (unsigned i = 0; i < n; i++)
			kfree(objs[i]);
		CHECK_MSG(heap_slab_pages() <= slabs0 + 1,
			  "class %zu: %u objects in %d slabs freed, %lu slabs still held "
			  "(emptied slabs not returned to the pmm)",
			  size, n, SLABS, (unsigned long)(heap_slab_pages() - slabs0));
	}
	CHECK_MSG(heap_slab_pages() <= NCLASSES, "%lu slabs held with no object live",
		  (unsigned long)heap_slab_pages());
	check_pages_back("empty slabs");
}

/* A class filled over several slabs, freed in random order: every emptied
 * slab but the cached one goes back to the pmm. */
static void test_class_fill(void)
{
	for (unsigned c = 0; c < NCLASSES; c++) {
		size_t size = (size_t)16 << c;
		enum { N = 600 };
		static unsigned char *objs[N];
		uint64_t free0 = pmm_free_pages(), slabs0 = heap_slab_pages();
		for (unsigned i = 0; i < N; i++) {
			objs[i] = kmalloc(size);
			CHECK(objs[i] != NULL);
			memset(objs[i], (int)(i & 0xff), size);
		}
		CHECK_MSG(heap_slab_pages() > slabs0, "class %zu: slabs grew", size);
		CHECK_EQ(pmm_free_pages() + heap_slab_pages(), free0 + slabs0);
		bool intact = true;
		for (unsigned i = 0; i < N; i++)
			for (size_t k = 0; k < size; k++)
				intact &= objs[i][k] == (unsigned char)(i & 0xff);
		CHECK_MSG(intact, "class %zu: objects overlap", size);
		for (unsigned i = N; i > 1; i--) {
			unsigned j = (unsigned)rng_below(i);
			unsigned char *t = objs[i - 1];
			objs[i - 1] = objs[j];
			objs[j] = t;
		}
		for (unsigned i = 0; i < N; i++)
			kfree(objs[i]);
		check_pages_back("class fill");
	}
}

/* Random sizes, every object filled with its own pattern and verified
 * before it is freed. */
static void test_stress(unsigned ops)
{
	enum { MAX_LIVE = 1024 };
	static struct obj {
		unsigned char *p;
		size_t n;
		unsigned char pat;
	} live[MAX_LIVE];
	unsigned nlive = 0, failures = 0;
	bool ok = true;

	for (unsigned i = 0; i < ops; i++) {
		if (nlive < MAX_LIVE && (nlive == 0 || rng_below(100) < 55)) {
			unsigned r = (unsigned)rng_below(100);
			size_t n = r < 70 ? rng_below(2049) : r < 95 ? rng_below(20000) : rng_below(600000);
			unsigned char *p = kmalloc(n);
			if (!p) {
				failures++;
				continue;
			}
			ok &= in_ram(p, n) && (uintptr_t)p % expected_align(n) == 0;
			live[nlive].p = p;
			live[nlive].n = n;
			live[nlive].pat = (unsigned char)rng();
			memset(p, live[nlive].pat, n);
			nlive++;
		} else {
			unsigned k = (unsigned)rng_below(nlive);
			struct obj o = live[k];
			for (size_t j = 0; j < o.n; j++)
				ok &= o.p[j] == o.pat;
			live[k] = live[--nlive];
			kfree(o.p);
		}
	}
	while (nlive) {
		struct obj o = live[--nlive];
		for (size_t j = 0; j < o.n; j++)
			ok &= o.p[j] == o.pat;
		kfree(o.p);
	}
	CHECK_MSG(ok, "heap stress: an object was clobbered, misaligned or outside RAM");
	printf("heap: stress: %u ops, %u allocations failed\n", ops, failures);
	check_pages_back("stress");
}

/* Running the pmm dry: kmalloc returns NULL and everything comes back. */
static void test_exhaustion(void)
{
	enum { MAX = 40000 };
	static void *objs[MAX];
	unsigned n = 0, small = 0;
	void *p;

	while (n < MAX && (p = kmalloc(3000)) != NULL) /* one order-0 page each */
		objs[n++] = p;
	CHECK_MSG(n < MAX && n > 1000, "large objects until the pmm is empty (%u)", n);
	CHECK_EQ(pmm_free_pages(), 0);
	CHECK(kmalloc(1 << 20) == NULL);
	CHECK(kmalloc(3000) == NULL);
	/* Small objects only from slabs the heap already has. */
	while (n < MAX && (p = kmalloc(64)) != NULL) {
		objs[n++] = p;
		small++;
	}
	CHECK(small < PG / 64);
	CHECK(kmalloc(64) == NULL);
	CHECK_EQ(host_locks_held, 0);
	while (n)
		kfree(objs[--n]);
	check_pages_back("exhaustion");
}

/* ---- what must panic (in a forked child) ---- */

static void kfree_foreign(void *arg)
{
	(void)arg;
	unsigned char *p = pmm_to_virt(pmm_alloc(0)); /* a page, not a heap object */
	memset(p, 0, PG);
	kfree(p + 64);
}

static void kfree_misaligned(void *arg)
{
	(void)arg;
	char *p = kmalloc(64);
	kfree(p + 8);
}

/* A block of a page is one page, not two; a page it never gave is refused. */
static void test_bare_pages(void)
{
	uint64_t before = pmm_free_pages();
	void *p = kmalloc(PG), *q = kmalloc(PG - 31);

	CHECK(p && q && (uintptr_t)p % PG == 0 && (uintptr_t)q % PG == 0);
	CHECK_MSG(pmm_free_pages() == before - 2, "two page-sized blocks took %lu pages",
		  (unsigned long)(before - pmm_free_pages()));
	kfree(p);
	kfree(q);
	CHECK_EQ(pmm_free_pages(), before);
	check_pages_back("bare pages");
}

static void kfree_foreign_page(void *arg)
{
	(void)arg;
	kfree(pmm_to_virt(pmm_alloc(0))); /* page-aligned, but not the heap's */
}

static void kfree_bare_twice(void *arg)
{
	(void)arg;
	void *p = kmalloc(PG);
	kfree(p);
	kfree(p);
}

static void kfree_large_twice(void *arg)
{
	(void)arg;
	void *p = kmalloc(10000);
	kfree(p);
	kfree(p);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	rng_init("heap");
	buf = aligned_alloc(PG << PMM_MAX_ORDER, BUF_SIZE);
	if (!buf)
		return 2;
	memset(buf, 0xa5, BUF_SIZE);
	pmm_init((uintptr_t)buf - FAKE_BASE);
	/* 8192 pages need 24 KiB (6 pages) of metadata: state and counts. */
	pmm_boot_region(FAKE_BASE, FAKE_BASE + 8 * PG);
	CHECK_EQ(pmm_add_zone(FAKE_BASE, BUF_SIZE), 0);
	pmm_add_free(FAKE_BASE + 8 * PG, BUF_SIZE - 8 * PG);
	pmm_boot_region_close();
	base_free = pmm_free_pages();
	CHECK_EQ(base_free, BUF_SIZE / PG - 6);
	CHECK_EQ(heap_slab_pages(), 0);

	test_empty_slabs_returned();
	test_sizes();
	test_kzalloc();
	test_class_fill();
	test_stress(30000);
	test_exhaustion();
	test_bare_pages();
	expect_panic("kfree of a pointer the heap never gave", kfree_foreign, NULL, "BUG_ON");
	expect_panic("kfree of a misaligned slab pointer", kfree_misaligned, NULL, "BUG_ON");
	expect_panic("kfree of a large block twice", kfree_large_twice, NULL, "BUG_ON");
	expect_panic("kfree of a page the heap never gave", kfree_foreign_page, NULL, "BUG_ON");
	expect_panic("kfree of a bare page twice", kfree_bare_twice, NULL, "BUG_ON");

	check_pages_back("end");
	free(buf);
	return test_done("heap");
}
