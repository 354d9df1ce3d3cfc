/* Signals the tty raises, seen by handlers: SIGWINCH to the foreground
 * group when the window size changes (not when it is set to what it was),
 * and SIGTTIN to a background group reading its terminal (the read gives
 * EINTR after a handler without SA_RESTART). Needs rt_sigaction, which the
 * signals work brings: register it in tests/guest/CMakeLists.txt once that
 * is merged (it passes on the merge of tty and sig, under Rivet and Linux). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "check.h"

static volatile int winch, ttin;

static void on_winch(int sig) { (void)sig; winch++; }
static void on_ttin(int sig) { (void)sig; ttin++; }

static int background_read(int s)
{
	struct sigaction sa = { .sa_handler = on_ttin }; /* no SA_RESTART */
	char c;
	int r;

	setpgid(0, 0);
	sigaction(SIGTTIN, &sa, NULL);
	r = read(s, &c, 1);
	return r < 0 && errno == EINTR && ttin == 1 ? 0 : 1;
}

static int session(int m)
{
	struct winsize w = { 10, 20, 0, 0 };
	struct sigaction sa = { .sa_handler = on_winch };
	int s, status, bad = 0;
	pid_t g;

	sigaction(SIGWINCH, &sa, NULL);
	setsid();
	s = open(ptsname(m), O_RDWR);
	if (s < 0)
		return 1;
	ioctl(m, TIOCSWINSZ, &w);
	ioctl(m, TIOCSWINSZ, &w); /* the same size: no signal */
	w.ws_col = 30;
	ioctl(s, TIOCSWINSZ, &w);
	if (winch != 2)
		bad |= 2;
	g = fork();
	if (g == 0)
		_exit(background_read(s));
	waitpid(g, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		bad |= 4;
	return bad;
}

int main(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY), status;
	pid_t pid;

	CHECK(m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0);
	pid = fork();
	if (pid == 0)
		_exit(session(m));
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (status)
		printf("  session: status 0x%x\n", status);
	return check_done("test_tty_signals");
}
