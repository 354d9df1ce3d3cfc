/* The first number in a /proc file (a sysctl such as threads-max, or
 * file-nr's count), for the robustness programs; -1 if there is none. */
#ifndef ROBUST_PROC_NUMBER_H
#define ROBUST_PROC_NUMBER_H

#include <stdio.h>

static long read_proc_number(const char *path)
{
	FILE *f = fopen(path, "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

#endif
