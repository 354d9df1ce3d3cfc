/* Host tests of the frame's printf formatting (frame/lib/vsnprintf.c, built
 * as rivet_vsnprintf/rivet_snprintf) against the host's snprintf. */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "rivet_string.h"
#include "test.h"

#define CANARY 0x7e
#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif

/* Formats with both; compares the text and the return value, and for every
 * buffer size up to the full length + 2 the truncated text, the terminator
 * and that nothing is written past the size. */
static void __attribute__((format(printf, 2, 3))) check_fmt(int line, const char *fmt, ...)
{
	char want[512], got[512];
	va_list ap, aq;
	int wn, gn;

	va_start(ap, fmt);
	va_copy(aq, ap);
	wn = vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	memset(got, CANARY, sizeof(got));
	gn = rivet_vsnprintf(got, sizeof(got), fmt, aq);
	va_end(aq);
	CHECK_MSG(wn == gn && strcmp(want, got) == 0,
		  "line %d: format \"%s\": host \"%s\" (%d), frame \"%s\" (%d)", line, fmt, want, wn,
		  got, gn);
	if (wn < 0 || wn > 300)
		return;
	bool ok = true;
	for (size_t size = 0; size <= (size_t)wn + 2; size++) {
		va_start(ap, fmt);
		memset(got, CANARY, sizeof(got));
		gn = rivet_vsnprintf(size ? got : NULL, size, fmt, ap);
		va_end(ap);
		ok &= gn == wn;
		if (size) {
			size_t keep = MIN(size - 1, (size_t)wn);
			ok &= memcmp(got, want, keep) == 0 && got[keep] == '\0';
			ok &= got[size] == CANARY; /* nothing past the buffer */
		}
	}
	CHECK_MSG(ok, "line %d: format \"%s\" truncated wrongly", line, fmt);
}
#define F(...) check_fmt(__LINE__, __VA_ARGS__)

/* For what has no host equivalent (%p, unknown conversions). */
static void __attribute__((format(printf, 3, 4))) check_literal(int line, const char *want,
								 const char *fmt, ...)
{
	char got[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = rivet_vsnprintf(got, sizeof(got), fmt, ap);
	va_end(ap);
	CHECK_MSG(n == (int)strlen(want) && strcmp(got, want) == 0,
		  "line %d: format \"%s\": want \"%s\", frame \"%s\" (%d)", line, fmt, want, got, n);
}

int main(void)
{
	/* What the kernel prints with today. */
	F("plain text, no conversions");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-zero-length"
	F("");
#pragma GCC diagnostic pop
	F("%s", "hello");
	F("[%s]", "");
	const char *volatile null_str = NULL; /* hidden from -Wformat-overflow */
	F("%s", null_str);
	F("%lu", 0UL);
	F("%lu", 1234567890123UL);
	F("%lu", ULONG_MAX);
	F("%lx", 0UL);
	F("%lx", 0xdeadbeefcafef00dUL);
	F("%lx", ULONG_MAX);
	F("%u %u %u", 0u, 42u, UINT_MAX);
	F("%016lx", 0UL);
	F("%016lx", 0x80200000UL);
	F("%016lx", ULONG_MAX);
	F("%ld %ld %ld", 0L, -1L, LONG_MIN);
	F("%ld", LONG_MAX);
	F("%d %d %d %d", 0, -7, INT_MIN, INT_MAX);
	F("0x%09lx-0x%09lx", 0x80000000UL, 0x87ffffffUL);
	F("%09lx", 0x123456789abUL); /* wider than the width */
	F("|%4s|%4s|%4s|", "", "ab", "abcdef");
	F("%6lu MiB", 128UL);
	F("%6lu", 12345678UL);
	F("|%4u|%4u|", 7u, 123456u);
	F("|%4d|%4d|%4d|", 7, -7, -12345);
	F("|%-4s|%-4s|", "a", "abcde");
	F("%x %x", 0u, 0xabcdefu);
	F("%o %o", 0u, 0755u);
	F("%#x %#x %#X %#lx", 0u, 0x2au, 0xabcu, 0xdeadbeefUL); /* '#': no 0x for zero */
	F("|%#10x|%#-10x|%#010x|", 0x1fu, 0x1fu, 0x1fu);
	F("%#o %#o %#o", 0u, 8u, 0755u);
	F("|%#6o|%#06o|", 7u, 7u);
	F("|%08d|%-8d|%08d|", -42, -42, 42);
	F("%i %i", -5, 99);
	F("[%c%c%c]", 'a', 'Z', ' ');
	F("%X", 0xabcdefu);
	F("|%-9s|", "bus");
	F("|%-9s|", "longer than nine");
	F("0x%-6lx|", 0x1000UL);
	F("0x%-6lx|", 0x12345678UL);
	F("|%-13u|", 42u);
	F("100%%");
	F("%%%s%%", "x");
	F("|%5s|%5s|", "abc", "abcdefg");
	F("|%.*s|", 3, "abcdef");
	F("|%.*s|", 0, "abcdef");
	F("|%.*s|", 10, "abc");
	F("|%.*s|", -1, "abcdef"); /* negative precision: as if omitted */
	F("|%.2s|%.0s|", "xyz", "xyz");
	F("|%8.3s|%-8.3s|", "abcdef", "abcdef");
	/* Around the kernel's uses. */
	F("|%5d|%-5d|%05d|", -42, -42, -42);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
	F("|%-05d|%0-5d|", -42, 42); /* '-' wins over '0' */
#pragma GCC diagnostic pop
	F("|%05u|%5x|%-5x|", 42u, 0xabu, 0xabu);
	F("%lld %llu %llx", LLONG_MIN, ULLONG_MAX, 0x1234567890abcdefULL);
	F("%zu %zd %zx", (size_t)123, (ssize_t)-5, (size_t)0xfff);
	F("|%*d|%-*d|", 6, 42, 6, 42);
	F("|%*s|", 7, "ab");
	F("|%c|%3c|%-3c|", 'q', 'r', 's');
	F("%s=%lu %s=%lx", "a", 1UL, "b", 0xffUL);
	F("%o", 037777777777u);
	F("%lo", ULONG_MAX);

	/* %p is always 0x and 16 digits in the frame (glibc differs: "(nil)"). */
	check_literal(__LINE__, "0x0000000000000000", "%p", (void *)0);
	check_literal(__LINE__, "0xffffffc000201000", "%p", (void *)0xffffffc000201000UL);
	check_literal(__LINE__, "at 0x00000000deadbeef.", "at %p.", (void *)0xdeadbeefUL);
	/* Unknown conversions are shown, and take no argument. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
	check_literal(__LINE__, "%q 5", "%q %d", 5);
	check_literal(__LINE__, "abc%", "abc%");
#pragma GCC diagnostic pop

	/* A very long output: the return value counts all of it. */
	char big[8];
	char longs[1000];
	memset(longs, 'x', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = '\0';
	CHECK_EQ(rivet_snprintf(big, sizeof(big), "%s%s", longs, longs), 1998);
	CHECK_STR(big, "xxxxxxx");
	CHECK_EQ(rivet_snprintf(NULL, 0, "%d", 12345), 5);

	return test_done("format");
}
