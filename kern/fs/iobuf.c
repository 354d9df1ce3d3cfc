/* Copies to and from an iobuf (user or kernel memory). */
#include <frame/errno.h>
#include <frame/page.h>
#include <frame/uaccess.h>
#include <string.h>
#include "fs/iobuf.h"

static const char zeros[256];

int iobuf_copy_to(const struct iobuf *b, size_t off, const void *src, size_t n)
{
	if (b->kernel) {
		memcpy(b->kernel + off, src, n);
		return 0;
	}
	return copy_to_user(b->user + off, src, n) ? -EFAULT : 0;
}

int iobuf_copy_from(void *dst, const struct iobuf *b, size_t off, size_t n)
{
	if (b->kernel) {
		memcpy(dst, b->kernel + off, n);
		return 0;
	}
	return copy_from_user(dst, b->user + off, n) ? -EFAULT : 0;
}

int iobuf_zero(const struct iobuf *b, size_t off, size_t n)
{
	if (b->kernel) {
		memset(b->kernel + off, 0, n);
		return 0;
	}
	while (n) {
		size_t k = MIN(n, sizeof(zeros));
		if (copy_to_user(b->user + off, zeros, k))
			return -EFAULT;
		off += k;
		n -= k;
	}
	return 0;
}

int iobuf_copy_from_page(const struct iobuf *b, size_t off, page_t p, size_t in, size_t n)
{
	if (b->kernel)
		return page_read(p, in, b->kernel + off, n) ? -EFAULT : 0;
	return page_copy_to_user(p, in, b->user + off, n) ? -EFAULT : 0;
}

int iobuf_copy_to_page(page_t p, size_t in, const struct iobuf *b, size_t off, size_t n)
{
	if (b->kernel)
		return page_write(p, in, b->kernel + off, n) ? -EFAULT : 0;
	return page_copy_from_user(p, in, b->user + off, n) ? -EFAULT : 0;
}
