/* Numbers written to /proc files (procfs_internal.h). */
#include <frame/errno.h>
#include <limits.h>
#include "fs/procfs_internal.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

int proc_parse_long(const char *buf, size_t len, long *out)
{
	size_t i = 0, digits = 0;
	bool neg = false;
	unsigned long n = 0, limit;

	while (len && is_space(buf[len - 1]))
		len--;
	while (i < len && is_space(buf[i]))
		i++;
	if (i < len && (buf[i] == '-' || buf[i] == '+'))
		neg = buf[i++] == '-';
	limit = neg ? (unsigned long)LONG_MAX + 1 : (unsigned long)LONG_MAX;
	for (; i < len; i++, digits++) {
		unsigned d = (unsigned)(buf[i] - '0');
		if (d > 9 || n > (limit - d) / 10)
			return -EINVAL; /* not a number, or out of range */
		n = n * 10 + d;
	}
	if (digits == 0)
		return -EINVAL;
	*out = neg ? (long)(0 - n) : (long)n;
	return 0;
}
