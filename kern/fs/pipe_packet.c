/* Packet mode of pipes (see pipe.h): where packets start in the byte
 * stream, as a small ring of (start, length) beside the bytes. Stream bytes
 * (from writers without O_DIRECT) have no record. */
#include <frame/errno.h>
#include <frame/heap.h>
#include "fs/pipe.h"

/* Packets the pipe may hold: one per page slot of its size, and no more
 * than the ring has room for (it may lag a resize that ran out of memory). */
static unsigned packet_limit(const struct pipe *p)
{
	unsigned slots = (unsigned)(p->size / PIPE_BUF);

	return p->pkts ? MIN(slots, p->pkt_cap) : slots;
}

static struct pipe_packet *head_packet(const struct pipe *p)
{
	return p->pkt_count ? &p->pkts[p->pkt_head] : NULL;
}

size_t pipe_packet_take(const struct pipe *p, size_t len, size_t *packet)
{
	struct pipe_packet *k = head_packet(p);

	*packet = 0;
	if (!k)
		return MIN(len, p->len);
	if (k->start == p->rseq) {
		*packet = k->len;
		return MIN(len, k->len);
	}
	return MIN(len, (size_t)(k->start - p->rseq)); /* stream bytes before it */
}

int pipe_packet_push(struct pipe *p, size_t n)
{
	if (!p->pkts) {
		if (!(p->pkts = kmalloc(p->size / PIPE_BUF * sizeof(*p->pkts))))
			return -ENOMEM;
		p->pkt_cap = (unsigned)(p->size / PIPE_BUF);
	}
	p->pkts[(p->pkt_head + p->pkt_count) % p->pkt_cap] =
		(struct pipe_packet){ .start = p->wseq - n, .len = n };
	p->pkt_count++;
	return 0;
}

void pipe_packet_pop(struct pipe *p)
{
	p->pkt_head = (p->pkt_head + 1) % p->pkt_cap;
	p->pkt_count--;
}

bool pipe_packet_room(const struct pipe *p)
{
	return p->pkt_count < packet_limit(p);
}

/* After p->size changed: the ring is laid out again for it. */
int pipe_packet_resize(struct pipe *p)
{
	unsigned cap = (unsigned)(p->size / PIPE_BUF);
	struct pipe_packet *q;

	if (!p->pkts || cap == p->pkt_cap)
		return 0;
	if (!(q = kmalloc(cap * sizeof(*q))))
		return -ENOMEM; /* the old ring goes on serving: packet_limit */
	for (unsigned i = 0; i < p->pkt_count; i++)
		q[i] = p->pkts[(p->pkt_head + i) % p->pkt_cap];
	kfree(p->pkts);
	p->pkts = q;
	p->pkt_cap = cap;
	p->pkt_head = 0;
	return 0;
}

bool pipe_packet_fits(const struct pipe *p, size_t size)
{
	return p->pkt_count <= size / PIPE_BUF;
}

void pipe_packet_free(struct pipe *p)
{
	kfree(p->pkts);
	p->pkts = NULL;
	p->pkt_cap = p->pkt_head = p->pkt_count = 0;
}
