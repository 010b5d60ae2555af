/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * rte_malloc.h: argument checks, pointer validation, the per-lcore cache
 * of small blocks, statistics and external heaps.
 *
 * The lcore cache: a block of at most LCACHE_MAX_DATA bytes freed by an
 * EAL thread is parked (state ELEM_CACHED, still busy for its heap) in that
 * lcore's cache, and the next allocation of that size class on that lcore
 * takes it back without the heap lock. Only blocks of the lcore's own
 * socket heap are cached, at most LCACHE_MAX_BYTES per lcore. Statistics
 * count cached blocks as free; malloc_lcore_cache_flush() gives them back
 * to the heap (an allocation the heap cannot serve does so first).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_string_fns.h>

#include "eal_export.h"
#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_memalloc.h"
#include "eal_memcfg.h"
#include "eal_private.h"
#include "malloc_elem.h"
#include "malloc_heap.h"

#define LCACHE_MAX_DATA 1024
#define LCACHE_CLASSES (LCACHE_MAX_DATA / RTE_CACHE_LINE_SIZE)
/* hugepage memory one lcore may keep parked */
#define LCACHE_MAX_BYTES ((size_t)4 << 20)

/*
 * Per size class, a LIFO stack of parked blocks linked through the
 * free_list field of their headers (unused while a block is not free).
 */
struct lcore_cache {
	struct malloc_heap *heap;   /* heap of the lcore's socket */
	int socket;                 /* its socket id */
	unsigned int n_cached;      /* blocks parked here */
	size_t bytes;               /* their element sizes */
	unsigned int count[LCACHE_CLASSES];
	struct malloc_elem *head[LCACHE_CLASSES];
} __rte_cache_aligned;

static struct lcore_cache lcache[RTE_MAX_LCORE];

/*
 * Per-thread shortcuts (initial-exec TLS: no __tls_get_addr call on the
 * fast path): the memseg list the thread freed into last (most frees hit
 * it) and the thread's lcore cache once known.
 */
#define TLS_IE __attribute__((tls_model("initial-exec")))
static __thread struct rte_memseg_list *last_msl TLS_IE;
static __thread struct lcore_cache *tls_cache TLS_IE;

static struct rte_mem_config *
mcfg(void)
{
	return rte_eal_get_configuration()->mem_config;
}

static inline struct rte_memseg_list *
ptr_msl(const void *p)
{
	struct rte_memseg_list *msl = last_msl;

	if (msl != NULL && msl->base_va != NULL && (uintptr_t)p >= (uintptr_t)msl->base_va &&
			RTE_PTR_DIFF(p, msl->base_va) < msl->len)
		return msl;
	if (mcfg() == NULL)
		return NULL;
	msl = malloc_heap_find_msl(p);
	if (msl != NULL)
		last_msl = msl;
	return msl;
}

/*
 * @return the busy element (real header) of user pointer @p p, or NULL if
 * @p p is not a live block of this allocator. Reads only memory inside a
 * memseg list's VA window, which is always readable. Probing a header the
 * sanitizer has poisoned (a freed or bogus pointer) is the point here, so
 * this function is not instrumented.
 */
static inline __rte_no_asan struct malloc_elem *
elem_from_user_ptr(const void *p)
{
	struct rte_memseg_list *msl;
	struct malloc_elem *hdr, *elem;

	if (p == NULL || ((uintptr_t)p & (RTE_CACHE_LINE_SIZE - 1)) != 0 || !malloc_heap_ready)
		return NULL;
	msl = ptr_msl(p);
	if (msl == NULL || RTE_PTR_DIFF(p, msl->base_va) < MALLOC_ELEM_HEADER_LEN)
		return NULL;
	hdr = malloc_elem_from_data_unchecked(p);
	if (hdr->magic != malloc_elem_magic_of(hdr))
		return NULL;
	elem = hdr;
	if (hdr->state == ELEM_PAD) {
		if (hdr->pad == 0 || hdr->pad > RTE_PTR_DIFF(hdr, msl->base_va))
			return NULL;
		elem = RTE_PTR_SUB(hdr, hdr->pad);
		if (elem->magic != malloc_elem_magic_of(elem) || elem->pad != hdr->pad)
			return NULL;
	} else if (hdr->pad != 0) {
		return NULL;
	}
	if (elem->state != ELEM_BUSY || elem->msl != msl || !malloc_elem_cookies_ok(elem))
		return NULL;
	return elem;
}

/* --- lcore cache --- */

/* Whether blocks may be cached at all (not with --match-allocations). */
static int lcache_mode = -1;

static struct lcore_cache *
lcache_get_slow(void)
{
	unsigned int lcore = rte_lcore_id();
	struct lcore_cache *c;
	int id;

	if (lcache_mode < 0)
		lcache_mode = !eal_get_internal_configuration()->match_allocations;
	if (lcore >= RTE_MAX_LCORE || !lcache_mode || mcfg() == NULL)
		return NULL;
	c = &lcache[lcore];
	if (c->heap == NULL) {
		id = malloc_socket_to_heap_id(rte_socket_id());
		if (id < 0)
			return NULL;
		c->socket = (int)mcfg()->malloc_heaps[id].socket_id;
		c->heap = &mcfg()->malloc_heaps[id];
	}
	tls_cache = c;
	return c;
}

static inline struct lcore_cache *
lcache_get(void)
{
	struct lcore_cache *c = tls_cache;

	if (unlikely(!malloc_heap_ready))
		return NULL;
	return likely(c != NULL && c->heap != NULL) ? c : lcache_get_slow();
}

void
malloc_lcore_cache_reset(void)
{
	/* the blocks belong to heaps that are being unmapped: just forget them */
	memset(lcache, 0, sizeof(lcache));
	last_msl = NULL;
}

static inline void *
lcache_pop(struct lcore_cache *c, size_t size, int socket)
{
	struct malloc_elem *elem;
	unsigned int cls = (unsigned int)((size - 1) / RTE_CACHE_LINE_SIZE);

	if (unlikely(socket != SOCKET_ID_ANY && socket != c->socket) || c->count[cls] == 0)
		return NULL;
	elem = c->head[cls];
	c->head[cls] = elem->free_list.le_next;
	c->count[cls]--;
	c->n_cached--;
	c->bytes -= elem->size;
	elem->state = ELEM_BUSY;
	malloc_elem_unpoison(malloc_elem_data(elem), elem->size - MALLOC_ELEM_OVERHEAD);
	return malloc_elem_data(elem);
}

/* Give class @p cls back to the heap, down to @p keep blocks. */
static void
lcache_drain(struct lcore_cache *c, int cls, unsigned int keep)
{
	while (c->count[cls] > keep) {
		struct malloc_elem *elem = c->head[cls];

		c->head[cls] = elem->free_list.le_next;
		c->count[cls]--;
		c->n_cached--;
		c->bytes -= elem->size;
		malloc_elem_unpoison(malloc_elem_data(elem), elem->size - MALLOC_ELEM_OVERHEAD);
		elem->state = ELEM_BUSY;
		malloc_heap_free(elem);
	}
}

static inline bool
lcache_push(struct lcore_cache *c, struct malloc_elem *elem)
{
	size_t data = elem->size - MALLOC_ELEM_OVERHEAD;
	unsigned int cls = (unsigned int)((data - 1) / RTE_CACHE_LINE_SIZE);

	if (elem->heap != c->heap || elem->pad != 0 || data > LCACHE_MAX_DATA ||
			data % RTE_CACHE_LINE_SIZE != 0)
		return false;
	/* beyond the cap the block goes back to the heap */
	if (unlikely(c->bytes + elem->size > LCACHE_MAX_BYTES))
		return false;
	elem->state = ELEM_CACHED;
	malloc_elem_poison(malloc_elem_data(elem), data);
	elem->free_list.le_next = c->head[cls];
	c->head[cls] = elem;
	c->count[cls]++;
	c->n_cached++;
	c->bytes += elem->size;
	return true;
}

static void
lcache_drain_all(struct lcore_cache *c)
{
	int cls;

	for (cls = 0; cls < LCACHE_CLASSES; cls++)
		lcache_drain(c, cls, 0);
}

void
malloc_lcore_cache_flush(void)
{
	unsigned int lcore = rte_lcore_id();

	if (lcore < RTE_MAX_LCORE)
		lcache_drain_all(&lcache[lcore]);
}

void
malloc_lcore_cache_flush_all(void)
{
	unsigned int lcore;

	for (lcore = 0; lcore < RTE_MAX_LCORE; lcore++)
		if (lcache[lcore].heap != NULL && lcache[lcore].n_cached > 0)
			lcache_drain_all(&lcache[lcore]);
}

unsigned int
malloc_lcore_cache_count(const struct malloc_heap *heap, size_t *bytes)
{
	unsigned int i, n = 0;
	size_t b = 0;

	for (i = 0; i < RTE_MAX_LCORE; i++) {
		if (lcache[i].heap != heap)
			continue;
		n += __atomic_load_n(&lcache[i].n_cached, __ATOMIC_RELAXED);
		b += __atomic_load_n(&lcache[i].bytes, __ATOMIC_RELAXED);
	}
	if (bytes != NULL)
		*bytes = b;
	return n;
}

/* --- allocation --- */

static bool
bad_args(size_t size, unsigned int align)
{
	if (size == 0)
		return true;
	if (align != 0 && !is_pow2(align)) {
		EAL_LOG(ERR, "Alignment %u is not a power of two", align);
		return true;
	}
	return false;
}

static int
adjust_socket(int socket)
{
	if (rte_eal_has_hugepages() || socket == SOCKET_ID_ANY)
		return socket;
	/*
	 * Without hugepages there is one heap of plain memory: any socket id
	 * but an external heap's means it (as in DPDK 22.11, even one that
	 * names no socket).
	 */
	if (socket >= (int)EXTERNAL_HEAP_MIN_SOCKET_ID &&
			malloc_socket_to_heap_id((unsigned int)socket) >= 0)
		return socket;
	return SOCKET_ID_ANY;
}

static void *
do_malloc_slow(size_t size, unsigned int align, int socket, bool contig, bool zero)
{
	void *p;

	if (bad_args(size, align) || !malloc_heap_ready)
		return NULL;
	p = malloc_heap_alloc(NULL, size, adjust_socket(socket), 0, align == 0 ? 1 : align, 0,
			contig);
	/*
	 * Out of memory: what this lcore keeps parked may be enough. Only if it
	 * could hold the request: a retry grows the heap again, and after a
	 * failed growth (a stuck secondary) that doubles the wait.
	 */
	if (p == NULL && tls_cache != NULL && tls_cache->n_cached > 0 &&
			size <= (size_t)tls_cache->n_cached * LCACHE_MAX_DATA) {
		malloc_lcore_cache_flush();
		p = malloc_heap_alloc(NULL, size, adjust_socket(socket), 0,
				align == 0 ? 1 : align, 0, contig);
	}
#ifdef RTE_MALLOC_DEBUG
	/* debug builds poison freed memory instead of zeroing it */
	if (p != NULL && zero)
		memset(p, 0, size);
#else
	/* free heap memory is zero, so zmalloc needs no work here */
	RTE_SET_USED(zero);
#endif
	return p;
}

static inline void *
do_malloc(size_t size, unsigned int align, int socket, bool zero)
{
	/* small blocks: this lcore's cache first, no lock taken */
	if (likely(size - 1 < LCACHE_MAX_DATA && align <= RTE_CACHE_LINE_SIZE)) {
		struct lcore_cache *c = lcache_get();

		if (likely(c != NULL)) {
			void *p = lcache_pop(c, size, socket);

			if (likely(p != NULL)) {
				/* a cached block holds its last user's bytes */
				if (zero)
					memset(p, 0, size);
				return p;
			}
			/* take the whole class size, so that the block can be cached */
			size = RTE_CACHE_LINE_ROUNDUP(size);
		}
	}
	return do_malloc_slow(size, align, socket, false, zero);
}

RTE_EXPORT_SYMBOL(rte_malloc_socket)
void *
rte_malloc_socket(const char *type, size_t size, unsigned int align, int socket)
{
	RTE_SET_USED(type);
	return do_malloc(size, align, socket, false);
}

RTE_EXPORT_SYMBOL(rte_malloc)
void *
rte_malloc(const char *type, size_t size, unsigned int align)
{
	RTE_SET_USED(type);
	return do_malloc(size, align, SOCKET_ID_ANY, false);
}

RTE_EXPORT_SYMBOL(rte_zmalloc_socket)
void *
rte_zmalloc_socket(const char *type, size_t size, unsigned int align, int socket)
{
	RTE_SET_USED(type);
	return do_malloc(size, align, socket, true);
}

RTE_EXPORT_SYMBOL(rte_zmalloc)
void *
rte_zmalloc(const char *type, size_t size, unsigned int align)
{
	RTE_SET_USED(type);
	return do_malloc(size, align, SOCKET_ID_ANY, true);
}

static bool
mul_ok(size_t num, size_t size, size_t *out)
{
	if (__builtin_mul_overflow(num, size, out)) {
		EAL_LOG(ERR, "Array of %zu elements of %zu bytes overflows", num, size);
		return false;
	}
	return true;
}

RTE_EXPORT_SYMBOL(rte_calloc_socket)
void *
rte_calloc_socket(const char *type, size_t num, size_t size, unsigned int align, int socket)
{
	size_t total;

	if (!mul_ok(num, size, &total))
		return NULL;
	return rte_zmalloc_socket(type, total, align, socket);
}

RTE_EXPORT_SYMBOL(rte_calloc)
void *
rte_calloc(const char *type, size_t num, size_t size, unsigned int align)
{
	return rte_calloc_socket(type, num, size, align, SOCKET_ID_ANY);
}

RTE_EXPORT_SYMBOL(rte_malloc_contig_socket)
void *
rte_malloc_contig_socket(const char *type, size_t size, unsigned int align, int socket)
{
	RTE_SET_USED(type);
	return do_malloc_slow(size, align, socket, true, false);
}

RTE_EXPORT_SYMBOL(rte_malloc_contig)
void *
rte_malloc_contig(const char *type, size_t size, unsigned int align)
{
	return rte_malloc_contig_socket(type, size, align, SOCKET_ID_ANY);
}

RTE_EXPORT_SYMBOL(rte_zmalloc_contig_socket)
void *
rte_zmalloc_contig_socket(const char *type, size_t size, unsigned int align, int socket)
{
	RTE_SET_USED(type);
	return do_malloc_slow(size, align, socket, true, true);
}

RTE_EXPORT_SYMBOL(rte_zmalloc_contig)
void *
rte_zmalloc_contig(const char *type, size_t size, unsigned int align)
{
	return rte_zmalloc_contig_socket(type, size, align, SOCKET_ID_ANY);
}

RTE_EXPORT_SYMBOL(rte_calloc_contig_socket)
void *
rte_calloc_contig_socket(const char *type, size_t num, size_t size, unsigned int align,
		int socket)
{
	size_t total;

	if (!mul_ok(num, size, &total))
		return NULL;
	return rte_zmalloc_contig_socket(type, total, align, socket);
}

RTE_EXPORT_SYMBOL(rte_calloc_contig)
void *
rte_calloc_contig(const char *type, size_t num, size_t size, unsigned int align)
{
	return rte_calloc_contig_socket(type, num, size, align, SOCKET_ID_ANY);
}

RTE_EXPORT_SYMBOL(rte_free)
void
rte_free(void *ptr)
{
	struct malloc_elem *elem;
	struct lcore_cache *c;

	if (ptr == NULL)
		return;
	elem = elem_from_user_ptr(ptr);
	if (elem == NULL) {
		EAL_LOG(ERR, "Invalid memory: %p was not allocated by rte_malloc or is already freed",
				ptr);
		return;
	}
	c = lcache_get();
	if (c != NULL && lcache_push(c, elem))
		return;
	malloc_heap_free(elem);
}

RTE_EXPORT_SYMBOL(rte_realloc_socket)
void *
rte_realloc_socket(void *ptr, size_t size, unsigned int align, int socket)
{
	struct malloc_elem *elem;
	size_t old_len;
	void *p;

	if (ptr == NULL)
		return rte_malloc_socket(NULL, size, align, socket);
	if (size == 0) {
		rte_free(ptr);
		return NULL;
	}
	if (bad_args(size, align))
		return NULL;
	elem = elem_from_user_ptr(ptr);
	if (elem == NULL) {
		EAL_LOG(ERR, "Invalid memory: cannot realloc %p", ptr);
		return NULL;
	}
	if (size > ((size_t)RTE_MAX_MEM_MB << 20)) {
		EAL_LOG(ERR, "Cannot realloc %p to %zu bytes", ptr, size);
		return NULL;
	}
	socket = adjust_socket(socket);
	if ((socket == SOCKET_ID_ANY || (unsigned int)socket == elem->heap->socket_id) &&
			((uintptr_t)ptr & (RTE_CACHE_LINE_ROUNDUP(align == 0 ? 1 : align) - 1)) == 0 &&
			malloc_heap_resize(elem, size) == 0)
		return ptr;
	p = rte_malloc_socket(NULL, size, align, socket);
	if (p == NULL)
		return NULL;
	old_len = malloc_elem_user_size(elem);
	memcpy(p, ptr, RTE_MIN(old_len, size));
	rte_free(ptr);
	return p;
}

RTE_EXPORT_SYMBOL(rte_realloc)
void *
rte_realloc(void *ptr, size_t size, unsigned int align)
{
	return rte_realloc_socket(ptr, size, align, SOCKET_ID_ANY);
}

RTE_EXPORT_SYMBOL(rte_malloc_validate)
int
rte_malloc_validate(const void *ptr, size_t *size)
{
	struct malloc_elem *elem = elem_from_user_ptr(ptr);

	if (elem == NULL)
		return -1;
	if (size != NULL)
		*size = malloc_elem_user_size(elem);
	return 0;
}

/* --- statistics and dumps --- */

static struct malloc_heap *
heap_of_socket(int socket)
{
	int id = socket < 0 ? -1 : malloc_socket_to_heap_id((unsigned int)socket);

	return id < 0 ? NULL : &mcfg()->malloc_heaps[id];
}

static void
heap_stats(struct malloc_heap *heap, struct rte_malloc_socket_stats *s)
{
	size_t cached_bytes;
	unsigned int n_cached;

	malloc_heap_get_stats(heap, s);
	n_cached = malloc_lcore_cache_count(heap, &cached_bytes);
	/* for the application a cached block is free memory */
	if (n_cached <= s->alloc_count && cached_bytes <= s->heap_allocsz_bytes) {
		s->alloc_count -= n_cached;
		s->free_count += n_cached;
		s->heap_allocsz_bytes -= cached_bytes;
		s->heap_freesz_bytes += cached_bytes;
	}
}

RTE_EXPORT_SYMBOL(rte_malloc_get_socket_stats)
int
rte_malloc_get_socket_stats(int socket, struct rte_malloc_socket_stats *socket_stats)
{
	struct malloc_heap *heap;

	if (socket_stats == NULL || mcfg() == NULL)
		return -1;
	heap = heap_of_socket(socket);
	if (heap == NULL)
		return -1;
	heap_stats(heap, socket_stats);
	return 0;
}

RTE_EXPORT_SYMBOL(rte_malloc_dump_stats)
void
rte_malloc_dump_stats(FILE *f, const char *type)
{
	unsigned int i;

	RTE_SET_USED(type);
	if (mcfg() == NULL)
		return;
	for (i = 0; i < RTE_MAX_HEAPS; i++) {
		struct malloc_heap *heap = &mcfg()->malloc_heaps[i];
		struct rte_malloc_socket_stats s;

		if (heap->name[0] == '\0')
			continue;
		heap_stats(heap, &s);
		fprintf(f, "Heap id:%u\n", i);
		fprintf(f, "\tHeap name:%s\n", heap->name);
		fprintf(f, "\tHeap_size:%zu,\n", s.heap_totalsz_bytes);
		fprintf(f, "\tFree_size:%zu,\n", s.heap_freesz_bytes);
		fprintf(f, "\tAlloc_size:%zu,\n", s.heap_allocsz_bytes);
		fprintf(f, "\tGreatest_free_size:%zu,\n", s.greatest_free_size);
		fprintf(f, "\tAlloc_count:%u,\n", s.alloc_count);
		fprintf(f, "\tFree_count:%u,\n", s.free_count);
	}
}

RTE_EXPORT_SYMBOL(rte_malloc_dump_heaps)
void
rte_malloc_dump_heaps(FILE *f)
{
	unsigned int i;

	if (mcfg() == NULL)
		return;
	for (i = 0; i < RTE_MAX_HEAPS; i++) {
		struct malloc_heap *heap = &mcfg()->malloc_heaps[i];

		if (heap->name[0] == '\0')
			continue;
		fprintf(f, "Heap id: %u\n", i);
		malloc_heap_dump(heap, f);
	}
}

RTE_EXPORT_SYMBOL(rte_malloc_set_limit)
int
rte_malloc_set_limit(const char *type, size_t max)
{
	RTE_SET_USED(type);
	RTE_SET_USED(max);
	return 0;
}

RTE_EXPORT_SYMBOL(rte_malloc_virt2iova)
rte_iova_t
rte_malloc_virt2iova(const void *addr)
{
	struct malloc_elem *elem = elem_from_user_ptr(addr);
	const struct rte_memseg *ms;

	if (elem == NULL)
		return RTE_BAD_IOVA;
	if (!elem->msl->external && rte_eal_iova_mode() == RTE_IOVA_VA)
		return (uintptr_t)addr;
	ms = rte_fbarray_get(&elem->msl->memseg_arr,
			RTE_PTR_DIFF(addr, elem->msl->base_va) / elem->msl->page_sz);
	if (ms == NULL || ms->iova == RTE_BAD_IOVA)
		return RTE_BAD_IOVA;
	return ms->iova + RTE_PTR_DIFF(addr, ms->addr);
}

int
malloc_heap_check_all(void)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < RTE_MAX_HEAPS; i++) {
		struct malloc_heap *heap = &mcfg()->malloc_heaps[i];

		if (heap->name[0] != '\0' &&
				malloc_heap_check(heap, malloc_lcore_cache_count(heap, NULL)) != 0)
			ret = -1;
	}
	return ret;
}

/* --- external heaps --- */

static int
check_heap_name(const char *name)
{
	size_t len;

	if (name == NULL) {
		EAL_LOG_ERRNO(ERR, EINVAL, "Heap name is NULL");
		return -1;
	}
	len = strnlen(name, RTE_MALLOC_HEAP_NAME_LEN);
	if (len == 0 || len == RTE_MALLOC_HEAP_NAME_LEN) {
		EAL_LOG_ERRNO(ERR, EINVAL, "Heap name is empty or too long");
		return -1;
	}
	return 0;
}

static struct malloc_heap *
find_named_heap(const char *name)
{
	unsigned int i;

	for (i = 0; i < RTE_MAX_HEAPS; i++) {
		struct malloc_heap *heap = &mcfg()->malloc_heaps[i];

		if (heap->name[0] != '\0' && strncmp(heap->name, name, sizeof(heap->name)) == 0)
			return heap;
	}
	return NULL;
}

/* Name check and lookup of an external heap, rte_errno set on failure. */
static struct malloc_heap *
external_heap(const char *name)
{
	struct malloc_heap *heap;

	if (check_heap_name(name) != 0)
		return NULL;
	heap = find_named_heap(name);
	if (heap == NULL) {
		EAL_LOG_ERRNO(ERR, ENOENT, "Heap %s not found", name);
		return NULL;
	}
	if (heap->socket_id < (unsigned int)EXTERNAL_HEAP_MIN_SOCKET_ID) {
		EAL_LOG_ERRNO(ERR, EPERM, "Heap %s is internal", name);
		return NULL;
	}
	return heap;
}

RTE_EXPORT_SYMBOL(rte_malloc_heap_create)
int
rte_malloc_heap_create(const char *heap_name)
{
	struct rte_mem_config *m = mcfg();
	struct malloc_heap *slot = NULL;
	unsigned int i;
	int ret;

	if (check_heap_name(heap_name) != 0)
		return -1;
	rte_mcfg_mem_write_lock();
	if (find_named_heap(heap_name) != NULL) {
		rte_mcfg_mem_write_unlock();
		EAL_LOG_ERRNO(ERR, EEXIST, "Heap %s already exists", heap_name);
		return -1;
	}
	for (i = rte_socket_count(); i < RTE_MAX_HEAPS; i++) {
		if (m->malloc_heaps[i].name[0] == '\0') {
			slot = &m->malloc_heaps[i];
			break;
		}
	}
	ret = slot == NULL ? -ENOSPC : malloc_heap_create(slot, heap_name);
	rte_mcfg_mem_write_unlock();
	if (ret != 0) {
		EAL_LOG_ERRNO(ERR, -ret, "No room for heap %s", heap_name);
		return -1;
	}
	return 0;
}

RTE_EXPORT_SYMBOL(rte_malloc_heap_destroy)
int
rte_malloc_heap_destroy(const char *heap_name)
{
	struct malloc_heap *heap;
	int ret;

	rte_mcfg_mem_write_lock();
	heap = external_heap(heap_name);
	if (heap == NULL) {
		rte_mcfg_mem_write_unlock();
		return -1;
	}
	ret = malloc_heap_destroy(heap);
	rte_mcfg_mem_write_unlock();
	if (ret != 0) {
		EAL_LOG_ERRNO(ERR, -ret, "Heap %s still has memory", heap_name);
		return -1;
	}
	return 0;
}

static int
check_extmem_args(const char *heap_name, void *va_addr, size_t len)
{
	if (check_heap_name(heap_name) != 0)
		return -1;
	if (va_addr == NULL || len == 0) {
		EAL_LOG_ERRNO(ERR, EINVAL, "Invalid external memory %p+%zu", va_addr, len);
		return -1;
	}
	return 0;
}

static bool
overlaps_known_memory(const void *va, size_t len)
{
	unsigned int i;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		const struct rte_memseg_list *msl = &mcfg()->memsegs[i];
		uintptr_t b = (uintptr_t)msl->base_va;

		if (b != 0 && (uintptr_t)va < b + msl->len && b < (uintptr_t)va + len)
			return true;
	}
	return false;
}

RTE_EXPORT_SYMBOL(rte_malloc_heap_memory_add)
int
rte_malloc_heap_memory_add(const char *heap_name, void *va_addr, size_t len,
		rte_iova_t iova_addrs[], unsigned int n_pages, size_t page_sz)
{
	struct rte_memseg_list *msl;
	struct malloc_heap *heap;
	char seg_name[RTE_FBARRAY_NAME_LEN];

	if (check_extmem_args(heap_name, va_addr, len) != 0)
		return -1;
	if (page_sz == 0 || !is_pow2(page_sz) || len % page_sz != 0 ||
			((uintptr_t)va_addr & (page_sz - 1)) != 0 ||
			(iova_addrs != NULL && len / page_sz != n_pages) ||
			len / page_sz > UINT32_MAX) {
		EAL_LOG_ERRNO(ERR, EINVAL, "Invalid page layout for external memory %p", va_addr);
		return -1;
	}
	heap = external_heap(heap_name);
	if (heap == NULL)
		return -1;
	snprintf(seg_name, sizeof(seg_name), "%s_%p", heap_name, va_addr);
	malloc_heap_lock(heap);
	rte_mcfg_mem_write_lock();
	if (overlaps_known_memory(va_addr, len)) {
		rte_errno = EEXIST;
		msl = NULL;
	} else {
		msl = malloc_heap_create_external_seg(va_addr, iova_addrs,
				(unsigned int)(len / page_sz), page_sz, seg_name, heap->socket_id);
	}
	if (msl != NULL) {
		/* free heap memory is zero */
		memset(va_addr, 0, len);
		malloc_heap_add_external_memory(heap, msl);
	}
	rte_mcfg_mem_write_unlock();
	malloc_heap_unlock(heap);
	if (msl == NULL) {
		EAL_LOG(ERR, "Cannot add external memory %p to heap %s: %s", va_addr, heap_name,
				rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

RTE_EXPORT_SYMBOL(rte_malloc_heap_memory_remove)
int
rte_malloc_heap_memory_remove(const char *heap_name, void *va_addr, size_t len)
{
	struct rte_memseg_list *msl;
	struct malloc_heap *heap;
	int ret;

	if (check_extmem_args(heap_name, va_addr, len) != 0)
		return -1;
	heap = external_heap(heap_name);
	if (heap == NULL)
		return -1;
	malloc_heap_lock(heap);
	rte_mcfg_mem_write_lock();
	msl = malloc_heap_find_external_seg(va_addr, len);
	if (msl == NULL || (unsigned int)msl->socket_id != heap->socket_id) {
		ret = -ENOENT;
	} else {
		ret = malloc_heap_remove_external_memory(heap, va_addr, len);
		if (ret == 0)
			malloc_heap_destroy_external_seg(msl);
	}
	rte_mcfg_mem_write_unlock();
	malloc_heap_unlock(heap);
	if (ret != 0) {
		EAL_LOG_ERRNO(ERR, -ret, "Cannot remove external memory %p from heap %s",
				va_addr, heap_name);
		return -1;
	}
	return 0;
}

static int
attach_detach(const char *heap_name, void *va_addr, size_t len, bool attach)
{
	struct rte_memseg_list *msl;
	struct malloc_heap *heap;
	int ret;

	if (check_extmem_args(heap_name, va_addr, len) != 0)
		return -1;
	heap = external_heap(heap_name);
	if (heap == NULL)
		return -1;
	rte_mcfg_mem_read_lock();
	msl = malloc_heap_find_external_seg(va_addr, len);
	if (msl == NULL || (unsigned int)msl->socket_id != heap->socket_id) {
		rte_mcfg_mem_read_unlock();
		EAL_LOG_ERRNO(ERR, ENOENT, "No external memory %p+%zu in heap %s", va_addr, len,
				heap_name);
		return -1;
	}
	ret = attach ? rte_fbarray_attach(&msl->memseg_arr) :
			rte_fbarray_detach(&msl->memseg_arr);
	rte_mcfg_mem_read_unlock();
	if (ret != 0) {
		EAL_LOG(ERR, "Cannot %s external memory %p", attach ? "attach" : "detach", va_addr);
		return -1;
	}
	eal_memalloc_mem_event_notify(attach ? RTE_MEM_EVENT_ALLOC : RTE_MEM_EVENT_FREE,
			va_addr, len);
	return 0;
}

RTE_EXPORT_SYMBOL(rte_malloc_heap_memory_attach)
int
rte_malloc_heap_memory_attach(const char *heap_name, void *va_addr, size_t len)
{
	return attach_detach(heap_name, va_addr, len, true);
}

RTE_EXPORT_SYMBOL(rte_malloc_heap_memory_detach)
int
rte_malloc_heap_memory_detach(const char *heap_name, void *va_addr, size_t len)
{
	return attach_detach(heap_name, va_addr, len, false);
}

RTE_EXPORT_SYMBOL(rte_malloc_heap_get_socket)
int
rte_malloc_heap_get_socket(const char *name)
{
	struct malloc_heap *heap;

	if (check_heap_name(name) != 0)
		return -1;
	heap = find_named_heap(name);
	if (heap == NULL) {
		EAL_LOG_ERRNO(ERR, ENOENT, "Heap %s not found", name);
		return -1;
	}
	return (int)heap->socket_id;
}

RTE_EXPORT_SYMBOL(rte_malloc_heap_socket_is_external)
int
rte_malloc_heap_socket_is_external(int socket_id)
{
	if (socket_id == SOCKET_ID_ANY)
		return 0;
	if (socket_id < 0 || malloc_socket_to_heap_id((unsigned int)socket_id) < 0) {
		EAL_LOG_ERRNO(ERR, EINVAL, "No heap has socket id %d", socket_id);
		return -1;
	}
	return (unsigned int)socket_id >= (unsigned int)EXTERNAL_HEAP_MIN_SOCKET_ID;
}
