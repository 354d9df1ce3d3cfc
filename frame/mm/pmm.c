/* Binary buddy allocator. Free blocks are kept in per-order doubly linked
 * lists threaded through the free pages themselves; one state byte per page
 * records whether the page heads a free block and of which order, which is
 * all that merging needs. Blocks of up to HOT_ORDER freed go to a hot list
 * of their order first (up to HOT_MAX pages in all), so the fault/unmap
 * and fork/exit cycles and the kernel's page-sized buffers reuse them
 * without splitting and merging buddies each time; an allocation the buddy
 * lists cannot serve returns the hot blocks to them first.
 * Locking: pmm_lock guards every list and state byte. Reference counts
 * move outside it (ref_update), since a count only moves while its page is
 * live: fork and exit touch one per mapped page. */
#include <frame/errno.h>
#include <frame/panic.h>
#include <frame/spinlock.h>
#include <string.h>
#include "mm/pmm.h"

#define STATE_FREE_HEAD 0x80 /* low bits: order of the free block it heads */
#define STATE_USED 0x00
#define STATE_USER 0x40 /* a used single page that may be mapped to users */
#define STATE_HOT 0x20  /* low bits: order of the hot block it heads */
#define STATE_HEAP 0x10 /* a used single page the heap hands out whole */
#define HOT_MAX 512     /* 2 MiB: one benchmark batch of faults, a busybox fork */
#define HOT_ORDER 3     /* as Linux's per-CPU lists */
#define REF_MAX UINT16_MAX /* the counts' historical width: page_get's -EOVERFLOW */

struct free_block {
	struct free_block *next, *prev;
};

struct zone {
	paddr_t base;      /* first page the allocator manages */
	uint64_t npages;
	uint8_t *state;    /* one byte per page, from the boot region */
	uint16_t *refs;    /* reference count per page, from the boot region */
};

static struct zone zones[PMM_MAX_ZONES];
static unsigned nzones;
static struct free_block free_lists[PMM_MAX_ORDER + 1]; /* list heads */
/* Hot blocks, linked through next: single pages in HOT_DIRTY, or in
 * HOT_ZERO when known to be zero but for that link (page tables freed by
 * pmm_free_zeroed: the tables of the next fork need no zeroing); blocks of
 * order o > 0 in hot[o + 1]. */
enum { HOT_DIRTY, HOT_ZERO, HOT_LISTS = HOT_ORDER + 2 };
static struct free_block *hot[HOT_LISTS];
static unsigned hot_count; /* pages on all lists */

static unsigned hot_order(unsigned list)
{
	return list < 2 ? 0 : list - 1;
}
static uint64_t free_pages, total_pages;
uintptr_t pmm_virt_off; /* the direct map: pa + pmm_virt_off */
static paddr_t boot_start, boot_cur, boot_end; /* bump region for early boot */
static bool booting_done;
static spinlock_t pmm_lock = SPINLOCK_INIT("pmm");

paddr_t pmm_to_phys(const void *va)
{
	return (paddr_t)((uintptr_t)va - pmm_virt_off);
}

void pmm_init(uintptr_t virt_offset)
{
	pmm_virt_off = virt_offset;
	nzones = 0;
	free_pages = total_pages = 0;
	boot_start = boot_cur = boot_end = 0;
	booting_done = false;
	memset(hot, 0, sizeof(hot));
	hot_count = 0;
	for (int i = 0; i <= PMM_MAX_ORDER; i++)
		free_lists[i].next = free_lists[i].prev = &free_lists[i];
}

void pmm_boot_region(paddr_t start, paddr_t end)
{
	boot_start = boot_cur = ALIGN_UP(start, PMM_PAGE_SIZE);
	boot_end = ALIGN_DOWN(end, PMM_PAGE_SIZE);
}

/* align: a power of two, at least a page (pmm_alloc promises natural
 * alignment; pages skipped to get it stay allocated). */
static paddr_t boot_alloc(uint64_t bytes, uint64_t align)
{
	paddr_t pa = ALIGN_UP(boot_cur, align);

	bytes = ALIGN_UP(bytes, PMM_PAGE_SIZE);
	if (pa < boot_cur || pa > boot_end || boot_end - pa < bytes)
		return 0;
	boot_cur = pa + bytes;
	return pa;
}

uint64_t pmm_boot_region_used(void)
{
	return (boot_cur - boot_start) / PMM_PAGE_SIZE;
}

int pmm_add_zone(paddr_t base, uint64_t size)
{
	paddr_t start = ALIGN_UP(base, PMM_PAGE_SIZE);
	paddr_t end = ALIGN_DOWN(base + size, PMM_PAGE_SIZE);
	struct zone *z;
	paddr_t meta;

	if (nzones >= PMM_MAX_ZONES)
		return -ENOSPC;
	if (end <= start)
		return -EINVAL;
	z = &zones[nzones];
	z->npages = (end - start) / PMM_PAGE_SIZE;
	if (!(meta = boot_alloc(PMM_META_BYTES(z->npages), PMM_PAGE_SIZE)))
		return -ENOMEM;
	z->base = start;
	z->state = pmm_to_virt(meta);
	memset(z->state, STATE_USED, z->npages);
	z->refs = pmm_to_virt(ALIGN_UP(meta + z->npages, 2));
	memset(z->refs, 0, z->npages * 2);
	nzones++;
	return 0;
}

static struct zone *zone_of(paddr_t pa)
{
	for (unsigned i = 0; i < nzones; i++)
		if (pa - zones[i].base < zones[i].npages * PMM_PAGE_SIZE)
			return &zones[i];
	return NULL;
}

static uint64_t page_index(const struct zone *z, paddr_t pa)
{
	return (pa - z->base) / PMM_PAGE_SIZE;
}

static void list_push(unsigned order, paddr_t pa)
{
	struct free_block *b = pmm_to_virt(pa), *head = &free_lists[order];

	b->next = head->next;
	b->prev = head;
	head->next->prev = b;
	head->next = b;
}

static void list_remove(paddr_t pa)
{
	struct free_block *b = pmm_to_virt(pa);

	b->prev->next = b->next;
	b->next->prev = b->prev;
}

/* Blocks are naturally aligned in physical addresses; a buddy that is not
 * wholly inside the zone is never free, so blocks never cross its edges. */
static bool buddy_is_free(const struct zone *z, paddr_t buddy, unsigned order)
{
	if (buddy < z->base || buddy >= z->base + z->npages * PMM_PAGE_SIZE)
		return false;
	if (page_index(z, buddy) + (1UL << order) > z->npages)
		return false;
	return z->state[page_index(z, buddy)] == (STATE_FREE_HEAD | order);
}

static void free_block_locked(struct zone *z, paddr_t pa, unsigned order)
{
	while (order < PMM_MAX_ORDER) {
		paddr_t buddy = pa ^ (PMM_PAGE_SIZE << order);

		if (!buddy_is_free(z, buddy, order))
			break;
		list_remove(buddy);
		z->state[page_index(z, buddy)] = STATE_USED;
		pa = buddy < pa ? buddy : pa;
		order++;
	}
	z->state[page_index(z, pa)] = (uint8_t)(STATE_FREE_HEAD | order);
	list_push(order, pa);
}

/* True if any page of [pa, pa + 2^order pages) is free: inside a free block
 * that starts at or before pa (its head is pa aligned down to the block's
 * order), heading one further in, or on the hot list. */
static bool range_has_free(const struct zone *z, paddr_t pa, unsigned order)
{
	for (unsigned o = 0; o <= PMM_MAX_ORDER; o++) {
		paddr_t head = ALIGN_DOWN(pa, PMM_PAGE_SIZE << o);
		uint8_t st = head >= z->base ? z->state[page_index(z, head)] : STATE_USED;
		if (st == (STATE_FREE_HEAD | o) || (o <= HOT_ORDER && st == (STATE_HOT | o)))
			return true;
	}
	for (uint64_t i = 0; i < (1UL << order); i++)
		if (z->state[page_index(z, pa) + i] & (STATE_FREE_HEAD | STATE_HOT))
			return true;
	return false;
}

static void hot_push_locked(struct zone *z, paddr_t pa, unsigned list)
{
	struct free_block *b = pmm_to_virt(pa);

	z->state[page_index(z, pa)] = (uint8_t)(STATE_HOT | hot_order(list));
	b->next = hot[list];
	hot[list] = b;
	hot_count += 1u << hot_order(list);
}

/* A block of order hot_order(list) freed: to its hot list while they have
 * room. */
static void free_page_locked(struct zone *z, paddr_t pa, unsigned list)
{
	if (hot_count + (1u << hot_order(list)) <= HOT_MAX) {
		hot_push_locked(z, pa, list);
	} else {
		z->state[page_index(z, pa)] = STATE_USED; /* no mark left once merged */
		free_block_locked(z, pa, hot_order(list));
	}
}

/* The hot blocks back to the buddy lists, where they can merge. */
static void hot_drain_locked(void)
{
	for (unsigned l = 0; l < HOT_LISTS; l++) {
		while (hot[l]) {
			paddr_t pa = pmm_to_phys(hot[l]);
			struct zone *z = zone_of(pa);
			hot[l] = hot[l]->next;
			z->state[page_index(z, pa)] = STATE_USED; /* a merged page keeps no mark */
			free_block_locked(z, pa, hot_order(l));
		}
	}
	hot_count = 0;
}

/* A hot block of order o > 0, or 0. */
static paddr_t hot_pop_order_locked(unsigned o)
{
	struct free_block *b = hot[o + 1];

	if (!b)
		return 0;
	hot[o + 1] = b->next;
	hot_count -= 1u << o;
	return pmm_to_phys(b);
}

/* A hot page, from list first, or 0; *zeroed says whether it is zero. */
static paddr_t hot_pop_locked(unsigned list, bool *zeroed)
{
	struct free_block *b;

	if (!hot[list])
		list = !list;
	if (!(b = hot[list]))
		return 0;
	hot[list] = b->next;
	hot_count--;
	b->next = NULL; /* the link was the page's only nonzero word */
	*zeroed = list == HOT_ZERO;
	return pmm_to_phys(b);
}

/* True if freeing [pa, pa + 2^order pages) would free a free page. A
 * free page has no reference, so a single used page holding the one
 * pmm_alloc gave it is live at once; anything else gets the search. */
static bool double_free(const struct zone *z, paddr_t pa, unsigned order)
{
	if (order == 0 && z->state[page_index(z, pa)] == STATE_USED && z->refs[page_index(z, pa)] == 1)
		return false;
	return range_has_free(z, pa, order);
}

void pmm_free(paddr_t pa, unsigned order)
{
	struct zone *z = zone_of(pa);
	unsigned long flags;

	BUG_ON(!z || order > PMM_MAX_ORDER || pa % (PMM_PAGE_SIZE << order) ||
	       page_index(z, pa) + (1UL << order) > z->npages);
	flags = spin_lock_irqsave(&pmm_lock);
	if (double_free(z, pa, order)) {
		spin_unlock_irqrestore(&pmm_lock, flags);
		panic("pmm: double free of 0x%lx (order %u)", pa, order);
	}
	z->refs[page_index(z, pa)] = 0; /* a plain store: see ref_update */
	if (order <= HOT_ORDER && booting_done)
		free_page_locked(z, pa, order ? order + 1 : HOT_DIRTY);
	else
		free_block_locked(z, pa, order);
	free_pages += 1UL << order;
	if (!booting_done)
		total_pages += 1UL << order;
	spin_unlock_irqrestore(&pmm_lock, flags);
}

void pmm_free_zeroed(paddr_t pa)
{
	struct zone *z = zone_of(pa);
	unsigned long flags;

	if (!booting_done) {
		pmm_free(pa, 0);
		return;
	}
	BUG_ON(!z || pa % PMM_PAGE_SIZE);
	flags = spin_lock_irqsave(&pmm_lock);
	if (double_free(z, pa, 0)) {
		spin_unlock_irqrestore(&pmm_lock, flags);
		panic("pmm: double free of 0x%lx (order 0)", pa);
	}
	z->refs[page_index(z, pa)] = 0;
	free_page_locked(z, pa, HOT_ZERO);
	free_pages++;
	spin_unlock_irqrestore(&pmm_lock, flags);
}

/* The largest order whose block at pa is aligned within z and ends by end. */
static unsigned largest_fit(const struct zone *z, paddr_t pa, paddr_t end)
{
	paddr_t zone_end = z->base + z->npages * PMM_PAGE_SIZE;
	unsigned order = 0;

	end = MIN(end, zone_end);
	while (order < PMM_MAX_ORDER) {
		uint64_t next = PMM_PAGE_SIZE << (order + 1);
		if ((pa & (next - 1)) || pa + next > end)
			break;
		order++;
	}
	return order;
}

void pmm_add_free(paddr_t base, uint64_t size)
{
	paddr_t pa = ALIGN_UP(base, PMM_PAGE_SIZE);
	paddr_t end = ALIGN_DOWN(base + size, PMM_PAGE_SIZE);

	/* Whole aligned blocks at a time: a GiB is 256 frees, not 262144. */
	while (pa < end) {
		struct zone *z = zone_of(pa);
		unsigned order;

		if (!z) {
			pa += PMM_PAGE_SIZE;
			continue;
		}
		order = largest_fit(z, pa, end);
		pmm_free(pa, order);
		pa += PMM_PAGE_SIZE << order;
	}
}

void pmm_boot_region_close(void)
{
	pmm_add_free(boot_cur, boot_end - boot_cur);
	boot_end = boot_cur;
	total_pages += pmm_boot_region_used();
	booting_done = true;
}

/* A block of 2^order pages off the lists with state st and one reference,
 * or 0, zeroed if zero. Single pages come from the hot lists first. */
static paddr_t alloc_locked(unsigned order, uint8_t st, bool zero, bool *zeroed)
{
	struct zone *z;
	paddr_t pa;
	unsigned o;

	*zeroed = false;
	if (order == 0 && (pa = hot_pop_locked(zero ? HOT_ZERO : HOT_DIRTY, zeroed)) != 0) {
		z = zone_of(pa);
		goto got;
	}
	if (order > 0 && order <= HOT_ORDER && (pa = hot_pop_order_locked(order)) != 0) {
		z = zone_of(pa);
		goto got;
	}
	for (;;) {
		for (o = order; o <= PMM_MAX_ORDER; o++)
			if (free_lists[o].next != &free_lists[o])
				break;
		if (o <= PMM_MAX_ORDER)
			break;
		if (!hot_count)
			return 0;
		hot_drain_locked(); /* they may merge into what was asked for */
	}
	pa = pmm_to_phys(free_lists[o].next);
	z = zone_of(pa);
	list_remove(pa);
	/* Split: hand the upper halves back until the block has the right size. */
	while (o > order) {
		o--;
		paddr_t upper = pa + (PMM_PAGE_SIZE << o);
		z->state[page_index(z, upper)] = (uint8_t)(STATE_FREE_HEAD | o);
		list_push(o, upper);
	}
got:
	z->state[page_index(z, pa)] = st;
	free_pages -= 1UL << order;
	z->refs[page_index(z, pa)] = 1;
	return pa;
}

/* Zeroing happens outside the lock. */
static paddr_t alloc_state(unsigned order, uint8_t st, bool zero)
{
	unsigned long flags;
	bool zeroed = false;
	paddr_t pa;

	if (order > PMM_MAX_ORDER)
		return 0;
	if (!booting_done) {
		pa = boot_alloc(PMM_PAGE_SIZE << order, PMM_PAGE_SIZE << order);
	} else {
		flags = spin_lock_irqsave(&pmm_lock);
		pa = alloc_locked(order, st, zero, &zeroed);
		spin_unlock_irqrestore(&pmm_lock, flags);
	}
	for (uint64_t i = 0; pa && zero && !zeroed && i < (1UL << order); i++)
		pmm_zero_page(pmm_to_virt(pa + i * PMM_PAGE_SIZE));
	return pa;
}

void pmm_copy_page(void *dst, const void *src)
{
#ifdef __riscv
	char *d = dst, *end = d + PMM_PAGE_SIZE;
	const char *s = src;

	/* 128 bytes a round through eight registers: copy-on-write's copy. */
	__asm__ volatile("1:\n"
			 ".irp half, 0,64\n"
			 "ld t0, \\half+0(%1)\n ld t1, \\half+8(%1)\n"
			 "ld t2, \\half+16(%1)\n ld t3, \\half+24(%1)\n"
			 "ld t4, \\half+32(%1)\n ld t5, \\half+40(%1)\n"
			 "ld t6, \\half+48(%1)\n ld a7, \\half+56(%1)\n"
			 "sd t0, \\half+0(%0)\n sd t1, \\half+8(%0)\n"
			 "sd t2, \\half+16(%0)\n sd t3, \\half+24(%0)\n"
			 "sd t4, \\half+32(%0)\n sd t5, \\half+40(%0)\n"
			 "sd t6, \\half+48(%0)\n sd a7, \\half+56(%0)\n"
			 ".endr\n"
			 "addi %0, %0, 128\n"
			 "addi %1, %1, 128\n"
			 "bne %0, %2, 1b"
			 : "+r"(d), "+r"(s)
			 : "r"(end)
			 : "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a7", "memory");
#else /* the host tests */
	memcpy(dst, src, PMM_PAGE_SIZE);
#endif
}

paddr_t pmm_alloc(unsigned order)
{
	return alloc_state(order, STATE_USED, false);
}

paddr_t pmm_alloc_heap_page(void)
{
	paddr_t pa = alloc_state(0, STATE_HEAP, false);

	if (pa && !booting_done) { /* boot_alloc leaves no mark */
		struct zone *z = zone_of(pa);
		z->state[page_index(z, pa)] = STATE_HEAP;
	}
	return pa;
}

bool pmm_free_heap_page(paddr_t pa)
{
	struct zone *z = pa % PMM_PAGE_SIZE ? NULL : zone_of(pa);
	unsigned long flags;

	if (!z)
		return false;
	flags = spin_lock_irqsave(&pmm_lock);
	if (z->state[page_index(z, pa)] != STATE_HEAP) {
		spin_unlock_irqrestore(&pmm_lock, flags);
		return false;
	}
	z->state[page_index(z, pa)] = STATE_USED; /* the single page pmm_free expects */
	spin_unlock_irqrestore(&pmm_lock, flags);
	pmm_free(pa, 0);
	return true;
}

paddr_t pmm_alloc_zeroed(unsigned order)
{
	return alloc_state(order, STATE_USED, true);
}

paddr_t pmm_alloc_user(bool zero)
{
	paddr_t pa;

	if (!booting_done) { /* users come after boot; keep pmm_mark_user's check */
		if ((pa = pmm_alloc_zeroed(0)) != 0)
			pmm_mark_user(pa);
		return pa;
	}
	return alloc_state(0, STATE_USER, zero);
}

/* 32 doubleword stores a round: zeroing is most of an anonymous fault's
 * instructions, and the compiler would turn a C loop back into memset. */
void pmm_zero_page(void *page)
{
#ifdef __riscv
	char *p = page, *end = p + PMM_PAGE_SIZE;

	__asm__ volatile("1:\n"
			 ".irp off, 0,8,16,24,32,40,48,56,64,72,80,88,96,104,112,120,"
			 "128,136,144,152,160,168,176,184,192,200,208,216,224,232,240,248\n"
			 "sd zero, \\off(%0)\n"
			 ".endr\n"
			 "addi %0, %0, 256\n"
			 "bne %0, %1, 1b"
			 : "+r"(p)
			 : "r"(end)
			 : "memory");
#else /* the host tests */
	memset(page, 0, PMM_PAGE_SIZE);
#endif
}


static uint16_t *ref_of(paddr_t pa)
{
	struct zone *z = zone_of(pa);

	return z ? &z->refs[page_index(z, pa)] : NULL;
}

/* Adds delta to the count at r unless it is 0 or, for delta > 0, at
 * REF_MAX; returns the count before (the refusal leaves it as it is).
 * rv64imac has no 16-bit AMOs (and GCC 12 would call libatomic for them),
 * so this is an LR/SC loop on the aligned word holding r: a plain store to
 * the neighbour count (pmm_alloc, pmm_free under the lock) changes that
 * word and makes the loop try again. */
static uint16_t ref_update(uint16_t *r, int delta)
{
	uint32_t *w = (uint32_t *)((uintptr_t)r & ~(uintptr_t)3);
	unsigned shift = ((uintptr_t)r & 2) * 8; /* little-endian */
	uint32_t old = __atomic_load_n(w, __ATOMIC_RELAXED), new;
	uint16_t v;

	do {
		v = (uint16_t)(old >> shift);
		if (v == 0 || (delta > 0 && v >= REF_MAX))
			return v;
		new = (old & ~(0xffffu << shift)) | ((uint32_t)(uint16_t)(v + delta) << shift);
	} while (!__atomic_compare_exchange_n(w, &old, new, true, __ATOMIC_ACQ_REL,
					      __ATOMIC_RELAXED));
	return v;
}

void pmm_page_ref(paddr_t pa)
{
	uint16_t *r = ref_of(pa), old;

	BUG_ON(!r);
	old = ref_update(r, 1);
	BUG_ON(old == 0 || old >= REF_MAX);
}

bool pmm_page_try_ref(paddr_t pa)
{
	uint16_t *r = ref_of(pa), old;

	if (!r)
		return false;
	old = ref_update(r, 1);
	return old != 0 && old < REF_MAX;
}

/* The last reference of a live page went: no other holder can reach it,
 * so the double-free search of pmm_free is not needed. */
static void free_unreferenced(struct zone *z, paddr_t pa)
{
	unsigned long flags = spin_lock_irqsave(&pmm_lock);
	uint8_t st = z->state[page_index(z, pa)];

	if (st != STATE_USED && st != STATE_USER) {
		spin_unlock_irqrestore(&pmm_lock, flags);
		panic("pmm: unref freed 0x%lx twice (state 0x%x)", pa, st);
	}
	free_page_locked(z, pa, HOT_DIRTY);
	free_pages++;
	spin_unlock_irqrestore(&pmm_lock, flags);
}

void pmm_page_unref(paddr_t pa)
{
	struct zone *z = zone_of(pa);
	uint16_t old;

	BUG_ON(!z);
	/* Acquire-release: this holder's writes to the page come before its
	 * reuse by whoever allocates it next. */
	old = ref_update(&z->refs[page_index(z, pa)], -1);
	BUG_ON(old == 0);
	if (old == 1) {
		if (!booting_done)
			pmm_free(pa, 0);
		else
			free_unreferenced(z, pa);
	}
}

void pmm_pages_unref(const paddr_t *pas, unsigned n)
{
	paddr_t last[PMM_UNREF_BATCH] __attribute__((uninitialized)); /* no zeroing */
	unsigned nlast = 0;
	unsigned long flags;

	BUG_ON(n > PMM_UNREF_BATCH);
	for (unsigned i = 0; i < n; i++) {
		struct zone *z = zone_of(pas[i]);
		uint16_t old;
		BUG_ON(!z);
		old = ref_update(&z->refs[page_index(z, pas[i])], -1);
		BUG_ON(old == 0);
		if (old == 1)
			last[nlast++] = pas[i];
	}
	if (!nlast)
		return;
	if (!booting_done) {
		for (unsigned i = 0; i < nlast; i++)
			pmm_free(last[i], 0);
		return;
	}
	flags = spin_lock_irqsave(&pmm_lock); /* one acquisition for the batch */
	for (unsigned i = 0; i < nlast; i++) {
		struct zone *z = zone_of(last[i]);
		uint8_t st = z->state[page_index(z, last[i])];
		if (st != STATE_USED && st != STATE_USER) {
			spin_unlock_irqrestore(&pmm_lock, flags);
			panic("pmm: unref freed 0x%lx twice (state 0x%x)", last[i], st);
		}
		free_page_locked(z, last[i], HOT_DIRTY);
	}
	free_pages += nlast;
	spin_unlock_irqrestore(&pmm_lock, flags);
}

void pmm_mark_user(paddr_t pa)
{
	struct zone *z = zone_of(pa);
	unsigned long flags = spin_lock_irqsave(&pmm_lock);

	BUG_ON(!z || z->state[page_index(z, pa)] != STATE_USED || pmm_page_refs(pa) == 0);
	z->state[page_index(z, pa)] = STATE_USER;
	spin_unlock_irqrestore(&pmm_lock, flags);
}

bool pmm_is_user(paddr_t pa)
{
	struct zone *z = pa % PMM_PAGE_SIZE ? NULL : zone_of(pa);

	return z && z->state[page_index(z, pa)] == STATE_USER &&
	       __atomic_load_n(&z->refs[page_index(z, pa)], __ATOMIC_RELAXED) > 0;
}

unsigned pmm_page_refs(paddr_t pa)
{
	uint16_t *r = ref_of(pa);

	return r ? __atomic_load_n(r, __ATOMIC_RELAXED) : 0;
}

uint64_t pmm_free_pages(void)
{
	return free_pages;
}

uint64_t pmm_total_pages(void)
{
	return total_pages;
}
