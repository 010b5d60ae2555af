/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Heap elements: placement inside a free element, split, join, resize and
 * hiding of page ranges. Every function here runs under heap->lock.
 */

#include <inttypes.h>
#include <string.h>

#include <rte_common.h>
#include <rte_memory.h>

#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_memalloc.h"
#include "malloc_elem.h"

void
malloc_elem_set_trailer(struct malloc_elem *elem)
{
#ifdef RTE_MALLOC_DEBUG
	*malloc_elem_trailer(elem) = MALLOC_TRAILER_COOKIE;
#else
	RTE_SET_USED(elem);
#endif
}

static void
elem_set_header(struct malloc_elem *elem)
{
	elem->magic = malloc_elem_magic_of(elem);
#ifdef RTE_MALLOC_DEBUG
	elem->header_cookie = MALLOC_HEADER_COOKIE;
#endif
}

void
malloc_elem_init(struct malloc_elem *elem, struct malloc_heap *heap,
		struct rte_memseg_list *msl, size_t size, struct malloc_elem *orig_elem,
		size_t orig_size)
{
	malloc_elem_unpoison(elem, MALLOC_ELEM_HEADER_LEN);
	elem->heap = heap;
	elem->msl = msl;
	elem->prev = NULL;
	elem->next = NULL;
	memset(&elem->free_list, 0, sizeof(elem->free_list));
	elem->state = ELEM_FREE;
	elem->size = size;
	elem->pad = 0;
	elem->orig_elem = orig_elem;
	elem->orig_size = orig_size;
	elem_set_header(elem);
	malloc_elem_set_trailer(elem);
}

void
malloc_elem_insert(struct malloc_elem *elem)
{
	struct malloc_heap *heap = elem->heap;
	struct malloc_elem *prev = NULL, *next = NULL;

	if (heap->first == NULL) {
		elem->prev = elem->next = NULL;
		heap->first = heap->last = elem;
		return;
	}
	/* walk from whichever end is nearer in address */
	if (RTE_PTR_DIFF(elem, heap->first) < RTE_PTR_DIFF(heap->last, elem) &&
			(uintptr_t)elem > (uintptr_t)heap->first) {
		next = heap->first;
		while (next != NULL && next < elem)
			next = next->next;
		prev = next != NULL ? next->prev : heap->last;
	} else {
		prev = heap->last;
		while (prev != NULL && prev > elem)
			prev = prev->prev;
		next = prev != NULL ? prev->next : heap->first;
	}
	elem->prev = prev;
	elem->next = next;
	if (prev != NULL)
		prev->next = elem;
	else
		heap->first = elem;
	if (next != NULL)
		next->prev = elem;
	else
		heap->last = elem;
}

static void
elem_unlink(struct malloc_elem *elem)
{
	struct malloc_heap *heap = elem->heap;

	if (elem->prev != NULL)
		elem->prev->next = elem->next;
	else
		heap->first = elem->next;
	if (elem->next != NULL)
		elem->next->prev = elem->prev;
	else
		heap->last = elem->prev;
	elem->prev = elem->next = NULL;
}

/* Split @p elem at @p split_pt; the new upper element is free and linked after it. */
static struct malloc_elem *
elem_split(struct malloc_elem *elem, void *split_pt)
{
	struct malloc_elem *upper = split_pt;
	struct malloc_elem *next = elem->next;
	size_t old_size = elem->size;
	size_t lower_size = RTE_PTR_DIFF(split_pt, elem);

	malloc_elem_init(upper, elem->heap, elem->msl, old_size - lower_size,
			elem->orig_elem, elem->orig_size);
	upper->prev = elem;
	upper->next = next;
	if (next != NULL)
		next->prev = upper;
	else
		elem->heap->last = upper;
	elem->next = upper;
	elem->size = lower_size;
	malloc_elem_set_trailer(elem);
	return upper;
}

size_t
malloc_elem_free_list_index(size_t size)
{
	size_t data = size - MALLOC_ELEM_HEADER_LEN;
	unsigned int log2;
	size_t idx;

	if (size <= MALLOC_ELEM_HEADER_LEN + 256)
		return 0;
	/* ceil(log2(data)) */
	log2 = 64 - __builtin_clzll(data - 1);
	idx = (log2 - 8 + 1) / 2;
	return RTE_MIN(idx, (size_t)RTE_HEAP_NUM_FREELISTS - 1);
}

void
malloc_elem_free_list_insert(struct malloc_elem *elem)
{
	size_t idx = malloc_elem_free_list_index(elem->size);

	elem->state = ELEM_FREE;
	LIST_INSERT_HEAD(&elem->heap->free_head[idx], elem, free_list);
}

void
malloc_elem_free_list_remove(struct malloc_elem *elem)
{
	LIST_REMOVE(elem, free_list);
}

static bool
elem_is_contig(struct malloc_elem *elem, void *start, size_t len)
{
	return eal_memalloc_is_contig(elem->msl, start, len);
}

/*
 * @return the lowest address x in [start, end) such that [x, end) is
 * IOVA-contiguous: a block ending above x must start at or above x.
 */
static void *
elem_contig_floor(struct malloc_elem *elem, void *start, void *end)
{
	size_t pg = elem->msl->page_sz;
	uintptr_t cur = RTE_ALIGN_FLOOR((uintptr_t)end - 1, pg);

	while (cur > (uintptr_t)start) {
		uintptr_t lo = RTE_MAX(cur - pg, (uintptr_t)start);

		if (!elem_is_contig(elem, (void *)lo, cur + 1 - lo))
			return (void *)cur;
		cur -= pg;
	}
	return start;
}

/*
 * Where a block of @p size would go in @p elem: as high as possible.
 * @return its header address, or NULL if it does not fit.
 */
static struct malloc_elem *
elem_start_pt(struct malloc_elem *elem, size_t size, unsigned int align, size_t bound,
		bool contig)
{
	uintptr_t lowest = (uintptr_t)elem + MALLOC_ELEM_HEADER_LEN;
	uintptr_t end_pt = (uintptr_t)elem + elem->size - MALLOC_ELEM_TRAILER_LEN;

	if (elem->size < MALLOC_ELEM_OVERHEAD + size)
		return NULL;
	for (;;) {
		uintptr_t data, data_end;

		if (end_pt < lowest + size)
			return NULL;
		data = RTE_ALIGN_FLOOR(end_pt - size, align);
		data_end = data + size;
		if (bound != 0 && RTE_ALIGN_FLOOR(data, bound) !=
				RTE_ALIGN_FLOOR(data_end - 1, bound)) {
			end_pt = RTE_ALIGN_FLOOR(data_end - 1, bound);
			if (end_pt < lowest + size)
				return NULL;
			data = RTE_ALIGN_FLOOR(end_pt - size, align);
			data_end = data + size;
			if (RTE_ALIGN_FLOOR(data, bound) != RTE_ALIGN_FLOOR(data_end - 1, bound))
				return NULL;
		}
		if (data < lowest)
			return NULL;
		/* a PAD header needs room: the gap is 0 or at least one header */
		if (data != lowest && data - lowest < MALLOC_ELEM_HEADER_LEN) {
			end_pt = data_end - (MALLOC_ELEM_HEADER_LEN - (data - lowest));
			continue;
		}
		if (contig && !elem_is_contig(elem, (void *)data, size)) {
			uintptr_t floor = (uintptr_t)elem_contig_floor(elem, (void *)data,
					(void *)data_end);

			if (floor <= data)
				return NULL; /* cannot happen: the check above failed */
			end_pt = floor;
			continue;
		}
		return (struct malloc_elem *)(data - MALLOC_ELEM_HEADER_LEN);
	}
}

bool
malloc_elem_can_hold(struct malloc_elem *elem, size_t size, unsigned int align,
		size_t bound, bool contig)
{
	return elem_start_pt(elem, size, align, bound, contig) != NULL;
}

static void
elem_write_pad_header(struct malloc_elem *elem, struct malloc_elem *pad_hdr, size_t pad)
{
	malloc_elem_unpoison(pad_hdr, MALLOC_ELEM_HEADER_LEN);
	pad_hdr->heap = elem->heap;
	pad_hdr->msl = elem->msl;
	pad_hdr->prev = pad_hdr->next = NULL;
	pad_hdr->orig_elem = elem->orig_elem;
	pad_hdr->orig_size = elem->orig_size;
	pad_hdr->state = ELEM_PAD;
	pad_hdr->pad = pad;
	pad_hdr->size = elem->size - pad;
	elem_set_header(pad_hdr);
}

/* Carve the busy block whose header goes at @p new_elem out of free @p elem. */
static struct malloc_elem *
elem_carve(struct malloc_elem *elem, struct malloc_elem *new_elem, size_t size)
{
	size_t head = RTE_PTR_DIFF(new_elem, elem);
	uintptr_t busy_end = (uintptr_t)new_elem + MALLOC_ELEM_OVERHEAD + size;
	size_t tail = (uintptr_t)elem + elem->size - busy_end;

	malloc_elem_free_list_remove(elem);
	if (tail >= MALLOC_ELEM_MIN_SPLIT) {
		struct malloc_elem *upper = elem_split(elem, (void *)busy_end);

		malloc_elem_free_list_insert(upper);
	}
	if (head < MALLOC_ELEM_MIN_SPLIT) {
		/* too small to stand alone: it becomes padding of the block */
		elem->state = ELEM_BUSY;
		elem->pad = head;
		if (head > 0)
			elem_write_pad_header(elem, new_elem, head);
		malloc_elem_unpoison(malloc_elem_data(new_elem),
				RTE_PTR_DIFF(RTE_PTR_ADD(elem, elem->size), malloc_elem_data(new_elem)));
		return elem;
	}
	new_elem = elem_split(elem, new_elem);
	new_elem->state = ELEM_BUSY;
	malloc_elem_free_list_insert(elem);
	malloc_elem_unpoison(malloc_elem_data(new_elem), new_elem->size - MALLOC_ELEM_HEADER_LEN);
	return new_elem;
}

struct malloc_elem *
malloc_elem_alloc(struct malloc_elem *elem, size_t size, unsigned int align,
		size_t bound, bool contig)
{
	return elem_carve(elem, elem_start_pt(elem, size, align, bound, contig), size);
}

struct malloc_elem *
malloc_elem_alloc_low(struct malloc_elem *elem, size_t size, unsigned int align)
{
	uintptr_t lowest = (uintptr_t)elem + MALLOC_ELEM_HEADER_LEN;
	uintptr_t end = (uintptr_t)elem + elem->size - MALLOC_ELEM_TRAILER_LEN;
	uintptr_t data = RTE_ALIGN_CEIL(lowest, align);

	/* a gap below the block must be 0 or hold a PAD header */
	if (data != lowest && data - lowest < MALLOC_ELEM_HEADER_LEN)
		data = RTE_ALIGN_CEIL(lowest + MALLOC_ELEM_HEADER_LEN, align);
	if (elem->state != ELEM_FREE || data + size > end || data + size < data)
		return NULL;
	return elem_carve(elem, (struct malloc_elem *)(data - MALLOC_ELEM_HEADER_LEN), size);
}

static bool
elem_can_join(const struct malloc_elem *lower, const struct malloc_elem *upper)
{
	if (upper == NULL || lower == NULL)
		return false;
	if (RTE_PTR_ADD(lower, lower->size) != (const void *)upper)
		return false;
	if (lower->msl != upper->msl)
		return false;
	if (eal_get_internal_configuration()->match_allocations &&
			lower->orig_elem != upper->orig_elem)
		return false;
	return true;
}

/* Absorb @p upper (free, on no list or its free list) into @p lower. */
static void
elem_absorb(struct malloc_elem *lower, struct malloc_elem *upper)
{
	void *old_trailer = malloc_elem_trailer(lower);

	/*
	 * Size first: until the unlink, upper lies inside lower's span, which
	 * malloc_elem_repair() reads as "not joined yet".
	 */
	lower->size += upper->size;
	elem_unlink(upper);
	/* the absorbed header (and trailer) become data: keep free data zero */
	memset(upper, 0, MALLOC_ELEM_HEADER_LEN);
	if (MALLOC_ELEM_TRAILER_LEN > 0)
		memset(old_trailer, 0, MALLOC_ELEM_TRAILER_LEN);
	malloc_elem_set_trailer(lower);
}

struct malloc_elem *
malloc_elem_join_adjacent_free(struct malloc_elem *elem)
{
	struct malloc_elem *next = elem->next, *prev = elem->prev;

	if (next != NULL && next->state == ELEM_FREE && elem_can_join(elem, next)) {
		malloc_elem_free_list_remove(next);
		elem_absorb(elem, next);
	}
	if (prev != NULL && prev->state == ELEM_FREE && elem_can_join(prev, elem)) {
		malloc_elem_free_list_remove(prev);
		elem_absorb(prev, elem);
		elem = prev;
	}
	return elem;
}

struct malloc_elem *
malloc_elem_free(struct malloc_elem *elem)
{
	elem->state = ELEM_FREE;
	elem->pad = 0;
	elem = malloc_elem_join_adjacent_free(elem);
	malloc_elem_free_list_insert(elem);
	return elem;
}

int
malloc_elem_resize(struct malloc_elem *elem, size_t size)
{
	size_t new_size = size + elem->pad + MALLOC_ELEM_OVERHEAD;
	struct malloc_elem *next = elem->next;

	if (new_size > elem->size) {
		if (next == NULL || next->state != ELEM_FREE || !elem_can_join(elem, next) ||
				elem->size + next->size < new_size)
			return -1;
		malloc_elem_free_list_remove(next);
		malloc_elem_unpoison(next, next->size);
		elem_absorb(elem, next);
	}
	if (elem->size - new_size >= MALLOC_ELEM_MIN_SPLIT) {
		void *split_pt = RTE_PTR_ADD(elem, new_size);
		size_t cut = elem->size - new_size;
		struct malloc_elem *upper;

		/* the cut-off tail held user bytes (shrink) or zeroes (grow) */
		memset(split_pt, 0, cut);
		upper = elem_split(elem, split_pt);
		upper = malloc_elem_join_adjacent_free(upper);
		malloc_elem_free_list_insert(upper);
		malloc_elem_poison(malloc_elem_data(upper), upper->size - MALLOC_ELEM_HEADER_LEN);
	}
	malloc_elem_set_trailer(elem);
	return 0;
}

void
malloc_elem_hide_region(struct malloc_elem *elem, void *start, size_t len)
{
	uintptr_t hide_end = (uintptr_t)start + len;
	uintptr_t elem_end = (uintptr_t)elem + elem->size;
	size_t len_before = RTE_PTR_DIFF(start, elem);
	size_t len_after = elem_end - hide_end;
	struct malloc_elem *hidden = elem;

	if ((len_after != 0 && len_after < MALLOC_ELEM_MIN_SPLIT) ||
			(len_before != 0 && len_before < MALLOC_ELEM_MIN_SPLIT)) {
		EAL_LOG(ERR, "Cannot hide %zu bytes at %p: leftover too small, heap is probably corrupt",
				len, start);
		return;
	}
	if (len_after > 0) {
		struct malloc_elem *upper = elem_split(elem, (void *)hide_end);

		malloc_elem_free_list_insert(upper);
	}
	if (len_before > 0) {
		hidden = elem_split(elem, start);
		malloc_elem_free_list_insert(elem);
	}
	elem_unlink(hidden);
	malloc_elem_unpoison(start, len);
}

/* Zero the data of free element @p elem (its last user may not have). */
static void
elem_zero_data(struct malloc_elem *elem)
{
	void *data = malloc_elem_data(elem);
	size_t len = elem->size - MALLOC_ELEM_OVERHEAD;

	malloc_elem_unpoison(data, len);
	memset(data, 0, len);
	malloc_elem_poison(data, len);
}

/*
 * Fix the links and sizes of one element met on the forward chain after
 * @p prev. @return the element that continues the walk from here.
 */
static struct malloc_elem *
elem_repair_one(struct malloc_elem *prev, struct malloc_elem *elem, unsigned int *fixes)
{
	struct malloc_elem *next = elem->next;

	if (elem->prev != prev) {
		elem->prev = prev;
		(*fixes)++;
	}
	/* a split or join cut short: the next header sits inside this span */
	if (next != NULL && (uintptr_t)next < (uintptr_t)elem + elem->size) {
		elem->size = RTE_PTR_DIFF(next, elem);
		malloc_elem_set_trailer(elem);
		(*fixes)++;
	}
	if (elem->state == ELEM_FREE && prev != NULL && prev->state == ELEM_FREE &&
			elem_can_join(prev, elem)) {
		elem_absorb(prev, elem);
		(*fixes)++;
		return prev;
	}
	return elem;
}

int
malloc_elem_repair(struct malloc_heap *heap)
{
	struct malloc_elem *elem, *prev = NULL;
	unsigned int fixes = 0, busy = 0;
	size_t total = 0;

	for (elem = heap->first; elem != NULL; elem = prev->next) {
		if (elem->magic != malloc_elem_magic_of(elem) || elem->heap != heap ||
				(prev != NULL && elem <= prev)) {
			EAL_LOG(CRIT, "Heap %s: element %p is not a header; the heap ends before it",
				heap->name, (void *)elem);
			if (prev != NULL)
				prev->next = NULL;
			else
				heap->first = NULL;
			fixes++;
			break;
		}
		prev = elem_repair_one(prev, elem, &fixes);
	}
	heap->last = prev;
	memset(heap->free_head, 0, sizeof(heap->free_head));
	for (elem = heap->first; elem != NULL; elem = elem->next) {
		total += elem->size;
		if (elem->state != ELEM_FREE) {
			busy++;
			continue;
		}
		elem_zero_data(elem);
		malloc_elem_free_list_insert(elem);
	}
	heap->total_size = total;
	heap->alloc_count = busy;
	return (int)fixes;
}

static const char *
elem_state_name(uint32_t state)
{
	switch (state) {
	case ELEM_FREE: return "FREE";
	case ELEM_BUSY: return "BUSY";
	case ELEM_PAD: return "PAD";
	case ELEM_CACHED: return "CACHED";
	default: return "CORRUPT";
	}
}

void
malloc_elem_dump(const struct malloc_elem *elem, FILE *f)
{
	fprintf(f, "Malloc element at %p (%s)\n", (const void *)elem,
			elem_state_name(elem->state));
	fprintf(f, "  len: 0x%zx pad: 0x%" PRIx32 "\n", elem->size, elem->pad);
	fprintf(f, "  prev: %p next: %p\n", (void *)elem->prev, (void *)elem->next);
}

size_t
malloc_elem_find_max_iova_contig(struct malloc_elem *elem, size_t align)
{
	uintptr_t data = (uintptr_t)malloc_elem_data(elem);
	uintptr_t end = (uintptr_t)elem + elem->size - MALLOC_ELEM_TRAILER_LEN;
	uintptr_t first = RTE_ALIGN_CEIL(data, align);
	size_t pg = elem->msl->page_sz;
	uintptr_t run_start = first, cur;
	size_t best = 0;

	if (first >= end)
		return 0;
	if (elem_is_contig(elem, (void *)first, end - first))
		return end - first;
	/* walk page boundaries; a break at a boundary starts a new run */
	for (cur = RTE_ALIGN_FLOOR(first, pg) + pg; cur < end; cur += pg) {
		uintptr_t lo = RTE_MAX(cur - pg, first);

		if (elem_is_contig(elem, (void *)lo, cur + 1 - lo))
			continue;
		if (cur > run_start)
			best = RTE_MAX(best, (size_t)(cur - run_start));
		run_start = RTE_ALIGN_CEIL(cur, align);
	}
	if (end > run_start)
		best = RTE_MAX(best, (size_t)(end - run_start));
	return best;
}
