/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_EAL_MEMCONFIG_H_
#define _RTE_EAL_MEMCONFIG_H_

/**
 * @file
 * Locks of the shared memory configuration. They are shared by every
 * process of one --file-prefix. Lock order: memzone (mlock) before a
 * heap lock before the memory hotplug lock.
 */

#include <stdbool.h>

#include <rte_compat.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Take the memory hotplug lock for reading (no page is added or removed). */
void rte_mcfg_mem_read_lock(void);
/** Release the memory hotplug read lock. */
void rte_mcfg_mem_read_unlock(void);
/** Take the memory hotplug lock for writing. */
void rte_mcfg_mem_write_lock(void);
/** Release the memory hotplug write lock. */
void rte_mcfg_mem_write_unlock(void);
/** Take the tailq lock for reading. */
void rte_mcfg_tailq_read_lock(void);
/** Release the tailq read lock. */
void rte_mcfg_tailq_read_unlock(void);
/** Take the tailq lock for writing. */
void rte_mcfg_tailq_write_lock(void);
/** Release the tailq write lock. */
void rte_mcfg_tailq_write_unlock(void);
/** Take the mempool lock for reading. */
void rte_mcfg_mempool_read_lock(void);
/** Release the mempool read lock. */
void rte_mcfg_mempool_read_unlock(void);
/** Take the mempool lock for writing. */
void rte_mcfg_mempool_write_lock(void);
/** Release the mempool write lock. */
void rte_mcfg_mempool_write_unlock(void);
/** Take the timer lock. */
void rte_mcfg_timer_lock(void);
/** Release the timer lock. */
void rte_mcfg_timer_unlock(void);
/** @return true if the primary runs with --single-file-segments. */
bool rte_mcfg_get_single_file_segments(void);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_EAL_MEMCONFIG_H_ */
