/* libFuzzer target: the ELF checker (kern/exec/elf.c) on arbitrary bytes.
 *
 * elf_parse reads only the buffer it is given, whatever the contents; what
 * it accepts must be safe for exec to map: every segment's file bytes inside
 * the file, page-aligned spans that do not overlap, ascending, inside user
 * space (ET_EXEC) or a span that fits it (ET_DYN), the entry inside an
 * executable segment, a PT_INTERP path inside the file and NUL-terminated.
 * A violated promise aborts, which libFuzzer reports as a crash. */
#include <stdlib.h>
#include <string.h>

#include <frame/errno.h>
#include "exec/elf.h"

#define PAGE_MASK (ELF_PAGE_SIZE - 1)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_image(const struct elf_image *im, const uint8_t *f, size_t size)
{
	uint64_t prev_end = 0;

	if (im->nseg == 0 || im->nseg > ELF_MAX_SEGMENTS)
		abort();
	for (unsigned i = 0; i < im->nseg; i++) {
		const struct elf_segment *s = &im->seg[i];
		uint64_t start = s->vaddr & ~PAGE_MASK, end = (s->vaddr + s->memsz + PAGE_MASK) & ~PAGE_MASK;

		if (s->filesz > s->memsz || s->offset > size || s->filesz > size - s->offset)
			abort();
		if (s->vaddr + s->memsz < s->vaddr || end < start || (i > 0 && start < prev_end))
			abort();
		if (!im->is_dyn && end > ELF_USER_LIMIT)
			abort();
		prev_end = end;
	}
	if (im->lowest_vaddr > im->highest_vaddr ||
	    im->highest_vaddr - im->lowest_vaddr > ELF_USER_LIMIT)
		abort();
	if (im->entry < im->lowest_vaddr || im->entry >= im->highest_vaddr)
		abort();
	if (im->has_interp && (im->interp_offset > size || im->interp_size >= size - im->interp_offset ||
			       f[im->interp_offset + im->interp_size] != '\0'))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_image im;
	const char *why = NULL;
	/* An exact-size copy, so ASan catches a read one byte past the file. */
	uint8_t *f = malloc(size ? size : 1);
	int err;

	memcpy(f, data, size);
	err = elf_parse(f, size, &im, &why);
	if (!why || (err ? err != -EINVAL || !why[0] : why[0] != '\0'))
		abort();
	if (!err)
		check_image(&im, f, size);
	free(f);
	return 0;
}
