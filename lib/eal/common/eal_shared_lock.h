/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _EAL_SHARED_LOCK_H_
#define _EAL_SHARED_LOCK_H_

/*
 * Locks in memory shared by the primary and its secondaries that survive
 * the death of a holder (RELIABILITY 1.4), implemented in eal_common_mcfg.c
 * over the per-process slots of the shared config. They guard the memory
 * hotplug, tailq, mempool and memzone locks of the config, every heap lock
 * and the fbarrays of memseg lists and memzones.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_spinlock.h>

/* processes (primary + secondaries) that can hold shared read locks at once */
#define EAL_MAX_PROCS 64

/*
 * A reader-writer lock in shared memory that survives the death of a
 * holder. Every field is one word changed by one atomic operation, so a
 * process killed at any instruction leaves a state that names it:
 * - the write side is claimed by storing the writer's pid in @c writer
 *   before anything else, and @c writer is cleared last on release;
 * - read holds are counted per process slot, in a word that also carries
 *   the pid they belong to, and a reader's count is the hold itself (no
 *   second counter to keep in step with it).
 * A writer announces itself in @c wstate, waits until no slot counts a
 * hold, then holds; a reader adds itself to its slot, then backs off if a
 * writer is there. All zero is the initial (unlocked) state. Not recursive
 * for writers; a thread may nest read holds.
 */
struct eal_shared_rwlock {
	volatile int32_t writer;  /* pid that claimed the write side, 0 = none */
	volatile int32_t wstate;  /* EAL_RWLOCK_* state of that writer */
	/* (pid << 32) | read holds, of each process slot (eal_proc_slot()) */
	volatile uint64_t readers[EAL_MAX_PROCS];
};

#define EAL_RWLOCK_FREE 0     /* no writer, or the writer has not announced itself */
#define EAL_RWLOCK_WAITING 1  /* the writer waits for the readers to leave */
#define EAL_RWLOCK_HELD 2     /* the writer holds the lock */

/*
 * Robust shared locks (eal_common_mcfg.c). A waiter that has waited a while
 * checks whether the holder is still alive and, if not, takes over its share
 * with a WARNING naming the dead pid. Memory the dead holder was changing is
 * not repaired here: the owner of that memory does it (malloc_heap_lock()).
 */
void eal_shared_rwlock_read_lock(struct eal_shared_rwlock *l);
void eal_shared_rwlock_read_unlock(struct eal_shared_rwlock *l);
void eal_shared_rwlock_write_lock(struct eal_shared_rwlock *l);
void eal_shared_rwlock_write_unlock(struct eal_shared_rwlock *l);

/*
 * A spinlock in shared memory (e.g. heap->lock) whose word holds the owner's
 * pid instead of 1, so that a dead owner can be detected. rte_spinlock_unlock()
 * and rte_spinlock_is_locked() work on it unchanged.
 * @return true if the lock was taken over from a dead owner (the data it
 * protects may be half-updated), false if it was free.
 */
bool eal_shared_spinlock_lock(rte_spinlock_t *sl);
void eal_shared_spinlock_unlock(rte_spinlock_t *sl);

/*
 * Lock delegation (SPEC 8.4): the primary's IPC handler works under locks a
 * secondary holds; it moves their ownership to itself first, so nobody
 * mistakes the secondary's death for an abandoned lock while it works,
 * and hands them back (or releases them if the secondary died) afterwards.
 * @return 0 if the lock was owned by @p from and now by @p to, -1 otherwise.
 */
int eal_shared_rwlock_hand_over(struct eal_shared_rwlock *l, int32_t from, int32_t to);
int eal_shared_spinlock_hand_over(rte_spinlock_t *sl, int32_t from, int32_t to);
/* @return true if process @p pid exists and is not a zombie. */
bool eal_pid_alive(int32_t pid);

#endif /* _EAL_SHARED_LOCK_H_ */
