/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_MALLOC_H_
#define _RTE_MALLOC_H_

/**
 * @file
 * Allocation from the hugepage heaps.
 *
 * Memory comes from one heap per NUMA socket (growing and shrinking in
 * whole pages) or from a named external heap over memory the application
 * provides. Every block is at least cache-line aligned. Free heap memory is
 * kept zeroed, so rte_zmalloc() and rte_calloc() cost no more than
 * rte_malloc() for fresh memory.
 *
 * Bad input never crashes: a zero size, a non-power-of-two alignment, an
 * overflowing rte_calloc() product or an impossible size return NULL; a
 * pointer that this allocator did not return (foreign, interior or already
 * freed) is logged and ignored by rte_free() and rte_realloc().
 */

#include <stddef.h>
#include <stdio.h>

#include <rte_common.h>
#include <rte_memory.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Statistics of one heap (rte_malloc_get_socket_stats()). */
struct rte_malloc_socket_stats {
	size_t heap_totalsz_bytes; /**< bytes of memory in the heap */
	size_t heap_freesz_bytes;  /**< bytes in free elements (headers included) */
	size_t greatest_free_size; /**< size of the biggest free element */
	unsigned int free_count;   /**< free elements */
	unsigned int alloc_count;  /**< allocated elements */
	size_t heap_allocsz_bytes; /**< bytes in allocated elements */
};

/**
 * Allocate @p size bytes on any socket, preferring the caller's.
 *
 * @param type   ignored (kept for compatibility; may be NULL)
 * @param size   bytes wanted; 0 fails
 * @param align  0 (cache line) or a power of two
 * @return the block, or NULL (no memory or bad argument).
 */
void *rte_malloc(const char *type, size_t size, unsigned int align)
	__rte_alloc_size(2);

/** rte_malloc(), with the block zeroed. */
void *rte_zmalloc(const char *type, size_t size, unsigned int align)
	__rte_alloc_size(2);

/**
 * Allocate a zeroed array of @p num elements of @p size bytes.
 * @return the block, or NULL (also when num * size overflows).
 */
void *rte_calloc(const char *type, size_t num, size_t size, unsigned int align)
	__rte_alloc_size(2, 3);

/**
 * Resize a block (see rte_realloc_socket()); a moved block goes to any socket.
 */
void *rte_realloc(void *ptr, size_t size, unsigned int align)
	__rte_alloc_size(2);

/**
 * Resize the block @p ptr to @p size bytes with alignment @p align.
 *
 * NULL @p ptr allocates. A @p size of 0 frees @p ptr and returns NULL. The
 * block grows or shrinks in place when it can (same socket, alignment
 * already met); otherwise a new block is allocated on @p socket, the
 * user's bytes are copied and the old block freed.
 *
 * @return the block, or NULL: then @p ptr is untouched and still valid
 *   (except for size 0). Non-power-of-two @p align, a foreign @p ptr and
 *   impossible sizes fail.
 */
void *rte_realloc_socket(void *ptr, size_t size, unsigned int align, int socket)
	__rte_alloc_size(2);

/**
 * Allocate @p size bytes on @p socket (SOCKET_ID_ANY: the caller's socket
 * first, then the others; an external heap's socket id: that heap).
 * @return the block, or NULL.
 */
void *rte_malloc_socket(const char *type, size_t size, unsigned int align, int socket)
	__rte_alloc_size(2);

/** rte_malloc_socket(), with the block zeroed. */
void *rte_zmalloc_socket(const char *type, size_t size, unsigned int align, int socket)
	__rte_alloc_size(2);

/** rte_calloc() on @p socket. */
void *rte_calloc_socket(const char *type, size_t num, size_t size, unsigned int align,
		int socket)
	__rte_alloc_size(2, 3);

/**
 * @name IOVA-contiguous allocation
 * Thin wrappers over the heap's contiguous path (the one
 * RTE_MEMZONE_IOVA_CONTIG uses): the block is contiguous in IO address
 * space, as a device doing DMA without an IOMMU needs. In dynamic memory
 * mode with physical addresses, blocks larger than one page usually cannot
 * be had; the call then fails quickly with NULL.
 * @{
 */
/** rte_malloc() returning IOVA-contiguous memory. */
void *rte_malloc_contig(const char *type, size_t size, unsigned int align)
	__rte_alloc_size(2);
/** rte_zmalloc() returning IOVA-contiguous memory. */
void *rte_zmalloc_contig(const char *type, size_t size, unsigned int align)
	__rte_alloc_size(2);
/** rte_calloc() returning IOVA-contiguous memory. */
void *rte_calloc_contig(const char *type, size_t num, size_t size, unsigned int align)
	__rte_alloc_size(2, 3);
/** rte_malloc_socket() returning IOVA-contiguous memory. */
void *rte_malloc_contig_socket(const char *type, size_t size, unsigned int align,
		int socket)
	__rte_alloc_size(2);
/** rte_zmalloc_socket() returning IOVA-contiguous memory. */
void *rte_zmalloc_contig_socket(const char *type, size_t size, unsigned int align,
		int socket)
	__rte_alloc_size(2);
/** rte_calloc_socket() returning IOVA-contiguous memory. */
void *rte_calloc_contig_socket(const char *type, size_t num, size_t size,
		unsigned int align, int socket)
	__rte_alloc_size(2, 3);
/** @} */

/**
 * Free a block. NULL is a no-op; a pointer this allocator did not return,
 * or one already freed, is logged ("Invalid memory") and ignored.
 */
void rte_free(void *ptr);

/**
 * Check the block @p ptr and return its usable size in @p size (may be NULL).
 * Every build checks the header's magic word; RTE_MALLOC_DEBUG builds also
 * check the header and trailer cookies.
 * @return 0, or -1 for NULL or a damaged or foreign block.
 */
int rte_malloc_validate(const void *ptr, size_t *size);

/**
 * Statistics of the heap of @p socket (a socket id or an external heap's).
 * @return 0, or -1 if no heap has that socket id or @p socket_stats is NULL.
 */
int rte_malloc_get_socket_stats(int socket, struct rte_malloc_socket_stats *socket_stats);

/**
 * Add the memory [va_addr, va_addr + len) to the external heap @p heap_name.
 *
 * @param iova_addrs  IOVA of each page, or NULL (all RTE_BAD_IOVA)
 * @param n_pages     entries in @p iova_addrs; must be len / page_sz if given
 * @param page_sz     page size, a power of two; len must be a multiple of it
 * @return 0, or -1 with rte_errno: EINVAL (bad argument), ENOENT (no such
 *   heap), EPERM (an internal heap), ENOSPC (no free memseg list), EEXIST
 *   (overlaps memory already known).
 */
int rte_malloc_heap_memory_add(const char *heap_name, void *va_addr, size_t len,
		rte_iova_t iova_addrs[], unsigned int n_pages, size_t page_sz);

/**
 * Remove memory added with rte_malloc_heap_memory_add() (same va_addr/len).
 * @return 0, or -1 with rte_errno: EINVAL, ENOENT (no such heap or chunk),
 *   EPERM (internal heap), EBUSY (part of it still allocated).
 */
int rte_malloc_heap_memory_remove(const char *heap_name, void *va_addr, size_t len);

/**
 * In another process, start using external memory added by the process
 * that called rte_malloc_heap_memory_add() (the memory must be mapped at
 * the same address here).
 * @return 0, or -1 with rte_errno EINVAL, ENOENT.
 */
int rte_malloc_heap_memory_attach(const char *heap_name, void *va_addr, size_t len);

/** Undo rte_malloc_heap_memory_attach(). @return 0, or -1 with rte_errno EINVAL, ENOENT. */
int rte_malloc_heap_memory_detach(const char *heap_name, void *va_addr, size_t len);

/**
 * Create an empty external heap named @p heap_name.
 * @return 0, or -1 with rte_errno: EINVAL (NULL, empty or too long name),
 *   EEXIST, ENOSPC (no free heap slot).
 */
int rte_malloc_heap_create(const char *heap_name);

/**
 * Destroy an external heap that holds no memory.
 * @return 0, or -1 with rte_errno EINVAL, ENOENT, EPERM (internal heap),
 *   EBUSY (memory still added).
 */
int rte_malloc_heap_destroy(const char *heap_name);

/** @return the socket id of heap @p name, or -1 with rte_errno EINVAL/ENOENT. */
int rte_malloc_heap_get_socket(const char *name);

/** @return 1 if @p socket_id is an external heap's, 0 if not, -1 (EINVAL) if unknown. */
int rte_malloc_heap_socket_is_external(int socket_id);

/** Print the statistics of every heap to @p f (@p type is ignored). */
void rte_malloc_dump_stats(FILE *f, const char *type);

/** Print every heap and each of its elements to @p f. */
void rte_malloc_dump_heaps(FILE *f);

/**
 * Limits per allocation type are not implemented.
 * @return 0 always.
 */
int rte_malloc_set_limit(const char *type, size_t max);

/**
 * @return the IOVA of @p addr inside a block of this allocator, or
 *   RTE_BAD_IOVA (not such a pointer, or no IOVA known).
 */
rte_iova_t rte_malloc_virt2iova(const void *addr);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_MALLOC_H_ */
