/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _MALLOC_ELEM_H_
#define _MALLOC_ELEM_H_

/*
 * A heap element: a header followed by data (and, with RTE_MALLOC_DEBUG, a
 * one-cache-line trailer). Elements of a heap form one address-ordered
 * doubly-linked list; free ones are also on a size-class free list.
 *
 * Element layout, busy element with front padding:
 *
 *   elem -> [header][ .. pad .. ][PAD header][user data ...][trailer]
 *            `------- elem->pad bytes -----'
 *
 * The PAD header copies the real header except for its state (ELEM_PAD)
 * and its pad field (the distance back to the real header).
 *
 * Every header carries a magic word bound to its own address, in all
 * builds, so that rte_free() of a foreign, interior or already freed
 * pointer is refused instead of corrupting the heap.
 *
 * Invariant: the data area of every free element is zero, so zmalloc
 * needs no memset (except for elements taken from an lcore cache).
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/queue.h>

#include <rte_common.h>
#include <rte_memory.h>

#include "malloc_heap.h"

#ifdef RTE_MALLOC_ASAN
#include <sanitizer/asan_interface.h>
#endif

enum elem_state {
	ELEM_FREE = 0, /* on a free list */
	ELEM_BUSY,     /* handed out */
	ELEM_PAD,      /* the second header before padded user data */
	ELEM_CACHED,   /* busy for the heap, parked in an lcore cache */
};

struct malloc_elem {
	struct malloc_heap *heap;
	struct malloc_elem *volatile prev;   /* previous element in address order */
	struct malloc_elem *volatile next;   /* next element in address order */
	LIST_ENTRY(malloc_elem) free_list;   /* size-class list, when free */
	struct rte_memseg_list *msl;         /* list the element lies in */
	struct malloc_elem *orig_elem;       /* --match-allocations: first elem of the expansion */
	size_t orig_size;                    /* --match-allocations: size of that expansion */
	volatile uint32_t state;             /* enum elem_state */
	uint32_t pad;                        /* bytes between this header and the PAD header */
	size_t size;                         /* whole element: header, data, trailer */
	uint64_t magic;                      /* MALLOC_ELEM_MAGIC ^ own address */
#ifdef RTE_MALLOC_DEBUG
	uint64_t header_cookie;
#endif
} __rte_cache_aligned;

#define MALLOC_ELEM_MAGIC 0x4d41c0ffee1e4e57ULL
#define MALLOC_HEADER_COOKIE 0xbadbadbadadd2e55ULL
#define MALLOC_TRAILER_COOKIE 0xadd2e55badbadbadULL
#define MALLOC_POISON 0x6b

#define MALLOC_ELEM_HEADER_LEN sizeof(struct malloc_elem)
#ifdef RTE_MALLOC_DEBUG
#define MALLOC_ELEM_TRAILER_LEN RTE_CACHE_LINE_SIZE
#else
#define MALLOC_ELEM_TRAILER_LEN 0
#endif
#define MALLOC_ELEM_OVERHEAD (MALLOC_ELEM_HEADER_LEN + MALLOC_ELEM_TRAILER_LEN)
#define MIN_DATA_SIZE RTE_CACHE_LINE_SIZE
/* smallest piece worth splitting off as an element of its own */
#define MALLOC_ELEM_MIN_SPLIT (MALLOC_ELEM_OVERHEAD + MIN_DATA_SIZE)

static inline bool
is_pow2(size_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

static inline uint64_t
malloc_elem_magic_of(const struct malloc_elem *elem)
{
	return MALLOC_ELEM_MAGIC ^ (uintptr_t)elem;
}

static inline void *
malloc_elem_data(const struct malloc_elem *elem)
{
	return RTE_PTR_ADD(RTE_PTR_UNQUAL(elem), MALLOC_ELEM_HEADER_LEN);
}

/* @return the element whose data starts at @p data (no validation). */
static inline struct malloc_elem *
malloc_elem_from_data_unchecked(const void *data)
{
	return RTE_PTR_SUB(RTE_PTR_UNQUAL(data), MALLOC_ELEM_HEADER_LEN);
}

/* Bytes the user may use in busy element @p elem (the real header). */
static inline size_t
malloc_elem_user_size(const struct malloc_elem *elem)
{
	return elem->size - elem->pad - MALLOC_ELEM_OVERHEAD;
}

/* Write the trailer cookie (debug builds) of @p elem. */
void malloc_elem_set_trailer(struct malloc_elem *elem);

static inline uint64_t *
malloc_elem_trailer(const struct malloc_elem *elem)
{
	return RTE_PTR_ADD(RTE_PTR_UNQUAL(elem), elem->size - MALLOC_ELEM_TRAILER_LEN);
}

/* @return true if the header (and in debug builds the cookies) of @p elem is sane. */
static inline __rte_no_asan bool
malloc_elem_cookies_ok(const struct malloc_elem *elem)
{
	if (elem == NULL || elem->magic != malloc_elem_magic_of(elem))
		return false;
#ifdef RTE_MALLOC_DEBUG
	if (elem->header_cookie != MALLOC_HEADER_COOKIE)
		return false;
	if (elem->state != ELEM_PAD && *malloc_elem_trailer(elem) != MALLOC_TRAILER_COOKIE)
		return false;
#endif
	return true;
}

/* Initialise a free element of @p size bytes at @p elem (not yet linked). */
void malloc_elem_init(struct malloc_elem *elem, struct malloc_heap *heap,
		struct rte_memseg_list *msl, size_t size, struct malloc_elem *orig_elem,
		size_t orig_size);

/* Link @p elem into its heap's address-ordered list. */
void malloc_elem_insert(struct malloc_elem *elem);

/* @return true if free @p elem can hold a block of @p size (see malloc_elem_alloc). */
bool malloc_elem_can_hold(struct malloc_elem *elem, size_t size, unsigned int align,
		size_t bound, bool contig);

/*
 * Carve a busy block of @p size data bytes, aligned to @p align, not
 * crossing a multiple of @p bound (0: any), IOVA-contiguous if @p contig,
 * from the top of free element @p elem (taking it off its free list).
 * @return the busy element (its real header).
 */
struct malloc_elem *malloc_elem_alloc(struct malloc_elem *elem, size_t size,
		unsigned int align, size_t bound, bool contig);

/*
 * Mark busy @p elem free, merge it with free neighbours of the same list
 * and put the result on a free list. The data is not zeroed here: the
 * caller zeroes what stays in the heap (see malloc_heap_free()).
 * @return the merged element.
 */
struct malloc_elem *malloc_elem_free(struct malloc_elem *elem);

/*
 * Like malloc_elem_alloc() (no bound, not contiguous) but at the lowest
 * address of @p elem: used right after the heap grew, so that the free
 * rest lies next to where the next growth will land.
 * @return the busy element, or NULL if it does not fit.
 */
struct malloc_elem *malloc_elem_alloc_low(struct malloc_elem *elem, size_t size,
		unsigned int align);

/* Merge free @p elem (on no free list) with free neighbours. @return the result. */
struct malloc_elem *malloc_elem_join_adjacent_free(struct malloc_elem *elem);

/* Grow or shrink busy @p elem in place to @p size data bytes. @return 0 or -1. */
int malloc_elem_resize(struct malloc_elem *elem, size_t size);

/*
 * Take the page-aligned region [start, start + len) of free element @p elem
 * (on no free list) out of the element list; the pieces before and after
 * it become free elements on free lists.
 */
void malloc_elem_hide_region(struct malloc_elem *elem, void *start, size_t len);

/*
 * Rebuild @p heap after a process died holding its lock, perhaps half-way
 * through a change: the forward chain from heap->first is taken as the
 * truth (every change keeps it whole between any two stores), back links,
 * sizes cut short, unmerged free neighbours, free lists and counters are
 * rebuilt from it, and free data is zeroed again.
 * @return the number of repairs made.
 */
int malloc_elem_repair(struct malloc_heap *heap);

/* Free-list helpers (heap lock held). */
size_t malloc_elem_free_list_index(size_t size);
void malloc_elem_free_list_insert(struct malloc_elem *elem);
void malloc_elem_free_list_remove(struct malloc_elem *elem);

/* Print one element. */
void malloc_elem_dump(const struct malloc_elem *elem, FILE *f);

/* @return the longest IOVA-contiguous @p align-aligned data span of @p elem. */
size_t malloc_elem_find_max_iova_contig(struct malloc_elem *elem, size_t align);

/*
 * ASan shadow painting (no-ops unless RTE_MALLOC_ASAN): free memory and
 * headers are poisoned, user data unpoisoned.
 */
static inline void
malloc_elem_poison(const void *addr, size_t len)
{
#ifdef RTE_MALLOC_ASAN
	ASAN_POISON_MEMORY_REGION(addr, len);
#else
	RTE_SET_USED(addr);
	RTE_SET_USED(len);
#endif
}

static inline void
malloc_elem_unpoison(const void *addr, size_t len)
{
#ifdef RTE_MALLOC_ASAN
	ASAN_UNPOISON_MEMORY_REGION(addr, len);
#else
	RTE_SET_USED(addr);
	RTE_SET_USED(len);
#endif
}

#endif /* _MALLOC_ELEM_H_ */
