/* The memory devices (major 1): null, zero, full, random, urandom. Like
 * Linux's, lseek on null, zero and full always lands at 0, and on random
 * devices leaves the position alone; pread and pwrite work. */
#include <frame/errno.h>
#include <frame/uaccess.h>
#include "dev/chrdev.h"
#include "fs/iobuf.h"
#include "proc/entropy.h"

#define CHUNK 256

static long null_read(struct file *f, uint64_t ubuf, size_t len)
{
	(void)f, (void)ubuf, (void)len;
	return 0;
}

static long sink_write(struct file *f, uint64_t ubuf, size_t len)
{
	(void)f, (void)ubuf;
	return (long)len; /* the bytes are not even looked at, as Linux */
}

static long full_write(struct file *f, uint64_t ubuf, size_t len)
{
	(void)f, (void)ubuf, (void)len;
	return -ENOSPC;
}

static long zero_read(struct file *f, uint64_t ubuf, size_t len)
{
	struct iobuf b = iobuf_user(ubuf);

	(void)f;
	return iobuf_zero(&b, 0, len) ? -EFAULT : (long)len;
}

static long random_read(struct file *f, uint64_t ubuf, size_t len)
{
	uint8_t buf[CHUNK];
	size_t done = 0;

	(void)f;
	while (done < len) {
		size_t n = MIN(len - done, sizeof(buf));
		entropy_fill(buf, n);
		if (copy_to_user(ubuf + done, buf, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}

/* pread/pwrite: the offset means nothing to these devices. */
#define POSITIONED(name, rw)                                                          \
	static long name##_p(struct file *f, uint64_t ubuf, size_t len, uint64_t off) \
	{                                                                             \
		(void)off;                                                            \
		return rw(f, ubuf, len);                                              \
	}
POSITIONED(null_read, null_read)
POSITIONED(zero_read, zero_read)
POSITIONED(random_read, random_read)
POSITIONED(sink_write, sink_write)
POSITIONED(full_write, full_write)

static int64_t seek_zero(struct file *f, int64_t off, int whence)
{
	(void)off, (void)whence;
	f->pos = 0;
	return 0;
}

static int64_t seek_noop(struct file *f, int64_t off, int whence)
{
	(void)off, (void)whence;
	return (int64_t)f->pos;
}

static const struct file_ops null_ops = {
	.read = null_read, .write = sink_write, .pread = null_read_p, .pwrite = sink_write_p,
	.llseek = seek_zero,
};
static const struct file_ops zero_ops = {
	.read = zero_read, .write = sink_write, .pread = zero_read_p, .pwrite = sink_write_p,
	.llseek = seek_zero, .mmap_anonymous = true,
};
static const struct file_ops full_ops = {
	.read = zero_read, .write = full_write, .pread = zero_read_p, .pwrite = full_write_p,
	.llseek = seek_zero,
};
static const struct file_ops random_ops = {
	.read = random_read, .write = sink_write, .pread = random_read_p, .pwrite = sink_write_p,
	.llseek = seek_noop,
};

#define OPENER(name)                                                   \
	static int name##_open(unsigned flags, struct file **out)      \
	{                                                              \
		return file_create(&name##_ops, flags, NULL, out);     \
	}
OPENER(null)
OPENER(zero)
OPENER(full)
OPENER(random)

static const struct chrdev mem_devices[] = {
	{ 1, 3, "null", 0666, null_open, NULL },
	{ 1, 5, "zero", 0666, zero_open, NULL },
	{ 1, 7, "full", 0666, full_open, NULL },
	{ 1, 8, "random", 0666, random_open, NULL },
	{ 1, 9, "urandom", 0666, random_open, NULL },
};

void mem_devices_register(void)
{
	for (unsigned i = 0; i < ARRAY_SIZE(mem_devices); i++)
		chrdev_register(&mem_devices[i]);
}
