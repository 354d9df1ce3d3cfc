/* Host tests of the frame's byte and string primitives (frame/lib/string.c,
 * built as rivet_*) against the host libc, over every alignment and many
 * lengths, with ASan watching the bounds. */
#include <stdlib.h>
#include <string.h>

#include "rivet_string.h"
#include "rng.h"
#include "test.h"

#define AREA 256

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void fill_random(unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)rng();
}

static void test_memcpy_memset(void)
{
	static unsigned char src[AREA], a[AREA], b[AREA];
	bool cpy = true, set = true, ret = true;

	for (size_t so = 0; so < 16; so++)
		for (size_t d = 0; d < 16; d++)
			for (size_t n = 0; n + 16 < AREA; n += (n < 40 ? 1 : 23)) {
				fill_random(src, AREA);
				fill_random(a, AREA);
				memcpy(b, a, AREA);
				ret &= rivet_memcpy(a + d, src + so, n) == a + d;
				memcpy(b + d, src + so, n);
				cpy &= memcmp(a, b, AREA) == 0;
				int c = (n & 1) ? (int)(rng() & 0xff) : 0; /* 0: the word path */
				ret &= rivet_memset(a + d, c, n) == a + d;
				memset(b + d, c, n);
				set &= memcmp(a, b, AREA) == 0;
			}
	CHECK_MSG(cpy, "memcpy differs from the host's");
	CHECK_MSG(set, "memset differs from the host's");
	CHECK_MSG(ret, "memcpy/memset return dst");
	/* memset's int argument is converted to unsigned char. */
	rivet_memset(a, 0x1ff, 8);
	CHECK_EQ(a[0], 0xff);
	CHECK_EQ(a[7], 0xff);
}

static void test_memmove(void)
{
	static unsigned char a[AREA], b[AREA];
	bool ok = true, ret = true;

	for (size_t so = 0; so < 40; so++)
		for (size_t d = 0; d < 40; d++)
			for (size_t n = 0; n + 40 < AREA; n += (n < 24 ? 1 : 17)) {
				fill_random(a, AREA);
				memcpy(b, a, AREA);
				ret &= rivet_memmove(a + d, a + so, n) == a + d;
				memmove(b + d, b + so, n);
				ok &= memcmp(a, b, AREA) == 0;
			}
	CHECK_MSG(ok, "memmove differs from the host's on overlapping ranges");
	CHECK_MSG(ret, "memmove returns dst");
}

static void test_compare_search(void)
{
	static unsigned char a[AREA], b[AREA];
	bool cmp = true, chr = true;

	for (int iter = 0; iter < 20000; iter++) {
		/* Lengths past a few doublewords, both sides aligned alike or
		 * not (memcmp compares doublewords when it can). */
		size_t n = rng_below(200), off = rng_below(8);
		size_t boff = rng_below(2) ? off : rng_below(8);
		fill_random(a, AREA);
		memcpy(b + boff, a + off, n);
		if (n && rng_below(2))
			b[boff + rng_below(n)] ^= (unsigned char)(1 + rng_below(255));
		cmp &= sign(rivet_memcmp(a + off, b + boff, n)) == sign(memcmp(a + off, b + boff, n));
		int c = (int)(rng() & 0xff);
		if (rng_below(4) == 0)
			c |= 0x100; /* memchr converts c to unsigned char */
		chr &= rivet_memchr(a + off, c, n) == memchr(a + off, c, n);
	}
	CHECK_MSG(cmp, "memcmp sign differs from the host's");
	CHECK_MSG(chr, "memchr differs from the host's");
	CHECK(sign(rivet_memcmp("\x80", "\x01", 1)) > 0); /* unsigned bytes */
	CHECK_EQ(rivet_memcmp("abc", "abd", 0), 0);
}

/* Random strings of a small alphabet so prefixes and equal strings happen. */
static void random_string(char *s, size_t max)
{
	size_t n = rng_below(max);

	for (size_t i = 0; i < n; i++)
		s[i] = "ab\x80\xff"[rng_below(4)];
	s[n] = '\0';
}

static void test_strings(void)
{
	char a[40], b[40];
	bool len = true, nlen = true, cmp = true, ncmp = true, chr = true, rchr = true;

	for (int iter = 0; iter < 20000; iter++) {
		random_string(a, 12);
		random_string(b, 12);
		if (rng_below(4) == 0)
			strcpy(b, a);
		size_t max = rng_below(16);
		int c = "ab\x80\xff\0z"[rng_below(6)];
		len &= rivet_strlen(a) == strlen(a);
		nlen &= rivet_strnlen(a, max) == strnlen(a, max);
		cmp &= sign(rivet_strcmp(a, b)) == sign(strcmp(a, b));
		ncmp &= sign(rivet_strncmp(a, b, max)) == sign(strncmp(a, b, max));
		chr &= rivet_strchr(a, c) == strchr(a, c);
		rchr &= rivet_strrchr(a, c) == strrchr(a, c);
	}
	CHECK_MSG(len, "strlen");
	CHECK_MSG(nlen, "strnlen");
	CHECK_MSG(cmp, "strcmp sign (unsigned chars)");
	CHECK_MSG(ncmp, "strncmp sign");
	CHECK_MSG(chr, "strchr (including c == 0)");
	CHECK_MSG(rchr, "strrchr (including c == 0)");
	/* strnlen must not read past max (ASan: a 3-byte object without NUL). */
	char *three = malloc(3);
	memcpy(three, "abc", 3);
	CHECK_EQ(rivet_strnlen(three, 3), 3);
	CHECK_EQ(rivet_strncmp(three, "abcd", 3), 0);
	free(three);
}

static void test_strlcpy(void)
{
	static const char *srcs[] = { "", "a", "hello", "exactly-16-chars", "a much longer source string" };

	for (unsigned i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++) {
		for (size_t size = 0; size < 40; size++) {
			char dst[48];
			memset(dst, '#', sizeof(dst));
			size_t r = rivet_strlcpy(dst, srcs[i], size);
			CHECK_EQ(r, strlen(srcs[i]));
			if (size == 0) {
				CHECK_EQ(dst[0], '#');
				continue;
			}
			char want[48];
			snprintf(want, size, "%s", srcs[i]); /* the same contract */
			CHECK_MSG(strcmp(dst, want) == 0 && dst[size] == '#',
				  "strlcpy(\"%s\", %zu) gave \"%s\"", srcs[i], size, dst);
		}
	}
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	rng_init("string");
	test_memcpy_memset();
	test_memmove();
	test_compare_search();
	test_strings();
	test_strlcpy();
	return test_done("string");
}
