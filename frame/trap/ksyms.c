/* Symbol lookup: binary search in the generated, address-sorted table. */
#include "trap/ksyms.h"

struct ksym {
	uint64_t addr;
	uint32_t name; /* offset into ksym_names */
	uint32_t size;
};

/* Provided by the generated ksyms.S (empty in the first link pass). */
extern const struct ksym ksym_table[];
extern const uint64_t ksym_count;
extern const char ksym_names[];
extern char _start[], _etext[];

bool ksym_is_text(uintptr_t addr)
{
	return addr >= (uintptr_t)_start && addr < (uintptr_t)_etext;
}

const char *ksym_lookup(uintptr_t addr, uintptr_t *offset, uintptr_t *size)
{
	uint64_t lo = 0, hi = ksym_count;

	if (!ksym_is_text(addr) || ksym_count == 0)
		return NULL;
	while (hi - lo > 1) { /* last entry with ksym_table[i].addr <= addr */
		uint64_t mid = lo + (hi - lo) / 2;
		if (ksym_table[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (ksym_table[lo].addr > addr)
		return NULL;
	if (ksym_table[lo].size && addr - ksym_table[lo].addr >= ksym_table[lo].size)
		return NULL; /* in a gap: an assembly label without a size */
	*offset = addr - ksym_table[lo].addr;
	*size = ksym_table[lo].size;
	return &ksym_names[ksym_table[lo].name];
}
