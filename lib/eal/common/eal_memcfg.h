/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _EAL_MEMCFG_H_
#define _EAL_MEMCFG_H_

/*
 * The shared memory configuration: one file (<runtime>/config) mapped by
 * the primary and, at the same address, by every secondary. Private to the
 * EAL (programs use the rte_mcfg_* lock API); a secondary of another build
 * is refused by the magic and version fields.
 *
 * Glossary (see also rte_memory.h): page = one hugepage; memseg = the
 * descriptor of one page; memseg list = fbarray of memsegs over one VA
 * window; heap = malloc heap of one socket; element = a heap's unit of
 * allocation (header + data); memzone = a named, reserved heap element.
 *
 * Locks, in the order they are taken (never the other way round):
 *   mlock (memzone table) -> heap->lock -> memory_hotplug_lock ->
 *   hugetlbfs dir flock -> an fbarray's rwlock.
 * memory_hotplug_lock is write-held while pages are added or removed and
 * read-held by every walk; callbacks and validators run under the write
 * lock and must use the _thread_unsafe walks.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_config.h>
#include <rte_fbarray.h>
#include <rte_memory.h>
#include <rte_rwlock.h>
#include <rte_spinlock.h>

#include "malloc_heap.h"

/* bumped whenever the layout of this struct changes */
#define RTE_MEM_CONFIG_VERSION 2312

/* processes (primary + secondaries) that can hold shared read locks at once */
#define EAL_MAX_PROCS 64

/*
 * Side information that makes a shared rte_rwlock_t survive the death of a
 * holder (RELIABILITY 1.4): who holds the write side, and how many read
 * holds each process has. The rte_rwlock_t itself stays the lock, so code
 * that uses it directly still excludes correctly (but a holder that used it
 * directly cannot be recovered). Not recursive for writers.
 */
struct eal_shared_rwlock {
	volatile int32_t writer;  /* pid holding the write side, 0 = none/unknown */
	volatile int32_t readers[EAL_MAX_PROCS]; /* read holds per process slot */
};

/* external heap socket ids start here and are never reused */
#define EXTERNAL_HEAP_MIN_SOCKET_ID (RTE_MAX(256, RTE_MAX_NUMA_NODES))

struct rte_tailq_head_shared {
	char name[32];
	void *first;
	void *last;
};

struct rte_mem_config {
	volatile uint32_t magic;   /* RTE_MAGIC once the primary is ready */
	uint32_t version;          /* RTE_MEM_CONFIG_VERSION */
	uint32_t nchannel;         /* -n */
	uint32_t nrank;            /* -r */

	rte_rwlock_t mlock;        /* protects memzones */
	rte_rwlock_t qlock;        /* protects tailqs */
	rte_rwlock_t mplock;       /* protects mempool list */
	rte_spinlock_t tlock;      /* protects timers */
	rte_rwlock_t memory_hotplug_lock; /* see the lock order above */

	struct rte_fbarray memzones; /* "memzone": RTE_MAX_MEMZONE entries */

	/* every memseg list; a slot with base_va == NULL is unused */
	struct rte_memseg_list memsegs[RTE_MAX_MEMSEG_LISTS];

	struct rte_tailq_head_shared tailq_head[RTE_MAX_TAILQ];

	/* heaps: 0..n_sockets-1 internal, then external ones */
	struct malloc_heap malloc_heaps[RTE_MAX_HEAPS];
	int next_socket_id;        /* next external heap socket id */

	uint64_t mem_cfg_addr;     /* where the primary mapped this struct */
	uint32_t legacy_mem;       /* primary runs --legacy-mem */
	uint32_t single_file_segments; /* primary runs --single-file-segments */
	uint32_t in_memory;        /* primary runs --in-memory (no secondaries) */
	uint32_t no_huge;          /* primary runs --no-huge */
	uint8_t dma_maskbits;      /* narrowest DMA mask seen, 0 = none */
	uint64_t tsc_hz;           /* primary's TSC frequency */
	uint8_t mp_status;         /* IPC: unknown, disabled or enabled (eal_common_proc.c) */

	/* robust versions of the locks of the rte_mcfg_* API (eal_common_mcfg.c) */
	volatile int32_t proc_slot_pid[EAL_MAX_PROCS]; /* owner of each reader slot */
	struct eal_shared_rwlock hotplug_owners;  /* of memory_hotplug_lock */
	struct eal_shared_rwlock tailq_owners;    /* of qlock */
	struct eal_shared_rwlock mempool_owners;  /* of mplock */
	struct eal_shared_rwlock memzone_owners;  /* of mlock */
};

/* @return the mem_config of this process (NULL before config init). */
struct rte_mem_config *eal_get_mcfg(void);

/*
 * Robust shared locks (eal_common_mcfg.c). A waiter that has waited a while
 * checks whether the holder is still alive and, if not, takes over its share
 * with a WARNING naming the dead pid. Memory the dead holder was changing is
 * not repaired here: the owner of that memory does it (malloc_heap_lock()).
 */
void eal_shared_rwlock_read_lock(rte_rwlock_t *rw, struct eal_shared_rwlock *l);
void eal_shared_rwlock_read_unlock(rte_rwlock_t *rw, struct eal_shared_rwlock *l);
void eal_shared_rwlock_write_lock(rte_rwlock_t *rw, struct eal_shared_rwlock *l);
void eal_shared_rwlock_write_unlock(rte_rwlock_t *rw, struct eal_shared_rwlock *l);

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
int eal_shared_rwlock_hand_over(rte_rwlock_t *rw, struct eal_shared_rwlock *l, int32_t from,
		int32_t to);
int eal_shared_spinlock_hand_over(rte_spinlock_t *sl, int32_t from, int32_t to);
/* The memzone table lock (mlock), robust like the rte_mcfg_* locks. */
void eal_memzone_read_lock(void);
void eal_memzone_read_unlock(void);
void eal_memzone_write_lock(void);
void eal_memzone_write_unlock(void);

/* @return true if process @p pid exists and is not a zombie. */
bool eal_pid_alive(int32_t pid);

#endif /* _EAL_MEMCFG_H_ */
