/* execve: replace the calling process's program. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/uaccess.h>
#include <string.h>
#include "exec/exec.h"
#include "fs/exec_read.h"
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

/* "#!interp [arg]" at the start of image: the script runs as
 * "interp [arg] path argv[1..]". Fills interp and arg (pointing into line,
 * a copy of the first line) and returns 1; 0 if image is not a script. */
static int parse_shebang(const char *image, size_t size, char *line, size_t cap,
			 const char **interp, const char **arg)
{
	size_t n = 0;
	char *p;

	if (size < 2 || image[0] != '#' || image[1] != '!')
		return 0;
	for (size_t i = 2; i < size && image[i] != '\n' && n + 1 < cap; i++)
		line[n++] = image[i] == '\t' ? ' ' : image[i];
	line[n] = '\0';
	for (p = line; *p == ' '; p++)
		;
	*interp = p;
	while (*p && *p != ' ')
		p++;
	*arg = NULL;
	if (*p) {
		*p++ = '\0';
		while (*p == ' ')
			p++;
		if (*p) {
			*arg = p; /* Linux passes the rest as one argument, trailing blanks cut */
			for (char *e = p + strlen(p); e > p && e[-1] == ' '; e--)
				e[-1] = '\0';
		}
	}
	return 1;
}

/* The argv of an interpreter run, in place: interp [arg] path argv[1..]. */
static int script_argv(const char *interp, const char *arg, const char *path, const char **argv)
{
	size_t old = 0, head = arg ? 3 : 2;

	while (argv[old])
		old++;
	size_t rest = old ? old - 1 : 0; /* argv[1..] */
	if (head + rest > ARG_COUNT_MAX)
		return -E2BIG;
	memmove(argv + head, argv + (old ? 1 : 0), (rest + 1) * sizeof(*argv)); /* with the NULL */
	argv[0] = interp;
	if (arg)
		argv[1] = arg;
	argv[head - 1] = path;
	return 0;
}

#define SHEBANG_MAX 256
#define SCRIPT_DEPTH 4 /* Linux allows a few nested interpreters too */

static int exec_path(const char *path, struct exec_args *a)
{
	char line[SCRIPT_DEPTH][SHEBANG_MAX];
	const char *interp, *arg;
	void *image;
	size_t size;
	int err;

	for (int depth = 0;; depth++) {
		if ((err = vfs_exec_open(path, &image, &size)) != 0)
			return err;
		if (!parse_shebang(image, size, line[depth], SHEBANG_MAX, &interp, &arg))
			break;
		vfs_exec_close(image);
		if (depth + 1 == SCRIPT_DEPTH)
			return -ELOOP;
		if (!*interp)
			return -ENOEXEC;
		if ((err = script_argv(interp, arg, path, a->argv)) != 0)
			return err;
		path = interp;
	}
	err = exec_image(current, image, size, path, a->argv, a->envp);
	vfs_exec_close(image);
	return err;
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
	if ((err = exec_path(path, a)) != 0)
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
