/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * dpdk-test: initialises the EAL with the given options, then runs the
 * tests named in $DPDK_TEST or after the EAL options, or reads test names
 * from an interactive prompt.
 *
 * $DPDK_TEST_HUGE_DIR adds --huge-dir so that tests use the hugetlbfs
 * mount the harness prepared; a test that needs hugepages but finds none
 * is skipped, or fails when $DPDK_TEST_REQUIRE_HUGEPAGES=1.
 */

#include <errno.h>
#include <limits.h>
#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>

#include "test.h"

#define MAX_EAL_ARGS 64

static TAILQ_HEAD(, test_command) commands = TAILQ_HEAD_INITIALIZER(commands);
const char *prgname;
char test_file_prefix[NAME_MAX] = "rte";
char test_huge_dir[PATH_MAX];
static bool no_huge;

void
add_test_command(struct test_command *t)
{
	TAILQ_INSERT_TAIL(&commands, t, next);
}

static struct test_command *
find_command(const char *name)
{
	struct test_command *t;

	TAILQ_FOREACH(t, &commands, next)
		if (strcmp(t->command, name) == 0)
			return t;
	return NULL;
}

bool
test_have_hugepages(void)
{
	return !no_huge;
}

int
test_required_missing(const char *why)
{
	const char *req = getenv("DPDK_TEST_REQUIRE_HUGEPAGES");

	if (req != NULL && strcmp(req, "1") == 0) {
		printf("FAIL: required in this run (DPDK_TEST_REQUIRE_HUGEPAGES=1): %s\n", why);
		return TEST_FAILED;
	}
	printf("SKIP: %s\n", why);
	return TEST_SKIPPED;
}

/*
 * The watchdog is a thread, not a signal, so that when it fires it can
 * print what the process is doing (a signal handler could only write).
 */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	bool armed;
	unsigned int seconds;
	const char *what;
	void (*dump)(void);
} wd = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

/* Print the first (or every) line of @p path after @p label, cut at 100 characters. */
static void
print_file(const char *label, const char *path, bool all_lines)
{
	char line[256];
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		printf("%s%.100s\n", label, line);
		if (!all_lines)
			break;
	}
	fclose(f);
}

void
test_dump_process(pid_t pid)
{
	char dir[64], path[PATH_MAX], label[96];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/task", (int)pid);
	d = opendir(dir);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(label, sizeof(label), "  [%d/%s] ", (int)pid, de->d_name);
		snprintf(path, sizeof(path), "%s/%s/stat", dir, de->d_name);
		print_file(label, path, false);
		/* the kernel stack tells a wait in a syscall from one in user space */
		snprintf(path, sizeof(path), "%s/%s/stack", dir, de->d_name);
		print_file(label, path, true);
	}
	closedir(d);
	if (access("/usr/bin/gdb", X_OK) == 0) {
		snprintf(path, sizeof(path), "/usr/bin/gdb -p %d -batch -ex 'thread apply all bt' "
			"2>/dev/null | grep -E '^(#|Thread)'", (int)pid);
		fflush(stdout);
		if (system(path) != 0)
			printf("  (no user stacks of %d)\n", (int)pid);
	}
}

static void *
watchdog_main(void *arg __rte_unused)
{
	struct timespec end;
	int ret = 0;

	clock_gettime(CLOCK_REALTIME, &end);
	pthread_mutex_lock(&wd.mu);
	end.tv_sec += wd.seconds;
	while (wd.armed && ret != ETIMEDOUT)
		ret = pthread_cond_timedwait(&wd.cv, &wd.mu, &end);
	if (!wd.armed) {
		pthread_mutex_unlock(&wd.mu);
		return NULL;
	}
	printf("FAIL: %s: wedged for %u s, the watchdog ends the run\n", wd.what, wd.seconds);
	if (wd.dump != NULL)
		wd.dump();
	printf("this process:\n");
	test_dump_process(getpid());
	fflush(stdout);
	fflush(stderr);
	_exit(1);
}

void
test_watchdog_arm(unsigned int seconds, const char *what, void (*dump)(void))
{
	pthread_mutex_lock(&wd.mu);
	wd.armed = true;
	wd.seconds = seconds;
	wd.what = what;
	wd.dump = dump;
	pthread_mutex_unlock(&wd.mu);
	if (pthread_create(&wd.thread, NULL, watchdog_main, NULL) != 0) {
		printf("watchdog: cannot start its thread; the case runs without it\n");
		wd.armed = false;
	}
}

void
test_watchdog_disarm(void)
{
	pthread_mutex_lock(&wd.mu);
	if (!wd.armed) {
		pthread_mutex_unlock(&wd.mu);
		return;
	}
	wd.armed = false;
	pthread_cond_signal(&wd.cv);
	pthread_mutex_unlock(&wd.mu);
	pthread_join(wd.thread, NULL);
}

int
test_hugepages_missing(const char *why)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "no hugepages: %s", why);
	return test_required_missing(buf);
}

int
test_not_primary(void)
{
	return test_required_missing("this test drives secondaries: it must run as the primary");
}

static bool
system_has_hugepages(void)
{
	unsigned long free_pages = 0;
	char line[512];
	bool mounted = false;
	FILE *f;

	f = fopen("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "r");
	if (f != NULL) {
		if (fscanf(f, "%lu", &free_pages) != 1)
			free_pages = 0;
		fclose(f);
	}
	f = fopen("/proc/mounts", "r");
	if (f != NULL) {
		while (fgets(line, sizeof(line), f) != NULL)
			if (strstr(line, " hugetlbfs ") != NULL)
				mounted = true;
		fclose(f);
	}
	return free_pages > 0 && mounted;
}

int
test_run_child(char *const argv[])
{
	pid_t pid;
	int status;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int
unit_test_suite_runner(struct unit_test_suite *suite)
{
	struct unit_test_case *tc;
	int ret;

	suite->total = suite->executed = suite->succeeded = 0;
	suite->skipped = suite->failed = suite->unsupported = 0;
	printf(" + ------------------------------------------------------- +\n");
	printf(" + Test Suite : %s\n", suite->suite_name ? suite->suite_name : "");
	if (suite->setup != NULL) {
		ret = suite->setup();
		if (ret != TEST_SUCCESS) {
			printf(" + Suite setup %s\n", ret == TEST_SKIPPED ? "skipped" : "failed");
			return ret == TEST_SKIPPED ? TEST_SKIPPED : TEST_FAILED;
		}
	}
	for (tc = suite->unit_test_cases; tc->testcase != NULL || tc->testcase_with_data != NULL;
			tc++) {
		suite->total++;
		if (!tc->enabled) {
			suite->skipped++;
			printf(" + TestCase [%2u] : %s skipped (disabled)\n", suite->total, tc->name);
			continue;
		}
		ret = tc->setup != NULL ? tc->setup() : TEST_SUCCESS;
		if (ret == TEST_SUCCESS) {
			ret = tc->testcase != NULL ? tc->testcase() :
				tc->testcase_with_data(tc->data);
			if (tc->teardown != NULL)
				tc->teardown();
		}
		suite->executed++;
		if (ret == TEST_SUCCESS)
			suite->succeeded++;
		else if (ret == TEST_SKIPPED)
			suite->skipped++;
		else
			suite->failed++;
		printf(" + TestCase [%2u] : %s %s\n", suite->total, tc->name,
			ret == TEST_SUCCESS ? "succeeded" : ret == TEST_SKIPPED ? "skipped" : "failed");
	}
	if (suite->teardown != NULL)
		suite->teardown();
	printf(" + Tests Total : %2u  Succeeded : %2u  Skipped : %2u  Failed : %2u\n",
		suite->total, suite->succeeded, suite->skipped, suite->failed);
	if (suite->failed != 0)
		return TEST_FAILED;
	return suite->succeeded == 0 && suite->skipped != 0 ? TEST_SKIPPED : TEST_SUCCESS;
}

static int
run_test(const char *name)
{
	struct test_command *t = find_command(name);
	int ret;

	if (t == NULL) {
		printf("Unknown test '%s'\n", name);
		return TEST_FAILED;
	}
	if (t->needs_hugepages && no_huge)
		return test_hugepages_missing(name);
	ret = t->callback();
	printf("%s: %s\n", name,
		ret == TEST_SUCCESS ? "Test OK" : ret == TEST_SKIPPED ? "Test Skipped" :
		"Test Failed");
	return ret;
}

static int
interactive(void)
{
	char line[256];
	int ret = TEST_SUCCESS;

	for (;;) {
		printf("RTE>>");
		fflush(stdout);
		if (fgets(line, sizeof(line), stdin) == NULL)
			break;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		if (strcmp(line, "quit") == 0)
			break;
		if (strcmp(line, "list") == 0) {
			struct test_command *t;

			TAILQ_FOREACH(t, &commands, next)
				printf("%s\n", t->command);
			continue;
		}
		ret = run_test(line);
	}
	return ret;
}

static bool
arg_present(int argc, char **argv, const char *prefix)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strncmp(argv[i], prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

static void
remember_prefix(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--file-prefix=", 14) == 0)
			snprintf(test_file_prefix, sizeof(test_file_prefix), "%s", argv[i] + 14);
		else if (strcmp(argv[i], "--file-prefix") == 0 && i + 1 < argc)
			snprintf(test_file_prefix, sizeof(test_file_prefix), "%s", argv[i + 1]);
	}
}

/*
 * $DPDK_TEST_PREFIX_SUFFIX is appended to --file-prefix=X so that several
 * checkouts can run the same tests at once without sharing runtime dirs.
 */
static char *
add_prefix_suffix(char *arg)
{
	const char *suffix = getenv("DPDK_TEST_PREFIX_SUFFIX");
	static char buf[4][NAME_MAX];
	static unsigned int used;

	if (suffix == NULL || suffix[0] == '\0' || strncmp(arg, "--file-prefix=", 14) != 0 ||
	    used == RTE_DIM(buf))
		return arg;
	snprintf(buf[used], sizeof(buf[used]), "%s-%s", arg, suffix);
	return buf[used++];
}

/* Does any requested test need hugepages? */
static bool
wanted_tests_need_hugepages(int argc, char **argv, const char *env_test)
{
	struct test_command *t;
	int i;

	if (env_test != NULL) {
		t = find_command(env_test);
		return t != NULL && t->needs_hugepages;
	}
	for (i = 1; i < argc; i++) {
		t = find_command(argv[i]);
		if (t != NULL && t->needs_hugepages)
			return true;
	}
	return false;
}

int
main(int argc, char **argv)
{
	char *eal_argv[MAX_EAL_ARGS];
	const char *env_test = getenv("DPDK_TEST");
	const char *huge_dir = getenv("DPDK_TEST_HUGE_DIR");
	int eal_argc = 0, i, ret, consumed;
	static char huge_arg[PATH_MAX + 16];

	prgname = argv[0];
	if (argc + 3 > MAX_EAL_ARGS) {
		fprintf(stderr, "Too many arguments\n");
		return 1;
	}
	eal_argv[eal_argc++] = argv[0];
	no_huge = arg_present(argc, argv, "--no-huge");
	if (!no_huge && !system_has_hugepages()) {
		if (wanted_tests_need_hugepages(argc, argv, env_test))
			return test_hugepages_missing("no free 2 MB hugepages or no hugetlbfs mount")
				== TEST_SKIPPED ? TEST_SKIPPED : 1;
		eal_argv[eal_argc++] = RTE_PTR_UNQUAL("--no-huge");
		no_huge = true;
	}
	if (!no_huge && huge_dir != NULL && huge_dir[0] != '\0' &&
	    !arg_present(argc, argv, "--huge-dir")) {
		snprintf(huge_arg, sizeof(huge_arg), "--huge-dir=%s", huge_dir);
		snprintf(test_huge_dir, sizeof(test_huge_dir), "%s", huge_dir);
		eal_argv[eal_argc++] = huge_arg;
	}
	for (i = 1; i < argc; i++)
		eal_argv[eal_argc++] = add_prefix_suffix(argv[i]);
	eal_argv[eal_argc] = NULL;
	remember_prefix(eal_argc, eal_argv);

	consumed = rte_eal_init(eal_argc, eal_argv);
	if (consumed < 0) {
		fprintf(stderr, "Cannot init EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	ret = TEST_SUCCESS;
	if (env_test != NULL && env_test[0] != '\0') {
		ret = run_test(env_test);
	} else if (consumed + 1 < eal_argc) {
		for (i = consumed + 1; i < eal_argc && ret != TEST_FAILED; i++)
			if (strcmp(eal_argv[i], "--") != 0)
				ret = run_test(eal_argv[i]);
	} else {
		ret = interactive();
	}
	rte_eal_cleanup();
	if (ret == TEST_SKIPPED)
		return TEST_SKIPPED;
	return ret == TEST_SUCCESS ? 0 : 1;
}
