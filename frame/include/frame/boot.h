/* What the boot loader handed over, for the services. */
#ifndef FRAME_BOOT_H
#define FRAME_BOOT_H

#include <frame/types.h>

const char *boot_cmdline(void);
const char *boot_model(void);

/* The first service code the frame runs, once every driver is bound. */
void kern_main(void) __noreturn;

#endif
