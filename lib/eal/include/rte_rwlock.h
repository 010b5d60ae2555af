/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_RWLOCK_H_
#define _RTE_RWLOCK_H_

/**
 * @file
 * Reader-writer spinlock that can live in shared memory. Writers announce
 * themselves with a "wait" bit so that a stream of readers cannot starve
 * them. Not recursive.
 */

#include <errno.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_pause.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * cnt layout: bit 0 = a writer is waiting, bit 1 = a writer holds the lock,
 * bits 2.. = number of readers (each reader adds RTE_RWLOCK_READ).
 */
#define RTE_RWLOCK_WAIT 0x1
#define RTE_RWLOCK_WRITE 0x2
#define RTE_RWLOCK_MASK (RTE_RWLOCK_WAIT | RTE_RWLOCK_WRITE)
#define RTE_RWLOCK_READ 0x4

/** The lock. */
typedef struct {
	int32_t cnt; /**< see the layout above */
} rte_rwlock_t;

/** Static initialiser. */
#define RTE_RWLOCK_INITIALIZER { 0 }

/** Initialise @p rwl unlocked. */
static inline void
rte_rwlock_init(rte_rwlock_t *rwl)
{
	rwl->cnt = 0;
}

/** Take @p rwl for reading. */
static inline void
rte_rwlock_read_lock(rte_rwlock_t *rwl)
{
	int32_t x;

	for (;;) {
		while (__atomic_load_n(&rwl->cnt, __ATOMIC_RELAXED) & RTE_RWLOCK_MASK)
			rte_pause();
		x = __atomic_add_fetch(&rwl->cnt, RTE_RWLOCK_READ, __ATOMIC_ACQUIRE);
		if (!(x & RTE_RWLOCK_MASK))
			return;
		/* a writer got in first: back out and wait */
		__atomic_fetch_sub(&rwl->cnt, RTE_RWLOCK_READ, __ATOMIC_RELAXED);
	}
}

/** @return 0 if taken for reading, -EBUSY otherwise. */
static inline int
rte_rwlock_read_trylock(rte_rwlock_t *rwl)
{
	int32_t x = __atomic_load_n(&rwl->cnt, __ATOMIC_RELAXED);

	if (x & RTE_RWLOCK_MASK)
		return -EBUSY;
	x = __atomic_add_fetch(&rwl->cnt, RTE_RWLOCK_READ, __ATOMIC_ACQUIRE);
	if (x & RTE_RWLOCK_MASK) {
		__atomic_fetch_sub(&rwl->cnt, RTE_RWLOCK_READ, __ATOMIC_RELEASE);
		return -EBUSY;
	}
	return 0;
}

/** Release a read hold. */
static inline void
rte_rwlock_read_unlock(rte_rwlock_t *rwl)
{
	__atomic_fetch_sub(&rwl->cnt, RTE_RWLOCK_READ, __ATOMIC_RELEASE);
}

/** @return 0 if taken for writing, -EBUSY otherwise. */
static inline int
rte_rwlock_write_trylock(rte_rwlock_t *rwl)
{
	int32_t x = __atomic_load_n(&rwl->cnt, __ATOMIC_RELAXED);

	if (x < RTE_RWLOCK_WRITE &&
	    __atomic_compare_exchange_n(&rwl->cnt, &x, x + RTE_RWLOCK_WRITE, 1,
			__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return 0;
	return -EBUSY;
}

/** Take @p rwl for writing. */
static inline void
rte_rwlock_write_lock(rte_rwlock_t *rwl)
{
	int32_t x;

	for (;;) {
		x = __atomic_load_n(&rwl->cnt, __ATOMIC_RELAXED);
		/* free, or only our own wait bit set: try to take it */
		if (x < RTE_RWLOCK_WRITE) {
			if (__atomic_compare_exchange_n(&rwl->cnt, &x, RTE_RWLOCK_WRITE, 1,
					__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
				return;
			continue;
		}
		if (!(x & RTE_RWLOCK_WAIT))
			__atomic_fetch_or(&rwl->cnt, RTE_RWLOCK_WAIT, __ATOMIC_RELAXED);
		while (__atomic_load_n(&rwl->cnt, __ATOMIC_RELAXED) > RTE_RWLOCK_WAIT)
			rte_pause();
	}
}

/** Release a write hold. */
static inline void
rte_rwlock_write_unlock(rte_rwlock_t *rwl)
{
	__atomic_fetch_sub(&rwl->cnt, RTE_RWLOCK_WRITE, __ATOMIC_RELEASE);
}

/** @return 1 if a writer holds @p rwl. */
static inline int
rte_rwlock_write_is_locked(rte_rwlock_t *rwl)
{
	return (__atomic_load_n(&rwl->cnt, __ATOMIC_RELAXED) & RTE_RWLOCK_WRITE) != 0;
}

/** No lock elision here: same as the plain calls. */
static inline void
rte_rwlock_read_lock_tm(rte_rwlock_t *rwl)
{
	rte_rwlock_read_lock(rwl);
}

static inline void
rte_rwlock_read_unlock_tm(rte_rwlock_t *rwl)
{
	rte_rwlock_read_unlock(rwl);
}

static inline void
rte_rwlock_write_lock_tm(rte_rwlock_t *rwl)
{
	rte_rwlock_write_lock(rwl);
}

static inline void
rte_rwlock_write_unlock_tm(rte_rwlock_t *rwl)
{
	rte_rwlock_write_unlock(rwl);
}

#ifdef __cplusplus
}
#endif

#endif /* _RTE_RWLOCK_H_ */
