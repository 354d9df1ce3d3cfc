#ifndef KERN_INIT_FIRST_PROCESS_H
#define KERN_INIT_FIRST_PROCESS_H

/* Runs the initramfs's init program to its end. -ENOENT if there is none. */
int first_process_run(void);

#endif
