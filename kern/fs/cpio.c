/* Reading newc cpio archives (see cpio.h). An entry is a 110-byte ASCII
 * header (6-byte magic, 13 fields of 8 hex digits), the NUL-terminated name,
 * zero padding to a multiple of 4, the body, and padding to 4 again. Offsets
 * are size_t from the start of the buffer; each one is checked against what
 * is left of the buffer before it is added, so nothing can overflow. */
#include <frame/errno.h>
#include <string.h>

#include "cpio.h"

#define HDR_SIZE 110
#define MAGIC_LEN 6

enum {
	F_INO,
	F_MODE,
	F_UID,
	F_GID,
	F_NLINK,
	F_MTIME,
	F_FILESIZE,
	F_DEVMAJOR,
	F_DEVMINOR,
	F_RDEVMAJOR,
	F_RDEVMINOR,
	F_NAMESIZE,
	F_CHECK,
	NFIELDS
};

static const char TRAILER[] = "TRAILER!!!";

/* Eight hex digits (either case, nothing else) into *v. */
static bool hex8(const uint8_t *p, uint32_t *v)
{
	uint32_t x = 0;

	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		x = x << 4 | d;
	}
	*v = x;
	return true;
}

/* Padding after off up to a multiple of 4. */
static size_t pad4(size_t off)
{
	return (4 - (off & 3)) & 3;
}

static size_t skip_zeros(const uint8_t *a, size_t size, size_t off)
{
	while (off < size && a[off] == 0)
		off++;
	return off;
}

int cpio_next(const void *archive, size_t size, size_t *offset, struct cpio_entry *out)
{
	const uint8_t *a = archive;
	uint32_t f[NFIELDS];
	size_t off, name, namesize, body, end;
	bool crc;

	if (*offset > size)
		return -EINVAL;
	/* Zero padding may precede an archive (and follow the last one). */
	off = skip_zeros(a, size, *offset);
	if (off == size) {
		*offset = size;
		return 0;
	}
	if (off & 3)
		return -EINVAL; /* an archive resumes at a misaligned offset */
	if (size - off < HDR_SIZE)
		return -EINVAL;
	if (memcmp(a + off, "07070", MAGIC_LEN - 1) != 0 ||
	    (a[off + MAGIC_LEN - 1] != '1' && a[off + MAGIC_LEN - 1] != '2'))
		return -EINVAL; /* also the old binary and odc (070707) formats */
	crc = a[off + MAGIC_LEN - 1] == '2';
	for (int i = 0; i < NFIELDS; i++)
		if (!hex8(a + off + MAGIC_LEN + 8 * i, &f[i]))
			return -EINVAL;

	/* The name: namesize bytes including the NUL, which is its only one. */
	name = off + HDR_SIZE;
	namesize = f[F_NAMESIZE];
	if (namesize == 0 || namesize > size - name)
		return -EINVAL;
	if (strnlen((const char *)a + name, namesize) != namesize - 1)
		return -EINVAL;
	body = name + namesize;
	if (pad4(body) > size - body)
		return -EINVAL;
	body += pad4(body);
	if (f[F_FILESIZE] > size - body)
		return -EINVAL;
	end = body + f[F_FILESIZE];
	if (pad4(end) > size - end)
		return -EINVAL;
	end += pad4(end);

	/* 070702: the check field is the sum of the body's bytes, mod 2^32.
	 * Only regular files carry one (as Linux checks it). */
	if (crc && (f[F_MODE] & CPIO_S_IFMT) == CPIO_S_IFREG) {
		uint32_t sum = 0;

		for (size_t i = body; i < body + f[F_FILESIZE]; i++)
			sum += a[i];
		if (sum != f[F_CHECK])
			return -EINVAL;
	}

	out->name = (const char *)a + name;
	out->namelen = namesize - 1;
	out->ino = f[F_INO];
	out->mode = f[F_MODE];
	out->uid = f[F_UID];
	out->gid = f[F_GID];
	out->nlink = f[F_NLINK];
	out->mtime = f[F_MTIME];
	out->devmajor = f[F_DEVMAJOR];
	out->devminor = f[F_DEVMINOR];
	out->rdevmajor = f[F_RDEVMAJOR];
	out->rdevminor = f[F_RDEVMINOR];
	out->data = a + body;
	out->size = f[F_FILESIZE];

	if (namesize == sizeof(TRAILER) && memcmp(a + name, TRAILER, sizeof(TRAILER)) == 0) {
		*offset = skip_zeros(a, size, end);
		return 0;
	}
	*offset = end;
	return 1;
}
