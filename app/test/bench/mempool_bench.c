/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * rte_ring and rte_mempool fast paths and mempool creation, public API
 * only, so that devtools/bench-peer.sh can build the same source against
 * another DPDK.
 *
 *   mempool_bench [EAL args]
 *
 * Prints "name: X unit" lines, best of five rounds, timed on the thread's
 * CPU clock (CLOCK_THREAD_CPUTIME_ID) so that other load skews less:
 *   ring_{sp_sc,mp_mc}_bulk{1,32}  objects per second through a ring
 *                                  (enqueue then dequeue of a bulk);
 *   mempool_{cache,nocache}_bulk{1,32}  objects per second of get + put;
 *   mempool_create_8k               ms for rte_mempool_create() +
 *                                   rte_mempool_free() of 8191 x 2 KB.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#define ROUNDS 5
#define OPS (1u << 21)

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
bench_ring(const char *name, struct rte_ring *r, unsigned int bulk, int single)
{
	void *objs[32];
	double best = 0, t;
	unsigned int round, i;

	for (i = 0; i < bulk; i++)
		objs[i] = (void *)(uintptr_t)(i + 1);
	for (round = 0; round < ROUNDS; round++) {
		t = now();
		for (i = 0; i < OPS; i += bulk) {
			if (single) {
				rte_ring_sp_enqueue_bulk(r, objs, bulk, NULL);
				rte_ring_sc_dequeue_bulk(r, objs, bulk, NULL);
			} else {
				rte_ring_mp_enqueue_bulk(r, objs, bulk, NULL);
				rte_ring_mc_dequeue_bulk(r, objs, bulk, NULL);
			}
		}
		t = now() - t;
		if (best == 0 || t < best)
			best = t;
	}
	printf("%s_bulk%u: %.1f M/s\n", name, bulk, OPS / best / 1e6);
}

static void
bench_pool(const char *name, struct rte_mempool *mp, unsigned int bulk)
{
	void *objs[32];
	double best = 0, t;
	unsigned int round, i;

	for (round = 0; round < ROUNDS; round++) {
		t = now();
		for (i = 0; i < OPS; i += bulk) {
			if (rte_mempool_get_bulk(mp, objs, bulk) != 0) {
				printf("%s: get failed\n", name);
				return;
			}
			rte_mempool_put_bulk(mp, objs, bulk);
		}
		t = now() - t;
		if (best == 0 || t < best)
			best = t;
	}
	printf("%s_bulk%u: %.1f M/s\n", name, bulk, OPS / best / 1e6);
}

static void
bench_create(void)
{
	struct rte_mempool *mp;
	double best = 0, t;
	unsigned int round;

	for (round = 0; round < ROUNDS; round++) {
		t = now();
		mp = rte_mempool_create("bench_create", 8191, 2048, 256, 0, NULL, NULL,
			NULL, NULL, SOCKET_ID_ANY, 0);
		if (mp == NULL) {
			printf("mempool_create_8k: failed: %s\n", rte_strerror(rte_errno));
			return;
		}
		rte_mempool_free(mp);
		t = now() - t;
		if (best == 0 || t < best)
			best = t;
	}
	printf("mempool_create_8k: %.2f ms\n", best * 1e3);
}

int
main(int argc, char **argv)
{
	struct rte_mempool *cached, *uncached;
	struct rte_ring *r;

	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "cannot init EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	r = rte_ring_create("bench_ring", 1024, SOCKET_ID_ANY, 0);
	cached = rte_mempool_create("bench_cache", 4095, 64, 256, 0, NULL, NULL, NULL, NULL,
		SOCKET_ID_ANY, 0);
	uncached = rte_mempool_create("bench_nocache", 4095, 64, 0, 0, NULL, NULL, NULL,
		NULL, SOCKET_ID_ANY, 0);
	if (r == NULL || cached == NULL || uncached == NULL) {
		fprintf(stderr, "cannot create ring or pools: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	bench_ring("ring_sp_sc", r, 1, 1);
	bench_ring("ring_sp_sc", r, 32, 1);
	bench_ring("ring_mp_mc", r, 1, 0);
	bench_ring("ring_mp_mc", r, 32, 0);
	bench_pool("mempool_cache", cached, 1);
	bench_pool("mempool_cache", cached, 32);
	bench_pool("mempool_nocache", uncached, 1);
	bench_pool("mempool_nocache", uncached, 32);
	bench_create();
	rte_mempool_free(cached);
	rte_mempool_free(uncached);
	rte_ring_free(r);
	rte_eal_cleanup();
	return 0;
}
