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
	unsigned major = (rdev >> 8) & 0xfff, minor = (rdev & 0xff) | ((rdev >> 12) & ~0xffu);

	for (unsigned i = 0; i < count; i++) {
		const struct chrdev *d = table[i];
		if (d->open_minor && d->major == major)
			return d->open_minor(minor, flags, out);
		if (d->open && encode_dev(d->major, d->minor) == rdev)
			return d->open(flags, out);
	}
	return -ENXIO;
}
