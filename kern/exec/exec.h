/* Loading a program into a process: execve's core. */
#ifndef KERN_EXEC_H
#define KERN_EXEC_H

#include <frame/types.h>
#include "proc/process.h"

/* Replaces p's address space with the static ELF executable in file and
 * sets its registers to start it with argv and envp. On failure p is
 * unchanged. -ENOEXEC for a malformed or unsupported file (logged why). */
int exec_image(struct process *p, const void *file, size_t size, const char *path,
	       const char *const argv[], const char *const envp[]);

#endif
