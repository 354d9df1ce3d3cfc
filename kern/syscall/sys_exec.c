/* execve: replace the calling process's program. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/uaccess.h>
#include <string.h>
#include "exec/exec.h"
#include "proc/process.h"
#include "syscall/syscall.h"

#define PATH_MAX 4096
#define ARG_STRINGS_MAX (256 * 1024) /* argv + envp bytes */
/* Entries of argv and of envp. Linux limits only bytes (strings and
 * pointers within ARG_MAX), and programs size their exec calls by that:
 * busybox xargs packs 400 applet names into one command. So the count is
 * set where the pointers alone would fill the strings' budget, and the
 * stack image (exec.c) is what normally says E2BIG. */
#define ARG_COUNT_MAX (ARG_STRINGS_MAX / 8)

struct exec_args {
	char *strings; /* all strings, back to back */
	size_t used;
	const char **argv; /* ARG_COUNT_MAX + 1 entries, #! runs included */
	const char **envp; /* ARG_COUNT_MAX + 1 entries */
};

/* Copies the NULL-terminated user array of strings at uvec into out. */
static int copy_strings(struct exec_args *a, uint64_t uvec, const char **out)
{
	unsigned n = 0;

	for (; uvec; n++) {
		uint64_t ustr;
		long len;
		if (n == ARG_COUNT_MAX)
			return -E2BIG;
		if (copy_from_user(&ustr, uvec + n * 8, 8))
			return -EFAULT;
		if (!ustr)
			break;
		len = strncpy_from_user(a->strings + a->used, ustr, ARG_STRINGS_MAX - a->used);
		if (len == -ENAMETOOLONG)
			return -E2BIG;
		if (len < 0)
			return (int)len;
		out[n] = a->strings + a->used;
		a->used += (size_t)len + 1;
	}
	out[n] = NULL;
	return 0;
}

static int do_execve(uint64_t upath, uint64_t uargv, uint64_t uenvp, struct exec_args *a)
{
	char *path = a->strings;
	long len = strncpy_from_user(path, upath, PATH_MAX);
	int err;

	if (len < 0)
		return (int)len;
	if (len == 0)
		return -ENOENT;
	a->used = (size_t)len + 1;
	if ((err = copy_strings(a, uargv, a->argv)) || (err = copy_strings(a, uenvp, a->envp)))
		return err;
	if ((err = exec_path(current, path, a->argv, ARG_COUNT_MAX, a->envp)) != 0)
		return err;
	process_vfork_release(current);
	return 0;
}

SYSCALL(execve)
{
	struct exec_args a = {
		.strings = kmalloc(ARG_STRINGS_MAX),
		.argv = kmalloc((ARG_COUNT_MAX + 1) * sizeof(char *)),
		.envp = kmalloc((ARG_COUNT_MAX + 1) * sizeof(char *)),
	};
	int err = -ENOMEM;

	if (a.strings && a.argv && a.envp)
		err = do_execve(args->a[0], args->a[1], args->a[2], &a);
	kfree(a.strings);
	kfree(a.argv);
	kfree(a.envp);
	/* On success a0 becomes 0, as the new program expects. */
	return err;
}
