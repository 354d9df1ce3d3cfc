/* The guest side of the storage tree tests (tests/storage/tree_spec.py is the
 * host side, the same algorithm in Python):
 *
 *   ext2_tree write ROOT      makes ROOT and writes the tree into it: hundreds
 *                             of files of chosen and random sizes in odd
 *                             chunks, a multi-MiB file, a sparse file, a
 *                             24-level path, a directory of many blocks, then
 *                             renames, links, symlinks, truncations, appends,
 *                             unlinks, owners and times. Exit status 0 when
 *                             every call did what Linux does.
 *   ext2_tree manifest ROOT   prints one line per name under ROOT, sorted:
 *                             type, mode, owner, links, size, CRC-32 of the
 *                             contents or the symlink's target, mtime (exact
 *                             when set explicitly, "now" otherwise), and the
 *                             first name of a hard-linked inode.
 *
 * Everything written derives from a seeded splitmix64, so the host can make
 * the same tree by itself and compare. Keep this file and tree_spec.py in
 * step: storage.tree-linux runs both under Linux (qemu-riscv64) and compares.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SEED 20261202u
#define NDIRS 40
#define NFILES 360
#define NWIDE 200
#define DEPTH 24
#define BIG_SIZE (6 * 1024 * 1024 + 12345)
#define EXPLICIT_TIME_LIMIT 1500000000 /* times below this were set by us */

/* clang-format off */
static const long chosen_sizes[] = {
	0, 1, 2, 100, 511, 512, 513, 1023, 1024, 1025, 2047, 2048, 2049, 3071, 3072,
	3073, 4095, 4096, 4097, 8191, 8192, 8193, 12287, 12288, 12289, 13311, 13312,
	13313, 49151, 49152, 49153, 274431, 274432, 274433, 65536, 100000,
};
/* clang-format on */
#define NCHOSEN (sizeof(chosen_sizes) / sizeof(chosen_sizes[0]))
static const long big_chunks[] = {4093, 65537, 777, 131071, 1, 30011};

static uint64_t rng_state = SEED;

static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* The choices (directories, sizes, chunk lengths): one stream for the run. */
static uint64_t rng(void)
{
	rng_state += 0x9E3779B97F4A7C15ull;
	return mix(rng_state);
}

/* Contents: byte off of stream s, any offset, whatever the chunking. */
static uint8_t stream_byte(uint64_t s, uint64_t off)
{
	uint64_t w = mix(s + ((off >> 3) + 1) * 0x9E3779B97F4A7C15ull);

	return (uint8_t)(w >> (8 * (off & 7)));
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "ext2_tree: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (errno %d %s)\n", errno, strerror(errno));
	va_end(ap);
	exit(1);
}

static char root_path[256];

static const char *at(const char *fmt, ...)
{
	static char bufs[4][4096];
	static int next;
	char *b = bufs[next++ & 3];
	int n = snprintf(b, 4096, "%s/", root_path);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b + n, 4096 - n, fmt, ap);
	va_end(ap);
	return b;
}

static void must(int ret, const char *what, const char *path)
{
	if (ret < 0)
		die("%s %s", what, path);
}

static void write_stream(int fd, uint64_t s, uint64_t off, long len, const char *path)
{
	static uint8_t buf[1 << 17];

	while (len > 0) {
		long n = len < (long)sizeof(buf) ? len : (long)sizeof(buf);

		for (long i = 0; i < n; i++)
			buf[i] = stream_byte(s, off + i);
		if (pwrite(fd, buf, n, off) != n)
			die("pwrite %s", path);
		off += n, len -= n;
	}
}

/* A file of stream s written from offset 0 by plain write(2)s, in chunks of
 * the given lengths in turn, or (nchunks 0) of random lengths up to 3000. */
static void write_file_chunks(const char *path, uint64_t s, long size, const long *chunks,
			      int nchunks)
{
	static uint8_t buf[1 << 17];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	long off = 0;

	must(fd, "create", path);
	for (int k = 0; off < size; k++) {
		long n = nchunks ? chunks[k % nchunks] : (long)(1 + rng() % 3000);

		if (n > size - off)
			n = size - off;
		for (long i = 0; i < n; i++)
			buf[i] = stream_byte(s, off + i);
		if (write(fd, buf, n) != n)
			die("write %s", path);
		off += n;
	}
	must(close(fd), "close", path);
}

static void put_file(const char *path, uint64_t s, long size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);

	must(fd, "create", path);
	write_stream(fd, s, 0, size, path);
	must(close(fd), "close", path);
}

static void append(const char *path, uint64_t s, long len)
{
	int fd = open(path, O_WRONLY | O_APPEND);
	static uint8_t buf[8192];

	must(fd, "open O_APPEND", path);
	for (long i = 0; i < len; i++)
		buf[i] = stream_byte(s, i);
	if (write(fd, buf, len) != len)
		die("append %s", path);
	must(close(fd), "close", path);
}

static void set_times(const char *path, long t)
{
	struct timespec ts[2] = {{.tv_sec = t - 1000}, {.tv_sec = t}};

	must(utimensat(AT_FDCWD, path, ts, 0), "utimensat", path);
}

static void expect_errno(int ret, int err, const char *what, const char *path)
{
	if (ret != -1 || errno != err)
		die("%s %s: want errno %d, got %d", what, path, err, ret == -1 ? errno : 0);
}

/* The tree's directories: d0..d7, each with s0..s3. */
static char dirs[NDIRS][16];
static char deep[DEPTH + 1][256]; /* deep, deep/l01, ... deep/l01/.../l24 */

static struct file_info {
	char path[64]; /* relative to the root, as created */
	int dir;
	long size;
} files[NFILES];

static void make_dirs(void)
{
	must(mkdir(root_path, 0755), "mkdir", root_path);
	for (int a = 0; a < 8; a++) {
		must(mkdir(at("d%d", a), 0755), "mkdir", "d");
		for (int b = 0; b < 4; b++) {
			snprintf(dirs[a * 4 + b], sizeof(dirs[0]), "d%d/s%d", a, b);
			must(mkdir(at("%s", dirs[a * 4 + b]), 0755), "mkdir", dirs[a * 4 + b]);
		}
	}
	/* dirs[32..39]: the d directories themselves hold files too */
	for (int a = 0; a < 8; a++)
		snprintf(dirs[32 + a], sizeof(dirs[0]), "d%d", a);
	snprintf(deep[0], sizeof(deep[0]), "deep");
	must(mkdir(at("deep"), 0755), "mkdir", "deep");
	for (int l = 1; l <= DEPTH; l++) {
		snprintf(deep[l], sizeof(deep[0]), "%s/l%02d", deep[l - 1], l);
		must(mkdir(at("%s", deep[l]), 0755), "mkdir", deep[l]);
	}
	for (const char *d = "wide\0gone\0full\0d7/empty\0"; *d; d += strlen(d) + 1)
		must(mkdir(at("%s", d), 0755), "mkdir", d);
}

static void make_files(void)
{
	for (int i = 0; i < NFILES; i++) {
		struct file_info *f = &files[i];

		f->dir = (int)(rng() % NDIRS);
		f->size = i < (int)NCHOSEN ? chosen_sizes[i] : (long)(rng() % 24000);
		snprintf(f->path, sizeof(f->path), "%s/f%03d", dirs[f->dir], i);
		write_file_chunks(at("%s", f->path), 1000 + i, f->size, NULL, 0);
	}
	for (int j = 0; j < NWIDE; j++)
		put_file(at("wide/entry-with-a-rather-long-name-to-fill-blocks-%03d", j), 5000 + j,
			 (j * 37) % 300);
	put_file(at("%s/bottom", deep[DEPTH]), 6000, 5000);
	must(symlink("../../../../x", at("%s/up", deep[12])), "symlink", "up");
	put_file(at("gone/a"), 6001, 10);
	put_file(at("gone/b"), 6002, 2000);
	put_file(at("full/keep"), 6003, 3);
}

static void make_big_and_sparse(void)
{
	const char *big = at("big.bin"), *sparse = at("sparse.bin");
	int fd;

	write_file_chunks(big, 7000, BIG_SIZE, big_chunks, 6);
	fd = open(big, O_WRONLY);
	must(fd, "open", big);
	must(fsync(fd), "fsync", big);
	must(ftruncate(fd, 5 * 1024 * 1024 + 3), "ftruncate", big);
	must(close(fd), "close", big);
	append(big, 7001, 4097);

	fd = open(sparse, O_WRONLY | O_CREAT | O_EXCL, 0644);
	must(fd, "create", sparse);
	write_stream(fd, 8000, 0, 100, sparse);
	write_stream(fd, 8000, 3 * 1024 * 1024 + 7, 5000, sparse);
	/* past 64 MiB + 268 KiB: a triple-indirect block with 1 KiB blocks */
	write_stream(fd, 8000, 66 * 1024 * 1024 + 5, 3, sparse);
	must(close(fd), "close", sparse);
}

static const char *fpath(int i)
{
	return at("%s", files[i].path);
}

static const char *sibling(int i, const char *fmt)
{
	char name[32];

	snprintf(name, sizeof(name), fmt, i);
	return at("%s/%s", dirs[files[i].dir], name);
}

static const char *elsewhere(int i, int shift, const char *fmt)
{
	char name[32];

	snprintf(name, sizeof(name), fmt, i);
	return at("%s/%s", dirs[(files[i].dir + shift) % NDIRS], name);
}

static void slow_target(int i, char *out)
{
	int len = 60 + (i * 37) % 900;

	for (int j = 0; j < len; j++)
		out[j] = (char)('a' + (j * 7 + i + j / 26) % 26);
	out[len] = 0;
}

/* One operation per file, by its index mod 20 (tree_spec.py: file_op). */
static void file_op(int i)
{
	struct file_info *f = &files[i];
	char target[1024];
	int fd;

	switch (i % 20) {
	case 0:
		must(unlink(fpath(i)), "unlink", f->path);
		break;
	case 1:
		must(truncate(fpath(i), f->size / 2), "truncate", f->path);
		break;
	case 2:
		fd = open(fpath(i), O_WRONLY | O_TRUNC);
		must(fd, "open O_TRUNC", f->path);
		write_stream(fd, 20000 + i, 0, 777, f->path);
		must(close(fd), "close", f->path);
		break;
	case 3:
		append(fpath(i), 30000 + i, 1500);
		break;
	case 4:
		must(rename(fpath(i), sibling(i, "r%03d")), "rename", f->path);
		break;
	case 5:
		must(rename(fpath(i), elsewhere(i, 7, "m%03d")), "rename across", f->path);
		break;
	case 6:
		must(rename(fpath(i), fpath(i + 1)), "rename over", f->path);
		break;
	case 8:
		must(link(fpath(i), elsewhere(i, 3, "h%03d")), "link", f->path);
		must(link(fpath(i), sibling(i, "h%03db")), "link", f->path);
		break;
	case 9:
		must(link(fpath(i), elsewhere(i, 11, "k%03d")), "link", f->path);
		must(unlink(fpath(i)), "unlink", f->path);
		break;
	case 10: /* both names of one inode: rename does nothing (POSIX) */
		must(link(fpath(i), sibling(i, "same%03d")), "link", f->path);
		must(rename(fpath(i), sibling(i, "same%03d")), "rename onto itself", f->path);
		break;
	case 11:
		must(chmod(fpath(i), 0600), "chmod", f->path);
		break;
	case 12:
		snprintf(target, sizeof(target), "f%03d", i);
		must(symlink(target, sibling(i, "sl%03d")), "symlink", f->path);
		break;
	case 13:
		slow_target(i, target);
		must(symlink(target, sibling(i, "long%03d")), "slow symlink", f->path);
		break;
	case 14:
		must(truncate(fpath(i), f->size + 5000), "truncate up", f->path);
		break;
	case 15:
		fd = open(fpath(i), O_WRONLY);
		must(fd, "open", f->path);
		write_stream(fd, 40000 + i, f->size / 3, 100, f->path);
		must(close(fd), "close", f->path);
		break;
	case 16: /* over a file with a second name: that name keeps the inode */
		must(link(fpath(i + 1), sibling(i + 1, "x%03d")), "link", f->path);
		must(rename(fpath(i), fpath(i + 1)), "rename over linked", f->path);
		break;
	case 18:
		must(chown(fpath(i), 1000 + i, 2000 + i), "chown", f->path);
		must(chmod(fpath(i), 0640), "chmod", f->path);
		set_times(fpath(i), 1000000000 + i);
		break;
	case 19:
		if (i % 40 == 19) {
			fd = open(fpath(i), O_RDONLY);
			must(fd, "open", f->path);
			must(fsync(fd), "fsync", f->path);
			must(close(fd), "close", f->path);
		}
		break;
	default:
		break; /* 7 and 17: the victims of 6 and 16 */
	}
}

static void wide_ops(void)
{
	for (int j = 0; j < NWIDE; j += 3)
		must(unlink(at("wide/entry-with-a-rather-long-name-to-fill-blocks-%03d", j)),
		     "unlink", "wide");
	for (int j = 0; j < 30; j++)
		put_file(at("wide/new-%03d", j), 9000 + j, j * 11);
}

static void dir_ops(void)
{
	must(rename(at("d2"), at("d2renamed")), "rename dir", "d2");
	must(rename(at("d5/s2"), at("d6/s2moved")), "rename dir across", "d5/s2");
	must(rename(at("d4/s3"), at("d7/empty")), "rename dir over empty", "d4/s3");
	must(rename(at("%s", deep[10]), at("%s/l10x", deep[9])), "rename deep", deep[10]);
	/* deep[20] now lies under l10x */
	must(rename(at("d3/s1"), at("deep/l01/l02/l03/l04/l05/l06/l07/l08/l09/l10x/l11/l12/l13/l14/"
				    "l15/l16/l17/l18/l19/l20/s1in")),
	     "rename dir deep", "d3/s1");
	expect_errno(rmdir(at("full")), ENOTEMPTY, "rmdir non-empty", "full");
	expect_errno(rename(at("d1"), at("full")), ENOTEMPTY, "rename over non-empty", "full");
	must(unlink(at("gone/a")), "unlink", "gone/a");
	must(unlink(at("gone/b")), "unlink", "gone/b");
	must(rmdir(at("gone")), "rmdir", "gone");
	set_times(at("d0/s1"), 1200000000);
	set_times(at("full"), 1200000001);
}

static int write_tree(void)
{
	umask(022);
	make_dirs();
	make_files();
	make_big_and_sparse();
	for (int i = 0; i < NFILES; i++)
		file_op(i);
	wide_ops();
	dir_ops();
	return 0;
}

/* ---- manifest ---- */

struct entry {
	char *path;
	struct stat st;
	char data[1100]; /* crc or symlink target */
};

static struct entry *entries;
static int nentries, capentries;

static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_table[n] = c;
	}
}

static uint32_t crc32_update(uint32_t c, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	size_t i = 0;
	uint64_t w;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		if (w)
			return false;
	}
	for (; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Reads len bytes unless the file ends first: the pieces stay 4 KiB-aligned. */
static ssize_t read_full(int fd, uint8_t *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* CRC-32 of each 4 KiB piece that is not all zeros, after its offset (64-bit
 * little-endian): holes and zeros cost no CRC, so a file reaching past
 * 64 MiB is summed in a moment even under emulation. */
static void file_crc(const char *path, char *out)
{
	static uint8_t buf[1 << 16];
	uint32_t c = 0xFFFFFFFFu;
	uint64_t off = 0;
	int fd = open(path, O_RDONLY);
	ssize_t n;

	must(fd, "open", path);
	while ((n = read_full(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i += 4096) {
			size_t len = n - i < 4096 ? (size_t)(n - i) : 4096;
			uint8_t le[8];

			if (all_zero(buf + i, len))
				continue;
			for (int k = 0; k < 8; k++)
				le[k] = (uint8_t)((off + i) >> (8 * k));
			c = crc32_update(c, le, 8);
			c = crc32_update(c, buf + i, len);
		}
		off += n;
	}
	must((int)n, "read", path);
	close(fd);
	sprintf(out, "%08x", c ^ 0xFFFFFFFFu);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(const char *rel)
{
	char full[4400], *names[2048];
	int n = 0;
	DIR *d;
	struct dirent *de;

	snprintf(full, sizeof(full), "%s/%s", root_path, rel);
	if (!(d = opendir(full)))
		die("opendir %s", full);
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == 2048)
			die("too many names in %s", full);
		names[n++] = strdup(de->d_name);
	}
	if (errno)
		die("readdir %s", full);
	closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	for (int i = 0; i < n; i++) {
		struct entry *e;
		char child[4096];

		snprintf(child, sizeof(child), "%s/%s", rel, names[i]);
		if (nentries == capentries) {
			capentries = capentries ? 2 * capentries : 1024;
			entries = realloc(entries, capentries * sizeof(*entries));
		}
		e = &entries[nentries++];
		e->path = strdup(child);
		snprintf(full, sizeof(full), "%s/%s", root_path, child);
		must(lstat(full, &e->st), "lstat", full);
		strcpy(e->data, "-");
		if (S_ISREG(e->st.st_mode)) {
			file_crc(full, e->data);
		} else if (S_ISLNK(e->st.st_mode)) {
			ssize_t len = readlink(full, e->data, sizeof(e->data) - 1);

			must((int)len, "readlink", full);
			e->data[len] = 0;
		} else if (S_ISDIR(e->st.st_mode)) {
			walk(child);
		}
		free(names[i]);
	}
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

static char type_of(mode_t m)
{
	return S_ISDIR(m) ? 'd' : S_ISREG(m) ? 'f' : S_ISLNK(m) ? 'l' : '?';
}

/* The first name (in path order) of the inode e names. */
static const char *first_name(const struct entry *e)
{
	if (S_ISDIR(e->st.st_mode) || e->st.st_nlink < 2)
		return "-";
	for (int i = 0; i < nentries; i++)
		if (entries[i].st.st_ino == e->st.st_ino)
			return entries[i].path;
	return "-";
}

static int manifest(void)
{
	crc_init();
	walk(".");
	qsort(entries, nentries, sizeof(entries[0]), by_path);
	for (int i = 0; i < nentries; i++) {
		const struct entry *e = &entries[i];
		char mtime[32];

		if (e->st.st_mtime < EXPLICIT_TIME_LIMIT)
			snprintf(mtime, sizeof(mtime), "%ld", (long)e->st.st_mtime);
		else
			strcpy(mtime, "now");
		printf("%s %c %04o %u:%u %lu ", e->path, type_of(e->st.st_mode),
		       (unsigned)(e->st.st_mode & 07777), (unsigned)e->st.st_uid,
		       (unsigned)e->st.st_gid, (unsigned long)e->st.st_nlink);
		if (S_ISDIR(e->st.st_mode))
			printf("- ");
		else
			printf("%ld ", (long)e->st.st_size);
		printf("%s %s %s\n", e->data, mtime, first_name(e));
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc != 3 || strlen(argv[2]) >= sizeof(root_path)) {
		fprintf(stderr, "usage: ext2_tree write|manifest ROOT\n");
		return 2;
	}
	snprintf(root_path, sizeof(root_path), "%s", argv[2]);
	if (!strcmp(argv[1], "write"))
		return write_tree();
	if (!strcmp(argv[1], "manifest"))
		return manifest();
	fprintf(stderr, "ext2_tree: unknown mode %s\n", argv[1]);
	return 2;
}
