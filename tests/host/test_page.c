/* Host tests of user-page handles (frame/mm/page.c) over the real pmm,
 * whose "RAM" is a host buffer: live handles work, and every value that is
 * not a live user page (zero, outside RAM, a frame the pmm gave out as
 * kernel memory, a page after its last put) is refused; counts never
 * overflow; the pages all go back. */
#include <stdlib.h>
#include <string.h>

#include <frame/errno.h>
#include <frame/page.h>
#include <frame/uaccess.h>
#include "mm/page_internal.h"
#include "mm/pmm.h"
#include "stubs.h"
#include "test.h"

#define FAKE_BASE 0x80000000UL
#define PG PMM_PAGE_SIZE
#define BUF_SIZE (4UL << 20)

static unsigned char *buf;

/* User memory is host memory here. */
int copy_to_user(uint64_t udst, const void *src, size_t len)
{
	memcpy((void *)(uintptr_t)udst, src, len);
	return 0;
}

int copy_from_user(void *dst, uint64_t usrc, size_t len)
{
	memcpy(dst, (const void *)(uintptr_t)usrc, len);
	return 0;
}

static void test_live(void)
{
	page_t p;
	char data[16] = "page contents", back[16] = { 0 }, zero[PG];

	CHECK_EQ(page_alloc(&p), 0);
	CHECK(p.v != 0);
	CHECK_EQ(page_read(p, 0, zero, PG), 0);
	for (unsigned i = 0; i < PG; i++)
		if (zero[i])
			CHECK_MSG(false, "byte %u of a new page is %d", i, zero[i]);
	CHECK_EQ(page_write(p, PG - 16, data, 16), 0);
	CHECK_EQ(page_read(p, PG - 16, back, 16), 0);
	CHECK(memcmp(back, data, 16) == 0);
	CHECK_EQ(page_zero(p, PG - 16, 4), 0);
	CHECK_EQ(page_read(p, PG - 16, back, 16), 0);
	CHECK(back[0] == 0 && back[4] == data[4]);
	CHECK_EQ(page_copy_to_user(p, PG - 12, (uint64_t)(uintptr_t)back, 4), 0);
	CHECK(memcmp(back, data + 4, 4) == 0);
	CHECK_EQ(page_copy_from_user(p, 0, (uint64_t)(uintptr_t)data, 16), 0);
	CHECK_EQ(page_read(p, 0, back, 16), 0);
	CHECK(memcmp(back, data, 16) == 0);
	/* Ranges must stay in the page. */
	CHECK_EQ(page_read(p, PG, back, 1), -EINVAL);
	CHECK_EQ(page_read(p, 0, zero, PG + 1), -EINVAL);
	CHECK_EQ(page_write(p, PG - 8, data, 16), -EINVAL);
	CHECK_EQ(page_zero(p, (size_t)-1, 2), -EINVAL);
	CHECK_EQ(page_read(p, PG, back, 0), 0);
	page_put(p);
}

static void test_refused(void)
{
	char b[8];
	paddr_t kernel = pmm_alloc(0);
	page_t forged[] = {
		{ 0 },
		{ kernel / PG },                 /* a live frame, not a user page */
		{ FAKE_BASE / PG - 1 },          /* below RAM */
		{ (FAKE_BASE + BUF_SIZE) / PG }, /* above RAM */
		{ UINT64_MAX },                  /* overflows into an address */
		{ (1UL << 52) + kernel / PG },   /* aliases kernel modulo 2^64 */
	};

	CHECK(kernel != 0);
	for (unsigned i = 0; i < ARRAY_SIZE(forged); i++) {
		CHECK_MSG(page_read(forged[i], 0, b, 8) == -ESTALE, "forged handle %u read", i);
		CHECK_MSG(page_write(forged[i], 0, b, 8) == -ESTALE, "forged handle %u written", i);
		CHECK_MSG(page_get(forged[i]) == -ESTALE, "forged handle %u referenced", i);
		CHECK_MSG(upage_decode(forged[i]) == 0, "forged handle %u decoded", i);
		page_put(forged[i]); /* refused with a log line, no effect */
	}
	CHECK_EQ(pmm_page_refs(kernel), 1);
	pmm_free(kernel, 0);

	/* After the last put the handle is stale, and stays so when the frame
	 * comes back as kernel memory. */
	page_t p;
	CHECK_EQ(page_alloc(&p), 0);
	CHECK_EQ(page_get(p), 0);
	page_put(p);
	CHECK_EQ(page_read(p, 0, b, 8), 0);
	page_put(p);
	CHECK_EQ(page_read(p, 0, b, 8), -ESTALE);
	paddr_t again = pmm_alloc(0);
	CHECK_EQ(again, p.v * PG); /* the buddy allocator hands it straight back */
	CHECK_EQ(page_read(p, 0, b, 8), -ESTALE);
	pmm_free(again, 0);
}

static void test_saturation(void)
{
	page_t p;
	unsigned got = 0;
	int err;

	CHECK_EQ(page_alloc(&p), 0);
	while ((err = page_get(p)) == 0)
		got++;
	CHECK_EQ(err, -EOVERFLOW);
	CHECK_EQ(got, UINT16_MAX - 1);
	while (got--)
		page_put(p);
	CHECK_EQ(pmm_page_refs(p.v * PG), 1);
	page_put(p);
}

int main(void)
{
	uint64_t base_free;

	buf = aligned_alloc(PG << PMM_MAX_ORDER, BUF_SIZE);
	if (!buf)
		return 2;
	pmm_init((uintptr_t)buf - FAKE_BASE);
	pmm_boot_region(FAKE_BASE, FAKE_BASE + 8 * PG);
	CHECK_EQ(pmm_add_zone(FAKE_BASE, BUF_SIZE), 0);
	pmm_add_free(FAKE_BASE + 8 * PG, BUF_SIZE - 8 * PG);
	pmm_boot_region_close();
	base_free = pmm_free_pages();

	test_live();
	test_refused();
	test_saturation();
	CHECK_EQ(pmm_free_pages(), base_free);
	CHECK_EQ(host_locks_held, 0);
	return test_done("page");
}
