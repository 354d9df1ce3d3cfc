/* Credentials: the user and group IDs of a process, as Linux keeps them
 * (real, effective, saved, file-system; supplementary groups). There are no
 * separate capability sets: a process has every capability while its
 * effective uid is 0, and the file-system ones while its fsuid is 0, which
 * is what Linux's capability rules give a root that does not use capset. */
#ifndef KERN_PROC_CRED_H
#define KERN_PROC_CRED_H

#include <frame/types.h>

#define NGROUPS_KEPT 64 /* supplementary groups kept; Linux's NGROUPS_MAX is 65536 */

struct cred {
	uint32_t uid, euid, suid, fsuid;
	uint32_t gid, egid, sgid, fsgid;
	unsigned ngroups;
	uint32_t groups[NGROUPS_KEPT];
};

/* The caller's credentials (root's outside a process, at boot). */
const struct cred *cred_current(void);
/* CAP_SYS_ADMIN, CAP_SETUID, CAP_KILL ...: euid 0. */
bool cred_capable(void);
/* Is gid the caller's fsgid or one of its supplementary groups? */
bool cred_in_group(uint32_t gid);
struct process;
/* May the caller send a signal to p (Linux's kill_ok_by_cred)? With
 * CAP_KILL, or when its real or effective uid is p's real or saved uid.
 * (SIGCONT within a session is the signal code's own exception.) */
bool cred_may_signal(const struct process *p);
/* execve of path: a set-user-ID (set-group-ID and group-executable) file
 * gives its owner (group) as the effective ID unless its mount is nosuid;
 * then the saved and file-system IDs become the effective ones. */
void cred_exec(struct cred *c, const char *path);

#endif
