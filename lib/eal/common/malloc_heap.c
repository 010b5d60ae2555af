/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Malloc heaps: search, growth through eal_memalloc, shrink on free,
 * statistics, external heaps and heap init.
 *
 * Locks (eal_memcfg.h): heap->lock, then memory_hotplug_lock for writing
 * while pages are added or removed. Statistics and dumps take the heap
 * lock only.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>
#include <rte_string_fns.h>

#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_memalloc.h"
#include "eal_memcfg.h"
#include "eal_private.h"
#include "malloc_elem.h"
#include "malloc_heap.h"

#include "malloc_mp.h"

/*
 * Multi-process hook: malloc_mp.c (request_sync(), request_to_primary())
 * calls back into this file, so it lands after it. Until it is linked in,
 * these weak references are NULL and the heap is primary-only: secondaries
 * neither grow nor shrink heaps and the primary has no one to sync.
 */
#pragma weak request_sync
#pragma weak request_to_primary
#pragma weak register_mp_requests
#pragma weak unregister_mp_requests

static bool
heap_have_mp(void)
{
	return request_sync != NULL && request_to_primary != NULL;
}

volatile bool malloc_heap_ready;

static struct rte_mem_config *
mcfg(void)
{
	return rte_eal_get_configuration()->mem_config;
}

static bool
heap_mem_is_fixed(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();

	return cfg->legacy_mem || cfg->no_hugetlbfs;
}

static bool
socket_is_external(unsigned int socket_id)
{
	return socket_id >= (unsigned int)EXTERNAL_HEAP_MIN_SOCKET_ID;
}

int
malloc_socket_to_heap_id(unsigned int socket_id)
{
	struct rte_mem_config *m = mcfg();
	int i;

	for (i = 0; i < RTE_MAX_HEAPS; i++) {
		struct malloc_heap *heap = &m->malloc_heaps[i];

		if (heap->name[0] != '\0' && heap->socket_id == socket_id)
			return i;
	}
	return -1;
}

struct rte_memseg_list *
malloc_heap_find_msl(const void *addr)
{
	struct rte_mem_config *m = mcfg();
	int i;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		struct rte_memseg_list *msl = &m->memsegs[i];
		uintptr_t base = (uintptr_t)msl->base_va;

		if (base != 0 && (uintptr_t)addr >= base && (uintptr_t)addr - base < msl->len)
			return msl;
	}
	return NULL;
}

static struct rte_memseg *
msl_page(struct rte_memseg_list *msl, const void *addr)
{
	unsigned int idx = RTE_PTR_DIFF(addr, msl->base_va) / msl->page_sz;

	return rte_fbarray_get(&msl->memseg_arr, idx);
}

static bool
hugepage_sz_ok(unsigned int flags, uint64_t pg_sz)
{
	unsigned int want = flags & MALLOC_HEAP_PGSZ_FLAGS;

	if (want == 0)
		return true;
	switch (pg_sz) {
	case RTE_PGSIZE_256K: return want & RTE_MEMZONE_256KB;
	case RTE_PGSIZE_2M: return want & RTE_MEMZONE_2MB;
	case RTE_PGSIZE_16M: return want & RTE_MEMZONE_16MB;
	case RTE_PGSIZE_256M: return want & RTE_MEMZONE_256MB;
	case RTE_PGSIZE_512M: return want & RTE_MEMZONE_512MB;
	case RTE_PGSIZE_1G: return want & RTE_MEMZONE_1GB;
	case RTE_PGSIZE_4G: return want & RTE_MEMZONE_4GB;
	case RTE_PGSIZE_16G: return want & RTE_MEMZONE_16GB;
	default: return false;
	}
}

/*
 * First free element that can hold the request, searching from the size
 * class of @p size upwards; with SIZE_HINT_ONLY, an element of another page
 * size is the fallback.
 */
static struct malloc_elem *
find_suitable_element(struct malloc_heap *heap, size_t size, unsigned int flags,
		size_t align, size_t bound, bool contig)
{
	struct malloc_elem *elem, *alt = NULL;
	size_t idx;

	for (idx = malloc_elem_free_list_index(size + MALLOC_ELEM_HEADER_LEN);
			idx < RTE_HEAP_NUM_FREELISTS; idx++) {
		LIST_FOREACH(elem, &heap->free_head[idx], free_list) {
			if (!malloc_elem_can_hold(elem, size, align, bound, contig))
				continue;
			if (hugepage_sz_ok(flags, elem->msl->page_sz))
				return elem;
			if (alt == NULL && (flags & RTE_MEMZONE_SIZE_HINT_ONLY))
				alt = elem;
		}
	}
	return alt;
}

/* @return true if an element at or after *@p cur overlaps [start, end). */
static bool
elem_covers(struct malloc_elem **cur, uintptr_t start, uintptr_t end)
{
	while (*cur != NULL && (uintptr_t)*cur + (*cur)->size <= start)
		*cur = (*cur)->next;
	return *cur != NULL && (uintptr_t)*cur < end;
}

static bool page_pinned(struct rte_memseg_list *msl, uintptr_t page);
static void heap_give_back(void *start, size_t len);

/* Orphan pages of @p msl: used, in no element of @p heap, not pinned. */
static unsigned int
reclaim_list(struct malloc_heap *heap, struct rte_memseg_list *msl)
{
	struct malloc_elem *cur = heap->first;
	uintptr_t run = 0, run_end = 0, p;
	size_t pg = msl->page_sz;
	unsigned int n = 0;
	int idx = 0, len, k;

	while ((idx = rte_fbarray_find_next_used(&msl->memseg_arr, idx)) >= 0) {
		len = rte_fbarray_find_contig_used(&msl->memseg_arr, idx);
		for (k = idx; k <= idx + len; k++) {
			p = (uintptr_t)msl->base_va + (size_t)k * pg;
			if (k < idx + len && !elem_covers(&cur, p, p + pg) &&
					!page_pinned(msl, p)) {
				run = run != 0 ? run : p;
				run_end = p + pg;
				continue;
			}
			if (run == 0)
				continue;
			heap_give_back((void *)run, run_end - run);
			n += (run_end - run) / pg;
			run = 0;
		}
		idx += len;
		if (len <= 0 || idx >= (int)msl->memseg_arr.len)
			break;
	}
	return n;
}

/*
 * A process that died between taking pages out of the heap and giving them
 * back leaves them mapped and in no element: give them back (heap lock held).
 * @return the number of pages.
 */
static unsigned int
heap_reclaim_orphans(struct malloc_heap *heap)
{
	struct rte_mem_config *m = mcfg();
	unsigned int i, n = 0;

	if (heap_mem_is_fixed() || socket_is_external(heap->socket_id))
		return 0;
	rte_mcfg_mem_write_lock();
	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		struct rte_memseg_list *msl = &m->memsegs[i];

		if (msl->base_va != NULL && !msl->external &&
				msl->socket_id == (int)heap->socket_id)
			n += reclaim_list(heap, msl);
	}
	rte_mcfg_mem_write_unlock();
	return n;
}

void
malloc_heap_lock(struct malloc_heap *heap)
{
	unsigned int orphans;
	int fixes;

	if (!eal_shared_spinlock_lock(&heap->lock))
		return;
	fixes = malloc_elem_repair(heap);
	orphans = heap_reclaim_orphans(heap);
	EAL_LOG(WARNING, "Heap %s: its lock was taken over from a dead process; %d "
		"repair(s), %u orphan page(s) given back, %u busy element(s), 0x%zx bytes",
		heap->name, fixes, orphans, heap->alloc_count, heap->total_size);
}

void
malloc_heap_unlock(struct malloc_heap *heap)
{
	eal_shared_spinlock_unlock(&heap->lock);
}

/* blocks from this size up are placed at the low end of free elements */
#define HEAP_LOW_PLACEMENT_MIN ((size_t)256 << 10)

/* Allocate from the free lists only (heap lock held). @return data or NULL. */
static void *
heap_alloc(struct malloc_heap *heap, size_t size, unsigned int flags, size_t align,
		size_t bound, bool contig)
{
	struct malloc_elem *elem;

	size = RTE_CACHE_LINE_ROUNDUP(size);
	align = RTE_CACHE_LINE_ROUNDUP(align);
	elem = find_suitable_element(heap, size, flags, align, bound, contig);
	if (elem == NULL)
		return NULL;
	/*
	 * Big blocks go to the low end of the element, small ones to the top:
	 * a run of big blocks then packs its pages without a hole per page.
	 */
	if (size >= HEAP_LOW_PLACEMENT_MIN && bound == 0 && !contig) {
		struct malloc_elem *low = malloc_elem_alloc_low(elem, size, align);

		if (low != NULL) {
			heap->alloc_count++;
			return RTE_PTR_ADD(low, low->pad + MALLOC_ELEM_HEADER_LEN);
		}
	}
	elem = malloc_elem_alloc(elem, size, align, bound, contig);
	heap->alloc_count++;
	return RTE_PTR_ADD(elem, elem->pad + MALLOC_ELEM_HEADER_LEN);
}

/* Add the page-aligned region to @p heap as a free element (heap lock held). */
static struct malloc_elem *
heap_add_memory(struct malloc_heap *heap, struct rte_memseg_list *msl, void *start,
		size_t len)
{
	struct malloc_elem *elem = start;

	malloc_elem_init(elem, heap, msl, len, elem, len);
	malloc_elem_insert(elem);
	elem = malloc_elem_join_adjacent_free(elem);
	malloc_elem_free_list_insert(elem);
	malloc_elem_poison(malloc_elem_data(elem), elem->size - MALLOC_ELEM_HEADER_LEN);
	return elem;
}

/* Pages of @p pg_sz needed so that a block of @p size fits after alignment. */
static size_t
pages_needed(size_t size, size_t align, size_t bound, size_t pg_sz)
{
	size_t need = RTE_ALIGN_CEIL(size + MALLOC_ELEM_TRAILER_LEN, align) +
			MALLOC_ELEM_HEADER_LEN;

	/* a gap below the block must be 0 or hold a PAD header (elem_start_pt) */
	if (need % pg_sz != 0 && pg_sz - need % pg_sz < MALLOC_ELEM_HEADER_LEN)
		need += MALLOC_ELEM_HEADER_LEN;

	/* the new pages start page-aligned only */
	if (align > pg_sz)
		need += align - pg_sz;
	if (bound != 0)
		need += size;
	return RTE_ALIGN_CEIL(need, pg_sz) / pg_sz;
}

void
rollback_expand_heap(struct rte_memseg **ms, int n_segs, struct malloc_elem *elem,
		void *map_addr, size_t map_len)
{
	if (elem != NULL) {
		malloc_elem_free_list_remove(elem);
		malloc_elem_hide_region(elem, map_addr, map_len);
	}
	if (eal_memalloc_free_seg_bulk(ms, n_segs) != 0)
		EAL_LOG(ERR, "Could not unmap %d pages at %p after a failed heap growth",
				n_segs, map_addr);
}

struct malloc_elem *
alloc_pages_on_heap(struct malloc_heap *heap, uint64_t pg_sz, size_t elt_size, int socket,
		unsigned int flags, size_t align, size_t bound, bool contig,
		struct rte_memseg **ms, int n_segs)
{
	size_t map_len = (size_t)n_segs * pg_sz;
	struct rte_memseg_list *msl;
	struct malloc_elem *elem;
	bool dirty = false;
	void *map_addr;
	int i;

	if (eal_memalloc_mem_alloc_validate(socket, heap->total_size + map_len) < 0) {
		EAL_LOG(DEBUG, "A validator refused growing socket %d by %zu bytes",
				socket, map_len);
		return NULL;
	}
	if (eal_memalloc_alloc_seg_bulk(ms, n_segs, pg_sz, socket, true) != n_segs) {
		EAL_LOG(DEBUG, "Could not map %d pages of %" PRIu64 " bytes on socket %d",
				n_segs, pg_sz, socket);
		return NULL;
	}
	map_addr = ms[0]->addr;
	msl = malloc_heap_find_msl(map_addr);
	if (msl == NULL)
		goto err_unmap;
	if (mcfg()->dma_maskbits != 0 &&
			rte_mem_check_dma_mask_thread_unsafe(mcfg()->dma_maskbits) != 0) {
		EAL_LOG(ERR, "New pages at %p do not fit the DMA mask", map_addr);
		goto err_unmap;
	}
	if (contig && !eal_memalloc_is_contig(msl, map_addr, map_len)) {
		EAL_LOG(DEBUG, "New pages at %p are not IOVA-contiguous", map_addr);
		goto err_unmap;
	}
	for (i = 0; i < n_segs; i++) {
		if (ms[i]->flags & RTE_MEMSEG_FLAG_DIRTY) {
			dirty = true;
			ms[i]->flags &= ~RTE_MEMSEG_FLAG_DIRTY;
		}
	}
	/* reused page files may hold old bytes; free heap memory must be zero */
	if (dirty)
		memset(map_addr, 0, map_len);
	elem = heap_add_memory(heap, msl, map_addr, map_len);
	if (find_suitable_element(heap, RTE_CACHE_LINE_ROUNDUP(elt_size), flags,
			RTE_CACHE_LINE_ROUNDUP(align), bound, contig) == NULL) {
		rollback_expand_heap(ms, n_segs, elem, map_addr, map_len);
		return NULL;
	}
	return elem;

err_unmap:
	rollback_expand_heap(ms, n_segs, NULL, map_addr, map_len);
	return NULL;
}

/* Let the secondaries see the new memseg state. Primary-only without malloc_mp. */
static int
heap_sync_secondaries(bool rollback)
{
	return heap_have_mp() ? request_sync(rollback) : 0;
}

/* Grow @p heap by enough pages of @p pg_sz (hotplug lock held for writing). */
static int
try_expand_heap_primary(struct malloc_heap *heap, uint64_t pg_sz, size_t size, int socket,
		unsigned int flags, size_t align, size_t bound, bool contig,
		struct malloc_elem **grown)
{
	size_t n_segs = pages_needed(size, align, bound, pg_sz);
	struct rte_memseg **ms;
	struct malloc_elem *elem;
	size_t map_len;
	void *map_addr;

	if (n_segs > INT32_MAX)
		return -1;
	ms = calloc(n_segs, sizeof(*ms));
	if (ms == NULL)
		return -1;
	elem = alloc_pages_on_heap(heap, pg_sz, size, socket, flags, align, bound, contig,
			ms, (int)n_segs);
	if (elem == NULL)
		goto err_free;
	map_addr = ms[0]->addr;
	map_len = n_segs * pg_sz;
	eal_memalloc_mem_event_notify(RTE_MEM_EVENT_ALLOC, map_addr, map_len);
	if (heap_sync_secondaries(false) != 0) {
		eal_memalloc_mem_event_notify(RTE_MEM_EVENT_FREE, map_addr, map_len);
		rollback_expand_heap(ms, (int)n_segs, elem, map_addr, map_len);
		heap_sync_secondaries(true);
		goto err_free;
	}
	heap->total_size += map_len;
	EAL_LOG(DEBUG, "Heap %s grew by %zu bytes at %p", heap->name, map_len, map_addr);
	*grown = elem;
	free(ms);
	return 0;

err_free:
	free(ms);
	return -1;
}

/* A secondary asks the primary to grow the heap; needs malloc_mp. */
static int
try_expand_heap_secondary(struct malloc_heap *heap, uint64_t pg_sz, size_t size,
		int socket, unsigned int flags, size_t align, size_t bound, bool contig)
{
	struct malloc_mp_req req;

	if (!heap_have_mp())
		return -1;
	memset(&req, 0, sizeof(req));
	req.t = REQ_TYPE_ALLOC;
	req.alloc_req.heap = heap;
	req.alloc_req.page_sz = pg_sz;
	req.alloc_req.elt_size = size;
	req.alloc_req.socket = socket;
	req.alloc_req.flags = flags;
	req.alloc_req.align = align;
	req.alloc_req.bound = bound;
	req.alloc_req.contig = contig;
	req.alloc_req.n_segs = (int)pages_needed(size, align, bound, pg_sz);
	if (request_to_primary(&req) != 0 || req.result != REQ_RESULT_SUCCESS)
		return -1;
	return 0;
}

static int
try_expand_heap(struct malloc_heap *heap, uint64_t pg_sz, size_t size, int socket,
		unsigned int flags, size_t align, size_t bound, bool contig,
		struct malloc_elem **grown)
{
	int ret;

	rte_mcfg_mem_write_lock();
	if (rte_eal_process_type() == RTE_PROC_PRIMARY)
		ret = try_expand_heap_primary(heap, pg_sz, size, socket, flags, align,
				bound, contig, grown);
	else
		ret = try_expand_heap_secondary(heap, pg_sz, size, socket, flags, align,
				bound, contig);
	rte_mcfg_mem_write_unlock();
	return ret;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Grow @p heap for the request: page sizes the flags ask for first
 * (smallest first), then, if the flags allow, any other page size.
 */
static int
alloc_more_mem_on_socket(struct malloc_heap *heap, size_t size, int socket,
		unsigned int flags, size_t align, size_t bound, bool contig,
		struct malloc_elem **grown)
{
	struct rte_mem_config *m = mcfg();
	uint64_t sizes[RTE_MAX_MEMSEG_LISTS];
	unsigned int n = 0, i, pass;
	bool hint = (flags & RTE_MEMZONE_SIZE_HINT_ONLY) ||
			(flags & MALLOC_HEAP_PGSZ_FLAGS) == 0;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		struct rte_memseg_list *msl = &m->memsegs[i];
		unsigned int j;

		if (msl->base_va == NULL || msl->external || msl->socket_id != socket)
			continue;
		for (j = 0; j < n && sizes[j] != msl->page_sz; j++)
			;
		if (j == n)
			sizes[n++] = msl->page_sz;
	}
	qsort(sizes, n, sizeof(sizes[0]), cmp_u64);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			bool wanted = hugepage_sz_ok(flags, sizes[i]);

			if ((pass == 0) != wanted || (pass == 1 && !hint))
				continue;
			if (try_expand_heap(heap, sizes[i], size, socket, flags, align, bound,
					contig, grown) == 0)
				return 0;
		}
	}
	return -1;
}

static void *
alloc_on_heap_id(size_t size, int heap_id, unsigned int flags, size_t align, size_t bound,
		bool contig)
{
	struct malloc_heap *heap = &mcfg()->malloc_heaps[heap_id];
	struct malloc_elem *grown = NULL;
	void *ret;

	if (socket_is_external(heap->socket_id))
		flags |= RTE_MEMZONE_SIZE_HINT_ONLY;
	malloc_heap_lock(heap);
	ret = heap_alloc(heap, size, flags, align, bound, contig);
	if (ret == NULL && !heap_mem_is_fixed() && !socket_is_external(heap->socket_id) &&
			alloc_more_mem_on_socket(heap, RTE_CACHE_LINE_ROUNDUP(size),
				(int)heap->socket_id, flags, RTE_CACHE_LINE_ROUNDUP(align), bound,
				contig, &grown) == 0) {
		/*
		 * Take the new memory from its low end: the free rest is then next
		 * to where the following growth lands and merges with it, so a
		 * run of big blocks does not waste most of every page.
		 */
		if (grown != NULL && bound == 0 && !contig) {
			struct malloc_elem *elem = malloc_elem_alloc_low(grown,
					RTE_CACHE_LINE_ROUNDUP(size), RTE_CACHE_LINE_ROUNDUP(align));

			if (elem != NULL) {
				heap->alloc_count++;
				ret = RTE_PTR_ADD(elem, elem->pad + MALLOC_ELEM_HEADER_LEN);
			}
		}
		if (ret == NULL)
			ret = heap_alloc(heap, size, flags | RTE_MEMZONE_SIZE_HINT_ONLY, align,
					bound, contig);
		if (ret == NULL)
			EAL_LOG(ERR, "Heap %s grew but the block still does not fit", heap->name);
	}
	malloc_heap_unlock(heap);
	return ret;
}

/* Socket of the caller for SOCKET_ID_ANY: its lcore's, else the first with memory. */
static int
malloc_default_socket(void)
{
	unsigned int s = rte_socket_id();
	unsigned int i;

	if (s != (unsigned int)SOCKET_ID_ANY && malloc_socket_to_heap_id(s) >= 0)
		return (int)s;
	for (i = 0; i < rte_socket_count(); i++) {
		int sock = rte_socket_id_by_idx(i);
		int id = sock < 0 ? -1 : malloc_socket_to_heap_id(sock);

		if (id >= 0 && mcfg()->malloc_heaps[id].total_size > 0)
			return sock;
	}
	return 0;
}

void *
malloc_heap_alloc(const char *type, size_t size, int socket, unsigned int flags,
		size_t align, size_t bound, bool contig)
{
	int heap_id, first;
	unsigned int i;
	void *ret;

	RTE_SET_USED(type);
	if (size == 0 || (align != 0 && !is_pow2(align)))
		return NULL;
	/* no real request comes near this; it also keeps the rounding safe */
	if (size > ((size_t)RTE_MAX_MEM_MB << 20) || align > ((size_t)RTE_MAX_MEM_MB << 20))
		return NULL;
	if (socket != SOCKET_ID_ANY) {
		heap_id = socket < 0 ? -1 : malloc_socket_to_heap_id((unsigned int)socket);
		if (heap_id < 0)
			return NULL;
		return alloc_on_heap_id(size, heap_id, flags, align, bound, contig);
	}
	first = malloc_default_socket();
	heap_id = malloc_socket_to_heap_id((unsigned int)first);
	if (heap_id >= 0) {
		ret = alloc_on_heap_id(size, heap_id, flags, align, bound, contig);
		if (ret != NULL)
			return ret;
	}
	for (i = 0; i < rte_socket_count(); i++) {
		int sock = rte_socket_id_by_idx(i);

		if (sock < 0 || sock == first)
			continue;
		heap_id = malloc_socket_to_heap_id((unsigned int)sock);
		if (heap_id < 0)
			continue;
		ret = alloc_on_heap_id(size, heap_id, flags, align, bound, contig);
		if (ret != NULL)
			return ret;
	}
	return NULL;
}

/* Usable size of the biggest block free element @p elem can give. */
static size_t
elem_biggest_block(struct malloc_elem *elem, size_t align, bool contig)
{
	uintptr_t data = (uintptr_t)malloc_elem_data(elem);
	uintptr_t end = (uintptr_t)elem + elem->size - MALLOC_ELEM_TRAILER_LEN;
	size_t len;

	if (contig)
		len = malloc_elem_find_max_iova_contig(elem, align);
	else
		len = RTE_ALIGN_CEIL(data, align) < end ? end - RTE_ALIGN_CEIL(data, align) : 0;
	return RTE_ALIGN_FLOOR(len, RTE_CACHE_LINE_SIZE);
}

void *
malloc_heap_alloc_biggest(const char *type, int socket, unsigned int flags, size_t align,
		bool contig)
{
	struct rte_mem_config *m = mcfg();
	struct malloc_heap *best_heap = NULL;
	struct malloc_elem *best = NULL;
	size_t best_len = 0;
	int i, idx;
	void *ret = NULL;

	RTE_SET_USED(type);
	align = RTE_CACHE_LINE_ROUNDUP(align == 0 ? 1 : align);
	/* the table lock (mlock) serialises this with other reservations */
	for (i = 0; i < RTE_MAX_HEAPS; i++) {
		struct malloc_heap *heap = &m->malloc_heaps[i];
		struct malloc_elem *elem;

		if (heap->name[0] == '\0')
			continue;
		if (socket == SOCKET_ID_ANY ? socket_is_external(heap->socket_id) :
				heap->socket_id != (unsigned int)socket)
			continue;
		malloc_heap_lock(heap);
		for (idx = 0; idx < RTE_HEAP_NUM_FREELISTS; idx++) {
			LIST_FOREACH(elem, &heap->free_head[idx], free_list) {
				size_t len;

				if (!socket_is_external(heap->socket_id) &&
						!hugepage_sz_ok(flags, elem->msl->page_sz) &&
						!(flags & RTE_MEMZONE_SIZE_HINT_ONLY))
					continue;
				len = elem_biggest_block(elem, align, contig);
				if (len > best_len) {
					best_len = len;
					best = elem;
					best_heap = heap;
				}
			}
		}
		malloc_heap_unlock(heap);
	}
	if (best == NULL || best_len == 0)
		return NULL;
	malloc_heap_lock(best_heap);
	/* recheck under the lock: another thread may have taken it meanwhile */
	if (best->state == ELEM_FREE && best->heap == best_heap &&
			malloc_elem_can_hold(best, best_len, align, 0, contig)) {
		best = malloc_elem_alloc(best, best_len, align, 0, contig);
		best_heap->alloc_count++;
		ret = RTE_PTR_ADD(best, best->pad + MALLOC_ELEM_HEADER_LEN);
	}
	malloc_heap_unlock(best_heap);
	return ret;
}

int
malloc_heap_free_pages(void *aligned_start, size_t aligned_len)
{
	struct rte_memseg_list *msl = malloc_heap_find_msl(aligned_start);
	struct rte_memseg **ms;
	size_t n, i;
	int ret;

	if (msl == NULL)
		return -1;
	n = aligned_len / msl->page_sz;
	ms = calloc(n, sizeof(*ms));
	if (ms == NULL)
		return -1;
	for (i = 0; i < n; i++)
		ms[i] = msl_page(msl, RTE_PTR_ADD(aligned_start, i * msl->page_sz));
	ret = eal_memalloc_free_seg_bulk(ms, (int)n);
	free(ms);
	return ret;
}

/* Give back pages that are in no element (hotplug lock held for writing). */
static void
heap_give_back(void *start, size_t len)
{
	if (rte_eal_process_type() == RTE_PROC_PRIMARY) {
		eal_memalloc_mem_event_notify(RTE_MEM_EVENT_FREE, start, len);
		if (malloc_heap_free_pages(start, len) != 0)
			EAL_LOG(ERR, "Could not unmap %zu bytes at %p", len, start);
		heap_sync_secondaries(false);
		return;
	}
	if (heap_have_mp()) {
		struct malloc_mp_req req;

		memset(&req, 0, sizeof(req));
		req.t = REQ_TYPE_FREE;
		req.free_req.addr = start;
		req.free_req.len = len;
		/* the memory is out of the heap already; the answer changes nothing */
		request_to_primary(&req);
	}
}

/* Give back the pages of a region already hidden from the heap. */
static void
heap_release_region(struct malloc_heap *heap, void *start, size_t len)
{
	heap->total_size -= len;
	heap_give_back(start, len);
}

#define SHRINK_MAX_RUNS 8

struct region {
	uintptr_t start;
	uintptr_t end;
};

static bool
page_pinned(struct rte_memseg_list *msl, uintptr_t page)
{
	const struct rte_memseg *ms = msl_page(msl, (void *)page);

	return ms == NULL || (ms->flags & RTE_MEMSEG_FLAG_DO_NOT_FREE);
}

/*
 * Find the unpinned page runs of free element @p elem worth unmapping.
 * Only pages near the block just freed [lo, hi) are looked at: pages
 * farther away were entirely free before and would have been released
 * then, and pinned preallocated memory is not scanned on every free.
 * @return the number of runs in @p runs (ascending).
 */
static unsigned int
shrink_candidates(struct malloc_elem *elem, uintptr_t lo, uintptr_t hi, struct region *runs)
{
	struct rte_memseg_list *msl = elem->msl;
	size_t pg = msl->page_sz;
	uintptr_t e_start = (uintptr_t)elem, e_end = e_start + elem->size;
	uintptr_t ws, we, p;
	unsigned int n = 0;

	if (elem->size < pg)
		return 0;
	if (eal_get_internal_configuration()->match_allocations) {
		/* only a whole original expansion may go */
		if (elem->orig_elem != elem || elem->orig_size != elem->size)
			return 0;
		lo = e_start;
		hi = e_end;
	}
	ws = RTE_MAX(RTE_ALIGN_CEIL(e_start, pg), RTE_ALIGN_FLOOR(lo, pg) - pg);
	we = RTE_MIN(RTE_ALIGN_FLOOR(e_end, pg), RTE_ALIGN_CEIL(hi, pg) + pg);
	p = ws;
	while (p < we && n < SHRINK_MAX_RUNS) {
		uintptr_t rs, re;

		while (p < we && page_pinned(msl, p))
			p += pg;
		rs = p;
		while (p < we && !page_pinned(msl, p))
			p += pg;
		re = p;
		if (eal_get_internal_configuration()->match_allocations &&
				(rs != e_start || re != e_end))
			return 0;
		/* leftovers must be able to stand as elements */
		if (rs > e_start && rs - e_start < MALLOC_ELEM_MIN_SPLIT)
			rs += pg;
		if (re < e_end && e_end - re < MALLOC_ELEM_MIN_SPLIT)
			re -= pg;
		if (re > rs) {
			runs[n].start = rs;
			runs[n].end = re;
			n++;
		}
	}
	return n;
}

/*
 * Freed data is zeroed (zmalloc relies on it), or in RTE_MALLOC_DEBUG
 * builds poisoned so that a use after free reads garbage (zmalloc then
 * clears explicitly).
 */
#ifdef RTE_MALLOC_DEBUG
#define FREE_FILL MALLOC_POISON
#else
#define FREE_FILL 0
#endif

/* Fill [start, end) with FREE_FILL except the hidden @p runs. */
static void
zero_except(uintptr_t start, uintptr_t end, const struct region *runs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n && start < end; i++) {
		if (runs[i].end <= start || runs[i].start >= end)
			continue;
		if (runs[i].start > start)
			memset((void *)start, FREE_FILL, runs[i].start - start);
		start = runs[i].end;
	}
	if (start < end)
		memset((void *)start, FREE_FILL, end - start);
}

int
malloc_heap_free(struct malloc_elem *elem)
{
	struct malloc_heap *heap = elem->heap;
	uintptr_t lo = (uintptr_t)elem, hi = lo + elem->size;
	struct region runs[SHRINK_MAX_RUNS];
	unsigned int n = 0, i;

	malloc_heap_lock(heap);
	elem = malloc_elem_free(elem);
	heap->alloc_count--;
	if (!heap_mem_is_fixed() && !elem->msl->external)
		n = shrink_candidates(elem, lo, hi, runs);
	/* before any split writes a header into the range */
	zero_except(lo + MALLOC_ELEM_HEADER_LEN, hi, runs, n);
	malloc_elem_set_trailer(elem);
	if (n > 0) {
		rte_mcfg_mem_write_lock();
		/* from the top down, so that elem stays the lowest piece */
		malloc_elem_free_list_remove(elem);
		for (i = n; i-- > 0;) {
			bool whole = runs[i].start == (uintptr_t)elem;

			malloc_elem_hide_region(elem, (void *)runs[i].start,
					runs[i].end - runs[i].start);
			/* elem went back on a free list; the next run needs it off */
			if (!whole && i > 0)
				malloc_elem_free_list_remove(elem);
		}
		for (i = 0; i < n; i++)
			heap_release_region(heap, (void *)runs[i].start,
					runs[i].end - runs[i].start);
		rte_mcfg_mem_write_unlock();
	} else {
		malloc_elem_poison(malloc_elem_data(elem), elem->size - MALLOC_ELEM_HEADER_LEN);
	}
	malloc_heap_unlock(heap);
	return 0;
}

int
malloc_heap_resize(struct malloc_elem *elem, size_t size)
{
	struct malloc_heap *heap = elem->heap;
	int ret;

	malloc_heap_lock(heap);
	ret = malloc_elem_resize(elem, RTE_CACHE_LINE_ROUNDUP(size));
	malloc_heap_unlock(heap);
	return ret;
}

int
malloc_heap_get_stats(struct malloc_heap *heap, struct rte_malloc_socket_stats *stats)
{
	struct malloc_elem *elem;
	int idx;

	memset(stats, 0, sizeof(*stats));
	malloc_heap_lock(heap);
	for (idx = 0; idx < RTE_HEAP_NUM_FREELISTS; idx++) {
		LIST_FOREACH(elem, &heap->free_head[idx], free_list) {
			stats->free_count++;
			stats->heap_freesz_bytes += elem->size;
			stats->greatest_free_size = RTE_MAX(stats->greatest_free_size, elem->size);
		}
	}
	stats->heap_totalsz_bytes = heap->total_size;
	stats->heap_allocsz_bytes = heap->total_size - stats->heap_freesz_bytes;
	stats->alloc_count = heap->alloc_count;
	malloc_heap_unlock(heap);
	return 0;
}

void
malloc_heap_dump(struct malloc_heap *heap, FILE *f)
{
	struct malloc_elem *elem;

	malloc_heap_lock(heap);
	fprintf(f, "Heap %s (socket %u): size 0x%zx, %u allocations\n", heap->name,
			heap->socket_id, heap->total_size, heap->alloc_count);
	for (elem = heap->first; elem != NULL; elem = elem->next)
		malloc_elem_dump(elem, f);
	malloc_heap_unlock(heap);
}

#define CHECK(cond, fmt, ...) do { \
	if (!(cond)) { \
		EAL_LOG(ERR, "Heap %s corrupt: " fmt, heap->name, ##__VA_ARGS__); \
		goto fail; \
	} \
} while (0)

int
malloc_heap_check(struct malloc_heap *heap, unsigned int n_cached)
{
	struct malloc_elem *elem, *prev = NULL;
	size_t total = 0, n_free = 0, n_listed = 0, n_busy = 0, n_cache = 0;
	int idx;

	malloc_heap_lock(heap);
	for (elem = heap->first; elem != NULL; prev = elem, elem = elem->next) {
		struct rte_memseg_list *msl = elem->msl;

		CHECK(malloc_elem_cookies_ok(elem), "bad header at %p", (void *)elem);
		CHECK(elem->heap == heap, "element %p of another heap", (void *)elem);
		CHECK(elem->prev == prev, "broken back link at %p", (void *)elem);
		CHECK(prev == NULL || RTE_PTR_ADD(prev, prev->size) <= (void *)elem,
				"elements overlap at %p", (void *)elem);
		CHECK(msl != NULL && (uintptr_t)elem >= (uintptr_t)msl->base_va &&
				(uintptr_t)elem + elem->size <= (uintptr_t)msl->base_va + msl->len,
				"element %p outside its memseg list", (void *)elem);
		CHECK(elem->size >= MALLOC_ELEM_MIN_SPLIT && elem->size % RTE_CACHE_LINE_SIZE == 0,
				"bad size 0x%zx at %p", elem->size, (void *)elem);
		total += elem->size;
		switch (elem->state) {
		case ELEM_FREE:
			n_free++;
			CHECK(elem->pad == 0, "free element %p has padding", (void *)elem);
			CHECK(prev == NULL || prev->state != ELEM_FREE ||
					RTE_PTR_ADD(prev, prev->size) != (void *)elem ||
					prev->msl != elem->msl ||
					prev->orig_elem != elem->orig_elem,
					"adjacent free elements at %p not merged", (void *)elem);
			break;
		case ELEM_BUSY:
			n_busy++;
			if (elem->pad != 0) {
				struct malloc_elem *pad = RTE_PTR_ADD(elem, elem->pad);

				CHECK(malloc_elem_cookies_ok(pad) && pad->state == ELEM_PAD &&
						pad->pad == elem->pad,
						"bad pad header for %p", (void *)elem);
			}
			break;
		case ELEM_CACHED:
			n_cache++;
			break;
		default:
			CHECK(0, "bad state %u at %p", elem->state, (void *)elem);
		}
	}
	CHECK(heap->last == prev, "last pointer wrong");
	for (idx = 0; idx < RTE_HEAP_NUM_FREELISTS; idx++) {
		LIST_FOREACH(elem, &heap->free_head[idx], free_list) {
			n_listed++;
			CHECK(elem->state == ELEM_FREE, "busy element %p on a free list",
					(void *)elem);
			CHECK(malloc_elem_free_list_index(elem->size) == (size_t)idx,
					"element %p on the wrong free list", (void *)elem);
		}
	}
	CHECK(n_listed == n_free, "%zu free elements but %zu listed", n_free, n_listed);
	CHECK(total == heap->total_size, "elements cover 0x%zx bytes, heap says 0x%zx",
			total, heap->total_size);
	CHECK(n_busy + n_cache == heap->alloc_count, "%zu busy elements, heap says %u",
			n_busy + n_cache, heap->alloc_count);
	CHECK(n_cache == n_cached, "%zu cached elements, caches say %u", n_cache, n_cached);
	malloc_heap_unlock(heap);
	return 0;
fail:
	malloc_heap_unlock(heap);
	return -1;
}

/* --- external heaps --- */

int
malloc_heap_create(struct malloc_heap *heap, const char *heap_name)
{
	struct rte_mem_config *m = mcfg();

	if (m->next_socket_id < (int)EXTERNAL_HEAP_MIN_SOCKET_ID)
		m->next_socket_id = EXTERNAL_HEAP_MIN_SOCKET_ID;
	if (m->next_socket_id == INT32_MAX)
		return -ENOSPC;
	rte_spinlock_init(&heap->lock);
	memset(heap->free_head, 0, sizeof(heap->free_head));
	heap->first = heap->last = NULL;
	heap->alloc_count = 0;
	heap->total_size = 0;
	heap->socket_id = (unsigned int)m->next_socket_id++;
	strlcpy(heap->name, heap_name, sizeof(heap->name));
	return 0;
}

int
malloc_heap_destroy(struct malloc_heap *heap)
{
	malloc_heap_lock(heap);
	if (heap->total_size != 0 || heap->alloc_count != 0) {
		malloc_heap_unlock(heap);
		return -EBUSY;
	}
	heap->name[0] = '\0';
	heap->socket_id = 0;
	malloc_heap_unlock(heap);
	return 0;
}

struct rte_memseg_list *
malloc_heap_create_external_seg(void *va_addr, rte_iova_t iova_addrs[],
		unsigned int n_pages, size_t page_sz, const char *seg_name,
		unsigned int socket_id)
{
	struct rte_mem_config *m = mcfg();
	struct rte_memseg_list *msl = NULL;
	unsigned int i;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		if (m->memsegs[i].base_va == NULL) {
			msl = &m->memsegs[i];
			break;
		}
	}
	if (msl == NULL) {
		EAL_LOG(ERR, "No free memseg list for external memory at %p", va_addr);
		rte_errno = ENOSPC;
		return NULL;
	}
	if (rte_fbarray_init(&msl->memseg_arr, seg_name, n_pages,
			sizeof(struct rte_memseg)) != 0) {
		EAL_LOG(ERR, "Cannot create memseg array %s", seg_name);
		return NULL;
	}
	eal_fbarray_make_robust(&msl->memseg_arr);
	for (i = 0; i < n_pages; i++) {
		struct rte_memseg *ms = rte_fbarray_get(&msl->memseg_arr, i);

		memset(ms, 0, sizeof(*ms));
		ms->addr = RTE_PTR_ADD(va_addr, (size_t)i * page_sz);
		ms->iova = iova_addrs != NULL ? iova_addrs[i] : RTE_BAD_IOVA;
		ms->len = page_sz;
		ms->hugepage_sz = page_sz;
		ms->socket_id = (int32_t)socket_id;
		rte_fbarray_set_used(&msl->memseg_arr, i);
	}
	msl->page_sz = page_sz;
	msl->socket_id = (int)socket_id;
	msl->len = (size_t)n_pages * page_sz;
	msl->external = 1;
	msl->heap = 1;
	msl->version = 0;
	/* last: a non-NULL base publishes the list */
	__atomic_store_n(&msl->base_va, va_addr, __ATOMIC_RELEASE);
	return msl;
}

struct rte_memseg_list *
malloc_heap_find_external_seg(void *va_addr, size_t len)
{
	struct rte_mem_config *m = mcfg();
	int i;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		struct rte_memseg_list *msl = &m->memsegs[i];

		if (msl->base_va == va_addr && msl->len == len && msl->external)
			return msl;
	}
	return NULL;
}

int
malloc_heap_destroy_external_seg(struct rte_memseg_list *msl)
{
	int ret = rte_fbarray_destroy(&msl->memseg_arr);

	if (ret != 0)
		EAL_LOG(ERR, "Cannot destroy memseg array of %p", msl->base_va);
	memset(msl, 0, sizeof(*msl));
	return ret;
}

int
malloc_heap_add_external_memory(struct malloc_heap *heap, struct rte_memseg_list *msl)
{
	heap_add_memory(heap, msl, msl->base_va, msl->len);
	heap->total_size += msl->len;
	eal_memalloc_mem_event_notify(RTE_MEM_EVENT_ALLOC, msl->base_va, msl->len);
	return 0;
}

int
malloc_heap_remove_external_memory(struct malloc_heap *heap, void *va_addr, size_t len)
{
	struct malloc_elem *elem;

	for (elem = heap->first; elem != NULL; elem = elem->next)
		if ((void *)elem == va_addr)
			break;
	if (elem == NULL || elem->state != ELEM_FREE || elem->size != len)
		return -EBUSY;
	malloc_elem_free_list_remove(elem);
	malloc_elem_hide_region(elem, va_addr, len);
	heap->total_size -= len;
	eal_memalloc_mem_event_notify(RTE_MEM_EVENT_FREE, va_addr, len);
	return 0;
}

/* --- init --- */

static int
add_contig_run(const struct rte_memseg_list *msl, const struct rte_memseg *ms, size_t len,
		void *arg)
{
	int heap_id;
	struct malloc_heap *heap;

	RTE_SET_USED(arg);
	if (msl->external)
		return 0;
	heap_id = malloc_socket_to_heap_id((unsigned int)msl->socket_id);
	if (heap_id < 0) {
		EAL_LOG(ERR, "No heap for socket %d", msl->socket_id);
		return -1;
	}
	heap = &mcfg()->malloc_heaps[heap_id];
	malloc_heap_lock(heap);
	heap_add_memory(heap, RTE_PTR_UNQUAL(msl), ms->addr, len);
	heap->total_size += len;
	malloc_heap_unlock(heap);
	return 0;
}

static int
heaps_init_primary(void)
{
	struct rte_mem_config *m = mcfg();
	unsigned int i;

	for (i = 0; i < rte_socket_count() && i < RTE_MAX_HEAPS; i++) {
		struct malloc_heap *heap = &m->malloc_heaps[i];
		int socket = rte_socket_id_by_idx(i);

		rte_spinlock_init(&heap->lock);
		heap->socket_id = (unsigned int)socket;
		snprintf(heap->name, sizeof(heap->name), "socket_%d", socket);
	}
	m->next_socket_id = EXTERNAL_HEAP_MIN_SOCKET_ID;
	return rte_memseg_contig_walk(add_contig_run, NULL);
}

int
rte_eal_malloc_heap_init(void)
{
	int ret = 0;

	if (rte_eal_process_type() == RTE_PROC_PRIMARY)
		ret = heaps_init_primary();
	if (ret == 0 && register_mp_requests != NULL && register_mp_requests() != 0) {
		EAL_LOG(ERR, "Cannot register the heap's IPC actions");
		ret = -1;
	}
	/* end of the memory init section (see rte_eal_memory_init()) */
	rte_mcfg_mem_read_unlock();
	malloc_heap_ready = ret == 0;
	return ret;
}

void
rte_eal_malloc_heap_cleanup(void)
{
	/* the heap outlives a secondary; the primary's goes away with it */
	if (malloc_heap_ready && rte_eal_process_type() == RTE_PROC_SECONDARY)
		malloc_lcore_cache_flush_all();
	malloc_heap_ready = false;
	malloc_lcore_cache_reset();
	if (unregister_mp_requests != NULL)
		unregister_mp_requests();
}
