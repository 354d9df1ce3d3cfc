/* The claim list: a small array, searched linearly (tens of entries). */
#include <frame/errno.h>
#include <frame/log.h>
#include "bus/claims.h"

#define MAX_CLAIMS 128

struct claim {
	paddr_t base;
	uint64_t size;
	const char *owner;
	bool shared; /* a syscon window several regmap users reference */
};

static struct claim claims[MAX_CLAIMS];
static unsigned nclaims;

static const struct claim *overlap(paddr_t base, uint64_t size)
{
	for (unsigned i = 0; i < nclaims; i++)
		if (base < claims[i].base + claims[i].size && claims[i].base < base + size)
			return &claims[i];
	return NULL;
}

int claims_add(paddr_t base, uint64_t size, const char *owner)
{
	const struct claim *c = overlap(base, size);

	if (size == 0 || base + size < base)
		return -EINVAL;
	if (c) {
		pr_warn("claims: 0x%lx+0x%lx for %s overlaps %s\n", base, size, owner, c->owner);
		return -EBUSY;
	}
	if (nclaims >= MAX_CLAIMS)
		return -ENOSPC;
	claims[nclaims++] = (struct claim){ base, size, owner, false };
	return 0;
}

int claims_add_shared(paddr_t base, uint64_t size, const char *owner)
{
	const struct claim *c = overlap(base, size);

	if (c && c->shared && c->base == base && c->size == size)
		return 0;
	if (claims_add(base, size, owner))
		return -EBUSY;
	claims[nclaims - 1].shared = true;
	return 0;
}

const char *claims_owner_of(paddr_t base, uint64_t size)
{
	const struct claim *c = overlap(base, size);
	return c ? c->owner : NULL;
}
