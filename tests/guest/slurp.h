/* Reading a whole (small) file, for guest tests that check file text such
 * as /proc and /proc/self/mounts. Include after check.h. */
#ifndef GUEST_SLURP_H
#define GUEST_SLURP_H

#include <fcntl.h>
#include <unistd.h>

static char buf[65536];

/* The whole file into buf (NUL-terminated); its length, or -1. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf + n, sizeof(buf) - 1 - (size_t)n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	return r < 0 ? -1 : n;
}

#endif
