/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Mempool handlers that keep free objects in an rte_ring: one per
 * combination of single/multi producer (put) and consumer (get). The ring
 * lives in a memzone like the pool, so every process can use it.
 */

#include <errno.h>
#include <stdio.h>

#include <rte_errno.h>
#include <rte_mempool.h>
#include <rte_ring.h>

static int
ring_mp_enqueue(struct rte_mempool *mp, void * const *obj_table, unsigned int n)
{
	return rte_ring_mp_enqueue_bulk(mp->pool_data, obj_table, n, NULL) == 0 ?
		-ENOBUFS : 0;
}

static int
ring_sp_enqueue(struct rte_mempool *mp, void * const *obj_table, unsigned int n)
{
	return rte_ring_sp_enqueue_bulk(mp->pool_data, obj_table, n, NULL) == 0 ?
		-ENOBUFS : 0;
}

static int
ring_mc_dequeue(struct rte_mempool *mp, void **obj_table, unsigned int n)
{
	return rte_ring_mc_dequeue_bulk(mp->pool_data, obj_table, n, NULL) == 0 ?
		-ENOBUFS : 0;
}

static int
ring_sc_dequeue(struct rte_mempool *mp, void **obj_table, unsigned int n)
{
	return rte_ring_sc_dequeue_bulk(mp->pool_data, obj_table, n, NULL) == 0 ?
		-ENOBUFS : 0;
}

static unsigned int
ring_get_count(const struct rte_mempool *mp)
{
	return rte_ring_count(mp->pool_data);
}

static int
ring_alloc(struct rte_mempool *mp, unsigned int ring_flags)
{
	char name[RTE_RING_NAMESIZE];
	struct rte_ring *r;
	int len;

	len = snprintf(name, sizeof(name), RTE_MEMPOOL_MZ_FORMAT, mp->name);
	if (len < 0 || (size_t)len >= sizeof(name))
		return -ENAMETOOLONG;
	/* exactly mp->size slots: a put can never find the ring full */
	r = rte_ring_create(name, mp->size, mp->socket_id, ring_flags | RING_F_EXACT_SZ);
	if (r == NULL)
		return -rte_errno;
	mp->pool_data = r;
	return 0;
}

static int
ring_alloc_mp_mc(struct rte_mempool *mp)
{
	return ring_alloc(mp, 0);
}

static int
ring_alloc_sp_sc(struct rte_mempool *mp)
{
	return ring_alloc(mp, RING_F_SP_ENQ | RING_F_SC_DEQ);
}

static int
ring_alloc_mp_sc(struct rte_mempool *mp)
{
	return ring_alloc(mp, RING_F_SC_DEQ);
}

static int
ring_alloc_sp_mc(struct rte_mempool *mp)
{
	return ring_alloc(mp, RING_F_SP_ENQ);
}

static void
ring_free(struct rte_mempool *mp)
{
	rte_ring_free(mp->pool_data);
	mp->pool_data = NULL;
}

static const struct rte_mempool_ops ops_mp_mc = {
	.name = "ring_mp_mc",
	.alloc = ring_alloc_mp_mc,
	.free = ring_free,
	.enqueue = ring_mp_enqueue,
	.dequeue = ring_mc_dequeue,
	.get_count = ring_get_count,
};

static const struct rte_mempool_ops ops_sp_sc = {
	.name = "ring_sp_sc",
	.alloc = ring_alloc_sp_sc,
	.free = ring_free,
	.enqueue = ring_sp_enqueue,
	.dequeue = ring_sc_dequeue,
	.get_count = ring_get_count,
};

static const struct rte_mempool_ops ops_mp_sc = {
	.name = "ring_mp_sc",
	.alloc = ring_alloc_mp_sc,
	.free = ring_free,
	.enqueue = ring_mp_enqueue,
	.dequeue = ring_sc_dequeue,
	.get_count = ring_get_count,
};

static const struct rte_mempool_ops ops_sp_mc = {
	.name = "ring_sp_mc",
	.alloc = ring_alloc_sp_mc,
	.free = ring_free,
	.enqueue = ring_sp_enqueue,
	.dequeue = ring_mc_dequeue,
	.get_count = ring_get_count,
};

RTE_MEMPOOL_REGISTER_OPS(ops_mp_mc);
RTE_MEMPOOL_REGISTER_OPS(ops_sp_sc);
RTE_MEMPOOL_REGISTER_OPS(ops_mp_sc);
RTE_MEMPOOL_REGISTER_OPS(ops_sp_mc);
