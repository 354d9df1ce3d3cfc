/* A buffer a file system reads into or writes from: either user memory (an
 * address in the current address space, reached with uaccess.h) or kernel
 * memory. File systems see only this, so the same read op serves read(2)
 * and the kernel (exec, the initramfs unpacker). */
#ifndef KERN_FS_IOBUF_H
#define KERN_FS_IOBUF_H

#include <frame/page.h>
#include <frame/types.h>

struct iobuf {
	char *kernel;  /* kernel memory, or NULL: then user */
	uint64_t user; /* user address when kernel is NULL */
};

static inline struct iobuf iobuf_user(uint64_t uaddr)
{
	return (struct iobuf){ .kernel = NULL, .user = uaddr };
}

static inline struct iobuf iobuf_kernel(void *p)
{
	return (struct iobuf){ .kernel = p, .user = 0 };
}

/* Each returns 0 or -EFAULT. off is the offset into the buffer. */
int iobuf_copy_to(const struct iobuf *b, size_t off, const void *src, size_t n);
int iobuf_copy_from(void *dst, const struct iobuf *b, size_t off, size_t n);
int iobuf_zero(const struct iobuf *b, size_t off, size_t n);
/* Between a user page (frame/page.h) at in and the buffer at off. */
int iobuf_copy_from_page(const struct iobuf *b, size_t off, page_t p, size_t in, size_t n);
int iobuf_copy_to_page(page_t p, size_t in, const struct iobuf *b, size_t off, size_t n);

#endif
