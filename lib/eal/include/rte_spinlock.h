/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_SPINLOCK_H_
#define _RTE_SPINLOCK_H_

/**
 * @file
 * Spinlocks. A plain int so that a lock can live in memory shared between
 * processes; the recursive variant remembers its owner thread.
 */

#include <rte_common.h>
#include <rte_pause.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A spinlock: 0 unlocked, 1 locked. */
typedef struct {
	volatile int locked; /**< lock status */
} rte_spinlock_t;

/** Static initialiser. */
#define RTE_SPINLOCK_INITIALIZER { 0 }

/** Initialise @p sl unlocked. */
static inline void
rte_spinlock_init(rte_spinlock_t *sl)
{
	sl->locked = 0;
}

/** Take @p sl, spinning until it is free. */
static inline void
rte_spinlock_lock(rte_spinlock_t *sl)
{
	int exp = 0;

	while (!__atomic_compare_exchange_n(&sl->locked, &exp, 1, 0,
			__ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		while (__atomic_load_n(&sl->locked, __ATOMIC_RELAXED))
			rte_pause();
		exp = 0;
	}
}

/** Release @p sl. */
static inline void
rte_spinlock_unlock(rte_spinlock_t *sl)
{
	__atomic_store_n(&sl->locked, 0, __ATOMIC_RELEASE);
}

/** @return 1 if @p sl was taken, 0 if it is held by someone else. */
static inline int
rte_spinlock_trylock(rte_spinlock_t *sl)
{
	int exp = 0;

	return __atomic_compare_exchange_n(&sl->locked, &exp, 1, 0,
			__ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/** @return 1 if @p sl is held. */
static inline int
rte_spinlock_is_locked(rte_spinlock_t *sl)
{
	return __atomic_load_n(&sl->locked, __ATOMIC_ACQUIRE);
}

/** @return 1: this implementation has no transactional-memory support. */
static inline int
rte_tm_supported(void)
{
	return 0;
}

/** Same as rte_spinlock_lock(): no lock elision here. */
static inline void
rte_spinlock_lock_tm(rte_spinlock_t *sl)
{
	rte_spinlock_lock(sl);
}

/** Same as rte_spinlock_unlock(). */
static inline void
rte_spinlock_unlock_tm(rte_spinlock_t *sl)
{
	rte_spinlock_unlock(sl);
}

/** Same as rte_spinlock_trylock(). */
static inline int
rte_spinlock_trylock_tm(rte_spinlock_t *sl)
{
	return rte_spinlock_trylock(sl);
}

/** A spinlock that its owner thread may take again. */
typedef struct {
	rte_spinlock_t sl; /**< the underlying lock */
	volatile int user; /**< owner thread id, -1 when free */
	volatile int count; /**< how many times the owner holds it */
} rte_spinlock_recursive_t;

/** Static initialiser. */
#define RTE_SPINLOCK_RECURSIVE_INITIALIZER { RTE_SPINLOCK_INITIALIZER, -1, 0 }

/** Initialise @p slr unlocked. */
static inline void
rte_spinlock_recursive_init(rte_spinlock_recursive_t *slr)
{
	rte_spinlock_init(&slr->sl);
	slr->user = -1;
	slr->count = 0;
}

/** Thread id used by the recursive lock (defined in the EAL). */
int rte_sys_gettid(void);

/** Take @p slr; the owner may take it again. */
static inline void
rte_spinlock_recursive_lock(rte_spinlock_recursive_t *slr)
{
	int id = rte_sys_gettid();

	if (slr->user != id) {
		rte_spinlock_lock(&slr->sl);
		slr->user = id;
	}
	slr->count++;
}

/** Release one level of @p slr. */
static inline void
rte_spinlock_recursive_unlock(rte_spinlock_recursive_t *slr)
{
	if (--(slr->count) == 0) {
		slr->user = -1;
		rte_spinlock_unlock(&slr->sl);
	}
}

/** @return 1 if @p slr was taken (or is already ours), 0 otherwise. */
static inline int
rte_spinlock_recursive_trylock(rte_spinlock_recursive_t *slr)
{
	int id = rte_sys_gettid();

	if (slr->user != id) {
		if (rte_spinlock_trylock(&slr->sl) == 0)
			return 0;
		slr->user = id;
	}
	slr->count++;
	return 1;
}

#ifdef __cplusplus
}
#endif

#endif /* _RTE_SPINLOCK_H_ */
