/* procfs's regular files: the text is made when a read starts at offset 0
 * (or on the first read) and served from there, as Linux's seq_file; a
 * write hands the bytes to the entry's store. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/uaccess.h>
#include "fs/open.h"
#include "fs/procfs_internal.h"

#define STORE_MAX 4096

struct proc_file {
	struct seq text;
	bool made;
};

static int make_text(struct file *f)
{
	struct proc_file *pf = f->priv;
	struct proc_ctx ctx;
	const struct proc_entry *e = procfs_entry(f->inode, &ctx);
	int err;

	seq_free(&pf->text);
	if (ctx.pid && !proc_ctx_process(&ctx))
		return -ESRCH;
	if ((err = e->show(&pf->text, &ctx)) != 0)
		return err;
	if (pf->text.nomem)
		return -ENOMEM;
	pf->made = true;
	return 0;
}

static long pf_pread(struct file *f, uint64_t ubuf, size_t len, uint64_t off)
{
	struct proc_file *pf = f->priv;
	int err;
	size_t n;

	if ((int64_t)off < 0)
		return -EINVAL;
	if ((off == 0 || !pf->made) && (err = make_text(f)) != 0)
		return err;
	if (off >= pf->text.len)
		return 0;
	n = MIN(len, pf->text.len - off);
	return copy_to_user(ubuf, pf->text.buf + off, n) ? -EFAULT : (long)n;
}

static long pf_read(struct file *f, uint64_t ubuf, size_t len)
{
	long n = pf_pread(f, ubuf, len, f->pos);

	if (n > 0)
		f->pos += (uint64_t)n;
	return n;
}

static long pf_pwrite(struct file *f, uint64_t ubuf, size_t len, uint64_t off)
{
	struct proc_ctx ctx;
	const struct proc_entry *e = procfs_entry(f->inode, &ctx);
	char *buf;
	long n;

	if (!e->store)
		return -EINVAL;
	if (off != 0)
		return -EINVAL; /* one value per write, as the sysctl files */
	len = MIN(len, STORE_MAX);
	if (!(buf = kmalloc(len + 1)))
		return -ENOMEM;
	n = copy_from_user(buf, ubuf, len) ? -EFAULT : e->store(&ctx, buf, len);
	kfree(buf);
	return n;
}

static long pf_write(struct file *f, uint64_t ubuf, size_t len)
{
	long n = pf_pwrite(f, ubuf, len, f->pos);

	if (n > 0)
		f->pos += (uint64_t)n;
	return n;
}

static void pf_release(struct file *f)
{
	struct proc_file *pf = f->priv;

	seq_free(&pf->text);
	kfree(pf);
}

static const struct file_ops procfs_file_ops = {
	.read = pf_read,
	.write = pf_write,
	.pread = pf_pread,
	.pwrite = pf_pwrite,
	.llseek = file_cookie_llseek,
	.release = pf_release,
};

int procfs_open(struct inode *ino, unsigned flags, struct file **out)
{
	struct proc_file *pf;
	int err;

	if (!mode_is(ino->mode, S_IFREG)) /* directories open as any other */
		return mode_is(ino->mode, S_IFDIR) ? file_create(&vfs_dir_ops, flags, NULL, out) : -ENXIO;
	if (!(pf = kzalloc(sizeof(*pf))))
		return -ENOMEM;
	if ((err = file_create(&procfs_file_ops, flags, pf, out)) != 0)
		kfree(pf);
	return err;
}
