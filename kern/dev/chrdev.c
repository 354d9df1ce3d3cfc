/* The character-device table. */
#include <frame/errno.h>
#include "dev/chrdev.h"
#include "fs/stat.h"

#define MAX_CHRDEVS 32

static const struct chrdev *table[MAX_CHRDEVS];
static unsigned count;

int chrdev_register(const struct chrdev *dev)
{
	if (count == MAX_CHRDEVS)
		return -ENOMEM;
	table[count++] = dev;
	return 0;
}

const struct chrdev *chrdev_at(unsigned index)
{
	return index < count ? table[index] : NULL;
}

int chrdev_open(uint32_t rdev, unsigned flags, struct file **out)
{
	for (unsigned i = 0; i < count; i++)
		if (encode_dev(table[i]->major, table[i]->minor) == rdev)
			return table[i]->open(flags, out);
	return -ENXIO;
}
