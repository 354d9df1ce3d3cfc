/* Walking and removing a VFS tree through its inode operations, for the
 * targets that build one from their input (cpio) or read one (ext2). */
#ifndef FUZZ_TREE_H
#define FUZZ_TREE_H

#include "fs/vfs.h"

/* Reads every file and link under dir (depth-bounded), as a program would. */
void fuzz_walk(struct inode *dir, int depth);
/* Up to max names of dir's entries (not . and ..) into names/lens. */
unsigned fuzz_names(struct inode *dir, char (*names)[256], size_t *lens, unsigned max);
/* Removes everything under dir; dir itself stays. */
void fuzz_empty(struct inode *dir);

#endif
