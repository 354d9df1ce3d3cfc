/* Copies to and from an iobuf (user or kernel memory). */
#include <frame/errno.h>
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
