/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * rte_fbarray throughput on a 1M-element array, public API only, so that
 * devtools/bench-peer.sh can build the same source against another DPDK.
 *
 *   fbarray_bench [EAL args]
 *
 * Prints one "name: X M/s" line per figure: millions of operations per
 * second of the benchmark thread's CPU time (CLOCK_THREAD_CPUTIME_ID, so
 * that other load on a shared machine skews less), best of five rounds:
 *   set_used, set_free  every index in turn, each call changing the bit;
 *   find_*              calls from 4096 pseudo-random start points over
 *                       the fragmented pattern below.
 *
 * Fragmented pattern (deterministic, the same for every build): like a
 * memseg list after long churn. Used runs of 1..32 elements alternate
 * with free holes of 1..16 elements, and every 16384 elements or so one
 * hole of 64..256 elements is left, so that find_next_n_free(64) has to
 * walk past a few hundred short runs before it finds a fit.
 */

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_fbarray.h>

#define BENCH_LEN (1u << 20)
#define N_STARTS 4096u
#define ROUNDS 5

static uint64_t rng_state = 0x5eed;

static uint64_t
rng(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static unsigned int
rng_range(unsigned int lo, unsigned int hi)
{
	return lo + (unsigned int)(rng() % (hi - lo + 1));
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
report(const char *name, double ops, double best_s)
{
	printf("%s: %.4g M/s\n", name, ops / best_s / 1e6);
}

static int
bench_set(struct rte_fbarray *arr)
{
	double t, best_used = 1e9, best_free = 1e9;
	unsigned int i;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		t = now();
		for (i = 0; i < BENCH_LEN; i++)
			if (rte_fbarray_set_used(arr, i) != 0)
				return -1;
		t = now() - t;
		if (t < best_used)
			best_used = t;
		t = now();
		for (i = 0; i < BENCH_LEN; i++)
			if (rte_fbarray_set_free(arr, i) != 0)
				return -1;
		t = now() - t;
		if (t < best_free)
			best_free = t;
	}
	report("set_used", BENCH_LEN, best_used);
	report("set_free", BENCH_LEN, best_free);
	return 0;
}

static int
make_fragmented(struct rte_fbarray *arr)
{
	unsigned int i = 0, end, next_big = 0;

	while (i < BENCH_LEN) {
		/* a used run, then a hole */
		end = i + rng_range(1, 32);
		for (; i < end && i < BENCH_LEN; i++)
			if (rte_fbarray_set_used(arr, i) != 0)
				return -1;
		if (i >= next_big) {
			i += rng_range(64, 256);
			next_big = i + rng_range(12288, 20480);
		} else {
			i += rng_range(1, 16);
		}
	}
	return 0;
}

typedef int (find_fn)(struct rte_fbarray *arr, unsigned int start, unsigned int n);

static int
next_free(struct rte_fbarray *arr, unsigned int start, unsigned int n)
{
	(void)n;
	return rte_fbarray_find_next_free(arr, start);
}

static int
contig_free(struct rte_fbarray *arr, unsigned int start, unsigned int n)
{
	(void)n;
	return rte_fbarray_find_contig_free(arr, start);
}

static int
biggest_free(struct rte_fbarray *arr, unsigned int start, unsigned int n)
{
	(void)n;
	return rte_fbarray_find_biggest_free(arr, start);
}

/* Time @p calls calls of @p fn cycling over @p starts. */
static void
bench_find(struct rte_fbarray *arr, const char *name, find_fn *fn, unsigned int n,
		const unsigned int *starts, unsigned int calls)
{
	volatile long sink = 0;
	double t, best = 1e9;
	unsigned int i;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		t = now();
		for (i = 0; i < calls; i++)
			sink += fn(arr, starts[i % N_STARTS], n);
		t = now() - t;
		if (t < best)
			best = t;
	}
	(void)sink;
	report(name, calls, best);
}

static int
bench_finds(struct rte_fbarray *arr)
{
	static unsigned int starts[N_STARTS], free_starts[N_STARTS];
	unsigned int i;
	int f;

	if (make_fragmented(arr) != 0)
		return -1;
	printf("(fragmented pattern, %u of %u elements used)\n", arr->count, arr->len);
	for (i = 0; i < N_STARTS; i++) {
		starts[i] = (unsigned int)(rng() % BENCH_LEN);
		/* contig_free is only interesting where a hole starts */
		f = rte_fbarray_find_next_free(arr, starts[i]);
		free_starts[i] = f < 0 ? starts[i] : (unsigned int)f;
	}
	bench_find(arr, "find_next_free", next_free, 1, starts, 1u << 20);
	bench_find(arr, "find_next_n_free(64)", rte_fbarray_find_next_n_free, 64, starts,
		1u << 15);
	bench_find(arr, "find_contig_free", contig_free, 1, free_starts, 1u << 20);
	bench_find(arr, "find_biggest_free", biggest_free, 1, starts, 256);
	return 0;
}

int
main(int argc, char **argv)
{
	struct rte_fbarray arr;
	int ret = 1;

	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "rte_eal_init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (rte_fbarray_init(&arr, "fbarray_bench", BENCH_LEN, sizeof(uint64_t)) != 0) {
		fprintf(stderr, "rte_fbarray_init failed: %s\n", rte_strerror(rte_errno));
		goto out;
	}
	if (bench_set(&arr) == 0 && bench_finds(&arr) == 0)
		ret = 0;
	else
		fprintf(stderr, "benchmark failed: %s\n", rte_strerror(rte_errno));
	rte_fbarray_destroy(&arr);
out:
	rte_eal_cleanup();
	return ret;
}
