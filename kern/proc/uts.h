/* The system's names (uname(2), /proc/sys/kernel): fixed ones, and the
 * host and domain names that sethostname/setdomainname change. */
#ifndef KERN_PROC_UTS_H
#define KERN_PROC_UTS_H

#include <frame/types.h>

#define UTS_LEN 64 /* __NEW_UTS_LEN: names are at most this many bytes */
#define UTS_SYSNAME "Linux" /* what programs test for */
#define UTS_RELEASE "6.1.0-rivet"
#define UTS_VERSION "#1 Rivet framekernel"
#define UTS_MACHINE "riscv64"

const char *uts_hostname(void);
const char *uts_domainname(void);
/* len bytes (no NUL needed); -EINVAL if longer than UTS_LEN. */
int uts_set_hostname(const char *name, size_t len);
int uts_set_domainname(const char *name, size_t len);

#endif
