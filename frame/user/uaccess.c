/* copy_{from,to}_user: range checks here, the copy itself in
 * arch/riscv/uaccess.S, whose faults the trap handler turns into errors. */
#include <frame/errno.h>
#include <frame/uaccess.h>
#include <frame/user.h>
#include "user/uaccess_internal.h"

size_t uaccess_copy(void *dst, const void *src, size_t n);
long uaccess_strncpy(char *dst, const char *src, size_t n);

struct uaccess_fixup {
	uint64_t start, end, pad;
};
extern const struct uaccess_fixup uaccess_fixups[];
extern const uint64_t uaccess_nfixups;

static bool user_range_ok(uint64_t uaddr, size_t len)
{
	return uaddr + len >= uaddr && uaddr + len <= USER_TOP;
}

int copy_from_user(void *dst, uint64_t usrc, size_t len)
{
	if (!user_range_ok(usrc, len))
		return -EFAULT;
	return uaccess_copy(dst, (const void *)usrc, len) ? -EFAULT : 0;
}

int copy_to_user(uint64_t udst, const void *src, size_t len)
{
	if (!user_range_ok(udst, len))
		return -EFAULT;
	return uaccess_copy((void *)udst, src, len) ? -EFAULT : 0;
}

long strncpy_from_user(char *dst, uint64_t usrc, size_t max)
{
	long n;

	if (max == 0)
		return -ENAMETOOLONG;
	/* Clamp at the user limit: a string running into it faults as EFAULT. */
	if (usrc >= USER_TOP)
		return -EFAULT;
	if (max > USER_TOP - usrc)
		max = USER_TOP - usrc;
	n = uaccess_strncpy(dst, (const char *)usrc, max);
	if (n < 0)
		return -EFAULT;
	if ((size_t)n == max) {
		dst[max - 1] = '\0';
		return -ENAMETOOLONG;
	}
	return n;
}

uint64_t uaccess_fixup(uint64_t pc)
{
	for (uint64_t i = 0; i < uaccess_nfixups; i++)
		if (pc >= uaccess_fixups[i].start && pc < uaccess_fixups[i].end)
			return uaccess_fixups[i].pad;
	return 0;
}
