/* execve: replace the calling process's program. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/uaccess.h>
#include <string.h>
#include "exec/exec.h"
#include "exec/exec_file.h"
#include "proc/process.h"
#include "syscall/syscall.h"

#define PATH_MAX 4096
#define ARG_STRINGS_MAX (128 * 1024) /* argv + envp bytes */
#define ARG_COUNT_MAX 256

struct exec_args {
	char *strings; /* all strings, back to back */
	size_t used;
	const char *argv[ARG_COUNT_MAX + 1];
	const char *envp[ARG_COUNT_MAX + 1];
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
	const void *image;
	size_t size;
	long len = strncpy_from_user(path, upath, PATH_MAX);
	int err;

	if (len < 0)
		return (int)len;
	if (len == 0)
		return -ENOENT;
	a->used = (size_t)len + 1;
	if ((err = copy_strings(a, uargv, a->argv)) || (err = copy_strings(a, uenvp, a->envp)))
		return err;
	if ((err = exec_file_open(path, &image, &size)) != 0)
		return err;
	err = exec_image(current, image, size, path, a->argv, a->envp);
	exec_file_close(image, size);
	if (err)
		return err;
	process_vfork_release(current);
	return 0;
}

SYSCALL(execve)
{
	struct exec_args *a = kmalloc(sizeof(*a));
	int err;

	if (!a || !(a->strings = kmalloc(ARG_STRINGS_MAX))) {
		kfree(a);
		return -ENOMEM;
	}
	err = do_execve(args->a[0], args->a[1], args->a[2], a);
	kfree(a->strings);
	kfree(a);
	/* On success a0 becomes 0, as the new program expects. */
	return err;
}
