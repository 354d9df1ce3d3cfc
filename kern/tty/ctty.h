/* What process code tells the tty layer about sessions (tty/jobctl.c). */
#ifndef KERN_TTY_CTTY_H
#define KERN_TTY_CTTY_H

struct process;

/* p is exiting: a session leader's tty loses its session (SIGHUP and
 * SIGCONT to the foreground group), and p its ctty. */
void tty_session_leader_exit(struct process *p);
/* p starts a new session (setsid): it has no controlling tty any more. */
void tty_session_leave(struct process *p);

#endif
