/* System information: uname and the names it shows, sysinfo, times and
 * getrusage from the accounting in proc/proc_info.c. */
#include <frame/errno.h>
#include <frame/meminfo.h>
#include <frame/time.h>
#include <frame/uaccess.h>
#include <string.h>
#include "proc/loadavg.h"
#include "proc/proc_info.h"
#include "proc/uts.h"
#include "syscall/syscall.h"

#define USER_HZ 100
#define NS_PER_TICK (1000000000u / USER_HZ)
#define SI_LOAD_SHIFT 16
#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1

struct utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

SYSCALL(uname)
{
	struct utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, UTS_SYSNAME, sizeof(u.sysname));
	strlcpy(u.nodename, uts_hostname(), sizeof(u.nodename));
	strlcpy(u.release, UTS_RELEASE, sizeof(u.release));
	strlcpy(u.version, UTS_VERSION, sizeof(u.version));
	strlcpy(u.machine, UTS_MACHINE, sizeof(u.machine));
	strlcpy(u.domainname, uts_domainname(), sizeof(u.domainname));
	return copy_to_user(args->a[0], &u, sizeof(u)) ? -EFAULT : 0;
}

/* sethostname/setdomainname(name, len): CAP_SYS_ADMIN; len above 64 or
 * negative is -EINVAL. */
static long set_name(const struct syscall_args *args, int (*set)(const char *, size_t))
{
	char buf[UTS_LEN];
	int64_t len = (int64_t)args->a[1];

	if (!cred_capable())
		return -EPERM;
	if (len < 0 || len > UTS_LEN)
		return -EINVAL;
	if (copy_from_user(buf, args->a[0], (size_t)len))
		return -EFAULT;
	return set(buf, (size_t)len);
}

SYSCALL(sethostname) { return set_name(args, uts_set_hostname); }
SYSCALL(setdomainname) { return set_name(args, uts_set_domainname); }

struct linux_sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint32_t pad2;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	uint32_t pad3;
};
_Static_assert(sizeof(struct linux_sysinfo) == 112, "riscv64 struct sysinfo");

SYSCALL(sysinfo)
{
	struct linux_sysinfo si;
	unsigned long avg[3];
	unsigned procs = 0;

	for (struct process *p = process_first(); p; p = process_next(p))
		procs++;
	memset(&si, 0, sizeof(si));
	si.uptime = (int64_t)(time_now_ns() / 1000000000u);
	loadavg_get(avg);
	for (int i = 0; i < 3; i++)
		si.loads[i] = avg[i] << (SI_LOAD_SHIFT - LOAD_FSHIFT);
	si.totalram = mem_total_bytes();
	si.freeram = mem_free_bytes();
	si.procs = (uint16_t)procs;
	si.mem_unit = 1;
	return copy_to_user(args->a[0], &si, sizeof(si)) ? -EFAULT : 0;
}

static int64_t ticks(uint64_t ns)
{
	return (int64_t)(ns / NS_PER_TICK);
}

SYSCALL(times)
{
	struct process *p = current;
	int64_t tms[4] = { ticks(p->utime_ns), ticks(procinfo_stime(p)), ticks(p->cutime_ns),
			   ticks(p->cstime_ns) };

	if (args->a[0] && copy_to_user(args->a[0], tms, sizeof(tms)))
		return -EFAULT;
	return ticks(time_now_ns());
}

struct linux_rusage {
	int64_t utime_sec, utime_usec, stime_sec, stime_usec;
	int64_t maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock;
	int64_t msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
};
_Static_assert(sizeof(struct linux_rusage) == 144, "riscv64 struct rusage");

SYSCALL(getrusage)
{
	struct process *p = current;
	int who = (int)args->a[0];
	struct linux_rusage ru;
	uint64_t u, s;

	if (who == RUSAGE_SELF || who == RUSAGE_THREAD) {
		u = p->utime_ns;
		s = procinfo_stime(p);
	} else if (who == RUSAGE_CHILDREN) {
		u = p->cutime_ns;
		s = p->cstime_ns;
	} else {
		return -EINVAL;
	}
	memset(&ru, 0, sizeof(ru));
	ru.utime_sec = (int64_t)(u / 1000000000u);
	ru.utime_usec = (int64_t)(u % 1000000000u / 1000);
	ru.stime_sec = (int64_t)(s / 1000000000u);
	ru.stime_usec = (int64_t)(s % 1000000000u / 1000);
	if (who != RUSAGE_CHILDREN && p->as)
		ru.maxrss = (int64_t)(aspace_pages(p->as) * 4); /* kB now, as no peak is kept */
	return copy_to_user(args->a[1], &ru, sizeof(ru)) ? -EFAULT : 0;
}
