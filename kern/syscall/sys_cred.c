/* The uid/gid family, with Linux's rules: a privileged caller (euid 0,
 * which here means CAP_SETUID/CAP_SETGID) may set any ID; others may only
 * move between their real, effective and saved IDs. The fsuid follows the
 * euid on every change, as Linux's. -1 leaves an ID as it is. */
#include <frame/errno.h>
#include <frame/uaccess.h>
#include "proc/process.h"
#include "syscall/syscall.h"

#define NO_ID ((uint32_t)-1)
#define NGROUPS_MAX 65536

static struct cred *cred_mut(void)
{
	return &current->cred;
}

static uint32_t id_arg(const struct syscall_args *args, int i)
{
	return (uint32_t)args->a[i];
}

/* Is id one the caller already has (real, effective or saved)? */
static bool is_own(uint32_t id, uint32_t r, uint32_t e, uint32_t s)
{
	return id == r || id == e || id == s;
}

SYSCALL(getuid) { (void)args; return current->cred.uid; }
SYSCALL(geteuid) { (void)args; return current->cred.euid; }
SYSCALL(getgid) { (void)args; return current->cred.gid; }
SYSCALL(getegid) { (void)args; return current->cred.egid; }

static long put_three(uint64_t ua, uint64_t ub, uint64_t uc, uint32_t a, uint32_t b, uint32_t c)
{
	if (copy_to_user(ua, &a, 4) || copy_to_user(ub, &b, 4) || copy_to_user(uc, &c, 4))
		return -EFAULT;
	return 0;
}

SYSCALL(getresuid)
{
	const struct cred *c = &current->cred;

	return put_three(args->a[0], args->a[1], args->a[2], c->uid, c->euid, c->suid);
}

SYSCALL(getresgid)
{
	const struct cred *c = &current->cred;

	return put_three(args->a[0], args->a[1], args->a[2], c->gid, c->egid, c->sgid);
}

/* setresuid/setresgid's core on one triple of IDs. */
static long set_res(uint32_t *r, uint32_t *e, uint32_t *s, uint32_t *fs, uint32_t nr, uint32_t ne,
		    uint32_t ns)
{
	if (!cred_capable() && ((nr != NO_ID && !is_own(nr, *r, *e, *s)) ||
				(ne != NO_ID && !is_own(ne, *r, *e, *s)) ||
				(ns != NO_ID && !is_own(ns, *r, *e, *s))))
		return -EPERM;
	if (nr != NO_ID)
		*r = nr;
	if (ne != NO_ID)
		*e = ne;
	if (ns != NO_ID)
		*s = ns;
	*fs = *e;
	return 0;
}

SYSCALL(setresuid)
{
	struct cred *c = cred_mut();

	return set_res(&c->uid, &c->euid, &c->suid, &c->fsuid, id_arg(args, 0), id_arg(args, 1),
		       id_arg(args, 2));
}

SYSCALL(setresgid)
{
	struct cred *c = cred_mut();

	return set_res(&c->gid, &c->egid, &c->sgid, &c->fsgid, id_arg(args, 0), id_arg(args, 1),
		       id_arg(args, 2));
}

/* setreuid/setregid: the real ID may become the effective one; the
 * effective ID any of the three; the saved ID follows the new effective one
 * when the real ID is set or the effective one moves off the old real ID. */
static long set_re(uint32_t *r, uint32_t *e, uint32_t *s, uint32_t *fs, uint32_t nr, uint32_t ne)
{
	uint32_t old_r = *r;

	if (!cred_capable() && ((nr != NO_ID && nr != *r && nr != *e) ||
				(ne != NO_ID && !is_own(ne, *r, *e, *s))))
		return -EPERM;
	if (nr != NO_ID)
		*r = nr;
	if (ne != NO_ID)
		*e = ne;
	if (nr != NO_ID || (ne != NO_ID && ne != old_r))
		*s = *e;
	*fs = *e;
	return 0;
}

SYSCALL(setreuid)
{
	struct cred *c = cred_mut();

	return set_re(&c->uid, &c->euid, &c->suid, &c->fsuid, id_arg(args, 0), id_arg(args, 1));
}

SYSCALL(setregid)
{
	struct cred *c = cred_mut();

	return set_re(&c->gid, &c->egid, &c->sgid, &c->fsgid, id_arg(args, 0), id_arg(args, 1));
}

/* setuid/setgid: privileged, all three; else the effective one, to the
 * real or saved ID. */
static long set_one(uint32_t *r, uint32_t *e, uint32_t *s, uint32_t *fs, uint32_t id)
{
	if (id == NO_ID)
		return -EINVAL;
	if (cred_capable()) {
		*r = *s = id;
	} else if (id != *r && id != *s) {
		return -EPERM;
	}
	*e = *fs = id;
	return 0;
}

SYSCALL(setuid)
{
	struct cred *c = cred_mut();

	return set_one(&c->uid, &c->euid, &c->suid, &c->fsuid, id_arg(args, 0));
}

SYSCALL(setgid)
{
	struct cred *c = cred_mut();

	return set_one(&c->gid, &c->egid, &c->sgid, &c->fsgid, id_arg(args, 0));
}

/* setfsuid/setfsgid: always the old value; changed only to an ID the caller
 * has (or by a privileged caller). */
static long set_fs(const uint32_t *r, const uint32_t *e, const uint32_t *s, uint32_t *fs,
		   uint32_t id)
{
	uint32_t old = *fs;

	if (id != NO_ID && (cred_capable() || is_own(id, *r, *e, *s) || id == *fs))
		*fs = id;
	return old;
}

SYSCALL(setfsuid)
{
	struct cred *c = cred_mut();

	return set_fs(&c->uid, &c->euid, &c->suid, &c->fsuid, id_arg(args, 0));
}

SYSCALL(setfsgid)
{
	struct cred *c = cred_mut();

	return set_fs(&c->gid, &c->egid, &c->sgid, &c->fsgid, id_arg(args, 0));
}

SYSCALL(getgroups)
{
	const struct cred *c = &current->cred;
	int size = (int)args->a[0];

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups;
	if ((unsigned)size < c->ngroups)
		return -EINVAL;
	if (copy_to_user(args->a[1], c->groups, c->ngroups * sizeof(c->groups[0])))
		return -EFAULT;
	return c->ngroups;
}

SYSCALL(setgroups)
{
	struct cred *c = cred_mut();
	uint32_t groups[NGROUPS_KEPT];
	size_t n = args->a[0];

	if (!cred_capable())
		return -EPERM;
	if (n > NGROUPS_MAX)
		return -EINVAL;
	if (n > NGROUPS_KEPT)
		return -ENOMEM; /* partial: fewer groups are kept than Linux allows */
	if (n && copy_from_user(groups, args->a[1], n * sizeof(groups[0])))
		return -EFAULT;
	for (size_t i = 1; i < n; i++) { /* kept sorted, as Linux's groups_sort */
		uint32_t g = groups[i];
		size_t j = i;
		for (; j > 0 && groups[j - 1] > g; j--)
			groups[j] = groups[j - 1];
		groups[j] = g;
	}
	for (size_t i = 0; i < n; i++)
		c->groups[i] = groups[i];
	c->ngroups = (unsigned)n;
	return 0;
}
