/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * rte_mempool: creation errors, get/put through lcore and user caches,
 * drain and refill, handlers, lookup/walk/dump, the populate variants, a
 * two-lcore get/put run, and (with hugepages) where population puts the
 * objects: every object must be IOVA-contiguous with the IOVA its header
 * records, i.e. it never straddles two pages whose IOVAs are not
 * consecutive, whether the pool came from one contiguous memzone or was
 * filled page by page.
 */

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "test.h"

#define POOL_SIZE 1023
#define ELT_SIZE 2048
#define CACHE_SIZE 32
#define MAX_KEEP 128

static void
obj_init(struct rte_mempool *mp __rte_unused, void *arg, void *obj, unsigned int idx)
{
	uint32_t *p = obj;

	p[0] = idx;
	p[1] = 0xC0FFEE;
	(*(unsigned int *)arg)++;
}

static void
pool_init(struct rte_mempool *mp, void *arg)
{
	memset(rte_mempool_get_priv(mp), 0x5a, 64);
	*(int *)arg = 1;
}

static int
check_sizes(void)
{
	struct rte_mempool_objsz sz;
	uint32_t total;

	total = rte_mempool_calc_obj_size(100, RTE_MEMPOOL_F_NO_CACHE_ALIGN, &sz);
	TEST_ASSERT_EQUAL(sz.elt_size, 104u, "elt not rounded to 8: %u", sz.elt_size);
	TEST_ASSERT_EQUAL(total, sz.header_size + 104u, "unaligned total %u", total);
	TEST_ASSERT_EQUAL(sz.trailer_size, 0u, "trailer without cache alignment");
	total = rte_mempool_calc_obj_size(100, RTE_MEMPOOL_F_NO_SPREAD, &sz);
	TEST_ASSERT_EQUAL(total % RTE_CACHE_LINE_SIZE, 0u, "total %u not in lines", total);
	TEST_ASSERT_EQUAL(sz.header_size % RTE_CACHE_LINE_SIZE, 0u, "header not aligned");
	total = rte_mempool_calc_obj_size(ELT_SIZE, 0, &sz);
	/* spreading over channels: an odd number of cache lines */
	TEST_ASSERT((total / RTE_CACHE_LINE_SIZE) % 2 == 1, "stride of %u lines is even",
		total / RTE_CACHE_LINE_SIZE);
	return TEST_SUCCESS;
}

static int
test_mempool_create_errors(void)
{
	struct rte_mempool *mp;

	rte_mempool_free(NULL);
	mp = rte_mempool_create("err_cache", POOL_SIZE, ELT_SIZE,
		RTE_MEMPOOL_CACHE_MAX_SIZE + 32, 0, NULL, NULL, NULL, NULL, SOCKET_ID_ANY, 0);
	TEST_ASSERT(mp == NULL && rte_errno == EINVAL, "oversized cache accepted");
	mp = rte_mempool_create("err_cache2", 30, ELT_SIZE, 32, 0, NULL, NULL, NULL, NULL,
		SOCKET_ID_ANY, 0);
	TEST_ASSERT(mp == NULL && rte_errno == EINVAL, "cache bigger than n/1.5 accepted");
	mp = rte_mempool_create_empty("err_flags", POOL_SIZE, ELT_SIZE, 0, 0,
		SOCKET_ID_ANY, RTE_MEMPOOL_F_NON_IO);
	TEST_ASSERT(mp == NULL && rte_errno == EINVAL, "internal flag accepted");
	mp = rte_mempool_create_empty("err_zero", 0, ELT_SIZE, 0, 0, SOCKET_ID_ANY, 0);
	TEST_ASSERT(mp == NULL && rte_errno == EINVAL, "zero objects accepted");
	mp = rte_mempool_create_empty("a_name_that_is_much_too_long_for_a_pool", 10, 64, 0,
		0, SOCKET_ID_ANY, 0);
	TEST_ASSERT(mp == NULL && rte_errno == ENAMETOOLONG, "long name accepted");
	mp = rte_mempool_create_empty(NULL, 10, 64, 0, 0, SOCKET_ID_ANY, 0);
	TEST_ASSERT(mp == NULL && rte_errno == EINVAL, "NULL name accepted");
	return check_sizes();
}

static int
test_mempool_same_name_twice(void)
{
	struct rte_mempool *mp, *mp2;

	mp = rte_mempool_create("twice", POOL_SIZE, ELT_SIZE, 0, 0, NULL, NULL, NULL, NULL,
		SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mp, "cannot create pool: %s", rte_strerror(rte_errno));
	mp2 = rte_mempool_create("twice", POOL_SIZE, ELT_SIZE, 0, 0, NULL, NULL, NULL, NULL,
		SOCKET_ID_ANY, 0);
	rte_mempool_free(mp);
	TEST_ASSERT(mp2 == NULL && rte_errno == EEXIST, "second pool with the same name");
	TEST_ASSERT_NULL(rte_mempool_lookup("twice"), "freed pool still found");
	mp = rte_mempool_create("twice", POOL_SIZE, ELT_SIZE, 0, 0, NULL, NULL, NULL, NULL,
		SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mp, "name not reusable after free");
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

/* get/put through @cache (NULL: the lcore cache), then counters */
static int
basic_get_put(struct rte_mempool *mp, struct rte_mempool_cache *cache)
{
	void *objs[MAX_KEEP];
	unsigned int i;

	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), mp->size, "pool not full");
	if (cache == NULL)
		cache = rte_mempool_default_cache(mp, rte_lcore_id());
	TEST_ASSERT_SUCCESS(rte_mempool_generic_get(mp, objs, MAX_KEEP / 2, cache), "get failed");
	TEST_ASSERT_SUCCESS(rte_mempool_generic_get(mp, &objs[MAX_KEEP / 2], MAX_KEEP / 2, cache),
		"second get failed");
	TEST_ASSERT_EQUAL(rte_mempool_in_use_count(mp), (unsigned int)MAX_KEEP,
		"in use %u, expected %u", rte_mempool_in_use_count(mp), MAX_KEEP);
	for (i = 0; i < MAX_KEEP; i++) {
		TEST_ASSERT(rte_mempool_from_obj(objs[i]) == mp, "object %u: wrong pool", i);
		memset(objs[i], 0xab, mp->elt_size);
	}
	for (i = 0; i < MAX_KEEP; i++)
		rte_mempool_generic_put(mp, &objs[i], 1, cache);
	rte_mempool_cache_flush(cache, mp);
	TEST_ASSERT(rte_mempool_full(mp), "pool not full after put: %u of %u",
		rte_mempool_avail_count(mp), mp->size);
	return TEST_SUCCESS;
}

/* take every object one by one, then give them all back */
static int
drain_and_refill(struct rte_mempool *mp)
{
	void **objs = calloc(mp->size + 1, sizeof(void *));
	unsigned int n = 0, i;
	int ret = TEST_SUCCESS;

	TEST_ASSERT_NOT_NULL(objs, "no memory");
	while (n <= mp->size && rte_mempool_get(mp, &objs[n]) == 0)
		n++;
	if (n != mp->size || !rte_mempool_empty(mp) || rte_mempool_get(mp, &objs[n]) != -ENOENT) {
		printf("drained %u objects of %u\n", n, mp->size);
		ret = TEST_FAILED;
	}
	for (i = 0; i < n; i++)
		rte_mempool_put(mp, objs[i]);
	rte_mempool_cache_flush(NULL, mp);
	if (ret == TEST_SUCCESS && !rte_mempool_full(mp)) {
		printf("pool not full after refill\n");
		ret = TEST_FAILED;
	}
	free(objs);
	return ret;
}

static void
check_init(struct rte_mempool *mp __rte_unused, void *arg, void *obj, unsigned int idx)
{
	const uint32_t *p = obj;

	if (p[0] != idx || p[1] != 0xC0FFEE)
		(*(unsigned int *)arg)++;
}

static int
test_mempool_basic(void)
{
	unsigned int bad = 0;
	unsigned int inited = 0;
	struct rte_mempool_cache *ucache;
	struct rte_mempool *mp;
	int ctor_ran = 0, ret;

	mp = rte_mempool_create("test_cache", POOL_SIZE, ELT_SIZE, CACHE_SIZE, 64,
		pool_init, &ctor_ran, obj_init, &inited, SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mp, "cannot create pool: %s", rte_strerror(rte_errno));
	ret = TEST_FAILED;
	if (!ctor_ran || inited != POOL_SIZE || mp->populated_size != POOL_SIZE ||
	    ((uint8_t *)rte_mempool_get_priv(mp))[63] != 0x5a) {
		printf("constructors: pool %d, objects %u\n", ctor_ran, inited);
		goto out;
	}
	if (rte_mempool_obj_iter(mp, check_init, &bad) != POOL_SIZE || bad != 0) {
		printf("obj_iter: %u objects not initialised\n", bad);
		goto out;
	}
	if (rte_mempool_lookup("test_cache") != mp || strcmp(rte_mempool_get_ops(mp->ops_index)->name,
			"ring_mp_mc") != 0) {
		printf("lookup or default handler wrong\n");
		goto out;
	}
	if (basic_get_put(mp, NULL) != TEST_SUCCESS || drain_and_refill(mp) != TEST_SUCCESS)
		goto out;
	ucache = rte_mempool_cache_create(CACHE_SIZE, SOCKET_ID_ANY);
	if (ucache == NULL || basic_get_put(mp, ucache) != TEST_SUCCESS) {
		rte_mempool_cache_free(ucache);
		goto out;
	}
	rte_mempool_cache_free(ucache);
	if (rte_mempool_cache_create(0, SOCKET_ID_ANY) != NULL || rte_errno != EINVAL) {
		printf("zero-sized user cache accepted\n");
		goto out;
	}
	rte_mempool_audit(mp);
	rte_mempool_dump(stdout, mp);
	ret = TEST_SUCCESS;
out:
	rte_mempool_free(mp);
	return ret;
}

static int
test_mempool_sp_sc(void)
{
	struct rte_mempool *mp;
	int ret = TEST_FAILED;

	mp = rte_mempool_create("test_sp_sc", POOL_SIZE, ELT_SIZE, 0, 0, NULL, NULL,
		NULL, NULL, SOCKET_ID_ANY, RTE_MEMPOOL_F_SP_PUT | RTE_MEMPOOL_F_SC_GET);
	TEST_ASSERT_NOT_NULL(mp, "cannot create pool: %s", rte_strerror(rte_errno));
	if (strcmp(rte_mempool_get_ops(mp->ops_index)->name, "ring_sp_sc") != 0 ||
	    !rte_ring_is_prod_single(mp->pool_data) || !rte_ring_is_cons_single(mp->pool_data)) {
		printf("SP/SC pool uses handler %s\n", rte_mempool_get_ops(mp->ops_index)->name);
		goto out;
	}
	if (drain_and_refill(mp) != TEST_SUCCESS)
		goto out;
	ret = TEST_SUCCESS;
out:
	rte_mempool_free(mp);
	return ret;
}

struct walk_arg {
	unsigned int found;
	const struct rte_mempool *a, *b;
};

static void
walk_cb(struct rte_mempool *mp, void *arg)
{
	struct walk_arg *w = arg;

	if (mp == w->a || mp == w->b)
		w->found++;
}

static int
test_mempool_empty_populate(void)
{
	struct walk_arg w = { 0 };
	struct rte_mempool *mp, *anon;
	int ret = TEST_FAILED;

	mp = rte_mempool_create_empty("test_empty", POOL_SIZE, ELT_SIZE, CACHE_SIZE, 0,
		SOCKET_ID_ANY, 0);
	anon = rte_mempool_create_empty("test_anon", POOL_SIZE, ELT_SIZE, 0, 0,
		SOCKET_ID_ANY, 0);
	if (mp == NULL || anon == NULL)
		goto out;
	if (rte_mempool_set_ops_byname(mp, "no_such_handler", NULL) != -EINVAL ||
	    rte_mempool_set_ops_byname(mp, "ring_sp_mc", NULL) != 0 ||
	    rte_mempool_avail_count(mp) != 0) {
		printf("set_ops_byname before population misbehaves\n");
		goto out;
	}
	if (rte_mempool_populate_default(mp) != POOL_SIZE ||
	    rte_mempool_set_ops_byname(mp, "ring_mp_mc", NULL) != -EEXIST ||
	    rte_mempool_populate_default(mp) != -EEXIST || !rte_mempool_full(mp)) {
		printf("populate_default on an empty pool misbehaves\n");
		goto out;
	}
	if (rte_mempool_populate_anon(anon) != POOL_SIZE || !rte_mempool_full(anon) ||
	    !(anon->flags & RTE_MEMPOOL_F_NON_IO) || drain_and_refill(anon) != TEST_SUCCESS) {
		printf("populate_anon misbehaves\n");
		goto out;
	}
	w.a = mp;
	w.b = anon;
	rte_mempool_walk(walk_cb, &w);
	if (w.found != 2) {
		printf("walk found %u of our 2 pools\n", w.found);
		goto out;
	}
	rte_mempool_list_dump(stdout);
	if (drain_and_refill(mp) == TEST_SUCCESS)
		ret = TEST_SUCCESS;
out:
	rte_mempool_free(mp);
	rte_mempool_free(anon);
	return ret;
}

static void
count_chunk(struct rte_mempool *mp __rte_unused, void *arg,
		struct rte_mempool_memhdr *memhdr __rte_unused, unsigned int idx __rte_unused)
{
	(*(unsigned int *)arg)++;
}

static int
test_mempool_populate_iova_limits(void)
{
	struct rte_mempool *mp;
	static char buf[8192] __rte_cache_aligned;
	unsigned int chunks = 0;
	int ret = TEST_FAILED, n;

	mp = rte_mempool_create_empty("test_iova", 3, 1000, 0, 0, SOCKET_ID_ANY,
		RTE_MEMPOOL_F_NO_SPREAD);
	TEST_ASSERT_NOT_NULL(mp, "cannot create pool: %s", rte_strerror(rte_errno));
	if (rte_mempool_populate_iova(mp, buf, RTE_BAD_IOVA, 100, NULL, NULL) != 0) {
		printf("a chunk too small for one object was accepted\n");
		goto out;
	}
	n = rte_mempool_populate_iova(mp, buf, RTE_BAD_IOVA, sizeof(buf), NULL, NULL);
	if (n != 3 || rte_mempool_populate_iova(mp, buf, RTE_BAD_IOVA, sizeof(buf), NULL,
			NULL) != -ENOSPC) {
		printf("populate_iova added %d objects, or accepted a full pool\n", n);
		goto out;
	}
	if (rte_mempool_mem_iter(mp, count_chunk, &chunks) != 1 || chunks != 1 ||
	    rte_mempool_populate_virt(mp, buf, sizeof(buf), 3000, NULL, NULL) != -EINVAL) {
		printf("mem_iter or populate_virt page size check wrong\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	rte_mempool_free(mp);
	return ret;
}

struct mt_arg {
	struct rte_mempool *mp;
	volatile uint32_t errors;
};

/* Objects must not be handed to two lcores at once: tag, check, put. */
static int
mt_get_put(void *arg)
{
	struct mt_arg *a = arg;
	uint32_t tag = rte_lcore_id() + 1, round, i, n;
	void *objs[40];

	for (round = 0; round < 20000; round++) {
		n = 1 + round % RTE_DIM(objs);
		if (rte_mempool_get_bulk(a->mp, objs, n) != 0)
			continue;
		for (i = 0; i < n; i++)
			*(volatile uint32_t *)objs[i] = tag;
		for (i = 0; i < n; i++)
			if (*(volatile uint32_t *)objs[i] != tag)
				__atomic_fetch_add(&a->errors, 1, __ATOMIC_RELAXED);
		rte_mempool_put_bulk(a->mp, objs, n);
	}
	rte_mempool_cache_flush(NULL, a->mp);
	return 0;
}

static int
test_mempool_multi_lcore(void)
{
	unsigned int worker = rte_get_next_lcore(rte_lcore_id(), 1, 0);
	struct mt_arg a = { 0 };
	int ret = TEST_SUCCESS;

	if (worker >= RTE_MAX_LCORE)
		return TEST_SKIPPED;
	a.mp = rte_mempool_create("test_mt", 255, 64, 16, 0, NULL, NULL, NULL, NULL,
		SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(a.mp, "cannot create pool: %s", rte_strerror(rte_errno));
	if (rte_eal_remote_launch(mt_get_put, &a, worker) != 0) {
		rte_mempool_free(a.mp);
		return TEST_FAILED;
	}
	mt_get_put(&a);
	rte_eal_wait_lcore(worker);
	if (a.errors != 0 || !rte_mempool_full(a.mp)) {
		printf("%u objects shared by two lcores, %u of %u available\n", a.errors,
			rte_mempool_avail_count(a.mp), a.mp->size);
		ret = TEST_FAILED;
	}
	rte_mempool_free(a.mp);
	return ret;
}

/*
 * A pool that cannot get its memory (1000 objects of 1 GB, beyond
 * RTE_MAX_MEM_MB) fails with ENOMEM and leaves nothing behind: no pool,
 * no ring, no memzone.
 */
static int
test_mempool_no_memory(void)
{
	struct rte_mempool *mp;

	mp = rte_mempool_create("too_big", 1000, 1u << 30, 0, 0, NULL, NULL, NULL, NULL,
		SOCKET_ID_ANY, 0);
	TEST_ASSERT(mp == NULL && rte_errno == ENOMEM, "1 TB pool: %p, %s", (void *)mp,
		rte_strerror(rte_errno));
	TEST_ASSERT_NULL(rte_mempool_lookup("too_big"), "failed pool is registered");
	TEST_ASSERT(rte_memzone_lookup("MP_too_big") == NULL &&
		rte_memzone_lookup("RG_MP_too_big") == NULL &&
		rte_memzone_lookup("MP_too_big_0") == NULL, "failed pool left memzones");
	return TEST_SUCCESS;
}

struct event_log {
	unsigned int ready, destroy, late;
	struct rte_mempool *mp;
	char name_at_destroy[RTE_MEMPOOL_NAMESIZE];
};

static void
late_cb(enum rte_mempool_event ev __rte_unused, struct rte_mempool *mp __rte_unused,
		void *arg)
{
	((struct event_log *)arg)->late++;
}

static void
event_cb(enum rte_mempool_event ev, struct rte_mempool *mp, void *arg)
{
	struct event_log *log = arg;

	if (mp != log->mp && log->mp != NULL)
		return;
	if (ev == RTE_MEMPOOL_EVENT_READY) {
		log->ready++;
		log->mp = mp;
		/* registered from a callback: not called for this event */
		rte_mempool_event_callback_register(late_cb, log);
	} else if (ev == RTE_MEMPOOL_EVENT_DESTROY) {
		log->destroy++;
		memcpy(log->name_at_destroy, mp->name, sizeof(log->name_at_destroy));
	}
}

static int
test_mempool_events(void)
{
	struct event_log log = { 0 };
	struct rte_mempool *mp;

	TEST_ASSERT_SUCCESS(rte_mempool_event_callback_register(event_cb, &log),
		"cannot register");
	TEST_ASSERT(rte_mempool_event_callback_register(event_cb, &log) == -EEXIST &&
		rte_errno == EEXIST, "duplicate registration accepted");
	mp = rte_mempool_create("test_events", 63, 64, 0, 0, NULL, NULL, NULL, NULL,
		SOCKET_ID_ANY, 0);
	if (mp == NULL) {
		rte_mempool_event_callback_unregister(event_cb, &log);
		rte_mempool_event_callback_unregister(late_cb, &log);
		TEST_ASSERT(0, "cannot create pool: %s", rte_strerror(rte_errno));
	}
	rte_mempool_free(mp);
	TEST_ASSERT_SUCCESS(rte_mempool_event_callback_unregister(event_cb, &log),
		"cannot unregister");
	TEST_ASSERT_SUCCESS(rte_mempool_event_callback_unregister(late_cb, &log),
		"callback registered from a callback is missing");
	TEST_ASSERT(rte_mempool_event_callback_unregister(event_cb, &log) == -ENOENT &&
		rte_errno == ENOENT, "unknown callback unregistered");
	TEST_ASSERT(log.mp == mp && log.ready == 1 && log.destroy == 1,
		"events: %u ready, %u destroy", log.ready, log.destroy);
	TEST_ASSERT_EQUAL(log.late, 1u, "late callback ran %u times (destroy only)", log.late);
	TEST_ASSERT(strcmp(log.name_at_destroy, "test_events") == 0,
		"pool name at destroy: '%s'", log.name_at_destroy);
	return TEST_SUCCESS;
}

static struct unit_test_suite mempool_suite = {
	.suite_name = "mempool autotest",
	.unit_test_cases = {
		TEST_CASE(test_mempool_create_errors),
		TEST_CASE(test_mempool_same_name_twice),
		TEST_CASE(test_mempool_basic),
		TEST_CASE(test_mempool_sp_sc),
		TEST_CASE(test_mempool_empty_populate),
		TEST_CASE(test_mempool_populate_iova_limits),
		TEST_CASE(test_mempool_multi_lcore),
		TEST_CASE(test_mempool_no_memory),
		TEST_CASE(test_mempool_events),
		TEST_CASES_END()
	}
};

static int
test_mempool(void)
{
	return unit_test_suite_runner(&mempool_suite);
}

struct iova_check {
	size_t pg_sz;
	unsigned int objs, bad, straddle, chunks, bad_chunks;
};

/* The whole object, header included, must be IOVA-contiguous at its IOVA. */
static void
check_obj_iova(struct rte_mempool *mp, void *arg, void *obj, unsigned int idx __rte_unused)
{
	struct iova_check *c = arg;
	char *first = (char *)obj - mp->header_size;
	char *last = (char *)obj + mp->elt_size + mp->trailer_size - 1;
	rte_iova_t iova = rte_mempool_virt2iova(obj);

	c->objs++;
	if (iova == RTE_BAD_IOVA || rte_mem_virt2iova(obj) != iova ||
	    rte_mem_virt2iova(first) != iova - mp->header_size ||
	    rte_mem_virt2iova(last) != iova + mp->elt_size + mp->trailer_size - 1)
		c->bad++;
	if (RTE_PTR_ALIGN_FLOOR(first, c->pg_sz) != RTE_PTR_ALIGN_FLOOR(last, c->pg_sz))
		c->straddle++;
}

/* Each chunk must be IOVA-contiguous at the IOVA it records. */
static void
check_chunk_iova(struct rte_mempool *mp __rte_unused, void *arg,
		struct rte_mempool_memhdr *hdr, unsigned int idx __rte_unused)
{
	struct iova_check *c = arg;
	size_t off = 0;

	c->chunks++;
	while (off < hdr->len) {
		if (rte_mem_virt2iova((char *)hdr->addr + off) != hdr->iova + off) {
			c->bad_chunks++;
			return;
		}
		off += RTE_PTR_DIFF(RTE_PTR_ALIGN_FLOOR((char *)hdr->addr + off + c->pg_sz,
			c->pg_sz), (char *)hdr->addr + off);
	}
	if (rte_mem_virt2iova((char *)hdr->addr + hdr->len - 1) != hdr->iova + hdr->len - 1)
		c->bad_chunks++;
}

static int
check_pool_iova(struct rte_mempool *mp, const char *what)
{
	struct iova_check c = { 0 };

	TEST_ASSERT_SUCCESS(rte_mempool_get_page_size(mp, &c.pg_sz), "no page size");
	if (c.pg_sz == 0)
		c.pg_sz = RTE_PGSIZE_2M;
	rte_mempool_obj_iter(mp, check_obj_iova, &c);
	rte_mempool_mem_iter(mp, check_chunk_iova, &c);
	printf("%s: %u objects in %u chunks, %u straddle a %zu-byte page boundary\n", what,
		c.objs, c.chunks, c.straddle, c.pg_sz);
	TEST_ASSERT_EQUAL(c.objs, mp->populated_size, "%s: %u objects, expected %u", what,
		c.objs, mp->populated_size);
	TEST_ASSERT_EQUAL(c.bad, 0u, "%s: %u objects not IOVA-contiguous at their IOVA", what,
		c.bad);
	TEST_ASSERT_EQUAL(c.bad_chunks, 0u, "%s: %u chunks not IOVA-contiguous", what,
		c.bad_chunks);
	TEST_ASSERT(!(mp->flags & RTE_MEMPOOL_F_NON_IO), "%s: pool marked NON_IO", what);
	return TEST_SUCCESS;
}

/* Heap elements in use on every socket (memzones, chunk headers, ...). */
static unsigned int
heap_allocs(void)
{
	struct rte_malloc_socket_stats st;
	unsigned int i, n = 0;

	for (i = 0; i < rte_socket_count(); i++)
		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(i), &st) == 0)
			n += st.alloc_count;
	return n;
}

/* A pool bigger than a page: contiguous if the heap can, else per page. */
static int
test_mempool_iova_default(void)
{
	unsigned int allocs = heap_allocs();
	struct rte_mempool *mp;
	int ret;

	mp = rte_mempool_create("iova_big", 4000, 1500, 0, 0, NULL, NULL, NULL, NULL,
		SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mp, "cannot create pool: %s", rte_strerror(rte_errno));
	ret = check_pool_iova(mp, "default population, 4000 x 1500 B");
	rte_mempool_free(mp);
	/* header, ring, memzones and chunk headers all went back */
	if (ret == TEST_SUCCESS && heap_allocs() != allocs) {
		printf("heap elements: %u before the pool, %u after\n", allocs, heap_allocs());
		ret = TEST_FAILED;
	}
	mp = rte_mempool_create("iova_small", 100, 1500, 0, 0, NULL, NULL, NULL, NULL,
		SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mp, "cannot create small pool: %s", rte_strerror(rte_errno));
	if (ret == TEST_SUCCESS)
		ret = check_pool_iova(mp, "default population, 100 x 1500 B");
	/* under a page fits one IOVA-contiguous memzone */
	if (ret == TEST_SUCCESS && mp->nb_mem_chunks != 1) {
		printf("small pool took %u chunks\n", mp->nb_mem_chunks);
		ret = TEST_FAILED;
	}
	rte_mempool_free(mp);
	return ret;
}

static unsigned int
iova_runs(const char *addr, size_t len, size_t pg_sz)
{
	unsigned int runs = 1;
	size_t off;

	for (off = pg_sz; off < len; off += pg_sz)
		if (rte_mem_virt2iova(addr + off) != rte_mem_virt2iova(addr + off - pg_sz) + pg_sz)
			runs++;
	return runs;
}

static void
free_mz(struct rte_mempool_memhdr *memhdr __rte_unused, void *opaque)
{
	rte_memzone_free(opaque);
}

/* Page by page on purpose: one chunk per run of IOVA-contiguous pages. */
static int
test_mempool_iova_virt(void)
{
	const struct rte_memzone *mz;
	struct rte_mempool *mp;
	size_t pg_sz;
	unsigned int runs;
	int n, ret = TEST_FAILED;

	mp = rte_mempool_create_empty("iova_virt", 4000, 1500, 0, 0, SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mp, "cannot create pool: %s", rte_strerror(rte_errno));
	if (rte_mempool_get_page_size(mp, &pg_sz) != 0 || pg_sz == 0) {
		rte_mempool_free(mp);
		printf("IOVA as VA: page boundaries do not matter\n");
		return TEST_SKIPPED;
	}
	mz = rte_memzone_reserve_aligned("iova_virt_mz", 3 * pg_sz, SOCKET_ID_ANY, 0,
		(unsigned int)pg_sz);
	if (mz == NULL) {
		rte_mempool_free(mp);
		TEST_ASSERT(0, "cannot reserve 3 pages: %s", rte_strerror(rte_errno));
	}
	runs = iova_runs(mz->addr, mz->len, pg_sz);
	n = rte_mempool_populate_virt(mp, mz->addr, mz->len, pg_sz, free_mz,
		RTE_PTR_UNQUAL(mz));
	if (n <= 0) {
		rte_memzone_free(mz);
		printf("populate_virt failed: %d\n", n);
		goto out;
	}
	printf("3 pages in %u IOVA-contiguous runs, %d objects\n", runs, n);
	if (mp->nb_mem_chunks != runs) {
		printf("%u chunks for %u runs\n", mp->nb_mem_chunks, runs);
		goto out;
	}
	ret = check_pool_iova(mp, "populate_virt over 3 pages");
out:
	rte_mempool_free(mp);
	return ret;
}

static int
test_mempool_no_iova_contig(void)
{
	struct rte_mempool *mp;
	void *obj;
	int ret = TEST_FAILED;

	mp = rte_mempool_create("no_iova", 4000, 1500, 0, 0, NULL, NULL, NULL, NULL,
		SOCKET_ID_ANY, RTE_MEMPOOL_F_NO_IOVA_CONTIG);
	TEST_ASSERT_NOT_NULL(mp, "cannot create pool: %s", rte_strerror(rte_errno));
	if (rte_mempool_get(mp, &obj) == 0) {
		if (rte_mempool_virt2iova(obj) == RTE_BAD_IOVA &&
		    (mp->flags & RTE_MEMPOOL_F_NON_IO))
			ret = TEST_SUCCESS;
		rte_mempool_put(mp, obj);
	}
	rte_mempool_free(mp);
	return ret;
}

#define SHARED_POOL "mp_shared"
#define SHARED_RING "rg_shared"
#define SHARED_N 511
#define SHARED_TAKE 10
#define SHARED_MARK 0x5ec0u

/*
 * Secondary side: find the primary's pool and ring by name, take objects
 * from the pool and pass them back through the ring, marked.
 */
static int
mempool_secondary_child(void)
{
	struct rte_mempool *mp = rte_mempool_lookup(SHARED_POOL);
	struct rte_ring *r = rte_ring_lookup(SHARED_RING);
	unsigned int i;
	void *obj;

	if (rte_eal_process_type() != RTE_PROC_SECONDARY || mp == NULL || r == NULL) {
		printf("secondary: pool %p ring %p\n", (void *)mp, (void *)r);
		return TEST_FAILED;
	}
	if (mp->size != SHARED_N || rte_mempool_avail_count(mp) != SHARED_N) {
		printf("secondary: pool size %u, %u available\n", mp->size,
			rte_mempool_avail_count(mp));
		return TEST_FAILED;
	}
	for (i = 0; i < SHARED_TAKE; i++) {
		if (rte_mempool_get(mp, &obj) != 0 || rte_mempool_from_obj(obj) != mp ||
		    ((uint32_t *)obj)[1] != 0xC0FFEE) {
			printf("secondary: object %u bad\n", i);
			return TEST_FAILED;
		}
		((uint32_t *)obj)[1] = SHARED_MARK;
		if (rte_ring_enqueue(r, obj) != 0)
			return TEST_FAILED;
	}
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(mempool_secondary_child, mempool_secondary_child);

/* Run dpdk-test as a secondary of this process with DPDK_TEST=@cmd. */
static int
run_secondary(const char *cmd)
{
	char fp[NAME_MAX + 16], hd[PATH_MAX + 16];
	char *argv[8];
	int n = 0, status;
	pid_t pid;

	snprintf(fp, sizeof(fp), "--file-prefix=%s", test_file_prefix);
	argv[n++] = RTE_PTR_UNQUAL(prgname);
	argv[n++] = RTE_PTR_UNQUAL("-l");
	argv[n++] = RTE_PTR_UNQUAL("0");
	argv[n++] = RTE_PTR_UNQUAL("--proc-type=secondary");
	argv[n++] = fp;
	if (test_huge_dir[0] != '\0') {
		snprintf(hd, sizeof(hd), "--huge-dir=%s", test_huge_dir);
		argv[n++] = hd;
	}
	argv[n] = NULL;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* our prefix already has its suffix; the child must not add it again */
		setenv("DPDK_TEST", cmd, 1);
		unsetenv("DPDK_TEST_PREFIX_SUFFIX");
		unsetenv("DPDK_TEST_HUGE_DIR");
		execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A pool and a ring created here are used by a secondary process. */
static int
test_mempool_secondary(void)
{
	unsigned int inited = 0, i, back = 0;
	struct rte_mempool *mp;
	struct rte_ring *r;
	int ret = TEST_FAILED, status;
	void *obj;

	mp = rte_mempool_create(SHARED_POOL, SHARED_N, 256, CACHE_SIZE, 0, NULL, NULL,
		obj_init, &inited, SOCKET_ID_ANY, 0);
	r = rte_ring_create(SHARED_RING, 64, SOCKET_ID_ANY, 0);
	if (mp == NULL || r == NULL) {
		printf("cannot create shared pool or ring: %s\n", rte_strerror(rte_errno));
		goto out;
	}
	status = run_secondary("mempool_secondary_child");
	if (status != 0) {
		printf("secondary exited with %d\n", status);
		goto out;
	}
	while (rte_ring_dequeue(r, &obj) == 0) {
		if (rte_mempool_from_obj(obj) != mp || ((uint32_t *)obj)[1] != SHARED_MARK)
			goto out;
		((uint32_t *)obj)[1] = 0xC0FFEE;
		rte_mempool_put(mp, obj);
		back++;
	}
	for (i = 0; i < RTE_MAX_LCORE; i++)
		rte_mempool_cache_flush(rte_mempool_default_cache(mp, i), mp);
	if (back != SHARED_TAKE || !rte_mempool_full(mp)) {
		printf("%u objects came back, %u of %u available\n", back,
			rte_mempool_avail_count(mp), mp->size);
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	rte_ring_free(r);
	rte_mempool_free(mp);
	return ret;
}

static struct unit_test_suite mempool_iova_suite = {
	.suite_name = "mempool IOVA autotest",
	.unit_test_cases = {
		TEST_CASE(test_mempool_iova_default),
		TEST_CASE(test_mempool_iova_virt),
		TEST_CASE(test_mempool_no_iova_contig),
		TEST_CASE(test_mempool_secondary),
		TEST_CASES_END()
	}
};

static int
test_mempool_iova(void)
{
	return unit_test_suite_runner(&mempool_iova_suite);
}

REGISTER_FAST_TEST(mempool_autotest, NOHUGE_OK, ASAN_OK, test_mempool);
REGISTER_FAST_TEST(mempool_iova_autotest, NOHUGE_SKIP, ASAN_OK, test_mempool_iova);
