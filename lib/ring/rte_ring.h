/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_RING_H_
#define _RTE_RING_H_

/**
 * @file
 * Lock-free FIFO rings of pointers (see rte_ring_elem.h for other element
 * sizes). A ring made by rte_ring_create() lives in a memzone and can be
 * found by name from every process of the same --file-prefix; one set up
 * by rte_ring_init() lives wherever the caller put it.
 *
 * Naming: mp/sp = multi/single producer, mc/sc = multi/single consumer;
 * the plain forms use the mode chosen at creation. "bulk" moves n objects
 * or none, "burst" as many as possible up to n.
 */

#include <rte_ring_core.h>
#include <rte_ring_elem.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Bytes needed for a ring of @p count pointers.
 *
 * @param count
 *   Number of slots, a power of 2 no larger than RTE_RING_SZ_MASK.
 * @return
 *   The size, or -EINVAL if @p count is invalid.
 */
ssize_t rte_ring_get_memsize(unsigned int count);

/**
 * Initialise an empty ring of pointers in caller memory of at least
 * rte_ring_get_memsize() bytes (rte_ring_get_memsize_elem() for other
 * element sizes), aligned to a cache line. The ring is not registered:
 * rte_ring_lookup() does not find it and rte_ring_free() refuses it.
 *
 * @param r
 *   The memory.
 * @param name
 *   Ring name, shorter than RTE_RING_NAMESIZE.
 * @param count
 *   Ring size: a power of 2 (usable space count - 1), or any value up to
 *   RTE_RING_SZ_MASK with RING_F_EXACT_SZ (usable space count).
 * @param flags
 *   RING_F_SP_ENQ, RING_F_SC_DEQ, RING_F_EXACT_SZ.
 * @return
 *   0, -EINVAL (NULL ring or name, bad count or flags) or -ENAMETOOLONG.
 */
int rte_ring_init(struct rte_ring *r, const char *name, unsigned int count,
	unsigned int flags);

/**
 * Create a ring of pointers; see rte_ring_create_elem().
 *
 * @return
 *   The ring, or NULL with rte_errno set: EINVAL, ENAMETOOLONG, EEXIST,
 *   ENOSPC or ENOMEM.
 */
struct rte_ring *rte_ring_create(const char *name, unsigned int count,
				 int socket_id, unsigned int flags);

/**
 * Free a ring made by rte_ring_create() and its memzone. NULL is a no-op;
 * a ring set up by rte_ring_init() is refused with a log line.
 *
 * @param r
 *   The ring.
 */
void rte_ring_free(struct rte_ring *r);

/**
 * Print a ring's size, counters and fill level.
 *
 * @param f
 *   Output stream.
 * @param r
 *   The ring.
 */
void rte_ring_dump(FILE *f, const struct rte_ring *r);

/**
 * Enqueue exactly @p n pointers or none, multi-producer safe.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   The pointers.
 * @param n
 *   How many.
 * @param free_space
 *   If not NULL, set to the free slots left afterwards.
 * @return
 *   0 or @p n.
 */
static __rte_always_inline unsigned int
rte_ring_mp_enqueue_bulk(struct rte_ring *r, void * const *obj_table,
		unsigned int n, unsigned int *free_space)
{
	return rte_ring_mp_enqueue_bulk_elem(r, obj_table, sizeof(void *), n,
			free_space);
}

/**
 * Enqueue exactly @p n pointers or none, single-producer.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   The pointers.
 * @param n
 *   How many.
 * @param free_space
 *   If not NULL, set to the free slots left afterwards.
 * @return
 *   0 or @p n.
 */
static __rte_always_inline unsigned int
rte_ring_sp_enqueue_bulk(struct rte_ring *r, void * const *obj_table,
		unsigned int n, unsigned int *free_space)
{
	return rte_ring_sp_enqueue_bulk_elem(r, obj_table, sizeof(void *), n,
			free_space);
}

/**
 * Enqueue exactly @p n pointers or none, in the ring's default producer mode.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   The pointers.
 * @param n
 *   How many.
 * @param free_space
 *   If not NULL, set to the free slots left afterwards.
 * @return
 *   0 or @p n.
 */
static __rte_always_inline unsigned int
rte_ring_enqueue_bulk(struct rte_ring *r, void * const *obj_table,
		unsigned int n, unsigned int *free_space)
{
	return rte_ring_enqueue_bulk_elem(r, obj_table, sizeof(void *), n,
			free_space);
}

/**
 * Enqueue one pointer, multi-producer safe.
 *
 * @return
 *   0, or -ENOBUFS if the ring is full.
 */
static __rte_always_inline int
rte_ring_mp_enqueue(struct rte_ring *r, void *obj)
{
	return rte_ring_mp_enqueue_elem(r, &obj, sizeof(void *));
}

/**
 * Enqueue one pointer, single-producer.
 *
 * @return
 *   0, or -ENOBUFS if the ring is full.
 */
static __rte_always_inline int
rte_ring_sp_enqueue(struct rte_ring *r, void *obj)
{
	return rte_ring_sp_enqueue_elem(r, &obj, sizeof(void *));
}

/**
 * Enqueue one pointer, in the ring's default producer mode.
 *
 * @return
 *   0, or -ENOBUFS if the ring is full.
 */
static __rte_always_inline int
rte_ring_enqueue(struct rte_ring *r, void *obj)
{
	return rte_ring_enqueue_elem(r, &obj, sizeof(void *));
}

/**
 * Dequeue exactly @p n pointers or none, multi-consumer safe.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   Room for @p n pointers.
 * @param n
 *   How many.
 * @param available
 *   If not NULL, set to the entries left afterwards.
 * @return
 *   0 or @p n.
 */
static __rte_always_inline unsigned int
rte_ring_mc_dequeue_bulk(struct rte_ring *r, void **obj_table,
		unsigned int n, unsigned int *available)
{
	return rte_ring_mc_dequeue_bulk_elem(r, obj_table, sizeof(void *), n,
			available);
}

/**
 * Dequeue exactly @p n pointers or none, single-consumer.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   Room for @p n pointers.
 * @param n
 *   How many.
 * @param available
 *   If not NULL, set to the entries left afterwards.
 * @return
 *   0 or @p n.
 */
static __rte_always_inline unsigned int
rte_ring_sc_dequeue_bulk(struct rte_ring *r, void **obj_table,
		unsigned int n, unsigned int *available)
{
	return rte_ring_sc_dequeue_bulk_elem(r, obj_table, sizeof(void *), n,
			available);
}

/**
 * Dequeue exactly @p n pointers or none, in the ring's default consumer mode.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   Room for @p n pointers.
 * @param n
 *   How many.
 * @param available
 *   If not NULL, set to the entries left afterwards.
 * @return
 *   0 or @p n.
 */
static __rte_always_inline unsigned int
rte_ring_dequeue_bulk(struct rte_ring *r, void **obj_table,
		unsigned int n, unsigned int *available)
{
	return rte_ring_dequeue_bulk_elem(r, obj_table, sizeof(void *), n,
			available);
}

/**
 * Dequeue one pointer into @p obj_p, multi-consumer safe.
 *
 * @return
 *   0, or -ENOENT if the ring is empty.
 */
static __rte_always_inline int
rte_ring_mc_dequeue(struct rte_ring *r, void **obj_p)
{
	return rte_ring_mc_dequeue_elem(r, obj_p, sizeof(void *));
}

/**
 * Dequeue one pointer into @p obj_p, single-consumer.
 *
 * @return
 *   0, or -ENOENT if the ring is empty.
 */
static __rte_always_inline int
rte_ring_sc_dequeue(struct rte_ring *r, void **obj_p)
{
	return rte_ring_sc_dequeue_elem(r, obj_p, sizeof(void *));
}

/**
 * Dequeue one pointer into @p obj_p, in the ring's default consumer mode.
 *
 * @return
 *   0, or -ENOENT if the ring is empty.
 */
static __rte_always_inline int
rte_ring_dequeue(struct rte_ring *r, void **obj_p)
{
	return rte_ring_dequeue_elem(r, obj_p, sizeof(void *));
}

/**
 * Empty the ring. Not safe while any other thread uses it.
 *
 * @param r
 *   The ring.
 */
void rte_ring_reset(struct rte_ring *r);

/**
 * @return
 *   The number of entries in the ring (a snapshot under concurrency).
 */
static inline unsigned int
rte_ring_count(const struct rte_ring *r)
{
	uint32_t prod_tail = __atomic_load_n(&r->prod.tail, __ATOMIC_RELAXED);
	uint32_t cons_tail = __atomic_load_n(&r->cons.tail, __ATOMIC_RELAXED);
	uint32_t count = (prod_tail - cons_tail) & r->mask;

	return count > r->capacity ? r->capacity : count;
}

/**
 * @return
 *   The number of free slots in the ring (a snapshot under concurrency).
 */
static inline unsigned int
rte_ring_free_count(const struct rte_ring *r)
{
	return r->capacity - rte_ring_count(r);
}

/**
 * @return
 *   1 if the ring is full, else 0.
 */
static inline int
rte_ring_full(const struct rte_ring *r)
{
	return rte_ring_free_count(r) == 0;
}

/**
 * @return
 *   1 if the ring is empty, else 0.
 */
static inline int
rte_ring_empty(const struct rte_ring *r)
{
	uint32_t prod_tail = __atomic_load_n(&r->prod.tail, __ATOMIC_RELAXED);
	uint32_t cons_tail = __atomic_load_n(&r->cons.tail, __ATOMIC_RELAXED);

	return prod_tail == cons_tail;
}

/**
 * @return
 *   The number of slots of the table (a power of 2).
 */
static inline unsigned int
rte_ring_get_size(const struct rte_ring *r)
{
	return r->size;
}

/**
 * @return
 *   The most entries the ring can hold.
 */
static inline unsigned int
rte_ring_get_capacity(const struct rte_ring *r)
{
	return r->capacity;
}

/**
 * @return
 *   The producer synchronisation mode.
 */
static inline enum rte_ring_sync_type
rte_ring_get_prod_sync_type(const struct rte_ring *r)
{
	return r->prod.sync_type;
}

/**
 * @return
 *   1 if the default enqueue is single-producer, else 0.
 */
static inline int
rte_ring_is_prod_single(const struct rte_ring *r)
{
	return rte_ring_get_prod_sync_type(r) == RTE_RING_SYNC_ST;
}

/**
 * @return
 *   The consumer synchronisation mode.
 */
static inline enum rte_ring_sync_type
rte_ring_get_cons_sync_type(const struct rte_ring *r)
{
	return r->cons.sync_type;
}

/**
 * @return
 *   1 if the default dequeue is single-consumer, else 0.
 */
static inline int
rte_ring_is_cons_single(const struct rte_ring *r)
{
	return rte_ring_get_cons_sync_type(r) == RTE_RING_SYNC_ST;
}

/**
 * Print every ring made by rte_ring_create().
 *
 * @param f
 *   Output stream.
 */
void rte_ring_list_dump(FILE *f);

/**
 * Find a ring made by rte_ring_create(), in this or another process.
 *
 * @param name
 *   Ring name.
 * @return
 *   The ring, or NULL with rte_errno ENOENT (or EINVAL for a NULL name).
 */
struct rte_ring *rte_ring_lookup(const char *name);

/**
 * Enqueue up to @p n pointers, multi-producer safe.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   The pointers.
 * @param n
 *   How many at most.
 * @param free_space
 *   If not NULL, set to the free slots left afterwards.
 * @return
 *   Pointers enqueued.
 */
static __rte_always_inline unsigned int
rte_ring_mp_enqueue_burst(struct rte_ring *r, void * const *obj_table,
		unsigned int n, unsigned int *free_space)
{
	return rte_ring_mp_enqueue_burst_elem(r, obj_table, sizeof(void *), n,
			free_space);
}

/**
 * Enqueue up to @p n pointers, single-producer.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   The pointers.
 * @param n
 *   How many at most.
 * @param free_space
 *   If not NULL, set to the free slots left afterwards.
 * @return
 *   Pointers enqueued.
 */
static __rte_always_inline unsigned int
rte_ring_sp_enqueue_burst(struct rte_ring *r, void * const *obj_table,
		unsigned int n, unsigned int *free_space)
{
	return rte_ring_sp_enqueue_burst_elem(r, obj_table, sizeof(void *), n,
			free_space);
}

/**
 * Enqueue up to @p n pointers, in the ring's default producer mode.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   The pointers.
 * @param n
 *   How many at most.
 * @param free_space
 *   If not NULL, set to the free slots left afterwards.
 * @return
 *   Pointers enqueued.
 */
static __rte_always_inline unsigned int
rte_ring_enqueue_burst(struct rte_ring *r, void * const *obj_table,
		unsigned int n, unsigned int *free_space)
{
	return rte_ring_enqueue_burst_elem(r, obj_table, sizeof(void *), n,
			free_space);
}

/**
 * Dequeue up to @p n pointers, multi-consumer safe.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   Room for @p n pointers.
 * @param n
 *   How many at most.
 * @param available
 *   If not NULL, set to the entries left afterwards.
 * @return
 *   Pointers dequeued.
 */
static __rte_always_inline unsigned int
rte_ring_mc_dequeue_burst(struct rte_ring *r, void **obj_table,
		unsigned int n, unsigned int *available)
{
	return rte_ring_mc_dequeue_burst_elem(r, obj_table, sizeof(void *), n,
			available);
}

/**
 * Dequeue up to @p n pointers, single-consumer.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   Room for @p n pointers.
 * @param n
 *   How many at most.
 * @param available
 *   If not NULL, set to the entries left afterwards.
 * @return
 *   Pointers dequeued.
 */
static __rte_always_inline unsigned int
rte_ring_sc_dequeue_burst(struct rte_ring *r, void **obj_table,
		unsigned int n, unsigned int *available)
{
	return rte_ring_sc_dequeue_burst_elem(r, obj_table, sizeof(void *), n,
			available);
}

/**
 * Dequeue up to @p n pointers, in the ring's default consumer mode.
 *
 * @param r
 *   The ring.
 * @param obj_table
 *   Room for @p n pointers.
 * @param n
 *   How many at most.
 * @param available
 *   If not NULL, set to the entries left afterwards.
 * @return
 *   Pointers dequeued.
 */
static __rte_always_inline unsigned int
rte_ring_dequeue_burst(struct rte_ring *r, void **obj_table,
		unsigned int n, unsigned int *available)
{
	return rte_ring_dequeue_burst_elem(r, obj_table, sizeof(void *), n,
			available);
}

#ifdef __cplusplus
}
#endif

#endif /* _RTE_RING_H_ */
