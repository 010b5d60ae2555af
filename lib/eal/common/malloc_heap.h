/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _MALLOC_HEAP_H_
#define _MALLOC_HEAP_H_

/*
 * A malloc heap: one per NUMA socket plus named external heaps. It lives in
 * the shared mem_config, so its lock and lists are shared by all processes.
 * Elements are kept in one address-ordered doubly-linked list (holes
 * between memseg lists and pages are allowed) and free ones also in
 * RTE_HEAP_NUM_FREELISTS size-class lists.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/queue.h>

#include <rte_config.h>
#include <rte_spinlock.h>

struct malloc_elem;
struct rte_malloc_socket_stats;

struct malloc_heap {
	rte_spinlock_t lock; /* protects every list and counter below */
	LIST_HEAD(, malloc_elem) free_head[RTE_HEAP_NUM_FREELISTS];
	struct malloc_elem *volatile first; /* lowest-address element */
	struct malloc_elem *volatile last;  /* highest-address element */
	unsigned int alloc_count;           /* busy elements */
	unsigned int socket_id;             /* socket id (or external heap id) */
	size_t total_size;                  /* bytes of memory in the heap */
	char name[RTE_MALLOC_HEAP_NAME_LEN]; /* "socket_<n>" or external name */
} __rte_cache_aligned;

#endif /* _MALLOC_HEAP_H_ */
