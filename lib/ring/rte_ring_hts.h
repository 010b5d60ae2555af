/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_RING_HTS_H_
#define _RTE_RING_HTS_H_

/**
 * @file
 * Head/tail sync (HTS) mode: one enqueue (or dequeue) at a time per side.
 * Head and tail form one 64-bit word; a thread waits until head == tail
 * (nobody is copying), then moves the head with one CAS, copies, and sets
 * the tail. Threads never wait for a preempted predecessor's tail in the
 * middle of the ring, which suits overcommitted CPUs; a side is selected
 * with RING_F_MP_HTS_ENQ / RING_F_MC_HTS_DEQ.
 */

#include <rte_ring_elem_pvt.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Claim up to @n slots on HTS side @d; the other side's tail is read at the
 * offset every mode shares. @return slots claimed, *old_head, *entries.
 */
static __rte_always_inline uint32_t
__rte_ring_hts_move_head(struct rte_ring *r, struct rte_ring_hts_headtail *d,
		const struct rte_ring_headtail *s, int is_prod, uint32_t n,
		enum rte_ring_queue_behavior behavior, uint32_t *old_head,
		uint32_t *entries)
{
	union __rte_ring_hts_pos op, np;
	uint32_t max = n, stail;

	op.raw = __atomic_load_n(&d->ht.raw, __ATOMIC_ACQUIRE);
	do {
		while (op.pos.head != op.pos.tail) {
			rte_pause();
			op.raw = __atomic_load_n(&d->ht.raw, __ATOMIC_ACQUIRE);
		}
		n = max;
		stail = __atomic_load_n(&s->tail, __ATOMIC_ACQUIRE);
		*entries = is_prod ? r->capacity + stail - op.pos.head :
				stail - op.pos.head;
		if (unlikely(n > *entries))
			n = behavior == RTE_RING_QUEUE_FIXED ? 0 : *entries;
		if (n == 0)
			return 0;
		np.pos.tail = op.pos.tail;
		np.pos.head = op.pos.head + n;
	} while (!__atomic_compare_exchange_n(&d->ht.raw, &op.raw, np.raw, 0,
			__ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE));
	*old_head = op.pos.head;
	return n;
}

/* The claimant is alone on its side: publish by moving the tail up. */
static __rte_always_inline void
__rte_ring_hts_update_tail(struct rte_ring_hts_headtail *d, uint32_t old_head,
		uint32_t n)
{
	__atomic_store_n(&d->ht.pos.tail, old_head + n, __ATOMIC_RELEASE);
}

static __rte_always_inline unsigned int
__rte_ring_do_hts_enqueue_elem(struct rte_ring *r, const void *obj_table,
		unsigned int esize, unsigned int n,
		enum rte_ring_queue_behavior behavior, unsigned int *free_space)
{
	uint32_t head, free_entries;

	n = __rte_ring_hts_move_head(r, &r->hts_prod, &r->cons, 1, n, behavior,
			&head, &free_entries);
	if (n != 0) {
		__rte_ring_copy_in(r, head, obj_table, esize, n);
		__rte_ring_hts_update_tail(&r->hts_prod, head, n);
	}
	if (free_space != NULL)
		*free_space = free_entries - n;
	return n;
}

static __rte_always_inline unsigned int
__rte_ring_do_hts_dequeue_elem(struct rte_ring *r, void *obj_table,
		unsigned int esize, unsigned int n,
		enum rte_ring_queue_behavior behavior, unsigned int *available)
{
	uint32_t head, entries;

	n = __rte_ring_hts_move_head(r, &r->hts_cons, &r->prod, 0, n, behavior,
			&head, &entries);
	if (n != 0) {
		__rte_ring_copy_out(r, head, obj_table, esize, n);
		__rte_ring_hts_update_tail(&r->hts_cons, head, n);
	}
	if (available != NULL)
		*available = entries - n;
	return n;
}

/**
 * Enqueue exactly @p n elements or none, multi-producer HTS mode.
 *
 * @return
 *   Elements enqueued; *free_space (if not NULL) = free slots left.
 */
static __rte_always_inline unsigned int
rte_ring_mp_hts_enqueue_bulk_elem(struct rte_ring *r, const void *obj_table,
		unsigned int esize, unsigned int n, unsigned int *free_space)
{
	return __rte_ring_do_hts_enqueue_elem(r, obj_table, esize, n,
			RTE_RING_QUEUE_FIXED, free_space);
}

/**
 * Dequeue exactly @p n elements or none, multi-consumer HTS mode.
 *
 * @return
 *   Elements dequeued; *available (if not NULL) = entries left.
 */
static __rte_always_inline unsigned int
rte_ring_mc_hts_dequeue_bulk_elem(struct rte_ring *r, void *obj_table,
		unsigned int esize, unsigned int n, unsigned int *available)
{
	return __rte_ring_do_hts_dequeue_elem(r, obj_table, esize, n,
			RTE_RING_QUEUE_FIXED, available);
}

/**
 * Pointer form of rte_ring_mp_hts_enqueue_bulk_elem().
 */
static __rte_always_inline unsigned int
rte_ring_mp_hts_enqueue_bulk(struct rte_ring *r, void * const *obj_table,
		unsigned int n, unsigned int *free_space)
{
	return rte_ring_mp_hts_enqueue_bulk_elem(r, obj_table, sizeof(void *), n,
			free_space);
}

/**
 * Pointer form of rte_ring_mc_hts_dequeue_bulk_elem().
 */
static __rte_always_inline unsigned int
rte_ring_mc_hts_dequeue_bulk(struct rte_ring *r, void **obj_table,
		unsigned int n, unsigned int *available)
{
	return rte_ring_mc_hts_dequeue_bulk_elem(r, obj_table, sizeof(void *), n,
			available);
}

/**
 * Enqueue up to @p n elements, multi-producer HTS mode.
 *
 * @return
 *   Elements enqueued; *free_space (if not NULL) = free slots left.
 */
static __rte_always_inline unsigned int
rte_ring_mp_hts_enqueue_burst_elem(struct rte_ring *r, const void *obj_table,
		unsigned int esize, unsigned int n, unsigned int *free_space)
{
	return __rte_ring_do_hts_enqueue_elem(r, obj_table, esize, n,
			RTE_RING_QUEUE_VARIABLE, free_space);
}

/**
 * Dequeue up to @p n elements, multi-consumer HTS mode.
 *
 * @return
 *   Elements dequeued; *available (if not NULL) = entries left.
 */
static __rte_always_inline unsigned int
rte_ring_mc_hts_dequeue_burst_elem(struct rte_ring *r, void *obj_table,
		unsigned int esize, unsigned int n, unsigned int *available)
{
	return __rte_ring_do_hts_dequeue_elem(r, obj_table, esize, n,
			RTE_RING_QUEUE_VARIABLE, available);
}

/**
 * Pointer form of rte_ring_mp_hts_enqueue_burst_elem().
 */
static __rte_always_inline unsigned int
rte_ring_mp_hts_enqueue_burst(struct rte_ring *r, void * const *obj_table,
		unsigned int n, unsigned int *free_space)
{
	return rte_ring_mp_hts_enqueue_burst_elem(r, obj_table, sizeof(void *), n,
			free_space);
}

/**
 * Pointer form of rte_ring_mc_hts_dequeue_burst_elem().
 */
static __rte_always_inline unsigned int
rte_ring_mc_hts_dequeue_burst(struct rte_ring *r, void **obj_table,
		unsigned int n, unsigned int *available)
{
	return rte_ring_mc_hts_dequeue_burst_elem(r, obj_table, sizeof(void *), n,
			available);
}

#ifdef __cplusplus
}
#endif

#endif /* _RTE_RING_HTS_H_ */
