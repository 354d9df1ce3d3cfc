/* Stand-ins for what kern/fs calls outside itself (see test_vfs_env.h). */
#include <stdlib.h>
#include <string.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/meminfo.h>
#include <frame/task.h>
#include <frame/time.h>
#include <frame/uaccess.h>
#include "fs/fdtable.h"
#include "fs/tmpfs.h"
#include "proc/entropy.h"
#include "test_vfs_env.h"

struct process env_proc;
uint64_t env_now_ns = 1000000000ull;
static char env_task;

void *kmalloc(size_t size)
{
	return malloc(size ? size : 1);
}

void *kzalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

void kfree(void *p)
{
	free(p);
}

uint64_t time_now_ns(void)
{
	return env_now_ns;
}

uint64_t mem_total_bytes(void)
{
	return 256ull << 20;
}

struct task *task_current(void)
{
	return (struct task *)(void *)&env_task;
}

void *task_data(const struct task *t)
{
	return t == (const struct task *)(const void *)&env_task ? &env_proc : NULL;
}

struct process *process_first(void)
{
	return &env_proc;
}

struct process *process_next(struct process *p)
{
	(void)p;
	return NULL;
}

struct file *fd_get(struct process *p, int fd)
{
	return fd >= 0 && fd < MAX_FDS ? p->fds[fd] : NULL;
}

void entropy_fill(void *buf, size_t len)
{
	memset(buf, 0x5a, len);
}

int copy_from_user(void *dst, uint64_t usrc, size_t len)
{
	if (usrc < 4096)
		return -EFAULT;
	memcpy(dst, (const void *)(uintptr_t)usrc, len);
	return 0;
}

int copy_to_user(uint64_t udst, const void *src, size_t len)
{
	if (udst < 4096)
		return -EFAULT;
	memcpy((void *)(uintptr_t)udst, src, len);
	return 0;
}

long strncpy_from_user(char *dst, uint64_t usrc, size_t max)
{
	const char *src = (const char *)(uintptr_t)usrc;
	size_t n;

	if (usrc < 4096)
		return -EFAULT;
	n = strnlen(src, max);
	if (n == max)
		return -ENAMETOOLONG;
	memcpy(dst, src, n + 1);
	return (long)n;
}

struct super *env_setup(void)
{
	struct super *sb = tmpfs_create(0755);

	if (!sb || vfs_mount(sb, NULL))
		abort();
	fs_process_init(&env_proc);
	return sb;
}
