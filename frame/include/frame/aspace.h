/* User address spaces: the page tables a user context runs in. The frame
 * keeps the mechanism (pages, protections, copy-on-write copies); which
 * page belongs where is the policy of the service that owns the space
 * (kern/mm), which resolves faults through the fault handler it installs.
 *
 * Invariants:
 *   1. Only user addresses (below USER_TOP) are ever mapped by these calls;
 *      the kernel half is shared with the kernel's own table, read-only to
 *      this API and never user-accessible.
 *   2. Only user pages (page.h) are mapped; every mapped page holds one
 *      reference on its frame, dropped when it is unmapped. Frame memory
 *      (page tables, the kernel heap) is never mapped to users.
 *   3. A private mapping (no ASPACE_SHARED) is writable only while its
 *      frame has no other reference: otherwise it is copy-on-write, and the
 *      first write (aspace_fault) copies it. A shared mapping writes to the
 *      frame itself, whoever else holds it. */
#ifndef FRAME_ASPACE_H
#define FRAME_ASPACE_H

#include <frame/page.h>
#include <frame/types.h>

struct aspace;

enum aspace_prot {
	ASPACE_R = 1,
	ASPACE_W = 2,
	ASPACE_X = 4,
	ASPACE_SHARED = 8, /* writes reach the frame even when it is shared */
};

/* Resolves a fault at va in as (write: a store or AMO), installed by the
 * owner: 0 when the access can be retried, nonzero when it is refused.
 * Called for faults in user mode (through the service) and inside
 * copy_{from,to}_user (from the trap handler: it must not sleep). */
typedef int (*aspace_fault_fn)(void *ctx, uint64_t va, bool write);

struct aspace *aspace_create(void);
void aspace_destroy(struct aspace *as);
/* The handler the trap path uses for faults inside copy_{from,to}_user
 * while as is active (NULL: only copy-on-write is resolved). */
void aspace_set_fault_handler(struct aspace *as, aspace_fault_fn fn, void *ctx);
/* Maps fresh zeroed pages at [va, va + len) (page-aligned) with prot.
 * -EINVAL outside user space, -EEXIST if any page is mapped, -ENOMEM. */
int aspace_map_anon(struct aspace *as, uint64_t va, uint64_t len, unsigned prot) __must_check;
/* As aspace_map_anon, but the pages hold data's data_len bytes at data_va
 * (inside the range) and zeroes elsewhere: each page is written once, not
 * zeroed and then copied over (exec's segments). */
int aspace_map_data(struct aspace *as, uint64_t va, uint64_t len, unsigned prot,
		    uint64_t data_va, const void *data, size_t data_len) __must_check;
/* Maps the user page pg at va (page-aligned) with prot, taking a reference
 * of its own. -EINVAL outside user space or prot without R/W/X, -ESTALE for
 * a bad handle, -EEXIST if va is mapped, -ENOMEM. */
int aspace_map_page(struct aspace *as, uint64_t va, page_t pg, unsigned prot) __must_check;
/* Changes the protection of the mapped pages in [va, va + len); pages not
 * mapped are skipped (they are mapped on demand). prot 0 keeps the page
 * but makes it inaccessible. */
int aspace_protect(struct aspace *as, uint64_t va, uint64_t len, unsigned prot) __must_check;
/* Unmaps the pages in [va, va + len), dropping their references; unmapped
 * pages are skipped. */
int aspace_unmap(struct aspace *as, uint64_t va, uint64_t len) __must_check;
/* Moves the mappings of [from, from + len) to [to, to + len) (page-aligned,
 * not overlapping; the target range must be unmapped: -EEXIST), keeping the
 * pages and their protections. */
int aspace_move(struct aspace *as, uint64_t from, uint64_t to, uint64_t len) __must_check;
/* Writes into pages already mapped in as (need not be the active space). */
int aspace_write(struct aspace *as, uint64_t va, const void *src, size_t len) __must_check;
/* Copies the mappings of [va, va + len) from src into dst (for fork): with
 * shared, the same frames stay writable in both (MAP_SHARED); without, a
 * writable page becomes copy-on-write in both. -ENOMEM. */
int aspace_copy_range(struct aspace *dst, struct aspace *src, uint64_t va, uint64_t len,
		      bool shared) __must_check;
/* The mechanism half of a fault at va: 0 if the page is mapped and allows
 * the access (a copy-on-write page was copied or taken over first),
 * -ENOENT if no page is mapped there, -EFAULT if one is but refuses the
 * access, -ENOMEM if a copy could not be made. */
int aspace_fault(struct aspace *as, uint64_t va, bool write) __must_check;
/* aspace_fault for private anonymous memory: where no page is mapped, a
 * fresh zeroed page with prot (R/W/X) is mapped instead of -ENOENT (one
 * walk for both; -ENOMEM when no page can be had). */
int aspace_fault_anon(struct aspace *as, uint64_t va, bool write, unsigned prot) __must_check;
/* True if a page (accessible or not) is mapped at va. */
bool aspace_mapped(struct aspace *as, uint64_t va);
/* Makes as the current hart's user address space. */
void aspace_activate(struct aspace *as);
/* Pages mapped (for /proc and tests). */
uint64_t aspace_pages(const struct aspace *as);

#endif
