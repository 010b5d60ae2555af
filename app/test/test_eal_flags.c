/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * EAL command line tests. Each case starts dpdk-test itself as a child
 * with one option set and DPDK_TEST=eal_flags_child_autotest, a test that
 * prints what the EAL parsed and succeeds. A good set must exit 0; a bad
 * one must exit non-zero, log a line naming the option, and leave no
 * runtime directory behind. Every child gets its own --file-prefix.
 * Children run with --no-huge unless memory is the point.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_cycles.h>
#include <rte_random.h>

#include "eal_internal_cfg.h"
#include "test.h"
#include "test_eal_flags.h"

#define MAX_CHILD_ARGS 24
#define CHILD_TEST "eal_flags_child_autotest"

char child_out[CHILD_OUT_MAX];
static unsigned int child_seq;
char last_prefix[NAME_MAX];

/* ---- the child side ---- */

/* Print what the EAL made of the command line, for the parent to check. */
static int
test_eal_flags_child(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	unsigned int i, cpu;

	printf("child: proc=%s\n",
		rte_eal_process_type() == RTE_PROC_PRIMARY ? "primary" : "secondary");
	printf("child: main=%u count=%u\n", rte_get_main_lcore(), rte_lcore_count());
	RTE_LCORE_FOREACH(i) {
		rte_cpuset_t cpus = rte_lcore_cpuset(i);

		printf("child: lcore %u index %d cpus", i, rte_lcore_index((int)i));
		for (cpu = 0; cpu < RTE_MAX_LCORE; cpu++)
			if (CPU_ISSET(cpu, &cpus))
				printf(" %u", cpu);
		printf("\n");
	}
	printf("child: memory=%zu nchannel=%u nrank=%u\n", (size_t)cfg->memory,
		cfg->force_nchannel, cfg->force_nrank);
	printf("child: socket_mem=");
	for (i = 0; i < 4; i++)
		printf("%s%" PRIu64, i ? "," : "", (uint64_t)(cfg->socket_mem[i] >> 20));
	printf(" socket_limit=");
	for (i = 0; i < 4; i++)
		printf("%s%" PRIu64, i ? "," : "", (uint64_t)(cfg->socket_limit[i] >> 20));
	printf("\nchild: base=0x%" PRIxPTR " unlink=%d iova=%d\n", cfg->base_virtaddr,
		(int)cfg->hugepage_unlink, (int)cfg->iova_mode);
	printf("child: log=%u\n", rte_log_get_global_level());
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(eal_flags_child_autotest, test_eal_flags_child);

/* ---- the parent side ---- */

void
runtime_dir_of(const char *prefix, char *buf, size_t len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (getuid() == 0)
		snprintf(buf, len, "/var/run/dpdk/%s", prefix);
	else if (xdg != NULL)
		snprintf(buf, len, "%s/dpdk/%s", xdg, prefix);
	else
		snprintf(buf, len, "/tmp/dpdk/%s", prefix);
}

/*
 * Remove what an earlier, failed run of this test left under @p prefix,
 * so that "nothing left behind" is judged on this run only.
 */
static void
remove_stale_runtime_dir(const char *prefix)
{
	char dir[PATH_MAX];
	struct dirent *e;
	DIR *d;

	runtime_dir_of(prefix, dir, sizeof(dir));
	d = opendir(dir);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
	rmdir(dir);
}

#define CHILD_ENV_MAX 8

/* Give the environment @p env (@p n entries); @p old receives what it replaced. */
static void
env_push(const struct child_env *env, unsigned int n, char **old)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		const char *v = getenv(env[i].name);

		old[i] = v != NULL ? strdup(v) : NULL;
		if (env[i].value != NULL)
			setenv(env[i].name, env[i].value, 1);
		else
			unsetenv(env[i].name);
	}
}

/* Undo env_push(), last entry first (a name may appear twice). */
static void
env_pop(const struct child_env *env, unsigned int n, char **old)
{
	while (n-- > 0) {
		if (old[n] != NULL)
			setenv(env[n].name, old[n], 1);
		else
			unsetenv(env[n].name);
		free(old[n]);
	}
}

/* Run @p argv with its output in child_out; @return the exit status, -1 if it crashed. */
static int
run_captured(char *const *argv)
{
	int saved_out, saved_err, ret;
	size_t len;
	FILE *tmp;

	tmp = tmpfile();
	if (tmp == NULL)
		return -1;
	fflush(stdout);
	fflush(stderr);
	saved_out = dup(STDOUT_FILENO);
	saved_err = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDOUT_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	ret = test_run_child(argv);
	dup2(saved_out, STDOUT_FILENO);
	dup2(saved_err, STDERR_FILENO);
	close(saved_out);
	close(saved_err);
	rewind(tmp);
	len = fread(child_out, 1, sizeof(child_out) - 1, tmp);
	child_out[len] = '\0';
	fclose(tmp);
	return ret;
}

int
run_child_env(const char *const *args, const char *prefix, const struct child_env *env,
	unsigned int n_env)
{
	/* our prefixes already carry the suffix; the child must not add it again */
	struct child_env all[CHILD_ENV_MAX] = {
		{ "DPDK_TEST", CHILD_TEST }, { "DPDK_TEST_PREFIX_SUFFIX", NULL },
	};
	unsigned int n_all = 2;
	char *old[CHILD_ENV_MAX];
	char *argv[MAX_CHILD_ARGS];
	char prefix_arg[NAME_MAX + 16];
	int ret, n = 0;

	if (prefix == NULL) {
		snprintf(last_prefix, sizeof(last_prefix), "%s-ef%u", test_file_prefix,
			child_seq++);
		prefix = last_prefix;
		remove_stale_runtime_dir(prefix);
	}
	snprintf(prefix_arg, sizeof(prefix_arg), "--file-prefix=%s", prefix);
	argv[n++] = RTE_PTR_UNQUAL(prgname);
	argv[n++] = prefix_arg;
	while (*args != NULL && n < MAX_CHILD_ARGS - 1)
		argv[n++] = RTE_PTR_UNQUAL(*args++);
	argv[n] = NULL;

	while (n_env-- > 0 && n_all < CHILD_ENV_MAX)
		all[n_all++] = *env++;
	env_push(all, n_all, old);
	ret = run_captured(argv);
	env_pop(all, n_all, old);
	return ret;
}

int
run_child_prefix(const char *const *args, const char *prefix)
{
	return run_child_env(args, prefix, NULL, 0);
}

int
run_child(const char *const *args)
{
	return run_child_prefix(args, NULL);
}

bool
dir_exists(const char *prefix)
{
	char dir[PATH_MAX];

	runtime_dir_of(prefix, dir, sizeof(dir));
	return access(dir, F_OK) == 0;
}

bool
child_clean(void)
{
	return strstr(child_out, "Sanitizer") == NULL && strstr(child_out, "runtime error:") == NULL;
}

void
print_args(const char *const *args)
{
	printf("   args:");
	for (; *args != NULL; args++)
		printf(" '%s'", *args);
	printf("\n--- child output ---\n%s--- end ---\n", child_out);
}

int
check_refused(const char *const *args, int r, int err, const char *needle)
{
	char why[128];

	snprintf(why, sizeof(why), "Cannot init EAL: %s", strerror(err));
	if (r <= 0 || strstr(child_out, needle) == NULL || strstr(child_out, why) == NULL ||
	    !child_clean())
		print_args(args);
	TEST_ASSERT(r > 0, "child accepted a bad option set or crashed (status %d)", r);
	TEST_ASSERT(child_clean(), "sanitizer report in the child");
	TEST_ASSERT(strstr(child_out, needle) != NULL, "no log line naming '%s'", needle);
	TEST_ASSERT(strstr(child_out, why) != NULL, "rte_errno is not %s", strerror(err));
	return TEST_SUCCESS;
}


static int
test_coremask(void)
{
	EXPECT_OK(NOHUGE, "-c", "1");
	EXPECT_OUTPUT("child: main=0 count=1");
	EXPECT_OK(NOHUGE, "-c", "0x3");
	EXPECT_OUTPUT("child: main=0 count=2");
	EXPECT_OK(NOHUGE, "-c", "2");
	EXPECT_OUTPUT("child: main=1 count=1");
	EXPECT_OK(NOHUGE, "-c", " 3 ");
	EXPECT_FAIL(BADARG "-c", NOHUGE, "-c", "0");
	EXPECT_FAIL(BADARG "-c", NOHUGE, "-c", "");
	EXPECT_FAIL(BADARG "-c", NOHUGE, "-c", "0x");
	EXPECT_FAIL(BADARG "-c", NOHUGE, "-c", "g");
	EXPECT_FAIL(BADARG "-c", NOHUGE, "-c", "1 2");
	/* a CPU this machine does not have (RTE_MAX_LCORE - 1) */
	EXPECT_FAIL(BADARG "-c", NOHUGE, "-c", "0x80000000000000000000000000000000");
	EXPECT_FAIL(BADARG "-c", NOHUGE, "-c", "0x100000000000000000000000000000000");
	EXPECT_FAIL("-c", NOHUGE, "-c");
	return TEST_SUCCESS;
}

static int
test_corelist(void)
{
	EXPECT_OK(NOHUGE, "-l", "0");
	EXPECT_OK(NOHUGE, "-l", "0-1");
	EXPECT_OUTPUT("child: main=0 count=2");
	/* index follows the order of mention */
	EXPECT_OK(NOHUGE, "-l", "1,0");
	EXPECT_OUTPUT("child: lcore 1 index 0 cpus 1");
	EXPECT_OUTPUT("child: lcore 0 index 1 cpus 0");
	EXPECT_OK(NOHUGE, "-l", " 0 - 1 ");
	EXPECT_OK(NOHUGE, "-l", "0,,1");
	EXPECT_FAIL(BADARG "-l", NOHUGE, "-l", "");
	EXPECT_FAIL(BADARG "-l", NOHUGE, "-l", " ");
	EXPECT_FAIL(BADARG "-l", NOHUGE, "-l", "0,1,");
	EXPECT_FAIL(BADARG "-l", NOHUGE, "-l", "1#2");
	EXPECT_FAIL(BADARG "-l", NOHUGE, "-l", "1-0");
	EXPECT_FAIL(BADARG "-l", NOHUGE, "-l", "0-1-2");
	EXPECT_FAIL(BADARG "-l", NOHUGE, "-l", "-1");
	EXPECT_FAIL(BADARG "-l", NOHUGE, "-l", RTE_STR(RTE_MAX_LCORE));
	EXPECT_FAIL(BADARG "-l", NOHUGE, "-l", "127");
	EXPECT_FAIL("-l", NOHUGE, "-l");
	return TEST_SUCCESS;
}

static int
test_lcores_map(void)
{
	EXPECT_OK(NOHUGE, "--lcores", "0-1");
	EXPECT_OUTPUT("child: main=0 count=2");
	EXPECT_OK(NOHUGE, "--lcores", "0@1,1@0");
	EXPECT_OUTPUT("child: lcore 0 index 0 cpus 1");
	EXPECT_OUTPUT("child: lcore 1 index 1 cpus 0");
	/* an lcore on a CPU set, and lcore ids beyond the CPUs */
	EXPECT_OK(NOHUGE, "--lcores", "(0-1)@(0-1)");
	EXPECT_OUTPUT("child: lcore 0 index 0 cpus 0 1");
	EXPECT_OUTPUT("child: lcore 1 index 1 cpus 0 1");
	EXPECT_OK(NOHUGE, "--lcores", "5@0,(7,9)@(1-0)");
	EXPECT_OUTPUT("child: main=5 count=3");
	EXPECT_OUTPUT("child: lcore 9 index 2 cpus 0 1");
	EXPECT_OK(NOHUGE, "--lcores", "0@(0,1),1");
	EXPECT_OUTPUT("child: lcore 1 index 1 cpus 1");
	/* a repeated lcore keeps its index and takes the last CPU set */
	EXPECT_OK(NOHUGE, "--lcores", "0,0@1");
	EXPECT_OUTPUT("child: lcore 0 index 0 cpus 1");
	EXPECT_FAIL(BADARG "--lcores", NOHUGE, "--lcores", "");
	EXPECT_FAIL(BADARG "--lcores", NOHUGE, "--lcores", " ");
	EXPECT_FAIL(BADARG "--lcores", NOHUGE, "--lcores", "1-3-5");
	EXPECT_FAIL(BADARG "--lcores", NOHUGE, "--lcores", "0-1,,2");
	EXPECT_FAIL(BADARG "--lcores", NOHUGE, "--lcores", "0,");
	EXPECT_FAIL(BADARG "--lcores", NOHUGE, "--lcores", "1@(2");
	EXPECT_FAIL(BADARG "--lcores", NOHUGE, "--lcores", "(0");
	EXPECT_FAIL(BADARG "--lcores", NOHUGE, "--lcores", "()@0");
	EXPECT_FAIL(BADARG "--lcores", NOHUGE, "--lcores", "0@");
	EXPECT_FAIL(BADARG "--lcores", NOHUGE, "--lcores", "@0");
	EXPECT_FAIL(BADARG "--lcores", NOHUGE, "--lcores", "0@1@1");
	EXPECT_FAIL(BADARG "--lcores", NOHUGE, "--lcores", "0@(0-1)-1");
	EXPECT_FAIL(BADARG "--lcores", NOHUGE, "--lcores", "0@" RTE_STR(RTE_MAX_LCORE));
	/* lcore 127 without "@" would run on CPU 127, which is not there */
	EXPECT_FAIL(BADARG "--lcores", NOHUGE, "--lcores", "127");
	EXPECT_FAIL(BADARG "--lcores", NOHUGE, "--lcores", "0@127");
	EXPECT_FAIL(BADARG "--lcores", NOHUGE, "--lcores", RTE_STR(RTE_MAX_LCORE) "@0");
	return TEST_SUCCESS;
}

static int
test_core_options_exclusive(void)
{
	EXPECT_FAIL("cannot be used together", NOHUGE, "-c", "1", "-l", "0");
	EXPECT_FAIL("cannot be used together", NOHUGE, "-l", "0", "--lcores", "0");
	EXPECT_FAIL("cannot be used together", NOHUGE, "--lcores", "0", "-c", "1");
	EXPECT_FAIL("cannot be used together", NOHUGE, "-l", "0", "-l", "1");
	return TEST_SUCCESS;
}

static int
test_main_lcore(void)
{
	EXPECT_OK(NOHUGE, "-l", "0-1", "--main-lcore", "1");
	EXPECT_OUTPUT("child: main=1 count=2");
	EXPECT_OK(NOHUGE, "--main-lcore", "1");
	EXPECT_OUTPUT("child: main=1");
	EXPECT_OK(NOHUGE, "--lcores", "5@0,6@1", "--main-lcore", "6");
	EXPECT_OUTPUT("child: main=6 count=2");
	EXPECT_OK(NOHUGE, "-l", "0", "--main-lcore", "0x0");
	EXPECT_FAIL("--main-lcore", NOHUGE, "-l", "0-1", "--main-lcore", "2");
	EXPECT_FAIL("--main-lcore", NOHUGE, "--main-lcore", "1", "-l", "0");
	EXPECT_FAIL(BADARG "--main-lcore", NOHUGE, "--main-lcore", "x");
	EXPECT_FAIL(BADARG "--main-lcore", NOHUGE, "--main-lcore", "-1");
	EXPECT_FAIL(BADARG "--main-lcore", NOHUGE, "--main-lcore", "1x");
	EXPECT_FAIL(BADARG "--main-lcore", NOHUGE, "--main-lcore", "");
	EXPECT_FAIL(BADARG "--main-lcore", NOHUGE, "--main-lcore",
		RTE_STR(RTE_MAX_LCORE));
	return TEST_SUCCESS;
}

static struct unit_test_suite lcore_flags_suite = {
	.suite_name = "EAL lcore options",
	.unit_test_cases = {
		TEST_CASE(test_coremask),
		TEST_CASE(test_corelist),
		TEST_CASE(test_lcores_map),
		TEST_CASE(test_core_options_exclusive),
		TEST_CASE(test_main_lcore),
		TEST_CASES_END(),
	},
};

static int
test_eal_flags_lcores(void)
{
	return unit_test_suite_runner(&lcore_flags_suite);
}

REGISTER_FAST_TEST(eal_flags_lcores_autotest, NOHUGE_OK, ASAN_OK, test_eal_flags_lcores);

static int
test_channels_ranks(void)
{
	EXPECT_OK(NOHUGE, "-n", "1");
	EXPECT_OK(NOHUGE, "-n", "3", "-r", "2");
	EXPECT_OUTPUT("nchannel=3 nrank=2");
	EXPECT_OK(NOHUGE, "-r", "16");
	EXPECT_FAIL(BADARG "-n", NOHUGE, "-n", "0");
	EXPECT_FAIL(BADARG "-n", NOHUGE, "-n", "e");
	EXPECT_FAIL(BADARG "-n", NOHUGE, "-n", "1x");
	EXPECT_FAIL(BADARG "-n", NOHUGE, "-n", "-1");
	EXPECT_FAIL(BADARG "-n", NOHUGE, "-n", "");
	EXPECT_FAIL(BADARG "-n", NOHUGE, "-n", "99999999999");
	EXPECT_FAIL("-n", NOHUGE, "-n");
	EXPECT_FAIL(BADARG "-r", NOHUGE, "-r", "0");
	EXPECT_FAIL(BADARG "-r", NOHUGE, "-r", "17");
	EXPECT_FAIL(BADARG "-r", NOHUGE, "-r", "e");
	EXPECT_FAIL(BADARG "-r", NOHUGE, "-r", "");
	return TEST_SUCCESS;
}

static int
test_log_level(void)
{
	EXPECT_OK(NOHUGE, "--log-level", "7");
	EXPECT_OUTPUT("child: log=7");
	EXPECT_OK(NOHUGE, "--log-level", "debug");
	EXPECT_OUTPUT("child: log=8");
	EXPECT_OK(NOHUGE, "--log-level", "lib.eal:debug");
	EXPECT_OK(NOHUGE, "--log-level", "lib.*,8");
	EXPECT_OK(NOHUGE, "--log-level", "pmd.net.none:info");
	EXPECT_OK(NOHUGE, "--log-level", "*:notice", "--log-level", "lib.eal:8");
	EXPECT_FAIL(BADARG "--log-level", NOHUGE, "--log-level", "0");
	EXPECT_FAIL(BADARG "--log-level", NOHUGE, "--log-level", "9");
	EXPECT_FAIL(BADARG "--log-level", NOHUGE, "--log-level", "DEBUG");
	EXPECT_FAIL(BADARG "--log-level", NOHUGE, "--log-level", "8x");
	EXPECT_FAIL(BADARG "--log-level", NOHUGE, "--log-level", "");
	EXPECT_FAIL(BADARG "--log-level", NOHUGE, "--log-level", "lib.eal:");
	EXPECT_FAIL(BADARG "--log-level", NOHUGE, "--log-level", ":8");
	EXPECT_FAIL(BADARG "--log-level", NOHUGE, "--log-level", "lib.eal:8:8");
	EXPECT_FAIL(BADARG "--log-level", NOHUGE, "--log-level", "lib.eal=8");
	EXPECT_FAIL(BADARG "--log-level", NOHUGE, "--log-level", "[,8");
	return TEST_SUCCESS;
}

static int
test_proc_type_values(void)
{
	EXPECT_OK(NOHUGE, "--proc-type=primary");
	EXPECT_OUTPUT("child: proc=primary");
	EXPECT_OK(NOHUGE, "--proc-type=auto");
	EXPECT_OUTPUT("child: proc=primary");
	EXPECT_OK(NOHUGE, "--proc-type=AUTO");
	EXPECT_FAIL(BADARG "--proc-type", NOHUGE, "--proc-type=bad");
	EXPECT_FAIL(BADARG "--proc-type", NOHUGE, "--proc-type=");
	EXPECT_FAIL(BADARG "--proc-type", NOHUGE, "--proc-type=prim");
	return TEST_SUCCESS;
}

static int
test_file_prefix_values(void)
{
	char good[NAME_MAX + 16];

	EXPECT_FAIL("--file-prefix", NOHUGE, "--file-prefix=");
	EXPECT_FAIL("--file-prefix", NOHUGE, "--file-prefix=a%s");
	EXPECT_FAIL("--file-prefix", NOHUGE, "--file-prefix=a/b");
	EXPECT_FAIL("--file-prefix", NOHUGE, "--file-prefix=..");
	/* the last --file-prefix wins, and a good one is cleaned up too */
	snprintf(good, sizeof(good), "--file-prefix=%s-ok_-.x", test_file_prefix);
	remove_stale_runtime_dir(good + strlen("--file-prefix="));
	EXPECT_OK(NOHUGE, good);
	TEST_ASSERT(!dir_exists(good + strlen("--file-prefix=")),
		"runtime dir of the good prefix left behind");
	EXPECT_OUTPUT("child: proc=primary");
	return TEST_SUCCESS;
}

static int
test_misc_values(void)
{
	EXPECT_OK(NOHUGE, "--base-virtaddr=0x12345678");
	EXPECT_OUTPUT("base=0x13000000");
	EXPECT_OK(NOHUGE, "--base-virtaddr=12345678");
	EXPECT_OK(NOHUGE, "--base-virtaddr=0");
	EXPECT_FAIL(BADARG "--base-virtaddr", NOHUGE, "--base-virtaddr=xyz");
	EXPECT_FAIL(BADARG "--base-virtaddr", NOHUGE, "--base-virtaddr=0x12g");
	EXPECT_FAIL(BADARG "--base-virtaddr", NOHUGE, "--base-virtaddr=");
	EXPECT_FAIL(BADARG "--base-virtaddr", NOHUGE, "--base-virtaddr=-1");
	EXPECT_OK(NOHUGE, "--vfio-intr=legacy");
	EXPECT_OK(NOHUGE, "--vfio-intr=msi");
	EXPECT_OK(NOHUGE, "--vfio-intr=msix");
	EXPECT_FAIL(BADARG "--vfio-intr", NOHUGE, "--vfio-intr=invalid");
	EXPECT_FAIL(BADARG "--vfio-intr", NOHUGE, "--vfio-intr=MSI");
	EXPECT_FAIL(BADARG "--vfio-intr", NOHUGE, "--vfio-intr=");
	/* as DPDK 22.11: --no-huge has no physical addresses, so PA is refused */
	EXPECT_FAIL("physical addresses are not available", NOHUGE, "--iova-mode=pa");
	EXPECT_OK(NOHUGE, "--iova-mode=va");
	EXPECT_OUTPUT("iova=2");
	EXPECT_FAIL(BADARG "--iova-mode", NOHUGE, "--iova-mode=xx");
	EXPECT_FAIL(BADARG "--iova-mode", NOHUGE, "--iova-mode=PA");
	EXPECT_OK(NOHUGE, "--huge-unlink=never");
	EXPECT_OUTPUT("unlink=0");
	EXPECT_OK(NOHUGE, "--huge-unlink=existing");
	EXPECT_OUTPUT("unlink=1");
	EXPECT_FAIL(BADARG "--huge-unlink", NOHUGE, "--huge-unlink=bad");
	EXPECT_FAIL(BADARG "--huge-unlink", NOHUGE, "--huge-unlink=");
	EXPECT_FAIL(BADARG "--huge-dir", NOHUGE, "--huge-dir=");
	EXPECT_FAIL(BADARG "--mbuf-pool-ops-name", NOHUGE, "--mbuf-pool-ops-name=");
	EXPECT_FAIL(BADARG "--vdev", NOHUGE, "--vdev=");
	EXPECT_FAIL(BADARG "-d", NOHUGE, "-d", "/nonexistent/librte_x.so");
	EXPECT_FAIL("--no-such-option", NOHUGE, "--no-such-option");
	EXPECT_FAIL("-q", NOHUGE, "-q");
	EXPECT_OK(NOHUGE, "--no-pci", "--no-telemetry", "--vdev=net_null0", "-v", "--create-uio-dev");
	EXPECT_OK(NOHUGE, "--single-file-segments", "--legacy-mem");
	/* --help prints usage and exits successfully, before anything else */
	EXPECT_OK(NOHUGE, "--help");
	EXPECT_OUTPUT("--huge-unlink");
	TEST_ASSERT(strstr(child_out, "child: proc") == NULL, "--help ran the test");
	return TEST_SUCCESS;
}

static int
test_pci_lists(void)
{
	EXPECT_OK(NOHUGE, "-a", "0000:00:01.0");
	EXPECT_OK(NOHUGE, "-a", "00:01.0", "-a", "0a:1f.7");
	EXPECT_OK(NOHUGE, "--allow", "10000:ff:01.0,key=value");
	EXPECT_OK(NOHUGE, "-b", "0:0:1.0");
	EXPECT_OK(NOHUGE, "--block", "00:01.0", "-b", "00:02.0");
	EXPECT_FAIL(BADARG "--allow", NOHUGE, "-a", "xyz");
	EXPECT_FAIL(BADARG "--allow", NOHUGE, "-a", "");
	EXPECT_FAIL(BADARG "--allow", NOHUGE, "-a", "00:01");
	EXPECT_FAIL(BADARG "--allow", NOHUGE, "-a", "0000:00:01.0x");
	EXPECT_FAIL(BADARG "--allow", NOHUGE, "-a", "0000:100:01.0");
	EXPECT_FAIL(BADARG "--allow", NOHUGE, "-a", "0000:00:20.0");
	EXPECT_FAIL(BADARG "--allow", NOHUGE, "-a", "0000:00:01.8");
	EXPECT_FAIL(BADARG "--allow", NOHUGE, "-a", "0x0:00:01.0");
	EXPECT_FAIL(BADARG "--allow", NOHUGE, "-a", "100000000:00:01.0");
	EXPECT_FAIL(BADARG "--block", NOHUGE, "-b", "error");
	EXPECT_FAIL(BADARG "--block", NOHUGE, "-b", "0000:00:01");
	EXPECT_FAIL("allow (-a) and block (-b)", NOHUGE, "-a", "00:01.0", "-b", "00:02.0");
	EXPECT_FAIL("allow (-a) and block (-b)", NOHUGE, "-b", "00:01.0", "--allow", "00:02.0");
	return TEST_SUCCESS;
}

/* options of 22.11 that this EAL checks but does not act on */
static int
test_compat_only_options(void)
{
	EXPECT_OK(NOHUGE, "--no-hpet", "--vmware-tsc-map", "--telemetry", "--syslog=local3");
	EXPECT_OK(NOHUGE, "--force-max-simd-bitwidth=256",
		"--vfio-vf-token=14d63f20-8445-11ea-8900-1f9ce7d5650d");
	EXPECT_OK(NOHUGE, "--trace=.*", "--trace-dir=/tmp", "--trace-bufsz=1M",
		"--trace-mode=d");
	EXPECT_OUTPUT("Tracing is not supported");
	EXPECT_FAIL(BADARG "--syslog", NOHUGE, "--syslog=bad");
	EXPECT_FAIL("--syslog", NOHUGE, "--syslog");
	EXPECT_FAIL(BADARG "--force-max-simd-bitwidth", NOHUGE, "--force-max-simd-bitwidth=100");
	EXPECT_FAIL(BADARG "--force-max-simd-bitwidth", NOHUGE, "--force-max-simd-bitwidth=32");
	EXPECT_FAIL(BADARG "--force-max-simd-bitwidth", NOHUGE,
		"--force-max-simd-bitwidth=65536");
	EXPECT_FAIL(BADARG "--vfio-vf-token", NOHUGE, "--vfio-vf-token=bad");
	EXPECT_FAIL(BADARG "--vfio-vf-token", NOHUGE,
		"--vfio-vf-token=14d63f20-8445-11ea-8900-1f9ce7d5650");
	EXPECT_FAIL(BADARG "--trace-mode", NOHUGE, "--trace-mode=x");
	EXPECT_FAIL(BADARG "--trace-bufsz", NOHUGE, "--trace-bufsz=x");
	EXPECT_FAIL(BADARG "--huge-worker-stack", NOHUGE, "--huge-worker-stack=x");
	EXPECT_FAIL("--huge-worker-stack cannot be specified together with --no-huge",
		NOHUGE, "--huge-worker-stack");
	EXPECT_FAIL("Service cores are not supported", NOHUGE, "-s", "0x2");
	EXPECT_FAIL("Service cores are not supported", NOHUGE, "-S", "1");
	/* --log-level=help lists the log types and exits successfully */
	EXPECT_OK(NOHUGE, "--log-level=help");
	EXPECT_OUTPUT("lib.eal");
	TEST_ASSERT(strstr(child_out, "child: proc") == NULL, "--log-level=help ran the test");
	return TEST_SUCCESS;
}

static struct unit_test_suite misc_flags_suite = {
	.suite_name = "EAL options and their values",
	.unit_test_cases = {
		TEST_CASE(test_channels_ranks),
		TEST_CASE(test_log_level),
		TEST_CASE(test_proc_type_values),
		TEST_CASE(test_file_prefix_values),
		TEST_CASE(test_misc_values),
		TEST_CASE(test_pci_lists),
		TEST_CASE(test_compat_only_options),
		TEST_CASES_END(),
	},
};

static int
test_eal_flags_misc(void)
{
	return unit_test_suite_runner(&misc_flags_suite);
}

REGISTER_FAST_TEST(eal_flags_misc_autotest, NOHUGE_OK, ASAN_OK, test_eal_flags_misc);


/* Every pair eal_check_common_options() refuses, and its neighbours it allows. */
static int
test_conflicts(void)
{
	EXPECT_FAIL("-m and --socket-mem", NOHUGE, "-m", "18", "--socket-mem=2");
	EXPECT_FAIL("-m and --socket-mem", "-m", "0", "--socket-mem=2");
	EXPECT_FAIL("--socket-mem cannot be specified together with --no-huge",
		NOHUGE, "--socket-mem=2");
	EXPECT_FAIL("--huge-unlink cannot be specified together with --no-huge",
		NOHUGE, "--huge-unlink");
	EXPECT_FAIL("--huge-unlink cannot be specified together with --no-huge",
		NOHUGE, "--huge-unlink=always");
	EXPECT_FAIL("--single-file-segments is not compatible with --huge-unlink",
		"--single-file-segments", "--huge-unlink");
	EXPECT_FAIL("--single-file-segments is not compatible with --huge-unlink",
		"--huge-unlink=always", "--single-file-segments");
	EXPECT_FAIL("--in-memory is not compatible with --huge-unlink=never",
		"--in-memory", "--huge-unlink=never");
	EXPECT_FAIL("--in-memory is not compatible with --legacy-mem",
		"--in-memory", "--legacy-mem");
	EXPECT_FAIL("--in-memory is not compatible with --no-huge", NOHUGE, "--in-memory");
	EXPECT_FAIL("--match-allocations is not compatible with --legacy-mem",
		"--legacy-mem", "--match-allocations");
	EXPECT_FAIL("--match-allocations is not compatible with --no-huge",
		NOHUGE, "--match-allocations");
	EXPECT_FAIL("--proc-type=secondary is not compatible with --no-shconf",
		NOHUGE, "--no-shconf", "--proc-type=secondary");
	EXPECT_FAIL("--proc-type=secondary is not compatible with --in-memory",
		"--in-memory", "--proc-type=secondary");
	/* the allowed neighbours of those pairs */
	EXPECT_OK(NOHUGE, "--huge-unlink=never");
	EXPECT_OK(NOHUGE, "--single-file-segments", "--huge-unlink=never");
	EXPECT_OK(NOHUGE, "--no-shconf", "--proc-type=primary");
	EXPECT_OK(NOHUGE, "--no-shconf", "--proc-type=auto");
	/* 22.11 only warns that a legacy-mode limit is not enforced */
	EXPECT_OK(NOHUGE, "--socket-limit=2");
	EXPECT_OUTPUT("--socket-limit is only supported in non-legacy memory mode");
	EXPECT_OK(NOHUGE, "--legacy-mem", "--socket-limit=2,0,5");
	EXPECT_OUTPUT("socket_limit=2,0,5,0");
	return TEST_SUCCESS;
}

/* --no-huge with -m is fine; with --socket-mem it is not (SPEC 12.6) */
static int
test_no_huge(void)
{
	EXPECT_OK(NOHUGE);
	EXPECT_OK(NOHUGE, "-m", "18");
	EXPECT_OUTPUT("memory=18874368");
	EXPECT_OK(NOHUGE, "-m", "0");
	EXPECT_FAIL(BADARG "-m", NOHUGE, "-m", "x");
	EXPECT_FAIL(BADARG "-m", NOHUGE, "-m", "18x");
	EXPECT_FAIL(BADARG "-m", NOHUGE, "-m", "-5");
	EXPECT_FAIL(BADARG "-m", NOHUGE, "-m", "");
	EXPECT_FAIL("--socket-mem", NOHUGE, "--socket-mem=2");
	EXPECT_FAIL("--socket-mem", NOHUGE, "-m", "18", "--socket-mem=2");
	return TEST_SUCCESS;
}

/*
 * --socket-mem / --socket-limit syntax (SPEC 12.6). Refusals happen while
 * parsing, before --no-huge could matter, so children run without it and
 * the log line tells a syntax refusal from a conflict.
 */
static int
test_socket_mem_syntax(void)
{
	static const char *const bad[] = {
		"", "2,", "2,2,", "2,,2", ",2", "2,2,Fred", "2,2,Fred0", "2x", "-2", "Fred",
		"0x2", "2,2,2,2,2,2,2,2,2" /* RTE_MAX_NUMA_NODES + 1 values */,
	};
	char mem[64], limit[64];
	unsigned int i;

	RTE_BUILD_BUG_ON(RTE_MAX_NUMA_NODES != 8);
	for (i = 0; i < RTE_DIM(bad); i++) {
		snprintf(mem, sizeof(mem), "--socket-mem=%s", bad[i]);
		snprintf(limit, sizeof(limit), "--socket-limit=%s", bad[i]);
		EXPECT_FAIL(BADARG "--socket-mem", mem);
		EXPECT_FAIL(BADARG "--socket-limit", limit);
	}
	/* values are kept per socket, also for sockets memory init will refuse */
	EXPECT_OK(NOHUGE, "--socket-limit= 3,0,7,1");
	EXPECT_OUTPUT("socket_limit=3,0,7,1");
	EXPECT_OK(NOHUGE, "--socket-limit=0,0,0,0");
	EXPECT_OUTPUT("socket_limit=0,0,0,0");
	if (!test_have_hugepages())
		return TEST_SUCCESS;
	/* all zeros means "nothing pinned" since 19.02 */
	EXPECT_OK(memory_mode_arg(), "--socket-mem=0,0,0,0");
	EXPECT_OK(memory_mode_arg(), "--socket-mem= 2,0");
	EXPECT_OUTPUT("socket_mem=2,0,0,0");
	return TEST_SUCCESS;
}

/* files of @p prefix in the test's hugetlbfs dir */
static int
count_huge_files(const char *prefix)
{
	struct dirent *e;
	int n = 0;
	DIR *d;

	if (test_huge_dir[0] == '\0')
		return 0;
	d = opendir(test_huge_dir);
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

/* --huge-dir must name a hugetlbfs mount, for a primary (SPEC 12.6) */
static int
test_huge_dir_option(void)
{
	if (!test_have_hugepages())
		return test_hugepages_missing("--huge-dir with hugepages");
	EXPECT_OK(memory_mode_arg(), "-m", "2");
	EXPECT_REFUSED(EACCES, "/nonexistent", "--huge-dir=/nonexistent");
	EXPECT_REFUSED(EACCES, "'/tmp'", "--huge-dir=/tmp");
	return TEST_SUCCESS;
}

/*
 * Refusals that happen in memory init, after the runtime dir and maybe
 * page files were created: nothing of the child may be left.
 */
static int
test_memory_refusals_leave_nothing(void)
{
	if (!test_have_hugepages())
		return test_hugepages_missing("memory init refusals");
	EXPECT_REFUSED(ENOMEM, "Cannot init memory", memory_mode_arg(), "-m", "999999");
	TEST_ASSERT_EQUAL(count_huge_files(last_prefix), 0, "page files of %s left", last_prefix);
	EXPECT_REFUSED(ENOMEM, "Cannot init memory", memory_mode_arg(), "--single-file-segments",
		"-m", "999999");
	TEST_ASSERT_EQUAL(count_huge_files(last_prefix), 0, "page files of %s left", last_prefix);
	/* a socket that is not there: the parser keeps it, memory init refuses */
	EXPECT_REFUSED(ENOMEM, "Cannot init memory", memory_mode_arg(), "--socket-mem=0,0,0,0,0,0,0,2");
	TEST_ASSERT_EQUAL(count_huge_files(last_prefix), 0, "page files of %s left", last_prefix);
	/* good runs in the dynamic modes leave nothing either */
	EXPECT_OK(memory_mode_arg(), "-m", "4");
	TEST_ASSERT_EQUAL(count_huge_files(last_prefix), 0, "page files of %s left", last_prefix);
	EXPECT_OK(memory_mode_arg(), "-m", "4", "--single-file-segments");
	TEST_ASSERT_EQUAL(count_huge_files(last_prefix), 0, "page files of %s left", last_prefix);
	EXPECT_OK(memory_mode_arg(), "-m", "4", "--huge-unlink=always");
	TEST_ASSERT_EQUAL(count_huge_files(last_prefix), 0, "page files of %s left", last_prefix);
	EXPECT_OK(memory_mode_arg(), "-m", "4", "--in-memory");
	TEST_ASSERT_EQUAL(count_huge_files(last_prefix), 0, "page files of %s left", last_prefix);
	return TEST_SUCCESS;
}

static struct unit_test_suite memory_flags_suite = {
	.suite_name = "EAL memory options",
	.unit_test_cases = {
		TEST_CASE(test_conflicts),
		TEST_CASE(test_no_huge),
		TEST_CASE(test_socket_mem_syntax),
		TEST_CASE(test_huge_dir_option),
		TEST_CASE(test_memory_refusals_leave_nothing),
		TEST_CASES_END(),
	},
};

static int
test_eal_flags_memory(void)
{
	return unit_test_suite_runner(&memory_flags_suite);
}

REGISTER_FAST_TEST(eal_flags_memory_autotest, NOHUGE_OK, ASAN_OK, test_eal_flags_memory);

const char *
memory_mode_arg(void)
{
	static char huge_dir[PATH_MAX + 16];

	if (!test_have_hugepages())
		return NOHUGE;
	if (test_huge_dir[0] == '\0')
		return "--no-pci";
	snprintf(huge_dir, sizeof(huge_dir), "--huge-dir=%s", test_huge_dir);
	return huge_dir;
}

/*
 * Random option sets from a dictionary of options and good, bad and
 * hostile values (empty, huge, negative, format strings, 4 KB strings).
 * Whatever the set, the child must not crash, must exit 0 or 1, and must
 * leave no runtime dir. Set DPDK_TEST_EAL_FLAGS_SEED to replay a run.
 */
#define RANDOM_SETS 150
#define RANDOM_MAX_OPTS 5

static const char *const random_options[] = {
	"-l", "-c", "--lcores", "--main-lcore", "-n", "-r", "-m", "--socket-mem",
	"--socket-limit", "--huge-dir", "--file-prefix", "--huge-unlink", "--no-shconf",
	"--legacy-mem", "--single-file-segments", "--match-allocations", "--base-virtaddr",
	"--proc-type", "--iova-mode", "--log-level", "--no-pci", "-a", "-b", "--vdev",
	"--vfio-intr", "-v", "--in-memory", "--syslog", "--trace-mode", "--vfio-vf-token",
	"--force-max-simd-bitwidth", "--mbuf-pool-ops-name", "--no-such-option", "-x",
};

static const char *const random_values[] = {
	"", " ", "0", "1", "2", "0-1", "1-0", "0,1", "0x3", "(0-1)@(0-1)", "0@1,1@0", "3@0",
	"-1", "18", "4", "99999999999999999999999", "0,0,0,0", "2,,2", "2,", "Fred", "%s%n%x",
	"primary", "secondary", "auto", "pa", "va", "msi", "always", "never", "existing",
	"debug", "lib.eal:8", "lib.*,8", "[", "0000:00:01.0", "00:01", "net_null0", "/tmp",
	"/nonexistent", "a/b", "a%b", "..", "local0", "o", "256", "0x12345678", "@", "(", ")",
	"\xff\xfe", "-", "--", "=",
};

static char long_value[4096];

static const char *
pick(const char *const *list, unsigned int n)
{
	return list[rte_rand() % n];
}

static int
test_random_sets(void)
{
	const char *seed_env = getenv("DPDK_TEST_EAL_FLAGS_SEED");
	uint64_t seed = seed_env != NULL ? strtoull(seed_env, NULL, 0) : rte_rdtsc();
	const char *args[2 + 2 * RANDOM_MAX_OPTS + 1];
	unsigned int i, j, n, ok = 0;
	int ret;

	printf("eal_flags random seed %" PRIu64 " (set DPDK_TEST_EAL_FLAGS_SEED to replay)\n",
		seed);
	rte_srand(seed);
	memset(long_value, 'A', sizeof(long_value) - 1);
	for (i = 0; i < RANDOM_SETS; i++) {
		n = 0;
		args[n++] = NOHUGE;
		for (j = rte_rand() % RANDOM_MAX_OPTS + 1; j > 0; j--) {
			args[n++] = pick(random_options, RTE_DIM(random_options));
			/* one value in 16 is 4 KB long */
			args[n++] = rte_rand() % 16 == 0 ? long_value :
				pick(random_values, RTE_DIM(random_values));
		}
		args[n] = NULL;
		ret = run_child(args);
		if (ret < 0 || ret > 1 || dir_exists(last_prefix) || !child_clean())
			print_args(args);
		TEST_ASSERT(child_clean(), "sanitizer report (seed %" PRIu64 ", set %u)", seed, i);
		TEST_ASSERT(ret >= 0, "child crashed (seed %" PRIu64 ", set %u)", seed, i);
		TEST_ASSERT(ret <= 1, "child exited %d (seed %" PRIu64 ", set %u)", ret, seed, i);
		TEST_ASSERT(!dir_exists(last_prefix), "set %u left %s behind", i, last_prefix);
		if (ret == 0)
			ok++;
	}
	printf("%u of %u random sets accepted\n", ok, RANDOM_SETS);
	return TEST_SUCCESS;
}

static struct unit_test_suite random_flags_suite = {
	.suite_name = "EAL random option sets",
	.unit_test_cases = {
		TEST_CASE(test_random_sets),
		TEST_CASES_END(),
	},
};

static int
test_eal_flags_random(void)
{
	return unit_test_suite_runner(&random_flags_suite);
}

REGISTER_FAST_TEST(eal_flags_random_autotest, NOHUGE_OK, ASAN_OK, test_eal_flags_random);
