/* Byte and string primitives for a kernel without libc. The compiler emits
 * calls to memcpy/memset/memmove/memcmp on its own, so these are exported. */
#include <string.h>
#include <stdint.h>

/* Copies words doublewords to the aligned d from s, which is not aligned:
 * each one is the top of an aligned source doubleword and the bottom of
 * the next (little-endian), so every load is aligned. The loads touch only
 * doublewords holding a byte that is copied, so they stay in its pages. */
static void copy_shifted(uint64_t *d, const unsigned char *s, size_t words)
{
	unsigned shift = ((uintptr_t)s & 7) * 8; /* 8..56 */
	const uint64_t *w = (const uint64_t *)((uintptr_t)s & ~(uintptr_t)7);
	uint64_t lo = *w++;

	for (size_t i = 0; i < words; i++) {
		uint64_t hi = *w++;
		d[i] = (lo >> shift) | (hi << (64 - shift));
		lo = hi;
	}
}

/* One round of the aligned copy: all eight loads before the stores, so
 * they need not wait for each other. */
static inline void copy_64(uint64_t *d, const uint64_t *s)
{
	uint64_t a = s[0], b = s[1], c = s[2], e = s[3], f = s[4], g = s[5], h = s[6], i = s[7];

	d[0] = a;
	d[1] = b;
	d[2] = c;
	d[3] = e;
	d[4] = f;
	d[5] = g;
	d[6] = h;
	d[7] = i;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* Same alignment mod 8 (structs, pages, block buffers): bytes to the
	 * boundary, then 64 bytes a round (21 instructions; a device's block
	 * data is copied this way), then doublewords. */
	if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
		for (; n && ((uintptr_t)d & 7); n--)
			*d++ = *s++;
		for (; n >= 64; n -= 64, d += 64, s += 64)
			copy_64((uint64_t *)(void *)d, (const uint64_t *)(const void *)s);
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)d = *(const uint64_t *)s;
	} else if (n >= 16) {
		/* Different alignments (a cpio member's data is 4-byte aligned,
		 * the page it goes to is not): whole doublewords by shifts. */
		for (; (uintptr_t)d & 7; n--)
			*d++ = *s++;
		size_t words = n / 8;
		copy_shifted((uint64_t *)(void *)d, s, words);
		d += words * 8;
		s += words * 8;
		n -= words * 8;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t w = (unsigned char)c * 0x0101010101010101ULL;

	for (; n && ((uintptr_t)d & 7); n--)
		*d++ = (unsigned char)c;
	for (; n >= 32; n -= 32, d += 32) {
		((uint64_t *)d)[0] = w;
		((uint64_t *)d)[1] = w;
		((uint64_t *)d)[2] = w;
		((uint64_t *)d)[3] = w;
	}
	for (; n >= 8; n -= 8, d += 8)
		*(uint64_t *)d = w;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

/* Doublewords while both sides are aligned alike (names, keys, blocks),
 * then the bytes from the first doubleword that differs. */
int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	if ((((uintptr_t)x ^ (uintptr_t)y) & 7) == 0) {
		for (; n && ((uintptr_t)x & 7); n--, x++, y++)
			if (*x != *y)
				return *x - *y;
		for (; n >= 8 && *(const uint64_t *)x == *(const uint64_t *)y; n -= 8, x += 8, y += 8)
			;
	}
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
