/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _MALLOC_HEAP_H_
#define _MALLOC_HEAP_H_

/*
 * A malloc heap: one per NUMA socket plus named external heaps. It lives in
 * the shared mem_config, so its lock and lists are shared by all processes.
 * Elements are kept in one address-ordered doubly-linked list (holes
 * between memseg lists and pages are allowed) and free ones also in
 * RTE_HEAP_NUM_FREELISTS size-class lists.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/queue.h>

#include <rte_config.h>
#include <rte_memory.h>
#include <rte_spinlock.h>

struct malloc_elem;
struct rte_malloc_socket_stats;

struct malloc_heap {
	rte_spinlock_t lock; /* protects every list and counter below */
	LIST_HEAD(, malloc_elem) free_head[RTE_HEAP_NUM_FREELISTS];
	struct malloc_elem *volatile first; /* lowest-address element */
	struct malloc_elem *volatile last;  /* highest-address element */
	unsigned int alloc_count;           /* busy elements */
	unsigned int socket_id;             /* socket id (or external heap id) */
	size_t total_size;                  /* bytes of memory in the heap */
	char name[RTE_MALLOC_HEAP_NAME_LEN]; /* "socket_<n>" or external name */
} __rte_cache_aligned;

/* rte_memzone.h flags that name a page size (RTE_MEMZONE_2MB etc.) */
#define MALLOC_HEAP_PGSZ_FLAGS 0x000f0303u

/*
 * True between heap init and rte_eal_cleanup(): the fast paths check it
 * so that a call before init or after cleanup fails instead of touching
 * unmapped memory.
 */
extern volatile bool malloc_heap_ready;

/* Forget this process's lcore caches (their memory is going away). */
void malloc_lcore_cache_reset(void);

/*
 * Take and release heap->lock. It is shared by every process: a taker
 * that finds its owner dead takes it over and repairs the heap first
 * (malloc_elem_repair()), so one process's crash does not wedge the others.
 */
void malloc_heap_lock(struct malloc_heap *heap);
void malloc_heap_unlock(struct malloc_heap *heap);

/* @return the heap index of @p socket_id, or -1. */
int malloc_socket_to_heap_id(unsigned int socket_id);

/* @return the memseg list whose VA window holds @p addr, or NULL (no lock). */
struct rte_memseg_list *malloc_heap_find_msl(const void *addr);

/*
 * Allocate @p size bytes on @p socket (SOCKET_ID_ANY: the caller's socket,
 * then the others), growing the heap if needed. @p flags are RTE_MEMZONE_*
 * page-size flags, @p align a power of two, @p bound 0 or a power of two
 * the block must not cross, @p contig asks for IOVA-contiguous memory.
 * @return the user pointer, or NULL.
 */
void *malloc_heap_alloc(const char *type, size_t size, int socket, unsigned int flags,
		size_t align, size_t bound, bool contig);

/* Allocate the biggest free block of a heap (memzones of length 0). */
void *malloc_heap_alloc_biggest(const char *type, int socket, unsigned int flags,
		size_t align, bool contig);

/* Free busy element @p elem (real header), shrinking the heap. @return 0 or -1. */
int malloc_heap_free(struct malloc_elem *elem);

/* Resize busy element @p elem in place to @p size data bytes. @return 0 or -1. */
int malloc_heap_resize(struct malloc_elem *elem, size_t size);

/* Statistics of @p heap, taken under its lock only. */
int malloc_heap_get_stats(struct malloc_heap *heap, struct rte_malloc_socket_stats *stats);

/* Print @p heap and every element of it. */
void malloc_heap_dump(struct malloc_heap *heap, FILE *f);

/*
 * Walk @p heap and check every invariant (links, order, cookies, free
 * lists, sizes, counts). @p n_cached: elements parked in lcore caches.
 * @return 0, or -1 after logging the first broken invariant.
 */
int malloc_heap_check(struct malloc_heap *heap, unsigned int n_cached);

/*
 * Growth and shrink steps shared with malloc_mp.c (see malloc_mp.h for
 * their contract); no lock taken inside.
 */
struct malloc_elem *alloc_pages_on_heap(struct malloc_heap *heap, uint64_t pg_sz,
		size_t elt_size, int socket, unsigned int flags, size_t align, size_t bound,
		bool contig, struct rte_memseg **ms, int n_segs);
void rollback_expand_heap(struct rte_memseg **ms, int n_segs, struct malloc_elem *elem,
		void *map_addr, size_t map_len);
int malloc_heap_free_pages(void *aligned_start, size_t aligned_len);

/* Check every heap (cached blocks included). @return 0 or -1. */
int malloc_heap_check_all(void);

/* Give the calling lcore's cached small blocks back to their heap. */
void malloc_lcore_cache_flush(void);
/*
 * Give every lcore's cached blocks back (the lcores no longer run): a
 * secondary that exits would otherwise leave them allocated in the shared heap.
 */
void malloc_lcore_cache_flush_all(void);

/* Blocks of @p heap parked in lcore caches of this process; @p bytes (may be NULL). */
unsigned int malloc_lcore_cache_count(const struct malloc_heap *heap, size_t *bytes);

/*
 * External heaps (rte_malloc_heap_*). add/remove memory: the caller holds
 * heap->lock and the hotplug lock for writing.
 */
int malloc_heap_create(struct malloc_heap *heap, const char *heap_name);
int malloc_heap_destroy(struct malloc_heap *heap);
int malloc_heap_add_external_memory(struct malloc_heap *heap, struct rte_memseg_list *msl);
int malloc_heap_remove_external_memory(struct malloc_heap *heap, void *va_addr, size_t len);

/*
 * External memseg lists (also usable by rte_extmem_*); hotplug lock held
 * for writing. create: fbarray "<seg_name>" of @p n_pages used memsegs.
 */
struct rte_memseg_list *malloc_heap_create_external_seg(void *va_addr,
		rte_iova_t iova_addrs[], unsigned int n_pages, size_t page_sz,
		const char *seg_name, unsigned int socket_id);
struct rte_memseg_list *malloc_heap_find_external_seg(void *va_addr, size_t len);
int malloc_heap_destroy_external_seg(struct rte_memseg_list *msl);

#endif /* _MALLOC_HEAP_H_ */
