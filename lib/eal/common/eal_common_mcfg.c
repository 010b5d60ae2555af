/* SPDX-License-Identifier: BSD-3-Clause */

/* Lock API over the shared mem_config, and its version handshake. */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_branch_prediction.h>
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

#define LOCK_SPINS 1024          /* busy spins before yielding */
#define LOCK_YIELD_NS 1000000    /* then yield the CPU for this long */
#define LOCK_SLEEP_NS 50000      /* then sleep in steps of this */
#define LOCK_CHECK_NS 10000000   /* between liveness checks of the holder */

struct lock_wait {
	unsigned int spins;
	uint64_t start;          /* CLOCK_MONOTONIC ns when spinning ended */
	uint64_t next_check;
};

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * One step of waiting: spin, then yield (a holder preempted on this CPU
 * gets it back at once; heap locks are held for microseconds), then sleep
 * (growth holds locks for milliseconds). @return true when it is time to
 * check the holder's liveness; the period is wall time, as a sleep step on
 * a loaded machine lasts much longer than asked.
 */
static bool
lock_wait_step(struct lock_wait *w)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = LOCK_SLEEP_NS };
	uint64_t now;

	if (w->spins < LOCK_SPINS) {
		w->spins++;
		rte_pause();
		return false;
	}
	now = mono_ns();
	if (w->start == 0) {
		w->start = now;
		w->next_check = now + LOCK_CHECK_NS;
	}
	if (now - w->start < LOCK_YIELD_NS)
		sched_yield();
	else
		nanosleep(&ts, NULL);
	if (now < w->next_check)
		return false;
	w->next_check = now + LOCK_CHECK_NS;
	return true;
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

int
eal_proc_slot(void)
{
	return proc_slot();
}

/* The write side is held by dead @p pid: release it for everybody. */
static void
recover_writer(rte_rwlock_t *rw, struct eal_shared_rwlock *l, int32_t pid)
{
	int32_t me = getpid();

	/* owning the side field first keeps two recoverers from both clearing */
	if (!__atomic_compare_exchange_n(&l->writer, &pid, me, false, __ATOMIC_ACQ_REL,
			__ATOMIC_RELAXED))
		return;
	EAL_LOG(WARNING, "Shared lock %p: writer pid %d died holding it, recovered",
		(void *)rw, (int)pid);
	__atomic_fetch_and(&rw->cnt, ~RTE_RWLOCK_WRITE, __ATOMIC_RELEASE);
	/* a new writer may already have put its pid here: leave that alone */
	__atomic_compare_exchange_n(&l->writer, &me, 0, false, __ATOMIC_RELEASE,
		__ATOMIC_RELAXED);
}

static void
check_writer(rte_rwlock_t *rw, struct eal_shared_rwlock *l)
{
	int32_t w = __atomic_load_n(&l->writer, __ATOMIC_ACQUIRE);

	if (w != 0 && (__atomic_load_n(&rw->cnt, __ATOMIC_ACQUIRE) & RTE_RWLOCK_WRITE) &&
	    !eal_pid_alive(w))
		recover_writer(rw, l, w);
}

/* Give back the read holds of dead processes. */
static void
check_readers(rte_rwlock_t *rw, struct eal_shared_rwlock *l)
{
	int32_t n, pid;
	int i;

	for (i = 0; i < EAL_MAX_PROCS; i++) {
		n = __atomic_load_n(&l->readers[i], __ATOMIC_ACQUIRE);
		if (n <= 0)
			continue;
		pid = __atomic_load_n(&l->reader_pid[i], __ATOMIC_ACQUIRE);
		/* a negative pid is a live process adopting the slot */
		if (pid < 0 || eal_pid_alive(pid) || !__atomic_compare_exchange_n(&l->readers[i], &n, 0,
				false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			continue;
		__atomic_fetch_sub(&rw->cnt, n * RTE_RWLOCK_READ, __ATOMIC_RELEASE);
		EAL_LOG(WARNING, "Shared lock %p: reader pid %d died holding it %d time(s), "
			"recovered", (void *)rw, (int)pid, (int)n);
	}
}

/*
 * A writer that died while waiting left RTE_RWLOCK_WAIT set, which keeps
 * readers out until some writer comes. A live waiting writer sets the bit
 * again on its next step (eal_shared_rwlock_write_lock()), so clearing it
 * costs a live writer at most one step of priority.
 */
static void
clear_stale_wait(rte_rwlock_t *rw)
{
	int32_t x = __atomic_load_n(&rw->cnt, __ATOMIC_RELAXED);

	if ((x & RTE_RWLOCK_WAIT) && !(x & RTE_RWLOCK_WRITE))
		__atomic_fetch_and(&rw->cnt, ~RTE_RWLOCK_WAIT, __ATOMIC_RELAXED);
}

/*
 * Make readers[@p s] of @p l count this process's holds. The slot was ours
 * to claim, so a previous owner is gone: read holds it left are given back.
 * One thread adopts (pid -me meanwhile), the others wait for it.
 */
static void
adopt_slot(rte_rwlock_t *rw, struct eal_shared_rwlock *l, int s)
{
	int32_t me = getpid(), old = __atomic_load_n(&l->reader_pid[s], __ATOMIC_ACQUIRE);
	int32_t n;

	if (likely(old == me))
		return;
	if (old == -me || !__atomic_compare_exchange_n(&l->reader_pid[s], &old, -me, false,
			__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&l->reader_pid[s], __ATOMIC_ACQUIRE) != me)
			rte_pause();
		return;
	}
	n = __atomic_exchange_n(&l->readers[s], 0, __ATOMIC_ACQ_REL);
	if (n > 0) {
		__atomic_fetch_sub(&rw->cnt, n * RTE_RWLOCK_READ, __ATOMIC_RELEASE);
		EAL_LOG(WARNING, "Shared lock %p: reader pid %d died holding it %d time(s), "
			"recovered", (void *)rw, (int)old, (int)n);
	}
	__atomic_store_n(&l->reader_pid[s], me, __ATOMIC_RELEASE);
}

void
eal_shared_rwlock_read_lock(rte_rwlock_t *rw, struct eal_shared_rwlock *l)
{
	struct lock_wait w = { 0, 0, 0 };
	int s = proc_slot();

	adopt_slot(rw, l, s);

	/*
	 * This process already reads: a nested read lock must not queue
	 * behind a waiting writer (that writer waits for us). Only a writer
	 * that actually holds the lock stops it.
	 */
	if (__atomic_load_n(&l->readers[s], __ATOMIC_ACQUIRE) > 0) {
		if (!(__atomic_add_fetch(&rw->cnt, RTE_RWLOCK_READ, __ATOMIC_ACQUIRE) &
				RTE_RWLOCK_WRITE))
			goto got_it;
		__atomic_fetch_sub(&rw->cnt, RTE_RWLOCK_READ, __ATOMIC_RELAXED);
	}
	while (rte_rwlock_read_trylock(rw) != 0) {
		if (!lock_wait_step(&w))
			continue;
		check_writer(rw, l);
		clear_stale_wait(rw);
	}
got_it:
	__atomic_add_fetch(&l->readers[s], 1, __ATOMIC_RELEASE);
}

void
eal_shared_rwlock_read_unlock(rte_rwlock_t *rw, struct eal_shared_rwlock *l)
{
	int s = proc_slot();
	int32_t n = __atomic_load_n(&l->readers[s], __ATOMIC_RELAXED);

	/* a hold taken with rte_rwlock_read_lock() has no count here */
	while (n > 0 && !__atomic_compare_exchange_n(&l->readers[s], &n, n - 1, false,
			__ATOMIC_RELEASE, __ATOMIC_RELAXED))
		;
	rte_rwlock_read_unlock(rw);
}

void
eal_shared_rwlock_write_lock(rte_rwlock_t *rw, struct eal_shared_rwlock *l)
{
	struct lock_wait w = { 0, 0, 0 };

	for (;;) {
		if (rte_rwlock_write_trylock(rw) == 0)
			break;
		/* keep new readers out, as rte_rwlock_write_lock() does */
		__atomic_fetch_or(&rw->cnt, RTE_RWLOCK_WAIT, __ATOMIC_RELAXED);
		if (!lock_wait_step(&w))
			continue;
		check_writer(rw, l);
		check_readers(rw, l);
	}
	__atomic_fetch_and(&rw->cnt, ~RTE_RWLOCK_WAIT, __ATOMIC_RELAXED);
	__atomic_store_n(&l->writer, getpid(), __ATOMIC_RELEASE);
}

void
eal_shared_rwlock_write_unlock(rte_rwlock_t *rw, struct eal_shared_rwlock *l)
{
	int32_t me = getpid();

	/*
	 * Not ours (any more): a holder that was recovered as dead, or whose
	 * lock the primary holds for it, must not release it for the new owner.
	 */
	if (!__atomic_compare_exchange_n(&l->writer, &me, 0, false, __ATOMIC_RELEASE,
			__ATOMIC_RELAXED)) {
		EAL_LOG(WARNING, "Shared lock %p: write unlock by pid %d, held by pid %d: "
			"left alone", (void *)rw, (int)getpid(), (int)me);
		return;
	}
	rte_rwlock_write_unlock(rw);
}

int
eal_shared_rwlock_hand_over(rte_rwlock_t *rw, struct eal_shared_rwlock *l, int32_t from,
		int32_t to)
{
	if (!__atomic_compare_exchange_n(&l->writer, &from, to, false, __ATOMIC_ACQ_REL,
			__ATOMIC_RELAXED))
		return -1;
	if (to == 0)
		rte_rwlock_write_unlock(rw);
	return 0;
}

bool
eal_shared_spinlock_lock(rte_spinlock_t *sl)
{
	struct lock_wait w = { 0, 0, 0 };
	int me = getpid(), cur;

	for (;;) {
		cur = 0;
		if (__atomic_compare_exchange_n(&sl->locked, &cur, me, false, __ATOMIC_ACQUIRE,
				__ATOMIC_RELAXED))
			return false;
		/* 1 is a plain rte_spinlock_lock() holder: its pid is unknown */
		if (!lock_wait_step(&w) || cur == 1 || cur == me || eal_pid_alive(cur))
			continue;
		if (__atomic_compare_exchange_n(&sl->locked, &cur, me, false, __ATOMIC_ACQUIRE,
				__ATOMIC_RELAXED)) {
			EAL_LOG(WARNING, "Shared lock %p: owner pid %d died holding it, recovered",
				(void *)sl, cur);
			return true;
		}
	}
}

void
eal_shared_spinlock_unlock(rte_spinlock_t *sl)
{
	int me = getpid();

	/* see eal_shared_rwlock_write_unlock() */
	if (!__atomic_compare_exchange_n(&sl->locked, &me, 0, false, __ATOMIC_RELEASE,
			__ATOMIC_RELAXED))
		EAL_LOG(WARNING, "Shared lock %p: unlock by pid %d, held by pid %d: left alone",
			(void *)sl, (int)getpid(), me);
}

int
eal_shared_spinlock_hand_over(rte_spinlock_t *sl, int32_t from, int32_t to)
{
	int f = from;

	return __atomic_compare_exchange_n(&sl->locked, &f, (int)to, false, __ATOMIC_ACQ_REL,
		__ATOMIC_RELAXED) ? 0 : -1;
}

void
eal_memzone_read_lock(void)
{
	eal_shared_rwlock_read_lock(&eal_get_mcfg()->mlock, &eal_get_mcfg()->memzone_owners);
}

void
eal_memzone_read_unlock(void)
{
	eal_shared_rwlock_read_unlock(&eal_get_mcfg()->mlock, &eal_get_mcfg()->memzone_owners);
}

void
eal_memzone_write_lock(void)
{
	eal_shared_rwlock_write_lock(&eal_get_mcfg()->mlock, &eal_get_mcfg()->memzone_owners);
}

void
eal_memzone_write_unlock(void)
{
	eal_shared_rwlock_write_unlock(&eal_get_mcfg()->mlock, &eal_get_mcfg()->memzone_owners);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mem_read_lock)
void
rte_mcfg_mem_read_lock(void)
{
	eal_shared_rwlock_read_lock(&eal_get_mcfg()->memory_hotplug_lock, &eal_get_mcfg()->hotplug_owners);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mem_read_unlock)
void
rte_mcfg_mem_read_unlock(void)
{
	eal_shared_rwlock_read_unlock(&eal_get_mcfg()->memory_hotplug_lock, &eal_get_mcfg()->hotplug_owners);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mem_write_lock)
void
rte_mcfg_mem_write_lock(void)
{
	eal_shared_rwlock_write_lock(&eal_get_mcfg()->memory_hotplug_lock, &eal_get_mcfg()->hotplug_owners);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mem_write_unlock)
void
rte_mcfg_mem_write_unlock(void)
{
	eal_shared_rwlock_write_unlock(&eal_get_mcfg()->memory_hotplug_lock, &eal_get_mcfg()->hotplug_owners);
}

RTE_EXPORT_SYMBOL(rte_mcfg_tailq_read_lock)
void
rte_mcfg_tailq_read_lock(void)
{
	eal_shared_rwlock_read_lock(&eal_get_mcfg()->qlock, &eal_get_mcfg()->tailq_owners);
}

RTE_EXPORT_SYMBOL(rte_mcfg_tailq_read_unlock)
void
rte_mcfg_tailq_read_unlock(void)
{
	eal_shared_rwlock_read_unlock(&eal_get_mcfg()->qlock, &eal_get_mcfg()->tailq_owners);
}

RTE_EXPORT_SYMBOL(rte_mcfg_tailq_write_lock)
void
rte_mcfg_tailq_write_lock(void)
{
	eal_shared_rwlock_write_lock(&eal_get_mcfg()->qlock, &eal_get_mcfg()->tailq_owners);
}

RTE_EXPORT_SYMBOL(rte_mcfg_tailq_write_unlock)
void
rte_mcfg_tailq_write_unlock(void)
{
	eal_shared_rwlock_write_unlock(&eal_get_mcfg()->qlock, &eal_get_mcfg()->tailq_owners);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mempool_read_lock)
void
rte_mcfg_mempool_read_lock(void)
{
	eal_shared_rwlock_read_lock(&eal_get_mcfg()->mplock, &eal_get_mcfg()->mempool_owners);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mempool_read_unlock)
void
rte_mcfg_mempool_read_unlock(void)
{
	eal_shared_rwlock_read_unlock(&eal_get_mcfg()->mplock, &eal_get_mcfg()->mempool_owners);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mempool_write_lock)
void
rte_mcfg_mempool_write_lock(void)
{
	eal_shared_rwlock_write_lock(&eal_get_mcfg()->mplock, &eal_get_mcfg()->mempool_owners);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mempool_write_unlock)
void
rte_mcfg_mempool_write_unlock(void)
{
	eal_shared_rwlock_write_unlock(&eal_get_mcfg()->mplock, &eal_get_mcfg()->mempool_owners);
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
