/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Mempool creation, registry and introspection.
 *
 * Registry: the header of a pool lives in the memzone "MP_<name>", so the
 * shared memzone table doubles as the list of pools and every process
 * finds them by name. The mempool lock of the shared config (mplock) is
 * held for writing while a pool header is created or torn down and for
 * reading by lookups and walks, so nobody sees a half-built pool.
 * Lock order: mplock before the memzone lock (mlock).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_debug.h>
#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>
#include <rte_string_fns.h>

#include "eal_export.h"
#include "mempool_private.h"

RTE_LOG_REGISTER_IMPL(mempool_logtype, "lib.mempool", INFO)

/* fill level at which a cache gives objects back to the pool */
#define CACHE_FLUSHTHRESH(size) ((size) * 3 / 2)

static unsigned int
gcd(unsigned int a, unsigned int b)
{
	unsigned int t;

	while (b != 0) {
		t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/*
 * Cache lines an object of @lines lines should take so that consecutive
 * objects start on different memory channels/ranks: the stride must share
 * no factor with channels * ranks.
 */
static unsigned int
spread_lines(unsigned int lines)
{
	unsigned int nchan = rte_memory_get_nchannel();
	unsigned int nrank = rte_memory_get_nrank();
	unsigned int ways = (nchan != 0 ? nchan : 4) * (nrank != 0 ? nrank : 1);

	while (gcd(lines, ways) != 1)
		lines++;
	return lines;
}

RTE_EXPORT_SYMBOL(rte_mempool_calc_obj_size)
uint32_t
rte_mempool_calc_obj_size(uint32_t elt_size, uint32_t flags,
		struct rte_mempool_objsz *sz)
{
	struct rte_mempool_objsz lsz;
	uint64_t total, lines;

	if (sz == NULL)
		sz = &lsz;
	sz->header_size = sizeof(struct rte_mempool_objhdr);
	if (!(flags & RTE_MEMPOOL_F_NO_CACHE_ALIGN))
		sz->header_size = RTE_ALIGN_CEIL(sz->header_size, RTE_MEMPOOL_ALIGN);
	sz->elt_size = RTE_ALIGN_CEIL(elt_size, sizeof(uint64_t));
	sz->trailer_size = 0;
	total = (uint64_t)sz->header_size + sz->elt_size;
	if (!(flags & RTE_MEMPOOL_F_NO_CACHE_ALIGN)) {
		lines = (total + RTE_MEMPOOL_ALIGN - 1) / RTE_MEMPOOL_ALIGN;
		if (!(flags & RTE_MEMPOOL_F_NO_SPREAD) && lines < UINT32_MAX / RTE_MEMPOOL_ALIGN)
			lines = spread_lines((unsigned int)lines);
		sz->trailer_size = (uint32_t)(lines * RTE_MEMPOOL_ALIGN - total);
	}
	sz->total_size = sz->header_size + sz->elt_size + sz->trailer_size;
	return sz->total_size;
}

static const char *
default_ops_name(unsigned int flags)
{
	if ((flags & RTE_MEMPOOL_F_SP_PUT) && (flags & RTE_MEMPOOL_F_SC_GET))
		return "ring_sp_sc";
	if (flags & RTE_MEMPOOL_F_SP_PUT)
		return "ring_sp_mc";
	if (flags & RTE_MEMPOOL_F_SC_GET)
		return "ring_mp_sc";
	return "ring_mp_mc";
}

/* @return 0 or the rte_errno value for invalid creation parameters. */
static int
check_create_args(const char *name, unsigned int n, unsigned int elt_size,
		unsigned int cache_size, unsigned int flags)
{
	if (name == NULL) {
		MEMPOOL_LOG(ERR, "mempool name is NULL");
		return EINVAL;
	}
	if (strnlen(name, RTE_MEMPOOL_NAMESIZE) >= RTE_MEMPOOL_NAMESIZE) {
		MEMPOOL_LOG(ERR, "mempool name %s is too long", name);
		return ENAMETOOLONG;
	}
	if (flags & ~RTE_MEMPOOL_VALID_USER_FLAGS) {
		MEMPOOL_LOG(ERR, "mempool %s: unknown flags 0x%x", name,
			flags & ~RTE_MEMPOOL_VALID_USER_FLAGS);
		return EINVAL;
	}
	if (n == 0 || n > RTE_RING_SZ_MASK - 1) {
		MEMPOOL_LOG(ERR, "mempool %s: invalid object count %u", name, n);
		return EINVAL;
	}
	/* a cache must not be able to hold most of the pool */
	if (cache_size > RTE_MEMPOOL_CACHE_MAX_SIZE ||
	    CACHE_FLUSHTHRESH((uint64_t)cache_size) > n) {
		MEMPOOL_LOG(ERR, "mempool %s: cache size %u too big for %u objects (max %u)",
			name, cache_size, n, RTE_MEMPOOL_CACHE_MAX_SIZE);
		return EINVAL;
	}
	if (elt_size > UINT32_MAX / 2) {
		MEMPOOL_LOG(ERR, "mempool %s: object size %u too big", name, elt_size);
		return EINVAL;
	}
	return 0;
}

static void
init_header(struct rte_mempool *mp, const struct rte_memzone *mz, const char *name,
		unsigned int n, unsigned int cache_size, unsigned int private_data_size,
		int socket_id, unsigned int flags, const struct rte_mempool_objsz *sz)
{
	unsigned int lcore;

	memset(mp, 0, RTE_MEMPOOL_HEADER_SIZE(mp, cache_size) + private_data_size);
	strlcpy(mp->name, name, sizeof(mp->name));
	mp->mz = mz;
	/* no object has an IOVA until a chunk with one is added */
	mp->flags = flags | RTE_MEMPOOL_F_NON_IO;
	mp->socket_id = socket_id;
	mp->size = n;
	mp->cache_size = cache_size;
	mp->elt_size = sz->elt_size;
	mp->header_size = sz->header_size;
	mp->trailer_size = sz->trailer_size;
	mp->private_data_size = private_data_size;
	STAILQ_INIT(&mp->elt_list);
	STAILQ_INIT(&mp->mem_list);
	if (cache_size != 0) {
		mp->local_cache = (struct rte_mempool_cache *)RTE_PTR_ADD(mp, sizeof(*mp));
		for (lcore = 0; lcore < RTE_MAX_LCORE; lcore++) {
			mp->local_cache[lcore].size = cache_size;
			mp->local_cache[lcore].flushthresh = CACHE_FLUSHTHRESH(cache_size);
		}
	}
}

RTE_EXPORT_SYMBOL(rte_mempool_create_empty)
struct rte_mempool *
rte_mempool_create_empty(const char *name, unsigned int n, unsigned int elt_size,
		unsigned int cache_size, unsigned int private_data_size,
		int socket_id, unsigned int flags)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	struct rte_mempool_objsz sz;
	struct rte_mempool *mp;
	size_t hdr_size;
	int ret;

	ret = check_create_args(name, n, elt_size, cache_size, flags);
	if (ret != 0) {
		rte_errno = ret;
		return NULL;
	}
	if (flags & RTE_MEMPOOL_F_NO_CACHE_ALIGN)
		flags |= RTE_MEMPOOL_F_NO_SPREAD;
	rte_mempool_calc_obj_size(elt_size, flags, &sz);
	private_data_size = RTE_ALIGN_CEIL(private_data_size, RTE_MEMPOOL_ALIGN);
	hdr_size = RTE_MEMPOOL_HEADER_SIZE(mp, cache_size) + private_data_size;
	snprintf(mz_name, sizeof(mz_name), RTE_MEMPOOL_MZ_FORMAT, name);

	rte_mcfg_mempool_write_lock();
	mz = rte_memzone_reserve(mz_name, hdr_size, socket_id, 0);
	if (mz == NULL) {
		ret = rte_errno;
		rte_mcfg_mempool_write_unlock();
		MEMPOOL_LOG(ERR, "cannot reserve the header of mempool %s: %s", name,
			rte_strerror(ret));
		rte_errno = ret;
		return NULL;
	}
	mp = mz->addr;
	init_header(mp, mz, name, n, cache_size, private_data_size, socket_id, flags, &sz);
	ret = rte_mempool_set_ops_byname(mp, default_ops_name(flags), NULL);
	if (ret != 0) {
		mp->name[0] = '\0';
		rte_memzone_free(mz);
		rte_mcfg_mempool_write_unlock();
		MEMPOOL_LOG(ERR, "mempool %s: no ring handler (is the mempool_ring driver linked?)",
			name);
		rte_errno = -ret;
		return NULL;
	}
	rte_mcfg_mempool_write_unlock();
	return mp;
}

RTE_EXPORT_SYMBOL(rte_mempool_create)
struct rte_mempool *
rte_mempool_create(const char *name, unsigned int n, unsigned int elt_size,
		unsigned int cache_size, unsigned int private_data_size,
		rte_mempool_ctor_t *mp_init, void *mp_init_arg,
		rte_mempool_obj_cb_t *obj_init, void *obj_init_arg,
		int socket_id, unsigned int flags)
{
	struct rte_mempool *mp;
	int ret;

	mp = rte_mempool_create_empty(name, n, elt_size, cache_size,
			private_data_size, socket_id, flags);
	if (mp == NULL)
		return NULL;
	if (mp_init != NULL)
		mp_init(mp, mp_init_arg);
	ret = rte_mempool_populate_default(mp);
	if (ret < 0) {
		rte_mempool_free(mp);
		rte_errno = -ret;
		return NULL;
	}
	if (obj_init != NULL)
		rte_mempool_obj_iter(mp, obj_init, obj_init_arg);
	return mp;
}

/* @return the pool whose header memzone is @mz, or NULL. */
static struct rte_mempool *
mempool_of_memzone(const struct rte_memzone *mz)
{
	size_t plen = strlen(RTE_MEMPOOL_MZ_PREFIX);
	struct rte_mempool *mp = mz->addr;

	if (strncmp(mz->name, RTE_MEMPOOL_MZ_PREFIX, plen) != 0 || mz->len < sizeof(*mp) ||
	    mp->name[0] == '\0' || strncmp(mp->name, mz->name + plen, sizeof(mp->name)) != 0)
		return NULL;
	return mp;
}

RTE_EXPORT_SYMBOL(rte_mempool_free)
void
rte_mempool_free(struct rte_mempool *mp)
{
	const struct rte_memzone *mz;
	bool registered;

	if (mp == NULL)
		return;
	rte_mcfg_mempool_read_lock();
	mz = mp->mz;
	registered = mz != NULL && mempool_of_memzone(mz) == mp;
	rte_mcfg_mempool_read_unlock();
	if (!registered) {
		MEMPOOL_LOG(ERR, "%p is not a mempool", (void *)mp);
		return;
	}
	/* callbacks still see the pool whole, name included */
	mempool_event_invoke(RTE_MEMPOOL_EVENT_DESTROY, mp);
	/* unpublish: lookups and walks stop seeing the pool */
	rte_mcfg_mempool_write_lock();
	mp->name[0] = '\0';
	rte_mcfg_mempool_write_unlock();

	mempool_free_memchunks(mp);
	if (mp->flags & RTE_MEMPOOL_F_POOL_CREATED)
		rte_mempool_ops_free(mp);
	rte_memzone_free(mz);
}

RTE_EXPORT_SYMBOL(rte_mempool_lookup)
struct rte_mempool *
rte_mempool_lookup(const char *name)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	struct rte_mempool *mp = NULL;
	int len;

	if (name == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	len = snprintf(mz_name, sizeof(mz_name), RTE_MEMPOOL_MZ_FORMAT, name);
	if (len > 0 && (size_t)len < sizeof(mz_name)) {
		rte_mcfg_mempool_read_lock();
		mz = rte_memzone_lookup(mz_name);
		if (mz != NULL)
			mp = mempool_of_memzone(mz);
		rte_mcfg_mempool_read_unlock();
	}
	if (mp == NULL)
		rte_errno = ENOENT;
	return mp;
}

struct pool_list {
	struct rte_mempool **pools;
	unsigned int n;
};

static void
collect_pool(const struct rte_memzone *mz, void *arg)
{
	struct pool_list *l = arg;
	struct rte_mempool *mp = mempool_of_memzone(mz);

	if (mp != NULL && l->n < RTE_MAX_MEMZONE)
		l->pools[l->n++] = mp;
}

RTE_EXPORT_SYMBOL(rte_mempool_walk)
void
rte_mempool_walk(void (*func)(struct rte_mempool *, void *), void *arg)
{
	struct pool_list l = { NULL, 0 };
	unsigned int i;

	if (func == NULL)
		return;
	/* func runs after the memzone walk so that it may use memzones */
	l.pools = malloc(sizeof(*l.pools) * RTE_MAX_MEMZONE);
	if (l.pools == NULL) {
		MEMPOOL_LOG(ERR, "mempool walk: out of memory");
		return;
	}
	rte_mcfg_mempool_read_lock();
	rte_memzone_walk(collect_pool, &l);
	for (i = 0; i < l.n; i++)
		func(l.pools[i], arg);
	rte_mcfg_mempool_read_unlock();
	free(l.pools);
}

RTE_EXPORT_SYMBOL(rte_mempool_obj_iter)
uint32_t
rte_mempool_obj_iter(struct rte_mempool *mp, rte_mempool_obj_cb_t *obj_cb,
		void *obj_cb_arg)
{
	struct rte_mempool_objhdr *hdr;
	uint32_t n = 0;

	if (mp == NULL || obj_cb == NULL)
		return 0;
	STAILQ_FOREACH(hdr, &mp->elt_list, next)
		obj_cb(mp, obj_cb_arg, (char *)hdr + sizeof(*hdr), n++);
	return n;
}

RTE_EXPORT_SYMBOL(rte_mempool_mem_iter)
uint32_t
rte_mempool_mem_iter(struct rte_mempool *mp, rte_mempool_mem_cb_t *mem_cb,
		void *mem_cb_arg)
{
	struct rte_mempool_memhdr *hdr;
	uint32_t n = 0;

	if (mp == NULL || mem_cb == NULL)
		return 0;
	STAILQ_FOREACH(hdr, &mp->mem_list, next)
		mem_cb(mp, mem_cb_arg, hdr, n++);
	return n;
}

static unsigned int
cached_count(const struct rte_mempool *mp)
{
	unsigned int lcore, n = 0;

	if (mp->cache_size == 0)
		return 0;
	for (lcore = 0; lcore < RTE_MAX_LCORE; lcore++)
		n += mp->local_cache[lcore].len;
	return n;
}

RTE_EXPORT_SYMBOL(rte_mempool_avail_count)
unsigned int
rte_mempool_avail_count(const struct rte_mempool *mp)
{
	unsigned int n;

	if (!(mp->flags & RTE_MEMPOOL_F_POOL_CREATED))
		return 0;
	n = rte_mempool_ops_get_count(mp) + cached_count(mp);
	/* caches change under us: never report more than the pool holds */
	return RTE_MIN(n, mp->size);
}

RTE_EXPORT_SYMBOL(rte_mempool_in_use_count)
unsigned int
rte_mempool_in_use_count(const struct rte_mempool *mp)
{
	return mp->size - rte_mempool_avail_count(mp);
}

RTE_EXPORT_SYMBOL(rte_mempool_audit)
void
rte_mempool_audit(struct rte_mempool *mp)
{
	unsigned int lcore;

	if (mp->cache_size != 0)
		for (lcore = 0; lcore < RTE_MAX_LCORE; lcore++)
			if (mp->local_cache[lcore].len > RTE_DIM(mp->local_cache[lcore].objs))
				rte_panic("mempool %s: cache of lcore %u holds %u objects\n",
					mp->name, lcore, mp->local_cache[lcore].len);
	if (mp->populated_size > mp->size)
		rte_panic("mempool %s: %u objects populated, size %u\n", mp->name,
			mp->populated_size, mp->size);
	if ((mp->flags & RTE_MEMPOOL_F_POOL_CREATED) &&
	    rte_mempool_ops_get_count(mp) > mp->populated_size)
		rte_panic("mempool %s: handler holds more objects than populated\n", mp->name);
}

RTE_EXPORT_SYMBOL(rte_mempool_check_cookies)
void
rte_mempool_check_cookies(const struct rte_mempool *mp __rte_unused,
	void * const *obj_table_const __rte_unused, unsigned int n __rte_unused,
	int free __rte_unused)
{
}

RTE_EXPORT_SYMBOL(rte_mempool_contig_blocks_check_cookies)
void
rte_mempool_contig_blocks_check_cookies(const struct rte_mempool *mp __rte_unused,
	void * const *first_obj_table_const __rte_unused, unsigned int n __rte_unused,
	int free __rte_unused)
{
}

static void
dump_chunks(FILE *f, struct rte_mempool *mp)
{
	struct rte_mempool_memhdr *hdr;

	fprintf(f, "  mem_list:\n");
	STAILQ_FOREACH(hdr, &mp->mem_list, next)
		fprintf(f, "    addr=%p iova=0x%" PRIx64 " len=%zu\n", hdr->addr,
			hdr->iova, hdr->len);
}

RTE_EXPORT_SYMBOL(rte_mempool_dump)
void
rte_mempool_dump(FILE *f, struct rte_mempool *mp)
{
	unsigned int lcore, cached;

	if (f == NULL || mp == NULL)
		return;
	fprintf(f, "mempool <%s>@%p\n", mp->name, (void *)mp);
	fprintf(f, "  flags=0x%x\n", mp->flags);
	fprintf(f, "  socket_id=%d\n", mp->socket_id);
	fprintf(f, "  pool=%p\n", mp->pool_data);
	fprintf(f, "  ops=%s\n", rte_mempool_get_ops(mp->ops_index)->name);
	fprintf(f, "  nb_mem_chunks=%u\n", mp->nb_mem_chunks);
	fprintf(f, "  size=%u\n", mp->size);
	fprintf(f, "  populated_size=%u\n", mp->populated_size);
	fprintf(f, "  header_size=%u\n", mp->header_size);
	fprintf(f, "  elt_size=%u\n", mp->elt_size);
	fprintf(f, "  trailer_size=%u\n", mp->trailer_size);
	fprintf(f, "  total_obj_size=%u\n",
		mp->header_size + mp->elt_size + mp->trailer_size);
	fprintf(f, "  private_data_size=%u\n", mp->private_data_size);
	dump_chunks(f, mp);
	fprintf(f, "  cache_size=%u\n", mp->cache_size);
	cached = 0;
	if (mp->cache_size != 0)
		for (lcore = 0; lcore < RTE_MAX_LCORE; lcore++) {
			if (mp->local_cache[lcore].len == 0)
				continue;
			fprintf(f, "    cache_count[%u]=%u\n", lcore, mp->local_cache[lcore].len);
			cached += mp->local_cache[lcore].len;
		}
	fprintf(f, "    total_cache_count=%u\n", cached);
	if (mp->flags & RTE_MEMPOOL_F_POOL_CREATED)
		fprintf(f, "  common_pool_count=%u\n", rte_mempool_ops_get_count(mp));
	fprintf(f, "  avail_count=%u\n", rte_mempool_avail_count(mp));
	fprintf(f, "  in_use_count=%u\n", rte_mempool_in_use_count(mp));
}

static void
dump_one(struct rte_mempool *mp, void *arg)
{
	rte_mempool_dump(arg, mp);
}

RTE_EXPORT_SYMBOL(rte_mempool_list_dump)
void
rte_mempool_list_dump(FILE *f)
{
	rte_mempool_walk(dump_one, f);
}

RTE_EXPORT_SYMBOL(rte_mempool_cache_create)
struct rte_mempool_cache *
rte_mempool_cache_create(uint32_t size, int socket_id)
{
	struct rte_mempool_cache *cache;

	if (size == 0 || size > RTE_MEMPOOL_CACHE_MAX_SIZE) {
		MEMPOOL_LOG(ERR, "invalid cache size %u (1..%u)", size,
			RTE_MEMPOOL_CACHE_MAX_SIZE);
		rte_errno = EINVAL;
		return NULL;
	}
	cache = rte_zmalloc_socket("MEMPOOL_CACHE", sizeof(*cache), RTE_CACHE_LINE_SIZE,
			socket_id);
	if (cache == NULL) {
		MEMPOOL_LOG(ERR, "no memory for a mempool cache");
		rte_errno = ENOMEM;
		return NULL;
	}
	cache->size = size;
	cache->flushthresh = CACHE_FLUSHTHRESH(size);
	return cache;
}

RTE_EXPORT_SYMBOL(rte_mempool_cache_free)
void
rte_mempool_cache_free(struct rte_mempool_cache *cache)
{
	rte_free(cache);
}
