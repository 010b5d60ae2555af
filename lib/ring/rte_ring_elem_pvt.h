/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_RING_ELEM_PVT_H_
#define _RTE_RING_ELEM_PVT_H_

/*
 * The enqueue/dequeue engine shared by every ring API. Not for direct use.
 *
 * Ordering: a thread claims slots by moving its side's head (CAS when the
 * side is multi-thread), reads the other side's tail with acquire
 * semantics to learn how many slots it may use, copies, then waits for
 * its predecessors' tail updates and publishes its own with a release
 * store. The release on one side pairs with the acquire on the other, so
 * a consumer never sees a slot before the producer's copy into it.
 * Counters run freely and wrap at 2^32; differences are taken modulo 2^32.
 */

#include <rte_ring_core.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 8-byte access that may be unaligned (element tables of the _elem API) */
typedef uint64_t __rte_ring_u64 __attribute__((__may_alias__, __aligned__(1)));

/*
 * Copy @n 8-byte elements between @src and @dst, four at a time. The tail
 * is a switch rather than a loop: bursts are short and a remainder loop
 * would be vectorised with run-time checks that cost more than the copy.
 */
static __rte_always_inline void
__rte_ring_copy64(__rte_ring_u64 *dst, const __rte_ring_u64 *src, uint32_t n)
{
	uint32_t i;

	for (i = 0; i + 4 <= n; i += 4) {
		dst[i] = src[i];
		dst[i + 1] = src[i + 1];
		dst[i + 2] = src[i + 2];
		dst[i + 3] = src[i + 3];
	}
	switch (n & 3) {
	case 3:
		dst[i + 2] = src[i + 2];
		/* fall through */
	case 2:
		dst[i + 1] = src[i + 1];
		/* fall through */
	case 1:
		dst[i] = src[i];
		/* fall through */
	default:
		break;
	}
}

/* Copy @n elements of @esize bytes from @src into the table at @head. */
static __rte_always_inline void
__rte_ring_copy_in(struct rte_ring *r, uint32_t head, const void *src,
		uint32_t esize, uint32_t n)
{
	uint8_t *table = (uint8_t *)&r[1];
	const uint8_t *s = (const uint8_t *)src;
	uint32_t idx = head & r->mask;
	uint32_t first = RTE_MIN(n, r->size - idx);

	if (esize == sizeof(uint64_t)) {
		__rte_ring_copy64((__rte_ring_u64 *)(void *)table + idx,
				(const __rte_ring_u64 *)(const void *)s, first);
		if (unlikely(first < n))
			__rte_ring_copy64((__rte_ring_u64 *)(void *)table,
				(const __rte_ring_u64 *)(const void *)(s + first * 8), n - first);
		return;
	}
	memcpy(table + (size_t)idx * esize, s, (size_t)first * esize);
	if (unlikely(first < n))
		memcpy(table, s + (size_t)first * esize, (size_t)(n - first) * esize);
}

/* Copy @n elements of @esize bytes from the table at @head into @dst. */
static __rte_always_inline void
__rte_ring_copy_out(const struct rte_ring *r, uint32_t head, void *dst,
		uint32_t esize, uint32_t n)
{
	const uint8_t *table = (const uint8_t *)&r[1];
	uint8_t *d = (uint8_t *)dst;
	uint32_t idx = head & r->mask;
	uint32_t first = RTE_MIN(n, r->size - idx);

	if (esize == sizeof(uint64_t)) {
		__rte_ring_copy64((__rte_ring_u64 *)(void *)d,
				(const __rte_ring_u64 *)(const void *)table + idx, first);
		if (unlikely(first < n))
			__rte_ring_copy64((__rte_ring_u64 *)(void *)(d + first * 8),
				(const __rte_ring_u64 *)(const void *)table, n - first);
		return;
	}
	memcpy(d, table + (size_t)idx * esize, (size_t)first * esize);
	if (unlikely(first < n))
		memcpy(d + (size_t)first * esize, table, (size_t)(n - first) * esize);
}

/*
 * Claim up to @n slots on side @d, whose limit is given by side @s's tail.
 * @is_prod selects how free entries are counted. @return the number of
 * slots claimed (0 or n when @behavior is FIXED), with the claimed range
 * [*old_head, *new_head) and the entries that were available.
 */
static __rte_always_inline uint32_t
__rte_ring_move_head(struct rte_ring *r, struct rte_ring_headtail *d,
		const struct rte_ring_headtail *s, int is_prod, unsigned int is_st,
		uint32_t n, enum rte_ring_queue_behavior behavior,
		uint32_t *old_head, uint32_t *new_head, uint32_t *entries)
{
	uint32_t max = n;
	uint32_t stail;
	int ok;

	*old_head = __atomic_load_n(&d->head, __ATOMIC_RELAXED);
	do {
		n = max;
		/* the other side's tail must not be read before our head */
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		stail = __atomic_load_n(&s->tail, __ATOMIC_ACQUIRE);
		*entries = is_prod ? r->capacity + stail - *old_head :
				stail - *old_head;
		if (unlikely(n > *entries))
			n = behavior == RTE_RING_QUEUE_FIXED ? 0 : *entries;
		if (n == 0)
			return 0;
		*new_head = *old_head + n;
		if (is_st) {
			d->head = *new_head;
			ok = 1;
		} else {
			ok = __atomic_compare_exchange_n(&d->head, old_head,
					*new_head, 0, __ATOMIC_RELAXED,
					__ATOMIC_RELAXED);
		}
	} while (unlikely(!ok));
	return n;
}

/* Publish [old, new) once every earlier claimant of side @ht has. */
static __rte_always_inline void
__rte_ring_update_tail(struct rte_ring_headtail *ht, uint32_t old_val,
		uint32_t new_val, unsigned int is_st)
{
	if (!is_st)
		while (__atomic_load_n(&ht->tail, __ATOMIC_RELAXED) != old_val)
			rte_pause();
	__atomic_store_n(&ht->tail, new_val, __ATOMIC_RELEASE);
}

/* @return elements enqueued; *free_space = free slots left after it. */
static __rte_always_inline unsigned int
__rte_ring_do_enqueue_elem(struct rte_ring *r, const void *obj_table,
		unsigned int esize, unsigned int n,
		enum rte_ring_queue_behavior behavior, unsigned int is_sp,
		unsigned int *free_space)
{
	uint32_t old_head, new_head, free_entries;

	n = __rte_ring_move_head(r, &r->prod, &r->cons, 1, is_sp, n, behavior,
			&old_head, &new_head, &free_entries);
	if (n != 0) {
		__rte_ring_copy_in(r, old_head, obj_table, esize, n);
		__rte_ring_update_tail(&r->prod, old_head, new_head, is_sp);
	}
	if (free_space != NULL)
		*free_space = free_entries - n;
	return n;
}

/* @return elements dequeued; *available = entries left after it. */
static __rte_always_inline unsigned int
__rte_ring_do_dequeue_elem(struct rte_ring *r, void *obj_table,
		unsigned int esize, unsigned int n,
		enum rte_ring_queue_behavior behavior, unsigned int is_sc,
		unsigned int *available)
{
	uint32_t old_head, new_head, entries;

	n = __rte_ring_move_head(r, &r->cons, &r->prod, 0, is_sc, n, behavior,
			&old_head, &new_head, &entries);
	if (n != 0) {
		__rte_ring_copy_out(r, old_head, obj_table, esize, n);
		__rte_ring_update_tail(&r->cons, old_head, new_head, is_sc);
	}
	if (available != NULL)
		*available = entries - n;
	return n;
}

#ifdef __cplusplus
}
#endif

#endif /* _RTE_RING_ELEM_PVT_H_ */
