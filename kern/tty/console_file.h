#ifndef KERN_TTY_CONSOLE_FILE_H
#define KERN_TTY_CONSOLE_FILE_H
#include "fs/file.h"

struct file *console_file_open(unsigned flags);

#endif
