/* PLANTED VIOLATION (boundary.planted.exports-undeclared): a public header
 * declaring a function and a variable that no export list names. The check
 * treats this file as if it were one of frame/include/frame/*.h. */
#ifndef PLANTED_UNDECLARED_H
#define PLANTED_UNDECLARED_H

#include <frame/types.h>

int planted_unlisted_function(const char *name, size_t len);
extern unsigned long planted_unlisted_variable[4];

#endif
