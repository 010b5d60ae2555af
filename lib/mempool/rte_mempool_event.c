/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Mempool life-cycle callbacks (READY when a pool is fully populated,
 * DESTROY before it is torn down). Registration is per process, like the
 * drivers that use it. Callbacks run without the list lock held, on a
 * snapshot of the list, so that a callback may register new callbacks
 * (not called for the event in progress) or unregister itself.
 */

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/queue.h>

#include <rte_errno.h>

#include "eal_export.h"
#include "mempool_private.h"

struct event_cb {
	TAILQ_ENTRY(event_cb) next;
	rte_mempool_event_callback *func;
	void *user_data;
};

static TAILQ_HEAD(, event_cb) event_cbs = TAILQ_HEAD_INITIALIZER(event_cbs);
/* protects event_cbs and n_event_cbs */
static pthread_mutex_t event_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int n_event_cbs;

static struct event_cb *
find_cb(rte_mempool_event_callback *func, void *user_data)
{
	struct event_cb *cb;

	TAILQ_FOREACH(cb, &event_cbs, next)
		if (cb->func == func && cb->user_data == user_data)
			return cb;
	return NULL;
}

RTE_EXPORT_SYMBOL(rte_mempool_event_callback_register)
int
rte_mempool_event_callback_register(rte_mempool_event_callback *func,
		void *user_data)
{
	struct event_cb *cb;

	if (func == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	pthread_mutex_lock(&event_lock);
	if (find_cb(func, user_data) != NULL) {
		pthread_mutex_unlock(&event_lock);
		rte_errno = EEXIST;
		return -EEXIST;
	}
	cb = malloc(sizeof(*cb));
	if (cb == NULL) {
		pthread_mutex_unlock(&event_lock);
		MEMPOOL_LOG(ERR, "no memory for a mempool event callback");
		rte_errno = ENOMEM;
		return -ENOMEM;
	}
	cb->func = func;
	cb->user_data = user_data;
	TAILQ_INSERT_TAIL(&event_cbs, cb, next);
	n_event_cbs++;
	pthread_mutex_unlock(&event_lock);
	return 0;
}

RTE_EXPORT_SYMBOL(rte_mempool_event_callback_unregister)
int
rte_mempool_event_callback_unregister(rte_mempool_event_callback *func,
		void *user_data)
{
	struct event_cb *cb;

	pthread_mutex_lock(&event_lock);
	cb = find_cb(func, user_data);
	if (cb != NULL) {
		TAILQ_REMOVE(&event_cbs, cb, next);
		n_event_cbs--;
	}
	pthread_mutex_unlock(&event_lock);
	if (cb == NULL) {
		rte_errno = ENOENT;
		return -ENOENT;
	}
	free(cb);
	return 0;
}

void
mempool_event_invoke(enum rte_mempool_event event, struct rte_mempool *mp)
{
	struct event_cb *cb, *snap;
	unsigned int n = 0, i;

	pthread_mutex_lock(&event_lock);
	snap = n_event_cbs != 0 ? malloc(sizeof(*snap) * n_event_cbs) : NULL;
	if (snap != NULL)
		TAILQ_FOREACH(cb, &event_cbs, next)
			snap[n++] = *cb;
	else if (n_event_cbs != 0)
		MEMPOOL_LOG(ERR, "no memory to run mempool event callbacks for %s", mp->name);
	pthread_mutex_unlock(&event_lock);
	for (i = 0; i < n; i++)
		snap[i].func(event, mp, snap[i].user_data);
	free(snap);
}
