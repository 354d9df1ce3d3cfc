/* Capability handles: how a service names a resource the frame gave it.
 *
 * A handle is an opaque 64-bit value: slot index, generation, rights and a
 * random tag. The frame checks all four on every use; a handle that was
 * revoked, released or never issued fails with -ESTALE and is logged.
 *
 * Invariants the frame keeps for every live handle:
 *   1. Its range and rights are a subset of the handle it was derived from.
 *   2. Revoking a handle revokes everything derived from it, transitively.
 *   3. Each handle has one holder (a service); the holder's ledger lists it.
 * Callers must not interpret or construct handle values. */
#ifndef FRAME_CAP_H
#define FRAME_CAP_H

#include <frame/types.h>

enum cap_rights {
	CAP_READ = 1u << 0,
	CAP_WRITE = 1u << 1,
	CAP_DERIVE = 1u << 2, /* may make narrower handles from this one */
	CAP_RIGHTS_ALL = CAP_READ | CAP_WRITE | CAP_DERIVE,
};

#endif
