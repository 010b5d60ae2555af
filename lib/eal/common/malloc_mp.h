/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _MALLOC_MP_H_
#define _MALLOC_MP_H_

/*
 * Heap hotplug synchronisation between processes (SPEC 8.4).
 *
 * Only the primary maps and unmaps pages for a heap. A change it makes is
 * replayed by every secondary (request_sync()); a secondary that needs
 * pages, or frees whole pages, asks the primary (request_to_primary()).
 *
 * Lock delegation: a secondary calls request_to_primary() while holding
 * heap->lock and the memory hotplug lock for writing, and keeps them until
 * the answer arrives. The primary's IPC handler works on the shared heap
 * under the secondary's locks: it takes neither lock itself (taking them
 * would deadlock). A secondary's sync handler takes no hotplug lock either:
 * whoever triggered the sync holds it.
 *
 * Return convention: 0 on success, -1 on failure (nothing here sets
 * rte_errno). A failed ALLOC has been rolled back in every process.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_memory.h>

#include "malloc_heap.h"

struct malloc_elem;

/* seconds a process waits for the peers of one sync round */
#define MP_TIMEOUT_S 5
/* a requester waits for two sync rounds (change + rollback) and some slack */
#define MP_REQUEST_TIMEOUT_S (2 * MP_TIMEOUT_S + 2)

enum malloc_req_type {
	REQ_TYPE_ALLOC, /* secondary -> primary: grow a heap */
	REQ_TYPE_FREE,  /* secondary -> primary: unmap pages cut out of a heap */
	REQ_TYPE_SYNC,  /* primary -> secondaries: replay the memseg lists */
};

enum malloc_req_result {
	REQ_RESULT_SUCCESS,
	REQ_RESULT_FAIL,
};

/* What the secondary's heap search wanted; the primary redoes it. */
struct malloc_req_alloc {
	struct malloc_heap *heap; /* shared, so valid in every process */
	uint64_t page_sz;         /* page size to grow with */
	size_t elt_size;          /* element size asked for */
	int socket;               /* socket of the pages */
	unsigned int flags;       /* RTE_MEMZONE_* size flags of the request */
	size_t align;
	size_t bound;
	bool contig;              /* pages must be IOVA-contiguous */
	int n_segs;               /* pages to add, computed by the requester */
};

/* A page-aligned region already hidden from the heap by the requester. */
struct malloc_req_free {
	void *addr;
	size_t len;
};

struct malloc_mp_req {
	enum malloc_req_type t;
	union {
		struct malloc_req_alloc alloc_req;
		struct malloc_req_free free_req;
	};
	uint64_t id;                   /* set by request_to_primary() */
	int32_t pid;                   /* requester, set by request_to_primary() */
	int32_t slot;                  /* requester's process slot, ditto */
	enum malloc_req_result result; /* set by the primary's answer */
};

/*
 * Register the IPC actions of this file (primary: requests; secondary:
 * sync, rollback and responses). Called once at init after the heaps.
 * @return 0, or -1 (IPC unavailable is not an error: returns 0).
 */
int register_mp_requests(void);

/* Unregister them (rte_eal_cleanup()). */
void unregister_mp_requests(void);

/*
 * Secondary: send @p req (ALLOC or FREE) to the primary and wait for the
 * answer; req->result tells how it went. The caller holds the heap lock of
 * the heap concerned and the hotplug lock for writing.
 * @return 0 if an answer arrived (see req->result), -1 on IPC failure or
 *   timeout.
 */
int request_to_primary(struct malloc_mp_req *req);

/*
 * Primary: make every secondary replay the memseg lists and wait for all of
 * them (MP_TIMEOUT_S). The caller holds the hotplug lock for writing. No
 * secondary attached (or IPC disabled) is a success.
 * @param rollback
 *   true for the round that follows a failed one, after the caller undid the
 *   change: if the failed round timed out (a peer is stuck), this one is only
 *   sent (each peer replays it when it runs), so the failure does not take
 *   twice as long.
 * @return 0 if every secondary confirmed, -1 otherwise (the caller rolls
 *   back, then calls request_sync(true) so the peers unmap).
 */
int request_sync(bool rollback);

/*
 * Provided by malloc_heap.c for the primary's handler (SPEC 4.3). They
 * take no lock: the requesting secondary holds heap->lock and the hotplug
 * lock for the whole request.
 */

/*
 * Map @p n_segs pages of @p pg_sz on @p socket (validators, contiguity and
 * DMA-mask checks included), add them to @p heap, and check that an element
 * of @p elt_size now fits. @p ms receives the memsegs. Fires no mem event
 * and does not change heap->total_size (the caller does both once the
 * secondaries agreed).
 * @return the new free element, or NULL (nothing left mapped).
 */
struct malloc_elem *alloc_pages_on_heap(struct malloc_heap *heap, uint64_t pg_sz,
		size_t elt_size, int socket, unsigned int flags, size_t align, size_t bound,
		bool contig, struct rte_memseg **ms, int n_segs);

/*
 * Undo alloc_pages_on_heap(): hide [map_addr, map_addr + map_len) from the
 * heap (@p elem is the element it returned) and unmap the @p n_segs pages.
 */
void rollback_expand_heap(struct rte_memseg **ms, int n_segs, struct malloc_elem *elem,
		void *map_addr, size_t map_len);

/*
 * Unmap every page of the page-aligned region [aligned_start, +aligned_len)
 * (already hidden from its heap).
 * @return 0, or -1 if some page could not be freed.
 */
int malloc_heap_free_pages(void *aligned_start, size_t aligned_len);

#endif /* _MALLOC_MP_H_ */
