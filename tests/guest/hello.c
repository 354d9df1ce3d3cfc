/* A static glibc program: exercises glibc's start-up (TLS, IRELATIVE
 * relocations, auxv, brk, stdio) on Rivet. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	char *p = malloc(100000); /* beyond the first brk page */

	if (!p)
		return 2;
	p[99999] = 1;
	printf("hello from glibc: argc=%d argv[0]=%s\n", argc, argv[0]);
	free(p);
	return 0;
}
