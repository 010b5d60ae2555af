/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Handing functions to worker lcores. A worker sleeps on its semaphore;
 * the main lcore stores f/arg, flips the state to RUNNING and posts. The
 * worker stores the return value before going back to WAIT, so
 * rte_eal_wait_lcore() can return it whenever it is called (and again, as
 * documented, until the next launch).
 */

#include <errno.h>

#include <rte_common.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_pause.h>

#include "eal_export.h"
#include "eal_private.h"
#include "eal_thread.h"

static bool
is_worker(unsigned int id)
{
	return id < RTE_MAX_LCORE && rte_lcore_is_enabled(id) && id != rte_get_main_lcore();
}

RTE_EXPORT_SYMBOL(rte_eal_remote_launch)
int
rte_eal_remote_launch(lcore_function_t *f, void *arg, unsigned int worker_id)
{
	struct lcore_config *lc;

	if (f == NULL || !is_worker(worker_id))
		return -EINVAL;
	lc = &lcore_config[worker_id];
	if (__atomic_load_n(&lc->state, __ATOMIC_ACQUIRE) != WAIT)
		return -EBUSY;
	lc->f = f;
	lc->arg = arg;
	__atomic_store_n(&lc->state, RUNNING, __ATOMIC_RELEASE);
	eal_thread_wake(worker_id);
	return 0;
}

RTE_EXPORT_SYMBOL(rte_eal_mp_remote_launch)
int
rte_eal_mp_remote_launch(lcore_function_t *f, void *arg, enum rte_rmt_call_main_t call_main)
{
	unsigned int lcore_id, main_lcore = rte_get_main_lcore();

	RTE_LCORE_FOREACH_WORKER(lcore_id) {
		if (__atomic_load_n(&lcore_config[lcore_id].state, __ATOMIC_ACQUIRE) != WAIT)
			return -EBUSY;
	}
	RTE_LCORE_FOREACH_WORKER(lcore_id)
		rte_eal_remote_launch(f, arg, lcore_id);
	if (call_main == CALL_MAIN) {
		lcore_config[main_lcore].ret = f(arg);
		lcore_config[main_lcore].state = WAIT;
	}
	return 0;
}

RTE_EXPORT_SYMBOL(rte_eal_get_lcore_state)
enum rte_lcore_state_t
rte_eal_get_lcore_state(unsigned int worker_id)
{
	if (worker_id >= RTE_MAX_LCORE)
		return WAIT;
	return __atomic_load_n(&lcore_config[worker_id].state, __ATOMIC_ACQUIRE);
}

RTE_EXPORT_SYMBOL(rte_eal_wait_lcore)
int
rte_eal_wait_lcore(unsigned int worker_id)
{
	struct lcore_config *lc;

	if (!is_worker(worker_id))
		return 0;
	lc = &lcore_config[worker_id];
	while (__atomic_load_n(&lc->state, __ATOMIC_ACQUIRE) == RUNNING)
		rte_pause();
	return lc->ret;
}

RTE_EXPORT_SYMBOL(rte_eal_mp_wait_lcore)
void
rte_eal_mp_wait_lcore(void)
{
	unsigned int lcore_id;

	RTE_LCORE_FOREACH_WORKER(lcore_id)
		rte_eal_wait_lcore(lcore_id);
}
