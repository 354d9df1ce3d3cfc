/* File-system types that mount(2) can make: a table each file system adds
 * itself to at boot (tmpfs, proc, sysfs here; devpts and ext2 later). */
#ifndef KERN_FS_FSTYPE_H
#define KERN_FS_FSTYPE_H

#include "fs/vfs.h"

struct fs_type {
	const char *name;
	bool nodev; /* needs no block device (/proc/filesystems says "nodev") */
	/* A new superblock for source with the options in data (a NUL-
	 * terminated kernel string, "" if none), or -errno. */
	int (*mount)(const char *source, const char *data, struct super **out);
};

/* Adds t (static storage) to the table; -ENOMEM when it is full, -EBUSY
 * if the name is taken. */
int fs_type_register(const struct fs_type *t);
/* The type called name, or NULL (mount gives -ENODEV). */
const struct fs_type *fs_type_find(const char *name);
/* The index-th registered type, or NULL past the last. */
const struct fs_type *fs_type_at(unsigned index);
/* Registers the types this kernel has (fs/fstype.c). */
void fs_types_init(void);

#endif
