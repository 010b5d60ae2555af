/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _TEST_H_
#define _TEST_H_

/*
 * The dpdk-test harness: assertion macros, unit-test suites and test
 * registration. A test is a function returning TEST_SUCCESS, TEST_FAILED
 * or TEST_SKIPPED, registered under a name with one of the REGISTER_*
 * macros; app/test/meson.build turns every REGISTER_FAST_TEST into a meson
 * test of the "fast-tests" suite and every REGISTER_PERF_TEST into one of
 * "perf-tests".
 */

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/types.h>

#include <rte_common.h>
#include <rte_log.h>

#define TEST_SUCCESS 0
#define TEST_FAILED -1
#define TEST_SKIPPED 77

#define TEST_TRACE_FAILURE(file, line, func) do {} while (0)

#define TEST_ASSERT(cond, msg, ...) do { \
	if (!(cond)) { \
		printf("TestCase %s() line %d failed: " msg "\n", __func__, __LINE__, \
			##__VA_ARGS__); \
		return TEST_FAILED; \
	} \
} while (0)

#define TEST_ASSERT_EQUAL(a, b, msg, ...) TEST_ASSERT((a) == (b), msg, ##__VA_ARGS__)
#define TEST_ASSERT_NOT_EQUAL(a, b, msg, ...) TEST_ASSERT((a) != (b), msg, ##__VA_ARGS__)
#define TEST_ASSERT_SUCCESS(val, msg, ...) TEST_ASSERT((val) == 0, msg, ##__VA_ARGS__)
#define TEST_ASSERT_FAIL(val, msg, ...) TEST_ASSERT((val) != 0, msg, ##__VA_ARGS__)
#define TEST_ASSERT_NULL(val, msg, ...) TEST_ASSERT((val) == NULL, msg, ##__VA_ARGS__)
#define TEST_ASSERT_NOT_NULL(val, msg, ...) TEST_ASSERT((val) != NULL, msg, ##__VA_ARGS__)
#define TEST_ASSERT_BUFFERS_ARE_EQUAL(a, b, len, msg, ...) \
	TEST_ASSERT(memcmp((a), (b), (len)) == 0, msg, ##__VA_ARGS__)

struct unit_test_case {
	int (*setup)(void);
	void (*teardown)(void);
	int (*testcase)(void);
	int (*testcase_with_data)(const void *data);
	const char *name;
	unsigned int enabled;
	const void *data;
};

#define TEST_CASE(fn) { NULL, NULL, fn, NULL, #fn, 1, NULL }
#define TEST_CASE_NAMED(name, fn) { NULL, NULL, fn, NULL, name, 1, NULL }
#define TEST_CASE_ST(setup, teardown, fn) { setup, teardown, fn, NULL, #fn, 1, NULL }
#define TEST_CASE_WITH_DATA(setup, teardown, fn, data) \
	{ setup, teardown, NULL, fn, #fn, 1, data }
#define TEST_CASE_DISABLED(fn) { NULL, NULL, fn, NULL, #fn, 0, NULL }
#define TEST_CASES_END() { NULL, NULL, NULL, NULL, NULL, 0, NULL }

struct unit_test_suite {
	const char *suite_name;
	int (*setup)(void);
	void (*teardown)(void);
	unsigned int total, executed, succeeded, skipped, failed, unsupported;
	struct unit_test_case unit_test_cases[];
};

/* Run every case of @p suite; @return TEST_SUCCESS, TEST_FAILED or TEST_SKIPPED. */
int unit_test_suite_runner(struct unit_test_suite *suite);

typedef int (test_callback)(void);

/* What a test needs from the environment. */
enum test_nohuge { NOHUGE_SKIP = 0, NOHUGE_OK = 1 };
enum test_asan { ASAN_SKIP = 0, ASAN_OK = 1 };

struct test_command {
	TAILQ_ENTRY(test_command) next;
	const char *command;
	test_callback *callback;
	bool needs_hugepages;
};

void add_test_command(struct test_command *t);

#define REGISTER_TEST_COMMAND_HP(cmd, func, hp) \
	static struct test_command test_struct_##cmd = { \
		.command = RTE_STR(cmd), \
		.callback = func, \
		.needs_hugepages = hp, \
	}; \
	RTE_INIT(test_register_##cmd) \
	{ \
		add_test_command(&test_struct_##cmd); \
	}

#define REGISTER_TEST_COMMAND(cmd, func) REGISTER_TEST_COMMAND_HP(cmd, func, false)

/* A test run by "meson test --suite fast-tests". */
#define REGISTER_FAST_TEST(cmd, no_huge, ASan, func) \
	REGISTER_TEST_COMMAND_HP(cmd, func, !(no_huge))
/* A benchmark run by "meson test --suite perf-tests". */
#define REGISTER_PERF_TEST(cmd, func) REGISTER_TEST_COMMAND_HP(cmd, func, true)

/*
 * For a test that needs hugepages and cannot get them: TEST_SKIPPED
 * normally, TEST_FAILED (with a message) when DPDK_TEST_REQUIRE_HUGEPAGES=1,
 * as in CI, where a skip would hide that the hugepage path did not run.
 */
int test_hugepages_missing(const char *why);

/*
 * The same for any other prerequisite that a run with real hugepages (CI)
 * always meets: TEST_SKIPPED normally, TEST_FAILED under
 * DPDK_TEST_REQUIRE_HUGEPAGES=1. @p why names what is missing.
 */
int test_required_missing(const char *why);

/* For a test started in a secondary process: test_required_missing(). */
int test_not_primary(void);

/*
 * A case that may block for good if the code under test wedges (a lock
 * that is never recovered) arms a watchdog: if it is not disarmed within
 * @p seconds, it prints the FAIL line naming @p what, calls @p dump (may be
 * NULL) and test_dump_process() on this process, then exits with status 1,
 * so the run fails at once, with evidence, instead of at meson's timeout.
 * @p what must stay valid until disarmed. One watchdog at a time.
 */
void test_watchdog_arm(unsigned int seconds, const char *what, void (*dump)(void));
void test_watchdog_disarm(void);
/* Print the state, kernel stack and (with gdb) user stack of every thread of @p pid. */
void test_dump_process(pid_t pid);

/* @return true when the process runs with hugepages. */
bool test_have_hugepages(void);

/* Path of the dpdk-test binary and the EAL args it was started with. */
extern const char *prgname;
extern char test_file_prefix[];
extern char test_huge_dir[];

/*
 * Run a child process (fork + execv of @p argv) and @return its exit
 * status (0..255), or -1 if it died from a signal or could not start.
 */
int test_run_child(char *const argv[]);

#endif /* _TEST_H_ */
