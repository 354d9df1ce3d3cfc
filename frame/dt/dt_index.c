/* The parent of every device-tree node, found in one pass. libfdt keeps no
 * parent links: fdt_parent_offset walks the tree from the root each time,
 * and binding asked it for every reg, every bus level and every path, which
 * was most of the frame's boot. The index is a table of (node, parent) in
 * the order fdt_next_node visits them, which is increasing offsets, so a
 * lookup is a binary search. A tree it cannot take whole (too many nodes,
 * too deep, malformed) gets no index, and every lookup goes to libfdt. */
#include <libfdt.h>
#include <string.h>
#include "dt/dt_util.h"

#define INDEX_MAX 1024
#define INDEX_DEPTH 32

struct index_entry {
	int node, parent;
};

static const void *index_fdt;
static unsigned index_len;
static struct index_entry index_tab[INDEX_MAX];

void dt_index_build(const void *fdt)
{
	int stack[INDEX_DEPTH];
	int depth = 0, node;

	index_fdt = NULL;
	index_len = 0;
	for (node = fdt_next_node(fdt, -1, &depth); node >= 0; node = fdt_next_node(fdt, node, &depth)) {
		if (depth < 1 || depth > INDEX_DEPTH || index_len == INDEX_MAX)
			return;
		stack[depth - 1] = node;
		index_tab[index_len++] = (struct index_entry){
			node, depth > 1 ? stack[depth - 2] : -FDT_ERR_NOTFOUND
		};
	}
	if (node == -FDT_ERR_NOTFOUND && index_len)
		index_fdt = fdt;
}

static const struct index_entry *lookup(const void *fdt, int node)
{
	unsigned lo = 0, hi = index_len;

	if (fdt != index_fdt)
		return NULL;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (index_tab[mid].node == node)
			return &index_tab[mid];
		if (index_tab[mid].node < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int dt_parent(const void *fdt, int node)
{
	const struct index_entry *e = lookup(fdt, node);

	return e ? e->parent : fdt_parent_offset(fdt, node);
}

int dt_get_path(const void *fdt, int node, char *buf, int len)
{
	int chain[INDEX_DEPTH], n = 0, pos = 0;

	if (!lookup(fdt, node))
		return fdt_get_path(fdt, node, buf, len);
	for (int at = node; at >= 0 && n < INDEX_DEPTH; at = dt_parent(fdt, at))
		chain[n++] = at;
	if (len < 2)
		return -FDT_ERR_NOSPACE;
	buf[pos++] = '/';
	/* chain[n - 1] is the root, whose name is empty. */
	for (int i = n - 2; i >= 0; i--) {
		int nlen;
		const char *name = fdt_get_name(fdt, chain[i], &nlen);
		if (!name)
			return nlen;
		if (pos + nlen + (i ? 1 : 0) >= len)
			return -FDT_ERR_NOSPACE;
		memcpy(buf + pos, name, (size_t)nlen);
		pos += nlen;
		if (i)
			buf[pos++] = '/';
	}
	buf[pos] = '\0';
	return 0;
}
