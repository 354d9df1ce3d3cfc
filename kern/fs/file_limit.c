/* The system-wide open-file limit (file_limit.h). */
#include <frame/errno.h>
#include <frame/meminfo.h>
#include "fs/file_limit.h"
#include "proc/cred.h"

#define NR_FILE 8192          /* Linux's floor for the default */
#define FILE_BUDGET_BYTES 1024 /* what Linux's default assumes a file costs */

static unsigned long nr_files;
static unsigned long max_files;
static bool max_known; /* the default is worked out when first asked: memory is sized by then */

unsigned long file_limit_max(void)
{
	if (!max_known) {
		unsigned long n = (unsigned long)(mem_total_bytes() / 10 / FILE_BUDGET_BYTES);
		max_files = MAX(n, (unsigned long)NR_FILE);
		max_known = true;
	}
	return max_files;
}

void file_limit_set_max(unsigned long max)
{
	max_files = max; /* 0 too: then only root may open, as on Linux */
	max_known = true;
}

unsigned long file_limit_count(void)
{
	return nr_files;
}

int file_limit_take(void)
{
	if (nr_files >= file_limit_max() && !cred_capable())
		return -ENFILE;
	nr_files++;
	return 0;
}

void file_limit_give(void)
{
	nr_files--;
}
