/* Host tests of cpio_next() (kern/fs/cpio.c). Archives are written here by a
 * small newc writer (and, if the host has GNU cpio, by cpio itself): every
 * file type, names and bodies of every padding, 070702 checksums, trailers,
 * zero padding, concatenated archives; then malformed fields, every
 * truncation and seeded random corruptions, under ASan: 0, 1 or -EINVAL,
 * never a read outside the buffer. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <frame/errno.h>
#include "fs/cpio.h"
#include "rng.h"
#include "test.h"

/* ---- A newc writer ---------------------------------------------------------- */

struct ent {
	const char *name;
	uint32_t ino, mode, uid, gid, nlink, mtime, devmajor, devminor, rdevmajor, rdevminor;
	const void *data;
	size_t size;
};

#define MAX_SPANS 128

struct writer {
	uint8_t *buf;
	size_t len, cap;
	bool upper;     /* hex digits in upper case */
	bool crc;       /* 070702 */
	int bad_check;  /* added to the checksum */
	/* where each entry starts and ends (with padding), and whether it is a trailer */
	size_t start[MAX_SPANS], end[MAX_SPANS];
	bool trailer[MAX_SPANS];
	unsigned n;
};

static void w_bytes(struct writer *w, const void *p, size_t n)
{
	if (w->len + n > w->cap) {
		w->cap = (w->len + n) * 2 + 1024;
		w->buf = realloc(w->buf, w->cap);
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void w_zeros(struct writer *w, size_t n)
{
	while (n--)
		w_bytes(w, "", 1);
}

static void w_pad(struct writer *w)
{
	w_zeros(w, (4 - (w->len & 3)) & 3);
}

static uint32_t sum(const void *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i < n; i++)
		s += ((const uint8_t *)p)[i];
	return s;
}

static void w_entry(struct writer *w, const struct ent *e)
{
	char hdr[111];
	size_t namesize = strlen(e->name) + 1;
	uint32_t check = 0;

	if (w->crc && (e->mode & 0170000) == 0100000)
		check = sum(e->data, e->size) + (uint32_t)w->bad_check;
	snprintf(hdr, sizeof(hdr),
		 w->upper ? "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X"
			  : "%s%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		 w->crc ? "070702" : "070701", e->ino, e->mode, e->uid, e->gid, e->nlink, e->mtime,
		 (uint32_t)e->size, e->devmajor, e->devminor, e->rdevmajor, e->rdevminor,
		 (uint32_t)namesize, check);
	if (w->n < MAX_SPANS)
		w->start[w->n] = w->len;
	w_bytes(w, hdr, 110);
	w_bytes(w, e->name, namesize);
	w_pad(w);
	if (e->size)
		w_bytes(w, e->data, e->size);
	w_pad(w);
	if (w->n < MAX_SPANS) {
		w->end[w->n] = w->len;
		w->trailer[w->n] = strcmp(e->name, "TRAILER!!!") == 0;
		w->n++;
	}
}

static void w_trailer(struct writer *w)
{
	struct ent t = { .name = "TRAILER!!!", .nlink = 1 };

	w_entry(w, &t);
}

/* An exact-size copy of the archive, so ASan sees any read past its end. */
static uint8_t *exact(const struct writer *w)
{
	uint8_t *b = malloc(w->len ? w->len : 1);

	memcpy(b, w->buf, w->len);
	return b;
}

/* ---- Reading back ------------------------------------------------------------ */

#define MAX_GOT 128

struct got {
	struct cpio_entry e[MAX_GOT];
	unsigned n;
	unsigned archives; /* 0 returns (trailers and the end) */
	int r;             /* the final result: 0 or negative */
	size_t off;        /* where it ended */
};

/* The unpacker's loop (see cpio.h), collecting every entry; also checks
 * what every call promises. */
static void read_all(const uint8_t *a, size_t size, struct got *g)
{
	size_t off = 0;
	int r = 0;

	memset(g, 0, sizeof(*g));
	while (off < size) {
		size_t before;

		do {
			struct cpio_entry e;

			before = off;
			r = cpio_next(a, size, &off, &e);
			if (r == 1) {
				CHECK_MSG(off > before && off <= size && off % 4 == 0,
					  "offset %zu -> %zu", before, off);
				bool in = e.name >= (const char *)a &&
					  e.namelen < size - (size_t)(e.name - (const char *)a) &&
					  (const uint8_t *)e.data >= a &&
					  e.size <= size - (size_t)((const uint8_t *)e.data - a) &&
					  (const uint8_t *)e.data <= a + off;
				CHECK_MSG(in && e.name[e.namelen] == '\0' &&
						  strlen(e.name) == e.namelen,
					  "entry at %zu outside the buffer", before);
				if (g->n < MAX_GOT)
					g->e[g->n++] = e;
			} else if (r == 0) {
				CHECK_MSG(off > before || off == size, "no progress at %zu", off);
			} else {
				CHECK_MSG(r == -EINVAL, "result %d", r);
				CHECK_MSG(off == before, "offset moved on error");
			}
		} while (r > 0);
		if (r < 0)
			break;
		g->archives++;
	}
	g->r = r;
	g->off = off;
}

static void check_entry(int line, const struct cpio_entry *e, const struct ent *want)
{
	CHECK_MSG(e->namelen == strlen(want->name) && memcmp(e->name, want->name, e->namelen) == 0 &&
			  e->name[e->namelen] == '\0',
		  "line %d: name \"%.*s\", want \"%s\"", line, (int)e->namelen, e->name, want->name);
	CHECK_MSG(e->ino == want->ino && e->mode == want->mode && e->uid == want->uid &&
			  e->gid == want->gid && e->nlink == want->nlink && e->mtime == want->mtime &&
			  e->devmajor == want->devmajor && e->devminor == want->devminor &&
			  e->rdevmajor == want->rdevmajor && e->rdevminor == want->rdevminor,
		  "line %d: %s: fields differ", line, want->name);
	CHECK_MSG(e->size == want->size && (want->size == 0 || memcmp(e->data, want->data, e->size) == 0),
		  "line %d: %s: body differs (%zu bytes, want %zu)", line, want->name, e->size,
		  want->size);
}

/* ---- The archives ------------------------------------------------------------ */

static const char hello[] = "Hello, world\n";
static uint8_t high[300]; /* bytes >= 0x80, so the checksum sums unsigned bytes */

#define NAMES_BASE 9
static struct ent rich[NAMES_BASE + 8 * 4];
static char names[8 * 4][16];
static unsigned nrich;

static void make_rich(void)
{
	static const char pad_body[] = "0123456789abcdef";
	struct ent base[NAMES_BASE] = {
		{ .name = ".", .ino = 1, .mode = 0040755, .nlink = 3, .mtime = 1700000000 },
		{ .name = "bin", .ino = 2, .mode = 0040755, .nlink = 2, .mtime = 1700000001,
		  .devmajor = 8, .devminor = 1 },
		{ .name = "bin/hello", .ino = 3, .mode = 0100755, .uid = 1000, .gid = 1000,
		  .nlink = 1, .mtime = 1700000002, .devmajor = 8, .devminor = 1, .data = hello,
		  .size = sizeof(hello) - 1 },
		{ .name = "empty", .ino = 4, .mode = 0100644, .nlink = 1, .mtime = 0xffffffff },
		{ .name = "link", .ino = 5, .mode = 0120777, .nlink = 1, .data = "bin/hello",
		  .size = 9 },
		/* hard links: newc carries the body on the last name only */
		{ .name = "h1", .ino = 77, .mode = 0100600, .nlink = 2, .mtime = 5 },
		{ .name = "h2", .ino = 77, .mode = 0100600, .nlink = 2, .mtime = 5, .data = high,
		  .size = sizeof(high) },
		{ .name = "dev/null", .ino = 6, .mode = 0020666, .nlink = 1, .rdevmajor = 1,
		  .rdevminor = 3 },
		{ .name = "fifo", .ino = 7, .mode = 0010600, .uid = 0xfffffffe, .gid = 0xfffffffe,
		  .nlink = 1 },
	};

	for (unsigned i = 0; i < sizeof(high); i++)
		high[i] = (uint8_t)(0x80 + i * 7);
	memcpy(rich, base, sizeof(base));
	nrich = NAMES_BASE;
	/* names of 1..8 characters (every name padding) with bodies of
	 * 0..7 bytes (every body padding), in all 32 combinations */
	for (unsigned nl = 1; nl <= 8; nl++)
		for (unsigned k = 0; k < 4; k++) {
			char *nm = names[(nl - 1) * 4 + k];
			struct ent *e = &rich[nrich++];

			for (unsigned c = 0; c < nl; c++)
				nm[c] = (char)('a' + (nl + k + c) % 26);
			nm[nl] = '\0';
			nm[0] = (char)('A' + k);
			*e = (struct ent){ .name = nm, .ino = 100 + nrich, .mode = 0100644, .nlink = 1 };
			e->data = pad_body;
			e->size = (nl + k) % 8;
		}
}

static void write_rich(struct writer *w, bool crc, bool upper)
{
	memset(w, 0, sizeof(*w));
	w->crc = crc;
	w->upper = upper;
	for (unsigned i = 0; i < nrich; i++)
		w_entry(w, &rich[i]);
	w_trailer(w);
	w_zeros(w, 512 - w->len % 512); /* as cpio pads to its block size */
}

static void test_rich(bool crc, bool upper)
{
	struct writer w;
	struct got g;

	write_rich(&w, crc, upper);
	uint8_t *a = exact(&w);
	read_all(a, w.len, &g);
	CHECK_MSG(g.r == 0 && g.off == w.len && g.archives == 1 && g.n == nrich,
		  "crc %d upper %d: r %d off %zu/%zu archives %u entries %u/%u", crc, upper, g.r,
		  g.off, w.len, g.archives, g.n, nrich);
	for (unsigned i = 0; i < g.n && i < nrich; i++) {
		check_entry(__LINE__, &g.e[i], &rich[i]);
		CHECK_EQ(((const uint8_t *)g.e[i].data - a) % 4, 0);
		CHECK_EQ((const uint8_t *)g.e[i].data - a, w.end[i] - ((rich[i].size + 3) & ~3u));
	}

	/* single steps: the trailer leaves the offset at the end, which stays there */
	size_t off = 0;
	struct cpio_entry e;
	unsigned n = 0;
	int r;
	while ((r = cpio_next(a, w.len, &off, &e)) == 1)
		CHECK_EQ(off, w.end[n++]);
	CHECK(r == 0 && off == w.len && n == nrich);
	CHECK(cpio_next(a, w.len, &off, &e) == 0 && off == w.len);
	CHECK(cpio_next(a, w.len, &off, &e) == 0 && off == w.len);
	off = w.len + 1;
	CHECK(cpio_next(a, w.len, &off, &e) == -EINVAL && off == w.len + 1);
	free(a);
	free(w.buf);
}

/* The index of a rich entry by name. */
static unsigned rich_index(const char *name)
{
	for (unsigned i = 0; i < nrich; i++)
		if (strcmp(rich[i].name, name) == 0)
			return i;
	exit(2);
}

static void test_checksums(void)
{
	struct writer w;
	struct got g;
	uint8_t *a;
	unsigned at = rich_index("bin/hello");

	/* a wrong checksum on a regular file stops at that entry */
	memset(&w, 0, sizeof(w));
	w.crc = true;
	for (unsigned i = 0; i < nrich; i++) {
		w.bad_check = i == at ? 1 : 0;
		w_entry(&w, &rich[i]);
	}
	w.bad_check = 0;
	w_trailer(&w);
	a = exact(&w);
	read_all(a, w.len, &g);
	CHECK(g.r == -EINVAL && g.n == at && g.off == w.start[at]);
	free(a);
	free(w.buf);

	/* the high bytes: sum of unsigned bytes, a wrong one refused */
	unsigned h2 = rich_index("h2");
	for (int bad = -1; bad <= 1; bad++) {
		memset(&w, 0, sizeof(w));
		w.crc = true;
		w.bad_check = bad;
		w_entry(&w, &rich[h2]);
		a = exact(&w);
		read_all(a, w.len, &g);
		CHECK(bad ? g.r == -EINVAL && g.n == 0 : g.r == 0 && g.n == 1);
		free(a);
		free(w.buf);
	}

	/* 070701 ignores the check field; 070702 ignores it for non-files */
	memset(&w, 0, sizeof(w));
	w.bad_check = 12345;
	w_entry(&w, &rich[at]);
	w.crc = true;
	w_entry(&w, &rich[rich_index("link")]);
	w_entry(&w, &rich[rich_index("bin")]);
	a = exact(&w);
	/* give the symlink and the dir nonzero check fields */
	memcpy(a + w.start[1] + 6 + 8 * 12, "DEADBEEF", 8);
	memcpy(a + w.start[2] + 6 + 8 * 12, "00000001", 8);
	memcpy(a + w.start[0] + 6 + 8 * 12, "ffffffff", 8);
	read_all(a, w.len, &g);
	CHECK(g.r == 0 && g.n == 3);
	free(a);
	free(w.buf);
}

static void test_concatenated(void)
{
	struct writer w;
	struct got g;
	uint8_t *a;
	struct ent a1 = { .name = "init", .ino = 1, .mode = 0100755, .nlink = 1, .data = hello,
			  .size = 5 };
	struct ent a2 = { .name = "etc", .ino = 2, .mode = 0040755, .nlink = 2 };
	struct ent b1 = { .name = "etc/motd", .ino = 1, .mode = 0100644, .nlink = 1, .data = hello,
			  .size = 13 };

	/* A (padded to 512) + B (unpadded) + C (070702), as an initramfs built
	 * from several pieces */
	memset(&w, 0, sizeof(w));
	w_entry(&w, &a1);
	w_entry(&w, &a2);
	w_trailer(&w);
	w_zeros(&w, 512 - w.len % 512);
	size_t b_start = w.len;
	w_entry(&w, &b1);
	w_trailer(&w);
	w.crc = true;
	w_entry(&w, &b1);
	w_trailer(&w);
	w_zeros(&w, 3); /* ends unaligned */
	a = exact(&w);
	read_all(a, w.len, &g);
	CHECK(g.r == 0 && g.off == w.len && g.archives == 3 && g.n == 4);
	if (g.n == 4) {
		check_entry(__LINE__, &g.e[0], &a1);
		check_entry(__LINE__, &g.e[1], &a2);
		check_entry(__LINE__, &g.e[2], &b1);
		check_entry(__LINE__, &g.e[3], &b1);
	}
	/* the first trailer moves the offset to the next archive */
	size_t off = 0;
	struct cpio_entry e;
	CHECK(cpio_next(a, w.len, &off, &e) == 1 && cpio_next(a, w.len, &off, &e) == 1);
	CHECK(cpio_next(a, w.len, &off, &e) == 0 && off == b_start);
	CHECK(cpio_next(a, w.len, &off, &e) == 1 && off < w.len);
	free(a);
	free(w.buf);

	/* the next archive must start 4-aligned after zero padding */
	for (unsigned z = 0; z < 8; z++) {
		memset(&w, 0, sizeof(w));
		w_entry(&w, &a1);
		w_trailer(&w);
		w_zeros(&w, z);
		w_entry(&w, &b1);
		a = exact(&w);
		read_all(a, w.len, &g);
		CHECK_MSG(z % 4 == 0 ? g.r == 0 && g.n == 2 && g.archives == 2 :
				       g.r == -EINVAL && g.n == 1,
			  "%u zeros: r %d n %u", z, g.r, g.n);
		free(a);
		free(w.buf);
	}

	/* leading zeros, no trailer at all, only zeros, nothing */
	memset(&w, 0, sizeof(w));
	w_zeros(&w, 16);
	w_entry(&w, &a1);
	a = exact(&w);
	read_all(a, w.len, &g);
	CHECK(g.r == 0 && g.n == 1 && g.off == w.len);
	free(a);
	free(w.buf);
	uint8_t *z = calloc(1, 64);
	off = 0;
	CHECK(cpio_next(z, 64, &off, &e) == 0 && off == 64);
	off = 0;
	CHECK(cpio_next(z, 0, &off, &e) == 0 && off == 0);
	off = 3;
	CHECK(cpio_next(z, 64, &off, &e) == 0 && off == 64);
	free(z);
}

/* ---- Malformed entries ------------------------------------------------------- */

/* One "file" entry with body "abc" and a trailer; the header at offset 0. */
static uint8_t *one_entry(size_t *size)
{
	struct writer w;
	struct ent f = { .name = "file", .ino = 9, .mode = 0100644, .nlink = 1, .data = "abc",
			 .size = 3 };

	memset(&w, 0, sizeof(w));
	w_entry(&w, &f);
	w_trailer(&w);
	*size = w.len;
	return w.buf; /* exactly w.len bytes are used; realloc'd below */
}

static int first(const uint8_t *a, size_t size)
{
	struct cpio_entry e;
	size_t off = 0;
	int r = cpio_next(a, size, &off, &e);

	if (r < 0)
		CHECK_MSG(off == 0, "offset moved on error");
	return r;
}

static void set_field(uint8_t *a, unsigned field, uint32_t v)
{
	char d[9];

	snprintf(d, sizeof(d), "%08x", v);
	memcpy(a + 6 + 8 * field, d, 8);
}

/* MALFORMED(statements on uint8_t *a of size n): the first entry is refused */
#define MALFORMED(...)                                                        \
	do {                                                                  \
		size_t n;                                                     \
		uint8_t *w0 = one_entry(&n);                                  \
		uint8_t *a = malloc(n);                                       \
		memcpy(a, w0, n);                                             \
		free(w0);                                                     \
		__VA_ARGS__;                                                  \
		int r_ = first(a, n);                                         \
		CHECK_MSG(r_ == -EINVAL, "line %d: %d, want -EINVAL", __LINE__, r_); \
		free(a);                                                      \
	} while (0)
#define ACCEPTED(...)                                                         \
	do {                                                                  \
		size_t n;                                                     \
		uint8_t *w0 = one_entry(&n);                                  \
		uint8_t *a = malloc(n);                                       \
		memcpy(a, w0, n);                                             \
		free(w0);                                                     \
		__VA_ARGS__;                                                  \
		int r_ = first(a, n);                                         \
		CHECK_MSG(r_ == 1, "line %d: %d, want 1", __LINE__, r_);      \
		free(a);                                                      \
	} while (0)

enum { F_FILESIZE = 6, F_NAMESIZE = 11, F_CHECK = 12 };

static void test_malformed(void)
{
	static const char bad_digits[] = "gGxX -+z\n\t\xff";

	ACCEPTED((void)a);
	/* magic */
	MALFORMED(memcpy(a, "070707", 6)); /* odc, as cpio -H odc writes */
	MALFORMED(memcpy(a, "070703", 6));
	MALFORMED(memcpy(a, "070700", 6));
	MALFORMED(memcpy(a, "170701", 6));
	MALFORMED(a[0] = 0xc7; a[1] = 0x71); /* binary cpio magic 070707 */
	MALFORMED(a[5] = '\0');
	/* every digit of every field */
	unsigned bad = 0, total = 0;
	for (unsigned f = 0; f < 13; f++)
		for (unsigned pos = 0; pos < 8; pos++)
			for (const char *c = bad_digits; *c; c++) {
				size_t n;
				uint8_t *a = one_entry(&n);
				a[6 + 8 * f + pos] = (uint8_t)*c;
				bad += first(a, n) != -EINVAL;
				total++;
				free(a);
			}
	CHECK_MSG(bad == 0, "%u of %u non-hex digits accepted", bad, total);
	ACCEPTED(memcpy(a + 6, "0000000A", 8));
	ACCEPTED(memcpy(a + 6, "0000000a", 8));
	/* namesize */
	MALFORMED(set_field(a, F_NAMESIZE, 0));
	MALFORMED(set_field(a, F_NAMESIZE, 4)); /* "file" without its NUL */
	MALFORMED(set_field(a, F_NAMESIZE, 6)); /* a NUL inside the name */
	MALFORMED(set_field(a, F_NAMESIZE, 0xffffffff));
	MALFORMED(set_field(a, F_NAMESIZE, (uint32_t)(n - 110 + 1)));
	MALFORMED(set_field(a, F_NAMESIZE, 0x80000000));
	MALFORMED(a[110 + 4] = 'X'); /* the NUL overwritten */
	MALFORMED(a[110 + 2] = '\0');
	MALFORMED(a[110] = '\0');
	/* filesize */
	MALFORMED(set_field(a, F_FILESIZE, (uint32_t)(n - 116 + 1)));
	MALFORMED(set_field(a, F_FILESIZE, 0xffffffff));
	MALFORMED(set_field(a, F_FILESIZE, 0x7fffffff));
	MALFORMED(set_field(a, F_FILESIZE, 0xfffffff0));
	ACCEPTED(set_field(a, F_FILESIZE, 0)); /* then "abc" is read as a header... */
	ACCEPTED(set_field(a, F_FILESIZE, (uint32_t)(n - 116))); /* ...or the rest is body */
	/* checksum ignored for 070701 */
	ACCEPTED(set_field(a, F_CHECK, 0xffffffff));
	MALFORMED(memcpy(a, "070702", 6); set_field(a, F_CHECK, 0));
	ACCEPTED(memcpy(a, "070702", 6); set_field(a, F_CHECK, 'a' + 'b' + 'c'));
	/* misaligned or impossible offsets */
	{
		size_t n, off;
		uint8_t *a = one_entry(&n);
		struct cpio_entry e;

		for (off = 1; off < 4; off++) {
			size_t o = off;
			CHECK(cpio_next(a, n, &o, &e) == -EINVAL && o == off);
		}
		off = n + 1;
		CHECK(cpio_next(a, n, &off, &e) == -EINVAL && off == n + 1);
		off = SIZE_MAX;
		CHECK(cpio_next(a, n, &off, &e) == -EINVAL && off == SIZE_MAX);
		free(a);
	}
}

/* ---- Truncations and random corruptions ------------------------------------- */

/* Every length of the archive w wrote: entries wholly inside come back, and
 * the result is clean exactly when the cut falls between entries or in the
 * zero padding after a trailer. */
static void truncations(const struct writer *w, const char *what)
{
	unsigned wrong = 0;

	for (size_t len = 0; len < w->len; len++) {
		uint8_t *a = malloc(len ? len : 1);
		struct got g;
		unsigned want_n = 0;
		bool clean = len == 0;

		memcpy(a, w->buf, len);
		read_all(a, len, &g);
		for (unsigned i = 0; i < w->n; i++) {
			size_t next = i + 1 < w->n ? w->start[i + 1] : w->len;

			if (w->end[i] <= len && !w->trailer[i])
				want_n++;
			if (len == w->end[i] || (w->trailer[i] && len >= w->end[i] && len <= next))
				clean = true;
			/* zero padding before the first archive counts too */
			if (i == 0 && len <= w->start[0])
				clean = true;
		}
		if (g.n != want_n || g.r != (clean ? 0 : -EINVAL)) {
			if (wrong++ < 5)
				CHECK_MSG(0, "%s cut to %zu: r %d, %u entries; want %s, %u", what, len,
					  g.r, g.n, clean ? "0" : "-EINVAL", want_n);
		}
		free(a);
	}
	CHECK_MSG(wrong == 0, "%s: %u of %zu truncations wrong", what, wrong, w->len);
}

static void test_truncations(void)
{
	struct writer w;
	struct ent a1 = { .name = "init", .ino = 1, .mode = 0100755, .nlink = 1, .data = hello,
			  .size = 5 };

	write_rich(&w, false, false);
	truncations(&w, "070701");
	free(w.buf);
	write_rich(&w, true, true);
	truncations(&w, "070702");
	free(w.buf);
	memset(&w, 0, sizeof(w));
	w_entry(&w, &a1);
	w_trailer(&w);
	w_zeros(&w, 24);
	w_entry(&w, &rich[rich_index("bin/hello")]);
	w_trailer(&w);
	truncations(&w, "concatenated");
	free(w.buf);
}

static void test_fuzz(void)
{
	struct writer w;
	unsigned clean = 0, refused = 0, rounds = 4000;
	static const char hex[] = "0123456789abcdefF";

	rng_init("cpio");
	write_rich(&w, true, false);
	uint8_t *a = exact(&w);
	for (unsigned round = 0; round < rounds; round++) {
		unsigned n = 1 + (unsigned)rng_below(4);
		size_t pos[4];
		uint8_t old[4];

		for (unsigned k = 0; k < n; k++) {
			/* mostly into a header's digits, so sizes go wild */
			unsigned ent = (unsigned)rng_below(w.n);
			size_t at = rng_below(3) ? w.start[ent] + 6 + rng_below(104) : rng_below(w.len);

			pos[k] = at;
			old[k] = a[at];
			switch (rng_below(4)) {
			case 0:
				a[at] = (uint8_t)rng();
				break;
			case 1:
				a[at] = '\0';
				break;
			default:
				a[at] = (uint8_t)hex[rng_below(sizeof(hex) - 1)];
				break;
			}
		}
		struct got g;
		read_all(a, w.len, &g);
		CHECK_MSG(g.r == 0 || g.r == -EINVAL, "round %u: %d", round, g.r);
		if (g.r == 0)
			clean++;
		else
			refused++;
		while (n--)
			a[pos[n]] = old[n];
	}
	printf("cpio: fuzz: %u read to the end, %u refused\n", clean, refused);
	CHECK(clean > 100 && refused > 100);
	free(a);
	free(w.buf);

	/* random bytes after a valid magic */
	unsigned ok = 0;
	for (unsigned round = 0; round < 2000; round++) {
		size_t len = rng_below(400);
		uint8_t *b = malloc(len ? len : 1);
		struct got g;

		for (size_t i = 0; i < len; i++)
			b[i] = rng_below(2) ? (uint8_t)hex[rng_below(16)] : (uint8_t)rng();
		if (len >= 6)
			memcpy(b, rng_below(2) ? "070701" : "070702", 6);
		read_all(b, len, &g);
		ok += g.r == 0 || g.r == -EINVAL;
		free(b);
	}
	CHECK_EQ(ok, 2000);
}

/* ---- GNU cpio as an oracle, when the host has it ---------------------------------- */

static void test_gnu_cpio(void)
{
	char dir[] = "/tmp/rivet-cpio-XXXXXX", cmd[1024], path[1200];
	const char *fmts[] = { "newc", "crc" };

	if (system("command -v cpio >/dev/null 2>&1") != 0) {
		printf("cpio: GNU cpio not installed: archives from cpio itself not tested\n");
		return;
	}
	if (!mkdtemp(dir)) {
		CHECK_MSG(0, "mkdtemp");
		return;
	}
	snprintf(cmd, sizeof(cmd),
		 "cd %s && mkdir -p d/sub && printf 'Hello, world\\n' > d/f && : > d/empty && "
		 "head -c 1000 /dev/urandom > d/sub/bin && ln -s f d/sym && ln d/f d/hard && "
		 "mkfifo d/fifo && chmod 750 d/sub",
		 dir);
	CHECK(system(cmd) == 0);
	for (unsigned i = 0; i < 2; i++) {
		snprintf(cmd, sizeof(cmd),
			 "cd %s && find d | LC_ALL=C sort | cpio -o -H %s --quiet > out.%s", dir,
			 fmts[i], fmts[i]);
		CHECK(system(cmd) == 0);
		snprintf(path, sizeof(path), "%s/out.%s", dir, fmts[i]);
		FILE *f = fopen(path, "rb");
		uint8_t *a = malloc(1 << 16);
		size_t size = f ? fread(a, 1, 1 << 16, f) : 0;
		if (f)
			fclose(f);
		a = realloc(a, size ? size : 1);

		struct got g;
		read_all(a, size, &g);
		CHECK_MSG(g.r == 0 && g.off == size && g.archives == 1 && g.n == 8,
			  "cpio -H %s: r %d, %u entries, offset %zu of %zu", fmts[i], g.r, g.n, g.off,
			  size);
		unsigned seen = 0;
		for (unsigned k = 0; k < g.n; k++) {
			const struct cpio_entry *e = &g.e[k];
			struct stat st;

			snprintf(path, sizeof(path), "%s/%s", dir, e->name);
			if (lstat(path, &st) != 0) {
				CHECK_MSG(0, "%s not on disk", e->name);
				continue;
			}
			seen++;
			CHECK_MSG(e->mode == st.st_mode && e->nlink == st.st_nlink &&
					  e->uid == st.st_uid && e->mtime == (uint32_t)st.st_mtime,
				  "%s: mode %o nlink %u", e->name, e->mode, e->nlink);
			if (S_ISLNK(st.st_mode))
				CHECK(e->size == 1 && memcmp(e->data, "f", 1) == 0);
			if (S_ISREG(st.st_mode) && e->size) { /* hard links: one copy has the body */
				FILE *df = fopen(path, "rb");
				uint8_t *body = malloc(e->size + 1);
				size_t got = df ? fread(body, 1, e->size + 1, df) : 0;
				CHECK_MSG(got == e->size && memcmp(body, e->data, got) == 0,
					  "%s: body differs", e->name);
				if (df)
					fclose(df);
				free(body);
			}
		}
		CHECK_EQ(seen, g.n);
		free(a);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}

int main(void)
{
	make_rich();
	test_rich(false, false);
	test_rich(false, true);
	test_rich(true, false);
	test_rich(true, true);
	test_checksums();
	test_concatenated();
	test_malformed();
	test_truncations();
	test_fuzz();
	test_gnu_cpio();
	return test_done("cpio");
}
