/* User address spaces: the page tables a user context runs in.
 *
 * Invariants:
 *   1. Only user addresses (below USER_TOP) are ever mapped by these calls;
 *      the kernel half is shared with the kernel's own table, read-only to
 *      this API and never user-accessible.
 *   2. Every mapped page holds one reference on its frame; a frame shared by
 *      several spaces (after aspace_fork) is never writable in any of them:
 *      the first write copies it (copy-on-write). Frames are freed with the
 *      last reference.
 *   3. Frame memory (page tables, the kernel heap) is never mapped to users. */
#ifndef FRAME_ASPACE_H
#define FRAME_ASPACE_H

#include <frame/types.h>

struct aspace;

enum aspace_prot { ASPACE_R = 1, ASPACE_W = 2, ASPACE_X = 4 };

struct aspace *aspace_create(void);
void aspace_destroy(struct aspace *as);
/* Maps fresh zeroed pages at [va, va + len) (page-aligned) with prot.
 * -EINVAL outside user space, -EEXIST if any page is mapped, -ENOMEM. */
int aspace_map_anon(struct aspace *as, uint64_t va, uint64_t len, unsigned prot) __must_check;
/* Changes the protection of mapped pages in [va, va + len); -ENOMEM if any
 * page in the range is unmapped (nothing is changed then). */
int aspace_protect(struct aspace *as, uint64_t va, uint64_t len, unsigned prot) __must_check;
/* Unmaps and frees the pages in [va, va + len); unmapped pages are skipped. */
int aspace_unmap(struct aspace *as, uint64_t va, uint64_t len) __must_check;
/* Writes into pages already mapped in as (need not be the active space). */
int aspace_write(struct aspace *as, uint64_t va, const void *src, size_t len) __must_check;
/* A copy of parent for fork: every page is shared copy-on-write. */
struct aspace *aspace_fork(struct aspace *parent);
/* Resolves a fault at va if the mapping allows it (today: a write to a
 * copy-on-write page). 0 if resolved (retry the access), -EFAULT if not. */
int aspace_fault(struct aspace *as, uint64_t va, bool write) __must_check;
/* Makes as the current hart's user address space. */
void aspace_activate(struct aspace *as);
/* Pages mapped (for /proc and tests). */
uint64_t aspace_pages(const struct aspace *as);

#endif
