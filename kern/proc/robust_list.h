/* Robust futex lists (set_robust_list), walked when a thread exits. */
#ifndef KERN_PROC_ROBUST_LIST_H
#define KERN_PROC_ROBUST_LIST_H

struct process;

/* t is exiting (still in its own address space): locks it holds on its
 * robust list get FUTEX_OWNER_DIED and a waiter is woken. */
void robust_list_exit(struct process *t);

#endif
