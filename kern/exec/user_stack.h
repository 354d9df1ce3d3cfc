/* The initial user stack a new program finds (System V / Linux ABI): at sp
 * argc, then argv[] and NULL, envp[] and NULL, the auxiliary vector ending
 * in AT_NULL, and above them the strings and AT_RANDOM's 16 bytes. */
#ifndef KERN_EXEC_USER_STACK_H
#define KERN_EXEC_USER_STACK_H

#include <frame/types.h>

#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_FLAGS 8
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_HWCAP2 26
#define AT_EXECFN 31

#define USTACK_MAX_AUX 24

struct user_stack_spec {
	const char *const *argv; /* NULL-terminated */
	const char *const *envp; /* NULL-terminated */
	const char *execfn;
	uint8_t random[16];
	uint64_t aux[USTACK_MAX_AUX][2]; /* type, value; AT_RANDOM/AT_EXECFN are added */
	unsigned naux;
};

/* Lays the stack out in buf, which stands for user memory ending at
 * stack_top. Returns the user sp (16-byte aligned) and sets *used to the
 * bytes written at the end of buf; -E2BIG if it does not fit. */
int64_t user_stack_build(const struct user_stack_spec *spec, uint8_t *buf, size_t buf_size,
			 uint64_t stack_top, size_t *used);

#endif
