/* Host tests of the buddy page allocator (frame/mm/pmm.c).
 *
 * "Physical" memory is a host buffer standing for RAM at FAKE_BASE: the pmm's
 * virt_offset is buffer - FAKE_BASE, exactly as the kernel's direct map. The
 * test keeps its own shadow of which pages it handed to the allocator as free
 * (freed[]) and which it holds (live[]), and checks every block against it. */
#include <stdlib.h>
#include <string.h>

#include <frame/errno.h>
#include "mm/pmm.h"
#include "rng.h"
#include "stubs.h"
#include "test.h"

#define FAKE_BASE 0x80000000UL
#define MiB (1UL << 20)
#define PG PMM_PAGE_SIZE
#define BUF_SIZE (32 * MiB)
#define NPAGES (BUF_SIZE / PG)
#define MAX_BLOCK (PG << PMM_MAX_ORDER)

static unsigned char *buf;
static uint8_t freed[NPAGES]; /* handed to the allocator as free */
static uint8_t live[NPAGES];  /* held by the test right now */

struct tzone {
	paddr_t base;
	uint64_t size;
};
static struct tzone tzones[PMM_MAX_ZONES];
static unsigned ntzones;

static uint64_t pidx(paddr_t pa)
{
	return (pa - FAKE_BASE) / PG;
}

static bool in_buffer(paddr_t pa, uint64_t bytes)
{
	return pa >= FAKE_BASE && pa - FAKE_BASE <= BUF_SIZE && bytes <= BUF_SIZE - (pa - FAKE_BASE);
}

static bool in_tzone(paddr_t pa)
{
	for (unsigned i = 0; i < ntzones; i++)
		if (pa >= tzones[i].base && pa < tzones[i].base + tzones[i].size)
			return true;
	return false;
}

static uint64_t count_freed(void)
{
	uint64_t n = 0;

	for (uint64_t i = 0; i < NPAGES; i++)
		n += freed[i];
	return n;
}

/* A fresh allocator over the buffer. */
static void reset(void)
{
	memset(freed, 0, sizeof(freed));
	memset(live, 0, sizeof(live));
	memset(buf, 0xa5, BUF_SIZE);
	ntzones = 0;
	pmm_init((uintptr_t)buf - FAKE_BASE);
}

static int add_zone(paddr_t base, uint64_t size)
{
	int err = pmm_add_zone(base, size);

	if (!err) {
		tzones[ntzones].base = ALIGN_UP(base, PG);
		tzones[ntzones].size = ALIGN_DOWN(base + size, PG) - ALIGN_UP(base, PG);
		ntzones++;
	}
	return err;
}

static void add_free(paddr_t base, uint64_t size)
{
	pmm_add_free(base, size);
	for (paddr_t pa = ALIGN_UP(base, PG); pa < ALIGN_DOWN(base + size, PG); pa += PG)
		if (in_tzone(pa) && in_buffer(pa, PG))
			freed[pidx(pa)] = 1;
}

/* Checks a block the allocator just handed out and takes it in the shadow. */
static bool take(paddr_t pa, unsigned order, const char *what)
{
	uint64_t n = 1UL << order;
	bool ok = true;

	if (!in_buffer(pa, PG << order)) {
		CHECK_MSG(0, "%s: order %u block 0x%lx outside RAM", what, order, (unsigned long)pa);
		return false;
	}
	if (pa % (PG << order)) {
		CHECK_MSG(0, "%s: order %u block 0x%lx not naturally aligned", what, order,
			  (unsigned long)pa);
		ok = false;
	}
	for (uint64_t i = 0; i < n; i++) {
		uint64_t p = pidx(pa) + i;
		if (!freed[p] || live[p]) {
			CHECK_MSG(0, "%s: order %u block 0x%lx: page 0x%lx %s", what, order,
				  (unsigned long)pa, (unsigned long)(pa + i * PG),
				  live[p] ? "is already allocated (overlap)"
					  : "was never given to the allocator (reserved/hole)");
			return false;
		}
		live[p] = 1;
	}
	return ok;
}

static void give_back(paddr_t pa, unsigned order)
{
	for (uint64_t i = 0; i < (1UL << order); i++)
		live[pidx(pa) + i] = 0;
	pmm_free(pa, order);
}

/* Number of order-MAX blocks a fully coalesced allocator must have: aligned
 * 4 MiB chunks entirely free, inside one zone. */
static unsigned expected_max_blocks(void)
{
	unsigned n = 0;

	for (paddr_t c = FAKE_BASE; c < FAKE_BASE + BUF_SIZE; c += MAX_BLOCK) {
		bool all = true;
		for (uint64_t i = 0; i < MAX_BLOCK / PG && all; i++)
			all = freed[pidx(c) + i] && !live[pidx(c) + i];
		bool one_zone = false;
		for (unsigned z = 0; z < ntzones; z++)
			one_zone |= c >= tzones[z].base &&
				    c + MAX_BLOCK <= tzones[z].base + tzones[z].size;
		n += all && one_zone;
	}
	return n;
}

/* Takes every order-MAX block, checks them, gives them back. */
static unsigned count_max_blocks(void)
{
	paddr_t got[NPAGES / (MAX_BLOCK / PG) + 1];
	unsigned n = 0;
	paddr_t pa;

	while (n < ARRAY_SIZE(got) && (pa = pmm_alloc(PMM_MAX_ORDER))) {
		take(pa, PMM_MAX_ORDER, "max-order count");
		got[n++] = pa;
	}
	for (unsigned i = 0; i < n; i++)
		give_back(got[i], PMM_MAX_ORDER);
	return n;
}

static paddr_t pages[NPAGES];

/* Allocates every page one at a time: exactly the freed set must come out.
 * Then gives them back in random order. */
static void drain_and_refill(const char *what)
{
	uint64_t want = pmm_free_pages(), n = 0;
	paddr_t pa;
	bool ok = true;

	CHECK_EQ(want, count_freed());
	while ((pa = pmm_alloc(0)) != 0 && n < NPAGES) {
		ok &= take(pa, 0, what);
		pages[n++] = pa;
	}
	CHECK_MSG(ok, "%s: every page handed out was free and distinct", what);
	CHECK_EQ(n, want);
	CHECK_EQ(pmm_free_pages(), 0);
	for (unsigned o = 0; o <= PMM_MAX_ORDER; o++)
		CHECK_MSG(pmm_alloc(o) == 0, "%s: exhausted, yet order %u allocated", what, o);
	uint64_t missing = 0;
	for (uint64_t i = 0; i < NPAGES; i++)
		missing += freed[i] && !live[i];
	CHECK_MSG(missing == 0, "%s: %lu free pages never handed out", what,
		  (unsigned long)missing);
	for (uint64_t i = n; i > 1; i--) { /* shuffle */
		uint64_t j = rng_below(i);
		paddr_t t = pages[i - 1];
		pages[i - 1] = pages[j];
		pages[j] = t;
	}
	for (uint64_t i = 0; i < n; i++)
		give_back(pages[i], 0);
	CHECK_EQ(pmm_free_pages(), want);
	CHECK_EQ(count_max_blocks(), expected_max_blocks());
	CHECK_EQ(host_locks_held, 0);
}

/* ---- the boot sequence, as boot/memory.c drives it ---- */

#define KERNEL_END (FAKE_BASE + 2 * MiB)
#define BOOT_START (KERNEL_END + 0x10) /* unaligned on purpose */
#define BOOT_END (KERNEL_END + 65 * PG + 0x10)
#define FW_START (FAKE_BASE + 16 * MiB + 0x3800) /* firmware hole, unaligned */
#define FW_END (FAKE_BASE + 16 * MiB + 0x8800)

/* Bank 0: [0, 20) MiB, bank 1: [24, 32) MiB, a hole between. */
static void boot_layout(bool check)
{
	reset();
	pmm_boot_region(BOOT_START, BOOT_END);
	CHECK_EQ(pmm_boot_region_used(), 0);
	CHECK_EQ(add_zone(FAKE_BASE, 20 * MiB), 0);
	CHECK_EQ(add_zone(FAKE_BASE + 24 * MiB, 8 * MiB), 0);
	/* Metadata (state byte + 16-bit count a page): 15360 + 6144 bytes, one
	 * page-rounded boot allocation each: 4 + 2 pages. */
	CHECK_EQ(pmm_boot_region_used(), 6);
	if (check) {
		CHECK_EQ(pmm_add_zone(FAKE_BASE + 40 * MiB, 0), -EINVAL);
		CHECK_EQ(pmm_add_zone(FAKE_BASE + 40 * MiB + 0x10, 0x100), -EINVAL);
		/* 1 GiB needs 192 pages of metadata; the boot region has 59 left. */
		CHECK_EQ(pmm_add_zone(FAKE_BASE + 1024 * MiB, 1024 * MiB), -ENOMEM);
		CHECK_EQ(pmm_boot_region_used(), 6);
		/* Before add_free there is nothing on the free lists. */
		CHECK_EQ(pmm_free_pages(), 0);
		CHECK_EQ(pmm_total_pages(), 0);

		/* Early allocations come from the boot region. */
		paddr_t early = pmm_alloc(0);
		CHECK_EQ(early, ALIGN_UP(BOOT_START, PG) + 6 * PG);
		CHECK_EQ(pmm_boot_region_used(), 7);
		memset(pmm_to_virt(early), 0x11, PG);
		CHECK(pmm_to_phys(pmm_to_virt(early)) == early);
		CHECK(pmm_to_virt(early) == buf + (early - FAKE_BASE));
		paddr_t early2 = pmm_alloc(1);
		CHECK(early2 >= ALIGN_UP(BOOT_START, PG) && early2 + 2 * PG <= BOOT_END);
		CHECK_MSG(early2 % (2 * PG) == 0,
			  "boot-time pmm_alloc(1) returned 0x%lx: not naturally aligned "
			  "(pmm.h promises naturally aligned blocks)", (unsigned long)early2);
		memset(pmm_to_virt(early2), 0x22, 2 * PG);
		uint64_t used = pmm_boot_region_used();
		CHECK(used >= 6);
		CHECK_MSG(pmm_alloc(7) == 0, "128 pages do not fit the boot region");
		CHECK_EQ(pmm_boot_region_used(), used);
		paddr_t zeroed = pmm_alloc_zeroed(0);
		CHECK(zeroed != 0);
		if (zeroed) {
			bool z = true;
			for (unsigned i = 0; i < PG; i++)
				z &= ((unsigned char *)pmm_to_virt(zeroed))[i] == 0;
			CHECK_MSG(z, "pmm_alloc_zeroed at boot gave a dirty page");
		}
		CHECK_EQ(pmm_free_pages(), 0);
	}

	/* Free RAM minus the kernel, the boot region and the firmware hole,
	 * with unaligned edges; one call spans bank 0's end, the hole and
	 * bank 1's start; one reaches past every bank (and past the buffer:
	 * ASan would catch a touch). */
	add_free(BOOT_END, FW_START - BOOT_END);
	add_free(FW_END, FAKE_BASE + 28 * MiB - FW_END);
	add_free(FAKE_BASE + 28 * MiB, 5 * MiB);
	if (check) {
		CHECK_EQ(pmm_free_pages(), count_freed());
		CHECK_EQ(pmm_total_pages(), count_freed());
		/* Pages straddling a reserved edge stay out. */
		CHECK(!freed[pidx(ALIGN_DOWN(BOOT_END, PG))]);
		CHECK(freed[pidx(ALIGN_UP(BOOT_END, PG))]);
		CHECK(!freed[pidx(ALIGN_DOWN(FW_START, PG))]);
		CHECK(freed[pidx(ALIGN_DOWN(FW_START, PG)) - 1]);
		CHECK(!freed[pidx(FAKE_BASE + 22 * MiB)]);
	}
	uint64_t used = pmm_boot_region_used();
	uint64_t before = count_freed();
	pmm_boot_region_close();
	for (paddr_t pa = ALIGN_UP(BOOT_START, PG) + used * PG; pa < ALIGN_DOWN(BOOT_END, PG); pa += PG)
		freed[pidx(pa)] = 1;
	if (check) {
		CHECK_EQ(count_freed(), before + 64 - used);
		CHECK_EQ(pmm_free_pages(), count_freed());
		CHECK_EQ(pmm_total_pages(), count_freed() + used);
		CHECK_EQ(pmm_boot_region_used(), used);
		/* 4-8, 8-12, 12-16, 24-28, 28-32 MiB are whole; 0-4 has the
		 * kernel, 16-20 the firmware hole. */
		CHECK_EQ(expected_max_blocks(), 5);
		CHECK_EQ(count_max_blocks(), 5);
	}
}

static void test_every_order(void)
{
	uint64_t base_free = pmm_free_pages();

	for (unsigned o = 0; o <= PMM_MAX_ORDER; o++) {
		paddr_t pa = pmm_alloc(o);
		CHECK_MSG(pa != 0, "order %u allocation failed", o);
		if (!pa)
			continue;
		take(pa, o, "every order");
		CHECK_EQ(pmm_free_pages(), base_free - (1UL << o));
		memset(pmm_to_virt(pa), (int)o, PG << o); /* ASan: the whole block is RAM */
		give_back(pa, o);
		CHECK_EQ(pmm_free_pages(), base_free);
	}
	CHECK_EQ(pmm_alloc(PMM_MAX_ORDER + 1), 0);
	CHECK_EQ(pmm_alloc(64), 0);
	CHECK_EQ(pmm_alloc(~0u), 0);
	CHECK_EQ(pmm_free_pages(), base_free);

	/* Zeroed allocations of every order over dirty memory. */
	for (unsigned o = 0; o <= PMM_MAX_ORDER; o++) {
		paddr_t pa = pmm_alloc(o);
		if (!pa)
			continue;
		memset(pmm_to_virt(pa), 0xee, PG << o);
		pmm_free(pa, o);
		paddr_t z = pmm_alloc_zeroed(o);
		CHECK(z != 0);
		if (!z)
			continue;
		take(z, o, "zeroed");
		const unsigned char *p = pmm_to_virt(z);
		bool zero = true;
		for (uint64_t i = 0; i < (PG << o); i++)
			zero &= p[i] == 0;
		CHECK_MSG(zero, "pmm_alloc_zeroed(%u) not zero", o);
		give_back(z, o);
	}
	CHECK_EQ(pmm_free_pages(), base_free);
	CHECK_EQ(count_max_blocks(), expected_max_blocks());

	/* One block of every order live at once, then freed in reverse. */
	paddr_t held[PMM_MAX_ORDER + 1];
	for (unsigned o = 0; o <= PMM_MAX_ORDER; o++) {
		held[o] = pmm_alloc(o);
		CHECK(held[o] != 0);
		if (held[o])
			take(held[o], o, "all orders live");
	}
	for (int o = PMM_MAX_ORDER; o >= 0; o--)
		if (held[o])
			give_back(held[o], (unsigned)o);
	CHECK_EQ(pmm_free_pages(), base_free);
	CHECK_EQ(count_max_blocks(), expected_max_blocks());
}

/* Random allocations and frees; every live block carries a tag in its first,
 * middle and last words that must survive until it is freed. */
#define MAX_LIVE 512
struct held {
	paddr_t pa;
	unsigned order;
	uint64_t tag;
};

static void stamp(const struct held *h, bool check, bool *ok)
{
	uint64_t *w = pmm_to_virt(h->pa);
	uint64_t words = (PG << h->order) / 8;
	uint64_t idx[3] = { 0, words / 2 + 1, words - 1 };

	for (int i = 0; i < 3; i++) {
		if (check)
			*ok &= w[idx[i]] == (h->tag ^ idx[i]);
		else
			w[idx[i]] = h->tag ^ idx[i];
	}
}

static void test_stress(unsigned ops)
{
	static struct held live_blocks[MAX_LIVE];
	unsigned nlive = 0, failed_allocs = 0;
	uint64_t base_free = pmm_free_pages(), live_pages = 0;
	bool tags_ok = true, counts_ok = true, take_ok = true;

	for (unsigned i = 0; i < ops; i++) {
		bool do_alloc = nlive == 0 || (nlive < MAX_LIVE && rng_below(100) < 55);
		if (do_alloc) {
			/* Mostly small orders, sometimes big ones. */
			unsigned r = (unsigned)rng_below(100);
			unsigned o = r < 50 ? 0 : r < 80 ? (unsigned)rng_below(4)
					      : (unsigned)rng_below(PMM_MAX_ORDER + 1);
			paddr_t pa = pmm_alloc(o);
			if (!pa) {
				failed_allocs++;
				counts_ok &= pmm_free_pages() == base_free - live_pages;
				continue;
			}
			take_ok &= take(pa, o, "stress");
			struct held *h = &live_blocks[nlive++];
			h->pa = pa;
			h->order = o;
			h->tag = rng();
			stamp(h, false, NULL);
			live_pages += 1UL << o;
		} else {
			unsigned k = (unsigned)rng_below(nlive);
			struct held h = live_blocks[k];
			stamp(&h, true, &tags_ok);
			live_blocks[k] = live_blocks[--nlive];
			give_back(h.pa, h.order);
			live_pages -= 1UL << h.order;
		}
		counts_ok &= pmm_free_pages() == base_free - live_pages;
	}
	CHECK_MSG(take_ok, "stress: every block was free, distinct and aligned");
	CHECK_MSG(tags_ok, "stress: a live block was overwritten by the allocator");
	CHECK_MSG(counts_ok, "stress: pmm_free_pages() tracked the live pages");
	while (nlive) {
		struct held h = live_blocks[--nlive];
		stamp(&h, true, &tags_ok);
		give_back(h.pa, h.order);
	}
	CHECK_MSG(tags_ok, "stress: tags intact at the end");
	printf("pmm: stress: %u ops, %u allocations failed (memory full or fragmented)\n", ops,
	       failed_allocs);
	CHECK_EQ(pmm_free_pages(), base_free);
	CHECK_EQ(count_max_blocks(), expected_max_blocks());
	CHECK_EQ(host_locks_held, 0);
}

/* A 12 MiB zone whose first 8 MiB are freed page by page in random order:
 * they must coalesce back to exactly two order-MAX blocks. */
static void test_coalesce_clean(void)
{
	paddr_t boot = FAKE_BASE + 8 * MiB;
	uint64_t n = 8 * MiB / PG;

	reset();
	pmm_boot_region(boot, boot + 4 * PG);
	CHECK_EQ(add_zone(FAKE_BASE, 12 * MiB), 0);
	/* 3072 pages of metadata: 9216 bytes, 3 pages of the 4-page region. */
	CHECK_EQ(pmm_boot_region_used(), 3);
	for (uint64_t i = 0; i < n; i++)
		pages[i] = FAKE_BASE + i * PG;
	for (uint64_t i = n; i > 1; i--) {
		uint64_t j = rng_below(i);
		paddr_t t = pages[i - 1];
		pages[i - 1] = pages[j];
		pages[j] = t;
	}
	for (uint64_t i = 0; i < n; i++)
		add_free(pages[i], PG);
	CHECK_EQ(pmm_free_pages(), n);
	add_free(boot + 4 * PG, FAKE_BASE + 12 * MiB - boot - 4 * PG);
	pmm_boot_region_close();
	for (paddr_t pa = boot + 3 * PG; pa < boot + 4 * PG; pa += PG)
		freed[pidx(pa)] = 1;
	CHECK_EQ(pmm_free_pages(), 4 * MiB / PG - 3 + n);
	CHECK_EQ(pmm_total_pages(), 4 * MiB / PG + n);
	paddr_t a = pmm_alloc(PMM_MAX_ORDER), b = pmm_alloc(PMM_MAX_ORDER);
	CHECK(a && b && a != b && a < boot && b < boot);
	CHECK_EQ(pmm_free_pages(), 4 * MiB / PG - 3);
	CHECK_EQ(pmm_alloc(PMM_MAX_ORDER), 0);
	if (a && b) {
		take(a, PMM_MAX_ORDER, "clean");
		take(b, PMM_MAX_ORDER, "clean");
		give_back(a, PMM_MAX_ORDER);
		give_back(b, PMM_MAX_ORDER);
	}
	drain_and_refill("clean zone");
	CHECK_EQ(count_max_blocks(), 2);
	/* The smallest free block is used first: the lone free page after the
	 * three metadata pages, then the next block is split, lower half first. */
	paddr_t p0 = pmm_alloc(0), p1 = pmm_alloc(0), p2 = pmm_alloc(0);
	CHECK_EQ(p0, boot + 3 * PG);
	CHECK_EQ(p1, boot + 4 * PG);
	CHECK_EQ(p2, boot + 5 * PG);
	pmm_free(p1, 0);
	pmm_free(p0, 0);
	pmm_free(p2, 0);
	CHECK_EQ(count_max_blocks(), 2);
	CHECK_EQ(pmm_free_pages(), 4 * MiB / PG - 3 + n);
}

/* Reference counts for shared (copy-on-write) pages: a page is freed with
 * its last reference, not before. */
static void test_page_refs(void)
{
	reset();
	pmm_boot_region(FAKE_BASE, FAKE_BASE + 8 * PG);
	CHECK_EQ(add_zone(FAKE_BASE + 4 * MiB, 4 * MiB), 0);
	add_free(FAKE_BASE + 4 * MiB, 4 * MiB);
	pmm_boot_region_close();
	uint64_t base = pmm_free_pages();
	paddr_t pa = pmm_alloc(0);
	CHECK(pa != 0);
	CHECK_EQ(pmm_page_refs(pa), 1);
	pmm_page_ref(pa);
	pmm_page_ref(pa);
	CHECK_EQ(pmm_page_refs(pa), 3);
	pmm_page_unref(pa);
	pmm_page_unref(pa);
	CHECK_EQ(pmm_free_pages(), base - 1); /* still held once */
	pmm_page_unref(pa);
	CHECK_EQ(pmm_free_pages(), base);
	CHECK_EQ(pmm_page_refs(pa), 0);
	CHECK_EQ(pmm_page_refs(FAKE_BASE + 64 * MiB), 0); /* outside every zone */
	/* A reallocated page starts at one reference again. */
	paddr_t again = pmm_alloc(0);
	CHECK_EQ(pmm_page_refs(again), 1);
	pmm_free(again, 0);
}

/* pmm.h: "2^order contiguous, naturally aligned pages". A bank that does
 * not start on a 4 MiB boundary must still give naturally aligned blocks,
 * and blocks never cross the zone's edges. */
static void test_unaligned_zone(void)
{
	paddr_t zbase = FAKE_BASE + 2 * MiB + 3 * PG; /* 2 MiB + 12 KiB */
	paddr_t zend = FAKE_BASE + 30 * MiB;

	reset();
	pmm_boot_region(FAKE_BASE, FAKE_BASE + 8 * PG); /* 6 pages of metadata */
	CHECK_EQ(add_zone(zbase, zend - zbase), 0);
	add_free(zbase, zend - zbase);
	pmm_boot_region_close();
	CHECK_EQ(pmm_free_pages(), (zend - zbase) / PG);
	unsigned misaligned = 0, outside = 0;
	for (unsigned o = 0; o <= PMM_MAX_ORDER; o++) {
		paddr_t pa = pmm_alloc(o);
		CHECK_MSG(pa != 0, "order %u in a 27 MiB zone", o);
		if (!pa)
			continue;
		misaligned += pa % (PG << o) != 0;
		outside += pa < zbase || pa + (PG << o) > zend;
		if (pa % (PG << o))
			fprintf(stderr, "pmm: unaligned zone: order %u block at 0x%lx\n", o,
				(unsigned long)pa);
		pmm_free(pa, o);
	}
	CHECK_MSG(outside == 0, "blocks crossed the zone's edges");
	CHECK_MSG(misaligned == 0,
		  "%u of %d blocks from a zone based at 0x%lx are not naturally aligned "
		  "(buddies are aligned relative to the zone base)",
		  misaligned, PMM_MAX_ORDER + 1, (unsigned long)zbase);
	drain_and_refill("unaligned zone");
}

static void test_zone_limits(void)
{
	reset();
	pmm_boot_region(FAKE_BASE, FAKE_BASE + 64 * PG);
	/* Zones far outside the buffer: only their state bytes are touched. */
	for (unsigned i = 0; i < PMM_MAX_ZONES; i++)
		CHECK_EQ(pmm_add_zone(0x1000000000UL + i * 16 * PG, 2 * PG), 0);
	CHECK_EQ(pmm_add_zone(0x2000000000UL, 2 * PG), -ENOSPC);
	CHECK_EQ(pmm_boot_region_used(), PMM_MAX_ZONES);
	/* A zone with a boot region exhausted. */
	reset();
	CHECK_EQ(pmm_add_zone(FAKE_BASE, 8 * MiB), -ENOMEM);
}

/* ---- what must panic (in a forked child) ---- */

static void free_twice_simple(void *arg)
{
	(void)arg;
	paddr_t p = pmm_alloc(1);
	/* Upper half freed; its buddy (lower half) is still held: no merge. */
	pmm_free(p + PG, 0);
	pmm_free(p + PG, 0);
}

static void free_twice_after_merge(void *arg)
{
	(void)arg;
	paddr_t p = pmm_alloc(1);
	pmm_free(p, 0);
	pmm_free(p + PG, 0); /* merges with p: p + PG heads nothing now */
	pmm_free(p + PG, 0); /* still a double free */
}

static void free_inside_free_block(void *arg)
{
	(void)arg;
	paddr_t p = pmm_alloc(PMM_MAX_ORDER);
	pmm_free(p, PMM_MAX_ORDER);
	pmm_free(p + 5 * PG, 0); /* a page in the middle of a free 4 MiB block */
}

static void free_order1_over_free_half(void *arg)
{
	(void)arg;
	paddr_t p = pmm_alloc(1);
	pmm_free(p + PG, 0);
	pmm_free(p, 1); /* the upper half is already free */
}

static void free_misaligned(void *arg)
{
	(void)arg;
	paddr_t p = pmm_alloc(1);
	pmm_free(p + PG, 1);
}

static void free_outside(void *arg)
{
	(void)arg;
	pmm_free(FAKE_BASE + 22 * MiB, 0); /* the hole between the banks */
}

static void free_bad_order(void *arg)
{
	(void)arg;
	pmm_free(pmm_alloc(0), PMM_MAX_ORDER + 1);
}

static void test_panics(void)
{
	expect_panic("double free", free_twice_simple, NULL, "pmm");
	expect_panic("double free of a block its buddy merged", free_twice_after_merge, NULL,
		     "pmm");
	expect_panic("free of a page inside a free block", free_inside_free_block, NULL, "pmm");
	expect_panic("free of a block whose upper half is free", free_order1_over_free_half, NULL,
		     "pmm");
	expect_panic("misaligned free", free_misaligned, NULL, "pmm");
	expect_panic("free outside every zone", free_outside, NULL, "pmm");
	expect_panic("free of order > PMM_MAX_ORDER", free_bad_order, NULL, "pmm");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	rng_init("pmm");
	buf = aligned_alloc(MAX_BLOCK, BUF_SIZE);
	if (!buf) {
		perror("aligned_alloc");
		return 2;
	}

	boot_layout(true);
	test_every_order();
	drain_and_refill("boot layout");
	test_stress(40000);
	drain_and_refill("after stress");
	boot_layout(false);
	test_panics();
	test_coalesce_clean();
	test_page_refs();
	test_unaligned_zone();
	test_zone_limits();

	free(buf);
	return test_done("pmm");
}
