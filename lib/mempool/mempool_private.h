/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _MEMPOOL_PRIVATE_H_
#define _MEMPOOL_PRIVATE_H_

/* Shared between the files of lib/mempool; not installed. */

#include <rte_log.h>

#include "rte_mempool.h"

extern int mempool_logtype;

#define MEMPOOL_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, mempool_logtype, "MEMPOOL: " fmt "\n", ##__VA_ARGS__)

/* Create the handler's pool on first population. @return 0 or -errno. */
int mempool_ops_alloc_once(struct rte_mempool *mp);

/* Run the life-cycle callbacks registered in this process for @event. */
void mempool_event_invoke(enum rte_mempool_event event, struct rte_mempool *mp);

/* Free every chunk of @mp through its callback, leaving the pool empty. */
void mempool_free_memchunks(struct rte_mempool *mp);

#endif /* _MEMPOOL_PRIVATE_H_ */
