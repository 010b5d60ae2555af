/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Ring set-up and bookkeeping. The fast path is inline in the headers.
 */

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_string_fns.h>

#include "eal_export.h"
#include "rte_ring.h"

#define RING_LOG(level, fmt, ...) \
	RTE_LOG(level, RING, fmt "\n", ##__VA_ARGS__)

#define RING_SYNC_FLAGS (RING_F_MP_RTS_ENQ | RING_F_MC_RTS_DEQ | \
		RING_F_MP_HTS_ENQ | RING_F_MC_HTS_DEQ)
#define RING_VALID_FLAGS (RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ)

/* the table must start on a cache line right after the header */
static_assert(sizeof(struct rte_ring) % RTE_CACHE_LINE_SIZE == 0,
	"ring header is not a whole number of cache lines");
static_assert(offsetof(struct rte_ring, cons) - offsetof(struct rte_ring, prod) >=
	2 * RTE_CACHE_LINE_SIZE, "producer and consumer share a prefetch pair");

RTE_EXPORT_SYMBOL(rte_ring_get_memsize_elem)
ssize_t
rte_ring_get_memsize_elem(unsigned int esize, unsigned int count)
{
	if (esize == 0 || esize % 4 != 0) {
		RING_LOG(ERR, "element size %u is not a non-zero multiple of 4", esize);
		return -EINVAL;
	}
	if (!rte_is_power_of_2(count) || count > RTE_RING_SZ_MASK) {
		RING_LOG(ERR, "ring size %u is not a power of 2 up to %u", count,
			RTE_RING_SZ_MASK);
		return -EINVAL;
	}
	return RTE_ALIGN((ssize_t)sizeof(struct rte_ring) + (ssize_t)count * esize,
		RTE_CACHE_LINE_SIZE);
}

RTE_EXPORT_SYMBOL(rte_ring_get_memsize)
ssize_t
rte_ring_get_memsize(unsigned int count)
{
	return rte_ring_get_memsize_elem(sizeof(void *), count);
}

/* @return the table size for @count with @flags, or 0 if invalid. */
static uint32_t
ring_table_size(unsigned int count, unsigned int flags)
{
	if (flags & RING_F_EXACT_SZ) {
		if (count == 0 || count >= RTE_RING_SZ_MASK)
			return 0;
		return rte_align32pow2(count + 1);
	}
	if (!rte_is_power_of_2(count) || count > RTE_RING_SZ_MASK)
		return 0;
	return count;
}

static int
ring_check_flags(unsigned int flags)
{
	if (flags & RING_SYNC_FLAGS) {
		RING_LOG(ERR, "RTS/HTS ring modes are not supported (flags 0x%x)", flags);
		return -EINVAL;
	}
	if (flags & ~RING_VALID_FLAGS) {
		RING_LOG(ERR, "unknown ring flags 0x%x", flags & ~RING_VALID_FLAGS);
		return -EINVAL;
	}
	return 0;
}

RTE_EXPORT_SYMBOL(rte_ring_init)
int
rte_ring_init(struct rte_ring *r, const char *name, unsigned int count,
	unsigned int flags)
{
	uint32_t size;
	int ret;

	if (r == NULL || name == NULL) {
		RING_LOG(ERR, "rte_ring_init: NULL ring or name");
		return -EINVAL;
	}
	ret = ring_check_flags(flags);
	if (ret < 0)
		return ret;
	size = ring_table_size(count, flags);
	if (size == 0) {
		RING_LOG(ERR, "ring %s: invalid count %u%s", name, count,
			(flags & RING_F_EXACT_SZ) ? "" : " (not a power of 2)");
		return -EINVAL;
	}
	if (strnlen(name, RTE_RING_NAMESIZE) >= RTE_RING_NAMESIZE) {
		RING_LOG(ERR, "ring name %.*s... is too long", (int)RTE_RING_NAMESIZE - 1, name);
		return -ENAMETOOLONG;
	}
	memset(r, 0, sizeof(*r));
	strlcpy(r->name, name, sizeof(r->name));
	r->flags = (int)flags;
	r->prod.sync_type = (flags & RING_F_SP_ENQ) ? RTE_RING_SYNC_ST : RTE_RING_SYNC_MT;
	r->cons.sync_type = (flags & RING_F_SC_DEQ) ? RTE_RING_SYNC_ST : RTE_RING_SYNC_MT;
	r->size = size;
	r->mask = size - 1;
	r->capacity = (flags & RING_F_EXACT_SZ) ? count : size - 1;
	return 0;
}

RTE_EXPORT_SYMBOL(rte_ring_reset)
void
rte_ring_reset(struct rte_ring *r)
{
	r->prod.head = r->prod.tail = 0;
	r->cons.head = r->cons.tail = 0;
}

RTE_EXPORT_SYMBOL(rte_ring_dump)
void
rte_ring_dump(FILE *f, const struct rte_ring *r)
{
	if (f == NULL || r == NULL)
		return;
	fprintf(f, "ring <%s>@%p\n", r->name, (const void *)r);
	fprintf(f, "  flags=0x%x\n", (unsigned int)r->flags);
	fprintf(f, "  size=%u\n", r->size);
	fprintf(f, "  capacity=%u\n", r->capacity);
	fprintf(f, "  ct=%u\n", r->cons.tail);
	fprintf(f, "  ch=%u\n", r->cons.head);
	fprintf(f, "  pt=%u\n", r->prod.tail);
	fprintf(f, "  ph=%u\n", r->prod.head);
	fprintf(f, "  used=%u\n", rte_ring_count(r));
	fprintf(f, "  avail=%u\n", rte_ring_free_count(r));
}
