/* Pipes: a byte ring shared by a read end and a write end, the object
 * behind pipe2(2) and FIFOs (fs/fifo.c). Linux semantics: reads block until
 * data or until every writer is gone (EOF); writes block while full; writes
 * of at most PIPE_BUF bytes are atomic; writing with no reader left raises
 * SIGPIPE and fails with EPIPE; O_NONBLOCK turns waits into EAGAIN.
 *
 * Lifetime: the pipe lives while it has a reader or a writer (or a FIFO
 * open is waiting for its partner); the last release frees it and its data.
 * Kernel code is cooperative and no interrupt handler touches a pipe, so
 * its fields change only in the task that holds the CPU. */
#ifndef KERN_FS_PIPE_H
#define KERN_FS_PIPE_H

#include <frame/task.h>
#include "fs/file.h"

#define PIPE_BUF 4096
#define PIPE_DEF_SIZE 65536 /* Linux's default: 16 pages */
#define PIPE_MAX_SIZE 1048576 /* /proc/sys/fs/pipe-max-size, for the unprivileged */

struct inode;

struct pipe {
	char **chunks;            /* storage: nchunks chunks, allocated on first use */
	size_t nchunks, storage;  /* storage = nchunks * PIPE_CHUNK bytes */
	size_t size;              /* capacity (F_GETPIPE_SZ), at most storage */
	size_t head, len;         /* offset of the oldest byte, bytes held */
	uint64_t rseq, wseq;      /* bytes ever read and written: packets are placed by these */
	struct pipe_packet *pkts; /* packet mode: a ring of pkt_cap, allocated with the first */
	unsigned pkt_cap, pkt_head, pkt_count;
	unsigned readers, writers;
	unsigned r_counter, w_counter; /* opens of each kind ever: FIFO opens wait for a change */
	uint64_t in_gen, out_gen;      /* bumped when data or room arrives (edge-triggered epoll) */
	struct wait_queue wq;          /* readers, writers and FIFO openers */
	unsigned sleepers;             /* tasks in pipe_sleep: pipe_wake skips an empty wq */
	struct inode *inode;           /* whose inode->pipe this is */
	bool anon;                     /* a pipefs pipe: its inode goes with it */
};

/* A new empty pipe with no ends; NULL if out of memory. */
struct pipe *pipe_new(void);
/* A file for one more end of p (by the access mode in flags), counted in
 * p->readers / p->writers. */
int pipe_open_end(struct pipe *p, unsigned flags, struct file **out);
/* Undoes one reader and/or writer (an end's release, a failed FIFO open):
 * wakes the other side; frees p when no end is left. */
void pipe_drop(struct pipe *p, bool reader, bool writer);
/* Wakes everyone waiting on p and every poller. */
void pipe_wake(struct pipe *p);
/* Sleeps on p's queue (proc_sleep: 0, or -ERESTARTSYS for a signal). The
 * only way onto it: the count of sleepers lets pipe_wake skip the
 * scheduler lock when nobody waits. The count and the conditions slept on
 * are both under the BKL (pipes have no lock of their own), and a
 * sleeper is queued before the BKL is let go, so no wake-up is lost. */
int pipe_sleep(struct pipe *p);

bool file_is_pipe(const struct file *f);
/* read(2) and write(2) of a pipe end from any buffer (splice, sendfile);
 * nonblock: as O_NONBLOCK. */
struct iobuf;
long pipe_read_iob(struct file *f, const struct iobuf *b, size_t len, bool nonblock);
long pipe_write_iob(struct file *f, const struct iobuf *b, size_t len, bool nonblock);
/* Waits for room in the pipe of write end f: the bytes free, -EAGAIN,
 * -ERESTARTSYS, or -EPIPE (with SIGPIPE) if no reader is left. */
long pipe_wait_room(struct file *f, bool nonblock);
/* tee(2): copies up to len bytes from the pipe of read end in to the pipe
 * of write end out, taking nothing from in; waits for data, then for room
 * (each as its nonblock says). Bytes copied, 0 at EOF, or -errno. */
long pipe_tee(struct file *in, struct file *out, size_t len, bool nb_in, bool nb_out);
/* Are two pipe files ends of the same pipe? */
bool pipe_same(const struct file *a, const struct file *b);
/* fcntl F_GETPIPE_SZ / F_SETPIPE_SZ on a pipe file. */
long pipe_get_size(struct file *f);
long pipe_set_size(struct file *f, uint64_t size);

/* pipe_packet.c: packet mode (O_DIRECT writers). Each write of up to
 * PIPE_BUF bytes is a packet; a read takes at most one and drops what of it
 * does not fit. A packet takes a whole page slot, as Linux's: at most
 * size / PIPE_BUF of them are held. */
struct pipe_packet {
	uint64_t start; /* wseq of its first byte */
	size_t len;
};
/* How much a read of len may take now (0 if empty); *packet: it is (the
 * start of) a packet, whose remainder the read must drop. */
size_t pipe_packet_take(const struct pipe *p, size_t len, size_t *packet);
/* Records n bytes just written as a packet; -ENOMEM. */
int pipe_packet_push(struct pipe *p, size_t n);
/* Drops the packet at the head after a read took part or all of it. */
void pipe_packet_pop(struct pipe *p);
/* Is there a slot for one more packet? */
bool pipe_packet_room(const struct pipe *p);
/* Would the packets held fit a pipe of size bytes (else F_SETPIPE_SZ is EBUSY)? */
bool pipe_packet_fits(const struct pipe *p, size_t size);
/* Lays the packet ring out again after p->size changed: 0 or -ENOMEM. */
int pipe_packet_resize(struct pipe *p);
void pipe_packet_free(struct pipe *p);

/* pipe_ring.c: the bytes. Each returns 0 or a negative errno and moves
 * nothing on error. */
int pipe_ring_put(struct pipe *p, const struct iobuf *src, size_t n);
int pipe_ring_get(struct pipe *p, const struct iobuf *dst, size_t n);
/* Copies n bytes from off bytes past the oldest, taking nothing (tee). */
int pipe_ring_peek(struct pipe *p, size_t off, const struct iobuf *dst, size_t n);
/* Drops the n oldest bytes. */
void pipe_ring_skip(struct pipe *p, size_t n);
int pipe_ring_resize(struct pipe *p, size_t size);
void pipe_ring_free(struct pipe *p);

/* pipefs.c: pipe2's two ends, read end first, on one pipefs inode. */
int pipefs_create(unsigned flags, struct file *ends[2]);

#endif
