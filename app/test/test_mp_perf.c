/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Multi-process figures: the cost of one heap growth as seen by the
 * primary and by a secondary (request through the primary, then a sync of
 * every secondary), for K = 0, 1, 3 other secondaries; and the long kill -9
 * run of RELIABILITY R4 (200 iterations).
 */

#include <stdio.h>

#include <rte_eal.h>

#include "test.h"
#include "test_mp.h"

#define BENCH_ITERS 50
#define KILL_ITERS 200

static int
bench_sync_latency(void)
{
	static const int ks[] = { 0, 1, 3 };
	double p, s;
	unsigned int i;

	printf("heap growth by one allocation (avg of %d, microseconds); the secondary's\n"
		"request is synced to itself and the K others\n", BENCH_ITERS);
	printf("%-28s %12s %12s\n", "other secondaries (K)", "primary", "secondary");
	for (i = 0; i < RTE_DIM(ks); i++) {
		p = mp_bench_growth_us(false, ks[i], BENCH_ITERS);
		s = mp_bench_growth_us(true, ks[i], BENCH_ITERS);
		printf("%-28d %12.1f %12.1f\n", ks[i], p, s);
		TEST_ASSERT(p > 0, "primary benchmark failed for K = %d", ks[i]);
		TEST_ASSERT(s > 0, "secondary benchmark failed for K = %d", ks[i]);
	}
	return TEST_SUCCESS;
}

static int
kill_stress(void)
{
	return mp_kill_test(KILL_ITERS);
}

static struct unit_test_suite mp_perf_suite = {
	.suite_name = "multi-process figures",
	.setup = mp_mem_setup,
	.teardown = mp_mem_teardown,
	.unit_test_cases = {
		TEST_CASE(bench_sync_latency),
		TEST_CASE(kill_stress),
		TEST_CASES_END(),
	},
};

static int
test_multiprocess_perf(void)
{
	return unit_test_suite_runner(&mp_perf_suite);
}

REGISTER_PERF_TEST(multiprocess_perf_autotest, test_multiprocess_perf);
