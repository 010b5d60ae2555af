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
	mcfg->primary_pid = getpid();
	mcfg->legacy_mem = cfg->legacy_mem;
	mcfg->single_file_segments = cfg->single_file_segments;
	mcfg->in_memory = cfg->in_memory;
	mcfg->no_huge = cfg->no_hugetlbfs;
}

/* Log why a secondary's @p opt cannot work with the primary's layout. */
static int
refuse_mode(const char *opt, const char *primary_runs)
{
	EAL_LOG(ERR, "%s: the primary runs with %s; a secondary must use the primary's "
		"memory mode", opt, primary_runs);
	return -1;
}

int
eal_mcfg_check_mode(void)
{
	const struct rte_mem_config *mcfg = eal_get_mcfg();
	const struct internal_config *cfg = eal_get_internal_configuration();

	/*
	 * Before eal_mcfg_update_from_internal() these flags come from this
	 * process's own command line only. A secondary that did not ask for a
	 * mode takes the primary's (as 22.11 does); one that asked for a mode
	 * the primary's memory is not laid out for would silently run in
	 * another mode than it was told: refuse it.
	 */
	if (cfg->legacy_mem && !mcfg->legacy_mem)
		return refuse_mode("--legacy-mem", mcfg->no_huge ? "--no-huge memory" :
			"dynamic memory");
	if (cfg->single_file_segments && !mcfg->single_file_segments)
		return refuse_mode("--single-file-segments", mcfg->no_huge ?
			"--no-huge memory" : "one hugepage file per page");
	return 0;
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

uint64_t
eal_mono_ns(void)
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
	now = eal_mono_ns();
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

/*
 * getpid() is a system call (glibc no longer caches it) and the lock paths
 * ask for it several times per lock: keep it, and forget it in a child of
 * fork() (a process that clones itself without fork() is not supported).
 */
static int32_t pid_cache;

static void
pid_cache_forget(void)
{
	__atomic_store_n(&pid_cache, 0, __ATOMIC_RELAXED);
}

RTE_INIT(pid_cache_init)
{
	pthread_atfork(NULL, NULL, pid_cache_forget);
}

static inline int32_t
self_pid(void)
{
	int32_t p = __atomic_load_n(&pid_cache, __ATOMIC_RELAXED);

	if (likely(p != 0))
		return p;
	p = getpid();
	__atomic_store_n(&pid_cache, p, __ATOMIC_RELAXED);
	return p;
}

bool
eal_pid_alive(int32_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	if (pid <= 0)
		return false;
	if (pid == self_pid())
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
	int32_t me = self_pid(), cur;
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
	if (__atomic_load_n(&slot_pid, __ATOMIC_ACQUIRE) != self_pid()) {
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

/* Per-slot read word: (pid << 32) | holds. */
static inline int32_t
rd_pid(uint64_t v)
{
	return (int32_t)(v >> 32);
}

static inline uint32_t
rd_holds(uint64_t v)
{
	return (uint32_t)v;
}

static inline uint64_t
rd_word(int32_t pid, uint32_t holds)
{
	return ((uint64_t)(uint32_t)pid << 32) | holds;
}

/*
 * The write side was claimed by @p pid, now dead: free it for everybody.
 * Only the claimer changes wstate, so owning the claim first makes the
 * reset safe against a second recoverer and a new writer alike.
 */
static void
recover_writer(struct eal_shared_rwlock *l, int32_t pid)
{
	int32_t me = self_pid();

	if (!__atomic_compare_exchange_n(&l->writer, &pid, me, false, __ATOMIC_ACQ_REL,
			__ATOMIC_RELAXED))
		return;
	EAL_LOG(WARNING, "Shared lock %p: writer pid %d died holding it, recovered",
		(void *)l, (int)pid);
	__atomic_store_n(&l->wstate, EAL_RWLOCK_FREE, __ATOMIC_SEQ_CST);
	__atomic_store_n(&l->writer, 0, __ATOMIC_RELEASE);
}

static void
check_writer(struct eal_shared_rwlock *l)
{
	int32_t w = __atomic_load_n(&l->writer, __ATOMIC_ACQUIRE);

	if (w != 0 && !eal_pid_alive(w))
		recover_writer(l, w);
}

/* Give back the read holds of dead processes. */
static void
check_readers(struct eal_shared_rwlock *l)
{
	uint64_t v;
	int i;

	for (i = 0; i < EAL_MAX_PROCS; i++) {
		v = __atomic_load_n(&l->readers[i], __ATOMIC_ACQUIRE);
		if (rd_holds(v) == 0 || eal_pid_alive(rd_pid(v)))
			continue;
		/* the word names the pid: a slot adopted meanwhile fails the exchange */
		if (__atomic_compare_exchange_n(&l->readers[i], &v, rd_word(rd_pid(v), 0), false,
				__ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			EAL_LOG(WARNING, "Shared lock %p: reader pid %d died holding it %u time(s), "
				"recovered", (void *)l, (int)rd_pid(v), rd_holds(v));
	}
}

/* @return true if some slot counts a read hold. */
static bool
readers_present(const struct eal_shared_rwlock *l)
{
	int i;

	for (i = 0; i < EAL_MAX_PROCS; i++)
		if (rd_holds(__atomic_load_n(&l->readers[i], __ATOMIC_SEQ_CST)) != 0)
			return true;
	return false;
}

/*
 * Make slot @p s of @p l count this process's holds. The slot is ours
 * (proc_slot()), so a previous owner is gone: what it left is dropped.
 */
static void
adopt_slot(struct eal_shared_rwlock *l, int s)
{
	int32_t me = self_pid();
	uint64_t v = __atomic_load_n(&l->readers[s], __ATOMIC_ACQUIRE);

	while (rd_pid(v) != me) {
		if (!__atomic_compare_exchange_n(&l->readers[s], &v, rd_word(me, 0), false,
				__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			continue;
		if (rd_holds(v) != 0)
			EAL_LOG(WARNING, "Shared lock %p: reader pid %d died holding it %u "
				"time(s), recovered", (void *)l, (int)rd_pid(v), rd_holds(v));
		return;
	}
}

/*
 * Read holds of this thread, per lock: a thread that already reads must
 * not back off behind a waiting writer (that writer waits for it). A few
 * entries are enough; nesting deeper than that only loses the shortcut.
 */
#define RD_NEST_LOCKS 8
static __thread struct {
	const struct eal_shared_rwlock *lock;
	unsigned int depth;
} rd_nest[RD_NEST_LOCKS];

static unsigned int *
nest_depth(const struct eal_shared_rwlock *l, bool add)
{
	int i, free_i = -1;

	for (i = 0; i < RD_NEST_LOCKS; i++) {
		if (rd_nest[i].lock == l && rd_nest[i].depth > 0)
			return &rd_nest[i].depth;
		if (free_i < 0 && rd_nest[i].depth == 0)
			free_i = i;
	}
	if (!add || free_i < 0)
		return NULL;
	rd_nest[free_i].lock = l;
	return &rd_nest[free_i].depth;
}

void
eal_shared_rwlock_read_lock(struct eal_shared_rwlock *l)
{
	struct lock_wait w = { 0, 0, 0 };
	unsigned int *depth = nest_depth(l, true);
	int s = proc_slot();

	adopt_slot(l, s);
	for (;;) {
		/* count first, then look for a writer; the writer does the reverse */
		__atomic_add_fetch(&l->readers[s], 1, __ATOMIC_SEQ_CST);
		if ((depth != NULL && *depth > 0) ||
		    __atomic_load_n(&l->wstate, __ATOMIC_SEQ_CST) == EAL_RWLOCK_FREE)
			break;
		__atomic_sub_fetch(&l->readers[s], 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&l->wstate, __ATOMIC_ACQUIRE) != EAL_RWLOCK_FREE)
			if (lock_wait_step(&w))
				check_writer(l);
	}
	if (depth != NULL)
		(*depth)++;
}

void
eal_shared_rwlock_read_unlock(struct eal_shared_rwlock *l)
{
	unsigned int *depth = nest_depth(l, false);
	int s = proc_slot();
	uint64_t v = __atomic_load_n(&l->readers[s], __ATOMIC_RELAXED);

	if (depth != NULL)
		(*depth)--;
	if (rd_pid(v) != self_pid() || rd_holds(v) == 0) {
		EAL_LOG(WARNING, "Shared lock %p: read unlock by pid %d, which holds none: "
			"left alone", (void *)l, (int)self_pid());
		return;
	}
	__atomic_sub_fetch(&l->readers[s], 1, __ATOMIC_RELEASE);
}

void
eal_shared_rwlock_write_lock(struct eal_shared_rwlock *l)
{
	struct lock_wait w = { 0, 0, 0 };
	int32_t me = self_pid(), cur;

	for (;;) {
		cur = 0;
		if (__atomic_compare_exchange_n(&l->writer, &cur, me, false, __ATOMIC_ACQUIRE,
				__ATOMIC_RELAXED))
			break;
		if (lock_wait_step(&w) && cur != me)
			check_writer(l);
	}
	/* keeps new readers out; they count themselves before they look */
	__atomic_store_n(&l->wstate, EAL_RWLOCK_WAITING, __ATOMIC_SEQ_CST);
	w = (struct lock_wait){ 0, 0, 0 };
	while (readers_present(l))
		if (lock_wait_step(&w))
			check_readers(l);
	__atomic_store_n(&l->wstate, EAL_RWLOCK_HELD, __ATOMIC_SEQ_CST);
}

/*
 * Release the write side if this process claimed it. @return the pid that
 * claimed it (ours if released). A holder that was recovered as dead, or
 * whose lock the primary holds for it, must not release it for the new owner.
 */
static int32_t
release_writer(struct eal_shared_rwlock *l)
{
	int32_t me = self_pid(), cur = __atomic_load_n(&l->writer, __ATOMIC_ACQUIRE);

	if (cur != me)
		return cur;
	__atomic_store_n(&l->wstate, EAL_RWLOCK_FREE, __ATOMIC_SEQ_CST);
	__atomic_compare_exchange_n(&l->writer, &me, 0, false, __ATOMIC_RELEASE,
		__ATOMIC_RELAXED);
	return cur;
}

void
eal_shared_rwlock_write_unlock(struct eal_shared_rwlock *l)
{
	int32_t cur = release_writer(l);

	if (cur != self_pid())
		EAL_LOG(WARNING, "Shared lock %p: write unlock by pid %d, held by pid %d: "
			"left alone", (void *)l, (int)self_pid(), (int)cur);
}

int
eal_shared_rwlock_hand_over(struct eal_shared_rwlock *l, int32_t from, int32_t to)
{
	/* only the current owner releases, as in write_unlock() */
	if (to == 0)
		return from == self_pid() && release_writer(l) == from ? 0 : -1;
	return __atomic_compare_exchange_n(&l->writer, &from, to, false, __ATOMIC_ACQ_REL,
		__ATOMIC_RELAXED) ? 0 : -1;
}

bool
eal_shared_spinlock_lock(rte_spinlock_t *sl)
{
	struct lock_wait w = { 0, 0, 0 };
	int me = self_pid(), cur;

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
	int me = self_pid();

	/* see eal_shared_rwlock_write_unlock() */
	if (!__atomic_compare_exchange_n(&sl->locked, &me, 0, false, __ATOMIC_RELEASE,
			__ATOMIC_RELAXED))
		EAL_LOG(WARNING, "Shared lock %p: unlock by pid %d, held by pid %d: left alone",
			(void *)sl, (int)self_pid(), me);
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
	eal_shared_rwlock_read_lock(&eal_get_mcfg()->mlock);
}

void
eal_memzone_read_unlock(void)
{
	eal_shared_rwlock_read_unlock(&eal_get_mcfg()->mlock);
}

void
eal_memzone_write_lock(void)
{
	eal_shared_rwlock_write_lock(&eal_get_mcfg()->mlock);
}

void
eal_memzone_write_unlock(void)
{
	eal_shared_rwlock_write_unlock(&eal_get_mcfg()->mlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mem_read_lock)
void
rte_mcfg_mem_read_lock(void)
{
	eal_shared_rwlock_read_lock(&eal_get_mcfg()->memory_hotplug_lock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mem_read_unlock)
void
rte_mcfg_mem_read_unlock(void)
{
	eal_shared_rwlock_read_unlock(&eal_get_mcfg()->memory_hotplug_lock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mem_write_lock)
void
rte_mcfg_mem_write_lock(void)
{
	eal_shared_rwlock_write_lock(&eal_get_mcfg()->memory_hotplug_lock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mem_write_unlock)
void
rte_mcfg_mem_write_unlock(void)
{
	eal_shared_rwlock_write_unlock(&eal_get_mcfg()->memory_hotplug_lock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_tailq_read_lock)
void
rte_mcfg_tailq_read_lock(void)
{
	eal_shared_rwlock_read_lock(&eal_get_mcfg()->qlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_tailq_read_unlock)
void
rte_mcfg_tailq_read_unlock(void)
{
	eal_shared_rwlock_read_unlock(&eal_get_mcfg()->qlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_tailq_write_lock)
void
rte_mcfg_tailq_write_lock(void)
{
	eal_shared_rwlock_write_lock(&eal_get_mcfg()->qlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_tailq_write_unlock)
void
rte_mcfg_tailq_write_unlock(void)
{
	eal_shared_rwlock_write_unlock(&eal_get_mcfg()->qlock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mempool_read_lock)
void
rte_mcfg_mempool_read_lock(void)
{
	eal_shared_rwlock_read_lock(&eal_get_mcfg()->mplock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mempool_read_unlock)
void
rte_mcfg_mempool_read_unlock(void)
{
	eal_shared_rwlock_read_unlock(&eal_get_mcfg()->mplock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mempool_write_lock)
void
rte_mcfg_mempool_write_lock(void)
{
	eal_shared_rwlock_write_lock(&eal_get_mcfg()->mplock);
}

RTE_EXPORT_SYMBOL(rte_mcfg_mempool_write_unlock)
void
rte_mcfg_mempool_write_unlock(void)
{
	eal_shared_rwlock_write_unlock(&eal_get_mcfg()->mplock);
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
