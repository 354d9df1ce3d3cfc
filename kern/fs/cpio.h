/* The cpio "newc" format (magic 070701, and 070702 with a checksum), as
 * Linux's initramfs uses it. Pure parsing over a byte buffer: no allocation,
 * no I/O, never a read outside [archive, archive + size).
 *
 * An initramfs may be several archives one after the other, each ending with
 * a "TRAILER!!!" entry and optionally zero padding. Hard links (entries with
 * the same ino and nlink > 1) refer to each other only within one archive.
 * The unpacker's loop:
 *
 *	size_t off = 0;
 *	while (off < size) {                   // one archive per turn
 *		while ((r = cpio_next(buf, size, &off, &e)) > 0)
 *			add(&e);
 *		if (r < 0)
 *			return r;
 *		forget_hard_links();
 *	}
 */
#ifndef KERN_FS_CPIO_H
#define KERN_FS_CPIO_H

#include <frame/types.h>

/* File types in cpio_entry.mode (the Linux/POSIX values). */
#define CPIO_S_IFMT 0170000u
#define CPIO_S_IFSOCK 0140000u
#define CPIO_S_IFLNK 0120000u
#define CPIO_S_IFREG 0100000u
#define CPIO_S_IFBLK 0060000u
#define CPIO_S_IFDIR 0040000u
#define CPIO_S_IFCHR 0020000u
#define CPIO_S_IFIFO 0010000u

struct cpio_entry {
	const char *name; size_t namelen; /* NUL-terminated; namelen excludes the NUL */
	uint32_t ino, mode, uid, gid, nlink, mtime, devmajor, devminor, rdevmajor, rdevminor;
	const void *data; size_t size;    /* file body (symlink target for S_IFLNK) */
};

/* Reads the entry at *offset (a multiple of 4) of archive[0, size).
 * Returns 1 with *out filled and *offset advanced past the entry and its
 * padding to 4 bytes. Returns 0 at "TRAILER!!!", with *offset past it and any
 * zero padding after it (so *offset == size if nothing follows, else at the
 * next archive), and 0 at the end of the buffer (*offset == size; zero bytes
 * before the end are skipped). Returns -EINVAL for a malformed or truncated
 * entry, a bad 070702 checksum, or an archive resuming at an offset that is
 * not a multiple of 4 after zero padding; *offset is then unchanged. */
int cpio_next(const void *archive, size_t size, size_t *offset, struct cpio_entry *out);

#endif
