/* Small device-tree helpers on top of libfdt, shared by the frame's parsers
 * and device binding. Host-testable. */
#ifndef FRAME_DT_UTIL_H
#define FRAME_DT_UTIL_H

#include <frame/types.h>

/* Reads a big-endian number of 'cells' 32-bit cells (1 or 2). */
uint64_t dt_read_cells(const void *cells, int count);

/* The index-th (address, size) pair of node's `reg`, in the node's parent's
 * cell sizes, translated through the `ranges` of every ancestor bus to a
 * CPU physical address. Returns 0, -ENOENT (no such entry) or -EINVAL. */
int dt_reg(const void *fdt, int node, unsigned index, uint64_t *base, uint64_t *size);

/* The same entry as the parent's cells give it, untranslated (cpu ids). */
int dt_reg_raw(const void *fdt, int node, unsigned index, uint64_t *base, uint64_t *size);

/* True if node has no `status` or it is "okay"/"ok". */
bool dt_node_enabled(const void *fdt, int node);

/* A u32 property; -ENOENT if absent, -EINVAL if not exactly 4 bytes. */
int dt_prop_u32(const void *fdt, int node, const char *name, uint32_t *out);

/* The parent index (dt_index.c): built once from the boot tree; then
 * dt_parent and dt_get_path answer from it, and for another tree (or one
 * the index could not take) as fdt_parent_offset and fdt_get_path do. */
void dt_index_build(const void *fdt);
int dt_parent(const void *fdt, int node);
int dt_get_path(const void *fdt, int node, char *buf, int len);

/* The node's interrupt parent phandle (interrupt-parent, searching up). */
int dt_interrupt_parent(const void *fdt, int node, uint32_t *phandle);

/* True if the structure block's tags walk to FDT_END inside it. Call it
 * before fdt_check_full (or any libfdt walk) on a tree nobody checked:
 * libfdt's own walk can loop for ever on a wrapping property length. */
bool dt_struct_walk_ends(const void *fdt);

#endif
