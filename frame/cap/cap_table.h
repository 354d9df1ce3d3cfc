/* The capability table behind every handle (frame-internal).
 *
 * Handle encoding (64 bits, never a C bitfield):
 *   [11:0] slot   [15:12] kind   [23:16] rights   [39:24] generation   [63:40] tag
 * A handle is valid while its slot is live with the same kind, rights,
 * generation and tag. Revoking or releasing a slot bumps its generation. */
#ifndef FRAME_CAP_TABLE_H
#define FRAME_CAP_TABLE_H

#include <frame/cap.h>

#define CAP_SLOTS 1024
#define HOLDER_FRAME 0
#define HOLDER_NAME_LEN 48

enum cap_kind { CAP_KIND_NONE = 0, CAP_KIND_MMIO = 1, CAP_KIND_IRQ = 2, CAP_KIND_DMA = 3 };

struct cap_entry {
	uint8_t kind;
	uint8_t rights;
	uint16_t generation;
	uint32_t tag;         /* 24 bits used */
	int16_t parent;       /* slot derived from, or -1 */
	uint16_t holder;
	union {
		struct {
			paddr_t pa;
			uint64_t size;
			uintptr_t va; /* kernel mapping of pa */
		} mmio;
		struct {
			unsigned source;
		} irq;
		struct {
			paddr_t pa;   /* device address (no IOMMU: physical) */
			uint64_t size;
			uintptr_t va; /* direct-map address of pa */
			int order;    /* pmm block order of a root buffer, -1 if derived */
		} dma;
	};
};

void cap_table_init(uint64_t seed);
/* A new slot for holder; returns its handle value in *raw. */
struct cap_entry *cap_alloc(enum cap_kind kind, unsigned rights, unsigned holder, int parent,
			    uint64_t *raw);
/* Decodes raw: the live entry if kind and every check match, else NULL and
 * *err = -ESTALE (or -EINVAL for a wrong kind). Refusals are logged. */
struct cap_entry *cap_lookup(uint64_t raw, enum cap_kind kind, int *err);
int cap_slot(const struct cap_entry *e);
/* Revokes raw and every entry derived from it; on_revoke runs for each. */
int cap_revoke(uint64_t raw, enum cap_kind kind, void (*on_revoke)(struct cap_entry *));
/* Records a refused use (bad range, missing right) against the holder. */
void cap_refuse(const struct cap_entry *e, const char *what, uint64_t arg);

/* A new zeroed DMA buffer of at least size bytes for holder (cap/dma.c). */
int dma_grant(unsigned holder, uint64_t size, uint64_t *raw);

/* Holders: the services, one per bound device, plus the frame itself. */
unsigned holder_register(const char *name);
const char *holder_name(unsigned holder);

#endif
