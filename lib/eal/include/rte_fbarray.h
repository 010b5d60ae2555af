/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_FBARRAY_H_
#define _RTE_FBARRAY_H_

/**
 * @file
 * File-backed array: a fixed number of fixed-size elements plus a bitmap
 * of which ones are in use. The data and the bitmap live in a file of the
 * runtime directory, mapped shared, so every process of one --file-prefix
 * sees the same array at the same address. The struct itself is meant to
 * sit in shared memory too; its rwlock guards the bitmap and count only:
 * element contents are the caller's business.
 *
 * Functions returning int return -1 (or NULL) on error and set rte_errno.
 */

#include <stdio.h>

#include <rte_rwlock.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Longest array name, including the terminating NUL. */
#define RTE_FBARRAY_NAME_LEN 64

/** The array descriptor. */
struct rte_fbarray {
	char name[RTE_FBARRAY_NAME_LEN]; /**< name, also names the backing file */
	unsigned int count;              /**< elements in use */
	unsigned int len;                /**< capacity */
	unsigned int elt_sz;             /**< size of one element */
	void *data;                      /**< first element */
	rte_rwlock_t rwlock;             /**< guards the bitmap and count */
};

/**
 * Create an array: create, size and map its file <runtime dir>/fbarray_<name>
 * (mode 0600). With --no-shconf the array is private memory and has no file.
 * All elements start free.
 *
 * @param arr
 *   Descriptor to fill (usually in shared memory).
 * @param name
 *   Unique name, shorter than RTE_FBARRAY_NAME_LEN, without '/'.
 * @param len
 *   Number of elements, 1..INT_MAX.
 * @param elt_sz
 *   Size of one element, > 0.
 * @return
 *   0, or -1 with rte_errno: EINVAL (bad argument), ENAMETOOLONG (name too
 *   long), EBUSY (an array of that name is in use by another process),
 *   ENOMEM/other errno from the system.
 */
int rte_fbarray_init(struct rte_fbarray *arr, const char *name, unsigned int len,
		unsigned int elt_sz);

/**
 * Map an array that another process created, at the same address.
 *
 * @param arr
 *   Descriptor filled by the creator (read from shared memory).
 * @return
 *   0, or -1 with rte_errno: EINVAL, EEXIST (this process already maps an
 *   array overlapping it), EADDRNOTAVAIL (something else is mapped at
 *   arr->data), EBUSY (the array is being created or destroyed), or the
 *   errno of the failed system call (e.g. ENOENT: no such file).
 */
int rte_fbarray_attach(struct rte_fbarray *arr);

/**
 * Unmap an array and delete its file, unless another process has it mapped.
 * On success the descriptor is cleared.
 *
 * @return
 *   0, or -1 with rte_errno: EINVAL, EBUSY (still mapped by another process;
 *   the array is left intact), ENOENT (not mapped by this process).
 */
int rte_fbarray_destroy(struct rte_fbarray *arr);

/**
 * Unmap this process's view of an array; the file and other views stay.
 *
 * @return 0, or -1 with rte_errno EINVAL or ENOENT (not mapped here).
 */
int rte_fbarray_detach(struct rte_fbarray *arr);

/**
 * @return a pointer to element @p idx (used or not), or NULL with
 *   rte_errno EINVAL if @p arr is NULL or @p idx >= len.
 */
void *rte_fbarray_get(const struct rte_fbarray *arr, unsigned int idx);

/**
 * @return the index of the element at @p elt, or -1 with rte_errno EINVAL
 *   if @p elt does not point into the array.
 */
int rte_fbarray_find_idx(const struct rte_fbarray *arr, const void *elt);

/**
 * Mark element @p idx used (idempotent).
 *
 * @return 0, or -1 with rte_errno EINVAL.
 */
int rte_fbarray_set_used(struct rte_fbarray *arr, unsigned int idx);

/**
 * Mark element @p idx free (idempotent).
 *
 * @return 0, or -1 with rte_errno EINVAL.
 */
int rte_fbarray_set_free(struct rte_fbarray *arr, unsigned int idx);

/** @return 1 if element @p idx is used, 0 if free, -1 (EINVAL) on error. */
int rte_fbarray_is_used(struct rte_fbarray *arr, unsigned int idx);

/**
 * @return the lowest free index >= @p start, or -1 with rte_errno ENOSPC
 *   (none) or EINVAL.
 */
int rte_fbarray_find_next_free(struct rte_fbarray *arr, unsigned int start);

/**
 * @return the lowest used index >= @p start, or -1 with rte_errno ENOENT
 *   (none) or EINVAL.
 */
int rte_fbarray_find_next_used(struct rte_fbarray *arr, unsigned int start);

/**
 * @return the lowest index i >= @p start with [i, i + n) all free, or -1
 *   with rte_errno ENOSPC (none) or EINVAL (n == 0, n > len, start >= len).
 */
int rte_fbarray_find_next_n_free(struct rte_fbarray *arr, unsigned int start,
		unsigned int n);

/**
 * @return the lowest index i >= @p start with [i, i + n) all used, or -1
 *   with rte_errno ENOENT (none) or EINVAL.
 */
int rte_fbarray_find_next_n_used(struct rte_fbarray *arr, unsigned int start,
		unsigned int n);

/**
 * @return the number of consecutive free elements starting at @p start
 *   (0 if @p start is used), or -1 with rte_errno EINVAL.
 */
int rte_fbarray_find_contig_free(struct rte_fbarray *arr, unsigned int start);

/**
 * @return the number of consecutive used elements starting at @p start
 *   (0 if @p start is free), or -1 with rte_errno EINVAL.
 */
int rte_fbarray_find_contig_used(struct rte_fbarray *arr, unsigned int start);

/**
 * @return the highest free index <= @p start, or -1 with rte_errno ENOSPC
 *   or EINVAL.
 */
int rte_fbarray_find_prev_free(struct rte_fbarray *arr, unsigned int start);

/**
 * @return the highest used index <= @p start, or -1 with rte_errno ENOENT
 *   or EINVAL.
 */
int rte_fbarray_find_prev_used(struct rte_fbarray *arr, unsigned int start);

/**
 * @return the lowest index of the highest window [i, i + n) of free
 *   elements that ends at or before @p start, or -1 with rte_errno ENOSPC
 *   or EINVAL.
 */
int rte_fbarray_find_prev_n_free(struct rte_fbarray *arr, unsigned int start,
		unsigned int n);

/**
 * @return the lowest index of the highest window [i, i + n) of used
 *   elements that ends at or before @p start, or -1 with rte_errno ENOENT
 *   or EINVAL.
 */
int rte_fbarray_find_prev_n_used(struct rte_fbarray *arr, unsigned int start,
		unsigned int n);

/**
 * @return the number of consecutive free elements ending at @p start,
 *   counted backwards (0 if @p start is used), or -1 with rte_errno EINVAL.
 */
int rte_fbarray_find_rev_contig_free(struct rte_fbarray *arr, unsigned int start);

/**
 * @return the number of consecutive used elements ending at @p start,
 *   counted backwards (0 if @p start is free), or -1 with rte_errno EINVAL.
 */
int rte_fbarray_find_rev_contig_used(struct rte_fbarray *arr, unsigned int start);

/**
 * @return the first index of the longest run of free elements at or after
 *   @p start (the first such run on ties), or -1 with rte_errno ENOSPC or
 *   EINVAL.
 */
int rte_fbarray_find_biggest_free(struct rte_fbarray *arr, unsigned int start);

/**
 * @return the first index of the longest run of used elements at or after
 *   @p start, or -1 with rte_errno ENOENT or EINVAL.
 */
int rte_fbarray_find_biggest_used(struct rte_fbarray *arr, unsigned int start);

/**
 * @return the first index of the longest run of free elements at or before
 *   @p start, searching backwards (the first run met on ties), or -1 with
 *   rte_errno ENOSPC or EINVAL.
 */
int rte_fbarray_find_rev_biggest_free(struct rte_fbarray *arr, unsigned int start);

/**
 * @return the first index of the longest run of used elements at or before
 *   @p start, searching backwards, or -1 with rte_errno ENOENT or EINVAL.
 */
int rte_fbarray_find_rev_biggest_used(struct rte_fbarray *arr, unsigned int start);

/** Print the array's name, sizes and bitmap to @p f. */
void rte_fbarray_dump_metadata(struct rte_fbarray *arr, FILE *f);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_FBARRAY_H_ */
