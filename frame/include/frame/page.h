/* User pages ("pages" handles): page frames a service may fill, read and
 * map into user address spaces (aspace_map_page), for file data that user
 * programs map (tmpfs) and for anonymous memory.
 *
 * Invariants:
 *   1. A page_t names a frame that page_alloc returned and that still has
 *      a reference; every operation checks this and refuses anything else
 *      (-ESTALE, or no effect for page_put), so a forged value can
 *      never name typed kernel memory (heap, page tables, the image).
 *   2. Only user pages are ever mapped to users.
 *   3. Each holder owns the references it took (page_alloc, page_get) and
 *      drops each with page_put; every mapping holds its own. The frame is
 *      freed with the last reference.
 *
 * Caller must: not use a page_t after its last page_put. */
#ifndef FRAME_PAGE_H
#define FRAME_PAGE_H

#include <frame/types.h>

#define PAGE_BYTES 4096UL

typedef struct {
	uint64_t v; /* opaque: checked by the frame on every use */
} page_t;

/* A zeroed user page with one reference; -ENOMEM. */
int page_alloc(page_t *out) __must_check;
/* Another reference: -ESTALE, or -EOVERFLOW when the count is full. */
int page_get(page_t p) __must_check;
void page_put(page_t p);
/* Copies between the page at [off, off + len) and kernel memory; -ESTALE
 * for a bad handle, -EINVAL if the range leaves the page. */
int page_read(page_t p, size_t off, void *dst, size_t len) __must_check;
int page_write(page_t p, size_t off, const void *src, size_t len) __must_check;
int page_zero(page_t p, size_t off, size_t len) __must_check;
/* The same between the page and the active user address space (uaccess.h
 * rules: -EFAULT for a bad user range). */
int page_copy_to_user(page_t p, size_t off, uint64_t udst, size_t len) __must_check;
int page_copy_from_user(page_t p, size_t off, uint64_t usrc, size_t len) __must_check;

#endif
