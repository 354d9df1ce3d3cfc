/* For the host tests' memory disks: between a block request's pieces and
 * the disk's bytes at mem (in to_req's direction). */
#ifndef TESTS_BLOCK_REQ_COPY_H
#define TESTS_BLOCK_REQ_COPY_H

#include <stdbool.h>
#include <string.h>
#include "block/block.h"

static inline void block_req_copy(struct block_request *req, uint8_t *mem, bool to_req)
{
	for (uint32_t i = 0; i < block_req_pieces(req); i++) {
		size_t len;
		void *p = block_req_piece(req, i, &len, 512);

		if (to_req)
			memcpy(p, mem, len);
		else
			memcpy(mem, p, len);
		mem += len;
	}
}

#endif
