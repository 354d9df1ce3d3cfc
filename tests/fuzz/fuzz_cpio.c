/* libFuzzer target: the initramfs reader (kern/fs/cpio.c) and unpacker
 * (kern/fs/initramfs_unpack.c) on arbitrary bytes.
 *
 * First cpio_next alone, against its contract (cpio.h): 1 with an entry
 * whose name and body lie inside the archive and an offset that moved
 * forward, 0 at a trailer or the end, -EINVAL with the offset unchanged.
 * Then the whole unpack into a tmpfs root, which is read back and emptied
 * again for the next input. */
#include <stdlib.h>
#include <string.h>

#include <frame/errno.h>
#include "fs/cpio.h"
#include "fs/initramfs_unpack.h"
#include "fs/path.h"
#include "fuzz_tree.h"
#include "test_vfs_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool inside(const uint8_t *a, size_t size, const void *p, size_t n)
{
	const uint8_t *b = p;

	return b >= a && (size_t)(b - a) <= size && n <= size - (size_t)(b - a);
}

static void check_entries(const uint8_t *a, size_t size)
{
	size_t off = 0;

	while (off < size) {
		struct cpio_entry e;
		size_t before = off;
		int r;

		while ((r = cpio_next(a, size, &off, &e)) > 0) {
			if (off <= before || off > size || !inside(a, size, e.name, e.namelen + 1) ||
			    e.name[e.namelen] != '\0' || !inside(a, size, e.data, e.size))
				abort();
			before = off;
		}
		if (r < 0) {
			if (r != -EINVAL || off != before)
				abort();
			return;
		}
		if (off > size || (off <= before && off < size))
			abort(); /* the unpacker's loop would spin on this offset */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct super *root;
	uint8_t *a = malloc(size ? size : 1); /* exact size: ASan sees one byte past */

	if (!root)
		root = env_setup();
	memcpy(a, data, size);
	check_entries(a, size);
	initramfs_unpack(a, size);
	fuzz_walk(root->root, 0);
	fuzz_empty(root->root);
	free(a);
	return 0;
}
