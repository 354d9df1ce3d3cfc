/* Robust futexes at thread exit (Linux's exit_robust_list): every lock on
 * the list set_robust_list named that the dying thread still owns gets
 * FUTEX_OWNER_DIED, and one waiter is woken to recover it. The list lives
 * in user memory, so every read may fault: a bad list just ends the walk. */
#include <frame/uaccess.h>
#include "proc/futex.h"
#include "proc/process.h"
#include "proc/robust_list.h"

#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_TID_MASK 0x3fffffffu
#define ROBUST_LIST_LIMIT 2048 /* as Linux: a cyclic list cannot hang exit */

struct robust_list_head {
	uint64_t next;        /* first entry (struct robust_list *), or the head itself */
	int64_t futex_offset; /* from an entry to its futex word */
	uint64_t pending;     /* an entry being taken or released */
};

/* Marks the word at uaddr if tid owns it. */
static void release_one(uint64_t uaddr, int tid)
{
	uint32_t val, nval;

	if (copy_from_user(&val, uaddr, sizeof(val)) || (val & FUTEX_TID_MASK) != (uint32_t)tid)
		return;
	nval = (val & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
	if (copy_to_user(uaddr, &nval, sizeof(nval)))
		return;
	if (val & FUTEX_WAITERS)
		futex_wake(uaddr, 1, FUTEX_BITSET_ANY);
}

void robust_list_exit(struct process *t)
{
	struct robust_list_head head;
	uint64_t entry;

	if (!t->robust_list || copy_from_user(&head, t->robust_list, sizeof(head)))
		return;
	entry = head.next & ~1UL; /* bit 0 marks PI futexes */
	for (int n = 0; entry != t->robust_list && n < ROBUST_LIST_LIMIT; n++) {
		uint64_t next;
		if (copy_from_user(&next, entry, sizeof(next)))
			return;
		if (entry != (head.pending & ~1UL))
			release_one(entry + (uint64_t)head.futex_offset, t->pid);
		entry = next & ~1UL;
	}
	if (head.pending & ~1UL)
		release_one((head.pending & ~1UL) + (uint64_t)head.futex_offset, t->pid);
}
