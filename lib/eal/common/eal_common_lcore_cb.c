/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Non-EAL threads as lcores (rte_thread_register()) and the callbacks an
 * application wants run whenever an lcore appears or goes away
 * (rte_lcore_callback_register()), both from DPDK 22.11's rte_lcore.h.
 *
 * One mutex serialises registrations of threads and of callbacks, so a
 * callback sees each lcore exactly once: either when it is registered
 * (for the lcores that exist then) or when the lcore appears.
 */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_memory.h>

#include "eal_export.h"
#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_private.h"

struct lcore_callback {
	TAILQ_ENTRY(lcore_callback) next;
	char *name;
	rte_lcore_init_cb init;
	rte_lcore_uninit_cb uninit;
	void *arg;
};

static TAILQ_HEAD(, lcore_callback) callbacks = TAILQ_HEAD_INITIALIZER(callbacks);
static pthread_mutex_t lcore_lock = PTHREAD_MUTEX_INITIALIZER;

/* the lcores callbacks are about: every role but OFF */
static bool
lcore_exists(unsigned int lcore_id)
{
	return rte_eal_lcore_role(lcore_id) != ROLE_OFF;
}

static int
run_init(const struct lcore_callback *cb, unsigned int lcore_id)
{
	if (cb->init == NULL)
		return 0;
	if (cb->init(lcore_id, cb->arg) == 0)
		return 0;
	EAL_LOG(DEBUG, "lcore callback '%s' refused lcore %u", cb->name, lcore_id);
	return -1;
}

static void
run_uninit(const struct lcore_callback *cb, unsigned int lcore_id)
{
	if (cb->uninit != NULL)
		cb->uninit(lcore_id, cb->arg);
}

static void
free_callback(struct lcore_callback *cb)
{
	free(cb->name);
	free(cb);
}

RTE_EXPORT_SYMBOL(rte_lcore_callback_register)
void *
rte_lcore_callback_register(const char *name, rte_lcore_init_cb init,
		rte_lcore_uninit_cb uninit, void *arg)
{
	struct lcore_callback *cb;
	unsigned int lcore_id, done;

	if (name == NULL) {
		EAL_LOG_ERRNO(ERR, EINVAL, "lcore callback needs a name");
		return NULL;
	}
	cb = calloc(1, sizeof(*cb));
	if (cb == NULL || (cb->name = strdup(name)) == NULL) {
		free(cb);
		EAL_LOG_ERRNO(ERR, ENOMEM, "Cannot allocate lcore callback '%s'", name);
		return NULL;
	}
	cb->init = init;
	cb->uninit = uninit;
	cb->arg = arg;
	pthread_mutex_lock(&lcore_lock);
	for (lcore_id = 0; lcore_id < RTE_MAX_LCORE; lcore_id++) {
		if (lcore_exists(lcore_id) && run_init(cb, lcore_id) != 0)
			goto err_rollback;
	}
	TAILQ_INSERT_TAIL(&callbacks, cb, next);
	pthread_mutex_unlock(&lcore_lock);
	return cb;
err_rollback:
	for (done = 0; done < lcore_id; done++)
		if (lcore_exists(done))
			run_uninit(cb, done);
	pthread_mutex_unlock(&lcore_lock);
	free_callback(cb);
	return NULL;
}

RTE_EXPORT_SYMBOL(rte_lcore_callback_unregister)
void
rte_lcore_callback_unregister(void *handle)
{
	struct lcore_callback *cb = handle, *it;
	unsigned int lcore_id;

	if (cb == NULL)
		return;
	pthread_mutex_lock(&lcore_lock);
	TAILQ_FOREACH(it, &callbacks, next)
		if (it == cb)
			break;
	if (it == NULL) {
		pthread_mutex_unlock(&lcore_lock);
		EAL_LOG(ERR, "Unknown lcore callback handle %p", handle);
		return;
	}
	for (lcore_id = 0; lcore_id < RTE_MAX_LCORE; lcore_id++)
		if (lcore_exists(lcore_id))
			run_uninit(cb, lcore_id);
	TAILQ_REMOVE(&callbacks, cb, next);
	pthread_mutex_unlock(&lcore_lock);
	free_callback(cb);
}

/* lock held: give lcore @p lcore_id back */
static void
release_lcore(unsigned int lcore_id)
{
	struct rte_config *config = rte_eal_get_configuration();

	config->lcore_role[lcore_id] = ROLE_OFF;
	lcore_config[lcore_id].core_role = ROLE_OFF;
	config->lcore_count--;
}

/* lock held: @return a fresh ROLE_NON_EAL lcore id, or RTE_MAX_LCORE */
static unsigned int
allocate_lcore(const rte_cpuset_t *cpus)
{
	struct rte_config *config = rte_eal_get_configuration();
	struct lcore_callback *cb, *undo;
	unsigned int lcore_id;

	for (lcore_id = 0; lcore_id < RTE_MAX_LCORE; lcore_id++)
		if (config->lcore_role[lcore_id] == ROLE_OFF)
			break;
	if (lcore_id == RTE_MAX_LCORE)
		return RTE_MAX_LCORE;
	config->lcore_role[lcore_id] = ROLE_NON_EAL;
	lcore_config[lcore_id].core_role = ROLE_NON_EAL;
	/* not an EAL lcore: counted, but without an index (as in 22.11) */
	lcore_config[lcore_id].core_index = -1;
	config->lcore_count++;
	lcore_config[lcore_id].cpuset = *cpus;
	lcore_config[lcore_id].socket_id = eal_cpuset_socket_id(cpus);
	TAILQ_FOREACH(cb, &callbacks, next) {
		if (run_init(cb, lcore_id) == 0)
			continue;
		TAILQ_FOREACH(undo, &callbacks, next) {
			if (undo == cb)
				break;
			run_uninit(undo, lcore_id);
		}
		release_lcore(lcore_id);
		return RTE_MAX_LCORE;
	}
	return lcore_id;
}

RTE_EXPORT_SYMBOL(rte_thread_register)
int
rte_thread_register(void)
{
	rte_cpuset_t cpus;
	unsigned int lcore_id;

	if (rte_lcore_id() != LCORE_ID_ANY)
		return 0;
	/* init gives the lcore ids out; before it, there is nothing to join */
	if (!eal_get_internal_configuration()->init_complete) {
		EAL_LOG_ERRNO(DEBUG, EINVAL, "rte_thread_register() before rte_eal_init()");
		return -1;
	}
	/* an lcore id of a non-EAL thread means nothing to other processes */
	if (!rte_mp_disable()) {
		EAL_LOG_ERRNO(ERR, EINVAL,
			"Multi-process is in use: non-EAL threads cannot be registered");
		return -1;
	}
	if (pthread_getaffinity_np(pthread_self(), sizeof(cpus), &cpus) != 0)
		CPU_ZERO(&cpus);
	pthread_mutex_lock(&lcore_lock);
	lcore_id = allocate_lcore(&cpus);
	pthread_mutex_unlock(&lcore_lock);
	if (lcore_id == RTE_MAX_LCORE) {
		EAL_LOG_ERRNO(ERR, ENOMEM, "No lcore id left for a non-EAL thread");
		return -1;
	}
	RTE_PER_LCORE(_lcore_id) = lcore_id;
	RTE_PER_LCORE(_cpuset) = cpus;
	EAL_LOG(DEBUG, "Registered non-EAL thread as lcore %u", lcore_id);
	return 0;
}

RTE_EXPORT_SYMBOL(rte_thread_unregister)
void
rte_thread_unregister(void)
{
	unsigned int lcore_id = rte_lcore_id();
	struct lcore_callback *cb;

	if (lcore_id == LCORE_ID_ANY || rte_eal_lcore_role(lcore_id) != ROLE_NON_EAL)
		return;
	pthread_mutex_lock(&lcore_lock);
	TAILQ_FOREACH(cb, &callbacks, next)
		run_uninit(cb, lcore_id);
	release_lcore(lcore_id);
	pthread_mutex_unlock(&lcore_lock);
	RTE_PER_LCORE(_lcore_id) = LCORE_ID_ANY;
	EAL_LOG(DEBUG, "Unregistered non-EAL thread, lcore %u is free", lcore_id);
}
