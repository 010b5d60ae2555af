/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * malloc_perf_autotest: costs of rte_malloc/rte_free and memzones in this
 * process (figures only, nothing asserted on time). The side-by-side
 * comparison with DPDK 22.11 is app/test/bench/malloc_bench.c.
 */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <rte_common.h>
#include <rte_malloc.h>
#include <rte_memzone.h>

#include "test.h"

#define N_PAIRS 200000u
#define N_BATCH 10000u

static void *blocks[N_BATCH];

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
time_pairs(size_t sz)
{
	double t = now();
	unsigned int i;

	for (i = 0; i < N_PAIRS; i++) {
		void *p = rte_malloc(NULL, sz, 0);

		TEST_ASSERT_NOT_NULL(p, "allocation of %zu failed", sz);
		rte_free(p);
	}
	printf("alloc+free pair of %7zu B: %8.1f ns\n", sz, (now() - t) * 1e9 / N_PAIRS);
	return TEST_SUCCESS;
}

static int
time_batch(size_t sz, unsigned int n)
{
	double t = now();
	unsigned int i;

	for (i = 0; i < n; i++) {
		blocks[i] = rte_malloc(NULL, sz, 0);
		TEST_ASSERT_NOT_NULL(blocks[i], "allocation %u of %zu failed", i, sz);
	}
	for (i = 0; i < n; i++) {
		unsigned int j = i + (unsigned int)(rand() % (int)(n - i));
		void *x = blocks[i];

		blocks[i] = blocks[j];
		blocks[j] = x;
		rte_free(blocks[i]);
	}
	printf("batch of %5u x %7zu B, random frees: %8.1f ns per block\n", n, sz,
			(now() - t) * 1e9 / n);
	return TEST_SUCCESS;
}

static int
time_memzones(void)
{
	static const struct rte_memzone *mz[1000];
	char name[RTE_MEMZONE_NAMESIZE];
	unsigned int i;
	double t = now();

	for (i = 0; i < RTE_DIM(mz); i++) {
		snprintf(name, sizeof(name), "perf_mz_%u", i);
		mz[i] = rte_memzone_reserve(name, 4096, SOCKET_ID_ANY, 0);
		TEST_ASSERT_NOT_NULL(mz[i], "memzone %u failed", i);
	}
	printf("memzone reserve: %8.1f us\n", (now() - t) * 1e6 / RTE_DIM(mz));
	t = now();
	for (i = 0; i < RTE_DIM(mz); i++)
		TEST_ASSERT_SUCCESS(rte_memzone_free(mz[i]), "free %u failed", i);
	printf("memzone free:    %8.1f us\n", (now() - t) * 1e6 / RTE_DIM(mz));
	return TEST_SUCCESS;
}

static int
test_malloc_perf(void)
{
	static const size_t sizes[] = { 64, 1024, 65536, 1 << 20 };
	unsigned int i;

	if (!test_have_hugepages())
		return test_hugepages_missing("malloc_perf_autotest needs hugepages");
	for (i = 0; i < RTE_DIM(sizes); i++) {
		if (time_pairs(sizes[i]) != TEST_SUCCESS)
			return TEST_FAILED;
		if (time_batch(sizes[i], sizes[i] >= (1 << 20) ? 100 : N_BATCH) != TEST_SUCCESS)
			return TEST_FAILED;
	}
	return time_memzones();
}

REGISTER_PERF_TEST(malloc_perf_autotest, test_malloc_perf);
