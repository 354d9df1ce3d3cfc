/* Turning the device tree's memory description into the page allocator's
 * free lists, and answering questions about it (frame/meminfo.h). */
#include <frame/errno.h>
#include <frame/log.h>
#include <frame/meminfo.h>
#include <frame/panic.h>
#include <string.h>
#include <arch/layout.h>
#include "boot/memory.h"
#include "bus/claims.h"
#include "mm/pmm.h"

/* Boot-region pages beyond the page-state arrays: early page tables. */
#define BOOT_REGION_SLACK (64 * PAGE_SIZE)

static const struct boot_info *mem_bi;
static unsigned boot_region_index; /* its entry in bi->reserved */

static void print_range(const char *what, const struct bi_range *r)
{
	uint64_t kib = r->size >> 10;

	if (kib >= 1024)
		pr_info("mem: %s 0x%09lx-0x%09lx %6lu MiB  %s\n", what, r->base, r->base + r->size - 1,
			kib >> 10, r->name);
	else
		pr_info("mem: %s 0x%09lx-0x%09lx %6lu KiB  %s\n", what, r->base, r->base + r->size - 1,
			kib, r->name);
}

/* Frees [start, end) minus every reserved range, recursively splitting. */
static void free_unreserved(const struct boot_info *bi, unsigned from, paddr_t start, paddr_t end)
{
	for (unsigned i = from; i < bi->nreserved && start < end; i++) {
		paddr_t rs = ALIGN_DOWN(bi->reserved[i].base, PAGE_SIZE);
		paddr_t re = ALIGN_UP(bi->reserved[i].base + bi->reserved[i].size, PAGE_SIZE);
		if (re <= start || rs >= end)
			continue;
		if (rs > start)
			free_unreserved(bi, i + 1, start, rs);
		start = re;
	}
	if (start < end)
		pmm_add_free(start, end - start);
}

/* The end of the free stretch that starts at pa inside a bank: the next
 * reserved range or the bank's end, whichever comes first. */
static paddr_t free_stretch_end(const struct boot_info *bi, paddr_t pa)
{
	paddr_t end = 0;

	for (unsigned i = 0; i < bi->nbanks; i++)
		if (pa >= bi->banks[i].base && pa < bi->banks[i].base + bi->banks[i].size)
			end = bi->banks[i].base + bi->banks[i].size;
	for (unsigned i = 0; i < bi->nreserved; i++) {
		paddr_t rs = ALIGN_DOWN(bi->reserved[i].base, PAGE_SIZE);
		if (rs < pa && pa < bi->reserved[i].base + bi->reserved[i].size)
			return pa; /* pa itself is reserved */
		if (rs >= pa && rs < end)
			end = rs;
	}
	return ALIGN_DOWN(end, PAGE_SIZE);
}

void memory_init(struct boot_info *bi, paddr_t image_end)
{
	/* The boot region follows the image: the early page table maps the
	 * image's gigapage in the direct map, so it is reachable now. */
	paddr_t start = ALIGN_UP(image_end, PAGE_SIZE);
	paddr_t end = MIN(free_stretch_end(bi, start), ALIGN_UP(start, GIGAPAGE_SIZE));
	uint64_t need = BOOT_REGION_SLACK;

	mem_bi = bi;
	for (unsigned i = 0; i < bi->nbanks; i++)
		print_range("bank    ", &bi->banks[i]);
	for (unsigned i = 0; i < bi->nreserved; i++)
		print_range("reserved", &bi->reserved[i]);
	for (unsigned i = 0; i < bi->nbanks; i++)
		need += ALIGN_UP(PMM_META_BYTES(bi->banks[i].size / PAGE_SIZE), PAGE_SIZE);
	if (end < start + need)
		panic("mem: only %lu KiB free after the kernel image, need %lu KiB",
		      (end - start) >> 10, need >> 10);
	if (bootinfo_reserve(bi, start, need, "boot allocations"))
		panic("mem: too many reserved ranges");
	boot_region_index = bi->nreserved - 1;
	pmm_init(DIRECT_MAP_BASE);
	pmm_boot_region(start, start + need);
	for (unsigned i = 0; i < bi->nbanks; i++) {
		const struct bi_range *b = &bi->banks[i];
		paddr_t bank_end = MIN(b->base + b->size, (paddr_t)DIRECT_MAP_SIZE);
		if (b->base >= bank_end || pmm_add_zone(b->base, bank_end - b->base))
			pr_warn("mem: bank at 0x%lx unusable\n", b->base);
		else
			(void)claims_add(b->base, b->size, "RAM");
	}
}

void memory_init_late(struct boot_info *bi)
{
	for (unsigned i = 0; i < bi->nbanks; i++) {
		const struct bi_range *b = &bi->banks[i];
		free_unreserved(bi, 0, b->base, MIN(b->base + b->size, (paddr_t)DIRECT_MAP_SIZE));
	}
	pmm_boot_region_close();
	/* The unused rest went to the allocator: report only what stays used. */
	bi->reserved[boot_region_index].size = pmm_boot_region_used() * PAGE_SIZE;
	pr_info("mem: %lu MiB RAM, %lu KiB free, %lu KiB used at boot\n",
		mem_total_bytes() >> 20, mem_free_bytes() >> 10,
		pmm_boot_region_used() * PAGE_SIZE >> 10);
}

unsigned mem_bank_count(void)
{
	return mem_bi ? mem_bi->nbanks : 0;
}

static int copy_range(const struct bi_range *r, struct mem_region *out)
{
	out->base = r->base;
	out->size = r->size;
	strlcpy(out->name, r->name, sizeof(out->name));
	return 0;
}

int mem_bank(unsigned index, struct mem_region *out)
{
	if (index >= mem_bank_count())
		return -EINVAL;
	return copy_range(&mem_bi->banks[index], out);
}

unsigned mem_reserved_count(void)
{
	return mem_bi ? mem_bi->nreserved : 0;
}

int mem_reserved(unsigned index, struct mem_region *out)
{
	if (index >= mem_reserved_count())
		return -EINVAL;
	return copy_range(&mem_bi->reserved[index], out);
}

uint64_t mem_total_bytes(void)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < mem_bank_count(); i++)
		total += mem_bi->banks[i].size;
	return total;
}

uint64_t mem_free_bytes(void)
{
	return pmm_free_pages() * PAGE_SIZE;
}
