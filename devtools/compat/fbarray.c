/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Source-compatibility probe for rte_fbarray.h (see eal_lcore.c): one
 * array with a known pattern of used elements, every search from a few
 * start points, and the error paths. Elements and indexes are printed,
 * never addresses.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_fbarray.h>

#define LEN 200

static const unsigned int starts[] = { 0, 5, 10, 63, 64, 100, 128, 150, LEN - 1 };

/* print f(start) for every start, with rte_errno after a failure */
#define SEARCH(call) do { \
	unsigned int i_; \
	printf("%-36s", #call); \
	for (i_ = 0; i_ < RTE_DIM(starts); i_++) { \
		unsigned int start = starts[i_]; \
		int r_; \
		rte_errno = 0; \
		r_ = (call); \
		if (r_ < 0) \
			printf(" %d/%d", r_, rte_errno); \
		else \
			printf(" %d", r_); \
	} \
	printf("\n"); \
} while (0)

static void
mark(struct rte_fbarray *arr, unsigned int lo, unsigned int hi)
{
	unsigned int i;

	for (i = lo; i <= hi; i++)
		rte_fbarray_set_used(arr, i);
}

static void
searches(struct rte_fbarray *arr)
{
	SEARCH(rte_fbarray_find_next_free(arr, start));
	SEARCH(rte_fbarray_find_next_used(arr, start));
	SEARCH(rte_fbarray_find_prev_free(arr, start));
	SEARCH(rte_fbarray_find_prev_used(arr, start));
	SEARCH(rte_fbarray_find_next_n_free(arr, start, 3));
	SEARCH(rte_fbarray_find_next_n_used(arr, start, 3));
	SEARCH(rte_fbarray_find_next_n_free(arr, start, 40));
	SEARCH(rte_fbarray_find_next_n_used(arr, start, 40));
	SEARCH(rte_fbarray_find_prev_n_free(arr, start, 3));
	SEARCH(rte_fbarray_find_prev_n_used(arr, start, 3));
	SEARCH(rte_fbarray_find_prev_n_used(arr, start, 40));
	SEARCH(rte_fbarray_find_contig_free(arr, start));
	SEARCH(rte_fbarray_find_contig_used(arr, start));
	SEARCH(rte_fbarray_find_rev_contig_free(arr, start));
	SEARCH(rte_fbarray_find_rev_contig_used(arr, start));
	SEARCH(rte_fbarray_find_biggest_free(arr, start));
	SEARCH(rte_fbarray_find_biggest_used(arr, start));
	SEARCH(rte_fbarray_find_rev_biggest_free(arr, start));
	SEARCH(rte_fbarray_find_rev_biggest_used(arr, start));
	SEARCH(rte_fbarray_is_used(arr, start));
}

static void
errors(struct rte_fbarray *arr)
{
	struct rte_fbarray other;
	int ret;

	memset(&other, 0, sizeof(other));
	rte_errno = 0;
	printf("get(LEN) %s rte_errno %d\n", rte_fbarray_get(arr, LEN) ? "ptr" : "NULL", rte_errno);
	ret = rte_fbarray_set_used(arr, LEN);
	printf("set_used(LEN) %d rte_errno %d\n", ret, rte_errno);
	ret = rte_fbarray_is_used(arr, LEN);
	printf("is_used(LEN) %d rte_errno %d\n", ret, rte_errno);
	ret = rte_fbarray_find_next_free(arr, LEN);
	printf("find_next_free(LEN) %d rte_errno %d\n", ret, rte_errno);
	ret = rte_fbarray_find_next_n_free(arr, 0, 0);
	printf("find_next_n_free(0, 0) %d rte_errno %d\n", ret, rte_errno);
	ret = rte_fbarray_find_idx(arr, &other);
	printf("find_idx(foreign) %d rte_errno %d\n", ret, rte_errno);
	ret = rte_fbarray_init(&other, "compat", 10, 8);
	printf("init duplicate name %d rte_errno %d\n", ret, rte_errno);
	ret = rte_fbarray_init(&other, "compat-zero", 0, 8);
	printf("init len 0 %d rte_errno %d\n", ret, rte_errno);
	ret = rte_fbarray_init(&other, "compat-zero", 10, 0);
	printf("init elt_sz 0 %d rte_errno %d\n", ret, rte_errno);
	ret = rte_fbarray_init(NULL, "compat-null", 10, 8);
	printf("init NULL %d rte_errno %d\n", ret, rte_errno);
}

int
main(int argc, char **argv)
{
	struct rte_fbarray arr;
	int ret, idx;

	if (rte_eal_init(argc, argv) < 0)
		return 1;
	memset(&arr, 0, sizeof(arr));
	ret = rte_fbarray_init(&arr, "compat", LEN, 24);
	printf("init %d name %s len %u elt_sz %u count %u\n", ret, arr.name, arr.len, arr.elt_sz,
		arr.count);
	if (ret != 0)
		return 1;
	mark(&arr, 0, 9);
	mark(&arr, 20, 20);
	mark(&arr, 64, 127);
	mark(&arr, 140, 141);
	ret = rte_fbarray_set_used(&arr, 20);
	printf("set_used twice %d count %u\n", ret, arr.count);
	ret = rte_fbarray_set_free(&arr, 30);
	printf("set_free on free %d count %u\n", ret, arr.count);
	idx = rte_fbarray_find_idx(&arr, rte_fbarray_get(&arr, 77));
	printf("find_idx(get(77)) %d; elements are %ld bytes apart\n", idx,
		(long)((char *)rte_fbarray_get(&arr, 1) - (char *)rte_fbarray_get(&arr, 0)));
	searches(&arr);
	errors(&arr);
	ret = rte_fbarray_destroy(&arr);
	printf("destroy %d\n", ret);
	memset(&arr, 0, sizeof(arr));
	ret = rte_fbarray_init(&arr, "compat", 1, 8);
	printf("init again after destroy %d\n", ret);
	rte_fbarray_destroy(&arr);
	rte_eal_cleanup();
	return 0;
}
