/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_LAUNCH_H_
#define _RTE_LAUNCH_H_

/**
 * @file
 * Running functions on worker lcores. Each worker lcore is a thread pinned
 * to its CPU set that waits for a function to run; the main lcore hands
 * work out and collects the return values.
 */

#ifdef __cplusplus
extern "C" {
#endif

/** State of a worker lcore. */
enum rte_lcore_state_t {
	WAIT,    /**< waiting for a function to run */
	RUNNING, /**< running a function */
};

/** A function run on an lcore. */
typedef int (lcore_function_t)(void *);

/**
 * Run @p f(@p arg) on worker lcore @p worker_id.
 *
 * To be called from the main lcore only.
 *
 * @return
 *   0 on success; -EBUSY if the worker is not in the WAIT state;
 *   -EINVAL if @p worker_id is not an enabled worker lcore.
 */
int rte_eal_remote_launch(lcore_function_t *f, void *arg, unsigned int worker_id);

/** Whether rte_eal_mp_remote_launch() also runs the function on the main lcore. */
enum rte_rmt_call_main_t {
	SKIP_MAIN = 0, /**< only the workers */
	CALL_MAIN,     /**< the workers and then the main lcore */
};

/**
 * Run @p f(@p arg) on every worker lcore, and on the main lcore as well
 * when @p call_main is CALL_MAIN.
 *
 * @return 0 on success; -EBUSY if any worker is busy (nothing is launched).
 */
int rte_eal_mp_remote_launch(lcore_function_t *f, void *arg,
		enum rte_rmt_call_main_t call_main);

/** @return the state of worker lcore @p worker_id. */
enum rte_lcore_state_t rte_eal_get_lcore_state(unsigned int worker_id);

/**
 * Wait until worker lcore @p worker_id has finished its function.
 *
 * @return 0 if the lcore was not running anything, else the function's
 *   return value.
 */
int rte_eal_wait_lcore(unsigned int worker_id);

/** Wait until every worker lcore has finished. */
void rte_eal_mp_wait_lcore(void);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_LAUNCH_H_ */
