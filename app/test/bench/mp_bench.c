/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Multi-process cost of heap growth, public API only, so that
 * devtools/bench-peer.sh can build the same source against DPDK 22.11.
 *
 *   mp_bench [EAL args, with hugepages: e.g. -l 0-1 --huge-dir=/mnt/huge-dev]
 *
 * One timed rte_malloc() that makes the heap grow by exactly one 2 MB page
 * (its rte_free(), not timed, gives the page back), median over ITERS:
 *   primary_growth_k<K>    done by the primary while K idle secondaries
 *                          are attached (each must map the new page);
 *   secondary_growth_k<K>  done by a secondary, so the page is allocated
 *                          by the primary on its request and synced to
 *                          the requester and K other idle secondaries.
 * K = 0, 1, 3. Secondaries are this binary again (fork + exec of
 * /proc/self/exe) with the primary's EAL arguments, minus the memory
 * amounts and process type, plus --proc-type=secondary and a quieter EAL
 * log level; so they share the primary's --file-prefix and --huge-dir.
 * Their role comes in MP_BENCH_ROLE. Everything is coordinated through one memzone.
 * MP_BENCH_ITERS overrides the number of timed allocations (default 100).
 */

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>

#define CTL_NAME "mp_bench_ctl"
#define ROLE_ENV "MP_BENCH_ROLE"
#define ITERS_ENV "MP_BENCH_ITERS"
#define DEF_ITERS 100
#define MAX_ITERS 1000
#define MAX_CHILDREN 4       /* K = 3 idle ones plus the measuring one */
#define MAX_FILLERS 16
#define PGSZ (2UL << 20)
#define GROWTH_LEN (1UL << 20)
#define FILL_BELOW (512UL << 10)
#define ATTACH_WAIT_S 60.0   /* one secondary's rte_eal_init */
#define MEASURE_WAIT_S 300.0 /* the whole timed loop of the measurer */
#define EXIT_WAIT_S 30.0     /* a child's rte_eal_cleanup and exit */
#define CHILD_IDLE_S 900.0   /* an idle child gives up after this */

struct ctl {
	volatile int32_t attached;  /* children past rte_eal_init */
	volatile int32_t go;        /* the measuring child may start */
	volatile int32_t stop;      /* every child: clean up and exit */
	volatile int32_t done;      /* measurer: 1 finished, -1 failed */
	int32_t iters;
	int32_t grown;              /* measurer: timed calls that grew the heap */
	double median_us;           /* measurer: its figure */
	char why[160];              /* measurer: what failed */
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The heap of this lcore's socket, which the benchmark's allocations use. */
static bool
heap_stats(struct rte_malloc_socket_stats *st)
{
	return rte_malloc_get_socket_stats((int)rte_socket_id(), st) == 0;
}

/*
 * Time @p iters allocations of GROWTH_LEN, each freed right after.
 * @return the median in microseconds, or -1 with @p why filled.
 * @p grown gets how many of them made the heap bigger.
 */
static double
time_growth(int iters, int *grown, char *why, size_t whylen)
{
	struct rte_malloc_socket_stats st;
	double v[MAX_ITERS], t0, t1;
	size_t before;
	void *p;
	int i;

	*grown = 0;
	/* warm-up: whatever the first growth sets up once is not the figure */
	p = rte_malloc(NULL, GROWTH_LEN, 0);
	if (p == NULL) {
		snprintf(why, whylen, "warm-up rte_malloc failed: %s", rte_strerror(rte_errno));
		return -1;
	}
	rte_free(p);
	for (i = 0; i < iters; i++) {
		before = heap_stats(&st) ? st.heap_totalsz_bytes : SIZE_MAX;
		t0 = now_s();
		p = rte_malloc(NULL, GROWTH_LEN, 0);
		t1 = now_s();
		if (p == NULL) {
			snprintf(why, whylen, "rte_malloc %d failed: %s", i,
				rte_strerror(rte_errno));
			return -1;
		}
		if (heap_stats(&st) && st.heap_totalsz_bytes > before)
			(*grown)++;
		rte_free(p);
		v[i] = (t1 - t0) * 1e6;
	}
	qsort(v, iters, sizeof(v[0]), cmp_double);
	return iters % 2 ? v[iters / 2] : (v[iters / 2 - 1] + v[iters / 2]) / 2;
}

/* ---- children ---- */

/* Wait until *@p flag is non-zero; false on timeout or an orphaned child. */
static bool
child_wait(volatile int32_t *flag, pid_t parent)
{
	double end = now_s() + CHILD_IDLE_S;

	while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) == 0) {
		if (now_s() > end || getppid() != parent)
			return false;
		usleep(1000);
	}
	return true;
}

static int
child_main(const char *role)
{
	const struct rte_memzone *mz = rte_memzone_lookup(CTL_NAME);
	pid_t parent = getppid();
	bool measure = strcmp(role, "measure") == 0;
	struct ctl *c;
	double med;
	int grown;

	if (mz == NULL) {
		printf("mp_bench child: control memzone %s not found\n", CTL_NAME);
		return 2;
	}
	c = mz->addr;
	__atomic_fetch_add(&c->attached, 1, __ATOMIC_ACQ_REL);
	if (measure) {
		if (!child_wait(&c->go, parent))
			return 3;
		med = time_growth(c->iters, &grown, c->why, sizeof(c->why));
		c->median_us = med;
		c->grown = grown;
		__atomic_store_n(&c->done, med < 0 ? -1 : 1, __ATOMIC_RELEASE);
	}
	return child_wait(&c->stop, parent) ? 0 : 3;
}

/* ---- the primary ---- */

struct scenario {
	struct ctl *c;
	char **child_argv;
	pid_t pids[MAX_CHILDREN];
	int n;
	void *fillers[MAX_FILLERS];
	int nfill;
};

/*
 * The secondaries' arguments: ours without what a secondary may not be
 * given (memory amounts, process type) and without anything after "--".
 */
static char **
make_child_argv(int argc, char **argv)
{
	char **out = calloc(argc + 3, sizeof(*out));
	int i, n = 0;

	if (out == NULL)
		return NULL;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0)
			break;
		if (strcmp(a, "-m") == 0 || strcmp(a, "--socket-mem") == 0 ||
		    strcmp(a, "--socket-limit") == 0 || strcmp(a, "--proc-type") == 0) {
			i++;
			continue;
		}
		if ((strncmp(a, "-m", 2) == 0 && a[2] != '\0') ||
		    strncmp(a, "--socket-mem=", 13) == 0 ||
		    strncmp(a, "--socket-limit=", 15) == 0 ||
		    strncmp(a, "--proc-type=", 12) == 0)
			continue;
		out[n++] = argv[i];
	}
	out[n++] = (char *)(uintptr_t)"--proc-type=secondary";
	/* eleven secondaries' start-up banners would bury the figures */
	out[n++] = (char *)(uintptr_t)"--log-level=lib.eal:notice";
	out[n] = NULL;
	return out;
}

/* Reap child @p i if it exited; @return true if it is gone. */
static bool
reaped(struct scenario *s, int i, int *status)
{
	if (s->pids[i] <= 0)
		return true;
	if (waitpid(s->pids[i], status, WNOHANG) == s->pids[i]) {
		s->pids[i] = 0;
		return true;
	}
	return false;
}

static bool
spawn(struct scenario *s, const char *role)
{
	int target = s->n + 1, status = 0;
	double end;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		printf("error: fork: %s\n", strerror(errno));
		return false;
	}
	if (pid == 0) {
		setenv(ROLE_ENV, role, 1);
		execv("/proc/self/exe", s->child_argv);
		_exit(127);
	}
	s->pids[s->n++] = pid;
	/* one at a time: attach time is not measured, racing inits gain nothing */
	end = now_s() + ATTACH_WAIT_S;
	while (__atomic_load_n(&s->c->attached, __ATOMIC_ACQUIRE) < target) {
		if (reaped(s, s->n - 1, &status)) {
			printf("error: %s secondary exited during init (status 0x%x)\n", role,
				status);
			return false;
		}
		if (now_s() > end) {
			printf("error: %s secondary not attached after %.0f s\n", role,
				ATTACH_WAIT_S);
			return false;
		}
		usleep(1000);
	}
	return true;
}

/* Stop and reap every child; @return false if one failed or had to be killed. */
static bool
stop_children(struct scenario *s)
{
	double end = now_s() + EXIT_WAIT_S;
	bool ok = true;
	int i, status;

	__atomic_store_n(&s->c->stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < s->n; i++) {
		status = 0;
		while (!reaped(s, i, &status) && now_s() < end)
			usleep(1000);
		if (s->pids[i] > 0) {
			printf("error: secondary %d did not exit in %.0f s: killed\n",
				(int)s->pids[i], EXIT_WAIT_S);
			kill(s->pids[i], SIGKILL);
			waitpid(s->pids[i], &status, 0);
			s->pids[i] = 0;
			ok = false;
		} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			printf("error: a secondary ended with status 0x%x\n", status);
			ok = false;
		}
	}
	s->n = 0;
	return ok;
}

/*
 * Use up the free space the heap already has, so that GROWTH_LEN fits
 * nowhere and needs one fresh page (page count by size alone: 1 MB plus
 * the element overhead is one 2 MB page in both heaps).
 */
static bool
fill_heap(struct scenario *s)
{
	struct rte_malloc_socket_stats st;
	size_t g;

	for (;;) {
		if (!heap_stats(&st)) {
			printf("error: rte_malloc_get_socket_stats failed\n");
			return false;
		}
		g = st.greatest_free_size;
		if (g < FILL_BELOW)
			return true;
		if (s->nfill == MAX_FILLERS) {
			printf("error: cannot bring the largest free block under %lu kB\n",
				FILL_BELOW >> 10);
			return false;
		}
		/* a little under the element's size, for its header */
		s->fillers[s->nfill] = rte_malloc(NULL, g - 4096, 0);
		if (s->fillers[s->nfill] == NULL) {
			printf("error: filler of %zu bytes: %s\n", g - 4096,
				rte_strerror(rte_errno));
			return false;
		}
		s->nfill++;
	}
}

static void
unfill_heap(struct scenario *s)
{
	while (s->nfill > 0)
		rte_free(s->fillers[--s->nfill]);
}

/* @return the median in us, or -1 after printing why. */
static double
run_scenario(struct scenario *s, bool in_secondary, int k, int iters)
{
	const char *who = in_secondary ? "secondary" : "primary";
	double med = -1, end;
	int i, grown = 0, status;
	bool ok = true;

	memset(s->c, 0, sizeof(*s->c));
	s->c->iters = iters;
	for (i = 0; i < k && ok; i++)
		ok = spawn(s, "idle");
	if (ok && in_secondary)
		ok = spawn(s, "measure");
	if (ok)
		ok = fill_heap(s);
	if (ok && !in_secondary) {
		med = time_growth(iters, &grown, s->c->why, sizeof(s->c->why));
		if (med < 0)
			printf("error: %s_growth_k%d: %s\n", who, k, s->c->why);
	} else if (ok) {
		__atomic_store_n(&s->c->go, 1, __ATOMIC_RELEASE);
		end = now_s() + MEASURE_WAIT_S;
		while (__atomic_load_n(&s->c->done, __ATOMIC_ACQUIRE) == 0) {
			if (reaped(s, s->n - 1, &status) || now_s() > end) {
				printf("error: %s_growth_k%d: the measuring secondary %s\n", who,
					k, now_s() > end ? "timed out" : "died");
				break;
			}
			usleep(1000);
		}
		if (s->c->done == 1) {
			med = s->c->median_us;
			grown = s->c->grown;
		} else if (s->c->done == -1) {
			printf("error: %s_growth_k%d: %s\n", who, k, s->c->why);
		}
	}
	if (!stop_children(s))
		med = -1;
	unfill_heap(s);
	if (med >= 0 && grown != iters)
		printf("note: %s_growth_k%d: only %d of %d allocations grew the heap\n", who,
			k, grown, iters);
	return med;
}

static int
primary_main(char **child_argv)
{
	static const int ks[] = { 0, 1, 3 };
	const struct rte_memzone *mz;
	struct scenario s = { .child_argv = child_argv };
	const char *e = getenv(ITERS_ENV);
	int iters = e != NULL ? atoi(e) : DEF_ITERS;
	int rc = 0, side;
	unsigned int i;
	double med;

	if (iters < 1 || iters > MAX_ITERS) {
		printf("error: %s must be 1..%d\n", ITERS_ENV, MAX_ITERS);
		return 1;
	}
	mz = rte_memzone_reserve(CTL_NAME, sizeof(struct ctl), SOCKET_ID_ANY, 0);
	if (mz == NULL) {
		printf("error: reserving memzone %s: %s\n", CTL_NAME, rte_strerror(rte_errno));
		return 1;
	}
	s.c = mz->addr;
	printf("one rte_malloc of %lu kB growing the heap by one page, median of %d\n",
		GROWTH_LEN >> 10, iters);
	for (side = 0; side < 2 && rc == 0; side++) {
		for (i = 0; i < sizeof(ks) / sizeof(ks[0]) && rc == 0; i++) {
			med = run_scenario(&s, side == 1, ks[i], iters);
			if (med < 0) {
				rc = 1;
				break;
			}
			printf("%s_growth_k%d: %.1f us\n", side ? "secondary" : "primary", ks[i],
				med);
			fflush(stdout);
		}
	}
	rte_memzone_free(mz);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *role = getenv(ROLE_ENV);
	char **child_argv = NULL;
	int rc;

	/* the EAL may reorder argv: copy it before */
	if (role == NULL) {
		child_argv = make_child_argv(argc, argv);
		if (child_argv == NULL) {
			printf("error: out of memory\n");
			return 1;
		}
	}
	if (rte_eal_init(argc, argv) < 0) {
		printf("error: %s: cannot init EAL: %s\n", role != NULL ? role : "primary",
			rte_strerror(rte_errno));
		free(child_argv);
		return 1;
	}
	if (role != NULL) {
		rc = child_main(role);
	} else if (!rte_eal_has_hugepages()) {
		printf("note: no hugepages (--no-huge?): nothing to measure\n");
		rc = 0;
	} else if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		printf("error: run mp_bench as the primary process\n");
		rc = 1;
	} else {
		rc = primary_main(child_argv);
	}
	rte_eal_cleanup();
	free(child_argv);
	return rc;
}
