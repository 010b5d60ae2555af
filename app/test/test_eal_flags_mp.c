/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * EAL process type tests (eal_flags_mp_autotest): dpdk-test started again
 * as a second primary or a secondary of this process's own --file-prefix,
 * through the child runner of test_eal_flags.c. A refused secondary must
 * say why, fail within 5 s, leave no file behind, and leave the primary
 * and later secondaries working (RELIABILITY R24).
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_memory.h>

#include "eal_internal_cfg.h"
#include "eal_memcfg.h"
#include "eal_shared_lock.h"
#include "test.h"
#include "test_eal_flags.h"

static bool
own_config_exists(void)
{
	char path[PATH_MAX + 16];

	runtime_dir_of(test_file_prefix, path, sizeof(path) - 8);
	strcat(path, "/config");
	return access(path, F_OK) == 0;
}

/* The cases that drive secondaries of this process's own prefix need this. */
static int
need_shared_primary(void)
{
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return test_not_primary();
	if (!own_config_exists())
		return test_required_missing("this primary has no shared config (--no-shconf)");
	return TEST_SUCCESS;
}

/* A secondary started next to us with @p args attaches: exit 0 and runs as a secondary. */
static int
expect_secondary_attaches(const char *const *args, const char *what)
{
	int ret = run_child_prefix(args, test_file_prefix);

	if (ret != 0)
		print_args(args);
	TEST_ASSERT_EQUAL(ret, 0, "%s (status %d)", what, ret);
	EXPECT_OUTPUT("child: proc=secondary");
	return TEST_SUCCESS;
}

static int
test_secondary_without_primary(void)
{
	EXPECT_FAIL("primary", NOHUGE, "--proc-type=secondary");
	EXPECT_FAIL("primary", NOHUGE, "--proc-type=secondary", "-m", "18");
	return TEST_SUCCESS;
}

static int
test_second_primary(void)
{
	const char *const args[] = { memory_mode_arg(), "--proc-type=primary", NULL };
	int ret;

	ret = need_shared_primary();
	if (ret != TEST_SUCCESS)
		return ret;
	ret = run_child_prefix(args, test_file_prefix);
	if (ret <= 0)
		printf("--- child output ---\n%s--- end ---\n", child_out);
	TEST_ASSERT(ret > 0, "a second primary on our prefix was accepted (status %d)", ret);
	TEST_ASSERT_NOT_NULL(strcasestr(child_out, "is another primary process running?"),
		"the refusal does not say why");
	TEST_ASSERT(own_config_exists(), "the refused primary removed our config file");
	return TEST_SUCCESS;
}

static int
test_auto_becomes_secondary(void)
{
	const char *const args[] = { memory_mode_arg(), "--proc-type=auto", NULL };
	int ret;

	ret = need_shared_primary();
	if (ret != TEST_SUCCESS)
		return ret;
	ret = expect_secondary_attaches(args, "--proc-type=auto next to a primary failed");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT(own_config_exists(), "a secondary removed the primary's config file");
	return TEST_SUCCESS;
}

/* a secondary takes hugepage dirs from the primary: its --huge-dir is ignored */
static int
test_secondary_ignores_huge_dir(void)
{
	const char *const args[] = { "--proc-type=secondary", "--huge-dir=/nonexistent", NULL };
	const char *const args_m[] = { "--proc-type=secondary", "-m", "18", NULL };
	int ret;

	if (!test_have_hugepages())
		return test_hugepages_missing("a secondary next to a hugepage primary");
	ret = need_shared_primary();
	if (ret != TEST_SUCCESS)
		return ret;
	ret = expect_secondary_attaches(args, "a secondary with a bad --huge-dir failed");
	if (ret != TEST_SUCCESS)
		return ret;
	/* so is -m: the primary owns the memory */
	return expect_secondary_attaches(args_m, "a secondary with -m failed");
}

/* ---- secondaries refused next to this primary (RELIABILITY R24) ---- */

/* a refused start must not take longer than this, in seconds (RELIABILITY R24) */
#define REFUSAL_MAX_S 5.0

/* Which entries of a directory there are: order-free, so readdir order does not matter. */
struct dir_print {
	unsigned int n;
	uint64_t x;
};

/* Entries of @p dir whose name starts with @p name_prefix. */
static struct dir_print
dir_fingerprint(const char *dir, const char *name_prefix)
{
	struct dir_print p = { 0, 0 };
	struct dirent *e;
	const char *c;
	uint64_t h;
	DIR *d;

	d = opendir(dir);
	if (d == NULL)
		return p;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strncmp(e->d_name, name_prefix, strlen(name_prefix)))
			continue;
		/* FNV-1a */
		for (h = 14695981039346656037ULL, c = e->d_name; *c != '\0'; c++)
			h = (h ^ (unsigned char)*c) * 1099511628211ULL;
		p.n++;
		p.x ^= h;
	}
	closedir(d);
	return p;
}

/* What a refused secondary must leave as it was: our runtime dir and hugepage files. */
struct mp_files {
	struct dir_print run, huge;
};

static void
mp_files_get(struct mp_files *f)
{
	char dir[PATH_MAX], huge_prefix[NAME_MAX + 8];

	runtime_dir_of(test_file_prefix, dir, sizeof(dir));
	f->run = dir_fingerprint(dir, "");
	snprintf(huge_prefix, sizeof(huge_prefix), "%smap_", test_file_prefix);
	/* without DPDK_TEST_HUGE_DIR the mount is the EAL's choice: not compared */
	f->huge = test_huge_dir[0] != '\0' ? dir_fingerprint(test_huge_dir, huge_prefix) :
		(struct dir_print){ 0, 0 };
}

/* @return the pid of an mp_socket_<pid>_* of a dead process in our runtime dir, or 0. */
static int
dead_mp_socket(void)
{
	char dir[PATH_MAX];
	struct dirent *e;
	int pid, dead = 0;
	DIR *d;

	runtime_dir_of(test_file_prefix, dir, sizeof(dir));
	d = opendir(dir);
	if (d == NULL)
		return 0;
	while (dead == 0 && (e = readdir(d)) != NULL)
		if (sscanf(e->d_name, "mp_socket_%d_", &pid) == 1 && !eal_pid_alive(pid))
			dead = pid;
	closedir(d);
	return dead;
}

/*
 * A secondary started next to us with @p args and environment @p env
 * (@p n_env entries) is refused (check_refused()) within 5 s and leaves
 * no file behind.
 */
static int
expect_secondary_refused(const char *const *args, const struct child_env *env,
	unsigned int n_env, int err, const char *needle)
{
	struct mp_files before, after;
	uint64_t t0;
	double took;
	int ret;

	mp_files_get(&before);
	t0 = rte_get_timer_cycles();
	ret = run_child_env(args, test_file_prefix, env, n_env);
	took = (double)(rte_get_timer_cycles() - t0) / (double)rte_get_timer_hz();
	printf("secondary refused after %.3f s (%s)\n", took, needle);
	TEST_ASSERT_SUCCESS(check_refused(args, ret, err, needle), "wrong refusal");
	TEST_ASSERT(took < REFUSAL_MAX_S, "the refusal took %.3f s", took);
	ret = dead_mp_socket();
	TEST_ASSERT_EQUAL(ret, 0, "the socket of dead process %d is left", ret);
	mp_files_get(&after);
	TEST_ASSERT(before.run.n == after.run.n && before.run.x == after.run.x,
		"the refused secondary changed our runtime dir (%u entries, now %u)",
		before.run.n, after.run.n);
	TEST_ASSERT(before.huge.n == after.huge.n && before.huge.x == after.huge.x,
		"the refused secondary changed our hugepage files (%u, now %u)",
		before.huge.n, after.huge.n);
	return TEST_SUCCESS;
}

/* After a refused secondary, the primary still grows its heap and a plain secondary attaches. */
static int
check_primary_unharmed(void)
{
	const char *const args[] = { memory_mode_arg(), "--proc-type=secondary", NULL };
	const size_t sz = 4 << 20;
	void *p = rte_malloc(NULL, sz, 0);

	TEST_ASSERT_NOT_NULL(p, "the primary cannot allocate 4 MB after a refused secondary");
	memset(p, 0x5a, sz);
	rte_free(p);
	return expect_secondary_attaches(args,
		"a plain secondary cannot attach after a refused one");
}

/*
 * A secondary that asks for a memory mode the primary does not run is
 * refused (it would otherwise silently run in the primary's mode).
 */
static int
test_secondary_mode_mismatch(void)
{
	static const char *const opts[] = { "--legacy-mem", "--single-file-segments" };
	const struct internal_config *cfg = eal_get_internal_configuration();
	const bool ours[] = { cfg->legacy_mem != 0, cfg->single_file_segments != 0 };
	char needle[96];
	unsigned int i;
	int ret = need_shared_primary();

	if (ret != TEST_SUCCESS)
		return ret;
	for (i = 0; i < RTE_DIM(opts); i++) {
		const char *const args[] = {
			memory_mode_arg(), "--proc-type=secondary", opts[i], NULL
		};

		if (ours[i]) {
			printf("this primary runs %s: no mismatch to test\n", opts[i]);
			continue;
		}
		snprintf(needle, sizeof(needle), "%s: the primary runs with", opts[i]);
		TEST_ASSERT_SUCCESS(expect_secondary_refused(args, NULL, 0, EINVAL, needle),
			"a secondary with %s was not refused as expected", opts[i]);
		TEST_ASSERT_SUCCESS(check_primary_unharmed(), "after %s", opts[i]);
	}
	return TEST_SUCCESS;
}

/* Where va_shim.so is: built next to dpdk-test. @return 0 if it is there. */
static int
va_shim_path(char *buf, size_t len)
{
	static const char name[] = "va_shim.so";
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash == NULL || (size_t)(slash + 1 - buf) + sizeof(name) > len)
		return -1;
	memcpy(slash + 1, name, sizeof(name));
	return access(buf, R_OK);
}

static int
first_eal_list(const struct rte_memseg_list *msl, void *arg)
{
	if (msl->external)
		return 0;
	*(const struct rte_memseg_list **)arg = msl;
	return 1;
}

/*
 * A secondary that finds the first page of the primary's first memseg
 * list already mapped (va_shim.so takes it before main()) is refused with
 * the range named.
 */
static int
test_secondary_va_taken(void)
{
	const char *const args[] = { memory_mode_arg(), "--proc-type=secondary", NULL };
	const char *old_asan = getenv("ASAN_OPTIONS");
	const struct rte_memseg_list *msl = NULL;
	char shim[PATH_MAX], addr[32], len[32], asan[512], needle[96];
	const struct child_env env[] = {
		{ "LD_PRELOAD", shim }, { "DPDK_TEST_VA_SHIM_ADDR", addr },
		{ "DPDK_TEST_VA_SHIM_LEN", len }, { "ASAN_OPTIONS", asan },
	};
	int ret = need_shared_primary();

	if (ret != TEST_SUCCESS)
		return ret;
	if (va_shim_path(shim, sizeof(shim)) != 0)
		return test_required_missing("va_shim.so next to dpdk-test");
	rte_memseg_list_walk(first_eal_list, &msl);
	TEST_ASSERT_NOT_NULL(msl, "this primary has no memseg list");
	snprintf(addr, sizeof(addr), "%p", msl->base_va);
	snprintf(len, sizeof(len), "%" PRIu64, msl->page_sz);
	/* ASan aborts when a preloaded library comes before its runtime; the shim needs none */
	snprintf(asan, sizeof(asan), "%s%sverify_asan_link_order=0",
		old_asan != NULL ? old_asan : "", old_asan != NULL && old_asan[0] != '\0' ? ":" : "");
	snprintf(needle, sizeof(needle), "[%p, %p)", msl->base_va,
		RTE_PTR_ADD(msl->base_va, msl->len));
	ret = expect_secondary_refused(args, env, RTE_DIM(env), EADDRNOTAVAIL, needle);
	TEST_ASSERT_SUCCESS(ret, "a secondary without the primary's VA was not refused as expected");
	TEST_ASSERT_NOT_NULL(strstr(child_out, "va_shim: occupied"),
		"the shim did not take the range: the refusal is not the one tested");
	return check_primary_unharmed();
}

/*
 * A secondary of another build finds a layout version it does not know.
 * Faked from this side, without a hook in the library: our own shared
 * config claims another version while the secondary starts.
 */
static int
test_secondary_version_mismatch(void)
{
	const char *const args[] = { memory_mode_arg(), "--proc-type=secondary", NULL };
	struct rte_mem_config *mcfg = eal_get_mcfg();
	uint32_t ours = mcfg->version;
	int ret = need_shared_primary();

	if (ret != TEST_SUCCESS)
		return ret;
	__atomic_store_n(&mcfg->version, ours + 1, __ATOMIC_RELEASE);
	ret = expect_secondary_refused(args, NULL, 0, EINVAL, "versions mismatch");
	__atomic_store_n(&mcfg->version, ours, __ATOMIC_RELEASE);
	TEST_ASSERT_SUCCESS(ret, "a secondary of another layout version was not refused");
	return check_primary_unharmed();
}

static struct unit_test_suite mp_flags_suite = {
	.suite_name = "EAL process type options",
	.unit_test_cases = {
		TEST_CASE(test_secondary_without_primary),
		TEST_CASE(test_second_primary),
		TEST_CASE(test_auto_becomes_secondary),
		TEST_CASE(test_secondary_ignores_huge_dir),
		TEST_CASE(test_secondary_mode_mismatch),
		TEST_CASE(test_secondary_va_taken),
		TEST_CASE(test_secondary_version_mismatch),
		TEST_CASES_END(),
	},
};

static int
test_eal_flags_mp(void)
{
	return unit_test_suite_runner(&mp_flags_suite);
}

REGISTER_FAST_TEST(eal_flags_mp_autotest, NOHUGE_OK, ASAN_OK, test_eal_flags_mp);
