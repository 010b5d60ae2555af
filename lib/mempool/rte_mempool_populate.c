/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Giving a mempool memory for its objects.
 *
 * Since hugepages are mapped one at a time (dynamic memory), memory that
 * is contiguous in VA is usually not contiguous in IOVA: two 2 MB pages
 * side by side in VA sit at unrelated physical addresses. A device reads
 * an object through its IOVA, so an object must not straddle two pages
 * unless their IOVAs are consecutive. rte_mempool_populate_default()
 * therefore first asks for one IOVA-contiguous memzone (possible for up to
 * one page, or more in legacy mode), and when that fails fills page-aligned
 * memzones page by page: rte_mempool_populate_virt() cuts the memory into
 * runs of IOVA-contiguous pages and each run becomes one chunk.
 */

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>

#include "eal_export.h"
#include "mempool_private.h"

/* Bytes from @p to the next multiple of @align at or after it. */
static size_t
pad_to(const void *p, size_t align)
{
	return RTE_PTR_DIFF(RTE_PTR_ALIGN_CEIL(p, align), p);
}

static size_t
total_elt_size(const struct rte_mempool *mp)
{
	return (size_t)mp->header_size + mp->elt_size + mp->trailer_size;
}

RTE_EXPORT_SYMBOL(rte_mempool_op_calc_mem_size_helper)
ssize_t
rte_mempool_op_calc_mem_size_helper(const struct rte_mempool *mp,
		uint32_t obj_num, uint32_t pg_shift, size_t chunk_reserve,
		size_t *min_chunk_size, size_t *align)
{
	size_t total = total_elt_size(mp), pg_sz, per_page, in_last, mem;

	*align = RTE_MEMPOOL_ALIGN;
	*min_chunk_size = total + chunk_reserve;
	if (pg_shift == 0)
		return (ssize_t)(total * obj_num + chunk_reserve);
	if (pg_shift >= 8 * sizeof(size_t) - 1)
		return -EINVAL;
	pg_sz = (size_t)1 << pg_shift;
	if (chunk_reserve >= pg_sz)
		return -EINVAL;
	/* memory starts on a page, so each page holds exactly per_page objects */
	*align = RTE_MAX(pg_sz, (size_t)RTE_MEMPOOL_ALIGN);
	per_page = (pg_sz - chunk_reserve) / total;
	if (per_page == 0) {
		/* an object needs several IOVA-contiguous pages of its own */
		*min_chunk_size = RTE_ALIGN_CEIL(total + chunk_reserve, pg_sz);
		return (ssize_t)(*min_chunk_size * obj_num);
	}
	if (obj_num == 0)
		return 0;
	in_last = (obj_num - 1) % per_page + 1;
	mem = ((obj_num - in_last) / per_page) * pg_sz;
	return (ssize_t)(mem + in_last * total + chunk_reserve);
}

RTE_EXPORT_SYMBOL(rte_mempool_op_calc_mem_size_default)
ssize_t
rte_mempool_op_calc_mem_size_default(const struct rte_mempool *mp,
		uint32_t obj_num, uint32_t pg_shift,
		size_t *min_chunk_size, size_t *align)
{
	return rte_mempool_op_calc_mem_size_helper(mp, obj_num, pg_shift, 0,
			min_chunk_size, align);
}

RTE_EXPORT_SYMBOL(rte_mempool_op_populate_helper)
int
rte_mempool_op_populate_helper(struct rte_mempool *mp, unsigned int flags,
		unsigned int max_objs, void *vaddr, rte_iova_t iova, size_t len,
		rte_mempool_populate_obj_cb_t *obj_cb, void *obj_cb_arg)
{
	size_t total = total_elt_size(mp), off = 0;
	unsigned int i;
	char *obj;

	for (i = 0; i < max_objs; i++) {
		if (flags & RTE_MEMPOOL_POPULATE_F_ALIGN_OBJ)
			off += pad_to((char *)vaddr + off + mp->header_size, total);
		if (off > len || len - off < total)
			break;
		obj = (char *)vaddr + off + mp->header_size;
		obj_cb(mp, obj_cb_arg, obj, iova == RTE_BAD_IOVA ? RTE_BAD_IOVA :
			iova + off + mp->header_size);
		off += total;
	}
	return (int)i;
}

RTE_EXPORT_SYMBOL(rte_mempool_op_populate_default)
int
rte_mempool_op_populate_default(struct rte_mempool *mp, unsigned int max_objs,
		void *vaddr, rte_iova_t iova, size_t len,
		rte_mempool_populate_obj_cb_t *obj_cb, void *obj_cb_arg)
{
	return rte_mempool_op_populate_helper(mp, 0, max_objs, vaddr, iova, len,
			obj_cb, obj_cb_arg);
}

/* populate callback: record the object and hand it to the handler */
static void
mempool_add_elem(struct rte_mempool *mp, void *opaque __rte_unused, void *obj,
		rte_iova_t iova)
{
	struct rte_mempool_objhdr *hdr = rte_mempool_get_header(obj);

	hdr->mp = mp;
	hdr->iova = iova;
	STAILQ_INSERT_TAIL(&mp->elt_list, hdr, next);
	mp->populated_size++;
	/* the handler was sized for mp->size objects: this cannot fail */
	rte_mempool_ops_enqueue_bulk(mp, &obj, 1);
}

void
mempool_free_memchunks(struct rte_mempool *mp)
{
	struct rte_mempool_memhdr *memhdr;
	unsigned int lcore;
	void *obj;

	if (mp->cache_size != 0)
		for (lcore = 0; lcore < RTE_MAX_LCORE; lcore++)
			mp->local_cache[lcore].len = 0;
	while (!STAILQ_EMPTY(&mp->elt_list)) {
		rte_mempool_ops_dequeue_bulk(mp, &obj, 1);
		STAILQ_REMOVE_HEAD(&mp->elt_list, next);
		mp->populated_size--;
	}
	while ((memhdr = STAILQ_FIRST(&mp->mem_list)) != NULL) {
		STAILQ_REMOVE_HEAD(&mp->mem_list, next);
		if (memhdr->free_cb != NULL)
			memhdr->free_cb(memhdr, memhdr->opaque);
		rte_free(memhdr);
		mp->nb_mem_chunks--;
	}
}

RTE_EXPORT_SYMBOL(rte_mempool_populate_iova)
int
rte_mempool_populate_iova(struct rte_mempool *mp, char *vaddr, rte_iova_t iova,
		size_t len, rte_mempool_memchunk_free_cb_t *free_cb, void *opaque)
{
	struct rte_mempool_memhdr *memhdr;
	size_t off;
	int ret;

	if (mp == NULL || vaddr == NULL) {
		MEMPOOL_LOG(ERR, "populate_iova: NULL pool or address");
		return -EINVAL;
	}
	ret = mempool_ops_alloc_once(mp);
	if (ret != 0)
		return ret;
	if (mp->populated_size >= mp->size)
		return -ENOSPC;
	off = pad_to(vaddr, (mp->flags & RTE_MEMPOOL_F_NO_CACHE_ALIGN) ?
		sizeof(uint64_t) : RTE_MEMPOOL_ALIGN);
	if (off >= len)
		return 0;
	memhdr = rte_zmalloc("MEMPOOL_MEMHDR", sizeof(*memhdr), 0);
	if (memhdr == NULL) {
		MEMPOOL_LOG(ERR, "mempool %s: no memory for a chunk header", mp->name);
		return -ENOMEM;
	}
	ret = rte_mempool_ops_populate(mp, mp->size - mp->populated_size,
			vaddr + off, iova == RTE_BAD_IOVA ? RTE_BAD_IOVA : iova + off,
			len - off, mempool_add_elem, NULL);
	if (ret <= 0) {
		rte_free(memhdr);
		return ret;
	}
	memhdr->mp = mp;
	memhdr->addr = vaddr;
	memhdr->iova = iova;
	memhdr->len = len;
	memhdr->free_cb = free_cb;
	memhdr->opaque = opaque;
	STAILQ_INSERT_TAIL(&mp->mem_list, memhdr, next);
	mp->nb_mem_chunks++;
	if (iova != RTE_BAD_IOVA)
		mp->flags &= ~RTE_MEMPOOL_F_NON_IO;
	if (mp->populated_size == mp->size)
		mempool_event_invoke(RTE_MEMPOOL_EVENT_READY, mp);
	return ret;
}

/* Length of the run of IOVA-contiguous pages starting at @addr. */
static size_t
iova_contig_run(const char *addr, size_t len, size_t pg_sz, rte_iova_t iova)
{
	size_t run = RTE_MIN(pad_to(addr + 1, pg_sz) + 1, len);
	rte_iova_t next;

	while (run < len) {
		next = rte_mem_virt2iova(addr + run);
		if (iova == RTE_BAD_IOVA ? next != RTE_BAD_IOVA : next != iova + run)
			break;
		run += RTE_MIN(pg_sz, len - run);
	}
	return run;
}

RTE_EXPORT_SYMBOL(rte_mempool_populate_virt)
int
rte_mempool_populate_virt(struct rte_mempool *mp, char *addr, size_t len,
		size_t pg_sz, rte_mempool_memchunk_free_cb_t *free_cb, void *opaque)
{
	struct rte_mempool_memhdr *first;
	uint32_t chunks_before;
	size_t off, run;
	int cnt = 0, ret;

	if (mp == NULL || addr == NULL || pg_sz == 0 || (pg_sz & (pg_sz - 1)) != 0) {
		MEMPOOL_LOG(ERR, "populate_virt: NULL pool or address, or bad page size %zu",
			pg_sz);
		return -EINVAL;
	}
	if (mp->flags & RTE_MEMPOOL_F_NO_IOVA_CONTIG)
		return rte_mempool_populate_iova(mp, addr, RTE_BAD_IOVA, len, free_cb, opaque);
	if (mp->populated_size >= mp->size)
		return -ENOSPC;

	chunks_before = mp->nb_mem_chunks;
	for (off = 0; off < len && mp->populated_size < mp->size; off += run) {
		rte_iova_t iova = rte_mem_virt2iova(addr + off);

		run = iova_contig_run(addr + off, len - off, pg_sz, iova);
		/* the area's free_cb is attached once the whole area succeeded */
		ret = rte_mempool_populate_iova(mp, addr + off, iova, run, NULL, NULL);
		if (ret < 0) {
			mempool_free_memchunks(mp);
			return ret;
		}
		cnt += ret;
	}
	if (cnt == 0)
		return 0;
	first = STAILQ_FIRST(&mp->mem_list);
	while (chunks_before-- > 0)
		first = STAILQ_NEXT(first, next);
	first->free_cb = free_cb;
	first->opaque = opaque;
	return cnt;
}

struct min_page_arg {
	int socket_id;
	size_t pg_sz;
};

static int
find_min_page(const struct rte_memseg_list *msl, void *arg)
{
	struct min_page_arg *a = arg;

	if (a->socket_id == SOCKET_ID_ANY ? msl->external != 0 : msl->socket_id != a->socket_id)
		return 0;
	if (a->pg_sz == 0 || msl->page_sz < a->pg_sz)
		a->pg_sz = msl->page_sz;
	return 0;
}

RTE_EXPORT_SYMBOL(rte_mempool_get_page_size)
int
rte_mempool_get_page_size(struct rte_mempool *mp, size_t *pg_sz)
{
	struct min_page_arg a = { .socket_id = SOCKET_ID_ANY, .pg_sz = 0 };

	if (mp == NULL || pg_sz == NULL)
		return -EINVAL;
	/* VA-contiguous is IOVA-contiguous in VA mode: pages do not matter */
	if ((mp->flags & RTE_MEMPOOL_F_NO_IOVA_CONTIG) ||
	    rte_eal_iova_mode() == RTE_IOVA_VA) {
		*pg_sz = 0;
		return 0;
	}
	a.socket_id = mp->socket_id;
	rte_memseg_list_walk(find_min_page, &a);
	*pg_sz = a.pg_sz != 0 ? a.pg_sz : (size_t)sysconf(_SC_PAGESIZE);
	return 0;
}

static void
mempool_mz_free(struct rte_mempool_memhdr *memhdr __rte_unused, void *opaque)
{
	rte_memzone_free(opaque);
}

/*
 * Reserve the memzone for the next @n objects: IOVA-contiguous while
 * *try_contig, else page-aligned for page-by-page population; as a last
 * resort the biggest free zone. Clears *try_contig when it falls back.
 */
static const struct rte_memzone *
reserve_chunk(struct rte_mempool *mp, const char *mz_name, uint32_t n,
		size_t pg_sz, bool *try_contig, size_t *min_chunk)
{
	unsigned int pg_shift = pg_sz != 0 ? rte_bsf64(pg_sz) : 0;
	unsigned int flags = RTE_MEMZONE_1GB | RTE_MEMZONE_SIZE_HINT_ONLY;
	const struct rte_memzone *mz;
	size_t align;
	ssize_t size;

	size = rte_mempool_ops_calc_mem_size(mp, n, *try_contig ? 0 : pg_shift,
			min_chunk, &align);
	if (size < 0) {
		rte_errno = (int)-size;
		return NULL;
	}
	mz = rte_memzone_reserve_aligned(mz_name, (size_t)size, mp->socket_id,
			flags | (*try_contig ? RTE_MEMZONE_IOVA_CONTIG : 0), (unsigned int)align);
	if (mz == NULL && *try_contig && rte_errno == ENOMEM) {
		/* no contiguous run that long: per page, if an object fits a page */
		size = rte_mempool_ops_calc_mem_size(mp, n, pg_shift, min_chunk, &align);
		if (size < 0 || *min_chunk > pg_sz)
			return NULL;
		*try_contig = false;
		mz = rte_memzone_reserve_aligned(mz_name, (size_t)size, mp->socket_id,
				flags, (unsigned int)align);
	}
	if (mz == NULL && rte_errno == ENOMEM && *min_chunk < (size_t)size)
		mz = rte_memzone_reserve_aligned(mz_name, 0, mp->socket_id,
				flags | (*try_contig ? RTE_MEMZONE_IOVA_CONTIG : 0),
				(unsigned int)align);
	if (mz != NULL && mz->len < *min_chunk) {
		rte_memzone_free(mz);
		rte_errno = ENOMEM;
		return NULL;
	}
	return mz;
}

RTE_EXPORT_SYMBOL(rte_mempool_populate_default)
int
rte_mempool_populate_default(struct rte_mempool *mp)
{
	char mz_name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	bool try_contig, need_iova;
	size_t pg_sz, min_chunk;
	unsigned int mz_id;
	int ret;

	if (mp == NULL)
		return -EINVAL;
	ret = mempool_ops_alloc_once(mp);
	if (ret != 0)
		return ret;
	if (mp->nb_mem_chunks != 0)
		return -EEXIST;
	ret = rte_mempool_get_page_size(mp, &pg_sz);
	if (ret < 0)
		return ret;
	need_iova = !(mp->flags & RTE_MEMPOOL_F_NO_IOVA_CONTIG);
	try_contig = pg_sz != 0;

	for (mz_id = 0; mp->populated_size < mp->size; mz_id++) {
		ret = snprintf(mz_name, sizeof(mz_name), RTE_MEMPOOL_MZ_FORMAT "_%u",
			mp->name, mz_id);
		if (ret < 0 || (size_t)ret >= sizeof(mz_name)) {
			ret = -ENAMETOOLONG;
			goto fail;
		}
		mz = reserve_chunk(mp, mz_name, mp->size - mp->populated_size, pg_sz,
				&try_contig, &min_chunk);
		if (mz == NULL) {
			MEMPOOL_LOG(ERR, "mempool %s: cannot reserve %s: %s", mp->name,
				mz_name, rte_strerror(rte_errno));
			ret = -rte_errno;
			goto fail;
		}
		if (pg_sz == 0 || try_contig)
			ret = rte_mempool_populate_iova(mp, mz->addr,
				need_iova ? mz->iova : RTE_BAD_IOVA, mz->len,
				mempool_mz_free, RTE_PTR_UNQUAL(mz));
		else
			ret = rte_mempool_populate_virt(mp, mz->addr, mz->len, pg_sz,
				mempool_mz_free, RTE_PTR_UNQUAL(mz));
		if (ret <= 0) {
			rte_memzone_free(mz);
			ret = ret == 0 ? -ENOBUFS : ret;
			goto fail;
		}
	}
	return (int)mp->size;
fail:
	mempool_free_memchunks(mp);
	return ret;
}

static void
mempool_anon_free(struct rte_mempool_memhdr *memhdr, void *opaque)
{
	munmap(memhdr->addr, (size_t)(uintptr_t)opaque);
}

RTE_EXPORT_SYMBOL(rte_mempool_populate_anon)
int
rte_mempool_populate_anon(struct rte_mempool *mp)
{
	size_t min_chunk, align;
	ssize_t size;
	void *addr;
	int ret;

	if (mp == NULL || mp->nb_mem_chunks != 0) {
		MEMPOOL_LOG(ERR, "populate_anon: NULL or already populated pool");
		rte_errno = EINVAL;
		return 0;
	}
	ret = mempool_ops_alloc_once(mp);
	if (ret != 0) {
		rte_errno = -ret;
		return 0;
	}
	size = rte_mempool_ops_calc_mem_size(mp, mp->size, 0, &min_chunk, &align);
	if (size <= 0) {
		rte_errno = size < 0 ? (int)-size : EINVAL;
		return 0;
	}
	addr = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE,
		MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (addr == MAP_FAILED) {
		rte_errno = errno;
		MEMPOOL_LOG(ERR, "mempool %s: anonymous mmap failed: %s", mp->name,
			strerror(errno));
		return 0;
	}
	/* locked so that the pages stay put, but not device-visible: no IOVA */
	if (mlock(addr, (size_t)size) < 0) {
		rte_errno = errno;
		MEMPOOL_LOG(ERR, "mempool %s: mlock failed: %s", mp->name, strerror(errno));
		munmap(addr, (size_t)size);
		return 0;
	}
	ret = rte_mempool_populate_iova(mp, addr, RTE_BAD_IOVA, (size_t)size,
			mempool_anon_free, (void *)(uintptr_t)size);
	if (ret <= 0) {
		rte_errno = ret == 0 ? ENOBUFS : -ret;
		munmap(addr, (size_t)size);
		return 0;
	}
	return (int)mp->populated_size;
}
