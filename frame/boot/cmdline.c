/* The kernel command line (/chosen/bootargs). */
#include <frame/boot.h>
#include <frame/errno.h>
#include <stdlib.h>
#include <string.h>
#include "boot/cmdline.h"
#include "console/console_internal.h"
#include "time/watchdog.h"

#define CMDLINE_MAX 512

static char cmdline[CMDLINE_MAX];
static const char *model = "unknown";

/* The value of "key=" in the command line, or NULL. */
static const char *option(const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = cmdline; *p;) {
		if (strncmp(p, key, klen) == 0 && p[klen] == '=')
			return p + klen + 1;
		while (*p && *p != ' ')
			p++;
		while (*p == ' ')
			p++;
	}
	return NULL;
}

void cmdline_init(const char *bootargs)
{
	const char *level, *wd;

	strlcpy(cmdline, bootargs, sizeof(cmdline));
	if ((level = option("loglevel")) != NULL)
		console_set_level((enum log_level)strtoul(level, NULL, 10));
	if ((wd = option("rivet.watchdog")) != NULL)
		watchdog_set_threshold((unsigned)strtoul(wd, NULL, 10));
}

const char *boot_cmdline(void)
{
	return cmdline;
}

void boot_set_model(const char *m)
{
	model = m;
}

const char *boot_model(void)
{
	return model;
}

static const void *initrd_data;
static size_t initrd_size;

void boot_set_initrd(const void *data, size_t size)
{
	initrd_data = data;
	initrd_size = size;
}

int boot_initrd(const void **data, size_t *size)
{
	if (!initrd_data)
		return -ENOENT;
	*data = initrd_data;
	*size = initrd_size;
	return 0;
}
