/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * rte_malloc: alignment, realloc, zero fill, sockets, statistics,
 * validation, bad input, a multi-lcore random stress with the heap
 * invariants walked after every batch, shrinking back to the kernel and
 * IOVA-contiguous blocks checked against /proc/self/pagemap.
 */

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_random.h>

#include "eal_internal_cfg.h"
#include "malloc_elem.h"
#include "malloc_heap.h"
#include "test.h"

static int
heaps_ok(void)
{
	return malloc_heap_check_all() == 0 ? 0 : -1;
}

static int
test_zero_aligned_alloc(void)
{
	char *p = rte_malloc(NULL, 1024, 0);

	TEST_ASSERT_NOT_NULL(p, "align 0 allocation failed");
	TEST_ASSERT(((uintptr_t)p & RTE_CACHE_LINE_MASK) == 0, "%p not cache aligned", p);
	rte_free(p);
	return TEST_SUCCESS;
}

/* hides a constant from the compiler's alloc_size checks */
static size_t
opaque(size_t x)
{
	volatile size_t v = x;

	return v;
}

/* One row of the bad-input table: a call that must fail cleanly. */
struct bad_call {
	const char *what;
	void *(*fn)(void);
};

static void *bad_size0(void) { return rte_malloc(NULL, 0, 0); }
static void *bad_align17(void) { return rte_malloc(NULL, 64, 17); }
static void *bad_align_zmalloc(void) { return rte_zmalloc(NULL, 64, 3); }
static void *bad_huge(void) { return rte_malloc(NULL, opaque(SIZE_MAX), 0); }
static void *bad_huge_k(void) { return rte_malloc(NULL, opaque(SIZE_MAX - 63), 64); }
static void *bad_calloc_ovf(void) { return rte_calloc(NULL, opaque(SIZE_MAX / 8), 16, 0); }
static void *bad_calloc_ovf2(void) { return rte_calloc(NULL, opaque((size_t)1 << 33), (size_t)1 << 33, 0); }
static void *bad_socket(void) { return rte_malloc_socket(NULL, 64, 0, 1000); }
static void *bad_socket_neg(void) { return rte_malloc_socket(NULL, 64, 0, -5); }
static void *bad_socket_m2(void) { return rte_zmalloc_socket(NULL, 64, 0, -2); }
static void *bad_socket_max(void) { return rte_malloc_socket(NULL, 64, 0, RTE_MAX_NUMA_NODES); }
static void *bad_calloc_60(void) { return rte_calloc(NULL, opaque((1ULL << 60) + 1), 16, 0); }
static void *bad_contig_align(void) { return rte_malloc_contig(NULL, 64, 6); }

static const struct bad_call bad_calls[] = {
	{ "size 0", bad_size0 },
	{ "align 17", bad_align17 },
	{ "zmalloc align 3", bad_align_zmalloc },
	{ "size SIZE_MAX", bad_huge },
	{ "size SIZE_MAX - 63", bad_huge_k },
	{ "calloc overflow", bad_calloc_ovf },
	{ "calloc 2^33 * 2^33", bad_calloc_ovf2 },
	{ "unknown socket", bad_socket },
	{ "negative socket", bad_socket_neg },
	{ "socket -2", bad_socket_m2 },
	{ "socket RTE_MAX_NUMA_NODES", bad_socket_max },
	{ "calloc (1 << 60) + 1 by 16", bad_calloc_60 },
	{ "contig align 6", bad_contig_align },
};

static int
test_bad_input(void)
{
	struct rte_malloc_socket_stats before, after;
	char stack_buf[256];
	char *glibc, *p, *q;
	unsigned int i;
	size_t sz;

	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(rte_socket_id_by_idx(0), &before),
			"no stats");
	for (i = 0; i < RTE_DIM(bad_calls); i++) {
		void *r = bad_calls[i].fn();

		TEST_ASSERT_NULL(r, "%s did not fail", bad_calls[i].what);
	}
	p = rte_malloc(NULL, 1000, 0);
	TEST_ASSERT_NOT_NULL(p, "allocation failed");
	memset(p, 0xa5, 1000);
	/* realloc to impossible sizes fails and leaves the block alone */
	TEST_ASSERT_NULL(rte_realloc(p, opaque(SIZE_MAX), 0), "realloc SIZE_MAX succeeded");
	TEST_ASSERT_NULL(rte_realloc(p, opaque(SIZE_MAX - 100), 64), "realloc SIZE_MAX-100 succeeded");
	TEST_ASSERT_NULL(rte_realloc(p, 4096, 100), "realloc align 100 succeeded");
	TEST_ASSERT_SUCCESS(rte_malloc_validate(p, &sz), "block damaged by failed realloc");
	TEST_ASSERT(sz >= 1000 && p[0] == (char)0xa5 && p[999] == (char)0xa5,
			"contents changed by failed realloc");

	/* no size near SIZE_MAX is served, and none maps a page */
	for (i = 0; i <= 4096; i++) {
		size_t big = opaque(SIZE_MAX - i);

		TEST_ASSERT_NULL(rte_malloc(NULL, big, 0), "malloc SIZE_MAX-%u", i);
		TEST_ASSERT_NULL(rte_zmalloc(NULL, big, 64), "zmalloc SIZE_MAX-%u", i);
		TEST_ASSERT_NULL(rte_calloc(NULL, 1, big, 0), "calloc SIZE_MAX-%u", i);
		TEST_ASSERT_NULL(rte_realloc(p, big, 64), "realloc SIZE_MAX-%u", i);
	}
	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(rte_socket_id_by_idx(0), &after),
			"no stats");
	TEST_ASSERT(after.heap_totalsz_bytes <= before.heap_totalsz_bytes + (2 << 20),
			"impossible sizes grew the heap");
	TEST_ASSERT(p[0] == (char)0xa5 && p[999] == (char)0xa5, "realloc failure hurt the block");

	/* a libc block behind a copy of a real busy header is still foreign */
	q = rte_malloc(NULL, 128, 0);
	TEST_ASSERT_NOT_NULL(q, "allocation failed");
	glibc = aligned_alloc(64, 4096);
	TEST_ASSERT_NOT_NULL(glibc, "glibc malloc failed");
	memcpy(glibc, (void *)((uintptr_t)q - MALLOC_ELEM_HEADER_LEN), MALLOC_ELEM_HEADER_LEN);
	rte_free(glibc + MALLOC_ELEM_HEADER_LEN);
	TEST_ASSERT_FAIL(rte_malloc_validate(glibc + MALLOC_ELEM_HEADER_LEN, NULL),
			"libc block with a busy-looking header validated");
	free(glibc);
	rte_free(q);

	/* foreign, interior and stack pointers: logged and ignored */
	glibc = malloc(4096);
	TEST_ASSERT_NOT_NULL(glibc, "glibc malloc failed");
	rte_free(glibc);
	free(glibc);
	rte_free(stack_buf);
	rte_free(p + 64);
	rte_free(p + 1);
	rte_free((void *)(uintptr_t)0x10);
	TEST_ASSERT_NULL(rte_realloc(p + 64, 128, 0), "realloc of interior pointer succeeded");
	TEST_ASSERT_FAIL(rte_malloc_validate(p + 64, NULL), "interior pointer validated");
	TEST_ASSERT_FAIL(rte_malloc_validate(stack_buf, NULL), "stack pointer validated");
	TEST_ASSERT_FAIL(rte_malloc_validate(NULL, NULL), "NULL validated");
	TEST_ASSERT_SUCCESS(rte_malloc_validate(p, NULL), "block hurt by bad frees");

	/* double free, of a heap block and of a cached small one */
	rte_free(p);
	rte_free(p);
	TEST_ASSERT_FAIL(rte_malloc_validate(p, NULL), "freed block validated");
	q = rte_malloc(NULL, 64, 0);
	TEST_ASSERT_NOT_NULL(q, "small allocation failed");
	rte_free(q);
	rte_free(q);

	/* realloc to 0 frees */
	q = rte_malloc(NULL, 2048, 0);
	TEST_ASSERT_NOT_NULL(q, "allocation failed");
	TEST_ASSERT_NULL(rte_realloc(q, 0, 0), "realloc to 0 returned a block");
	TEST_ASSERT_FAIL(rte_malloc_validate(q, NULL), "realloc to 0 did not free");

	TEST_ASSERT_SUCCESS(heaps_ok(), "heap corrupt after bad input");
	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(rte_socket_id_by_idx(0), &after),
			"no stats");
	TEST_ASSERT_EQUAL(before.alloc_count, after.alloc_count,
			"allocation count changed: %u -> %u", before.alloc_count, after.alloc_count);
	return TEST_SUCCESS;
}

/* Blocks just under and over one page with its header (C9): both work. */
static int
test_page_boundary_sizes(void)
{
	const long deltas[] = { -1, 0, 1 };
	unsigned int i;

	for (i = 0; i < RTE_DIM(deltas); i++) {
		size_t sz = (size_t)((long)RTE_PGSIZE_2M - (long)MALLOC_ELEM_OVERHEAD + deltas[i]);
		char *p = rte_malloc(NULL, sz, 0);
		size_t usable;

		TEST_ASSERT_NOT_NULL(p, "2 MB - overhead %+ld failed", deltas[i]);
		TEST_ASSERT_SUCCESS(rte_malloc_validate(p, &usable), "invalid block");
		TEST_ASSERT(usable >= sz, "block too small");
		p[0] = 1;
		p[sz - 1] = 2;
		rte_free(p);
	}
	TEST_ASSERT_SUCCESS(heaps_ok(), "heap corrupt");
	return TEST_SUCCESS;
}

static int
test_realloc(void)
{
	const char hello[] = "hello, heap";
	char *p1, *p2, *p3, *p4, *guard;
	size_t sz;

	p1 = rte_malloc(NULL, 1024, 64);
	TEST_ASSERT_NOT_NULL(p1, "allocation failed");
	strcpy(p1, hello);
	p2 = rte_realloc(p1, 4096, 64);
	TEST_ASSERT_NOT_NULL(p2, "realloc grow failed");
	TEST_ASSERT(strcmp(p2, hello) == 0, "data lost by realloc");
	/* shrinking keeps the block */
	p3 = rte_realloc(p2, 1024, 64);
	TEST_ASSERT(p3 == p2, "shrink moved the block");
	TEST_ASSERT_SUCCESS(rte_malloc_validate(p3, &sz), "validate failed");
	TEST_ASSERT_EQUAL(sz, (size_t)1024, "shrunk block has %zu bytes", sz);
	/* blocks come from the top: free the one above and grow into it */
	/* a busy guard above keeps p4's page from being given back on free */
	guard = rte_malloc(NULL, 4096, 64);
	p4 = rte_malloc(NULL, 4096, 64);
	TEST_ASSERT(guard != NULL && p4 != NULL, "allocation failed");
	p1 = rte_malloc(NULL, 4096, 64);
	TEST_ASSERT_NOT_NULL(p1, "allocation failed");
	TEST_ASSERT(p4 > p1, "blocks not carved from the top");
	strcpy(p1, hello);
	rte_free(p4);
	p2 = rte_realloc(p1, 4096 + 2048, 64);
	TEST_ASSERT(p2 == p1, "in-place growth moved the block");
	TEST_ASSERT(strcmp(p2, hello) == 0, "data lost by in-place growth");
	TEST_ASSERT_SUCCESS(rte_malloc_validate(p2, &sz), "validate failed");
	TEST_ASSERT(sz >= 4096 + 2048, "grown block has only %zu bytes", sz);
	/* a stricter alignment moves the block if needed */
	p3 = rte_realloc(p2, 8192, 1 << 16);
	TEST_ASSERT_NOT_NULL(p3, "realloc with new alignment failed");
	TEST_ASSERT(((uintptr_t)p3 & 0xffff) == 0, "%p not 64K aligned", p3);
	TEST_ASSERT(strcmp(p3, hello) == 0, "data lost on move");
	rte_free(p3);
	rte_free(guard);
	/* realloc(NULL) allocates exactly the (rounded) size: no slack on top */
	p1 = rte_realloc(NULL, 4096 + 640, 0);
	TEST_ASSERT_NOT_NULL(p1, "realloc(NULL) failed");
	TEST_ASSERT_SUCCESS(rte_malloc_validate(p1, &sz), "validate failed");
	TEST_ASSERT_EQUAL(sz, (size_t)4096 + 640, "realloc(NULL) gave %zu bytes", sz);
	rte_free(p1);
	TEST_ASSERT_SUCCESS(heaps_ok(), "heap corrupt after realloc");
	return TEST_SUCCESS;
}

static int
align_overlap_lcore(void *arg __rte_unused)
{
	const unsigned int aligns[] = { 8, 64, 2048 };
	char *p[3];
	unsigned int i, j, iter;

	for (iter = 0; iter < 100; iter++) {
		for (i = 0; i < 3; i++) {
			p[i] = rte_zmalloc(NULL, 1000, aligns[i]);
			if (p[i] == NULL)
				return -1;
			if ((uintptr_t)p[i] % RTE_MAX(aligns[i], 64u) != 0)
				return -1;
			for (j = 0; j < 1000; j++)
				if (p[i][j] != 0)
					return -1;
			memset(p[i], (int)i + 1, 1000);
		}
		for (i = 0; i < 3; i++)
			for (j = 0; j < 3; j++)
				if (i != j && p[i] < p[j] + 1000 && p[j] < p[i] + 1000)
					return -1;
		for (i = 0; i < 3; i++)
			rte_free(p[i]);
	}
	return 0;
}

static int
run_on_all_lcores(lcore_function_t *fn, void *arg)
{
	unsigned int lcore;
	int ret = 0;

	RTE_LCORE_FOREACH_WORKER(lcore)
		rte_eal_remote_launch(fn, arg, lcore);
	if (fn(arg) != 0)
		ret = -1;
	RTE_LCORE_FOREACH_WORKER(lcore)
		if (rte_eal_wait_lcore(lcore) != 0)
			ret = -1;
	return ret;
}

static int
test_align_overlap(void)
{
	TEST_ASSERT_SUCCESS(run_on_all_lcores(align_overlap_lcore, NULL),
			"zeroed, aligned, disjoint blocks check failed");
	TEST_ASSERT_SUCCESS(heaps_ok(), "heap corrupt");
	return TEST_SUCCESS;
}

#define STRESS_SLOTS 256

struct stress_block {
	uint8_t *p;
	size_t len;
	uint8_t seed;
};

static int
check_pattern(const struct stress_block *b)
{
	size_t i;

	for (i = 0; i < b->len; i++)
		if (b->p[i] != (uint8_t)(b->seed + i))
			return -1;
	return 0;
}

static void
fill_pattern(struct stress_block *b)
{
	size_t i;

	for (i = 0; i < b->len; i++)
		b->p[i] = (uint8_t)(b->seed + i);
}

/* Random allocations, reallocs and frees; patterns verified throughout. */
static int
stress_lcore(void *arg __rte_unused)
{
	static __thread struct stress_block blocks[STRESS_SLOTS];
	unsigned int i, op;

	for (op = 0; op < 2500; op++) {
		struct stress_block *b = &blocks[rte_rand_max(STRESS_SLOTS)];
		size_t sz;

		if (b->p != NULL) {
			if (check_pattern(b) != 0) {
				printf("pattern broken at %p\n", b->p);
				return -1;
			}
			if (rte_rand_max(4) == 0) {
				size_t nlen = 1 + rte_rand_max(1 << (6 + rte_rand_max(16)));
				uint8_t *np = rte_realloc(b->p, nlen, 0);

				if (np == NULL)
					return -1;
				b->p = np;
				b->len = RTE_MIN(b->len, nlen);
				if (check_pattern(b) != 0) {
					printf("realloc lost data at %p\n", np);
					return -1;
				}
				b->len = nlen;
				fill_pattern(b);
			} else {
				rte_free(b->p);
				b->p = NULL;
			}
			continue;
		}
		b->len = 1 + rte_rand_max(1 << (6 + rte_rand_max(16)));
		b->seed = (uint8_t)rte_rand();
		b->p = rte_malloc(NULL, b->len, 1u << rte_rand_max(13));
		if (b->p == NULL)
			return -1;
		if (rte_malloc_validate(b->p, &sz) != 0 || sz < b->len)
			return -1;
		fill_pattern(b);
	}
	for (i = 0; i < STRESS_SLOTS; i++) {
		if (blocks[i].p != NULL && check_pattern(&blocks[i]) != 0)
			return -1;
		rte_free(blocks[i].p);
		blocks[i].p = NULL;
	}
	return 0;
}

static int
test_random_stress(void)
{
	unsigned int batch;

	for (batch = 0; batch < 5; batch++) {
		TEST_ASSERT_SUCCESS(run_on_all_lcores(stress_lcore, NULL),
				"stress batch %u failed", batch);
		TEST_ASSERT_SUCCESS(heaps_ok(), "heap invariants broken after batch %u", batch);
	}
	return TEST_SUCCESS;
}

static int
test_zero_fill(void)
{
	unsigned int i, j;
	const size_t sizes[] = { 64, 200, 512, 1024, 5000, 70000 };

	for (i = 0; i < RTE_DIM(sizes); i++) {
		char *p = rte_malloc(NULL, sizes[i], 0);
		char *z;

		TEST_ASSERT_NOT_NULL(p, "allocation failed");
		memset(p, 0xee, sizes[i]);
		rte_free(p);
		/* likely the same block again, cached or merged */
		z = i % 2 ? rte_zmalloc(NULL, sizes[i], 0) : rte_calloc(NULL, 1, sizes[i], 0);
		TEST_ASSERT_NOT_NULL(z, "zero allocation failed");
		for (j = 0; j < sizes[i]; j++)
			TEST_ASSERT(z[j] == 0, "byte %u of %zu not zero", j, sizes[i]);
		rte_free(z);
	}
	return TEST_SUCCESS;
}

static int
test_alloc_socket(void)
{
	unsigned int i;
	void *p;

	p = rte_malloc_socket(NULL, 100, 0, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(p, "SOCKET_ID_ANY allocation failed");
	TEST_ASSERT_EQUAL(rte_mem_virt2memseg_list(p)->socket_id, (int)rte_socket_id(),
			"SOCKET_ID_ANY did not use the caller's socket");
	rte_free(p);
	for (i = 0; i < rte_socket_count(); i++) {
		int s = rte_socket_id_by_idx(i);
		struct rte_malloc_socket_stats st;
		void *q;

		if (rte_malloc_get_socket_stats(s, &st) != 0)
			continue;
		q = rte_zmalloc_socket(NULL, 3000, 0, s);
		TEST_ASSERT_NOT_NULL(q, "no memory on socket %d", s);
		TEST_ASSERT_EQUAL(rte_mem_virt2memseg_list(q)->socket_id, s, "wrong socket");
		rte_free(q);
	}
	TEST_ASSERT_NULL(rte_malloc_socket(NULL, 100, 0, RTE_MAX_NUMA_NODES + 3),
			"socket without a heap gave memory");
	return TEST_SUCCESS;
}

static int
test_statistics(void)
{
	const size_t ext_len = 8 << 20;
	struct rte_malloc_socket_stats pre, one, two, post;
	int socket;
	void *a, *b, *va;

	/* a private heap, so that nothing else moves the figures */
	va = mmap(NULL, ext_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(va != MAP_FAILED, "mmap failed");
	TEST_ASSERT_SUCCESS(rte_malloc_heap_create("malloc_stats"), "heap create failed");
	TEST_ASSERT_SUCCESS(rte_malloc_heap_memory_add("malloc_stats", va, ext_len, NULL, 0,
			4096), "memory add failed");
	socket = rte_malloc_heap_get_socket("malloc_stats");
	a = rte_malloc_socket(NULL, 1 << 20, 0, socket);
	TEST_ASSERT_NOT_NULL(a, "allocation failed");
	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(socket, &pre), "stats failed");
	b = rte_malloc_socket(NULL, 1024, 0, socket);
	TEST_ASSERT_NOT_NULL(b, "allocation failed");
	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(socket, &one), "stats failed");
	TEST_ASSERT_EQUAL(one.alloc_count, pre.alloc_count + 1, "alloc_count not +1");
	TEST_ASSERT_EQUAL(one.heap_allocsz_bytes, pre.heap_allocsz_bytes + 1024 +
			MALLOC_ELEM_OVERHEAD, "allocated bytes not +1024+overhead");
	TEST_ASSERT_EQUAL(one.heap_totalsz_bytes, pre.heap_totalsz_bytes, "total changed");
	TEST_ASSERT_EQUAL(one.free_count, pre.free_count, "free_count changed");
	TEST_ASSERT_EQUAL(one.heap_freesz_bytes + one.heap_allocsz_bytes,
			one.heap_totalsz_bytes, "free + allocated != total");
	rte_free(b);
	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(socket, &two), "stats failed");
	TEST_ASSERT_EQUAL(two.alloc_count, pre.alloc_count, "alloc_count not back");
	TEST_ASSERT_EQUAL(two.heap_allocsz_bytes, pre.heap_allocsz_bytes, "bytes not back");
	TEST_ASSERT_EQUAL(two.greatest_free_size, pre.greatest_free_size,
			"greatest free changed");
	rte_free(a);
	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(socket, &post), "stats failed");
	TEST_ASSERT_EQUAL(post.alloc_count, 0u, "blocks left");
	TEST_ASSERT_EQUAL(post.free_count, 1u, "free space not merged back");
	TEST_ASSERT_EQUAL(post.greatest_free_size, ext_len, "free space not whole");
	TEST_ASSERT_SUCCESS(rte_malloc_heap_memory_remove("malloc_stats", va, ext_len),
			"remove failed");
	TEST_ASSERT_SUCCESS(rte_malloc_heap_destroy("malloc_stats"), "destroy failed");
	munmap(va, ext_len);

	/* small blocks parked in the lcore cache still count as free */
	socket = (int)rte_socket_id();
	a = rte_malloc_socket(NULL, 64, 0, socket);
	TEST_ASSERT_NOT_NULL(a, "allocation failed");
	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(socket, &one), "stats failed");
	rte_free(a);
	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(socket, &post), "stats failed");
	TEST_ASSERT_EQUAL(post.alloc_count + 1, one.alloc_count, "cached block counted busy");
	TEST_ASSERT_FAIL(rte_malloc_get_socket_stats(socket, NULL), "NULL stats accepted");
	TEST_ASSERT_FAIL(rte_malloc_get_socket_stats(12345, &post), "bad socket accepted");
	TEST_ASSERT_SUCCESS(heaps_ok(), "heap corrupt");
	return TEST_SUCCESS;
}

static int
test_dump(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	void *p = rte_malloc(NULL, 4096, 0);

	TEST_ASSERT_NOT_NULL(f, "no memstream");
	TEST_ASSERT_NOT_NULL(p, "allocation failed");
	rte_malloc_dump_heaps(f);
	rte_malloc_dump_stats(f, NULL);
	fclose(f);
	TEST_ASSERT(strstr(buf, "socket_") != NULL, "dump names no heap");
	TEST_ASSERT(strstr(buf, "BUSY") != NULL, "dump shows no busy element");
	TEST_ASSERT(strstr(buf, "Heap_size") != NULL, "stats dump missing");
	free(buf);
	rte_free(p);
	TEST_ASSERT_EQUAL(rte_malloc_set_limit(NULL, 0), 0, "set_limit failed");
	return TEST_SUCCESS;
}

/* Hugepage files of this process under the test's hugetlbfs dir. */
static int
count_page_files(void)
{
	DIR *d = opendir(test_huge_dir[0] != '\0' ? test_huge_dir : "/dev/hugepages");
	struct dirent *e;
	size_t plen = strlen(test_file_prefix);
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (plen > 0 && strncmp(e->d_name, test_file_prefix, plen) == 0)
			n++;
	closedir(d);
	return n;
}

static int
test_shrink(void)
{
	struct rte_malloc_socket_stats s0, s1, s2;
	int socket = rte_socket_id_by_idx(0);
	int f0, f1, f2;
	void *p;

	if (!rte_eal_has_hugepages())
		return test_hugepages_missing("shrink is checked through hugepage files");
	/* legacy mode never gives pages back: nothing to check there */
	if (eal_get_internal_configuration()->legacy_mem)
		return test_required_missing("legacy memory never gives pages back");
	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(socket, &s0), "stats failed");
	f0 = count_page_files();
	p = rte_malloc_socket(NULL, 16 << 20, 0, socket);
	TEST_ASSERT_NOT_NULL(p, "16 MiB allocation failed");
	memset(p, 1, 16 << 20);
	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(socket, &s1), "stats failed");
	f1 = count_page_files();
	TEST_ASSERT(s1.heap_totalsz_bytes >= s0.heap_totalsz_bytes,
			"heap shrank while allocating");
	rte_free(p);
	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(socket, &s2), "stats failed");
	f2 = count_page_files();
	printf("heap total: %zu -> %zu -> %zu bytes, page files %d -> %d -> %d\n",
			s0.heap_totalsz_bytes, s1.heap_totalsz_bytes, s2.heap_totalsz_bytes,
			f0, f1, f2);
	TEST_ASSERT(s2.heap_totalsz_bytes <= s0.heap_totalsz_bytes,
			"heap did not give its growth back (%zu > %zu)",
			s2.heap_totalsz_bytes, s0.heap_totalsz_bytes);
	if (f0 >= 0 && f1 > f0)
		TEST_ASSERT(f2 <= f0, "page files stayed: %d -> %d -> %d", f0, f1, f2);
	TEST_ASSERT_SUCCESS(heaps_ok(), "heap corrupt after shrink");
	return TEST_SUCCESS;
}

static uint64_t
pagemap_pfn(int fd, const void *va)
{
	uint64_t ent;
	off_t off = (off_t)((uintptr_t)va / 4096) * 8;

	if (pread(fd, &ent, sizeof(ent), off) != sizeof(ent))
		return 0;
	return ent & ((1ULL << 55) - 1);
}

/* @return 0 if every 4K page of [p, p + len) follows the previous in PA. */
static int
pa_contig(const void *p, size_t len)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	uintptr_t va = RTE_ALIGN_FLOOR((uintptr_t)p, 4096);
	uint64_t first;
	int ret = 0;

	if (fd < 0)
		return 1;
	first = pagemap_pfn(fd, (void *)va);
	if (first == 0) {
		close(fd);
		return 1; /* no PFNs visible: nothing to check */
	}
	for (; va < (uintptr_t)p + len; va += 4096) {
		if (pagemap_pfn(fd, (void *)va) != first + (va - RTE_ALIGN_FLOOR((uintptr_t)p,
				4096)) / 4096) {
			ret = -1;
			break;
		}
	}
	close(fd);
	return ret;
}

static int
test_contig(void)
{
	const size_t sizes[] = { 4096, 1 << 20, 3 << 20, 8 << 20 };
	unsigned int i;

	for (i = 0; i < RTE_DIM(sizes); i++) {
		char *p = rte_malloc_contig(NULL, sizes[i], 0);
		int r;

		if (p == NULL) {
			/* multi-page PA contiguity is luck in dynamic mode */
			TEST_ASSERT(sizes[i] > (2 << 20) || rte_eal_iova_mode() == RTE_IOVA_PA,
					"contig %zu failed", sizes[i]);
			continue;
		}
		memset(p, 0, sizes[i]);
		TEST_ASSERT(rte_mem_is_iova_contig(p, sizes[i]) != 0, "not IOVA-contiguous");
		if (rte_eal_iova_mode() == RTE_IOVA_PA) {
			r = pa_contig(p, sizes[i]);
			TEST_ASSERT(r >= 0, "contig block of %zu bytes not PA-contiguous", sizes[i]);
		}
		rte_free(p);
	}
	TEST_ASSERT_SUCCESS(heaps_ok(), "heap corrupt");
	return TEST_SUCCESS;
}

/*
 * The next two cases exist only in the builds they test (-Dmalloc_debug=true,
 * -Db_sanitize=address), so that no run reports them as skipped.
 */
#ifdef RTE_MALLOC_DEBUG
/* A write past the block breaks the trailer cookie. */
static int
test_debug_cookies(void)
{
	char *p = rte_malloc(NULL, 1000, 0);
	size_t sz;
	char saved;

	TEST_ASSERT_NOT_NULL(p, "allocation failed");
	TEST_ASSERT_SUCCESS(rte_malloc_validate(p, &sz), "fresh block invalid");
	saved = p[sz];
	p[sz] ^= 0x55;
	TEST_ASSERT_FAIL(rte_malloc_validate(p, NULL), "broken trailer not detected");
	p[sz] = saved;
	TEST_ASSERT_SUCCESS(rte_malloc_validate(p, NULL), "repaired block invalid");
	rte_free(p);
	return TEST_SUCCESS;
}
#endif

#ifdef RTE_MALLOC_ASAN
/* Touching a freed block must be reported (in a child). */
static int
test_asan_use_after_free(void)
{
	const size_t sizes[] = { 64, 4096 };
	unsigned int i;

	for (i = 0; i < RTE_DIM(sizes); i++) {
		int status;
		pid_t pid = fork();

		TEST_ASSERT(pid >= 0, "fork failed");
		if (pid == 0) {
			volatile char *p = rte_malloc(NULL, sizes[i], 0);

			rte_free((void *)(uintptr_t)p);
			p[10] = 1; /* ASan stops here */
			_exit(0);
		}
		TEST_ASSERT(waitpid(pid, &status, 0) == pid, "waitpid failed");
		TEST_ASSERT(!WIFEXITED(status) || WEXITSTATUS(status) != 0,
				"use after free of %zu bytes not reported", sizes[i]);
	}
	return TEST_SUCCESS;
}
#endif

static int
malloc_setup(void)
{
	if (!test_have_hugepages())
		return test_hugepages_missing("malloc_autotest needs hugepages");
	return TEST_SUCCESS;
}

static struct unit_test_suite malloc_suite = {
	.suite_name = "malloc",
	.setup = malloc_setup,
	.unit_test_cases = {
		TEST_CASE(test_zero_aligned_alloc),
		TEST_CASE(test_bad_input),
		TEST_CASE(test_realloc),
		TEST_CASE(test_page_boundary_sizes),
		TEST_CASE(test_align_overlap),
		TEST_CASE(test_random_stress),
		TEST_CASE(test_zero_fill),
		TEST_CASE(test_alloc_socket),
		TEST_CASE(test_statistics),
		TEST_CASE(test_dump),
		TEST_CASE(test_shrink),
		TEST_CASE(test_contig),
#ifdef RTE_MALLOC_ASAN
		TEST_CASE(test_asan_use_after_free),
#endif
#ifdef RTE_MALLOC_DEBUG
		TEST_CASE(test_debug_cookies),
#endif
		TEST_CASES_END()
	}
};

static int
test_malloc(void)
{
	return unit_test_suite_runner(&malloc_suite);
}

REGISTER_FAST_TEST(malloc_autotest, NOHUGE_SKIP, ASAN_OK, test_malloc);
