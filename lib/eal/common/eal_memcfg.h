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

#include "eal_shared_lock.h"
#include "malloc_heap.h"

/* bumped whenever the layout of this struct changes */
#define RTE_MEM_CONFIG_VERSION 2315

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

	rte_spinlock_t tlock;      /* protects timers (holds the owner's pid) */

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

	/* the locks of the rte_mcfg_* API, crash-safe (eal_shared_lock.h) */
	volatile int32_t proc_slot_pid[EAL_MAX_PROCS]; /* owner of each reader slot */
	struct eal_shared_rwlock memory_hotplug_lock; /* see the lock order above */
	struct eal_shared_rwlock qlock;   /* protects tailqs */
	struct eal_shared_rwlock mplock;  /* protects the mempool list */
	struct eal_shared_rwlock mlock;   /* protects memzones */
	int32_t primary_pid;       /* pid of the primary that set this config up */
	/* per process slot: id of the heap request it waits for (malloc_mp.c) */
	volatile uint64_t mp_waiting[EAL_MAX_PROCS];
};

/* @return the mem_config of this process (NULL before config init). */
struct rte_mem_config *eal_get_mcfg(void);

/* This process's slot in the shared config (0 .. EAL_MAX_PROCS - 1). */
int eal_proc_slot(void);

/* The memzone table lock (mlock), robust like the rte_mcfg_* locks. */
void eal_memzone_read_lock(void);
void eal_memzone_read_unlock(void);
void eal_memzone_write_lock(void);
void eal_memzone_write_unlock(void);

#endif /* _EAL_MEMCFG_H_ */
