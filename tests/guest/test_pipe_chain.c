/* A deep pipe chain against Linux: STAGES processes, each reading the one
 * before it through a pipe and writing the next, pass 256 KiB through
 * (more than a pipe holds, so every stage blocks and wakes many times);
 * what comes out of the last is what went into the first, every stage
 * ends with status 0, and nothing is left over (no descriptor, no child). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define STAGES 200
#define BYTES (256 * 1024)

static void __attribute__((noreturn)) stage(int in, int out)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) > 0)
		for (ssize_t done = 0, w; done < n; done += w)
			if ((w = write(out, buf + done, (size_t)(n - done))) <= 0)
				_exit(2);
	_exit(n == 0 ? 0 : 1);
}

static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 7 + (i >> 12));
}

int main(void)
{
	static pid_t pids[STAGES];
	int first[2], in;
	size_t bad = 0, got = 0;

	CHECK(pipe(first) == 0);
	in = first[0];
	for (int i = 0; i < STAGES; i++) {
		int p[2];
		if (pipe(p) != 0)
			break;
		pids[i] = fork();
		if (pids[i] == 0) {
			close(p[0]);
			close(first[1]);
			stage(in, p[1]);
		}
		close(in);
		close(p[1]);
		in = p[0];
	}
	CHECK(pids[STAGES - 1] > 0);
	pid_t writer = fork();
	if (writer == 0) {
		static unsigned char buf[BYTES];
		for (size_t i = 0; i < BYTES; i++)
			buf[i] = pattern(i);
		close(in);
		_exit(write(first[1], buf, BYTES) == BYTES ? 0 : 1);
	}
	close(first[1]);
	unsigned char buf[4096];
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		for (ssize_t k = 0; k < n; k++)
			bad += buf[k] != pattern(got + (size_t)k);
		got += (size_t)n;
	}
	close(in);
	CHECK(got == BYTES);
	CHECK(bad == 0);
	int status, ok = 0;
	CHECK(waitpid(writer, &status, 0) == writer && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	for (int i = 0; i < STAGES; i++)
		ok += waitpid(pids[i], &status, 0) == pids[i] && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0;
	CHECK(ok == STAGES);
	CHECK_ERR(waitpid(-1, &status, WNOHANG), ECHILD);
	return check_done("test_pipe_chain");
}
