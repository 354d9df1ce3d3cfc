/* Text buffers for generated /proc files: printf appends, growing the
 * buffer by doubling. A failed allocation marks the buffer, and the read
 * reports -ENOMEM rather than a silently cut file. */
#include <frame/heap.h>
#include <frame/log.h>
#include <string.h>
#include "fs/procfs_internal.h"

static bool reserve(struct seq *s, size_t more)
{
	size_t cap = s->cap ? s->cap : 1024;
	char *buf;

	if (s->len + more < s->cap)
		return true;
	while (cap <= s->len + more)
		cap *= 2;
	if (!(buf = kmalloc(cap))) {
		s->nomem = true;
		return false;
	}
	if (s->buf)
		memcpy(buf, s->buf, s->len);
	kfree(s->buf);
	s->buf = buf;
	s->cap = cap;
	return true;
}

void seq_write(struct seq *s, const void *data, size_t len)
{
	if (!reserve(s, len))
		return;
	memcpy(s->buf + s->len, data, len);
	s->len += len;
}

void seq_printf(struct seq *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!reserve(s, 128))
		return;
	va_start(ap, fmt);
	n = vsnprintf(s->buf + s->len, s->cap - s->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= s->cap - s->len) { /* did not fit: grow and print again */
		if (!reserve(s, (size_t)n + 1))
			return;
		va_start(ap, fmt);
		vsnprintf(s->buf + s->len, s->cap - s->len, fmt, ap);
		va_end(ap);
	}
	s->len += (size_t)n;
}

void seq_free(struct seq *s)
{
	kfree(s->buf);
	*s = (struct seq){ 0 };
}
