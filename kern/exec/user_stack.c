/* Building the initial stack image in a kernel buffer, top down. */
#include <frame/errno.h>
#include <string.h>
#include "exec/user_stack.h"

struct builder {
	uint8_t *buf;
	size_t size, pos; /* pos: offset of the lowest byte written, from the end */
	uint64_t top;
	bool overflow;
};

/* Pushes bytes; returns their user address. */
static uint64_t push(struct builder *b, const void *data, size_t len)
{
	if (len > b->size - b->pos) {
		b->overflow = true;
		return 0;
	}
	b->pos += len;
	memcpy(b->buf + b->size - b->pos, data, len);
	return b->top - b->pos;
}

static void align(struct builder *b, size_t a)
{
	static const uint8_t zeros[16];
	size_t pad = (size_t)((b->top - b->pos) % a);

	push(b, zeros, pad);
}

static size_t count(const char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* Pushes the strings of v, last first, so they lie in order upwards from
 * the returned user address: v[0] there, each next one right after the
 * previous one's NUL. */
static uint64_t push_strings(struct builder *b, const char *const *v, size_t n)
{
	uint64_t low = b->top - b->pos;

	for (size_t i = n; i-- > 0;)
		low = push(b, v[i], strlen(v[i]) + 1);
	return low;
}

/* Pushes the pointer table of v (strings from push_strings at low), last
 * entry first. No array of addresses: argc is bounded only by the space. */
static void push_pointers(struct builder *b, const char *const *v, size_t n, uint64_t low)
{
	uint64_t end = low;

	for (size_t i = 0; i < n; i++)
		end += strlen(v[i]) + 1;
	for (size_t i = n; i-- > 0;) {
		end -= strlen(v[i]) + 1;
		push(b, &end, 8);
	}
}

int64_t user_stack_build(const struct user_stack_spec *spec, uint8_t *buf, size_t buf_size,
			 uint64_t stack_top, size_t *used)
{
	struct builder b = { buf, buf_size, 0, stack_top, false };
	size_t argc = count(spec->argv), envc = count(spec->envp);
	uint64_t execfn, random, word, env_low, arg_low;

	if (spec->naux > USTACK_MAX_AUX)
		return -E2BIG;
	execfn = push(&b, spec->execfn, strlen(spec->execfn) + 1);
	env_low = push_strings(&b, spec->envp, envc);
	arg_low = push_strings(&b, spec->argv, argc);
	align(&b, 16);
	random = push(&b, spec->random, sizeof(spec->random));

	/* The table: keep sp 16-byte aligned once everything is pushed. */
	size_t words = 1 + argc + 1 + envc + 1 + 2 * (spec->naux + 3);
	align(&b, 16);
	if (words & 1)
		push(&b, &(uint64_t){ 0 }, 8);
	uint64_t tail[][2] = { { AT_RANDOM, random }, { AT_EXECFN, execfn }, { AT_NULL, 0 } };
	for (int i = 2; i >= 0; i--) {
		push(&b, &tail[i][1], 8);
		push(&b, &tail[i][0], 8);
	}
	for (unsigned i = spec->naux; i-- > 0;) {
		push(&b, &spec->aux[i][1], 8);
		push(&b, &spec->aux[i][0], 8);
	}
	word = 0;
	push(&b, &word, 8);
	push_pointers(&b, spec->envp, envc, env_low);
	push(&b, &word, 8);
	push_pointers(&b, spec->argv, argc, arg_low);
	word = argc;
	uint64_t sp = push(&b, &word, 8);
	if (b.overflow)
		return -E2BIG;
	*used = b.pos;
	return (int64_t)sp;
}
