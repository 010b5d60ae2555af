/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * rte_ring: sizing and set-up errors, FIFO order and counters across the
 * 2^32 wrap of the head/tail counters, element sizes other than a pointer,
 * and a two-lcore multi-producer/multi-consumer run that checks every
 * value comes out exactly once.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_pause.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>
#include <rte_ring_hts.h>
#include <rte_ring_rts.h>

#include "test.h"

#define RING_SIZE 64
#define MT_VALUES (1u << 18)
#define MT_BURST 13

static struct rte_ring *
ring_alloc(unsigned int esize, unsigned int count)
{
	ssize_t sz = rte_ring_get_memsize_elem(esize, count);
	void *p = NULL;

	if (sz < 0 || posix_memalign(&p, RTE_CACHE_LINE_SIZE, (size_t)sz) != 0)
		return NULL;
	return p;
}

static int
test_ring_memsize(void)
{
	TEST_ASSERT_EQUAL(rte_ring_get_memsize(0), -EINVAL, "count 0 accepted");
	TEST_ASSERT_EQUAL(rte_ring_get_memsize(100), -EINVAL, "count 100 accepted");
	TEST_ASSERT_EQUAL(rte_ring_get_memsize(1u << 31), -EINVAL, "count 2^31 accepted");
	TEST_ASSERT_EQUAL(rte_ring_get_memsize_elem(6, 64), -EINVAL, "esize 6 accepted");
	TEST_ASSERT_EQUAL(rte_ring_get_memsize_elem(0, 64), -EINVAL, "esize 0 accepted");
	TEST_ASSERT_EQUAL(rte_ring_get_memsize(1024),
		(ssize_t)(sizeof(struct rte_ring) + 1024 * sizeof(void *)),
		"wrong size for 1024 pointers");
	TEST_ASSERT_EQUAL(rte_ring_get_memsize_elem(4, 2) % RTE_CACHE_LINE_SIZE, 0,
		"size not rounded to a cache line");
	return TEST_SUCCESS;
}

static int
test_ring_init_errors(void)
{
	struct rte_ring *r = ring_alloc(sizeof(void *), RING_SIZE);
	char longname[RTE_RING_NAMESIZE + 4];
	int ret = TEST_FAILED;

	TEST_ASSERT_NOT_NULL(r, "cannot allocate ring memory");
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	if (rte_ring_init(NULL, "r", RING_SIZE, 0) != -EINVAL ||
	    rte_ring_init(r, NULL, RING_SIZE, 0) != -EINVAL) {
		printf("NULL ring or name accepted\n");
		goto out;
	}
	if (rte_ring_init(r, "r", RING_SIZE - 1, 0) != -EINVAL ||
	    rte_ring_init(r, "r", 0, RING_F_EXACT_SZ) != -EINVAL) {
		printf("bad count accepted\n");
		goto out;
	}
	if (rte_ring_init(r, longname, RING_SIZE, 0) != -ENAMETOOLONG) {
		printf("long name accepted\n");
		goto out;
	}
	if (rte_ring_init(r, "r", RING_SIZE, RING_F_SP_ENQ | RING_F_MP_RTS_ENQ) != -EINVAL ||
	    rte_ring_init(r, "r", RING_SIZE, RING_F_MC_RTS_DEQ | RING_F_MC_HTS_DEQ) != -EINVAL ||
	    rte_ring_init(r, "r", RING_SIZE, 0x1000) != -EINVAL) {
		printf("conflicting or unknown flags accepted\n");
		goto out;
	}
	if (rte_ring_init(r, "r", RING_SIZE, RING_F_MP_RTS_ENQ | RING_F_MC_HTS_DEQ) != 0 ||
	    rte_ring_get_prod_sync_type(r) != RTE_RING_SYNC_MT_RTS ||
	    rte_ring_get_cons_sync_type(r) != RTE_RING_SYNC_MT_HTS ||
	    rte_ring_get_prod_htd_max(r) != (RING_SIZE - 1) / 8 ||
	    rte_ring_set_prod_htd_max(r, 3) != 0 || rte_ring_get_prod_htd_max(r) != 3 ||
	    rte_ring_get_cons_htd_max(r) != UINT32_MAX ||
	    rte_ring_set_cons_htd_max(r, 3) != -ENOTSUP) {
		printf("RTS/HTS ring set up wrongly\n");
		goto out;
	}
	if (rte_ring_init(r, "r", RING_SIZE, RING_F_SP_ENQ | RING_F_SC_DEQ) != 0 ||
	    !rte_ring_is_prod_single(r) || !rte_ring_is_cons_single(r) ||
	    rte_ring_get_size(r) != RING_SIZE || rte_ring_get_capacity(r) != RING_SIZE - 1) {
		printf("SP/SC ring set up wrongly\n");
		goto out;
	}
	if (rte_ring_init(r, "r", RING_SIZE / 2 + 3, RING_F_EXACT_SZ) != 0 ||
	    rte_ring_is_prod_single(r) || rte_ring_get_size(r) != RING_SIZE ||
	    rte_ring_get_capacity(r) != RING_SIZE / 2 + 3) {
		printf("exact-size ring set up wrongly\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	free(r);
	return ret;
}

/* Fill, overfill, drain and check order and counters on @r. */
static int
check_fifo(struct rte_ring *r, unsigned int base)
{
	unsigned int cap = rte_ring_get_capacity(r), i, n, free_space, avail;
	void *in[RING_SIZE * 2], *out[RING_SIZE * 2];

	for (i = 0; i < RTE_DIM(in); i++)
		in[i] = (void *)(uintptr_t)(base + i + 1);
	TEST_ASSERT(rte_ring_empty(r), "ring not empty at start");
	TEST_ASSERT_EQUAL(rte_ring_dequeue(r, &out[0]), -ENOENT, "dequeue from empty ring");
	TEST_ASSERT_EQUAL(rte_ring_enqueue_bulk(r, in, cap + 1, &free_space), 0u,
		"bulk enqueue above capacity succeeded");
	TEST_ASSERT_EQUAL(free_space, cap, "free space %u, expected %u", free_space, cap);
	TEST_ASSERT_EQUAL(rte_ring_enqueue_bulk(r, in, 5, NULL), 5u, "bulk enqueue of 5 failed");
	TEST_ASSERT_EQUAL(rte_ring_enqueue(r, in[5]), 0, "single enqueue failed");
	n = rte_ring_enqueue_burst(r, &in[6], cap, &free_space);
	TEST_ASSERT_EQUAL(n, cap - 6, "burst enqueued %u, expected %u", n, cap - 6);
	TEST_ASSERT_EQUAL(free_space, 0u, "free space %u on a full ring", free_space);
	TEST_ASSERT(rte_ring_full(r), "ring not full");
	TEST_ASSERT_EQUAL(rte_ring_count(r), cap, "count %u, expected %u", rte_ring_count(r), cap);
	TEST_ASSERT_EQUAL(rte_ring_enqueue(r, in[0]), -ENOBUFS, "enqueue into full ring");
	TEST_ASSERT_EQUAL(rte_ring_dequeue_bulk(r, out, cap + 1, &avail), 0u,
		"bulk dequeue above count succeeded");
	TEST_ASSERT_EQUAL(avail, cap, "available %u, expected %u", avail, cap);
	TEST_ASSERT_EQUAL(rte_ring_dequeue(r, &out[0]), 0, "single dequeue failed");
	TEST_ASSERT_EQUAL(rte_ring_dequeue_bulk(r, &out[1], 3, NULL), 3u, "bulk dequeue failed");
	n = rte_ring_dequeue_burst(r, &out[4], RTE_DIM(out) - 4, &avail);
	TEST_ASSERT_EQUAL(n, cap - 4, "burst dequeued %u, expected %u", n, cap - 4);
	TEST_ASSERT_EQUAL(avail, 0u, "available %u on an empty ring", avail);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(in, out, cap * sizeof(void *), "objects out of order");
	TEST_ASSERT(rte_ring_empty(r) && rte_ring_free_count(r) == cap, "ring not empty at end");
	return TEST_SUCCESS;
}

/* Put both sides of an empty ring at position @pos, in any mode. */
static void
set_counters(struct rte_ring *r, uint32_t pos)
{
	if (r->prod.sync_type == RTE_RING_SYNC_MT_RTS) {
		r->rts_prod.head.raw = r->rts_prod.tail.raw = 0;
		r->rts_prod.head.val.pos = r->rts_prod.tail.val.pos = pos;
	} else {
		r->prod.head = r->prod.tail = pos;
	}
	if (r->cons.sync_type == RTE_RING_SYNC_MT_RTS) {
		r->rts_cons.head.raw = r->rts_cons.tail.raw = 0;
		r->rts_cons.head.val.pos = r->rts_cons.tail.val.pos = pos;
	} else {
		r->cons.head = r->cons.tail = pos;
	}
}

static int
test_ring_fifo_and_wrap(void)
{
	static const unsigned int flag_sets[] = {
		0, RING_F_SP_ENQ | RING_F_SC_DEQ, RING_F_EXACT_SZ,
		RING_F_MP_RTS_ENQ | RING_F_MC_RTS_DEQ, RING_F_MP_HTS_ENQ | RING_F_MC_HTS_DEQ,
		RING_F_MP_HTS_ENQ | RING_F_MC_RTS_DEQ | RING_F_EXACT_SZ,
	};
	struct rte_ring *r = ring_alloc(sizeof(void *), RING_SIZE);
	unsigned int i, k;
	int ret = TEST_SUCCESS;

	TEST_ASSERT_NOT_NULL(r, "cannot allocate ring memory");
	for (i = 0; i < RTE_DIM(flag_sets) && ret == TEST_SUCCESS; i++) {
		unsigned int count = (flag_sets[i] & RING_F_EXACT_SZ) ? RING_SIZE - 9 : RING_SIZE;

		if (rte_ring_init(r, "fifo", count, flag_sets[i]) != 0) {
			ret = TEST_FAILED;
			break;
		}
		/* rounds at every offset, then across the 2^32 counter wrap */
		for (k = 0; k < 3 && ret == TEST_SUCCESS; k++)
			ret = check_fifo(r, k * 1000);
		set_counters(r, UINT32_MAX - 20);
		for (k = 0; k < 3 && ret == TEST_SUCCESS; k++)
			ret = check_fifo(r, k * 7);
		rte_ring_reset(r);
		if (ret == TEST_SUCCESS && (r->prod.tail != 0 || !rte_ring_empty(r) ||
				check_fifo(r, 5) != TEST_SUCCESS))
			ret = TEST_FAILED;
	}
	rte_ring_dump(stdout, r);
	free(r);
	return ret;
}

static int
check_elem_size(unsigned int esize)
{
	unsigned int words = esize / 4, i, round, n;
	uint32_t in[RING_SIZE * 5], out[RING_SIZE * 5];
	struct rte_ring *r = ring_alloc(esize, RING_SIZE);

	TEST_ASSERT_NOT_NULL(r, "cannot allocate ring of %u-byte elements", esize);
	if (rte_ring_init(r, "elem", RING_SIZE, 0) != 0) {
		free(r);
		TEST_ASSERT(0, "init failed for esize %u", esize);
	}
	for (round = 0; round < 10; round++) {
		n = 17 + round;
		for (i = 0; i < n * words; i++)
			in[i] = round * 100000 + i;
		memset(out, 0, sizeof(out));
		if (rte_ring_enqueue_bulk_elem(r, in, esize, n, NULL) != n ||
		    rte_ring_count(r) != n ||
		    rte_ring_dequeue_burst_elem(r, out, esize, RING_SIZE, NULL) != n ||
		    memcmp(in, out, (size_t)n * esize) != 0) {
			free(r);
			TEST_ASSERT(0, "esize %u round %u: data mismatch", esize, round);
		}
	}
	if (rte_ring_enqueue_elem(r, in, esize) != 0 || rte_ring_dequeue_elem(r, out, esize) != 0 ||
	    memcmp(in, out, esize) != 0) {
		free(r);
		TEST_ASSERT(0, "esize %u single element mismatch", esize);
	}
	free(r);
	return TEST_SUCCESS;
}

static int
test_ring_elem_sizes(void)
{
	static const unsigned int sizes[] = { 4, 8, 12, 16, 20 };
	unsigned int i;

	for (i = 0; i < RTE_DIM(sizes); i++)
		if (check_elem_size(sizes[i]) != TEST_SUCCESS)
			return TEST_FAILED;
	return TEST_SUCCESS;
}

struct mt_ctx {
	struct rte_ring *r;
	uint8_t *seen;          /* how often each value was dequeued */
	volatile uint32_t produced_by_all;
	uint32_t dup;
};

static void
mt_record(struct mt_ctx *c, void *const *objs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		uintptr_t v = (uintptr_t)objs[i];

		if (v == 0 || v > MT_VALUES || __atomic_fetch_add(&c->seen[v - 1], 1,
				__ATOMIC_RELAXED) != 0)
			__atomic_fetch_add(&c->dup, 1, __ATOMIC_RELAXED);
	}
}

/* Each thread produces the values v = first, first + 2, ... and consumes. */
static int
mt_worker(void *arg)
{
	struct mt_ctx *c = arg;
	unsigned int first = rte_lcore_id() == rte_get_main_lcore() ? 1 : 2;
	void *objs[MT_BURST];
	uintptr_t next = first;
	unsigned int i, n, want;

	while (next <= MT_VALUES) {
		want = 1 + (unsigned int)(next % MT_BURST);
		for (i = 0; i < want && next + 2 * i <= MT_VALUES; i++)
			objs[i] = (void *)(next + 2 * i);
		n = (next & 1) ? rte_ring_enqueue_bulk(c->r, objs, i, NULL) :
			rte_ring_enqueue_burst(c->r, objs, i, NULL);
		next += 2 * n;
		n = rte_ring_dequeue_burst(c->r, objs, MT_BURST, NULL);
		mt_record(c, objs, n);
	}
	__atomic_fetch_add(&c->produced_by_all, 1, __ATOMIC_RELEASE);
	/* drain until both producers are done and the ring is empty */
	for (;;) {
		uint32_t done = __atomic_load_n(&c->produced_by_all, __ATOMIC_ACQUIRE);

		n = rte_ring_dequeue_burst(c->r, objs, MT_BURST, NULL);
		mt_record(c, objs, n);
		if (n == 0 && done == 2)
			break;
	}
	return 0;
}

static int
mp_mc_run(unsigned int worker, unsigned int flags)
{
	struct mt_ctx c = { 0 };
	unsigned int i, missing = 0;
	int ret = TEST_SUCCESS;

	c.r = ring_alloc(sizeof(void *), 256);
	c.seen = calloc(MT_VALUES, 1);
	if (c.r == NULL || c.seen == NULL || rte_ring_init(c.r, "mt", 256, flags) != 0 ||
	    rte_eal_remote_launch(mt_worker, &c, worker) != 0) {
		ret = TEST_FAILED;
		goto out;
	}
	mt_worker(&c);
	rte_eal_wait_lcore(worker);
	for (i = 0; i < MT_VALUES; i++)
		missing += c.seen[i] == 0;
	if (c.dup != 0 || missing != 0 || !rte_ring_empty(c.r)) {
		printf("flags 0x%x: %u duplicates or bad values, %u missing\n", flags, c.dup,
			missing);
		ret = TEST_FAILED;
	}
out:
	free(c.seen);
	free(c.r);
	return ret;
}

/* Both lcores produce and consume at once, in each multi-thread mode. */
static int
test_ring_mp_mc(void)
{
	static const unsigned int modes[] = {
		0, RING_F_MP_RTS_ENQ | RING_F_MC_RTS_DEQ, RING_F_MP_HTS_ENQ | RING_F_MC_HTS_DEQ,
		RING_F_MP_RTS_ENQ | RING_F_MC_HTS_DEQ, RING_F_MP_HTS_ENQ,
	};
	unsigned int worker = rte_get_next_lcore(rte_lcore_id(), 1, 0);
	unsigned int i;

	if (worker >= RTE_MAX_LCORE) {
		printf("needs two lcores\n");
		return TEST_SKIPPED;
	}
	for (i = 0; i < RTE_DIM(modes); i++)
		if (mp_mc_run(worker, modes[i]) != TEST_SUCCESS)
			return TEST_FAILED;
	return TEST_SUCCESS;
}

static int
test_ring_create_lookup(void)
{
	struct rte_ring *r, *r2, *local;
	char *dump = NULL;
	size_t dump_len = 0;
	FILE *f;

	r = rte_ring_create("test_rg", RING_SIZE, SOCKET_ID_ANY, RING_F_SP_ENQ);
	TEST_ASSERT_NOT_NULL(r, "cannot create ring: %s", rte_strerror(rte_errno));
	TEST_ASSERT(r->memzone != NULL && rte_ring_is_prod_single(r) &&
		!rte_ring_is_cons_single(r), "ring set up wrongly");
	TEST_ASSERT(rte_ring_lookup("test_rg") == r, "lookup did not find the ring");
	r2 = rte_ring_create("test_rg", RING_SIZE, SOCKET_ID_ANY, 0);
	TEST_ASSERT(r2 == NULL && rte_errno == EEXIST, "same name created twice");
	TEST_ASSERT(rte_ring_lookup("test_nope") == NULL && rte_errno == ENOENT,
		"lookup of a missing ring");
	TEST_ASSERT(rte_ring_create("test_bad", RING_SIZE + 1, SOCKET_ID_ANY, 0) == NULL &&
		rte_errno == EINVAL, "non power of 2 accepted");
	TEST_ASSERT(rte_ring_create("a_ring_name_longer_than_allowed", RING_SIZE,
		SOCKET_ID_ANY, 0) == NULL && rte_errno == ENAMETOOLONG, "long name accepted");
	r2 = rte_ring_create_elem("test_rg16", 16, 100, SOCKET_ID_ANY, RING_F_EXACT_SZ);
	TEST_ASSERT(r2 != NULL && rte_ring_get_capacity(r2) == 100, "exact-size elem ring");

	f = open_memstream(&dump, &dump_len);
	TEST_ASSERT_NOT_NULL(f, "no memstream");
	rte_ring_list_dump(f);
	fclose(f);
	TEST_ASSERT(strstr(dump, "<test_rg>") != NULL && strstr(dump, "<test_rg16>") != NULL,
		"list dump misses a ring");
	free(dump);

	rte_ring_free(r2);
	rte_ring_free(r);
	rte_ring_free(NULL);
	TEST_ASSERT(rte_ring_lookup("test_rg") == NULL, "freed ring still found");
	r = rte_ring_create("test_rg", RING_SIZE, SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(r, "name not reusable after free");
	rte_ring_free(r);

	/* a ring on caller memory is not the library's to free */
	local = ring_alloc(sizeof(void *), RING_SIZE);
	TEST_ASSERT_NOT_NULL(local, "no memory");
	rte_ring_init(local, "local", RING_SIZE, 0);
	rte_ring_free(local);
	TEST_ASSERT(rte_ring_enqueue(local, local) == 0 && rte_ring_lookup("local") == NULL,
		"ring on caller memory was touched");
	free(local);
	return TEST_SUCCESS;
}

static struct unit_test_suite ring_suite = {
	.suite_name = "ring autotest",
	.unit_test_cases = {
		TEST_CASE(test_ring_memsize),
		TEST_CASE(test_ring_init_errors),
		TEST_CASE(test_ring_fifo_and_wrap),
		TEST_CASE(test_ring_elem_sizes),
		TEST_CASE(test_ring_mp_mc),
		TEST_CASE(test_ring_create_lookup),
		TEST_CASES_END()
	}
};

static int
test_ring(void)
{
	return unit_test_suite_runner(&ring_suite);
}

REGISTER_FAST_TEST(ring_autotest, NOHUGE_OK, ASAN_OK, test_ring);
