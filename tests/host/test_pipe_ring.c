/* kern/fs/pipe_ring.c natively: a pipe's byte ring over heap chunks,
 * against a plain array as the oracle, through wrap-arounds, resizes in
 * both directions, faults and allocation failures (which must move
 * nothing). User memory is host memory; address 0 faults. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/page.h>
#include <frame/uaccess.h>
#include "fs/iobuf.h"
#include "fs/pipe.h"
#include "rng.h"
#include "test.h"


/* iobuf.c's page buffers are never used by the pipe ring: the stand-ins
 * only have to exist (and fail if ever reached). */
int page_read(page_t p, size_t off, void *dst, size_t len)
{
	(void)p; (void)off; (void)dst; (void)len;
	abort();
}

int page_write(page_t p, size_t off, const void *src, size_t len)
{
	(void)p; (void)off; (void)src; (void)len;
	abort();
}

int page_copy_to_user(page_t p, size_t off, uint64_t udst, size_t len)
{
	(void)p; (void)off; (void)udst; (void)len;
	abort();
}

int page_copy_from_user(page_t p, size_t off, uint64_t usrc, size_t len)
{
	(void)p; (void)off; (void)usrc; (void)len;
	abort();
}

static int fail_allocs_after = -1; /* >= 0: that many kmallocs succeed, then NULL */

void *kmalloc(size_t size)
{
	if (fail_allocs_after == 0)
		return NULL;
	if (fail_allocs_after > 0)
		fail_allocs_after--;
	return malloc(size ? size : 1);
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	return p ? memset(p, 0, size) : NULL;
}

void kfree(void *p)
{
	free(p);
}

int copy_from_user(void *dst, uint64_t usrc, size_t len)
{
	if (!usrc)
		return -EFAULT;
	memcpy(dst, (const void *)(uintptr_t)usrc, len);
	return 0;
}

int copy_to_user(uint64_t udst, const void *src, size_t len)
{
	if (!udst)
		return -EFAULT;
	memcpy((void *)(uintptr_t)udst, src, len);
	return 0;
}

static struct iobuf ubuf(void *p)
{
	return iobuf_user((uint64_t)(uintptr_t)p);
}

/* The oracle: the bytes the ring should hold, oldest first. */
static unsigned char shadow[1 << 21];
static size_t shadow_len;

static void put(struct pipe *p, size_t n)
{
	static unsigned char src[1 << 21];
	struct iobuf b = ubuf(src);

	for (size_t i = 0; i < n; i++)
		src[i] = (unsigned char)rng();
	CHECK_EQ(pipe_ring_put(p, &b, n), 0);
	memcpy(shadow + shadow_len, src, n);
	shadow_len += n;
}

static void get(struct pipe *p, size_t n)
{
	static unsigned char dst[1 << 21];
	struct iobuf b = ubuf(dst);

	CHECK_EQ(pipe_ring_get(p, &b, n), 0);
	CHECK(memcmp(dst, shadow, n) == 0);
	memmove(shadow, shadow + n, shadow_len - n);
	shadow_len -= n;
}

static void test_random_traffic(void)
{
	struct pipe p = { 0 };

	CHECK_EQ(pipe_ring_resize(&p, PIPE_DEF_SIZE), 0);
	CHECK_EQ(p.size, PIPE_DEF_SIZE);
	CHECK(p.storage >= p.size);
	for (int i = 0; i < 20000; i++) {
		size_t room = p.size - p.len;
		if (rng_below(2) && room)
			put(&p, 1 + rng_below(MIN(room, (size_t)9000)));
		else if (p.len)
			get(&p, 1 + rng_below(MIN(p.len, (size_t)9000)));
		CHECK_EQ(p.len, shadow_len);
	}
	/* Resizes keep the bytes in order, from any head position. */
	static const size_t sizes[] = { 131072, 4096, 1048576, 65536, 8192 };
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (p.len > sizes[i])
			get(&p, p.len - sizes[i] / 2);
		CHECK_EQ(pipe_ring_resize(&p, sizes[i]), 0);
		CHECK_EQ(p.size, sizes[i]);
		CHECK_EQ(p.len, shadow_len);
		for (int k = 0; k < 300; k++) {
			if (rng_below(2) && p.size > p.len)
				put(&p, 1 + rng_below(p.size - p.len));
			else if (p.len)
				get(&p, 1 + rng_below(p.len));
		}
	}
	get(&p, p.len);
	pipe_ring_free(&p);
}

static void test_failures(void)
{
	struct pipe p = { 0 };
	unsigned char buf[8192];
	struct iobuf bad = iobuf_user(0), good = ubuf(buf);

	CHECK_EQ(pipe_ring_resize(&p, 16384), 0);
	put(&p, 3000);
	/* A fault moves nothing, in either direction. */
	CHECK_EQ(pipe_ring_put(&p, &bad, 100), -EFAULT);
	CHECK_EQ(p.len, 3000);
	CHECK_EQ(pipe_ring_get(&p, &bad, 100), -EFAULT);
	CHECK_EQ(p.len, 3000);
	/* A chunk that cannot be allocated: ENOMEM, nothing taken. */
	fail_allocs_after = 0;
	CHECK_EQ(pipe_ring_put(&p, &good, 8000), -ENOMEM);
	CHECK_EQ(p.len, 3000);
	/* A resize that runs out of memory leaves the old ring intact. */
	fail_allocs_after = 1; /* the chunk array, not the first chunk */
	CHECK_EQ(pipe_ring_resize(&p, 65536), -ENOMEM);
	fail_allocs_after = -1;
	CHECK_EQ(p.size, 16384);
	get(&p, 3000);
	pipe_ring_free(&p);
}

int main(void)
{
	rng_init("pipe_ring");
	test_random_traffic();
	test_failures();
	return test_done("pipe_ring");
}
