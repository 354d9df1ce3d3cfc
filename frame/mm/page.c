/* User pages: a handle is the frame's physical page number, checked against
 * the pmm's per-page state (a live page marked user) on every use, so no
 * value can reach memory that was not handed out as a user page. */
#include <frame/errno.h>
#include <frame/log.h>
#include <frame/page.h>
#include <frame/uaccess.h>
#include <string.h>
#include "mm/page_internal.h"
#include "mm/pmm.h"

paddr_t upage_alloc(bool zero)
{
	return pmm_alloc_user(zero);
}

paddr_t upage_decode(page_t p)
{
	paddr_t pa = p.v * PMM_PAGE_SIZE;

	if (p.v == 0 || pa / PMM_PAGE_SIZE != p.v || !pmm_is_user(pa))
		return 0;
	return pa;
}

int page_alloc(page_t *out)
{
	paddr_t pa = upage_alloc(true);

	if (!pa)
		return -ENOMEM;
	out->v = pa / PMM_PAGE_SIZE;
	return 0;
}

int page_get(page_t p)
{
	paddr_t pa = upage_decode(p);

	if (!pa)
		return -ESTALE;
	return pmm_page_try_ref(pa) ? 0 : -EOVERFLOW;
}

void page_put(page_t p)
{
	paddr_t pa = upage_decode(p);

	if (pa)
		pmm_page_unref(pa);
	else
		pr_warn("page_put: stale page handle 0x%lx refused\n", p.v);
}

/* Decode: the kernel address of [off, off + len) in p, or NULL. */
static char *window(page_t p, size_t off, size_t len, int *err)
{
	paddr_t pa = upage_decode(p);

	*err = 0;
	if (!pa)
		*err = -ESTALE;
	else if (off > PAGE_BYTES || len > PAGE_BYTES - off)
		*err = -EINVAL;
	return *err ? NULL : (char *)pmm_to_virt(pa) + off;
}

int page_read(page_t p, size_t off, void *dst, size_t len)
{
	int err;
	char *w = window(p, off, len, &err);

	if (w)
		memcpy(dst, w, len);
	return err;
}

int page_write(page_t p, size_t off, const void *src, size_t len)
{
	int err;
	char *w = window(p, off, len, &err);

	if (w)
		memcpy(w, src, len);
	return err;
}

int page_zero(page_t p, size_t off, size_t len)
{
	int err;
	char *w = window(p, off, len, &err);

	if (w)
		memset(w, 0, len);
	return err;
}

int page_copy_to_user(page_t p, size_t off, uint64_t udst, size_t len)
{
	int err;
	char *w = window(p, off, len, &err);

	return w ? copy_to_user(udst, w, len) : err;
}

int page_copy_from_user(page_t p, size_t off, uint64_t usrc, size_t len)
{
	int err;
	char *w = window(p, off, len, &err);

	return w ? copy_from_user(w, usrc, len) : err;
}
