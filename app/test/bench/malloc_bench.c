/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * rte_malloc / rte_memzone costs, public API only, so that
 * devtools/bench-peer.sh can build the same source against DPDK 22.11.
 *
 *   malloc_bench [EAL args]      (use hugepages and -l 0-1 for every figure)
 *
 * Lines "name: X unit":
 *   pair_<sz>            alloc+free pairs, M/s of thread CPU time, best of 5
 *   batch_lifo_<sz>      N allocations then N frees newest first, k blocks/s
 *   batch_rand_<sz>      the same, frees in a random order
 *   pair2_64             64 B pairs on two lcores at once, aggregate M/s (wall)
 *   grow_<MiB>           one allocation that grows the heap, us per page (wall)
 *   shrink_<MiB>         its free, us per page (wall)
 *   batch_growth_1m      heap growth / bytes asked over the 1 MiB batch (x)
 *   mz_reserve, mz_lookup, mz_free   1000 zones, k/s
 *   mz_contig16_ms       one 16 MiB IOVA-contiguous zone: time to answer
 *   glibc_*              the same loops on glibc malloc, for scale
 */

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memzone.h>

#define ROUNDS 5
#define PAIRS 1000000u
#define BATCH 10000u

static uint64_t rng_state = 0x5eed;

static uint64_t
rng(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef void *(*alloc_fn)(size_t);
typedef void (*free_fn)(void *);

static void *
rte_alloc(size_t sz)
{
	return rte_malloc(NULL, sz, 0);
}

static void *
glibc_alloc(size_t sz)
{
	return malloc(sz);
}

static void
glibc_free(void *p)
{
	free(p);
}

static volatile uintptr_t sink;

static double
pairs(alloc_fn a, free_fn f, size_t sz, unsigned int n)
{
	double best = 1e9;
	unsigned int r, i;

	for (r = 0; r < ROUNDS; r++) {
		double t = cpu_now();

		for (i = 0; i < n; i++) {
			void *p = a(sz);

			if (p == NULL)
				return -1;
			sink = (uintptr_t)p;
			f(p);
		}
		t = cpu_now() - t;
		if (t < best)
			best = t;
	}
	return n / best;
}

static void *ptrs[BATCH];
static unsigned int order[BATCH];

static double
batch(alloc_fn a, free_fn f, size_t sz, unsigned int n, bool random)
{
	double best = 1e9;
	unsigned int r, i;

	for (i = 0; i < n; i++)
		order[i] = n - 1 - i;
	for (r = 0; r < ROUNDS; r++) {
		double t;

		if (random) {
			for (i = n - 1; i > 0; i--) {
				unsigned int j = (unsigned int)(rng() % (i + 1)), x = order[i];

				order[i] = order[j];
				order[j] = x;
			}
		}
		t = wall_now();
		for (i = 0; i < n; i++) {
			ptrs[i] = a(sz);
			if (ptrs[i] == NULL) {
				while (i-- > 0)
					f(ptrs[i]);
				return -1;
			}
		}
		for (i = 0; i < n; i++)
			f(ptrs[order[i]]);
		t = wall_now() - t;
		if (t < best)
			best = t;
	}
	return n / best;
}

static void
report(const char *name, double per_s, double scale, const char *unit)
{
	if (per_s < 0)
		printf("%s: failed\n", name);
	else
		printf("%s: %.4g %s\n", name, per_s / scale, unit);
}

static volatile int go;
static double lcore_rate[RTE_MAX_LCORE];

static int
pair_worker(void *arg)
{
	unsigned int n = (unsigned int)(uintptr_t)arg, i;
	double t;

	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		;
	t = wall_now();
	for (i = 0; i < n; i++) {
		void *p = rte_malloc(NULL, 64, 0);

		if (p == NULL)
			return -1;
		rte_free(p);
	}
	lcore_rate[rte_lcore_id()] = n / (wall_now() - t);
	return 0;
}

static void
bench_two_lcores(void)
{
	unsigned int worker = rte_get_next_lcore(rte_lcore_id(), 1, 0);
	double best = 0;
	int r;

	if (worker >= RTE_MAX_LCORE) {
		printf("pair2_64: skipped (one lcore)\n");
		return;
	}
	for (r = 0; r < ROUNDS; r++) {
		go = 0;
		rte_eal_remote_launch(pair_worker, (void *)(uintptr_t)PAIRS, worker);
		__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
		pair_worker((void *)(uintptr_t)PAIRS);
		rte_eal_wait_lcore(worker);
		if (lcore_rate[rte_lcore_id()] + lcore_rate[worker] > best)
			best = lcore_rate[rte_lcore_id()] + lcore_rate[worker];
	}
	report("pair2_64", best, 1e6, "M/s");
}

static size_t
heap_total(void)
{
	struct rte_malloc_socket_stats st;

	if (rte_malloc_get_socket_stats((int)rte_socket_id(), &st) != 0)
		return 0;
	return st.heap_totalsz_bytes;
}

static void
bench_growth(size_t mib)
{
	size_t pages = mib / 2;
	char name[64];
	double t;
	void *p;

	t = wall_now();
	p = rte_malloc(NULL, mib << 20, 0);
	t = wall_now() - t;
	snprintf(name, sizeof(name), "grow_%zu", mib);
	if (p == NULL) {
		printf("%s: failed\n", name);
		return;
	}
	printf("%s: %.4g us\n", name, t * 1e6 / (double)pages);
	t = wall_now();
	rte_free(p);
	t = wall_now() - t;
	snprintf(name, sizeof(name), "shrink_%zu", mib);
	printf("%s: %.4g us\n", name, t * 1e6 / (double)pages);
}

static void
bench_batch_growth(void)
{
	const unsigned int n = 64;
	size_t before = heap_total(), peak;
	unsigned int i;

	for (i = 0; i < n; i++) {
		ptrs[i] = rte_malloc(NULL, 1 << 20, 0);
		if (ptrs[i] == NULL)
			break;
	}
	peak = heap_total();
	while (i-- > 0)
		rte_free(ptrs[i]);
	printf("batch_growth_1m: %.3g x\n", (double)(peak - before) / ((double)n * (1 << 20)));
}

static void
bench_memzones(void)
{
	static const struct rte_memzone *mz[1000];
	char name[RTE_MEMZONE_NAMESIZE];
	double t;
	unsigned int i;

	t = wall_now();
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "bench_mz_%u", i);
		mz[i] = rte_memzone_reserve(name, 4096, SOCKET_ID_ANY, 0);
		if (mz[i] == NULL) {
			printf("mz_reserve: failed at %u\n", i);
			while (i-- > 0)
				rte_memzone_free(mz[i]);
			return;
		}
	}
	report("mz_reserve", 1000 / (wall_now() - t), 1e3, "k/s");
	t = wall_now();
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "bench_mz_%u", (i * 7919) % 1000);
		if (rte_memzone_lookup(name) == NULL)
			printf("mz_lookup: missed %s\n", name);
	}
	report("mz_lookup", 1000 / (wall_now() - t), 1e3, "k/s");
	t = wall_now();
	for (i = 0; i < 1000; i++)
		rte_memzone_free(mz[i]);
	report("mz_free", 1000 / (wall_now() - t), 1e3, "k/s");

	t = wall_now();
	mz[0] = rte_memzone_reserve("bench_contig16", 16 << 20, SOCKET_ID_ANY,
			RTE_MEMZONE_IOVA_CONTIG);
	t = wall_now() - t;
	printf("mz_contig16_ms: %.4g ms\n", t * 1e3);
	printf("mz_contig16 %s\n", mz[0] != NULL ? "reserved" : "refused");
	if (mz[0] != NULL)
		rte_memzone_free(mz[0]);
}

int
main(int argc, char **argv)
{
	static const size_t sizes[] = { 64, 1024, 65536, 1 << 20 };
	static const char *const names[] = { "64", "1k", "64k", "1m" };
	char name[64];
	unsigned int i;

	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "EAL init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	for (i = 0; i < RTE_DIM(sizes); i++) {
		unsigned int n = sizes[i] >= (1 << 20) ? 200 : BATCH;

		snprintf(name, sizeof(name), "pair_%s", names[i]);
		report(name, pairs(rte_alloc, rte_free, sizes[i], sizes[i] >= 65536 ? 20000 : PAIRS),
				1e6, "M/s");
		snprintf(name, sizeof(name), "batch_lifo_%s", names[i]);
		report(name, batch(rte_alloc, rte_free, sizes[i], n, false), 1e3, "k/s");
		snprintf(name, sizeof(name), "batch_rand_%s", names[i]);
		report(name, batch(rte_alloc, rte_free, sizes[i], n, true), 1e3, "k/s");
	}
	report("glibc_pair_64", pairs(glibc_alloc, glibc_free, 64, PAIRS), 1e6, "M/s");
	report("glibc_batch_rand_64", batch(glibc_alloc, glibc_free, 64, BATCH, true), 1e3, "k/s");
	bench_two_lcores();
	bench_batch_growth();
	bench_growth(64);
	bench_growth(256);
	bench_memzones();
	rte_eal_cleanup();
	return 0;
}
