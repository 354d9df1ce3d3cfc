/* Credentials of the running process (see cred.h); the syscalls that
 * change them are in syscall/sys_cred.c. */
#include "fs/kpath.h"
#include "fs/path.h"
#include "proc/cred.h"
#include "proc/process.h"

static const struct cred root_cred; /* all zero: root, no groups */

const struct cred *cred_current(void)
{
	struct task *t = task_current();
	struct process *p = t ? task_data(t) : NULL;

	return p ? &p->cred : &root_cred;
}

bool cred_capable(void)
{
	return cred_current()->euid == 0;
}

bool cred_in_group(uint32_t gid)
{
	const struct cred *c = cred_current();

	if (c->fsgid == gid)
		return true;
	for (unsigned i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

bool cred_may_signal(const struct process *p)
{
	const struct cred *c = cred_current();

	return cred_capable() || c->euid == p->cred.suid || c->euid == p->cred.uid ||
	       c->uid == p->cred.suid || c->uid == p->cred.uid;
}

void cred_exec(struct cred *c, const char *path)
{
	struct inode *ino;

	if (kpath_lookup(path, WALK_FOLLOW, &ino) == 0) {
		if (!(ino->sb->flags & ST_NOSUID) && (ino->mode & S_ISUID))
			c->euid = ino->uid;
		if (!(ino->sb->flags & ST_NOSUID) && (ino->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
			c->egid = ino->gid;
		inode_put(ino);
	}
	c->suid = c->euid;
	c->sgid = c->egid;
	c->fsuid = c->euid;
	c->fsgid = c->egid;
}
