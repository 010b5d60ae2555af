/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The per-process handler table. A pool stores the index of its handler,
 * not a pointer, because the pool is shared by processes whose tables sit
 * at different addresses; same program, same registration order, same
 * indexes.
 */

#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_spinlock.h>
#include <rte_string_fns.h>

#include "eal_export.h"
#include "mempool_private.h"

RTE_EXPORT_SYMBOL(rte_mempool_ops_table)
struct rte_mempool_ops_table rte_mempool_ops_table = {
	.sl = RTE_SPINLOCK_INITIALIZER,
	.num_ops = 0,
};

static int
ops_find(const char *name)
{
	uint32_t i;

	for (i = 0; i < rte_mempool_ops_table.num_ops; i++)
		if (strcmp(name, rte_mempool_ops_table.ops[i].name) == 0)
			return (int)i;
	return -1;
}

RTE_EXPORT_SYMBOL(rte_mempool_register_ops)
int
rte_mempool_register_ops(const struct rte_mempool_ops *h)
{
	struct rte_mempool_ops *ops;
	int idx;

	if (h == NULL || h->alloc == NULL || h->enqueue == NULL ||
	    h->dequeue == NULL || h->get_count == NULL) {
		MEMPOOL_LOG(ERR, "mempool handler %s lacks a required callback",
			h != NULL ? h->name : "(null)");
		return -EINVAL;
	}
	if (strnlen(h->name, sizeof(ops->name)) >= sizeof(ops->name) || h->name[0] == '\0') {
		MEMPOOL_LOG(ERR, "mempool handler name is empty or too long");
		return -EINVAL;
	}
	rte_spinlock_lock(&rte_mempool_ops_table.sl);
	if (ops_find(h->name) >= 0) {
		rte_spinlock_unlock(&rte_mempool_ops_table.sl);
		MEMPOOL_LOG(ERR, "mempool handler %s is already registered", h->name);
		return -EEXIST;
	}
	if (rte_mempool_ops_table.num_ops >= RTE_MEMPOOL_MAX_OPS_IDX) {
		rte_spinlock_unlock(&rte_mempool_ops_table.sl);
		MEMPOOL_LOG(ERR, "no room for mempool handler %s (max %d)", h->name,
			RTE_MEMPOOL_MAX_OPS_IDX);
		return -ENOSPC;
	}
	idx = (int)rte_mempool_ops_table.num_ops;
	ops = &rte_mempool_ops_table.ops[idx];
	*ops = *h;
	/* publish the entry only once it is complete */
	__atomic_store_n(&rte_mempool_ops_table.num_ops, idx + 1, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&rte_mempool_ops_table.sl);
	return idx;
}

RTE_EXPORT_SYMBOL(rte_mempool_ops_alloc)
int
rte_mempool_ops_alloc(struct rte_mempool *mp)
{
	return rte_mempool_get_ops(mp->ops_index)->alloc(mp);
}

RTE_EXPORT_SYMBOL(rte_mempool_ops_free)
void
rte_mempool_ops_free(struct rte_mempool *mp)
{
	struct rte_mempool_ops *ops = rte_mempool_get_ops(mp->ops_index);

	if (ops->free != NULL)
		ops->free(mp);
}

RTE_EXPORT_SYMBOL(rte_mempool_ops_get_count)
unsigned int
rte_mempool_ops_get_count(const struct rte_mempool *mp)
{
	return rte_mempool_get_ops(mp->ops_index)->get_count(mp);
}

RTE_EXPORT_SYMBOL(rte_mempool_ops_calc_mem_size)
ssize_t
rte_mempool_ops_calc_mem_size(const struct rte_mempool *mp, uint32_t obj_num,
		uint32_t pg_shift, size_t *min_chunk_size, size_t *align)
{
	struct rte_mempool_ops *ops = rte_mempool_get_ops(mp->ops_index);

	if (ops->calc_mem_size == NULL)
		return rte_mempool_op_calc_mem_size_default(mp, obj_num, pg_shift,
				min_chunk_size, align);
	return ops->calc_mem_size(mp, obj_num, pg_shift, min_chunk_size, align);
}

RTE_EXPORT_SYMBOL(rte_mempool_ops_populate)
int
rte_mempool_ops_populate(struct rte_mempool *mp, unsigned int max_objs,
		void *vaddr, rte_iova_t iova, size_t len,
		rte_mempool_populate_obj_cb_t *obj_cb, void *obj_cb_arg)
{
	struct rte_mempool_ops *ops = rte_mempool_get_ops(mp->ops_index);

	if (ops->populate == NULL)
		return rte_mempool_op_populate_default(mp, max_objs, vaddr, iova,
				len, obj_cb, obj_cb_arg);
	return ops->populate(mp, max_objs, vaddr, iova, len, obj_cb, obj_cb_arg);
}

RTE_EXPORT_SYMBOL(rte_mempool_ops_get_info)
int
rte_mempool_ops_get_info(const struct rte_mempool *mp,
		struct rte_mempool_info *info)
{
	struct rte_mempool_ops *ops;

	if (mp == NULL || info == NULL)
		return -EINVAL;
	ops = rte_mempool_get_ops(mp->ops_index);
	if (ops->get_info == NULL)
		return -ENOTSUP;
	return ops->get_info(mp, info);
}

RTE_EXPORT_SYMBOL(rte_mempool_set_ops_byname)
int
rte_mempool_set_ops_byname(struct rte_mempool *mp, const char *name,
		void *pool_config)
{
	int idx;

	if (mp == NULL || name == NULL)
		return -EINVAL;
	if (mp->flags & RTE_MEMPOOL_F_POOL_CREATED) {
		MEMPOOL_LOG(ERR, "mempool %s is populated, its handler is fixed", mp->name);
		return -EEXIST;
	}
	idx = ops_find(name);
	if (idx < 0) {
		MEMPOOL_LOG(ERR, "no mempool handler named %s", name);
		return -EINVAL;
	}
	mp->ops_index = idx;
	mp->pool_config = pool_config;
	return 0;
}

int
mempool_ops_alloc_once(struct rte_mempool *mp)
{
	int ret;

	if (mp->flags & RTE_MEMPOOL_F_POOL_CREATED)
		return 0;
	ret = rte_mempool_ops_alloc(mp);
	if (ret != 0) {
		MEMPOOL_LOG(ERR, "handler %s cannot create the pool of %s: %s",
			rte_mempool_get_ops(mp->ops_index)->name, mp->name,
			rte_strerror(-ret));
		return ret;
	}
	mp->flags |= RTE_MEMPOOL_F_POOL_CREATED;
	return 0;
}
