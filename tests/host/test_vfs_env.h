/* The kernel environment kern/fs runs in, for the VFS host tests: the heap
 * is malloc, "user" addresses are host pointers (below 4096 they fault),
 * time is a counter the test moves, and `current` is one fake process. */
#ifndef HOST_TEST_VFS_ENV_H
#define HOST_TEST_VFS_ENV_H

#include <stdint.h>
#include "fs/path.h"
#include "proc/process.h"

#define U(p) ((uint64_t)(uintptr_t)(p))

extern struct process env_proc;
extern uint64_t env_now_ns;
/* Set by a test whose disk completes requests later: a sleep calls it
 * instead of failing, and it must return true (it completed something). */
extern bool (*env_sleep_hook)(void);

/* A tmpfs root, mounted, and env_proc's cwd on it. */
struct super *env_setup(void);

#endif
