/* Credentials: the set*id family with Linux's rules for root and for
 * others, supplementary groups, the fsuid, and what they mean for file
 * permission checks and chown. Each case runs in a child so the test
 * itself stays root. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <sys/auxv.h>
#include <sys/fsuid.h>
#include <sys/utsname.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define FILE_PATH "/tmp/creds-test"

/* Runs fn in a child; its exit status is the number of failed checks. */
static void in_child(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static bool res_uid(uid_t r, uid_t e, uid_t s)
{
	uid_t a, b, c;

	return getresuid(&a, &b, &c) == 0 && a == r && b == e && c == s;
}

static bool res_gid(gid_t r, gid_t e, gid_t s)
{
	gid_t a, b, c;

	return getresgid(&a, &b, &c) == 0 && a == r && b == e && c == s;
}

/* Child checks count failures into the exit status. */
static int child_failed;
#define EXPECT(cond) do { if (!(cond)) { child_failed++; printf("FAIL child %s:%d: %s (errno %d)\n", __FILE__, __LINE__, #cond, errno); } } while (0)
#define EXPECT_ERR(call, err) EXPECT((errno = 0, (long)(call)) == -1 && errno == (err))

static int resuid_rules(void)
{
	EXPECT(setresuid(1000, 1001, 1002) == 0);
	EXPECT(res_uid(1000, 1001, 1002));
	EXPECT(getuid() == 1000 && geteuid() == 1001);
	EXPECT(setfsuid(-1) == 1001); /* the fsuid followed the euid */
	EXPECT_ERR(setresuid(5, -1, -1), EPERM);
	EXPECT(setresuid(1002, -1, -1) == 0); /* the saved uid may become the real one */
	EXPECT(res_uid(1002, 1001, 1002));
	EXPECT_ERR(setuid(0), EPERM);
	EXPECT(setresuid(-1, 1002, -1) == 0 && res_uid(1002, 1002, 1002));
	EXPECT_ERR(setresuid(1001, -1, -1), EPERM); /* 1001 is gone now */
	return child_failed;
}

static int setuid_rules(void)
{
	EXPECT_ERR(setuid(-1), EINVAL);
	EXPECT(setuid(1000) == 0 && res_uid(1000, 1000, 1000));
	EXPECT_ERR(setuid(0), EPERM);
	EXPECT(setuid(1000) == 0);
	return child_failed;
}

static int setreuid_rules(void)
{
	EXPECT(setreuid(1000, 2000) == 0 && res_uid(1000, 2000, 2000));
	EXPECT(setreuid(-1, 1000) == 0 && res_uid(1000, 1000, 2000)); /* back to the real uid: saved stays */
	EXPECT_ERR(setreuid(2000, -1), EPERM); /* the real uid may only take r or e */
	EXPECT(setreuid(-1, 2000) == 0 && res_uid(1000, 2000, 2000));
	EXPECT(seteuid(1000) == 0 && geteuid() == 1000);
	return child_failed;
}

static int gid_rules(void)
{
	gid_t groups[4] = { 30, 10, 20 }, got[4];

	EXPECT(setresgid(10, 11, 12) == 0 && res_gid(10, 11, 12));
	EXPECT(setfsgid(-1) == 11);
	EXPECT(setregid(-1, 10) == 0 && res_gid(10, 10, 12));
	EXPECT(setgroups(3, groups) == 0);
	EXPECT(getgroups(0, NULL) == 3);
	EXPECT_ERR(getgroups(2, got), EINVAL);
	EXPECT(getgroups(4, got) == 3 && got[0] == 10 && got[1] == 20 && got[2] == 30); /* sorted */
	EXPECT(setuid(1000) == 0);
	EXPECT_ERR(setgroups(1, groups), EPERM);
	EXPECT_ERR(setgid(30), EPERM); /* not the real or saved gid */
	EXPECT(setgid(12) == 0 && getegid() == 12);
	return child_failed;
}

/* The file is root's, mode 0640, group 50. */
static int file_access(void)
{
	gid_t g = 50;
	int fd;

	EXPECT(setgroups(1, &g) == 0);
	EXPECT(setresgid(100, 100, 100) == 0 && setresuid(1000, 1000, 1000) == 0);
	fd = open(FILE_PATH, O_RDONLY); /* group 50 may read */
	EXPECT(fd >= 0);
	close(fd);
	EXPECT_ERR(open(FILE_PATH, O_WRONLY), EACCES);
	EXPECT_ERR(chmod(FILE_PATH, 0666), EPERM);
	EXPECT_ERR(mkdir("/creds-test-dir", 0755), EACCES);
	return child_failed;
}

static int file_no_group(void)
{
	EXPECT(setgroups(0, NULL) == 0);
	EXPECT(setresgid(100, 100, 100) == 0 && setresuid(1000, 1000, 1000) == 0);
	EXPECT_ERR(open(FILE_PATH, O_RDONLY), EACCES);
	return child_failed;
}

/* An fsuid other than 0 loses root's file privileges, and may come back. */
static int fsuid_rules(void)
{
	int fd;

	EXPECT(setfsuid(1000) == 0);
	EXPECT(geteuid() == 0);
	EXPECT_ERR(open(FILE_PATH, O_WRONLY), EACCES);
	EXPECT(setfsuid(0) == 1000);
	fd = open(FILE_PATH, O_WRONLY);
	EXPECT(fd >= 0);
	close(fd);
	return child_failed;
}

/* An owner may give its file to one of its groups, nothing more. */
static int owner_chown(void)
{
	gid_t g = 50;

	EXPECT(setgroups(1, &g) == 0);
	EXPECT(setresgid(100, 100, 100) == 0 && setresuid(1000, 1000, 1000) == 0);
	EXPECT(chown(FILE_PATH, -1, 50) == 0);
	EXPECT(chown(FILE_PATH, -1, 100) == 0); /* its own gid */
	EXPECT_ERR(chown(FILE_PATH, -1, 60), EPERM);
	EXPECT_ERR(chown(FILE_PATH, 0, -1), EPERM);
	EXPECT(chmod(FILE_PATH, 0600) == 0);
	return child_failed;
}

static int caps_dropped(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	EXPECT(syscall(SYS_capget, &h, d) == 0 && d[0].effective != 0);
	EXPECT(setuid(1000) == 0);
	EXPECT(syscall(SYS_capget, &h, d) == 0 && d[0].effective == 0 && d[0].permitted == 0);
	EXPECT_ERR(syscall(SYS_capset, &h, (struct __user_cap_data_struct[2]){ { 1, 1, 0 }, { 0, 0, 0 } }),
		   EPERM);
	return child_failed;
}

static void test_caps_header(void)
{
	struct __user_cap_header_struct h = { 0x12345678, 0 };
	struct __user_cap_data_struct d[2];

	CHECK(syscall(SYS_capget, &h, NULL) == 0 && h.version == _LINUX_CAPABILITY_VERSION_3);
	h.version = 0x12345678;
	CHECK_ERR(syscall(SYS_capget, &h, d), EINVAL);
	h.version = _LINUX_CAPABILITY_VERSION_3;
	h.pid = 999999999;
	CHECK_ERR(syscall(SYS_capget, &h, d), ESRCH);
	CHECK_ERR(syscall(SYS_capget, g_low_addr, d), EFAULT);
}

/* Set-user-ID programs: a copy of this one, run as uid 2000, reports its
 * IDs through its exit status. Needs to run riscv64 programs, which the
 * qemu-user reference cannot without binfmt_misc (ENOEXEC: skipped). */
static const char *self;

static void copy_self(const char *to, mode_t mode, uid_t uid, gid_t gid)
{
	static char data[65536];
	int in = open(self, O_RDONLY), out = open(to, O_CREAT | O_WRONLY | O_TRUNC, 0700);
	long n;

	CHECK(in >= 0 && out >= 0);
	while (in >= 0 && out >= 0 && (n = read(in, data, sizeof(data))) > 0)
		CHECK(write(out, data, (size_t)n) == n);
	CHECK(fchown(out, uid, gid) == 0 && fchmod(out, mode) == 0);
	close(in);
	close(out);
}

static int run_as_2000(const char *prog)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { (char *)prog, "suid-report", NULL };
		if (setresgid(2000, 2000, 2000) || setresuid(2000, 2000, 2000))
			_exit(90);
		execve(prog, argv, argv + 2);
		_exit(errno == ENOEXEC ? 98 : 99);
	}
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int suid_report(void)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;

	if (getresuid(&r, &e, &s) || getresgid(&gr, &ge, &gs))
		return 10;
	if (r == 2000 && e == 1000 && s == 1000 && gr == 2000 && ge == 1000 && gs == 1000)
		return getauxval(AT_SECURE) == 1 ? 1 : 11; /* set-ID applied */
	if (r == 2000 && e == 2000 && s == 2000 && gr == 2000 && ge == 2000)
		return getauxval(AT_SECURE) == 0 ? 2 : 12; /* not applied */
	return 13;
}

static void test_setuid_exec(void)
{
	int st;

	copy_self("/tmp/creds-suid", 06755, 1000, 1000);
	st = run_as_2000("/tmp/creds-suid");
	if (st == 98) {
		printf("SKIP: this Linux reference cannot exec riscv64 programs (no binfmt_misc)\n");
		unlink("/tmp/creds-suid");
		return;
	}
	CHECK(st == 1);
	CHECK(chmod("/tmp/creds-suid", 0755) == 0); /* without the bits: nothing changes */
	CHECK(run_as_2000("/tmp/creds-suid") == 2);
	unlink("/tmp/creds-suid");
	CHECK(mkdir("/tmp/creds-nosuid", 0755) == 0 || errno == EEXIST);
	if (unshare(CLONE_NEWNS) == 0)
		mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
	CHECK(mount("none", "/tmp/creds-nosuid", "tmpfs", MS_NOSUID, "mode=0755") == 0);
	copy_self("/tmp/creds-nosuid/prog", 06755, 1000, 1000);
	CHECK(run_as_2000("/tmp/creds-nosuid/prog") == 2); /* nosuid: the bits are ignored */
	CHECK(umount("/tmp/creds-nosuid") == 0);
	rmdir("/tmp/creds-nosuid");
}

int main(int argc, char **argv)
{
	int fd;

	if (argc > 1 && strcmp(argv[1], "suid-report") == 0)
		return suid_report();
	self = argv[0];

	CHECK(getuid() == 0 && geteuid() == 0 && res_uid(0, 0, 0) && res_gid(0, 0, 0));
	CHECK(getgroups(0, NULL) >= 0);
	CHECK_ERR(getresuid(g_low_addr, g_low_addr, g_low_addr), EFAULT);
	in_child(resuid_rules);
	in_child(setuid_rules);
	in_child(setreuid_rules);
	in_child(gid_rules);
	fd = open(FILE_PATH, O_CREAT | O_WRONLY | O_TRUNC, 0640);
	CHECK(fd >= 0 && fchown(fd, 0, 50) == 0 && fchmod(fd, 0640) == 0);
	close(fd);
	in_child(file_access);
	in_child(file_no_group);
	in_child(fsuid_rules);
	CHECK(chown(FILE_PATH, 1000, 100) == 0);
	in_child(owner_chown);
	unlink(FILE_PATH);
	in_child(caps_dropped);
	test_caps_header();
	test_setuid_exec();
	return check_done("test_creds");
}
