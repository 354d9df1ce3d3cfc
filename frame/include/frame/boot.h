/* What the boot loader handed over, for the services. */
#ifndef FRAME_BOOT_H
#define FRAME_BOOT_H

#include <frame/types.h>

const char *boot_cmdline(void);
const char *boot_model(void);
/* The initramfs the boot loader handed over (/chosen linux,initrd-*):
 * 0 with *data and *size set, or -ENOENT. The memory stays reserved. */
int boot_initrd(const void **data, size_t *size);

/* The first service code the frame runs, once every driver is bound. */
void kern_main(void) __noreturn;

#endif
