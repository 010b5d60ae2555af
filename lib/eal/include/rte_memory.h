/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_MEMORY_H_
#define _RTE_MEMORY_H_

/**
 * @file
 * Hugepage memory as the EAL sees it.
 *
 * Words used here and in the whole memory subsystem:
 * - page: one hugepage (or one 4K page with --no-huge);
 * - memseg (struct rte_memseg): the descriptor of one page: its VA, IOVA,
 *   size, socket and flags; one memseg is exactly one page;
 * - memseg list (struct rte_memseg_list): an rte_fbarray of memsegs for one
 *   (page size, socket) pair over a VA window reserved at init; slot i
 *   always describes VA base_va + i * page_sz, and a slot is "used" while
 *   its page is mapped;
 * - memory type: a (page size, socket) pair; one type has one or more lists.
 *
 * Walk functions take the memory hotplug lock for reading; their
 * _thread_unsafe forms do not and are for use inside memory event callbacks
 * and allocation validators, which run with that lock held for writing.
 */

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

#include <rte_common.h>
#include <rte_config.h>
#include <rte_fbarray.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RTE_PGSIZE_4K (1ULL << 12)
#define RTE_PGSIZE_64K (1ULL << 16)
#define RTE_PGSIZE_256K (1ULL << 18)
#define RTE_PGSIZE_2M (1ULL << 21)
#define RTE_PGSIZE_16M (1ULL << 24)
#define RTE_PGSIZE_256M (1ULL << 28)
#define RTE_PGSIZE_512M (1ULL << 29)
#define RTE_PGSIZE_1G (1ULL << 30)
#define RTE_PGSIZE_4G (1ULL << 32)
#define RTE_PGSIZE_16G (1ULL << 34)

/** Any NUMA socket. */
#define SOCKET_ID_ANY -1

/** Physical address. */
typedef uint64_t phys_addr_t;
/** Invalid physical address. */
#define RTE_BAD_PHYS_ADDR ((phys_addr_t)-1)

/** I/O virtual address: what a device puts on the bus to reach memory. */
typedef uint64_t rte_iova_t;
/** Invalid IOVA. */
#define RTE_BAD_IOVA ((rte_iova_t)-1)

/** The page is never given back to the system (preallocated with -m). */
#define RTE_MEMSEG_FLAG_DO_NOT_FREE RTE_BIT32(0)
/** The page may hold stale data (reused file with --huge-unlink=never). */
#define RTE_MEMSEG_FLAG_DIRTY RTE_BIT32(1)

/** Descriptor of one page. */
struct rte_memseg {
	rte_iova_t iova;            /**< IOVA of the first byte */
	RTE_STD_C11
	union {
		void *addr;         /**< VA of the first byte */
		uint64_t addr_64;   /**< keeps addr 64 bits wide */
	};
	size_t len;                 /**< length (the page size) */
	uint64_t hugepage_sz;       /**< page size */
	int32_t socket_id;          /**< NUMA socket */
	uint32_t nchannel;          /**< memory channels (-n) */
	uint32_t nrank;             /**< memory ranks (-r) */
	uint32_t flags;             /**< RTE_MEMSEG_FLAG_* */
} __rte_packed;

/** A list of memsegs over one VA window. */
struct rte_memseg_list {
	RTE_STD_C11
	union {
		void *base_va;      /**< start of the VA window */
		uint64_t addr_64;   /**< keeps base_va 64 bits wide */
	};
	uint64_t page_sz;           /**< page size of every memseg */
	int socket_id;              /**< socket of every memseg */
	volatile uint32_t version;  /**< bumped on every page alloc/free (MP sync) */
	size_t len;                 /**< length of the VA window */
	unsigned int external;      /**< 1 if the memory is external (not EAL's) */
	unsigned int heap;          /**< 1 if the memory belongs to a malloc heap */
	struct rte_fbarray memseg_arr; /**< the memsegs */
};

/**
 * Lock the system page (not the hugepage) containing @p virt in memory.
 *
 * @return 0, or -1 with errno set by mlock().
 */
int rte_mem_lock_page(const void *virt);

/**
 * @return the physical address of @p virt, read from /proc/self/pagemap,
 *   or RTE_BAD_IOVA if it cannot be known (no permission, not mapped).
 */
phys_addr_t rte_mem_virt2phy(const void *virt);

/**
 * @return the IOVA of @p virt: the VA in IOVA-as-VA mode; otherwise taken
 *   from the memseg that holds it (no system call) or from pagemap for
 *   memory outside the EAL's; RTE_BAD_IOVA if unknown.
 */
rte_iova_t rte_mem_virt2iova(const void *virt);

/**
 * @return the VA of EAL memory at @p iova, or NULL if no mapped page has it.
 *   In IOVA-as-VA mode the IOVA itself. Takes the hotplug lock for reading.
 */
void *rte_mem_iova2virt(rte_iova_t iova);

/**
 * @param virt
 *   An address.
 * @param msl
 *   The list holding it, or NULL to look it up.
 * @return the memseg slot covering @p virt (used or not), or NULL.
 */
struct rte_memseg *rte_mem_virt2memseg(const void *virt, const struct rte_memseg_list *msl);

/**
 * @return the memseg list whose VA window holds @p virt (EAL or external
 *   memory), or NULL. Lock-free: a list's window never moves while it exists.
 */
struct rte_memseg_list *rte_mem_virt2memseg_list(const void *virt);

/**
 * Callback of rte_memseg_walk(): return 0 to go on, 1 to stop, -1 to stop
 * with an error.
 */
typedef int (*rte_memseg_walk_t)(const struct rte_memseg_list *msl,
		const struct rte_memseg *ms, void *arg);

/**
 * Callback of rte_memseg_contig_walk(): @p ms starts a VA-contiguous run of
 * @p len bytes of mapped pages. Same return convention.
 */
typedef int (*rte_memseg_contig_walk_t)(const struct rte_memseg_list *msl,
		const struct rte_memseg *ms, size_t len, void *arg);

/** Callback of rte_memseg_list_walk(). Same return convention. */
typedef int (*rte_memseg_list_walk_t)(const struct rte_memseg_list *msl, void *arg);

/**
 * Call @p func for every mapped page of every list.
 *
 * @return 0 if every call returned 0, 1 if one stopped the walk, -1 if one
 *   returned an error.
 */
int rte_memseg_walk(rte_memseg_walk_t func, void *arg);

/** Call @p func for every VA-contiguous run of mapped pages. See rte_memseg_walk(). */
int rte_memseg_contig_walk(rte_memseg_contig_walk_t func, void *arg);

/** Call @p func for every memseg list in use. See rte_memseg_walk(). */
int rte_memseg_list_walk(rte_memseg_list_walk_t func, void *arg);

/** rte_memseg_walk() without the hotplug lock (for callbacks and validators). */
int rte_memseg_walk_thread_unsafe(rte_memseg_walk_t func, void *arg);

/** rte_memseg_contig_walk() without the hotplug lock. */
int rte_memseg_contig_walk_thread_unsafe(rte_memseg_contig_walk_t func, void *arg);

/** rte_memseg_list_walk() without the hotplug lock. */
int rte_memseg_list_walk_thread_unsafe(rte_memseg_list_walk_t func, void *arg);

/**
 * @return the file descriptor backing page @p ms (the list's file with
 *   --single-file-segments; the caller must not close it), or -1 with
 *   rte_errno: EINVAL (not an EAL memseg), ENOENT (page not mapped),
 *   ENODEV (no fd backs it), ENOTSUP.
 */
int rte_memseg_get_fd(const struct rte_memseg *ms);

/** rte_memseg_get_fd() without the hotplug lock. */
int rte_memseg_get_fd_thread_unsafe(const struct rte_memseg *ms);

/**
 * Store in @p offset where page @p ms starts inside its fd.
 *
 * @return 0, or -1 with rte_errno as rte_memseg_get_fd() (EINVAL also for a
 *   NULL @p offset).
 */
int rte_memseg_get_fd_offset(const struct rte_memseg *ms, size_t *offset);

/** rte_memseg_get_fd_offset() without the hotplug lock. */
int rte_memseg_get_fd_offset_thread_unsafe(const struct rte_memseg *ms, size_t *offset);

/**
 * Register memory that the EAL did not allocate, so that lookups such as
 * rte_mem_virt2memseg() know it (it is not added to any heap).
 *
 * @param va_addr
 *   Start, aligned to @p page_sz.
 * @param len
 *   Length, a multiple of @p page_sz.
 * @param iova_addrs
 *   IOVA of each page, or NULL (all RTE_BAD_IOVA).
 * @param n_pages
 *   Entries of @p iova_addrs; must be len / page_sz when it is not NULL.
 * @param page_sz
 *   Page size, a power of two.
 * @return 0, or -1 with rte_errno: EINVAL, ENOSPC (no free list), EEXIST
 *   (overlaps memory already registered), ENOMEM.
 */
int rte_extmem_register(void *va_addr, size_t len, rte_iova_t iova_addrs[],
		unsigned int n_pages, size_t page_sz);

/**
 * Forget external memory registered with rte_extmem_register().
 *
 * @return 0, or -1 with rte_errno: EINVAL, ENOENT (not registered), EBUSY
 *   (it belongs to a heap).
 */
int rte_extmem_unregister(void *va_addr, size_t len);

/**
 * In another process, attach to external memory registered by the primary.
 *
 * @return 0, or -1 with rte_errno EINVAL or ENOENT.
 */
int rte_extmem_attach(void *va_addr, size_t len);

/**
 * Undo rte_extmem_attach().
 *
 * @return 0, or -1 with rte_errno EINVAL or ENOENT.
 */
int rte_extmem_detach(void *va_addr, size_t len);

/** Print one line per mapped page to @p f. */
void rte_dump_physmem_layout(FILE *f);

/** @return the bytes of EAL memory (not external) currently mapped. */
uint64_t rte_eal_get_physmem_size(void);

/** @return the memory channels given with -n (0 if not given). */
unsigned int rte_memory_get_nchannel(void);

/** @return the memory ranks given with -r (0 if not given). */
unsigned int rte_memory_get_nrank(void);

/**
 * Check that every mapped page's IOVA fits in @p maskbits bits, and make
 * future heap growth respect that mask.
 *
 * @return 0 if all fit, 1 if some do not, -1 if @p maskbits > 64.
 */
int rte_mem_check_dma_mask(uint8_t maskbits);

/** rte_mem_check_dma_mask() without the hotplug lock. */
int rte_mem_check_dma_mask_thread_unsafe(uint8_t maskbits);

/** Record a DMA mask without checking existing pages. */
void rte_mem_set_dma_mask(uint8_t maskbits);

/** @return 1 if physical addresses are known (IOVA as PA is possible). */
int rte_eal_using_phys_addrs(void);

/** Memory event types. */
enum rte_mem_event {
	RTE_MEM_EVENT_ALLOC = 0, /**< pages were mapped */
	RTE_MEM_EVENT_FREE,      /**< pages are about to be unmapped */
};

/** Longest memory event callback name, including the NUL. */
#define RTE_MEM_EVENT_CALLBACK_NAME_LEN 64

/**
 * Called when pages are added (after mapping) or removed (before
 * unmapping), once per VA-contiguous chunk, with the hotplug lock held
 * for writing.
 */
typedef void (*rte_mem_event_callback_t)(enum rte_mem_event event_type,
		const void *addr, size_t len, void *arg);

/**
 * Register a memory event callback (per process).
 *
 * @return 0, or -1 with rte_errno: EINVAL (NULL/empty name, NULL callback),
 *   ENAMETOOLONG, EEXIST (same name and arg), ENOMEM, ENOTSUP (legacy mode).
 */
int rte_mem_event_callback_register(const char *name, rte_mem_event_callback_t clb,
		void *arg);

/**
 * Remove the callback registered under (@p name, @p arg).
 *
 * @return 0, or -1 with rte_errno EINVAL, ENOENT or ENOTSUP.
 */
int rte_mem_event_callback_unregister(const char *name, void *arg);

/** Longest allocation validator name, including the NUL. */
#define RTE_MEM_ALLOC_VALIDATOR_NAME_LEN 64

/**
 * Asked before a heap on @p socket_id grows to @p new_len bytes, when
 * @p new_len >= @p cur_limit. Return 0 to allow, -1 to refuse.
 */
typedef int (*rte_mem_alloc_validator_t)(int socket_id, size_t cur_limit, size_t new_len);

/**
 * Register an allocation validator for @p socket_id (per process).
 *
 * @return 0, or -1 with rte_errno: EINVAL (bad name, callback or socket),
 *   ENAMETOOLONG, EEXIST, ENOMEM, ENOTSUP (legacy mode).
 */
int rte_mem_alloc_validator_register(const char *name, rte_mem_alloc_validator_t clb,
		int socket_id, size_t limit);

/**
 * Remove the validator (@p name, @p socket_id).
 *
 * @return 0, or -1 with rte_errno EINVAL, ENOENT or ENOTSUP.
 */
int rte_mem_alloc_validator_unregister(const char *name, int socket_id);

/**
 * Check whether [@p addr, @p addr + @p len) of EAL memory is IOVA-contiguous
 * (an addition of the dynamic-memory patchset).
 *
 * @return 1 if it is, 0 if it is not, -1 with rte_errno EINVAL if the range
 *   is not entirely mapped EAL memory.
 */
int rte_mem_is_iova_contig(const void *addr, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_MEMORY_H_ */
