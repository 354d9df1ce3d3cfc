/* mremap against Linux: shrinking, growing in place, moving (MAYMOVE,
 * FIXED) with the contents, and the errors of bad arguments. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define PG 4096UL

static bool faults(void *p)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		(void)*(volatile char *)p;
		_exit(0);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	       WTERMSIG(status) == SIGSEGV;
}

static char *anon(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void fill(char *p, size_t len)
{
	for (size_t i = 0; i < len; i += PG)
		p[i] = (char)('a' + i / PG);
}

static bool filled(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i += PG)
		if (p[i] != (char)('a' + i / PG))
			return false;
	return true;
}

static void test_shrink_grow(void)
{
	char *p = anon(4 * PG), *q;

	CHECK(p != NULL);
	fill(p, 4 * PG);
	/* Shrink in place: the tail goes. */
	q = mremap(p, 4 * PG, 2 * PG, 0);
	CHECK(q == p && filled(p, 2 * PG));
	CHECK(faults(p + 2 * PG));
	/* Grow in place into the freed pages: the new part reads zero. */
	q = mremap(p, 2 * PG, 4 * PG, 0);
	CHECK(q == p && filled(p, 2 * PG));
	CHECK(p[2 * PG] == 0 && p[3 * PG] == 0);
	/* Blocked above: no MAYMOVE means ENOMEM and nothing changes. */
	char *block = mmap(p + 4 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(block == p + 4 * PG);
	CHECK_ERR(mremap(p, 4 * PG, 6 * PG, 0), ENOMEM);
	CHECK(filled(p, 2 * PG));
	/* MAYMOVE moves it with its contents; the old place is gone. */
	q = mremap(p, 4 * PG, 6 * PG, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED && q != p);
	CHECK(filled(q, 2 * PG) && q[5 * PG] == 0);
	CHECK(faults(p));
	q[5 * PG] = 'z';
	CHECK(munmap(q, 6 * PG) == 0);
	CHECK(munmap(block, PG) == 0);
}

static void test_fixed(void)
{
	char *p = anon(2 * PG), *dst = anon(8 * PG), *q;

	CHECK(p && dst);
	fill(p, 2 * PG);
	memset(dst, 'x', 8 * PG);
	/* MREMAP_FIXED replaces whatever is at the target. */
	q = mremap(p, 2 * PG, 3 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, dst + 2 * PG);
	CHECK(q == dst + 2 * PG);
	CHECK(filled(q, 2 * PG) && q[2 * PG] == 0);
	CHECK(dst[0] == 'x' && dst[5 * PG] == 'x');
	CHECK(faults(p));
	/* Moving a part of an area splits it. */
	q = mremap(dst, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, dst + 6 * PG);
	CHECK(q == dst + 6 * PG && q[0] == 'x');
	CHECK(faults(dst));
	CHECK(dst[PG] == 'x');
	CHECK(munmap(dst, 8 * PG) == 0);
}

static void test_shared(void)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *q;

	CHECK(p != MAP_FAILED);
	p[0] = 's';
	q = mremap(p, 2 * PG, 8 * PG, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED && q[0] == 's');
	CHECK(munmap(q, 8 * PG) == 0);
}

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

/* MREMAP_DONTUNMAP: the pages move, the old range stays mapped and
 * refaults zeros (private anonymous memory). */
static void test_dontunmap(void)
{
	char *p = anon(2 * PG), *q;

	CHECK(p != NULL);
	fill(p, 2 * PG);
	q = mremap(p, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
	CHECK(q != MAP_FAILED && q != p);
	CHECK(filled(q, 2 * PG));
	CHECK(p[0] == 0 && p[PG] == 0);
	CHECK_ERR(mremap(q, 2 * PG, 3 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP), EINVAL);
	CHECK_ERR(mremap(q, 2 * PG, 2 * PG, MREMAP_DONTUNMAP), EINVAL);
	CHECK(munmap(p, 2 * PG) == 0 && munmap(q, 2 * PG) == 0);
}

static void test_errors(void)
{
	char *p = anon(2 * PG);

	CHECK(p != NULL);
	CHECK_ERR(mremap(p + 1, PG, PG, 0), EINVAL);
	/* Linux says EINVAL; qemu-user 7.2, the oracle here, ENOMEM. */
	CHECK(mremap(p, PG, 0, 0) == MAP_FAILED && (errno == EINVAL || errno == ENOMEM));
	CHECK_ERR(mremap(p, PG, PG, 0x80), EINVAL);
	CHECK_ERR(mremap(p, PG, 2 * PG, MREMAP_FIXED, p + 8 * PG), EINVAL);
	CHECK_ERR(mremap(p, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, p + PG), EINVAL);
	CHECK(munmap(p, 2 * PG) == 0);
	/* Nothing mapped: Linux says EFAULT, qemu-user 7.2 EINVAL. */
	CHECK(mremap(p, PG, 2 * PG, MREMAP_MAYMOVE) == MAP_FAILED && (errno == EFAULT || errno == EINVAL));
}

int main(void)
{
	test_shrink_grow();
	test_fixed();
	test_shared();
	test_dontunmap();
	test_errors();
	return check_done("test_mremap");
}
