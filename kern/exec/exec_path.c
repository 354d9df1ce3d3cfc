/* Finding the program to run: a path through the VFS, and "#!" scripts
 * followed to their interpreter, as Linux's binfmt_script. Shared by
 * execve and the start of the first process. */
#include <frame/errno.h>
#include <string.h>
#include "exec/exec.h"
#include "fs/exec_read.h"

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
static int script_argv(const char *interp, const char *arg, const char *path, const char **argv,
		       size_t argv_max)
{
	size_t old = 0, head = arg ? 3 : 2;

	while (argv[old])
		old++;
	size_t rest = old ? old - 1 : 0; /* argv[1..] */
	if (head + rest > argv_max)
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

int exec_path(struct process *p, const char *path, const char **argv, size_t argv_max,
	      const char *const envp[])
{
	char line[SCRIPT_DEPTH][SHEBANG_MAX];
	const char *interp, *arg;
	struct exec_file ef;
	int err;

	for (int depth = 0;; depth++) {
		if ((err = vfs_exec_open(path, &ef)) != 0)
			return err;
		/* The head holds a whole "#!" line (SHEBANG_MAX < EXEC_HEAD_MAX). */
		if (!parse_shebang(ef.head, ef.head_len, line[depth], SHEBANG_MAX, &interp, &arg))
			break;
		vfs_exec_close(&ef);
		if (depth + 1 == SCRIPT_DEPTH)
			return -ELOOP;
		if (!*interp)
			return -ENOEXEC;
		if ((err = script_argv(interp, arg, path, argv, argv_max)) != 0)
			return err;
		path = interp;
	}
	err = exec_image(p, &ef, path, argv, envp);
	vfs_exec_close(&ef);
	return err;
}
