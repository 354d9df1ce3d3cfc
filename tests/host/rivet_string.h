/* frame/lib/string.c built for the host with every symbol renamed rivet_*
 * (-Dmemcpy=rivet_memcpy ...), so it can be tested against the host libc. */
#ifndef HOST_RIVET_STRING_H
#define HOST_RIVET_STRING_H
#include <stddef.h>

void *rivet_memcpy(void *dst, const void *src, size_t n);
void *rivet_memmove(void *dst, const void *src, size_t n);
void *rivet_memset(void *dst, int c, size_t n);
int rivet_memcmp(const void *a, const void *b, size_t n);
void *rivet_memchr(const void *s, int c, size_t n);
size_t rivet_strlen(const char *s);
size_t rivet_strnlen(const char *s, size_t max);
int rivet_strcmp(const char *a, const char *b);
int rivet_strncmp(const char *a, const char *b, size_t n);
char *rivet_strchr(const char *s, int c);
char *rivet_strrchr(const char *s, int c);
size_t rivet_strlcpy(char *dst, const char *src, size_t size);

/* frame/lib/vsnprintf.c, renamed the same way. */
#include <stdarg.h>
int rivet_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int rivet_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
