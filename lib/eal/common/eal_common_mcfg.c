/* SPDX-License-Identifier: BSD-3-Clause */

/* Lock API over the shared mem_config, and its version handshake. */

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_pause.h>

#include "eal_export.h"
#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_memcfg.h"
#include "eal_private.h"

struct rte_mem_config *
eal_get_mcfg(void)
{
	return rte_eal_get_configuration()->mem_config;
}

void
eal_mcfg_complete(void)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();

	if (rte_eal_process_type() == RTE_PROC_PRIMARY)
		__atomic_store_n(&mcfg->magic, RTE_MAGIC, __ATOMIC_RELEASE);
	eal_get_internal_configuration()->init_complete = 1;
}

void
eal_mcfg_wait_complete(void)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();

	while (__atomic_load_n(&mcfg->magic, __ATOMIC_ACQUIRE) != RTE_MAGIC)
		rte_pause();
}

int
eal_mcfg_check_version(void)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();

	eal_mcfg_wait_complete();
	if (mcfg->version != RTE_MEM_CONFIG_VERSION) {
		EAL_LOG(ERR, "Primary and secondary process versions mismatch "
			"(config layout %u, ours %u)", mcfg->version, RTE_MEM_CONFIG_VERSION);
		return -1;
	}
	return 0;
}

void
eal_mcfg_update_internal(void)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	const struct internal_config *cfg = eal_get_internal_configuration();

	mcfg->version = RTE_MEM_CONFIG_VERSION;
	mcfg->legacy_mem = cfg->legacy_mem;
	mcfg->single_file_segments = cfg->single_file_segments;
	mcfg->in_memory = cfg->in_memory;
	mcfg->no_huge = cfg->no_hugetlbfs;
}

void
eal_mcfg_update_from_internal(void)
{
	const struct rte_mem_config *mcfg = eal_get_mcfg();
	struct internal_config *cfg = eal_get_internal_configuration();

	cfg->legacy_mem = mcfg->legacy_mem;
	cfg->single_file_segments = mcfg->single_file_segments;
	cfg->no_hugetlbfs = mcfg->no_huge;
}

RTE_EXPORT_SYMBOL(rte_mcfg_mem_read_lock)
void
rte_mcfg_mem_read_lock(void)
{
	rte_rwlock_read_lock(&eal_get_mcfg()->memory_hotplug_lock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mem_read_unlock)
void
rte_mcfg_mem_read_unlock(void)
{
	rte_rwlock_read_unlock(&eal_get_mcfg()->memory_hotplug_lock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mem_write_lock)
void
rte_mcfg_mem_write_lock(void)
{
	rte_rwlock_write_lock(&eal_get_mcfg()->memory_hotplug_lock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mem_write_unlock)
void
rte_mcfg_mem_write_unlock(void)
{
	rte_rwlock_write_unlock(&eal_get_mcfg()->memory_hotplug_lock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_tailq_read_lock)
void
rte_mcfg_tailq_read_lock(void)
{
	rte_rwlock_read_lock(&eal_get_mcfg()->qlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_tailq_read_unlock)
void
rte_mcfg_tailq_read_unlock(void)
{
	rte_rwlock_read_unlock(&eal_get_mcfg()->qlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_tailq_write_lock)
void
rte_mcfg_tailq_write_lock(void)
{
	rte_rwlock_write_lock(&eal_get_mcfg()->qlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_tailq_write_unlock)
void
rte_mcfg_tailq_write_unlock(void)
{
	rte_rwlock_write_unlock(&eal_get_mcfg()->qlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mempool_read_lock)
void
rte_mcfg_mempool_read_lock(void)
{
	rte_rwlock_read_lock(&eal_get_mcfg()->mplock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mempool_read_unlock)
void
rte_mcfg_mempool_read_unlock(void)
{
	rte_rwlock_read_unlock(&eal_get_mcfg()->mplock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mempool_write_lock)
void
rte_mcfg_mempool_write_lock(void)
{
	rte_rwlock_write_lock(&eal_get_mcfg()->mplock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mempool_write_unlock)
void
rte_mcfg_mempool_write_unlock(void)
{
	rte_rwlock_write_unlock(&eal_get_mcfg()->mplock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_timer_lock)
void
rte_mcfg_timer_lock(void)
{
	rte_spinlock_lock(&eal_get_mcfg()->tlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_timer_unlock)
void
rte_mcfg_timer_unlock(void)
{
	rte_spinlock_unlock(&eal_get_mcfg()->tlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_get_single_file_segments)
bool
rte_mcfg_get_single_file_segments(void)
{
	return eal_get_mcfg()->single_file_segments != 0;
}
