/* Loading a program into a process: execve's core. */
#ifndef KERN_EXEC_H
#define KERN_EXEC_H

#include <frame/types.h>
#include "proc/process.h"

struct exec_file;

/* Replaces p's address space with the static ELF executable ef (open) and
 * sets its registers to start it with argv and envp. On failure p is
 * unchanged. -ENOEXEC for a malformed or unsupported file (logged why). */
int exec_image(struct process *p, struct exec_file *ef, const char *path,
	       const char *const argv[], const char *const envp[]);

/* Runs the program at path in p (exec_image), following "#!" lines to an
 * interpreter (nested up to 4; -ELOOP beyond) as Linux does: the script
 * runs as "interp [arg] path argv[1..]". argv (NULL-terminated) has room
 * for argv_max entries, since a script run rewrites it in place. */
int exec_path(struct process *p, const char *path, const char **argv, size_t argv_max,
	      const char *const envp[]);

#endif
