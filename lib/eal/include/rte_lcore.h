/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_LCORE_H_
#define _RTE_LCORE_H_

/**
 * @file
 * Logical cores: the threads the EAL creates (one per core given with -l,
 * -c or --lcores), their CPU sets and NUMA sockets.
 */

#include <pthread.h>
#include <stdio.h>

#include <rte_config.h>
#include <rte_common.h>
#include <rte_per_lcore.h>
#include <rte_eal.h>
#include <rte_launch.h>

#ifdef __cplusplus
extern "C" {
#endif

/** lcore id of a thread that is not an EAL lcore. */
#define LCORE_ID_ANY UINT32_MAX

RTE_DECLARE_PER_LCORE(unsigned int, _lcore_id);
RTE_DECLARE_PER_LCORE(rte_cpuset_t, _cpuset);

/** Role of an lcore. */
enum rte_lcore_role_t {
	ROLE_RTE,     /**< an EAL lcore thread */
	ROLE_OFF,     /**< not used */
	ROLE_SERVICE, /**< a service core */
	ROLE_NON_EAL, /**< a registered non-EAL thread */
};

/** @return the role of @p lcore_id. */
enum rte_lcore_role_t rte_eal_lcore_role(unsigned int lcore_id);

/** @return 1 if @p lcore_id has role @p role, 0 if not, -EINVAL if out of range. */
int rte_lcore_has_role(unsigned int lcore_id, enum rte_lcore_role_t role);

/** @return the calling thread's lcore id, or LCORE_ID_ANY. */
static inline unsigned int
rte_lcore_id(void)
{
	return RTE_PER_LCORE(_lcore_id);
}

/** @return the id of the main lcore. */
unsigned int rte_get_main_lcore(void);

/** @return the number of enabled lcores. */
unsigned int rte_lcore_count(void);

/**
 * @return the index (0..count-1) of @p lcore_id among enabled lcores,
 *   -1 if it is not enabled. -1 as input means the calling lcore.
 */
int rte_lcore_index(int lcore_id);

/** @return the NUMA socket of the calling thread (SOCKET_ID_ANY if unknown). */
unsigned int rte_socket_id(void);

/** @return the number of distinct NUMA sockets of the detected CPUs. */
unsigned int rte_socket_count(void);

/**
 * @return the socket id of the @p idx-th socket (ascending), or -1 with
 *   rte_errno EINVAL if @p idx >= rte_socket_count().
 */
int rte_socket_id_by_idx(unsigned int idx);

/** @return the NUMA socket of lcore @p lcore_id. */
unsigned int rte_lcore_to_socket_id(unsigned int lcore_id);

/** @return the first CPU of lcore @p lcore_id, or -1. */
int rte_lcore_to_cpu_id(int lcore_id);

/** @return the CPU set of lcore @p lcore_id. */
rte_cpuset_t rte_lcore_cpuset(unsigned int lcore_id);

/** @return 1 if @p lcore_id is an enabled EAL lcore. */
int rte_lcore_is_enabled(unsigned int lcore_id);

/**
 * @return the next enabled lcore after @p i (skipping the main lcore if
 *   @p skip_main; wrapping to the start if @p wrap), or RTE_MAX_LCORE.
 */
unsigned int rte_get_next_lcore(unsigned int i, int skip_main, int wrap);

/** Iterate over every enabled lcore. */
#define RTE_LCORE_FOREACH(i) \
	for (i = rte_get_next_lcore(-1, 0, 0); i < RTE_MAX_LCORE; \
	     i = rte_get_next_lcore(i, 0, 0))

/** Iterate over every enabled lcore except the main one. */
#define RTE_LCORE_FOREACH_WORKER(i) \
	for (i = rte_get_next_lcore(-1, 1, 0); i < RTE_MAX_LCORE; \
	     i = rte_get_next_lcore(i, 1, 0))

/** Callback run on every lcore iterated by rte_lcore_iterate(). */
typedef int (*rte_lcore_iterate_cb)(unsigned int lcore_id, void *arg);

/**
 * Call @p cb for each lcore in use (EAL lcores and registered non-EAL
 * threads) until it returns non-zero.
 *
 * @return the last value returned by @p cb.
 */
int rte_lcore_iterate(rte_lcore_iterate_cb cb, void *arg);

/** Print every lcore, its role, CPU set and socket. */
void rte_lcore_dump(FILE *f);

/** Called for an lcore that appears; non-zero refuses it. */
typedef int (*rte_lcore_init_cb)(unsigned int lcore_id, void *arg);

/** Called for an lcore that goes away. */
typedef void (*rte_lcore_uninit_cb)(unsigned int lcore_id, void *arg);

/**
 * Run @p init for every existing lcore (EAL lcores and registered non-EAL
 * threads) now, and for every lcore registered later; @p uninit when one
 * goes away or at unregistration. Either may be NULL.
 *
 * @return a handle for rte_lcore_callback_unregister(), or NULL if @p init
 *   refused an existing lcore (those already initialised get @p uninit)
 *   or on allocation failure (rte_errno ENOMEM).
 */
void *rte_lcore_callback_register(const char *name, rte_lcore_init_cb init,
		rte_lcore_uninit_cb uninit, void *arg);

/** Run the uninit callback for every existing lcore, then forget @p handle. */
void rte_lcore_callback_unregister(void *handle);

/**
 * Give the calling non-EAL thread an lcore id (role ROLE_NON_EAL) after
 * rte_eal_init(); the registered init callbacks run for it. Not with
 * multi-process: the first call disables secondaries (rte_mp_disable()).
 *
 * @return 0 (also if the thread already has an lcore id), or -1 with
 *   rte_errno EINVAL (before init, or secondaries in use) or ENOMEM (no
 *   lcore id left, or a callback refused it).
 */
int rte_thread_register(void);

/** Give the calling thread's non-EAL lcore id back, running uninit callbacks. */
void rte_thread_unregister(void);

/**
 * Name a thread (visible in ps/top).
 *
 * @return 0 on success, negative on error.
 */
int rte_thread_setname(pthread_t id, const char *name);

/**
 * Read a thread's name.
 *
 * @return 0 on success, negative on error.
 */
int rte_thread_getname(pthread_t id, char *name, size_t len);

/**
 * Create a control thread (unpinned from the data-plane cores, named).
 *
 * @return 0 on success, a positive errno value on error.
 */
int rte_ctrl_thread_create(pthread_t *thread, const char *name,
		const pthread_attr_t *attr, void *(*start_routine)(void *), void *arg);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_LCORE_H_ */
