/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_RING_CORE_H_
#define _RTE_RING_CORE_H_

/**
 * @file
 * Layout of a ring: a fixed-size circular table of elements indexed by
 * free-running 32-bit counters. Producers and consumers each own a
 * head/tail pair: a thread first moves the head to claim a range of slots,
 * copies its elements, then moves the tail once every earlier claimant
 * has moved it, which publishes the slots to the other side.
 *
 * The ring lives in one block of memory (struct rte_ring followed by the
 * table), so that it can be placed in shared hugepage memory and used by
 * every process of a --file-prefix.
 */

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/types.h>

#include <rte_common.h>
#include <rte_config.h>
#include <rte_pause.h>
#include <rte_branch_prediction.h>
#include <rte_memzone.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What to do when fewer than n elements can be moved. */
enum rte_ring_queue_behavior {
	/** Move exactly n elements or none. */
	RTE_RING_QUEUE_FIXED = 0,
	/** Move as many as possible, up to n. */
	RTE_RING_QUEUE_VARIABLE
};

/** Name of the list of rings in DPDK (kept for source compatibility). */
#define RTE_TAILQ_RING_NAME "RTE_RING"

/** Prefix of the memzone that holds a ring made by rte_ring_create(). */
#define RTE_RING_MZ_PREFIX "RG_"
/** Size of a ring name, terminating NUL included. */
#define RTE_RING_NAMESIZE (RTE_MEMZONE_NAMESIZE - sizeof(RTE_RING_MZ_PREFIX) + 1)

/** How the producer or consumer side is synchronised. */
enum rte_ring_sync_type {
	RTE_RING_SYNC_MT,     /**< any number of threads (default) */
	RTE_RING_SYNC_ST,     /**< one thread at a time */
	RTE_RING_SYNC_MT_RTS, /**< multi-thread, relaxed tail sync */
	RTE_RING_SYNC_MT_HTS, /**< multi-thread, head/tail sync */
};

/** Head and tail of one side of the ring. */
struct rte_ring_headtail {
	volatile uint32_t head;   /**< next slot to claim */
	volatile uint32_t tail;   /**< end of the published slots */
	RTE_STD_C11
	union {
		enum rte_ring_sync_type sync_type; /**< synchronisation mode */
		uint32_t single;  /**< deprecated: non-zero if single thread */
	};
};

/** @internal Position and reference count updated as one 64-bit word. */
union __rte_ring_rts_poscnt {
	uint64_t raw __rte_aligned(8); /**< both fields */
	struct {
		uint32_t cnt; /**< reference count */
		uint32_t pos; /**< position */
	} val;
};

/**
 * @internal RTS head/tail. tail.val.pos sits where rte_ring_headtail has its
 * tail, so the other side reads it the same way in every mode.
 */
struct rte_ring_rts_headtail {
	volatile union __rte_ring_rts_poscnt tail; /**< tail */
	enum rte_ring_sync_type sync_type;          /**< synchronisation mode */
	uint32_t htd_max;                           /**< max head-tail distance */
	volatile union __rte_ring_rts_poscnt head; /**< head */
};

/** @internal Head and tail updated as one 64-bit word. */
union __rte_ring_hts_pos {
	uint64_t raw __rte_aligned(8); /**< both fields */
	struct {
		uint32_t head; /**< head */
		uint32_t tail; /**< tail */
	} pos;
};

/** @internal HTS head/tail; ht.pos.tail overlays rte_ring_headtail.tail. */
struct rte_ring_hts_headtail {
	volatile union __rte_ring_hts_pos ht; /**< head and tail */
	enum rte_ring_sync_type sync_type;   /**< synchronisation mode */
};

/**
 * A ring. The producer and consumer state sit on cache lines of their own,
 * with an empty line between them, so that the two sides do not share a
 * line even with adjacent-line prefetch.
 */
struct rte_ring {
	char name[RTE_RING_NAMESIZE] __rte_cache_aligned; /**< ring name */
	int flags;                          /**< RING_F_* given at creation */
	const struct rte_memzone *memzone;  /**< holding memzone, or NULL */
	uint32_t size;                      /**< slots in the table (power of 2) */
	uint32_t mask;                      /**< size - 1 */
	uint32_t capacity;                  /**< usable slots */

	char pad0 __rte_cache_aligned;      /**< empty cache line */

	RTE_STD_C11
	union {
		struct rte_ring_headtail prod;          /**< producer side */
		struct rte_ring_hts_headtail hts_prod;  /**< producer, HTS mode */
		struct rte_ring_rts_headtail rts_prod;  /**< producer, RTS mode */
	} __rte_cache_aligned;

	char pad1 __rte_cache_aligned;      /**< empty cache line */

	RTE_STD_C11
	union {
		struct rte_ring_headtail cons;          /**< consumer side */
		struct rte_ring_hts_headtail hts_cons;  /**< consumer, HTS mode */
		struct rte_ring_rts_headtail rts_cons;  /**< consumer, RTS mode */
	} __rte_cache_aligned;

	char pad2 __rte_cache_aligned;      /**< empty cache line */
};

/** Enqueue defaults to single-producer. */
#define RING_F_SP_ENQ 0x0001
/** Dequeue defaults to single-consumer. */
#define RING_F_SC_DEQ 0x0002
/**
 * The ring holds exactly the requested count, which need not be a power
 * of 2 (the table is rounded up internally).
 */
#define RING_F_EXACT_SZ 0x0004
/** Largest ring size. */
#define RTE_RING_SZ_MASK (0x7fffffffU)
/** Enqueue defaults to MP RTS (rte_ring_rts.h). */
#define RING_F_MP_RTS_ENQ 0x0008
/** Dequeue defaults to MC RTS (rte_ring_rts.h). */
#define RING_F_MC_RTS_DEQ 0x0010
/** Enqueue defaults to MP HTS (rte_ring_hts.h). */
#define RING_F_MP_HTS_ENQ 0x0020
/** Dequeue defaults to MC HTS (rte_ring_hts.h). */
#define RING_F_MC_HTS_DEQ 0x0040

#ifdef __cplusplus
}
#endif

#endif /* _RTE_RING_CORE_H_ */
