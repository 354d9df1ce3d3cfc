/* prctl(2) for what busybox and glibc use (names, the parent-death signal,
 * dumpable) and capget/capset over the all-or-nothing capabilities of
 * proc/cred.h. Other prctl options are -EINVAL, as Linux's unknown ones. */
#include <frame/errno.h>
#include <frame/uaccess.h>
#include <string.h>
#include "proc/process.h"
#include "syscall/syscall.h"

#define PR_SET_PDEATHSIG 1
#define PR_GET_PDEATHSIG 2
#define PR_GET_DUMPABLE 3
#define PR_SET_DUMPABLE 4
#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define MAX_SIGNAL 64

static long set_name(uint64_t uname)
{
	char name[COMM_LEN];
	long n = strncpy_from_user(name, uname, sizeof(name));

	if (n == -EFAULT)
		return -EFAULT;
	if (n < 0) { /* longer than 15 bytes: cut, as Linux */
		if (copy_from_user(name, uname, sizeof(name) - 1))
			return -EFAULT;
	}
	name[sizeof(name) - 1] = '\0';
	strlcpy(current->comm, name, sizeof(current->comm));
	return 0;
}

SYSCALL(prctl)
{
	int option = (int)args->a[0];
	uint64_t arg2 = args->a[1];

	switch (option) {
	case PR_SET_PDEATHSIG:
		if (arg2 > MAX_SIGNAL)
			return -EINVAL;
		current->pdeath_signal = (int)arg2;
		return 0;
	case PR_GET_PDEATHSIG:
		return copy_to_user(arg2, &current->pdeath_signal, sizeof(int)) ? -EFAULT : 0;
	case PR_GET_DUMPABLE:
		return 1;
	case PR_SET_DUMPABLE:
		return arg2 <= 1 ? 0 : -EINVAL; /* partial: no core dumps to allow or stop */
	case PR_SET_NAME:
		return set_name(arg2);
	case PR_GET_NAME:
		return copy_to_user(arg2, current->comm, COMM_LEN) ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}

#define CAP_V1 0x19980330u
#define CAP_V2 0x20071026u
#define CAP_V3 0x20080522u
#define CAP_ALL_LOW 0xffffffffu
#define CAP_ALL_HIGH 0x1ffu /* capabilities 32..40 (CAP_LAST_CAP 40) */

struct cap_header {
	uint32_t version;
	int pid;
};

struct cap_data {
	uint32_t effective, permitted, inheritable;
};

/* Checks the header: the number of data words, or -errno (an unknown
 * version is answered with the one the kernel prefers, as Linux). */
static long cap_words(uint64_t uhdr, struct cap_header *h, bool have_data)
{
	if (copy_from_user(h, uhdr, sizeof(*h)))
		return -EFAULT;
	if (h->version == CAP_V1)
		return 1;
	if (h->version == CAP_V2 || h->version == CAP_V3)
		return 2;
	h->version = CAP_V3;
	if (copy_to_user(uhdr, &h->version, sizeof(h->version)))
		return -EFAULT;
	return have_data ? -EINVAL : 0;
}

/* A process's sets: everything while its euid is 0, else nothing. */
static void caps_of(const struct process *p, struct cap_data d[2])
{
	bool root = p->cred.euid == 0;

	d[0] = (struct cap_data){ root ? CAP_ALL_LOW : 0, root ? CAP_ALL_LOW : 0, 0 };
	d[1] = (struct cap_data){ root ? CAP_ALL_HIGH : 0, root ? CAP_ALL_HIGH : 0, 0 };
}

SYSCALL(capget)
{
	struct cap_header h;
	struct cap_data d[2];
	struct process *p;
	long words = cap_words(args->a[0], &h, args->a[1] != 0);

	if (words <= 0)
		return words;
	if (h.pid < 0)
		return -EINVAL;
	if (!(p = h.pid ? process_find(h.pid) : current) || p->state == PROC_ZOMBIE)
		return -ESRCH;
	if (!args->a[1])
		return 0;
	caps_of(p, d);
	return copy_to_user(args->a[1], d, (size_t)words * sizeof(d[0])) ? -EFAULT : 0;
}

/* The sets cannot be changed apart from the uid: setting them to what they
 * are succeeds, anything else is -EPERM. */
SYSCALL(capset)
{
	struct cap_header h;
	struct cap_data now[2], want[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
	long words = cap_words(args->a[0], &h, true);

	if (words <= 0)
		return words ? words : -EINVAL;
	if (h.pid != 0 && h.pid != current->pid)
		return -EPERM;
	if (copy_from_user(want, args->a[1], (size_t)words * sizeof(want[0])))
		return -EFAULT;
	caps_of(current, now);
	if (words == 1)
		want[1] = now[1];
	return memcmp(now, want, sizeof(now)) == 0 ? 0 : -EPERM; /* partial */
}
