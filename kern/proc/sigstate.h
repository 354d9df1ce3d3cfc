/* The signal state a process carries (struct process's `sig`), and the
 * user-visible records it is made of, in their Linux riscv64 layouts. */
#ifndef KERN_PROC_SIGSTATE_H
#define KERN_PROC_SIGSTATE_H

#include <frame/ktimer.h>
#include <frame/task.h>
#include <frame/types.h>

struct posix_timer;

#define NSIG 64
#define SIGRTMIN_K 32   /* the kernel's first real-time signal (glibc keeps 32, 33) */
#define SIGQUEUE_MAX 16 /* real-time instances queued behind the pending one */

#define SIG_DFL 0UL
#define SIG_IGN 1UL

/* sa_flags (asm-generic; riscv has no SA_RESTORER: the kernel always
 * returns through its own sigreturn trampoline). */
#define SA_NOCLDSTOP 0x00000001UL
#define SA_NOCLDWAIT 0x00000002UL
#define SA_SIGINFO 0x00000004UL
#define SA_UNSUPPORTED 0x00000400UL
#define SA_EXPOSE_TAGBITS 0x00000800UL
#define SA_ONSTACK 0x08000000UL
#define SA_RESTART 0x10000000UL
#define SA_NODEFER 0x40000000UL
#define SA_RESETHAND 0x80000000UL
/* What Linux keeps of sa_flags (UAPI_SA_FLAGS): the rest is cleared. */
#define SA_KNOWN (SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_EXPOSE_TAGBITS | \
		  SA_ONSTACK | SA_RESTART | SA_NODEFER | SA_RESETHAND)

/* struct sigaction as rt_sigaction takes it on riscv64 (no sa_restorer). */
struct k_sigaction {
	uint64_t handler; /* SIG_DFL, SIG_IGN or a user address */
	uint64_t flags;
	uint64_t mask;
};

/* stack_t */
struct k_stack {
	uint64_t sp;
	int32_t flags;
	int32_t pad;
	uint64_t size;
};
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1U << 31)
#define MINSIGSTKSZ 2048

/* siginfo_t: 128 bytes; the union starts at 16. */
struct k_siginfo {
	int32_t signo, err, code, pad;
	union {
		struct { int32_t pid, uid; uint64_t value; } kill;  /* SI_USER, SI_QUEUE */
		struct { int32_t tid, overrun; uint64_t value; } timer;
		struct { int32_t pid, uid, status, pad; int64_t utime, stime; } child;
		struct { uint64_t addr; } fault;
		uint8_t bytes[112];
	};
};
_Static_assert(sizeof(struct k_siginfo) == 128, "siginfo_t is 128 bytes");

/* si_code values */
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_QUEUE (-1)
#define SI_TIMER (-2)
#define SI_TKILL (-6)
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_STOPPED 5
#define CLD_CONTINUED 6
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRALN 1
#define ILL_ILLOPC 1
#define TRAP_BRKPT 1

/* Job-control events a waiting parent has yet to see (wait4 WUNTRACED,
 * WCONTINUED). */
enum { JOB_REPORT_NONE, JOB_REPORT_STOPPED, JOB_REPORT_CONTINUED };

struct sigstate {
	uint64_t pending;                   /* bit n-1: signal n */
	uint64_t shared;                    /* of those, sent to the process: any thread may take them */
	uint64_t blocked;                   /* the mask */
	uint64_t waiting;                   /* rt_sigtimedwait's set: never discarded */
	uint64_t saved_blocked;             /* sigsuspend's mask to put back */
	bool restore_blocked;               /* saved_blocked is valid */
	bool no_restart;                    /* rt_sigreturn set a0: leave it alone */
	struct k_siginfo info[NSIG + 1];    /* of each pending signal, the first one sent */
	struct k_siginfo queue[SIGQUEUE_MAX]; /* more real-time instances, oldest first */
	int queued;
	struct k_sigaction action[NSIG + 1];
	struct k_stack altstack;

	bool stopped;                       /* stopped by a job-control signal */
	int stop_sig;
	int job_report;                     /* JOB_REPORT_*, for the parent's wait */
	struct wait_queue resume;           /* a stopped process sleeps here */

	/* ERESTART_RESTARTBLOCK: what restart_syscall does (nanosleep). */
	long (*restart_fn)(struct sigstate *s);
	uint64_t restart_arg[4];

	/* ITIMER_REAL (proc/itimer.c): SIGALRM at the deadline, then every interval. */
	struct ktimer alarm;
	uint64_t alarm_interval_ns;
	int64_t cpu_itimer[2][4]; /* ITIMER_VIRTUAL, ITIMER_PROF as set: they never fire */
	struct posix_timer *timers; /* timer_create's (proc/posix_timer.c), or NULL */
};

#endif
