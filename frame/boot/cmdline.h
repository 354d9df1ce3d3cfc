#ifndef FRAME_BOOT_CMDLINE_H
#define FRAME_BOOT_CMDLINE_H

/* Keeps the command line and applies the frame's own options (loglevel=N). */
void cmdline_init(const char *bootargs);
void boot_set_model(const char *model);
/* Records the initramfs (a direct-map pointer) for boot_initrd(). */
void boot_set_initrd(const void *data, size_t size);

#endif
