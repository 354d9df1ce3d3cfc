/* What the host stubs expose to the tests. */
#ifndef HOST_STUBS_H
#define HOST_STUBS_H

/* Spinlocks currently held through the stubs (must be 0 between calls). */
extern int host_locks_held;
/* Number of klog calls so far (messages go to stderr with RIVET_TEST_VERBOSE). */
extern unsigned long host_klog_calls;

#endif
