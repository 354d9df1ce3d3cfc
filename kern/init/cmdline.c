/* Looking words up on the kernel command line; the frame keeps the line
 * itself (boot_cmdline()), kern and the drivers read it through here. */
#include <frame/boot.h>
#include <kern/cmdline.h>
#include <string.h>

/* The word after the one at p (or the terminating NUL). */
static const char *next_word(const char *p)
{
	while (*p && *p != ' ')
		p++;
	while (*p == ' ')
		p++;
	return p;
}

bool cmdline_flag(const char *word)
{
	size_t len = strlen(word);

	for (const char *p = boot_cmdline(); *p; p = next_word(p))
		if (strncmp(p, word, len) == 0 && (p[len] == ' ' || p[len] == '\0'))
			return true;
	return false;
}

bool cmdline_option(const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);

	for (const char *p = boot_cmdline(); *p; p = next_word(p)) {
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			size_t n = 0;
			for (p += klen + 1; p[n] && p[n] != ' ' && n + 1 < size; n++)
				buf[n] = p[n];
			buf[n] = '\0';
			return true;
		}
	}
	return false;
}
