/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _TEST_EAL_FLAGS_H_
#define _TEST_EAL_FLAGS_H_

/*
 * Running dpdk-test as a child with chosen EAL options (test_eal_flags.c),
 * shared by the eal_flags_* tests. The child runs eal_flags_child_autotest,
 * which prints what the EAL parsed ("child: ..." lines) and succeeds.
 */

#include <stdbool.h>
#include <stddef.h>

#define CHILD_OUT_MAX 65536

/* Output (stdout and stderr) of the last child. */
extern char child_out[CHILD_OUT_MAX];
/* The --file-prefix that run_child() gave the last child. */
extern char last_prefix[];

/* One environment variable of a child: @p value NULL unsets it. */
struct child_env {
	const char *name;
	const char *value;
};

/*
 * Start dpdk-test with @p args (NULL terminated), the @p n_env variables
 * of @p env and, unless @p prefix is given, a fresh --file-prefix; its
 * output goes to child_out.
 * @return the exit status, -1 if it crashed or could not run.
 */
int run_child_env(const char *const *args, const char *prefix, const struct child_env *env,
	unsigned int n_env);
/* run_child_env() without extra variables. */
int run_child_prefix(const char *const *args, const char *prefix);
/* run_child_prefix() with a fresh prefix (last_prefix). */
int run_child(const char *const *args);

/* The runtime dir of --file-prefix @p prefix into @p buf. */
void runtime_dir_of(const char *prefix, char *buf, size_t len);
/* @return true if the runtime dir of @p prefix exists. */
bool dir_exists(const char *prefix);
/* No sanitizer report in the child's output (ASan exits 1, like a refusal). */
bool child_clean(void);
/* Print @p args and the child's output, for a failing check. */
void print_args(const char *const *args);
/* The option that lets a child share memory with this process: same memory mode. */
const char *memory_mode_arg(void);

/*
 * A child started with @p args and ended with status @p r was refused
 * with rte_errno @p err: non-zero exit (not a crash), a log line
 * containing @p needle (what was wrong), and dpdk-test's report of the
 * errno. @return TEST_SUCCESS or TEST_FAILED (reported).
 */
int check_refused(const char *const *args, int r, int err, const char *needle);

/* A good option set: exit 0 and nothing left in the runtime dir. */
#define EXPECT_OK(...) do { \
	const char *const a_[] = { __VA_ARGS__, NULL }; \
	int r_ = run_child(a_); \
	if (r_ != 0 || !child_clean()) \
		print_args(a_); \
	TEST_ASSERT_EQUAL(r_, 0, "child refused a good option set (status %d)", r_); \
	TEST_ASSERT(child_clean(), "sanitizer report in the child"); \
	TEST_ASSERT(!dir_exists(last_prefix), "runtime dir of %s left behind", last_prefix); \
} while (0)

/* A set refused as check_refused() says, leaving no runtime dir. */
#define EXPECT_REFUSED(err, needle, ...) do { \
	const char *const a_[] = { __VA_ARGS__, NULL }; \
	int r_ = run_child(a_); \
	TEST_ASSERT_SUCCESS(check_refused(a_, r_, err, needle), "wrong refusal"); \
	TEST_ASSERT(!dir_exists(last_prefix), "refused run left %s behind", last_prefix); \
} while (0)

/* a malformed or conflicting option set: rte_errno EINVAL */
#define EXPECT_FAIL(needle, ...) EXPECT_REFUSED(EINVAL, needle, __VA_ARGS__)

/* the child printed @p line */
#define EXPECT_OUTPUT(line) do { \
	if (strstr(child_out, line) == NULL) \
		printf("--- child output ---\n%s--- end ---\n", child_out); \
	TEST_ASSERT(strstr(child_out, line) != NULL, "child did not print '%s'", line); \
} while (0)

#define NOHUGE "--no-huge"
#define BADARG "Invalid argument for option "

#endif /* _TEST_EAL_FLAGS_H_ */
