/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_MEMZONE_H_
#define _RTE_MEMZONE_H_

/**
 * @file
 * Memzones: named blocks of hugepage memory, shared by every process of
 * an application and found again by name.
 *
 * A memzone is an element of a malloc heap plus a descriptor in a table
 * of RTE_MAX_MEMZONE entries; a freed entry is reused (lowest first).
 * Addresses and IOVAs are at least cache-line aligned.
 */

#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>
#include <rte_memory.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RTE_MEMZONE_2MB            0x00000001 /**< use 2 MB pages */
#define RTE_MEMZONE_1GB            0x00000002 /**< use 1 GB pages */
#define RTE_MEMZONE_16MB           0x00000100 /**< use 16 MB pages */
#define RTE_MEMZONE_16GB           0x00000200 /**< use 16 GB pages */
#define RTE_MEMZONE_256KB          0x00010000 /**< use 256 KB pages */
#define RTE_MEMZONE_256MB          0x00020000 /**< use 256 MB pages */
#define RTE_MEMZONE_512MB          0x00040000 /**< use 512 MB pages */
#define RTE_MEMZONE_4GB            0x00080000 /**< use 4 GB pages */
#define RTE_MEMZONE_SIZE_HINT_ONLY 0x00000004 /**< page-size flags are a preference */
#define RTE_MEMZONE_IOVA_CONTIG    0x00100000 /**< the zone must be IOVA-contiguous */

/** A reserved memzone (read-only for the application). */
struct rte_memzone {
#define RTE_MEMZONE_NAMESIZE 32 /**< name length, NUL included */
	char name[RTE_MEMZONE_NAMESIZE]; /**< name */
	rte_iova_t iova;                 /**< IOVA of the first byte */
	RTE_STD_C11
	union {
		void *addr;                  /**< VA of the first byte */
		uint64_t addr_64;            /**< keeps addr 64 bits wide */
	};
	size_t len;                      /**< length in bytes */
	uint64_t hugepage_sz;            /**< page size of the memory */
	int32_t socket_id;               /**< NUMA socket (or external heap id) */
	uint32_t flags;                  /**< reserved, 0 */
} __rte_packed;

/**
 * Reserve a cache-line aligned memzone (see rte_memzone_reserve_bounded()).
 */
const struct rte_memzone *rte_memzone_reserve(const char *name, size_t len,
		int socket_id, unsigned int flags);

/** Reserve a memzone aligned to @p align (see rte_memzone_reserve_bounded()). */
const struct rte_memzone *rte_memzone_reserve_aligned(const char *name, size_t len,
		int socket_id, unsigned int flags, unsigned int align);

/**
 * Reserve a memzone.
 *
 * @param name       unique name, shorter than RTE_MEMZONE_NAMESIZE
 * @param len        bytes; 0 takes the biggest free block (the heap does
 *                   not grow for it; with @p bound, @p bound bytes)
 * @param socket_id  a socket, an external heap's socket id, or SOCKET_ID_ANY
 * @param flags      RTE_MEMZONE_* page sizes, RTE_MEMZONE_SIZE_HINT_ONLY,
 *                   RTE_MEMZONE_IOVA_CONTIG; unknown bits fail
 * @param align      0 or a power of two (raised to the cache line)
 * @param bound      0, or a power of two >= len the zone must not cross
 * @return the memzone, or NULL with rte_errno: ENOSPC (table full),
 *   EEXIST (name taken), ENOMEM (no memory), EINVAL (bad argument),
 *   ENAMETOOLONG (name too long), E_RTE_NO_CONFIG / E_RTE_SECONDARY as
 *   DPDK documents.
 */
const struct rte_memzone *rte_memzone_reserve_bounded(const char *name, size_t len,
		int socket_id, unsigned int flags, unsigned int align, unsigned int bound);

/**
 * @name IOVA-contiguous memzones
 * The reserve calls with RTE_MEMZONE_IOVA_CONTIG added to @p flags. In
 * dynamic memory mode with physical addresses, zones larger than one page
 * usually cannot be had; the call then fails quickly (ENOMEM).
 * @{
 */
/** rte_memzone_reserve() of an IOVA-contiguous zone. */
const struct rte_memzone *rte_memzone_reserve_contig(const char *name, size_t len,
		int socket_id, unsigned int flags);
/** rte_memzone_reserve_aligned() of an IOVA-contiguous zone. */
const struct rte_memzone *rte_memzone_reserve_aligned_contig(const char *name,
		size_t len, int socket_id, unsigned int flags, unsigned int align);
/** rte_memzone_reserve_bounded() of an IOVA-contiguous zone. */
const struct rte_memzone *rte_memzone_reserve_bounded_contig(const char *name,
		size_t len, int socket_id, unsigned int flags, unsigned int align,
		unsigned int bound);
/** @} */

/**
 * Free a memzone and its memory.
 * @return 0, or -EINVAL (NULL, not a memzone, or already freed).
 */
int rte_memzone_free(const struct rte_memzone *mz);

/** @return the memzone named @p name, or NULL with rte_errno ENOENT. */
const struct rte_memzone *rte_memzone_lookup(const char *name);

/** Print every memzone and the pages it spans to @p f. */
void rte_memzone_dump(FILE *f);

/** Call @p func on every memzone (the table is read-locked meanwhile). */
void rte_memzone_walk(void (*func)(const struct rte_memzone *, void *arg), void *arg);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_MEMZONE_H_ */
