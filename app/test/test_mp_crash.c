/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Multi-process crash tests on real hugepages (RELIABILITY R6, R24).
 *
 * R6 needs a primary that can be killed, so this process only directs:
 * it starts a child primary with its own --file-prefix (ours + "_r6"),
 * secondaries of that child, kills the child primary with SIGKILL, and
 * checks that the secondaries fail instead of hanging and that a new
 * primary on the same prefix sweeps what the dead one left.
 *
 * The children report through two pipes inherited across exec: they
 * write one byte to $MP_CRASH_READY_FD when they are set up and wait for
 * one byte on $MP_CRASH_GO_FD before the step that needs the crash.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_memory.h>

#include "eal_filesystem.h"
#include "eal_internal_cfg.h"
#include "test.h"
#include "test_mp.h"

#include <rte_malloc.h>
#include <rte_memzone.h>

#define MZ_NAME "mp_crash_data"
#define MZ_LEN (3 << 20)
#define N_SECONDARIES 2
/* a secondary's request to a dead primary must fail within this */
#define FAIL_WITHIN_S 15

/* ---- shared helpers ---- */

static void
pattern(uint8_t *p, size_t len, uint8_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

static bool
pattern_ok(const uint8_t *p, size_t len, uint8_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (uint8_t)(seed + i * 7))
			return false;
	return true;
}

/* Bytes that make the heap grow: more than its biggest free element. */
static size_t
grow_size(void)
{
	struct rte_malloc_socket_stats st;

	if (rte_malloc_get_socket_stats((int)rte_socket_id(), &st) != 0)
		return 16u << 20;
	return RTE_ALIGN_CEIL(st.greatest_free_size + (4u << 20), 1u << 20);
}

static int
env_fd(const char *name)
{
	const char *s = getenv(name);

	return s != NULL ? atoi(s) : -1;
}

/* Wait up to @p secs for one byte on @p fd. @return true if it came. */
static bool
read_byte(int fd, double secs)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	double end = now_s() + secs;
	char b;

	while (now_s() < end) {
		if (poll(&pfd, 1, 100) == 1)
			return read(fd, &b, 1) == 1;
	}
	return false;
}

static bool
write_byte(int fd)
{
	char b = 'k';

	return write(fd, &b, 1) == 1;
}

/* Files of the hugepage prefix @p prefix in @p dir; @p remove them. */
static int
hugefiles(const char *dir, const char *prefix, bool remove)
{
	char want[NAME_MAX + 8];
	struct dirent *e;
	int n = 0;
	DIR *d = opendir(dir);

	if (d == NULL)
		return -1;
	snprintf(want, sizeof(want), "%smap_", prefix);
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, want, strlen(want)) != 0)
			continue;
		n++;
		if (remove)
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
	return n;
}

static const char *
hugedir(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();

	return cfg->num_hugepage_sizes > 0 ? cfg->hugepage_info[0].hugedir : "";
}

/* @return how many mp_socket_* files of secondaries are in @p dir. */
static int
secondary_sockets(const char *dir)
{
	struct dirent *e;
	int n = 0;
	DIR *d = opendir(dir);

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		n += strncmp(e->d_name, "mp_socket_", 10) == 0;
	closedir(d);
	return n;
}

static int
count_seg(const struct rte_memseg_list *msl, const struct rte_memseg *ms __rte_unused,
		void *arg)
{
	if (!msl->external)
		(*(int *)arg)++;
	return 0;
}

/* ---- child roles ---- */

/* The primary to be killed: some memory in use, then wait for SIGKILL. */
static int
child_doomed_primary(void)
{
	const struct rte_memzone *mz = rte_memzone_reserve(MZ_NAME, MZ_LEN, SOCKET_ID_ANY, 0);
	double end = now_s() + 3 * CHILD_WAIT_S;
	void *p = rte_malloc(NULL, grow_size(), 0);

	if (mz == NULL || p == NULL) {
		printf("doomed primary: no memory: %s\n", rte_strerror(rte_errno));
		return TEST_FAILED;
	}
	pattern(mz->addr, MZ_LEN, 0x61);
	if (!write_byte(env_fd("MP_CRASH_READY_FD")))
		return TEST_FAILED;
	while (now_s() < end)
		usleep(10000);
	printf("doomed primary: nobody killed me\n");
	return TEST_FAILED;
}

/*
 * A secondary of the doomed primary: grow the heap while the primary
 * lives, then, once it is dead, an allocation that needs a new page and a
 * free that gives pages back must fail or return, not hang; the memory
 * already mapped stays readable.
 */
static int
child_orphan(void)
{
	const struct rte_memzone *mz = rte_memzone_lookup(MZ_NAME);
	double t0, dt;
	void *mine, *p;

	if (mz == NULL || !pattern_ok(mz->addr, MZ_LEN, 0x61)) {
		printf("orphan: the primary's memzone is missing or wrong\n");
		return TEST_FAILED;
	}
	mine = rte_malloc(NULL, grow_size(), 0);
	if (mine == NULL) {
		printf("orphan: cannot grow while the primary lives: %s\n",
			rte_strerror(rte_errno));
		return TEST_FAILED;
	}
	if (!write_byte(env_fd("MP_CRASH_READY_FD")) ||
	    !read_byte(env_fd("MP_CRASH_GO_FD"), 3 * CHILD_WAIT_S))
		return TEST_FAILED;
	if (!pattern_ok(mz->addr, MZ_LEN, 0x61)) {
		printf("orphan: the memzone changed after the primary died\n");
		return TEST_FAILED;
	}
	t0 = now_s();
	p = rte_malloc(NULL, grow_size(), 0);
	dt = now_s() - t0;
	printf("orphan %d: growth without a primary: %s after %.2f s (%s)\n", (int)getpid(),
		p == NULL ? "failed" : "succeeded", dt, rte_strerror(rte_errno));
	if (p != NULL || dt > FAIL_WITHIN_S)
		return TEST_FAILED;
	t0 = now_s();
	rte_free(mine);
	dt = now_s() - t0;
	printf("orphan %d: free without a primary returned after %.2f s\n", (int)getpid(), dt);
	if (dt > FAIL_WITHIN_S || !write_byte(env_fd("MP_CRASH_READY_FD")))
		return TEST_FAILED;
	/*
	 * This one dies too, after the other exited (which unlinks every page
	 * file nobody else maps): its files stay behind for the next primary.
	 */
	if (strcmp(getenv("MP_CHILD_ROLE"), "crash_orphan_killed") == 0) {
		if (read_byte(env_fd("MP_CRASH_GO_FD"), 3 * CHILD_WAIT_S))
			raise(SIGKILL);
		return TEST_FAILED;
	}
	return TEST_SUCCESS;
}

/*
 * The primary started after the crash: before anything is allocated, the
 * hugepage files of its prefix are exactly its own pages (the dead
 * group's were swept), and no dead secondary's socket is left; then it
 * must be able to grow and shrink.
 */
static int
child_restarted_primary(void)
{
	int files = hugefiles(hugedir(), eal_get_hugefile_prefix(), false), segs = 0;
	void *p;

	rte_memseg_walk(count_seg, &segs);
	printf("restarted primary: %d hugepage files, %d pages in use\n", files, segs);
	if (files != segs) {
		printf("restarted primary: stale hugepage files left\n");
		return TEST_FAILED;
	}
	if (secondary_sockets(eal_get_runtime_dir()) != 0) {
		printf("restarted primary: stale secondary sockets left\n");
		return TEST_FAILED;
	}
	p = rte_malloc(NULL, grow_size(), 0);
	if (p == NULL) {
		printf("restarted primary: cannot grow: %s\n", rte_strerror(rte_errno));
		return TEST_FAILED;
	}
	pattern(p, 1 << 20, 3);
	if (!pattern_ok(p, 1 << 20, 3))
		return TEST_FAILED;
	rte_free(p);
	return TEST_SUCCESS;
}

int
mp_crash_child(const char *role)
{
	if (strcmp(role, "crash_primary") == 0)
		return child_doomed_primary();
	if (strncmp(role, "crash_orphan", 12) == 0)
		return child_orphan();
	if (strcmp(role, "crash_restarted") == 0)
		return child_restarted_primary();
	printf("unknown crash role '%s'\n", role);
	return TEST_FAILED;
}

/* ---- the directing process ---- */

static void
set_fd_env(const char *name, int fd)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%d", fd);
	setenv(name, buf, 1);
}

/* Remove everything of @p prefix: runtime dir and hugepage files. */
static void
remove_prefix(const char *prefix)
{
	char dir[PATH_MAX];
	struct dirent *e;
	DIR *d;

	hugefiles(hugedir(), prefix, true);
	snprintf(dir, sizeof(dir), "%s/../%s", eal_get_runtime_dir(), prefix);
	d = opendir(dir);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
	rmdir(dir);
}

struct crash_run {
	char prefix[NAME_MAX];
	int ready[2], go[2];
	pid_t primary, orphans[N_SECONDARIES];
};

static void
crash_run_end(struct crash_run *r)
{
	int i;

	if (r->primary > 0) {
		kill(r->primary, SIGKILL);
		waitpid(r->primary, NULL, 0);
	}
	for (i = 0; i < N_SECONDARIES; i++)
		if (r->orphans[i] > 0)
			wait_child(r->orphans[i], CHILD_WAIT_S);
	close(r->ready[0]);
	close(r->ready[1]);
	close(r->go[0]);
	close(r->go[1]);
	unsetenv("MP_CRASH_READY_FD");
	unsetenv("MP_CRASH_GO_FD");
	remove_prefix(r->prefix);
}

/* Start the doomed primary and its secondaries. @return TEST_SUCCESS or not. */
static int
crash_run_start(struct crash_run *r)
{
	int i;

	TEST_ASSERT(pipe(r->ready) == 0 && pipe(r->go) == 0, "pipe: %s", strerror(errno));
	set_fd_env("MP_CRASH_READY_FD", r->ready[1]);
	set_fd_env("MP_CRASH_GO_FD", r->go[0]);
	r->primary = spawn_child("crash_primary", "primary", r->prefix, NULL);
	TEST_ASSERT(r->primary > 0 && read_byte(r->ready[0], CHILD_WAIT_S),
		"the child primary did not start");
	for (i = 0; i < N_SECONDARIES; i++) {
		r->orphans[i] = spawn_child(i == 0 ? "crash_orphan" : "crash_orphan_killed",
			"secondary", r->prefix, NULL);
		TEST_ASSERT(r->orphans[i] > 0 && read_byte(r->ready[0], CHILD_WAIT_S),
			"secondary %d of the child primary did not start", i);
	}
	return TEST_SUCCESS;
}

static int
test_primary_killed(void)
{
	struct crash_run r = { .ready = { -1, -1 }, .go = { -1, -1 } };
	char rundir[PATH_MAX];
	int i, stale, ret, st;
	double t0;
	pid_t pid;

	snprintf(r.prefix, sizeof(r.prefix), "%s_r6", test_file_prefix);
	remove_prefix(r.prefix);
	ret = crash_run_start(&r);
	if (ret != TEST_SUCCESS)
		goto out;
	kill(r.primary, SIGKILL);
	waitpid(r.primary, NULL, 0);
	r.primary = -1;
	t0 = now_s();
	for (i = 0; i < N_SECONDARIES; i++)
		write_byte(r.go[1]);
	/* each secondary reports once its failed growth and its free returned */
	for (i = 0; i < N_SECONDARIES; i++)
		if (!read_byte(r.ready[0], FAIL_WITHIN_S + 5))
			ret = TEST_FAILED;
	printf("secondaries of the killed primary: checks done after %.2f s\n", now_s() - t0);
	st = wait_child(r.orphans[0], FAIL_WITHIN_S + CHILD_WAIT_S);
	r.orphans[0] = -1;
	printf("the first secondary exited with status %d after %.2f s\n", st, now_s() - t0);
	if (st != 0)
		ret = TEST_FAILED;
	write_byte(r.go[1]);
	waitpid(r.orphans[1], &st, 0);
	if (!WIFSIGNALED(st))
		ret = TEST_FAILED;
	r.orphans[1] = -1;
	if (ret != TEST_SUCCESS) {
		printf("a secondary hung or did not fail its growth (see above)\n");
		goto out;
	}
	stale = hugefiles(hugedir(), r.prefix, false);
	snprintf(rundir, sizeof(rundir), "%s/../%s", eal_get_runtime_dir(), r.prefix);
	printf("left by the dead group: %d hugepage files, %d secondary sockets\n", stale,
		secondary_sockets(rundir));
	if (stale <= 0) {
		printf("the killed processes left no hugepage file: nothing to sweep?\n");
		ret = TEST_FAILED;
		goto out;
	}
	pid = spawn_child("crash_restarted", "primary", r.prefix, NULL);
	if (pid < 0 || wait_child(pid, CHILD_WAIT_S) != 0) {
		printf("the primary restarted on the same prefix failed\n");
		ret = TEST_FAILED;
	}
out:
	crash_run_end(&r);
	TEST_ASSERT_EQUAL(hugefiles(hugedir(), r.prefix, false), 0, "files of %s left",
		r.prefix);
	return ret;
}

static struct unit_test_suite mp_crash_suite = {
	.suite_name = "multi-process crashes",
	.unit_test_cases = {
		TEST_CASE(test_primary_killed),
		TEST_CASES_END(),
	},
};

static int
test_multiprocess_crash(void)
{
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return test_not_primary();
	return unit_test_suite_runner(&mp_crash_suite);
}

/*
 * The secondaries grow the heap through the primary: with ASan the
 * primary then walks heap elements its own shadow still has poisoned
 * (the heap's ASan support is single-process, as for multiprocess_mem).
 */
REGISTER_FAST_TEST(multiprocess_crash_autotest, NOHUGE_SKIP, ASAN_SKIP, test_multiprocess_crash);
