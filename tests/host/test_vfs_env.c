/* Stand-ins for what kern/fs calls outside itself (see test_vfs_env.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/irq.h>
#include <frame/meminfo.h>
#include <frame/page.h>
#include <frame/task.h>
#include <frame/time.h>
#include <kern/wallclock.h>
#include <frame/uaccess.h>
#include "fs/epoll.h"
#include "fs/fdtable.h"
#include "fs/fifo.h"
#include "fs/tmpfs.h"
#include "mm/mm.h"
#include "proc/entropy.h"
#include "proc/sleep.h"
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

/* One task and no interrupts: masking is a no-op, nothing ever sleeps (a
 * lock test that would block gets -ERESTARTSYS, as if a signal came). */
unsigned long irq_save(void)
{
	return 0;
}

void irq_restore(unsigned long flags)
{
	(void)flags;
}

void wait_queue_wake_all(struct wait_queue *wq)
{
	(void)wq;
}

int proc_sleep(struct wait_queue *wq)
{
	(void)wq;
	return -ERESTARTSYS;
}

uint64_t time_now_ns(void)
{
	return env_now_ns;
}

/* No RTC here: the wall clock is the test's clock (kern/fs/inode.c). */
uint64_t wallclock_now_ns(void)
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

void *task_current_data(void)
{
	return task_data(task_current());
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

/* FIFOs and epoll need the scheduler and signals: the guest tests
 * (test_fifo, test_epoll) cover them; here a FIFO does not open. */
int fifo_open(struct inode *ino, unsigned flags, struct file **out)
{
	(void)ino;
	(void)flags;
	(void)out;
	return -ENXIO;
}

void epoll_file_closed(struct file *f)
{
	(void)f;
}

/* User pages (frame/page.h) as counted host blocks. */
struct env_page {
	unsigned refs;
	char data[PAGE_BYTES];
};

static struct env_page *env_page_of(page_t p)
{
	return (struct env_page *)(uintptr_t)p.v;
}

int page_alloc(page_t *out)
{
	struct env_page *pg = calloc(1, sizeof(*pg));

	if (!pg)
		return -ENOMEM;
	pg->refs = 1;
	out->v = (uint64_t)(uintptr_t)pg;
	return 0;
}

int page_get(page_t p)
{
	env_page_of(p)->refs++;
	return 0;
}

void page_put(page_t p)
{
	if (--env_page_of(p)->refs == 0)
		free(env_page_of(p));
}

int page_read(page_t p, size_t off, void *dst, size_t len)
{
	memcpy(dst, env_page_of(p)->data + off, len);
	return 0;
}

int page_write(page_t p, size_t off, const void *src, size_t len)
{
	memcpy(env_page_of(p)->data + off, src, len);
	return 0;
}

int page_zero(page_t p, size_t off, size_t len)
{
	memset(env_page_of(p)->data + off, 0, len);
	return 0;
}

int page_copy_to_user(page_t p, size_t off, uint64_t udst, size_t len)
{
	return copy_to_user(udst, env_page_of(p)->data + off, len);
}

int page_copy_from_user(page_t p, size_t off, uint64_t usrc, size_t len)
{
	return copy_from_user(env_page_of(p)->data + off, usrc, len);
}

/* No address spaces here: nothing maps files. */
void mm_file_shrunk(struct inode *ino, uint64_t size)
{
	(void)ino;
	(void)size;
}

bool (*env_sleep_hook)(void);

/* The block layer's waits (kern/block): the host disks complete every
 * request before submit returns, or when the test's hook is called, so
 * nothing should ever sleep for good. */
void wait_queue_sleep(struct wait_queue *wq)
{
	(void)wq;
	if (env_sleep_hook && env_sleep_hook())
		return;
	fprintf(stderr, "wait_queue_sleep: a host test would sleep forever\n");
	abort();
}

void task_yield(void)
{
}
