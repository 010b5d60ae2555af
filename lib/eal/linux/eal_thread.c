/* SPDX-License-Identifier: BSD-3-Clause */

/* Worker lcore threads: one pinned pthread per enabled worker lcore. */

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_pause.h>
#include <rte_per_lcore.h>

#include "eal_export.h"
#include "eal_log.h"
#include "eal_private.h"
#include "eal_thread.h"

struct worker_sync {
	sem_t wake;          /* posted by the main lcore */
	bool started;        /* thread exists */
	bool stop;           /* leave the loop */
};

static struct worker_sync workers[RTE_MAX_LCORE];

RTE_EXPORT_SYMBOL(per_lcore__thread_id)
RTE_DEFINE_PER_LCORE(int, _thread_id) = -1;

RTE_EXPORT_SYMBOL(rte_sys_gettid)
int
rte_sys_gettid(void)
{
	return (int)syscall(SYS_gettid);
}

void
eal_thread_wake(unsigned int lcore_id)
{
	sem_post(&workers[lcore_id].wake);
}


int
eal_thread_dump_affinity(rte_cpuset_t *cpuset, char *str, unsigned int size)
{
	unsigned int cpu;
	size_t out = 0;
	int ret;

	str[0] = '\0';
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, cpuset))
			continue;
		ret = snprintf(str + out, size - out, "%s%u", out == 0 ? "" : ",", cpu);
		if (ret < 0 || (size_t)ret >= size - out)
			return -1;
		out += (size_t)ret;
	}
	return 0;
}

int
eal_thread_set_affinity(unsigned int lcore_id)
{
	rte_cpuset_t *cpuset = &lcore_config[lcore_id].cpuset;
	int ret;

	RTE_PER_LCORE(_lcore_id) = lcore_id;
	RTE_PER_LCORE(_cpuset) = *cpuset;
	ret = pthread_setaffinity_np(pthread_self(), sizeof(*cpuset), cpuset);
	if (ret != 0) {
		EAL_LOG(ERR, "Cannot set affinity of lcore %u: %s", lcore_id, strerror(ret));
		return -ret;
	}
	return 0;
}

static void *
worker_loop(void *arg)
{
	unsigned int lcore_id = (unsigned int)(uintptr_t)arg;
	struct lcore_config *lc = &lcore_config[lcore_id];
	struct worker_sync *w = &workers[lcore_id];

	eal_thread_set_affinity(lcore_id);
	for (;;) {
		while (sem_wait(&w->wake) != 0 && errno == EINTR)
			;
		if (__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE))
			break;
		lc->ret = lc->f(lc->arg);
		lc->f = NULL;
		lc->arg = NULL;
		__atomic_store_n(&lc->state, WAIT, __ATOMIC_RELEASE);
	}
	return NULL;
}

int
eal_threads_init(void)
{
	unsigned int lcore_id;
	char name[16];
	int ret;

	RTE_LCORE_FOREACH_WORKER(lcore_id) {
		struct worker_sync *w = &workers[lcore_id];

		lcore_config[lcore_id].state = WAIT;
		w->stop = false;
		if (sem_init(&w->wake, 0, 0) != 0)
			return -errno;
		ret = pthread_create(&lcore_config[lcore_id].thread_id, NULL, worker_loop,
			(void *)(uintptr_t)lcore_id);
		if (ret != 0) {
			EAL_LOG(ERR, "Cannot create thread for lcore %u: %s", lcore_id,
				strerror(ret));
			sem_destroy(&w->wake);
			return -ret;
		}
		w->started = true;
		snprintf(name, sizeof(name), "rte-worker-%u", lcore_id);
		rte_thread_setname(lcore_config[lcore_id].thread_id, name);
	}
	return 0;
}

void
eal_threads_cleanup(void)
{
	unsigned int lcore_id;

	for (lcore_id = 0; lcore_id < RTE_MAX_LCORE; lcore_id++) {
		struct worker_sync *w = &workers[lcore_id];

		if (!w->started)
			continue;
		/* a worker still running user code is waited for, then told to stop */
		while (__atomic_load_n(&lcore_config[lcore_id].state, __ATOMIC_ACQUIRE) == RUNNING)
			rte_pause();
		__atomic_store_n(&w->stop, true, __ATOMIC_RELEASE);
		sem_post(&w->wake);
		pthread_join(lcore_config[lcore_id].thread_id, NULL);
		sem_destroy(&w->wake);
		w->started = false;
	}
}

RTE_EXPORT_SYMBOL(rte_thread_setname)
int
rte_thread_setname(pthread_t id, const char *name)
{
	char truncated[16];

	snprintf(truncated, sizeof(truncated), "%s", name);
	return -pthread_setname_np(id, truncated);
}

RTE_EXPORT_SYMBOL(rte_thread_getname)
int
rte_thread_getname(pthread_t id, char *name, size_t len)
{
	return -pthread_getname_np(id, name, len);
}

struct ctrl_start {
	void *(*start_routine)(void *);
	void *arg;
};

static void *
ctrl_thread_start(void *arg)
{
	struct ctrl_start cs = *(struct ctrl_start *)arg;

	free(arg);
	return cs.start_routine(cs.arg);
}

RTE_EXPORT_SYMBOL(rte_ctrl_thread_create)
int
rte_ctrl_thread_create(pthread_t *thread, const char *name, const pthread_attr_t *attr,
		void *(*start_routine)(void *), void *arg)
{
	struct ctrl_start *cs = malloc(sizeof(*cs));
	int ret;

	if (cs == NULL)
		return ENOMEM;
	cs->start_routine = start_routine;
	cs->arg = arg;
	ret = pthread_create(thread, attr, ctrl_thread_start, cs);
	if (ret != 0) {
		free(cs);
		return ret;
	}
	rte_thread_setname(*thread, name);
	return 0;
}
