/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_RING_ELEM_H_
#define _RTE_RING_ELEM_H_

/**
 * @file
 * Rings of elements of any size that is a multiple of 4 bytes.
 *
 * Every operation comes as mp/sp (enqueue) or mc/sc (dequeue), which force
 * multi- or single-thread synchronisation, and as a plain form that uses
 * the mode the ring was created with (RING_F_SP_ENQ / RING_F_SC_DEQ, or the
 * RTS and HTS modes of rte_ring_rts.h and rte_ring_hts.h).
 * "bulk" moves exactly n elements or none; "burst" moves as many as it can
 * up to n. The single-thread forms are not safe against a concurrent
 * caller on the same side; either side may run concurrently with the other.
 */

#include <rte_ring_core.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Bytes needed for a ring of @p count elements of @p esize bytes.
 *
 * @param esize
 *   Element size, a multiple of 4.
 * @param count
 *   Number of slots, a power of 2 no larger than RTE_RING_SZ_MASK.
 * @return
 *   The size, or -EINVAL if @p esize or @p count is invalid.
 */
ssize_t rte_ring_get_memsize_elem(unsigned int esize, unsigned int count);

/**
 * Create a ring of @p esize-byte elements in a memzone named
 * RTE_RING_MZ_PREFIX + @p name, and make it known to rte_ring_lookup().
 *
 * @param name
 *   Ring name, shorter than RTE_RING_NAMESIZE.
 * @param esize
 *   Element size, a multiple of 4.
 * @param count
 *   Size of the ring: a power of 2 (usable space count - 1), or any value
 *   with RING_F_EXACT_SZ (usable space count).
 * @param socket_id
 *   NUMA socket of the memory, or SOCKET_ID_ANY.
 * @param flags
 *   RING_F_SP_ENQ, RING_F_SC_DEQ, RING_F_EXACT_SZ.
 * @return
 *   The ring, or NULL with rte_errno set: EINVAL (bad count, esize or
 *   flags), ENAMETOOLONG, EEXIST (name in use), ENOSPC (no free memzone
 *   slot), ENOMEM.
 */
struct rte_ring *rte_ring_create_elem(const char *name, unsigned int esize,
		unsigned int count, int socket_id, unsigned int flags);

#include <rte_ring_elem_pvt.h>
#include <rte_ring_hts.h>
#include <rte_ring_rts.h>

/* @internal Enqueue in the ring's producer mode. */
static __rte_always_inline unsigned int
__rte_ring_enqueue_elem_any(struct rte_ring *r, const void *obj_table,
		unsigned int esize, unsigned int n,
		enum rte_ring_queue_behavior behavior, unsigned int *free_space)
{
	switch (r->prod.sync_type) {
	case RTE_RING_SYNC_ST:
		return __rte_ring_do_enqueue_elem(r, obj_table, esize, n, behavior, 1,
				free_space);
	case RTE_RING_SYNC_MT_RTS:
		return __rte_ring_do_rts_enqueue_elem(r, obj_table, esize, n, behavior,
				free_space);
	case RTE_RING_SYNC_MT_HTS:
		return __rte_ring_do_hts_enqueue_elem(r, obj_table, esize, n, behavior,
				free_space);
	default:
		return __rte_ring_do_enqueue_elem(r, obj_table, esize, n, behavior, 0,
				free_space);
	}
}

/* @internal Dequeue in the ring's consumer mode. */
static __rte_always_inline unsigned int
__rte_ring_dequeue_elem_any(struct rte_ring *r, void *obj_table,
		unsigned int esize, unsigned int n,
		enum rte_ring_queue_behavior behavior, unsigned int *available)
{
	switch (r->cons.sync_type) {
	case RTE_RING_SYNC_ST:
		return __rte_ring_do_dequeue_elem(r, obj_table, esize, n, behavior, 1,
				available);
	case RTE_RING_SYNC_MT_RTS:
		return __rte_ring_do_rts_dequeue_elem(r, obj_table, esize, n, behavior,
				available);
	case RTE_RING_SYNC_MT_HTS:
		return __rte_ring_do_hts_dequeue_elem(r, obj_table, esize, n, behavior,
				available);
	default:
		return __rte_ring_do_dequeue_elem(r, obj_table, esize, n, behavior, 0,
				available);
	}
}

/**
 * Enqueue exactly @p n elements or none, multi-producer safe.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   @p n elements of @p esize bytes.
 * @param esize
 *   Element size, as given at creation.
 * @param n
 *   Number of elements.
 * @param free_space
 *   If not NULL, set to the free slots left afterwards.
 * @return
 *   Elements enqueued (0 or n).
 */
static __rte_always_inline unsigned int
rte_ring_mp_enqueue_bulk_elem(struct rte_ring *r, const void *obj_table,
		unsigned int esize, unsigned int n, unsigned int *free_space)
{
	return __rte_ring_do_enqueue_elem(r, obj_table, esize, n,
			RTE_RING_QUEUE_FIXED, 0, free_space);
}

/**
 * Enqueue exactly @p n elements or none, single-producer.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   @p n elements of @p esize bytes.
 * @param esize
 *   Element size, as given at creation.
 * @param n
 *   Number of elements.
 * @param free_space
 *   If not NULL, set to the free slots left afterwards.
 * @return
 *   Elements enqueued (0 or n).
 */
static __rte_always_inline unsigned int
rte_ring_sp_enqueue_bulk_elem(struct rte_ring *r, const void *obj_table,
		unsigned int esize, unsigned int n, unsigned int *free_space)
{
	return __rte_ring_do_enqueue_elem(r, obj_table, esize, n,
			RTE_RING_QUEUE_FIXED, 1, free_space);
}

/**
 * Enqueue exactly @p n elements or none, in the ring's default producer mode.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   @p n elements of @p esize bytes.
 * @param esize
 *   Element size, as given at creation.
 * @param n
 *   Number of elements.
 * @param free_space
 *   If not NULL, set to the free slots left afterwards.
 * @return
 *   Elements enqueued (0 or n).
 */
static __rte_always_inline unsigned int
rte_ring_enqueue_bulk_elem(struct rte_ring *r, const void *obj_table,
		unsigned int esize, unsigned int n, unsigned int *free_space)
{
	return __rte_ring_enqueue_elem_any(r, obj_table, esize, n,
			RTE_RING_QUEUE_FIXED, free_space);
}

/**
 * Enqueue up to @p n elements, multi-producer safe.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   @p n elements of @p esize bytes.
 * @param esize
 *   Element size, as given at creation.
 * @param n
 *   Number of elements.
 * @param free_space
 *   If not NULL, set to the free slots left afterwards.
 * @return
 *   Elements enqueued.
 */
static __rte_always_inline unsigned int
rte_ring_mp_enqueue_burst_elem(struct rte_ring *r, const void *obj_table,
		unsigned int esize, unsigned int n, unsigned int *free_space)
{
	return __rte_ring_do_enqueue_elem(r, obj_table, esize, n,
			RTE_RING_QUEUE_VARIABLE, 0, free_space);
}

/**
 * Enqueue up to @p n elements, single-producer.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   @p n elements of @p esize bytes.
 * @param esize
 *   Element size, as given at creation.
 * @param n
 *   Number of elements.
 * @param free_space
 *   If not NULL, set to the free slots left afterwards.
 * @return
 *   Elements enqueued.
 */
static __rte_always_inline unsigned int
rte_ring_sp_enqueue_burst_elem(struct rte_ring *r, const void *obj_table,
		unsigned int esize, unsigned int n, unsigned int *free_space)
{
	return __rte_ring_do_enqueue_elem(r, obj_table, esize, n,
			RTE_RING_QUEUE_VARIABLE, 1, free_space);
}

/**
 * Enqueue up to @p n elements, in the ring's default producer mode.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   @p n elements of @p esize bytes.
 * @param esize
 *   Element size, as given at creation.
 * @param n
 *   Number of elements.
 * @param free_space
 *   If not NULL, set to the free slots left afterwards.
 * @return
 *   Elements enqueued.
 */
static __rte_always_inline unsigned int
rte_ring_enqueue_burst_elem(struct rte_ring *r, const void *obj_table,
		unsigned int esize, unsigned int n, unsigned int *free_space)
{
	return __rte_ring_enqueue_elem_any(r, obj_table, esize, n,
			RTE_RING_QUEUE_VARIABLE, free_space);
}

/**
 * Dequeue exactly @p n elements or none, multi-consumer safe.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   Room for @p n elements of @p esize bytes.
 * @param esize
 *   Element size, as given at creation.
 * @param n
 *   Number of elements.
 * @param available
 *   If not NULL, set to the entries left afterwards.
 * @return
 *   Elements dequeued (0 or n).
 */
static __rte_always_inline unsigned int
rte_ring_mc_dequeue_bulk_elem(struct rte_ring *r, void *obj_table,
		unsigned int esize, unsigned int n, unsigned int *available)
{
	return __rte_ring_do_dequeue_elem(r, obj_table, esize, n,
			RTE_RING_QUEUE_FIXED, 0, available);
}

/**
 * Dequeue exactly @p n elements or none, single-consumer.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   Room for @p n elements of @p esize bytes.
 * @param esize
 *   Element size, as given at creation.
 * @param n
 *   Number of elements.
 * @param available
 *   If not NULL, set to the entries left afterwards.
 * @return
 *   Elements dequeued (0 or n).
 */
static __rte_always_inline unsigned int
rte_ring_sc_dequeue_bulk_elem(struct rte_ring *r, void *obj_table,
		unsigned int esize, unsigned int n, unsigned int *available)
{
	return __rte_ring_do_dequeue_elem(r, obj_table, esize, n,
			RTE_RING_QUEUE_FIXED, 1, available);
}

/**
 * Dequeue exactly @p n elements or none, in the ring's default consumer mode.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   Room for @p n elements of @p esize bytes.
 * @param esize
 *   Element size, as given at creation.
 * @param n
 *   Number of elements.
 * @param available
 *   If not NULL, set to the entries left afterwards.
 * @return
 *   Elements dequeued (0 or n).
 */
static __rte_always_inline unsigned int
rte_ring_dequeue_bulk_elem(struct rte_ring *r, void *obj_table,
		unsigned int esize, unsigned int n, unsigned int *available)
{
	return __rte_ring_dequeue_elem_any(r, obj_table, esize, n,
			RTE_RING_QUEUE_FIXED, available);
}

/**
 * Dequeue up to @p n elements, multi-consumer safe.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   Room for @p n elements of @p esize bytes.
 * @param esize
 *   Element size, as given at creation.
 * @param n
 *   Number of elements.
 * @param available
 *   If not NULL, set to the entries left afterwards.
 * @return
 *   Elements dequeued.
 */
static __rte_always_inline unsigned int
rte_ring_mc_dequeue_burst_elem(struct rte_ring *r, void *obj_table,
		unsigned int esize, unsigned int n, unsigned int *available)
{
	return __rte_ring_do_dequeue_elem(r, obj_table, esize, n,
			RTE_RING_QUEUE_VARIABLE, 0, available);
}

/**
 * Dequeue up to @p n elements, single-consumer.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   Room for @p n elements of @p esize bytes.
 * @param esize
 *   Element size, as given at creation.
 * @param n
 *   Number of elements.
 * @param available
 *   If not NULL, set to the entries left afterwards.
 * @return
 *   Elements dequeued.
 */
static __rte_always_inline unsigned int
rte_ring_sc_dequeue_burst_elem(struct rte_ring *r, void *obj_table,
		unsigned int esize, unsigned int n, unsigned int *available)
{
	return __rte_ring_do_dequeue_elem(r, obj_table, esize, n,
			RTE_RING_QUEUE_VARIABLE, 1, available);
}

/**
 * Dequeue up to @p n elements, in the ring's default consumer mode.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   Room for @p n elements of @p esize bytes.
 * @param esize
 *   Element size, as given at creation.
 * @param n
 *   Number of elements.
 * @param available
 *   If not NULL, set to the entries left afterwards.
 * @return
 *   Elements dequeued.
 */
static __rte_always_inline unsigned int
rte_ring_dequeue_burst_elem(struct rte_ring *r, void *obj_table,
		unsigned int esize, unsigned int n, unsigned int *available)
{
	return __rte_ring_dequeue_elem_any(r, obj_table, esize, n,
			RTE_RING_QUEUE_VARIABLE, available);
}

/**
 * Enqueue one element, multi-producer safe.
 *
 * @return
 *   0, or -ENOBUFS if the ring is full.
 */
static __rte_always_inline int
rte_ring_mp_enqueue_elem(struct rte_ring *r, void *obj, unsigned int esize)
{
	return rte_ring_mp_enqueue_bulk_elem(r, obj, esize, 1, NULL) ? 0 : -ENOBUFS;
}

/**
 * Enqueue one element, single-producer.
 *
 * @return
 *   0, or -ENOBUFS if the ring is full.
 */
static __rte_always_inline int
rte_ring_sp_enqueue_elem(struct rte_ring *r, void *obj, unsigned int esize)
{
	return rte_ring_sp_enqueue_bulk_elem(r, obj, esize, 1, NULL) ? 0 : -ENOBUFS;
}

/**
 * Enqueue one element, in the ring's default producer mode.
 *
 * @return
 *   0, or -ENOBUFS if the ring is full.
 */
static __rte_always_inline int
rte_ring_enqueue_elem(struct rte_ring *r, void *obj, unsigned int esize)
{
	return rte_ring_enqueue_bulk_elem(r, obj, esize, 1, NULL) ? 0 : -ENOBUFS;
}

/**
 * Dequeue one element into @p obj_p, multi-consumer safe.
 *
 * @return
 *   0, or -ENOENT if the ring is empty.
 */
static __rte_always_inline int
rte_ring_mc_dequeue_elem(struct rte_ring *r, void *obj_p, unsigned int esize)
{
	return rte_ring_mc_dequeue_bulk_elem(r, obj_p, esize, 1, NULL) ? 0 : -ENOENT;
}

/**
 * Dequeue one element into @p obj_p, single-consumer.
 *
 * @return
 *   0, or -ENOENT if the ring is empty.
 */
static __rte_always_inline int
rte_ring_sc_dequeue_elem(struct rte_ring *r, void *obj_p, unsigned int esize)
{
	return rte_ring_sc_dequeue_bulk_elem(r, obj_p, esize, 1, NULL) ? 0 : -ENOENT;
}

/**
 * Dequeue one element into @p obj_p, in the ring's default consumer mode.
 *
 * @return
 *   0, or -ENOENT if the ring is empty.
 */
static __rte_always_inline int
rte_ring_dequeue_elem(struct rte_ring *r, void *obj_p, unsigned int esize)
{
	return rte_ring_dequeue_bulk_elem(r, obj_p, esize, 1, NULL) ? 0 : -ENOENT;
}

#ifdef __cplusplus
}
#endif

#endif /* _RTE_RING_ELEM_H_ */
