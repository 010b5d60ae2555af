/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every build-time limit of the project, in one place. Values follow
 * DPDK 22.11 so that programs sized against it behave the same here.
 */

#ifndef _RTE_CONFIG_H_
#define _RTE_CONFIG_H_

#include <rte_build_config.h>

/* lcores, sockets, heaps */
#define RTE_MAX_LCORE 128
#define RTE_MAX_NUMA_NODES 8
#define RTE_MAX_HEAPS 32
#define RTE_MAX_TAILQ 32

/* memory layout */
#define RTE_MAX_MEMSEG_LISTS 128
#define RTE_MAX_MEMSEG_PER_LIST 8192
#define RTE_MAX_MEM_MB_PER_LIST 32768
#define RTE_MAX_MEMSEG_PER_TYPE 32768
#define RTE_MAX_MEM_MB_PER_TYPE 65536
#define RTE_MAX_MEM_MB 524288
#define RTE_MAX_MEMZONE 2560
#define RTE_MAX_EXTMEM_ARRAYS 16 /* not in 22.11; bounds the external lists */

/* malloc */
#define RTE_HEAP_NUM_FREELISTS 13
#define RTE_MALLOC_HEAP_NAME_LEN 32

/* VFIO */
#define RTE_MAX_VFIO_GROUPS 64
#define RTE_MAX_VFIO_CONTAINERS 64

/* mempool */
#define RTE_MEMPOOL_CACHE_MAX_SIZE 512

/* logging */
#define RTE_LOG_DP_LEVEL RTE_LOG_INFO

/*
 * Default 64-bit VA hint for memory reservations: low, so that IOVA-as-VA
 * addresses suit devices with narrow DMA masks. AddressSanitizer keeps its
 * shadow memory there, so sanitized builds start above the high shadow.
 */
#ifdef RTE_MALLOC_ASAN
#define RTE_EAL_VA_BASE_HINT 0x200000000000ULL
#else
#define RTE_EAL_VA_BASE_HINT 0x100000000ULL
#endif

#endif /* _RTE_CONFIG_H_ */
