/* Processes: fork and copy-on-write isolation, wait4 statuses, orphan-free
 * reaping, vfork, execve (of this same program in a child mode), and the
 * errors Linux gives for bad calls. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static int shared_value = 1;

static void test_fork_and_cow(void)
{
	char *heap = malloc(64 * 1024);
	pid_t parent = getpid(), pid;
	int status;

	memset(heap, 'p', 64 * 1024);
	pid = fork();
	if (pid == 0) {
		shared_value = 2;
		memset(heap, 'c', 64 * 1024);
		_exit(getppid() == parent && shared_value == 2 && heap[65535] == 'c' ? 10 : 11);
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 10);
	CHECK(shared_value == 1);            /* the child's writes stayed its own */
	CHECK(heap[0] == 'p' && heap[65535] == 'p');
	shared_value = 3;                    /* and ours are still possible */
	CHECK(shared_value == 3);
	free(heap);
}

static void test_wait_status(void)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		volatile int *volatile p = NULL;
		*p = 1; /* dies by SIGSEGV */
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	CHECK_ERR(waitpid(-1, &status, 0), ECHILD);
	CHECK_ERR(waitpid(-1, &status, WNOHANG), ECHILD);
	CHECK_ERR(waitpid(-1, &status, 0x1000), EINVAL);
}

static void test_many_children(void)
{
	enum { N = 12 };
	int seen = 0, status;
	pid_t pid;

	for (int i = 0; i < N; i++)
		if (fork() == 0)
			_exit(100 + i);
	while ((pid = wait(&status)) > 0)
		if (WIFEXITED(status) && WEXITSTATUS(status) >= 100 && WEXITSTATUS(status) < 100 + N)
			seen |= 1 << (WEXITSTATUS(status) - 100);
	CHECK(seen == (1 << N) - 1);
	CHECK(errno == ECHILD);
}

static void test_wnohang(void)
{
	pid_t pid = fork(), got;
	int status;

	if (pid == 0)
		_exit(5);
	/* Poll until the child is a zombie: WNOHANG never blocks. */
	while ((got = waitpid(pid, &status, WNOHANG)) == 0)
		sched_yield();
	CHECK(got == pid && WIFEXITED(status) && WEXITSTATUS(status) == 5);
}

static void test_vfork(void)
{
	int status;
	pid_t pid = vfork();

	if (pid == 0)
		_exit(3);
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 3);
}

/* The Linux reference runs under qemu-user, whose execve goes to the host
 * kernel: without binfmt_misc it cannot start another riscv64 program. */
/* A child starts in its parent's cwd, with its umask and descriptors
 * (copies: closing one in the child leaves the parent's open). */
static void test_fork_inherits_fs_state(void)
{
	char cwd[256];
	int fds[2], status;
	mode_t old = umask(027);
	pid_t pid;

	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(chdir("/dev") == 0);
	fds[0] = dup(1);
	CHECK(fds[0] >= 0);
	pid = fork();
	if (pid == 0) {
		char here[64];
		mode_t mask = umask(0);
		bool ok = getcwd(here, sizeof(here)) && strcmp(here, "/dev") == 0 && mask == 027 &&
			  close(fds[0]) == 0;
		_exit(ok ? 0 : 1);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(close(fds[0]) == 0); /* still open here */
	CHECK(chdir(cwd) == 0);
	umask(old);
}

/* Runs path in a child and checks it exits with want. The Linux reference
 * (qemu-riscv64 without binfmt_misc) cannot exec riscv64 programs: there
 * the check is skipped, and says so. */
static void check_exec_status(const char *path, char *const argv[], char *const envp[], int want)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execve(path, argv, envp);
		_exit(errno == ENOEXEC ? 98 : 99);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	if (!on_rivet() && WIFEXITED(status) && WEXITSTATUS(status) == 98)
		printf("SKIP: this Linux reference cannot exec riscv64 programs (no binfmt_misc)\n");
	else
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == want);
}

static void test_execve(const char *self)
{
	char *const argv[] = { (char *)self, "exec-child", "second arg", NULL };
	char *const envp[] = { "RIVET_TEST=exec", NULL };

	check_exec_status(self, argv, envp, 42);
	CHECK_ERR(execve("/nonexistent/program", argv, envp), ENOENT);
	CHECK_ERR(execve((char *)g_low_addr, argv, envp), EFAULT);
	CHECK_ERR(execve(self, (char *const *)g_low_addr, envp), EFAULT);
}

/* Writes a script whose first line names interp and one argument. */
static void write_script(const char *path, const char *line)
{
	FILE *f = fopen(path, "w");

	CHECK(f && fputs(line, f) >= 0 && fclose(f) == 0);
	CHECK(chmod(path, 0755) == 0);
}

/* "#!" scripts: the interpreter gets "interp arg path argv[1..]", the
 * rest of the line as one argument, and errors as Linux gives them. */
static void test_script(const char *self)
{
	char line[300];
	char *const argv[] = { "/tmp/rivet_script", "one", "two", NULL };

	snprintf(line, sizeof(line), "#! %s script-child  with blanks  \n", self);
	write_script("/tmp/rivet_script", line);
	check_exec_status(argv[0], argv, NULL, 42);
	write_script("/tmp/rivet_script", "#!/nonexistent/interpreter\n");
	CHECK_ERR(execve(argv[0], argv, NULL), ENOENT);
	write_script("/tmp/rivet_loop", "#!/tmp/rivet_loop\n"); /* its own interpreter */
	CHECK_ERR(execve("/tmp/rivet_loop", argv, NULL), ELOOP);
	unlink("/tmp/rivet_script");
	unlink("/tmp/rivet_loop");
}

/* Text busy: a running program's file cannot be opened for writing or
 * truncated, and a file open for writing cannot be run (ETXTBSY), as on
 * Linux; exec maps the file's own pages, so a write would change the
 * program under it. Rivet only: under qemu-user the host kernel runs qemu,
 * not this file. */
static void test_text_busy(const char *self)
{
	char *const argv[] = { "/tmp/rivet_busy", NULL };
	int fd;

	if (!on_rivet())
		return;
	CHECK_ERR(open(self, O_WRONLY), ETXTBSY);
	CHECK_ERR(open(self, O_RDWR), ETXTBSY);
	CHECK_ERR(open(self, O_RDONLY | O_TRUNC), ETXTBSY);
	CHECK_ERR(truncate(self, 0), ETXTBSY);
	fd = open(self, O_RDONLY);
	CHECK(fd >= 0 && close(fd) == 0);
	write_script("/tmp/rivet_busy", "#!/nonexistent/interpreter\n");
	fd = open("/tmp/rivet_busy", O_WRONLY | O_APPEND);
	CHECK(fd >= 0);
	CHECK_ERR(execve(argv[0], argv, NULL), ETXTBSY);
	CHECK(close(fd) == 0);
	/* Closed: writable again, and exec gets past the check (to the
	 * missing interpreter). */
	fd = open("/tmp/rivet_busy", O_WRONLY | O_APPEND);
	CHECK(fd >= 0 && close(fd) == 0);
	CHECK_ERR(execve(argv[0], argv, NULL), ENOENT);
	unlink("/tmp/rivet_busy");
}

/* The interpreter run of test_script: what Linux's binfmt_script passes. */
static int script_child(int argc, char **argv)
{
	return argc == 5 && strcmp(argv[1], "script-child  with blanks") == 0 &&
			       strcmp(argv[2], "/tmp/rivet_script") == 0 && strcmp(argv[3], "one") == 0 &&
			       strcmp(argv[4], "two") == 0
		       ? 42
		       : 43;
}

/* What the exec'd child checks: its argv and environment arrived intact. */
static int exec_child(int argc, char **argv)
{
	const char *env = getenv("RIVET_TEST");

	return argc == 3 && strcmp(argv[2], "second arg") == 0 && env && strcmp(env, "exec") == 0
		       ? 42
		       : 43;
}

#define MANY_ARGS 1000
#define MANY_ENVS 300

/* Linux limits exec arguments by bytes only, and programs rely on it
 * (busybox xargs passes hundreds of names in one exec): 1000 arguments and
 * 300 environment strings must arrive, in order. */
static void test_execve_many(const char *self)
{
	static char strings[(MANY_ARGS + MANY_ENVS) * 16];
	static char *argv[MANY_ARGS + 3], *envp[MANY_ENVS + 1];
	char *p = strings;
	int status;

	argv[0] = (char *)self;
	argv[1] = "exec-many";
	for (int i = 0; i < MANY_ARGS; i++, p += strlen(p) + 1) {
		sprintf(p, "a%d", i);
		argv[i + 2] = p;
	}
	argv[MANY_ARGS + 2] = NULL;
	for (int i = 0; i < MANY_ENVS; i++, p += strlen(p) + 1) {
		sprintf(p, "RIVET_E%d=%d", i, i * 7);
		envp[i] = p;
	}
	envp[MANY_ENVS] = NULL;
	pid_t pid = fork();
	if (pid == 0) {
		execve(self, argv, envp);
		_exit(errno == ENOEXEC ? 98 : 99);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	if (!on_rivet() && WIFEXITED(status) && WEXITSTATUS(status) == 98)
		printf("SKIP: this Linux reference cannot exec riscv64 programs (no binfmt_misc)\n");
	else
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42);
}

/* The exec'd side of test_execve_many. */
static int exec_many_child(int argc, char **argv)
{
	char want[32];

	if (argc != MANY_ARGS + 2)
		return 43;
	for (int i = 0; i < MANY_ARGS; i++) {
		snprintf(want, sizeof(want), "a%d", i);
		if (strcmp(argv[i + 2], want) != 0)
			return 44;
	}
	for (int i = 0; i < MANY_ENVS; i++) {
		char name[32];
		const char *v;
		snprintf(name, sizeof(name), "RIVET_E%d", i);
		snprintf(want, sizeof(want), "%d", i * 7);
		if (!(v = getenv(name)) || strcmp(v, want) != 0)
			return 45;
	}
	return 42;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exec-child") == 0)
		return exec_child(argc, argv);
	if (argc > 1 && strcmp(argv[1], "script-child  with blanks") == 0)
		return script_child(argc, argv);
	if (argc > 1 && strcmp(argv[1], "exec-many") == 0)
		return exec_many_child(argc, argv);
	test_fork_and_cow();
	test_wait_status();
	test_many_children();
	test_wnohang();
	test_vfork();
	test_fork_inherits_fs_state();
	test_execve(argv[0]);
	test_script(argv[0]);
	test_text_busy(argv[0]);
	test_execve_many(argv[0]);
	return check_done("test_proc");
}
