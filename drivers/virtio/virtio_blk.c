/* virtio-blk (virtio 1.x section 5.2): a disk offered to kern through
 * kern/blockdev.h. Requests are a chain header / data / status; up to
 * BLK_DEPTH are in flight at once and complete in the interrupt handler.
 * Data moves through a DMA bounce buffer per request (the device never sees
 * the caller's memory); headers and status bytes live in one DMA buffer,
 * a fixed slot per in-flight request. A slot keeps its bounce buffer for
 * the next request that fits (KEEP_TOTAL bytes over all slots, taken by
 * the request it fits best): a fresh one is zeroed pages, and a sequential
 * read would take and free one per request. It only ever held this device's data. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/spinlock.h>
#include <kern/blockdev.h>
#include "virtio_mmio.h"

#define VIRTIO_BLK_F_SIZE_MAX 1
#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_FLUSH 9
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_S_OK 0
#define CONFIG_CAPACITY 0
#define CONFIG_SIZE_MAX 8
#define SECTOR 512u
#define BLK_DEPTH 16
#define SLOT_SIZE 32u              /* header (16) + status (1), padded */
#define STATUS_OFF 16u
#define MAX_BYTES (4u << 20)       /* largest DMA buffer the frame gives */
#define KEEP_TOTAL (1u << 20)      /* bounce buffers kept: two of the block cache's largest requests */

struct blk_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

struct blk_slot {
	struct block_request *req; /* NULL: free */
	dma_t data;
	uint64_t size;  /* bytes of data (0: none) */
	bool kept;      /* data stays after the request, counted in kept_bytes */
	bool has_data;  /* the request moves data (not a flush) */
};

struct vblk {
	struct virtio_dev *vd;
	struct virtq q;
	dma_t hdrs; /* BLK_DEPTH slots of SLOT_SIZE */
	uint32_t size_max; /* largest data segment the device takes */
	struct blk_slot slots[BLK_DEPTH];
	struct blockdev bd;
	spinlock_t lock; /* protects q and slots; taken in the interrupt handler */
	uint64_t completed, errors;
	uint64_t kept_bytes;
};

static uint32_t req_type(enum block_op op)
{
	return op == BLOCK_READ ? VIRTIO_BLK_T_IN : op == BLOCK_WRITE ? VIRTIO_BLK_T_OUT
								: VIRTIO_BLK_T_FLUSH;
}

/* Decode: everything about the request is checked before anything is queued. */
static int check_request(struct vblk *b, const struct block_request *req)
{
	uint64_t bytes = (uint64_t)req->count * SECTOR;

	if (req->op == BLOCK_FLUSH)
		return 0;
	if (req->op != BLOCK_READ && req->op != BLOCK_WRITE)
		return -EINVAL;
	if (req->segs ? (uint64_t)req->nsegs * req->seg_bytes != bytes : !req->buf)
		return -EINVAL;
	if (req->count == 0 || req->sector >= b->bd.sectors ||
	    b->bd.sectors - req->sector < req->count)
		return -EINVAL;
	if (bytes > MAX_BYTES || bytes > b->size_max)
		return -EINVAL;
	if (req->op == BLOCK_WRITE && b->bd.read_only)
		return -EROFS;
	return 0;
}

/* A free slot for a request of bytes: the one whose kept buffer fits it
 * most closely, else one with the smallest buffer (which goes); -1 when
 * all are busy. A reader with two windows in flight then takes the kept
 * buffers in turn instead of trading one for a fresh zeroed one. */
static int free_slot(struct vblk *b, uint64_t bytes)
{
	int fit = -1, small = -1;

	for (int i = 0; i < BLK_DEPTH; i++) {
		uint64_t size = b->slots[i].size;

		if (b->slots[i].req)
			continue;
		if (size >= bytes && (fit < 0 || size < b->slots[fit].size))
			fit = i;
		if (small < 0 || size < b->slots[small].size)
			small = i;
	}
	return fit >= 0 ? fit : small;
}

static void drop_buffer(struct vblk *b, struct blk_slot *s)
{
	if (!s->size)
		return;
	(void)dma_revoke(s->data);
	if (s->kept)
		b->kept_bytes -= s->size;
	s->size = 0;
	s->kept = false;
}

/* A bounce buffer of at least bytes in slot s: the kept one if it fits. */
static int slot_buffer(struct vblk *b, struct blk_slot *s, uint64_t bytes)
{
	int err;

	if (s->size >= bytes)
		return 0;
	drop_buffer(b, s);
	if ((err = device_dma(b->vd->dev, bytes, &s->data)))
		return err;
	s->size = bytes;
	return 0;
}

/* The request is over: its buffer stays for the next while the total
 * allows, else goes. */
static void release_buffer(struct vblk *b, struct blk_slot *s)
{
	if (!s->size || s->kept)
		return;
	if (b->kept_bytes + s->size > KEEP_TOTAL) {
		drop_buffer(b, s);
		return;
	}
	s->kept = true;
	b->kept_bytes += s->size;
}

/* Copies req's data into the bounce buffer d (a write) or out of it (a
 * read), piece by piece. */
static int copy_data(const struct block_request *req, dma_t d, bool in)
{
	uint64_t off = 0;
	int err = 0;

	for (uint32_t i = 0; i < block_req_pieces(req) && !err; i++) {
		size_t len;
		void *p = block_req_piece(req, i, &len, SECTOR);

		err = in ? dma_copy_in(d, off, p, len) : dma_copy_out(d, off, p, len);
		off += len;
	}
	return err;
}

/* Fills slot i's header and (for a write) its bounce buffer; the chain
 * for the queue goes to bufs, its length is returned. */
static int prepare(struct vblk *b, int i, struct block_request *req, struct virtq_buf *bufs)
{
	struct blk_slot *s = &b->slots[i];
	struct blk_hdr h = { req_type(req->op), 0, req->op == BLOCK_FLUSH ? 0 : req->sector };
	uint64_t off = (uint64_t)i * SLOT_SIZE, bytes = (uint64_t)req->count * SECTOR;
	uint8_t status = 0xff; /* stays if the device never writes it */
	unsigned n = 0;
	int err;

	if ((err = dma_copy_in(b->hdrs, off, &h, sizeof(h))) ||
	    (err = dma_copy_in(b->hdrs, off + STATUS_OFF, &status, 1)) ||
	    (err = dma_device_addr(b->hdrs, off, &bufs[n].addr)))
		return err;
	bufs[n++] = (struct virtq_buf){ bufs[0].addr, sizeof(h), false };
	s->has_data = false;
	if (req->op != BLOCK_FLUSH) {
		if ((err = slot_buffer(b, s, bytes)))
			return err;
		if ((req->op == BLOCK_WRITE && (err = copy_data(req, s->data, true))) ||
		    (err = dma_device_addr(s->data, 0, &bufs[n].addr))) {
			drop_buffer(b, s);
			return err;
		}
		s->has_data = true;
		bufs[n].len = (uint32_t)bytes;
		bufs[n++].device_writes = req->op == BLOCK_READ;
	}
	if ((err = dma_device_addr(b->hdrs, off + STATUS_OFF, &bufs[n].addr))) {
		release_buffer(b, s);
		return err;
	}
	bufs[n].len = 1;
	bufs[n++].device_writes = true;
	return (int)n;
}

static int blk_submit(struct blockdev *bd, struct block_request *req)
{
	struct vblk *b = bd->driver_data;
	struct virtq_buf bufs[3];
	unsigned long flags;
	int err = check_request(b, req), i, n;

	if (err)
		return err;
	if (req->op == BLOCK_FLUSH && !virtio_has(b->vd, VIRTIO_BLK_F_FLUSH)) {
		req->done(req, 0); /* no flush feature: the device writes through */
		return 0;
	}
	flags = spin_lock_irqsave(&b->lock);
	if ((i = free_slot(b, (uint64_t)req->count * SECTOR)) < 0) {
		spin_unlock_irqrestore(&b->lock, flags);
		return -EAGAIN;
	}
	if ((n = prepare(b, i, req, bufs)) < 0) {
		spin_unlock_irqrestore(&b->lock, flags);
		return n;
	}
	if ((err = virtq_add(&b->q, bufs, (unsigned)n, &b->slots[i]))) {
		release_buffer(b, &b->slots[i]);
		spin_unlock_irqrestore(&b->lock, flags);
		return err;
	}
	b->slots[i].req = req;
	virtio_notify(b->vd, &b->q);
	spin_unlock_irqrestore(&b->lock, flags);
	return 0;
}

static const struct blockdev_ops vblk_ops = { .submit = blk_submit };

/* Finishes slot s: status, read data back, bounce buffer released. The
 * caller calls done outside the lock (done may submit again). */
static int finish(struct vblk *b, struct blk_slot *s)
{
	int i = (int)(s - b->slots), err = 0;
	struct block_request *req = s->req;
	uint8_t status = 0xff;

	if (dma_copy_out(b->hdrs, (uint64_t)i * SLOT_SIZE + STATUS_OFF, &status, 1) ||
	    status != VIRTIO_BLK_S_OK)
		err = -EIO;
	if (!err && req->op == BLOCK_READ && copy_data(req, s->data, false))
		err = -EIO;
	release_buffer(b, s);
	s->req = NULL;
	b->completed++;
	if (err) {
		b->errors++;
		pr_warn("virtio-blk %s: request at sector %lu failed (status %u)\n", b->bd.name,
			req->sector, status);
	}
	return err;
}

static void blk_on_used(struct virtio_dev *vd)
{
	struct vblk *b = vd->priv;

	for (;;) {
		struct block_request *req;
		struct blk_slot *s;
		uint32_t len;
		int err;
		unsigned long flags = spin_lock_irqsave(&b->lock);

		if (!(s = virtq_get_used(&b->q, &len))) {
			spin_unlock_irqrestore(&b->lock, flags);
			return;
		}
		req = s->req;
		err = finish(b, s);
		spin_unlock_irqrestore(&b->lock, flags);
		req->done(req, err);
	}
}

static int vblk_setup(struct vblk *b)
{
	struct virtio_dev *vd = b->vd;
	uint64_t wanted = 1ULL << VIRTIO_BLK_F_RO | 1ULL << VIRTIO_BLK_F_FLUSH |
			  1ULL << VIRTIO_BLK_F_SIZE_MAX | 1ULL << VIRTIO_BLK_F_SEG_MAX;
	int err;

	if ((err = virtio_negotiate(vd, wanted)))
		return err;
	b->size_max = virtio_has(vd, VIRTIO_BLK_F_SIZE_MAX) ? virtio_config32(vd, CONFIG_SIZE_MAX)
							    : MAX_BYTES;
	if (b->size_max < SECTOR)
		b->size_max = SECTOR; /* a bogus limit must still allow one sector */
	if ((err = virtio_queue_setup(vd, &b->q, 0, BLK_DEPTH * 4)))
		return err;
	if ((err = device_dma(vd->dev, BLK_DEPTH * SLOT_SIZE, &b->hdrs)))
		return err;
	vd->priv = b;
	vd->on_used = blk_on_used;
	return virtio_ready(vd);
}

static int vblk_probe(struct virtio_dev *vd)
{
	struct vblk *b = kzalloc(sizeof(*b));
	int err;

	if (!b)
		return -ENOMEM;
	b->vd = vd;
	b->lock = (spinlock_t)SPINLOCK_INIT("virtio-blk");
	if ((err = vblk_setup(b))) {
		if (!vd->irq_live) /* else the handler may still look at it */
			kfree(b);
		return err;
	}
	b->bd = (struct blockdev){
		.name = blockdev_next_name("vd"),
		.sectors = virtio_config64(vd, CONFIG_CAPACITY),
		.sector_size = SECTOR,
		.read_only = virtio_has(vd, VIRTIO_BLK_F_RO),
		.ops = &vblk_ops,
		.driver_data = b,
	};
	pr_info("virtio-blk: %s: %lu sectors%s%s, queue %u\n", b->bd.name ? b->bd.name : "?",
		b->bd.sectors, b->bd.read_only ? ", read-only" : "",
		virtio_has(vd, VIRTIO_BLK_F_FLUSH) ? ", flush" : "", b->q.num);
	return b->bd.name ? blockdev_register(&b->bd) : -ENOSPC;
}

const struct virtio_driver virtio_blk_driver = {
	.device_id = VIRTIO_ID_BLOCK,
	.name = "virtio-blk",
	.probe = vblk_probe,
};
