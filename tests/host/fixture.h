/* Loading the .dtb fixtures that dtc built from fixtures/ (in FIXTURE_DIR). */
#ifndef HOST_FIXTURE_H
#define HOST_FIXTURE_H
#include <stdio.h>
#include <stdlib.h>

/* The blob in a malloc'd buffer of exactly its size (ASan sees any read
 * past it); exits if the file is missing. */
static inline void *load_dtb(const char *stem, size_t *size)
{
	char path[512];
	FILE *f;
	long n;
	void *buf;

	snprintf(path, sizeof(path), "%s/%s.dtb", FIXTURE_DIR, stem);
	f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    !(buf = malloc((size_t)n)) || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "cannot load fixture %s\n", path);
		exit(2);
	}
	fclose(f);
	if (size)
		*size = (size_t)n;
	return buf;
}

#endif
