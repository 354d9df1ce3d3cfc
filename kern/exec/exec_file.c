#include <frame/errno.h>
#include "exec/exec_file.h"
#include "init/initramfs.h"

int exec_file_open(const char *path, const void **image, size_t *size)
{
	int err = initramfs_find(path, image, size);

	return err == -EINVAL ? -EIO : err;
}

void exec_file_close(const void *image, size_t size)
{
	(void)image; /* the initramfs stays in memory */
	(void)size;
}
