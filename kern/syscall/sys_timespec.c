/* Conversions between user timespecs and nanoseconds since boot. */
#include <frame/errno.h>
#include <frame/time.h>
#include <frame/uaccess.h>
#include "syscall/sys_timespec.h"

uint64_t ns_add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - 1 - b ? UINT64_MAX - 1 : a + b;
}

int timespec_read_ns(uint64_t uts, uint64_t *ns)
{
	struct k_timespec ts;

	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	if ((uint64_t)ts.sec > (UINT64_MAX - 1) / NSEC_PER_SEC)
		*ns = UINT64_MAX - 1;
	else
		*ns = ns_add_sat((uint64_t)ts.sec * NSEC_PER_SEC, (uint64_t)ts.nsec);
	return 0;
}

int timespec_deadline(uint64_t uts, uint64_t *deadline)
{
	uint64_t ns;
	int err = timespec_read_ns(uts, &ns);

	if (!err)
		*deadline = ns_add_sat(time_now_ns(), ns);
	return err;
}

int timespec_write_ns(uint64_t uts, uint64_t ns)
{
	struct k_timespec ts = { (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC) };

	return copy_to_user(uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}
