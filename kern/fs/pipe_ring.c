/* A pipe's bytes: a ring over chunks of one heap page each, allocated when
 * first written, so an idle pipe costs a small array and not 64 KiB (and a
 * 64 KiB kmalloc would take a 128 KiB block, the heap header included). */
#include <frame/errno.h>
#include <frame/heap.h>
#include <string.h>
#include "fs/iobuf.h"
#include "fs/pipe.h"

#define PIPE_CHUNK (4096 - 96) /* a heap page minus the heap's header, as tmpfs */

/* Copies n bytes between b (from boff) and the ring at pos. */
static int ring_copy(struct pipe *p, size_t pos, const struct iobuf *b, size_t boff, size_t n,
		     bool into_ring)
{
	while (n) {
		size_t c = pos / PIPE_CHUNK, off = pos % PIPE_CHUNK, seg = MIN(n, PIPE_CHUNK - off);
		int err;

		if (!p->chunks[c] && !(p->chunks[c] = kmalloc(PIPE_CHUNK)))
			return -ENOMEM;
		err = into_ring ? iobuf_copy_from(p->chunks[c] + off, b, boff, seg)
				: iobuf_copy_to(b, boff, p->chunks[c] + off, seg);
		if (err)
			return err;
		boff += seg;
		n -= seg;
		pos = (pos + seg) % p->storage;
	}
	return 0;
}

int pipe_ring_peek(struct pipe *p, size_t off, const struct iobuf *dst, size_t n)
{
	return ring_copy(p, (p->head + off) % p->storage, dst, 0, n, false);
}

int pipe_ring_put(struct pipe *p, const struct iobuf *src, size_t n)
{
	int err = ring_copy(p, (p->head + p->len) % p->storage, src, 0, n, true);

	if (!err) {
		p->len += n;
		p->wseq += n;
	}
	return err;
}

int pipe_ring_get(struct pipe *p, const struct iobuf *dst, size_t n)
{
	int err = ring_copy(p, p->head, dst, 0, n, false);

	if (!err)
		pipe_ring_skip(p, n);
	return err;
}

void pipe_ring_skip(struct pipe *p, size_t n)
{
	p->head = (p->head + n) % p->storage;
	p->len -= n;
	p->rseq += n;
}

static void free_chunks(char **chunks, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kfree(chunks[i]);
	kfree(chunks);
}

/* New storage for size bytes; the data moves over in order. The caller has
 * checked that it fits (EBUSY otherwise). */
int pipe_ring_resize(struct pipe *p, size_t size)
{
	struct pipe old = *p;
	size_t n = (size + PIPE_CHUNK - 1) / PIPE_CHUNK;
	char **chunks = kzalloc(n * sizeof(*chunks));
	int err = 0;

	if (!chunks)
		return -ENOMEM;
	p->chunks = chunks;
	p->nchunks = n;
	p->storage = n * PIPE_CHUNK;
	p->head = p->len = 0;
	p->wseq = old.rseq; /* moving the bytes over writes them again */
	/* Move the old bytes one old chunk segment at a time. */
	for (size_t done = 0; done < old.len && !err;) {
		size_t pos = (old.head + done) % old.storage, off = pos % PIPE_CHUNK;
		size_t seg = MIN(old.len - done, PIPE_CHUNK - off);
		struct iobuf b = iobuf_kernel(old.chunks[pos / PIPE_CHUNK] + off);

		err = pipe_ring_put(p, &b, seg);
		done += seg;
	}
	if (err) {
		free_chunks(p->chunks, p->nchunks);
		*p = old;
		return err;
	}
	free_chunks(old.chunks, old.nchunks);
	p->size = size;
	return 0;
}

void pipe_ring_free(struct pipe *p)
{
	free_chunks(p->chunks, p->nchunks);
	p->chunks = NULL;
	p->nchunks = p->storage = p->len = 0;
}
