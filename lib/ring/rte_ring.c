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
#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_memzone.h>
#include <rte_string_fns.h>

#include "eal_export.h"
#include "rte_ring.h"

#define RING_LOG(level, fmt, ...) \
	RTE_LOG(level, RING, fmt "\n", ##__VA_ARGS__)

#define RING_PROD_FLAGS (RING_F_SP_ENQ | RING_F_MP_RTS_ENQ | RING_F_MP_HTS_ENQ)
#define RING_CONS_FLAGS (RING_F_SC_DEQ | RING_F_MC_RTS_DEQ | RING_F_MC_HTS_DEQ)
#define RING_VALID_FLAGS (RING_PROD_FLAGS | RING_CONS_FLAGS | RING_F_EXACT_SZ)

/* default RTS head/tail distance: an eighth of the ring */
#define RING_HTD_MAX_DIV 8

/* every mode keeps its tail position where the others read it */
static_assert(offsetof(struct rte_ring_hts_headtail, ht.pos.tail) ==
	offsetof(struct rte_ring_headtail, tail), "HTS tail misplaced");
static_assert(offsetof(struct rte_ring_rts_headtail, tail.val.pos) ==
	offsetof(struct rte_ring_headtail, tail), "RTS tail misplaced");
static_assert(offsetof(struct rte_ring_rts_headtail, sync_type) ==
	offsetof(struct rte_ring_headtail, sync_type), "RTS sync type misplaced");
static_assert(offsetof(struct rte_ring_hts_headtail, sync_type) ==
	offsetof(struct rte_ring_headtail, sync_type), "HTS sync type misplaced");

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

/* @return the sync mode that @flags select among @st, @rts and @hts, or -1 */
static int
ring_sync_type(unsigned int flags, unsigned int st, unsigned int rts, unsigned int hts)
{
	unsigned int f = flags & (st | rts | hts);

	if (f == 0)
		return RTE_RING_SYNC_MT;
	if (f == st)
		return RTE_RING_SYNC_ST;
	if (f == rts)
		return RTE_RING_SYNC_MT_RTS;
	if (f == hts)
		return RTE_RING_SYNC_MT_HTS;
	return -1;
}

static int
ring_check_flags(unsigned int flags)
{
	if (flags & ~RING_VALID_FLAGS) {
		RING_LOG(ERR, "unknown ring flags 0x%x", flags & ~RING_VALID_FLAGS);
		return -EINVAL;
	}
	if (ring_sync_type(flags, RING_F_SP_ENQ, RING_F_MP_RTS_ENQ, RING_F_MP_HTS_ENQ) < 0 ||
	    ring_sync_type(flags, RING_F_SC_DEQ, RING_F_MC_RTS_DEQ, RING_F_MC_HTS_DEQ) < 0) {
		RING_LOG(ERR, "ring flags 0x%x ask for two modes on one side", flags);
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
	r->prod.sync_type = ring_sync_type(flags, RING_F_SP_ENQ, RING_F_MP_RTS_ENQ,
			RING_F_MP_HTS_ENQ);
	r->cons.sync_type = ring_sync_type(flags, RING_F_SC_DEQ, RING_F_MC_RTS_DEQ,
			RING_F_MC_HTS_DEQ);
	r->size = size;
	r->mask = size - 1;
	r->capacity = (flags & RING_F_EXACT_SZ) ? count : size - 1;
	if (r->prod.sync_type == RTE_RING_SYNC_MT_RTS)
		r->rts_prod.htd_max = r->capacity / RING_HTD_MAX_DIV;
	if (r->cons.sync_type == RTE_RING_SYNC_MT_RTS)
		r->rts_cons.htd_max = r->capacity / RING_HTD_MAX_DIV;
	return 0;
}

RTE_EXPORT_SYMBOL(rte_ring_reset)
void
rte_ring_reset(struct rte_ring *r)
{
	/* the RTS head lives past the words every mode shares */
	if (r->prod.sync_type == RTE_RING_SYNC_MT_RTS)
		r->rts_prod.head.raw = 0;
	if (r->cons.sync_type == RTE_RING_SYNC_MT_RTS)
		r->rts_cons.head.raw = 0;
	r->prod.head = r->prod.tail = 0;
	r->cons.head = r->cons.tail = 0;
}

/* @return the head position of side @ht in any mode. */
static uint32_t
ring_head(const struct rte_ring_headtail *ht)
{
	const struct rte_ring_rts_headtail *rts = (const struct rte_ring_rts_headtail *)
		(const void *)ht;

	return ht->sync_type == RTE_RING_SYNC_MT_RTS ? rts->head.val.pos : ht->head;
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
	fprintf(f, "  ch=%u\n", ring_head(&r->cons));
	fprintf(f, "  pt=%u\n", r->prod.tail);
	fprintf(f, "  ph=%u\n", ring_head(&r->prod));
	fprintf(f, "  used=%u\n", rte_ring_count(r));
	fprintf(f, "  avail=%u\n", rte_ring_free_count(r));
}

/*
 * Rings made by rte_ring_create() are registered through their memzone:
 * "RG_<name>" holds the ring, so the shared memzone table is the list of
 * rings and every process finds them by name. The tailq lock makes
 * reserve + init atomic against lookups, so a lookup never returns a ring
 * whose header is still being written.
 */
static int
ring_mz_name(char *buf, size_t len, const char *name)
{
	int n = snprintf(buf, len, "%s%s", RTE_RING_MZ_PREFIX, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* @return the ring held by @mz, or NULL if @mz is not a ring's memzone. */
static struct rte_ring *
ring_of_memzone(const struct rte_memzone *mz)
{
	struct rte_ring *r = mz->addr;
	size_t plen = strlen(RTE_RING_MZ_PREFIX);

	if (strncmp(mz->name, RTE_RING_MZ_PREFIX, plen) != 0 ||
	    mz->len < sizeof(*r) || r->memzone == NULL ||
	    strncmp(r->name, mz->name + plen, sizeof(r->name)) != 0)
		return NULL;
	return r;
}

RTE_EXPORT_SYMBOL(rte_ring_create_elem)
struct rte_ring *
rte_ring_create_elem(const char *name, unsigned int esize, unsigned int count,
		int socket_id, unsigned int flags)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	struct rte_ring *r;
	uint32_t size;
	ssize_t bytes;
	int ret;

	if (name == NULL) {
		RING_LOG(ERR, "rte_ring_create: NULL name");
		rte_errno = EINVAL;
		return NULL;
	}
	ret = ring_check_flags(flags);
	size = ring_table_size(count, flags);
	if (ret == 0 && size == 0) {
		RING_LOG(ERR, "ring %s: invalid count %u", name, count);
		ret = -EINVAL;
	}
	bytes = ret == 0 ? rte_ring_get_memsize_elem(esize, size) : ret;
	if (bytes < 0) {
		rte_errno = (int)-bytes;
		return NULL;
	}
	if (strnlen(name, RTE_RING_NAMESIZE) >= RTE_RING_NAMESIZE ||
	    ring_mz_name(mz_name, sizeof(mz_name), name) < 0) {
		RING_LOG(ERR, "ring name %s is too long", name);
		rte_errno = ENAMETOOLONG;
		return NULL;
	}

	rte_mcfg_tailq_write_lock();
	mz = rte_memzone_reserve_aligned(mz_name, (size_t)bytes, socket_id, 0,
			RTE_CACHE_LINE_SIZE);
	if (mz == NULL) {
		rte_mcfg_tailq_write_unlock();
		RING_LOG(ERR, "cannot reserve memory for ring %s: %s", name,
			rte_strerror(rte_errno));
		return NULL;
	}
	r = mz->addr;
	/* count and name were validated above, so this cannot fail */
	rte_ring_init(r, name, count, flags);
	r->memzone = mz;
	rte_mcfg_tailq_write_unlock();
	return r;
}

RTE_EXPORT_SYMBOL(rte_ring_create)
struct rte_ring *
rte_ring_create(const char *name, unsigned int count, int socket_id,
		unsigned int flags)
{
	return rte_ring_create_elem(name, sizeof(void *), count, socket_id, flags);
}

RTE_EXPORT_SYMBOL(rte_ring_free)
void
rte_ring_free(struct rte_ring *r)
{
	const struct rte_memzone *mz;

	if (r == NULL)
		return;
	if (r->memzone == NULL) {
		RING_LOG(ERR, "ring %s was not made by rte_ring_create(), not freeing it",
			r->name);
		return;
	}
	rte_mcfg_tailq_write_lock();
	mz = r->memzone;
	if (ring_of_memzone(mz) != r) {
		rte_mcfg_tailq_write_unlock();
		RING_LOG(ERR, "%p is not a registered ring", (void *)r);
		return;
	}
	/* unpublish before the memory goes back to the heap */
	r->memzone = NULL;
	if (rte_memzone_free(mz) != 0) {
		r->memzone = mz;
		RING_LOG(ERR, "cannot free the memzone of ring %s", r->name);
	}
	rte_mcfg_tailq_write_unlock();
}

RTE_EXPORT_SYMBOL(rte_ring_lookup)
struct rte_ring *
rte_ring_lookup(const char *name)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	struct rte_ring *r = NULL;

	if (name == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (ring_mz_name(mz_name, sizeof(mz_name), name) == 0) {
		rte_mcfg_tailq_read_lock();
		mz = rte_memzone_lookup(mz_name);
		if (mz != NULL)
			r = ring_of_memzone(mz);
		rte_mcfg_tailq_read_unlock();
	}
	if (r == NULL)
		rte_errno = ENOENT;
	return r;
}

static void
ring_dump_zone(const struct rte_memzone *mz, void *arg)
{
	struct rte_ring *r = ring_of_memzone(mz);

	if (r != NULL)
		rte_ring_dump(arg, r);
}

RTE_EXPORT_SYMBOL(rte_ring_list_dump)
void
rte_ring_list_dump(FILE *f)
{
	rte_mcfg_tailq_read_lock();
	rte_memzone_walk(ring_dump_zone, f);
	rte_mcfg_tailq_read_unlock();
}
