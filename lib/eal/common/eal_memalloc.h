/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _EAL_MEMALLOC_H_
#define _EAL_MEMALLOC_H_

/*
 * Page-level allocation: map a hugepage into a free slot of a memseg list
 * and unmap it again. Callers hold the memory hotplug lock for writing.
 *
 * Return convention of this layer: functions returning int return 0 (or a
 * count) on success and -1 on failure; the _fd functions return an fd or
 * -errno. Nothing here sets rte_errno except where stated.
 */

#include <stdbool.h>
#include <stddef.h>

#include <rte_memory.h>

/*
 * Map one page of @p page_sz on @p socket.
 * @return its memseg, or NULL.
 */
struct rte_memseg *eal_memalloc_alloc_seg(size_t page_sz, int socket);

/*
 * Map @p n_segs pages of @p page_sz on @p socket into VA-contiguous slots
 * of one list. With @p exact, either all pages are mapped or none (a
 * failure half way unmaps what was mapped); without, as many as possible.
 * @p ms (may be NULL) receives the memsegs.
 * @return the number of pages mapped, or -1.
 */
int eal_memalloc_alloc_seg_bulk(struct rte_memseg **ms, int n_segs, size_t page_sz,
		int socket, bool exact);

/* Unmap one page. @return 0, or -1 (e.g. pinned page, legacy mode). */
int eal_memalloc_free_seg(struct rte_memseg *ms);

/* Unmap pages; pinned ones are refused but the rest freed. @return 0 or -1. */
int eal_memalloc_free_seg_bulk(struct rte_memseg **ms, int n_segs);

/* @return true if [start, start + len) in @p msl is IOVA-contiguous. */
bool eal_memalloc_is_contig(const struct rte_memseg_list *msl, void *start, size_t len);

/* Secondary: make the local mappings match the primary's memseg lists. */
int eal_memalloc_sync_with_primary(void);

/* Memory event callbacks (process-local). Same errors as the public API. */
int eal_memalloc_mem_event_callback_register(const char *name,
		rte_mem_event_callback_t clb, void *arg);
int eal_memalloc_mem_event_callback_unregister(const char *name, void *arg);
void eal_memalloc_mem_event_notify(enum rte_mem_event event, const void *start, size_t len);

/* Allocation validators (process-local). */
int eal_memalloc_mem_alloc_validator_register(const char *name,
		rte_mem_alloc_validator_t clb, int socket_id, size_t limit);
int eal_memalloc_mem_alloc_validator_unregister(const char *name, int socket_id);
/* @return 0 if every matching validator allows growing to @p new_len, else -1. */
int eal_memalloc_mem_alloc_validate(int socket_id, size_t new_len);

/* fd of a page: @return fd, or -ENODEV (none) / -ENOENT / -ENOTSUP. */
int eal_memalloc_get_seg_fd(int list_idx, int seg_idx);
/* Remember @p fd for a page (legacy init). @return 0 or -ENOMEM/-ENOTSUP. */
int eal_memalloc_set_seg_fd(int list_idx, int seg_idx, int fd);
/* Remember one fd for a whole list (single-file). @return 0 or -errno. */
int eal_memalloc_set_seg_list_fd(int list_idx, int fd);
/* Offset of a page inside its fd. @return 0 or -ENODEV/-ENOENT. */
int eal_memalloc_get_seg_fd_offset(int list_idx, int seg_idx, size_t *offset);

/* Set up per-process state (fd tables, secondary mirrors, memfd probe). */
int eal_memalloc_init(void);
/*
 * Close fds and free per-process state; page files nobody else maps are
 * removed (pages still mapped stay valid until unmapped). Call it last:
 * pages freed afterwards are unmapped but their files are not touched.
 */
int eal_memalloc_cleanup(void);

/*
 * Test hooks (app/test only; fault injection at the OS seam).
 * eal_memalloc_test_fail_at(n): the n-th page mapping from now on fails as
 * if mmap() had returned ENOMEM; 0 switches it off.
 * eal_memalloc_test_force_sigbus_guard(true): fault pages in under the
 * SIGBUS guard even where MADV_POPULATE_WRITE exists.
 * eal_memalloc_test_force_anonymous(true): with --in-memory (not
 * single-file), back new pages as if the kernel had no hugetlb memfd.
 */
void eal_memalloc_test_fail_at(unsigned int n);
void eal_memalloc_test_force_sigbus_guard(bool on);
void eal_memalloc_test_force_anonymous(bool on);

#endif /* _EAL_MEMALLOC_H_ */
