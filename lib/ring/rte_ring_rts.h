/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_RING_RTS_H_
#define _RTE_RING_RTS_H_

/**
 * @file
 * Relaxed tail sync (RTS) mode. Head and tail each carry a position and a
 * count of operations. A thread moves the head (position and count) with
 * one CAS, copies, then bumps the tail's count; whoever brings the tail
 * count level with the head count moves the tail position up to the head.
 * No thread waits for a particular predecessor, only for the head to stay
 * within htd_max slots of the tail. Selected with RING_F_MP_RTS_ENQ /
 * RING_F_MC_RTS_DEQ; htd_max defaults to capacity / 8.
 */

#include <rte_ring_elem_pvt.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Claim up to @n slots on RTS side @d; the other side's tail position is
 * read at the offset every mode shares. @return slots claimed.
 */
static __rte_always_inline uint32_t
__rte_ring_rts_move_head(struct rte_ring *r, struct rte_ring_rts_headtail *d,
		const struct rte_ring_headtail *s, int is_prod, uint32_t n,
		enum rte_ring_queue_behavior behavior, uint32_t *old_head,
		uint32_t *entries)
{
	union __rte_ring_rts_poscnt oh, nh;
	uint32_t max = n, stail;

	oh.raw = __atomic_load_n(&d->head.raw, __ATOMIC_ACQUIRE);
	do {
		/* keep in-flight claims within htd_max of the published tail */
		while (oh.val.pos - __atomic_load_n(&d->tail.val.pos, __ATOMIC_RELAXED) >
				d->htd_max) {
			rte_pause();
			oh.raw = __atomic_load_n(&d->head.raw, __ATOMIC_ACQUIRE);
		}
		n = max;
		stail = __atomic_load_n(&s->tail, __ATOMIC_ACQUIRE);
		*entries = is_prod ? r->capacity + stail - oh.val.pos :
				stail - oh.val.pos;
		if (unlikely(n > *entries))
			n = behavior == RTE_RING_QUEUE_FIXED ? 0 : *entries;
		if (n == 0)
			return 0;
		nh.val.pos = oh.val.pos + n;
		nh.val.cnt = oh.val.cnt + 1;
	} while (!__atomic_compare_exchange_n(&d->head.raw, &oh.raw, nh.raw, 0,
			__ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE));
	*old_head = oh.val.pos;
	return n;
}

/* Count this operation done; the last one in flight publishes them all. */
static __rte_always_inline void
__rte_ring_rts_update_tail(struct rte_ring_rts_headtail *d)
{
	union __rte_ring_rts_poscnt ot, nt, h;

	ot.raw = __atomic_load_n(&d->tail.raw, __ATOMIC_ACQUIRE);
	do {
		h.raw = __atomic_load_n(&d->head.raw, __ATOMIC_RELAXED);
		nt.raw = ot.raw;
		if (++nt.val.cnt == h.val.cnt)
			nt.val.pos = h.val.pos;
	} while (!__atomic_compare_exchange_n(&d->tail.raw, &ot.raw, nt.raw, 0,
			__ATOMIC_RELEASE, __ATOMIC_ACQUIRE));
}

static __rte_always_inline unsigned int
__rte_ring_do_rts_enqueue_elem(struct rte_ring *r, const void *obj_table,
		unsigned int esize, unsigned int n,
		enum rte_ring_queue_behavior behavior, unsigned int *free_space)
{
	uint32_t head, free_entries;

	n = __rte_ring_rts_move_head(r, &r->rts_prod, &r->cons, 1, n, behavior,
			&head, &free_entries);
	if (n != 0) {
		__rte_ring_copy_in(r, head, obj_table, esize, n);
		__rte_ring_rts_update_tail(&r->rts_prod);
	}
	if (free_space != NULL)
		*free_space = free_entries - n;
	return n;
}

static __rte_always_inline unsigned int
__rte_ring_do_rts_dequeue_elem(struct rte_ring *r, void *obj_table,
		unsigned int esize, unsigned int n,
		enum rte_ring_queue_behavior behavior, unsigned int *available)
{
	uint32_t head, entries;

	n = __rte_ring_rts_move_head(r, &r->rts_cons, &r->prod, 0, n, behavior,
			&head, &entries);
	if (n != 0) {
		__rte_ring_copy_out(r, head, obj_table, esize, n);
		__rte_ring_rts_update_tail(&r->rts_cons);
	}
	if (available != NULL)
		*available = entries - n;
	return n;
}

/**
 * Enqueue exactly @p n elements or none, multi-producer RTS mode.
 *
 * @return
 *   Elements enqueued; *free_space (if not NULL) = free slots left.
 */
static __rte_always_inline unsigned int
rte_ring_mp_rts_enqueue_bulk_elem(struct rte_ring *r, const void *obj_table,
		unsigned int esize, unsigned int n, unsigned int *free_space)
{
	return __rte_ring_do_rts_enqueue_elem(r, obj_table, esize, n,
			RTE_RING_QUEUE_FIXED, free_space);
}

/**
 * Dequeue exactly @p n elements or none, multi-consumer RTS mode.
 *
 * @return
 *   Elements dequeued; *available (if not NULL) = entries left.
 */
static __rte_always_inline unsigned int
rte_ring_mc_rts_dequeue_bulk_elem(struct rte_ring *r, void *obj_table,
		unsigned int esize, unsigned int n, unsigned int *available)
{
	return __rte_ring_do_rts_dequeue_elem(r, obj_table, esize, n,
			RTE_RING_QUEUE_FIXED, available);
}

/**
 * Pointer form of rte_ring_mp_rts_enqueue_bulk_elem().
 */
static __rte_always_inline unsigned int
rte_ring_mp_rts_enqueue_bulk(struct rte_ring *r, void * const *obj_table,
		unsigned int n, unsigned int *free_space)
{
	return rte_ring_mp_rts_enqueue_bulk_elem(r, obj_table, sizeof(void *), n,
			free_space);
}

/**
 * Pointer form of rte_ring_mc_rts_dequeue_bulk_elem().
 */
static __rte_always_inline unsigned int
rte_ring_mc_rts_dequeue_bulk(struct rte_ring *r, void **obj_table,
		unsigned int n, unsigned int *available)
{
	return rte_ring_mc_rts_dequeue_bulk_elem(r, obj_table, sizeof(void *), n,
			available);
}

/**
 * Enqueue up to @p n elements, multi-producer RTS mode.
 *
 * @return
 *   Elements enqueued; *free_space (if not NULL) = free slots left.
 */
static __rte_always_inline unsigned int
rte_ring_mp_rts_enqueue_burst_elem(struct rte_ring *r, const void *obj_table,
		unsigned int esize, unsigned int n, unsigned int *free_space)
{
	return __rte_ring_do_rts_enqueue_elem(r, obj_table, esize, n,
			RTE_RING_QUEUE_VARIABLE, free_space);
}

/**
 * Dequeue up to @p n elements, multi-consumer RTS mode.
 *
 * @return
 *   Elements dequeued; *available (if not NULL) = entries left.
 */
static __rte_always_inline unsigned int
rte_ring_mc_rts_dequeue_burst_elem(struct rte_ring *r, void *obj_table,
		unsigned int esize, unsigned int n, unsigned int *available)
{
	return __rte_ring_do_rts_dequeue_elem(r, obj_table, esize, n,
			RTE_RING_QUEUE_VARIABLE, available);
}

/**
 * Pointer form of rte_ring_mp_rts_enqueue_burst_elem().
 */
static __rte_always_inline unsigned int
rte_ring_mp_rts_enqueue_burst(struct rte_ring *r, void * const *obj_table,
		unsigned int n, unsigned int *free_space)
{
	return rte_ring_mp_rts_enqueue_burst_elem(r, obj_table, sizeof(void *), n,
			free_space);
}

/**
 * Pointer form of rte_ring_mc_rts_dequeue_burst_elem().
 */
static __rte_always_inline unsigned int
rte_ring_mc_rts_dequeue_burst(struct rte_ring *r, void **obj_table,
		unsigned int n, unsigned int *available)
{
	return rte_ring_mc_rts_dequeue_burst_elem(r, obj_table, sizeof(void *), n,
			available);
}

/**
 * @return
 *   The producer's head/tail distance limit, or UINT32_MAX if the
 *   producer is not in RTS mode.
 */
static inline uint32_t
rte_ring_get_prod_htd_max(const struct rte_ring *r)
{
	return r->prod.sync_type == RTE_RING_SYNC_MT_RTS ? r->rts_prod.htd_max : UINT32_MAX;
}

/**
 * Set the producer's head/tail distance limit.
 *
 * @return
 *   0, or -ENOTSUP if the producer is not in RTS mode.
 */
static inline int
rte_ring_set_prod_htd_max(struct rte_ring *r, uint32_t v)
{
	if (r->prod.sync_type != RTE_RING_SYNC_MT_RTS)
		return -ENOTSUP;
	r->rts_prod.htd_max = v;
	return 0;
}

/**
 * @return
 *   The consumer's head/tail distance limit, or UINT32_MAX if the
 *   consumer is not in RTS mode.
 */
static inline uint32_t
rte_ring_get_cons_htd_max(const struct rte_ring *r)
{
	return r->cons.sync_type == RTE_RING_SYNC_MT_RTS ? r->rts_cons.htd_max : UINT32_MAX;
}

/**
 * Set the consumer's head/tail distance limit.
 *
 * @return
 *   0, or -ENOTSUP if the consumer is not in RTS mode.
 */
static inline int
rte_ring_set_cons_htd_max(struct rte_ring *r, uint32_t v)
{
	if (r->cons.sync_type != RTE_RING_SYNC_MT_RTS)
		return -ENOTSUP;
	r->rts_cons.htd_max = v;
	return 0;
}

#ifdef __cplusplus
}
#endif

#endif /* _RTE_RING_RTS_H_ */
