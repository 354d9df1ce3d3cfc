/* mmap, munmap, mprotect and msync against Linux: anonymous and file
 * mappings, private and shared, across fork, with the faults a bad access
 * raises (checked through a child's wait status) and the errors of bad
 * arguments. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define PG 4096UL

static char g_dir[] = "/tmp/rivet-mmap.XXXXXX";

/* Runs fn in a child; returns its wait status. */
static int in_child(void (*fn)(void *), void *arg)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static void do_read(void *p)
{
	(void)*(volatile char *)p;
}

static void do_write(void *p)
{
	*(volatile char *)p = 1;
}

static bool killed_by(int status, int sig)
{
	return WIFSIGNALED(status) && WTERMSIG(status) == sig;
}

static bool all_zero(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void test_anon_private(void)
{
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	CHECK(((uintptr_t)p & (PG - 1)) == 0);
	CHECK(all_zero(p, 3 * PG)); /* pages arrive zeroed on first touch */
	memset(p, 'a', 3 * PG);
	CHECK(p[0] == 'a' && p[3 * PG - 1] == 'a');
	/* Unmapping the middle leaves both ends. */
	CHECK(munmap(p + PG, PG) == 0);
	CHECK(p[0] == 'a' && p[2 * PG] == 'a');
	CHECK(killed_by(in_child(do_read, p + PG), SIGSEGV));
	CHECK(munmap(p, 3 * PG) == 0); /* a hole inside is fine */
	CHECK(killed_by(in_child(do_read, p), SIGSEGV));
	CHECK(munmap(p, 3 * PG) == 0); /* nothing mapped: still 0 */
}

static void test_protect(void)
{
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	p[PG] = 'm';
	CHECK(mprotect(p + PG, PG, PROT_READ) == 0);
	p[0] = 'x';
	p[2 * PG] = 'y';
	CHECK(p[PG] == 'm');
	CHECK(killed_by(in_child(do_write, p + PG), SIGSEGV));
	CHECK(mprotect(p, 3 * PG, PROT_NONE) == 0);
	CHECK(killed_by(in_child(do_read, p), SIGSEGV));
	CHECK(killed_by(in_child(do_read, p + 2 * PG), SIGSEGV));
	CHECK(mprotect(p, 3 * PG, PROT_READ | PROT_WRITE) == 0);
	CHECK(p[0] == 'x' && p[PG] == 'm' && p[2 * PG] == 'y'); /* contents kept */
	CHECK(in_child(do_write, p + PG) == 0);
	/* A PROT_NONE mapping from the start. */
	char *n = mmap(NULL, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(n != MAP_FAILED);
	CHECK(killed_by(in_child(do_read, n), SIGSEGV));
	CHECK(killed_by(in_child(do_write, n), SIGSEGV));
	CHECK(mprotect(n, PG, PROT_READ) == 0);
	CHECK(n[0] == 0);
	CHECK(killed_by(in_child(do_write, n), SIGSEGV));
	/* Errors. */
	CHECK_ERR(mprotect(p + 1, PG, PROT_READ), EINVAL);
	CHECK_ERR(mprotect(p, PG, 0x100), EINVAL);
	CHECK(munmap(p, 3 * PG) == 0);
	CHECK_ERR(mprotect(p, PG, PROT_READ), ENOMEM);
	CHECK(munmap(n, PG) == 0);
}

static void test_fixed(void)
{
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q;

	CHECK(p != MAP_FAILED);
	memset(p, 'z', 4 * PG);
	/* MAP_FIXED replaces what is there. */
	q = mmap(p + PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(q == p + PG);
	CHECK(q[0] == 0 && p[0] == 'z' && p[2 * PG] == 'z');
	/* MAP_FIXED_NOREPLACE refuses to. */
	/* (qemu-user 7.2, the oracle, takes it as a hint: then a new address.) */
	q = mmap(p, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(q == MAP_FAILED ? errno == EEXIST : q != p);
	if (q != MAP_FAILED)
		munmap(q, PG);
	CHECK(munmap(p + 3 * PG, PG) == 0);
	q = mmap(p + 3 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(q == p + 3 * PG);
	CHECK_ERR(mmap(p + 1, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL);
	/* A free hint is taken as it is. */
	CHECK(munmap(p, 4 * PG) == 0);
	q = mmap(p + PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(q == p + PG);
	CHECK(munmap(q, PG) == 0);
	/* Accepted flags. */
	q = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_NORESERVE, -1, 0);
	CHECK(q != MAP_FAILED && all_zero(q, 2 * PG));
	CHECK(munmap(q, 2 * PG) == 0);
}

/* A huge sparse area costs what is touched, in fork and munmap too. */
static void test_sparse(void)
{
	size_t len = 16UL << 30;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	int status = -1;
	pid_t pid;

	CHECK(p != MAP_FAILED);
	p[0] = 1;
	p[len / 2] = 2;
	p[len - 1] = 3;
	pid = fork();
	if (pid == 0)
		_exit(p[0] + p[len / 2] + p[len - 1] == 6 ? 0 : 1);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(mprotect(p, len, PROT_READ) == 0);
	CHECK(p[len - 1] == 3);
	CHECK(munmap(p, len) == 0);
}

static void test_bad_args(void)
{
	int fd = open(".", O_RDONLY | O_DIRECTORY);

	CHECK_ERR(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL); /* no type */
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, -1, 0), EBADF);
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 1000, 0), EBADF);
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0), ENODEV);
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1), EINVAL);
	CHECK_ERR(mmap(NULL, (size_t)-PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
	CHECK_ERR(munmap((void *)PG + 1, PG), EINVAL);
	CHECK_ERR(munmap((void *)(16 * PG), 0), EINVAL);
	close(fd);
}

static void test_fork(void)
{
	char *sh = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *pv = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int status = -1;
	pid_t pid;

	CHECK(sh != MAP_FAILED && pv != MAP_FAILED);
	sh[0] = 'p';
	pv[0] = 'p';
	pid = fork();
	if (pid == 0) {
		/* One page touched before the fork, one not: both are shared. */
		int ok = sh[0] == 'p' && pv[0] == 'p';
		sh[0] = 'c';
		sh[PG] = 'c';
		pv[0] = 'c';
		pv[PG] = 'c';
		_exit(ok ? 0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(sh[0] == 'c' && sh[PG] == 'c');      /* MAP_SHARED: the child's writes */
	CHECK(pv[0] == 'p' && pv[PG] == 0);        /* MAP_PRIVATE: copy-on-write */
	CHECK(munmap(sh, 2 * PG) == 0 && munmap(pv, 2 * PG) == 0);
}

static int make_file(const char *name, const char *data, size_t len)
{
	int fd = open(name, O_CREAT | O_RDWR | O_TRUNC, 0644);

	if (fd >= 0 && write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return fd;
}

static void test_file_shared(void)
{
	int fd = make_file("shared", "hello file", 10);
	char buf[16] = { 0 };
	char *p, *q;

	CHECK(fd >= 0);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	q = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED && q != MAP_FAILED && p != q);
	CHECK(memcmp(p, "hello file", 10) == 0);
	CHECK(all_zero(p + 10, PG - 10)); /* past the end of the file: zeros */
	/* Stores reach the file and every other mapping of it. */
	memcpy(p, "HELLO", 5);
	CHECK(memcmp(q, "HELLO file", 10) == 0);
	CHECK(pread(fd, buf, 10, 0) == 10 && memcmp(buf, "HELLO file", 10) == 0);
	/* And write() reaches the mappings. */
	CHECK(pwrite(fd, "W", 1, 6) == 1);
	CHECK(p[6] == 'W' && q[6] == 'W');
	CHECK(msync(p, PG, MS_SYNC) == 0);
	CHECK(msync(p, PG, MS_ASYNC | MS_INVALIDATE) == 0);
	CHECK_ERR(msync(p, PG, MS_SYNC | MS_ASYNC), EINVAL);
	CHECK_ERR(msync(p, PG, 0x40), EINVAL);
	CHECK_ERR(msync(p + 1, PG, MS_SYNC), EINVAL);
	/* Shared mappings survive fork as shared. */
	pid_t pid = fork();
	if (pid == 0) {
		p[1] = 'e';
		_exit(0);
	}
	int status = -1;
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	CHECK(q[1] == 'e');
	/* Beyond the last page of the file: SIGBUS. */
	char *big = mmap(NULL, 3 * PG, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(big != MAP_FAILED);
	CHECK(big[0] == 'H');
	CHECK(killed_by(in_child(do_read, big + PG), SIGBUS));
	/* Growing the file makes the page appear. */
	CHECK(ftruncate(fd, 2 * PG) == 0);
	CHECK(big[PG] == 0 && in_child(do_read, big + PG) == 0);
	/* Shrinking takes the cut pages away from the mappings, growing
	 * again brings fresh zeros that reach the file. */
	CHECK(pwrite(fd, "T", 1, PG) == 1 && big[PG] == 'T');
	CHECK(ftruncate(fd, PG) == 0);
	CHECK(killed_by(in_child(do_read, big + PG), SIGBUS));
	CHECK(ftruncate(fd, 2 * PG) == 0);
	CHECK(big[PG] == 0);
	CHECK(pwrite(fd, "N", 1, PG) == 1 && big[PG] == 'N');
	CHECK(munmap(big, 3 * PG) == 0);
	CHECK(munmap(p, PG) == 0);
	CHECK(q[0] == 'H'); /* the other mapping is untouched */
	CHECK(munmap(q, PG) == 0);
	close(fd);
	CHECK(unlink("shared") == 0);
}

static void test_file_private(void)
{
	int fd = make_file("private", "0123456789", 10);
	char buf[16] = { 0 };
	char *p;

	CHECK(fd >= 0);
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	CHECK(memcmp(p, "0123456789", 10) == 0);
	p[0] = 'X'; /* copy-on-write: the file keeps its bytes */
	CHECK(pread(fd, buf, 10, 0) == 10 && memcmp(buf, "0123456789", 10) == 0);
	CHECK(p[0] == 'X');
	CHECK(killed_by(in_child(do_read, p + PG), SIGBUS));
	CHECK(munmap(p, 2 * PG) == 0);
	/* An offset maps from that file page on. */
	CHECK(ftruncate(fd, 2 * PG) == 0);
	CHECK(pwrite(fd, "second", 6, PG) == 6);
	p = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, PG);
	CHECK(p != MAP_FAILED && memcmp(p, "second", 6) == 0);
	CHECK(munmap(p, PG) == 0);
	close(fd);
	/* Access modes: read needed always, write for shared writable. */
	fd = open("private", O_RDONLY);
	CHECK_ERR(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EACCES);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	p[0] = 'w';
	CHECK(munmap(p, PG) == 0);
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	CHECK_ERR(mprotect(p, PG, PROT_READ | PROT_WRITE), EACCES);
	CHECK(munmap(p, PG) == 0);
	close(fd);
	fd = open("private", O_WRONLY);
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0), EACCES);
	CHECK_ERR(mmap(NULL, PG, PROT_WRITE, MAP_SHARED, fd, 0), EACCES);
	close(fd);
	CHECK(unlink("private") == 0);
}

/* /dev/zero maps anonymous memory: private, or shared across fork. */
static void test_dev_zero(void)
{
	int fd = open("/dev/zero", O_RDWR);
	char *pv = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	char *sh = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	int status = -1;
	char c = 1;

	CHECK(fd >= 0 && pv != MAP_FAILED && sh != MAP_FAILED);
	CHECK(all_zero(pv, PG) && all_zero(sh, PG));
	pv[0] = 'p';
	pid_t pid = fork();
	if (pid == 0) {
		sh[0] = 'c';
		pv[0] = 'c';
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(sh[0] == 'c' && pv[0] == 'p');
	CHECK(read(fd, &c, 1) == 1 && c == 0); /* the device itself is unchanged */
	CHECK(munmap(pv, PG) == 0 && munmap(sh, PG) == 0);
	close(fd);
}

/* System calls reach mapped memory through the same fault path: pages
 * not touched yet are mapped on demand, refused ones give EFAULT. */
static void test_syscall_buffers(void)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *ro = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *none = mmap(NULL, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = make_file("buffers", "0123456789", 10);
	char *f = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	CHECK(p != MAP_FAILED && ro != MAP_FAILED && none != MAP_FAILED && f != MAP_FAILED);
	/* read() into pages never touched, straddling two of them. */
	CHECK(pread(fd, p + PG - 4, 10, 0) == 10);
	CHECK(memcmp(p + PG - 4, "0123456789", 10) == 0);
	CHECK_ERR(pread(fd, ro, 10, 0), EFAULT);
	CHECK_ERR(pread(fd, none, 10, 0), EFAULT);
	CHECK_ERR(pwrite(fd, none, 10, 0), EFAULT);
	CHECK(pwrite(fd, ro, 2, 0) == 2); /* reading a read-only page is fine: zeros */
	CHECK(f[0] == 0 && f[1] == 0 && f[2] == '2');
	/* A file's own mapping as the buffer of its write(). */
	CHECK(pwrite(fd, f + 2, 3, 7) == 3);
	CHECK(memcmp(f, "\0\0" "23456234", 10) == 0);
	CHECK(munmap(p, 2 * PG) == 0);
	CHECK_ERR(pread(fd, p, 10, 0), EFAULT);
	CHECK(munmap(ro, PG) == 0 && munmap(none, PG) == 0 && munmap(f, PG) == 0);
	close(fd);
	CHECK(unlink("buffers") == 0);
}

/* mincore sees demand paging; mlock maps pages now. */
static void test_resident(void)
{
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char vec[4] = { 9, 9, 9, 9 };

	CHECK(p != MAP_FAILED);
	p[PG] = 1;
	CHECK(mincore(p, 4 * PG, vec) == 0);
	CHECK(vec[0] == 0 && (vec[1] & 1) && vec[2] == 0 && vec[3] == 0);
	CHECK(mlock(p + 2 * PG + 5, 10) == 0); /* start rounds down to its page */
	CHECK(mincore(p, 4 * PG, vec) == 0);
	CHECK((vec[2] & 1) && vec[3] == 0);
	CHECK(munlock(p, 4 * PG) == 0);
	CHECK_ERR(mincore(p + 1, PG, vec), EINVAL);
	CHECK_ERR(mlockall(0), EINVAL);
	CHECK(munlockall() == 0);
	CHECK(munmap(p, 4 * PG) == 0);
	CHECK_ERR(mincore(p, PG, vec), ENOMEM);
	CHECK_ERR(mlock(p, PG), ENOMEM);
}

static void test_madvise(void)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *sh = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int fd = make_file("advise", "filedata", 8);
	char *f = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);

	CHECK(p != MAP_FAILED && sh != MAP_FAILED && f != MAP_FAILED);
	memset(p, 'd', 2 * PG);
	sh[0] = 's';
	f[0] = 'F';
	/* DONTNEED: private anonymous pages read back as zero, a private
	 * file page as the file again, shared memory keeps its data. */
	CHECK(madvise(p, 2 * PG, MADV_DONTNEED) == 0);
	CHECK(all_zero(p, 2 * PG));
	CHECK(madvise(f, PG, MADV_DONTNEED) == 0);
	CHECK(f[0] == 'f');
	CHECK(madvise(sh, PG, MADV_DONTNEED) == 0);
	CHECK(sh[0] == 's');
	/* Hints are accepted. */
	CHECK(madvise(p, 2 * PG, MADV_WILLNEED) == 0);
	CHECK(madvise(p, 2 * PG, MADV_SEQUENTIAL) == 0);
	CHECK(madvise(p, 2 * PG, MADV_RANDOM) == 0);
	CHECK(madvise(p, 2 * PG, MADV_NORMAL) == 0);
	CHECK(madvise(p, 0, MADV_NORMAL) == 0);
	CHECK_ERR(madvise(p + 1, PG, MADV_NORMAL), EINVAL);
	/* Linux: EINVAL for unknown advice, ENOMEM for a hole; qemu-user 7.2
	 * (the oracle here) returns 0 for both. */
	CHECK(madvise(p, PG, 77) == 0 || errno == EINVAL);
	CHECK(munmap(p, 2 * PG) == 0);
	CHECK(madvise(p, PG, MADV_NORMAL) == 0 || errno == ENOMEM);
	CHECK(munmap(sh, PG) == 0 && munmap(f, PG) == 0);
	close(fd);
	CHECK(unlink("advise") == 0);
}

static void test_brk(void)
{
	char *b = sbrk(0);

	CHECK(b != (void *)-1);
	CHECK(sbrk(3 * PG) == b);
	CHECK(all_zero(b, 3 * PG));
	memset(b, 'b', 3 * PG);
	CHECK(sbrk(-2 * (long)PG) == b + 3 * PG);
	CHECK(b[0] == 'b');
	CHECK(sbrk(2 * PG) == b + PG);
	CHECK(all_zero(b + PG, 2 * PG)); /* shrunk pages come back zeroed */
	CHECK(sbrk(-3 * (long)PG) == b + 3 * PG);
}

/* The stack is an area too: a few MiB deep works (pages on demand). */
static int deep(int n)
{
	volatile char frame[4096];

	frame[0] = (char)n;
	return n ? deep(n - 1) + frame[0] - (char)n : 0;
}

int main(void)
{
	CHECK(mkdtemp(g_dir) != NULL);
	CHECK(chdir(g_dir) == 0);
	test_anon_private();
	test_protect();
	test_fixed();
	test_sparse();
	test_bad_args();
	test_fork();
	test_file_shared();
	test_file_private();
	test_dev_zero();
	test_syscall_buffers();
	test_resident();
	test_madvise();
	test_brk();
	CHECK(deep(1024) == 0); /* 4 MiB of stack */
	CHECK(chdir("/") == 0);
	CHECK(rmdir(g_dir) == 0);
	return check_done("test_mmap");
}
