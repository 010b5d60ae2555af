/* SPDX-License-Identifier: BSD-3-Clause */

/* Non-EAL threads as lcores and lcore init/uninit callbacks. */

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include "test.h"

static unsigned int inits[RTE_MAX_LCORE], uninits[RTE_MAX_LCORE];
static int refuse_non_eal;

static int
count_init(unsigned int lcore_id, void *arg)
{
	if (arg != NULL && rte_eal_lcore_role(lcore_id) == ROLE_NON_EAL && refuse_non_eal)
		return -1;
	inits[lcore_id]++;
	return 0;
}

static void
count_uninit(unsigned int lcore_id, void *arg __rte_unused)
{
	uninits[lcore_id]++;
}

/* refuses the second lcore it is shown */
static int
refuse_second(unsigned int lcore_id __rte_unused, void *arg)
{
	unsigned int *seen = arg;

	return ++*seen > 1 ? -1 : 0;
}

static unsigned int
sum(const unsigned int *v)
{
	unsigned int i, n = 0;

	for (i = 0; i < RTE_MAX_LCORE; i++)
		n += v[i];
	return n;
}

static void
reset_counts(void)
{
	memset(inits, 0, sizeof(inits));
	memset(uninits, 0, sizeof(uninits));
}

struct thread_result {
	int ret, err, ret_again, index;
	unsigned int id, id_again, count, id_after, iterated;
	int role;
};

static int
count_iterated(unsigned int lcore_id __rte_unused, void *arg)
{
	unsigned int *n = arg;

	(*n)++;
	return 0;
}

static void *
register_thread(void *arg)
{
	struct thread_result *r = arg;

	r->ret = rte_thread_register();
	r->err = rte_errno;
	r->id = rte_lcore_id();
	r->ret_again = rte_thread_register();
	r->id_again = rte_lcore_id();
	r->count = rte_lcore_count();
	rte_lcore_iterate(count_iterated, &r->iterated);
	r->index = rte_lcore_index(-1);
	r->role = r->id < RTE_MAX_LCORE ? (int)rte_eal_lcore_role(r->id) : -1;
	rte_thread_unregister();
	r->id_after = rte_lcore_id();
	return NULL;
}

static int
run_thread(struct thread_result *r)
{
	pthread_t t;

	memset(r, 0, sizeof(*r));
	if (pthread_create(&t, NULL, register_thread, r) != 0)
		return -1;
	return pthread_join(t, NULL);
}

static int
test_callback_sees_existing_lcores(void)
{
	unsigned int seen = 0, before;
	void *h;

	reset_counts();
	h = rte_lcore_callback_register("count", count_init, count_uninit, NULL);
	TEST_ASSERT_NOT_NULL(h, "registration failed");
	TEST_ASSERT_EQUAL(sum(inits), rte_lcore_count(), "init not run once per lcore");
	TEST_ASSERT_EQUAL(inits[rte_get_main_lcore()], 1u, "main lcore not initialised");
	before = sum(uninits);
	rte_lcore_callback_unregister(h);
	TEST_ASSERT_EQUAL(sum(uninits) - before, rte_lcore_count(), "uninit not run per lcore");
	if (rte_lcore_count() < 2)
		return TEST_SUCCESS;
	/* a refusal rolls back: only the first lcore was initialised */
	TEST_ASSERT_NULL(rte_lcore_callback_register("refuse", refuse_second, count_uninit,
		&seen), "a refusing callback was registered");
	TEST_ASSERT_EQUAL(seen, 2u, "init not stopped at the refusal");
	TEST_ASSERT_EQUAL(sum(uninits) - before, rte_lcore_count() + 1, "no rollback");
	TEST_ASSERT_NOT_NULL(rte_lcore_callback_register("no-init", NULL, NULL, NULL),
		"callbacks may be NULL");
	return TEST_SUCCESS;
}

static int
test_non_eal_thread(void)
{
	unsigned int count = rte_lcore_count();
	struct thread_result r;
	void *h;

	reset_counts();
	h = rte_lcore_callback_register("count", count_init, count_uninit, NULL);
	TEST_ASSERT_NOT_NULL(h, "registration failed");
	TEST_ASSERT_SUCCESS(run_thread(&r), "thread failed");
	TEST_ASSERT_EQUAL(r.ret, 0, "rte_thread_register failed: %s", rte_strerror(r.err));
	TEST_ASSERT(r.id < RTE_MAX_LCORE, "no lcore id");
	TEST_ASSERT(!rte_lcore_is_enabled(r.id) || r.role == ROLE_NON_EAL, "id taken twice");
	TEST_ASSERT_EQUAL(r.role, (int)ROLE_NON_EAL, "role %d", r.role);
	TEST_ASSERT_EQUAL(r.ret_again, 0, "second registration failed");
	TEST_ASSERT_EQUAL(r.id_again, r.id, "second registration moved the thread");
	TEST_ASSERT_EQUAL(r.count, count + 1, "lcore count inside %u", r.count);
	TEST_ASSERT_EQUAL(r.index, -1, "a non-EAL lcore has an index");
	TEST_ASSERT_EQUAL(r.iterated, r.count, "rte_lcore_iterate() skipped lcores");
	TEST_ASSERT_EQUAL(inits[r.id], 1u, "init not run for the new lcore");
	TEST_ASSERT_EQUAL(uninits[r.id], 1u, "uninit not run at unregistration");
	TEST_ASSERT_EQUAL(r.id_after, LCORE_ID_ANY, "thread keeps its lcore id");
	TEST_ASSERT_EQUAL(rte_lcore_count(), count, "lcore not given back");
	TEST_ASSERT_EQUAL(rte_eal_lcore_role(r.id), ROLE_OFF, "role not reset");
	rte_lcore_callback_unregister(h);
	/* an EAL thread already has an id */
	TEST_ASSERT_SUCCESS(rte_thread_register(), "main thread registration failed");
	TEST_ASSERT_EQUAL(rte_lcore_id(), rte_get_main_lcore(), "main thread moved");
	return TEST_SUCCESS;
}

static int
test_refused_non_eal_thread(void)
{
	unsigned int count = rte_lcore_count();
	struct thread_result r;
	void *first, *second;

	reset_counts();
	first = rte_lcore_callback_register("first", count_init, count_uninit, NULL);
	second = rte_lcore_callback_register("second", count_init, count_uninit, &r);
	TEST_ASSERT(first != NULL && second != NULL, "registration failed");
	refuse_non_eal = 1;
	TEST_ASSERT_SUCCESS(run_thread(&r), "thread failed");
	refuse_non_eal = 0;
	TEST_ASSERT_EQUAL(r.ret, -1, "a refused registration succeeded");
	TEST_ASSERT_EQUAL(r.err, ENOMEM, "rte_errno %d", r.err);
	TEST_ASSERT_EQUAL(r.id, LCORE_ID_ANY, "refused thread got an id");
	TEST_ASSERT_EQUAL(rte_lcore_count(), count, "refused lcore leaked");
	/* the thread tried twice: each time the first callback accepted the lcore
	 * and was told to forget it when the second refused */
	TEST_ASSERT_EQUAL(sum(inits) - 2 * count, 2u, "first callback not run (%u inits)",
		sum(inits));
	TEST_ASSERT_EQUAL(sum(uninits), 2u, "first callback not rolled back");
	rte_lcore_callback_unregister(second);
	rte_lcore_callback_unregister(first);
	return TEST_SUCCESS;
}

static struct unit_test_suite lcore_cb_suite = {
	.suite_name = "non-EAL lcores and lcore callbacks",
	.unit_test_cases = {
		TEST_CASE(test_callback_sees_existing_lcores),
		TEST_CASE(test_non_eal_thread),
		TEST_CASE(test_refused_non_eal_thread),
		TEST_CASES_END(),
	},
};

static int
test_lcore_cb(void)
{
	return unit_test_suite_runner(&lcore_cb_suite);
}

REGISTER_FAST_TEST(lcore_cb_autotest, NOHUGE_OK, ASAN_OK, test_lcore_cb);
