/* SPDX-License-Identifier: BSD-3-Clause */

/* lcore queries and function launching on worker lcores. */

#include <errno.h>
#include <pthread.h>
#include <sched.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_memory.h>
#include <rte_pause.h>

#include "test.h"

static unsigned int seen_lcore[RTE_MAX_LCORE];
static volatile int release_worker;

static int
record_lcore(void *arg)
{
	unsigned int id = rte_lcore_id();

	seen_lcore[id] = (unsigned int)(uintptr_t)arg;
	/* the thread must run on exactly the CPU set of its lcore */
	if (sched_getcpu() != rte_lcore_to_cpu_id((int)id))
		return -1;
	return (int)id + 100;
}

static int
block_until_released(void *arg __rte_unused)
{
	while (!__atomic_load_n(&release_worker, __ATOMIC_ACQUIRE))
		rte_pause();
	return 7;
}

static int
test_lcore_queries(void)
{
	unsigned int id, count = 0, socket;

	RTE_LCORE_FOREACH(id) {
		TEST_ASSERT(rte_lcore_is_enabled(id), "lcore %u iterated but not enabled", id);
		TEST_ASSERT_EQUAL(rte_lcore_index((int)id), (int)count,
			"lcore %u has index %d, expected %u", id, rte_lcore_index((int)id), count);
		count++;
	}
	TEST_ASSERT_EQUAL(count, rte_lcore_count(), "FOREACH saw %u lcores, count says %u",
		count, rte_lcore_count());
	TEST_ASSERT_EQUAL(rte_lcore_id(), rte_get_main_lcore(), "main thread is not main lcore");
	TEST_ASSERT(rte_socket_count() >= 1, "no NUMA socket detected");
	for (id = 0; id < rte_socket_count(); id++) {
		socket = (unsigned int)rte_socket_id_by_idx(id);
		TEST_ASSERT(socket < RTE_MAX_NUMA_NODES, "bad socket id %u at %u", socket, id);
	}
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_socket_id_by_idx(rte_socket_count()), -1,
		"socket index past the end accepted");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "rte_errno %d, expected EINVAL", rte_errno);
	TEST_ASSERT_EQUAL(rte_lcore_is_enabled(RTE_MAX_LCORE), 0, "RTE_MAX_LCORE enabled");
	return TEST_SUCCESS;
}

static int
test_launch_all(void)
{
	unsigned int id;

	memset(seen_lcore, 0, sizeof(seen_lcore));
	TEST_ASSERT_SUCCESS(rte_eal_mp_remote_launch(record_lcore, (void *)(uintptr_t)42,
		CALL_MAIN), "mp launch failed");
	rte_eal_mp_wait_lcore();
	RTE_LCORE_FOREACH(id)
		TEST_ASSERT_EQUAL(seen_lcore[id], 42u, "lcore %u did not run the function", id);
	RTE_LCORE_FOREACH_WORKER(id) {
		TEST_ASSERT_SUCCESS(rte_eal_remote_launch(record_lcore, (void *)(uintptr_t)1, id),
			"launch on %u failed", id);
		/* the result must be collected even if the function already finished */
		while (rte_eal_get_lcore_state(id) == RUNNING)
			rte_pause();
		TEST_ASSERT_EQUAL(rte_eal_wait_lcore(id), (int)id + 100,
			"wrong return value from lcore %u", id);
		TEST_ASSERT_EQUAL(rte_eal_wait_lcore(id), (int)id + 100,
			"the previous result is not returned again for %u", id);
	}
	return TEST_SUCCESS;
}

static int
test_launch_errors(void)
{
	unsigned int worker = rte_get_next_lcore(-1, 1, 0);

	TEST_ASSERT_EQUAL(rte_eal_remote_launch(record_lcore, NULL, rte_get_main_lcore()),
		-EINVAL, "launch on the main lcore accepted");
	TEST_ASSERT_EQUAL(rte_eal_remote_launch(record_lcore, NULL, RTE_MAX_LCORE), -EINVAL,
		"launch on an invalid lcore accepted");
	if (worker >= RTE_MAX_LCORE) {
		printf("only one lcore: busy-worker case not run\n");
		return TEST_SUCCESS;
	}
	release_worker = 0;
	TEST_ASSERT_SUCCESS(rte_eal_remote_launch(block_until_released, NULL, worker),
		"launch failed");
	TEST_ASSERT_EQUAL(rte_eal_get_lcore_state(worker), RUNNING, "worker not RUNNING");
	TEST_ASSERT_EQUAL(rte_eal_remote_launch(record_lcore, NULL, worker), -EBUSY,
		"second launch on a busy worker accepted");
	TEST_ASSERT_EQUAL(rte_eal_mp_remote_launch(record_lcore, NULL, SKIP_MAIN), -EBUSY,
		"mp launch with a busy worker accepted");
	__atomic_store_n(&release_worker, 1, __ATOMIC_RELEASE);
	TEST_ASSERT_EQUAL(rte_eal_wait_lcore(worker), 7, "wrong result after release");
	TEST_ASSERT_EQUAL(rte_eal_get_lcore_state(worker), WAIT, "worker not back to WAIT");
	return TEST_SUCCESS;
}

static struct unit_test_suite lcores_suite = {
	.suite_name = "lcores",
	.unit_test_cases = {
		TEST_CASE(test_lcore_queries),
		TEST_CASE(test_launch_all),
		TEST_CASE(test_launch_errors),
		TEST_CASES_END(),
	},
};

static int
test_lcores(void)
{
	return unit_test_suite_runner(&lcores_suite);
}

REGISTER_FAST_TEST(lcores_autotest, NOHUGE_OK, ASAN_OK, test_lcores);
