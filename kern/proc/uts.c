/* Host and domain names (see uts.h). */
#include <frame/errno.h>
#include <string.h>
#include "proc/uts.h"

static char hostname[UTS_LEN + 1] = "rivet";
static char domainname[UTS_LEN + 1] = "(none)";

const char *uts_hostname(void)
{
	return hostname;
}

const char *uts_domainname(void)
{
	return domainname;
}

static int set(char *dst, const char *name, size_t len)
{
	if (len > UTS_LEN)
		return -EINVAL;
	memcpy(dst, name, len);
	dst[len] = '\0';
	return 0;
}

int uts_set_hostname(const char *name, size_t len)
{
	return set(hostname, name, len);
}

int uts_set_domainname(const char *name, size_t len)
{
	return set(domainname, name, len);
}
