/* SPDX-License-Identifier: BSD-3-Clause */

/* Lock API over the shared mem_config, and its version handshake. */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

/*
 * Robust shared locks. Waiters spin briefly, then sleep in short steps; from
 * time to time they check that the holder is still alive. A pid is only
 * trusted while the process exists and is not a zombie (an unreaped child
 * killed while holding a lock must not wedge its own parent).
 */

#define LOCK_SPINS 1024          /* busy spins before sleeping */
#define LOCK_SLEEP_NS 50000      /* one sleep step */
#define LOCK_CHECK_EVERY 200     /* sleep steps between liveness checks (~10 ms) */

struct lock_wait {
	unsigned int spins;
	unsigned int sleeps;
};

/* @return true when it is time to check the holder's liveness. */
static bool
lock_wait_step(struct lock_wait *w)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = LOCK_SLEEP_NS };

	if (w->spins < LOCK_SPINS) {
		w->spins++;
		rte_pause();
		return false;
	}
	nanosleep(&ts, NULL);
	return ++w->sleeps % LOCK_CHECK_EVERY == 0;
}

bool
eal_pid_alive(int32_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	if (pid <= 0)
		return false;
	if (pid == getpid())
		return true;
	if (kill(pid, 0) != 0 && errno == ESRCH)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno != ENOENT;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = '\0';
	/* "pid (comm) S ...": the state follows the last ')' */
	p = strrchr(buf, ')');
	return p == NULL || p[1] == '\0' || (p[2] != 'Z' && p[2] != 'X');
}

static int32_t slot_pid;
static int slot = -1;
static pthread_mutex_t slot_mutex = PTHREAD_MUTEX_INITIALIZER;

/* Find or claim a reader slot for this process (slot_mutex held). */
static void
claim_proc_slot(void)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	int32_t me = getpid(), cur;
	int i, pass;

	if (slot >= 0 && slot_pid == me)
		return;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < EAL_MAX_PROCS; i++) {
			cur = __atomic_load_n(&mcfg->proc_slot_pid[i], __ATOMIC_ACQUIRE);
			if (cur == me)
				goto found;
			if (pass == 0 && cur != 0)
				continue;
			if (cur != 0 && eal_pid_alive(cur))
				continue;
			if (__atomic_compare_exchange_n(&mcfg->proc_slot_pid[i], &cur, me, false,
					__ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
				goto claimed;
		}
	}
	EAL_LOG(CRIT, "More than %d processes share the config: shared locks may not "
		"recover from a crash of this one", EAL_MAX_PROCS);
	slot = EAL_MAX_PROCS - 1;
	slot_pid = me;
	return;
claimed:
	/* a dead previous owner's read holds die with it */
	__atomic_store_n(&mcfg->hotplug_rwlock.readers[i], 0, __ATOMIC_RELEASE);
	__atomic_store_n(&mcfg->tailq_rwlock.readers[i], 0, __ATOMIC_RELEASE);
	__atomic_store_n(&mcfg->mempool_rwlock.readers[i], 0, __ATOMIC_RELEASE);
found:
	slot = i;
	__atomic_store_n(&slot_pid, me, __ATOMIC_RELEASE);
}

/* This process's reader slot, claimed on first use (and again after fork). */
static int
proc_slot(void)
{
	if (__atomic_load_n(&slot_pid, __ATOMIC_ACQUIRE) != getpid()) {
		pthread_mutex_lock(&slot_mutex);
		claim_proc_slot();
		pthread_mutex_unlock(&slot_mutex);
	}
	return slot;
}

/* The writer @p dead died: take the write side over and release it. */
static void
recover_writer(struct eal_shared_rwlock *l, int32_t dead)
{
	int32_t me = getpid();

	if (!__atomic_compare_exchange_n(&l->writer, &dead, me, false, __ATOMIC_ACQ_REL,
			__ATOMIC_RELAXED))
		return;
	EAL_LOG(WARNING, "Shared lock %p: writer pid %d died holding it, recovered", (void *)l,
		(int)dead);
	__atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&l->writer, 0, __ATOMIC_RELEASE);
}

static void
check_writer(struct eal_shared_rwlock *l)
{
	int32_t w = __atomic_load_n(&l->writer, __ATOMIC_ACQUIRE);

	if (w != 0 && !eal_pid_alive(w))
		recover_writer(l, w);
}

void
eal_shared_rwlock_read_lock(struct eal_shared_rwlock *l)
{
	int s = proc_slot();
	struct lock_wait w = { 0, 0 };

	for (;;) {
		__atomic_add_fetch(&l->readers[s], 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&l->held, __ATOMIC_SEQ_CST) == 0)
			return;
		__atomic_sub_fetch(&l->readers[s], 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&l->held, __ATOMIC_ACQUIRE) != 0)
			if (lock_wait_step(&w))
				check_writer(l);
	}
}

void
eal_shared_rwlock_read_unlock(struct eal_shared_rwlock *l)
{
	__atomic_sub_fetch(&l->readers[proc_slot()], 1, __ATOMIC_RELEASE);
}

/* @return true if no process holds a read lock; drops dead readers' holds. */
static bool
readers_drained(struct eal_shared_rwlock *l, bool check_dead)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	bool drained = true;
	int32_t n, pid;
	int i;

	for (i = 0; i < EAL_MAX_PROCS; i++) {
		n = __atomic_load_n(&l->readers[i], __ATOMIC_SEQ_CST);
		if (n == 0)
			continue;
		pid = __atomic_load_n(&mcfg->proc_slot_pid[i], __ATOMIC_ACQUIRE);
		if (check_dead && !eal_pid_alive(pid) &&
		    __atomic_compare_exchange_n(&l->readers[i], &n, 0, false, __ATOMIC_ACQ_REL,
				__ATOMIC_RELAXED)) {
			EAL_LOG(WARNING, "Shared lock %p: reader pid %d died holding it %d time(s), "
				"recovered", (void *)l, (int)pid, (int)n);
			continue;
		}
		drained = false;
	}
	return drained;
}

void
eal_shared_rwlock_write_lock(struct eal_shared_rwlock *l)
{
	struct lock_wait w = { 0, 0 };
	int32_t me = getpid(), cur;
	bool check;

	for (;;) {
		cur = 0;
		if (__atomic_compare_exchange_n(&l->writer, &cur, me, false, __ATOMIC_ACQUIRE,
				__ATOMIC_RELAXED))
			break;
		if (lock_wait_step(&w) && cur != me && !eal_pid_alive(cur))
			recover_writer(l, cur);
	}
	w = (struct lock_wait){ 0, 0 };
	check = false;
	for (;;) {
		__atomic_store_n(&l->held, 1, __ATOMIC_SEQ_CST);
		if (readers_drained(l, check))
			return;
		/* let readers that raced with us finish, and never starve them */
		__atomic_store_n(&l->held, 0, __ATOMIC_SEQ_CST);
		check = lock_wait_step(&w);
	}
}

void
eal_shared_rwlock_write_unlock(struct eal_shared_rwlock *l)
{
	__atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&l->writer, 0, __ATOMIC_RELEASE);
}

int
eal_shared_rwlock_write_is_mine(const struct eal_shared_rwlock *l)
{
	return __atomic_load_n(&l->writer, __ATOMIC_ACQUIRE) == getpid() &&
		__atomic_load_n(&l->held, __ATOMIC_ACQUIRE) != 0;
}

int
eal_shared_rwlock_hand_over(struct eal_shared_rwlock *l, int32_t from, int32_t to)
{
	if (to == 0)
		__atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
	return __atomic_compare_exchange_n(&l->writer, &from, to, false, __ATOMIC_ACQ_REL,
		__ATOMIC_RELAXED) ? 0 : -1;
}

void
eal_shared_spinlock_lock(rte_spinlock_t *sl)
{
	struct lock_wait w = { 0, 0 };
	int me = getpid(), cur;

	for (;;) {
		cur = 0;
		if (__atomic_compare_exchange_n(&sl->locked, &cur, me, false, __ATOMIC_ACQUIRE,
				__ATOMIC_RELAXED))
			return;
		/* 1 is a plain rte_spinlock_lock() holder: its pid is unknown */
		if (!lock_wait_step(&w) || cur == 1 || cur == me || eal_pid_alive(cur))
			continue;
		if (__atomic_compare_exchange_n(&sl->locked, &cur, me, false, __ATOMIC_ACQUIRE,
				__ATOMIC_RELAXED)) {
			EAL_LOG(WARNING, "Shared lock %p: owner pid %d died holding it, recovered "
				"(the data it protects may be inconsistent)", (void *)sl, cur);
			return;
		}
	}
}

void
eal_shared_spinlock_unlock(rte_spinlock_t *sl)
{
	__atomic_store_n(&sl->locked, 0, __ATOMIC_RELEASE);
}

int
eal_shared_spinlock_hand_over(rte_spinlock_t *sl, int32_t from, int32_t to)
{
	int f = from;

	return __atomic_compare_exchange_n(&sl->locked, &f, (int)to, false, __ATOMIC_ACQ_REL,
		__ATOMIC_RELAXED) ? 0 : -1;
}

RTE_EXPORT_SYMBOL(rte_mcfg_mem_read_lock)
void
rte_mcfg_mem_read_lock(void)
{
	eal_shared_rwlock_read_lock(&eal_get_mcfg()->hotplug_rwlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mem_read_unlock)
void
rte_mcfg_mem_read_unlock(void)
{
	eal_shared_rwlock_read_unlock(&eal_get_mcfg()->hotplug_rwlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mem_write_lock)
void
rte_mcfg_mem_write_lock(void)
{
	eal_shared_rwlock_write_lock(&eal_get_mcfg()->hotplug_rwlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mem_write_unlock)
void
rte_mcfg_mem_write_unlock(void)
{
	eal_shared_rwlock_write_unlock(&eal_get_mcfg()->hotplug_rwlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_tailq_read_lock)
void
rte_mcfg_tailq_read_lock(void)
{
	eal_shared_rwlock_read_lock(&eal_get_mcfg()->tailq_rwlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_tailq_read_unlock)
void
rte_mcfg_tailq_read_unlock(void)
{
	eal_shared_rwlock_read_unlock(&eal_get_mcfg()->tailq_rwlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_tailq_write_lock)
void
rte_mcfg_tailq_write_lock(void)
{
	eal_shared_rwlock_write_lock(&eal_get_mcfg()->tailq_rwlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_tailq_write_unlock)
void
rte_mcfg_tailq_write_unlock(void)
{
	eal_shared_rwlock_write_unlock(&eal_get_mcfg()->tailq_rwlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mempool_read_lock)
void
rte_mcfg_mempool_read_lock(void)
{
	eal_shared_rwlock_read_lock(&eal_get_mcfg()->mempool_rwlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mempool_read_unlock)
void
rte_mcfg_mempool_read_unlock(void)
{
	eal_shared_rwlock_read_unlock(&eal_get_mcfg()->mempool_rwlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mempool_write_lock)
void
rte_mcfg_mempool_write_lock(void)
{
	eal_shared_rwlock_write_lock(&eal_get_mcfg()->mempool_rwlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mempool_write_unlock)
void
rte_mcfg_mempool_write_unlock(void)
{
	eal_shared_rwlock_write_unlock(&eal_get_mcfg()->mempool_rwlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_timer_lock)
void
rte_mcfg_timer_lock(void)
{
	eal_shared_spinlock_lock(&eal_get_mcfg()->tlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_timer_unlock)
void
rte_mcfg_timer_unlock(void)
{
	eal_shared_spinlock_unlock(&eal_get_mcfg()->tlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_get_single_file_segments)
bool
rte_mcfg_get_single_file_segments(void)
{
	return eal_get_mcfg()->single_file_segments != 0;
}
