/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * EAL memory: init time and address lookups, public API only, so that
 * devtools/bench-peer.sh can build the same source against another DPDK.
 *
 *   memory_bench [EAL args]     e.g. -l 0 -m 1024 [--iova-mode=va]
 *
 * Figures:
 *   init                 wall time of rte_eal_init() with the given args;
 *   virt2memseg_<n>p     rte_mem_virt2memseg() lookups per second of CPU
 *   virt2iova_<n>p       time, and the same for rte_mem_virt2iova(), over
 *                        4096 addresses spread over the first 1 or 512
 *                        mapped pages (512 needs -m 1024 with 2 MB pages);
 *                        best of five rounds.
 * A lookup result that disagrees with the memseg is reported, not timed.
 */

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memory.h>

#define N_ADDRS 4096u
#define ROUNDS 5
#define MAX_PAGES 512u

struct page {
	void *addr;
	size_t len;
	rte_iova_t iova;
};

static struct page pages[MAX_PAGES];
static unsigned int n_pages;
static void *addrs[N_ADDRS];
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
now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
collect(const struct rte_memseg_list *msl, const struct rte_memseg *ms, void *arg)
{
	(void)arg;
	if (msl->external || n_pages == MAX_PAGES)
		return n_pages == MAX_PAGES;
	pages[n_pages].addr = ms->addr;
	pages[n_pages].len = ms->len;
	pages[n_pages].iova = ms->iova;
	n_pages++;
	return 0;
}

/* Spread the addresses over the first @p n pages. */
static void
pick_addrs(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < N_ADDRS; i++) {
		const struct page *p = &pages[rng() % n];

		addrs[i] = (char *)p->addr + rng() % p->len;
	}
}

static int
check(unsigned int n)
{
	unsigned int i, j;

	for (i = 0; i < N_ADDRS; i++) {
		const struct rte_memseg *ms = rte_mem_virt2memseg(addrs[i], NULL);
		rte_iova_t iova = rte_mem_virt2iova(addrs[i]);

		for (j = 0; j < n; j++)
			if ((char *)addrs[i] >= (char *)pages[j].addr &&
			    (char *)addrs[i] < (char *)pages[j].addr + pages[j].len)
				break;
		if (ms == NULL || ms->addr != pages[j].addr ||
		    (pages[j].iova != RTE_BAD_IOVA &&
		     iova != pages[j].iova + (uint64_t)((char *)addrs[i] - (char *)ms->addr))) {
			printf("lookup of %p is wrong\n", addrs[i]);
			return -1;
		}
	}
	return 0;
}

/* @return lookups per second, best of ROUNDS rounds of @p iters each. */
static double
time_lookups(int iova, unsigned int iters)
{
	volatile uintptr_t sink = 0;
	double best = 0, t0, dt;
	unsigned int r, k, i;

	for (r = 0; r < ROUNDS; r++) {
		uintptr_t acc = 0;

		t0 = now(CLOCK_THREAD_CPUTIME_ID);
		for (k = 0; k < iters; k++)
			for (i = 0; i < N_ADDRS; i++)
				acc += iova ? (uintptr_t)rte_mem_virt2iova(addrs[i]) :
					(uintptr_t)rte_mem_virt2memseg(addrs[i], NULL);
		dt = now(CLOCK_THREAD_CPUTIME_ID) - t0;
		sink += acc;
		if (dt > 0 && (double)iters * N_ADDRS / dt > best)
			best = (double)iters * N_ADDRS / dt;
	}
	(void)sink;
	return best;
}

static void
bench_pages(unsigned int n)
{
	double slow;

	if (n_pages < n)
		return;
	pick_addrs(n);
	if (check(n) != 0)
		return;
	printf("virt2memseg_%up: %.2f M/s\n", n, time_lookups(0, 200) / 1e6);
	/* a pagemap read per call is slow: size the run from one quick round */
	slow = time_lookups(1, 1);
	printf("virt2iova_%up: %.4f M/s\n", n,
		time_lookups(1, slow > 5e6 ? 200 : 1) / 1e6);
}

int
main(int argc, char **argv)
{
	double t0 = now(CLOCK_MONOTONIC), t1;

	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "Cannot init EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	t1 = now(CLOCK_MONOTONIC);
	printf("init: %.1f ms\n", (t1 - t0) * 1e3);
	rte_memseg_walk(collect, NULL);
	printf("pages mapped at init: %u (IOVA mode %s)\n", n_pages,
		rte_eal_iova_mode() == RTE_IOVA_PA ? "PA" : "VA");
	bench_pages(1);
	bench_pages(MAX_PAGES);
	rte_eal_cleanup();
	return 0;
}
