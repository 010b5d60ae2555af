/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Memzones: reserve/lookup/free, slot reuse, a full table, flags,
 * alignment, bounds, zero-length (biggest) zones, bad input and the
 * contiguous variants.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>
#include <rte_random.h>

#include "eal_memcfg.h"
#include "malloc_elem.h"
#include "malloc_heap.h"
#include "test.h"

static void
count_zone(const struct rte_memzone *mz __rte_unused, void *arg)
{
	(*(unsigned int *)arg)++;
}

static unsigned int
zone_count(void)
{
	unsigned int n = 0;

	rte_memzone_walk(count_zone, &n);
	return n;
}

static bool
overlap(const struct rte_memzone *a, const struct rte_memzone *b)
{
	uintptr_t a0 = (uintptr_t)a->addr, b0 = (uintptr_t)b->addr;

	return a0 < b0 + b->len && b0 < a0 + a->len;
}

static int
test_memzone_basic(void)
{
	unsigned int base = zone_count();
	const struct rte_memzone *z1, *z2, *z3;

	z1 = rte_memzone_reserve("mz_basic_1", 100, SOCKET_ID_ANY, 0);
	z2 = rte_memzone_reserve("mz_basic_2", 1000, rte_socket_id_by_idx(0), 0);
	z3 = rte_memzone_reserve("mz_basic_3", 1024, SOCKET_ID_ANY, 0);
	TEST_ASSERT(z1 && z2 && z3, "reserve failed");
	TEST_ASSERT_EQUAL(zone_count(), base + 3, "walk does not see 3 new zones");
	TEST_ASSERT_EQUAL(eal_get_mcfg()->memzones.count, base + 3, "table count wrong");
	TEST_ASSERT(((uintptr_t)z1->addr & RTE_CACHE_LINE_MASK) == 0 &&
			(z1->len & RTE_CACHE_LINE_MASK) == 0, "zone 1 not cache aligned");
	TEST_ASSERT_EQUAL(z3->len, (size_t)1024, "1024-byte zone has %zu", z3->len);
	TEST_ASSERT(z2->socket_id == rte_socket_id_by_idx(0), "wrong socket");
	TEST_ASSERT(!overlap(z1, z2) && !overlap(z2, z3) && !overlap(z1, z3), "zones overlap");
	TEST_ASSERT(z1->iova != RTE_BAD_IOVA || rte_eal_iova_mode() != RTE_IOVA_VA, "no iova");
	TEST_ASSERT(z1->hugepage_sz != 0, "no page size");
	TEST_ASSERT(rte_memzone_lookup("mz_basic_2") == z2, "lookup gave another zone");
	TEST_ASSERT_NULL(rte_memzone_lookup("mz_basic_none"), "lookup of nothing succeeded");
	TEST_ASSERT_NULL(rte_memzone_reserve("mz_basic_1", 100, SOCKET_ID_ANY, 0),
			"duplicate name accepted");
	TEST_ASSERT_EQUAL(rte_errno, EEXIST, "duplicate: rte_errno %d", rte_errno);
	memset(z1->addr, 0x5a, z1->len);
	TEST_ASSERT_SUCCESS(rte_memzone_free(z1), "free failed");
	TEST_ASSERT_SUCCESS(rte_memzone_free(z2), "free failed");
	TEST_ASSERT_SUCCESS(rte_memzone_free(z3), "free failed");
	TEST_ASSERT_EQUAL(zone_count(), base, "zones leaked");
	return TEST_SUCCESS;
}

static int
test_memzone_free(void)
{
	const struct rte_memzone *mz[RTE_MAX_MEMZONE + 1];
	unsigned int base = zone_count(), n = 0, i;
	const struct rte_memzone *a, *b, *c;
	char name[RTE_MEMZONE_NAMESIZE];

	a = rte_memzone_reserve("mz_free_a", 2000, SOCKET_ID_ANY, 0);
	b = rte_memzone_reserve("mz_free_b", 4000, SOCKET_ID_ANY, 0);
	TEST_ASSERT(a && b, "reserve failed");
	TEST_ASSERT_SUCCESS(rte_memzone_free(a), "free a failed");
	TEST_ASSERT_NULL(rte_memzone_lookup("mz_free_a"), "freed zone still found");
	TEST_ASSERT_EQUAL(rte_memzone_free(a), -EINVAL, "double free not refused");
	TEST_ASSERT_EQUAL(rte_memzone_free(NULL), -EINVAL, "NULL free not refused");
	TEST_ASSERT_EQUAL(rte_memzone_free((const void *)name), -EINVAL,
			"free of a non-zone not refused");
	/* the freed slot is taken again first */
	c = rte_memzone_reserve("mz_free_c", 1000, SOCKET_ID_ANY, 0);
	TEST_ASSERT(c == a, "freed slot not reused (%p vs %p)", (const void *)c,
			(const void *)a);
	TEST_ASSERT_SUCCESS(rte_memzone_free(b), "free b failed");
	TEST_ASSERT_SUCCESS(rte_memzone_free(c), "free c failed");

	/* fill the table */
	for (;;) {
		snprintf(name, sizeof(name), "mz_fill_%u", n);
		mz[n] = rte_memzone_reserve(name, 1, SOCKET_ID_ANY, 0);
		if (mz[n] == NULL)
			break;
		if (++n > RTE_MAX_MEMZONE)
			break;
	}
	TEST_ASSERT_EQUAL(n + base, (unsigned int)RTE_MAX_MEMZONE, "table held %u zones",
			n + base);
	TEST_ASSERT_EQUAL(rte_errno, ENOSPC, "full table: rte_errno %d", rte_errno);
	TEST_ASSERT_SUCCESS(rte_memzone_free(mz[n / 2]), "free failed");
	mz[n / 2] = rte_memzone_reserve("mz_fill_zero", 0, SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mz[n / 2], "zero-length reserve in the freed slot failed");
	for (i = 0; i < n; i++)
		TEST_ASSERT_SUCCESS(rte_memzone_free(mz[i]), "free %u failed", i);
	TEST_ASSERT_EQUAL(zone_count(), base, "zones leaked");
	return TEST_SUCCESS;
}

static int
test_memzone_bad_input(void)
{
	char long_name[64];

	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	TEST_ASSERT_NULL(rte_memzone_reserve("mz_bad", SIZE_MAX, SOCKET_ID_ANY, 0),
			"SIZE_MAX zone reserved");
	TEST_ASSERT_NULL(rte_memzone_reserve("mz_bad", SIZE_MAX - 100, SOCKET_ID_ANY, 0),
			"SIZE_MAX-100 zone reserved");
	TEST_ASSERT_NULL(rte_memzone_reserve(long_name, 64, SOCKET_ID_ANY, 0),
			"too long name accepted");
	TEST_ASSERT_NULL(rte_memzone_reserve(NULL, 64, SOCKET_ID_ANY, 0), "NULL name accepted");
	TEST_ASSERT_NULL(rte_memzone_reserve("", 64, SOCKET_ID_ANY, 0), "empty name accepted");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "empty name: rte_errno %d", rte_errno);
	long_name[RTE_MEMZONE_NAMESIZE] = '\0'; /* 32 chars: no room for the NUL */
	TEST_ASSERT_NULL(rte_memzone_reserve(long_name, 64, SOCKET_ID_ANY, 0),
			"32-char name accepted");
	TEST_ASSERT_EQUAL(rte_errno, ENAMETOOLONG, "32-char name: rte_errno %d", rte_errno);
	TEST_ASSERT_NULL(rte_memzone_reserve_aligned("mz_bad", 64, SOCKET_ID_ANY, 0, 100),
			"align 100 accepted");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "bad align: rte_errno %d", rte_errno);
	TEST_ASSERT_NULL(rte_memzone_reserve("mz_bad", 64, SOCKET_ID_ANY, 0x8),
			"unknown flag accepted");
	TEST_ASSERT_NULL(rte_memzone_reserve("mz_bad", 64, -7, 0), "socket -7 accepted");
	TEST_ASSERT_NULL(rte_memzone_reserve("mz_bad", 64, 4000, 0), "socket 4000 accepted");
	TEST_ASSERT_NULL(rte_memzone_reserve_bounded("mz_bad", 100, SOCKET_ID_ANY, 0, 64, 100),
			"bound 100 accepted");
	TEST_ASSERT_NULL(rte_memzone_reserve_bounded("mz_bad", 2048, SOCKET_ID_ANY, 0, 64, 1024),
			"len > bound accepted");
	TEST_ASSERT_NULL(rte_memzone_lookup("mz_bad"), "a bad reserve left a zone");
	return TEST_SUCCESS;
}

static bool
have_page_size(uint64_t sz)
{
	struct rte_mem_config *m = eal_get_mcfg();
	unsigned int i;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++)
		if (m->memsegs[i].base_va != NULL && !m->memsegs[i].external &&
				m->memsegs[i].page_sz == sz)
			return true;
	return false;
}

static int
test_memzone_flags(void)
{
	const struct rte_memzone *mz;

	if (have_page_size(RTE_PGSIZE_2M)) {
		mz = rte_memzone_reserve("mz_flag_2m", 100, SOCKET_ID_ANY, RTE_MEMZONE_2MB);
		TEST_ASSERT_NOT_NULL(mz, "2MB zone failed");
		TEST_ASSERT_EQUAL(mz->hugepage_sz, RTE_PGSIZE_2M, "2MB zone on other pages");
		rte_memzone_free(mz);
		mz = rte_memzone_reserve("mz_flag_2mh", 100, SOCKET_ID_ANY,
				RTE_MEMZONE_2MB | RTE_MEMZONE_SIZE_HINT_ONLY);
		TEST_ASSERT_NOT_NULL(mz, "2MB|HINT zone failed");
		rte_memzone_free(mz);
	}
	if (!have_page_size(RTE_PGSIZE_1G)) {
		mz = rte_memzone_reserve("mz_flag_1g", 100, SOCKET_ID_ANY, RTE_MEMZONE_1GB);
		TEST_ASSERT_NULL(mz, "1GB zone without 1GB pages");
		mz = rte_memzone_reserve("mz_flag_1gh", 100, SOCKET_ID_ANY,
				RTE_MEMZONE_1GB | RTE_MEMZONE_SIZE_HINT_ONLY);
		TEST_ASSERT_NOT_NULL(mz, "1GB|HINT did not fall back");
		TEST_ASSERT(mz->hugepage_sz != RTE_PGSIZE_1G, "impossible page size");
		rte_memzone_free(mz);
	}
	if (!have_page_size(RTE_PGSIZE_16G))
		TEST_ASSERT_NULL(rte_memzone_reserve("mz_flag_16g", 100, SOCKET_ID_ANY,
				RTE_MEMZONE_16GB), "16GB zone without 16GB pages");
	return TEST_SUCCESS;
}

static int
test_memzone_aligned(void)
{
	const unsigned int aligns[] = { 32, 128, 256, 512, 1024, 4096, 1 << 20 };
	const struct rte_memzone *mz[RTE_DIM(aligns)];
	char name[RTE_MEMZONE_NAMESIZE];
	unsigned int i, j;

	for (i = 0; i < RTE_DIM(aligns); i++) {
		snprintf(name, sizeof(name), "mz_align_%u", aligns[i]);
		mz[i] = rte_memzone_reserve_aligned(name, 100, SOCKET_ID_ANY, 0, aligns[i]);
		TEST_ASSERT_NOT_NULL(mz[i], "align %u failed", aligns[i]);
		TEST_ASSERT(((uintptr_t)mz[i]->addr & (RTE_MAX(aligns[i], 64u) - 1)) == 0,
				"addr not %u aligned", aligns[i]);
		if (mz[i]->iova != RTE_BAD_IOVA && aligns[i] <= RTE_PGSIZE_2M)
			TEST_ASSERT((mz[i]->iova & (RTE_MAX(aligns[i], 64u) - 1)) == 0,
					"iova not %u aligned", aligns[i]);
		TEST_ASSERT((mz[i]->len & RTE_CACHE_LINE_MASK) == 0, "len not aligned");
	}
	for (i = 0; i < RTE_DIM(aligns); i++)
		for (j = i + 1; j < RTE_DIM(aligns); j++)
			TEST_ASSERT(!overlap(mz[i], mz[j]), "zones %u and %u overlap", i, j);
	for (i = 0; i < RTE_DIM(aligns); i++)
		rte_memzone_free(mz[i]);
	return TEST_SUCCESS;
}

static int
test_memzone_bounded(void)
{
	static const struct { size_t len; unsigned int align, bound; } cases[] = {
		{ 100, 128, 128 }, { 100, 256, 128 }, { 100, 64, 1024 }, { 0, 64, 1024 },
		{ 3000, 64, 4096 }, { 1 << 20, 64, 1 << 21 },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(cases); i++) {
		const struct rte_memzone *mz;
		uintptr_t a;

		mz = rte_memzone_reserve_bounded("mz_bounded", cases[i].len, SOCKET_ID_ANY, 0,
				cases[i].align, cases[i].bound);
		TEST_ASSERT_NOT_NULL(mz, "case %u failed", i);
		a = (uintptr_t)mz->addr;
		TEST_ASSERT((a & (cases[i].align - 1)) == 0, "case %u misaligned", i);
		TEST_ASSERT(RTE_ALIGN_FLOOR(a, cases[i].bound) ==
				RTE_ALIGN_FLOOR(a + mz->len - 1, cases[i].bound),
				"case %u crosses its bound", i);
		if (mz->iova != RTE_BAD_IOVA)
			TEST_ASSERT(RTE_ALIGN_FLOOR(mz->iova, cases[i].bound) ==
					RTE_ALIGN_FLOOR(mz->iova + mz->len - 1, cases[i].bound),
					"case %u crosses its bound in IOVA", i);
		rte_memzone_free(mz);
	}
	return TEST_SUCCESS;
}

static int
test_memzone_reserve_max(void)
{
	int socket = rte_socket_id_by_idx(0);
	struct rte_malloc_socket_stats st;
	const struct rte_memzone *mz, *anchor;
	unsigned int i;

	/*
	 * A dynamic heap gives free pages back, so it may hold no free memory
	 * at all here: a small anchor zone maps a page and keeps it, and the
	 * rest of that page is then the biggest free element.
	 */
	anchor = rte_memzone_reserve("mz_max_anchor", 4096, socket, 0);
	TEST_ASSERT_NOT_NULL(anchor, "anchor zone failed");
	malloc_lcore_cache_flush();
	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(socket, &st), "no stats");
	TEST_ASSERT(st.greatest_free_size > MALLOC_ELEM_OVERHEAD,
		"no free memory beside the anchor zone (%zu)", st.greatest_free_size);
	mz = rte_memzone_reserve("mz_max", 0, socket, 0);
	TEST_ASSERT_NOT_NULL(mz, "zero-length zone failed");
	TEST_ASSERT_EQUAL(mz->len, st.greatest_free_size - MALLOC_ELEM_OVERHEAD,
			"biggest zone %zu, expected %zu", mz->len,
			st.greatest_free_size - MALLOC_ELEM_OVERHEAD);
	rte_memzone_free(mz);
	for (i = 0; i < 10; i++) {
		unsigned int align = 32u << rte_rand_max(8);

		TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(socket, &st), "no stats");
		mz = rte_memzone_reserve_aligned("mz_max_al", 0, socket, 0, align);
		TEST_ASSERT_NOT_NULL(mz, "aligned zero-length zone failed");
		TEST_ASSERT(((uintptr_t)mz->addr & (RTE_MAX(align, 64u) - 1)) == 0, "misaligned");
		TEST_ASSERT(mz->len <= st.greatest_free_size - MALLOC_ELEM_OVERHEAD &&
				mz->len + RTE_ALIGN_CEIL(align, 64) >=
				st.greatest_free_size - MALLOC_ELEM_OVERHEAD,
				"biggest aligned zone %zu of %zu", mz->len, st.greatest_free_size);
		rte_memzone_free(mz);
	}
	TEST_ASSERT_SUCCESS(rte_memzone_free(anchor), "anchor free failed");
	return TEST_SUCCESS;
}

static int
test_memzone_contig(void)
{
	const struct rte_memzone *mz;
	uint64_t t0;

	mz = rte_memzone_reserve_contig("mz_contig", 1 << 20, SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mz, "1 MiB contiguous zone failed");
	TEST_ASSERT(rte_mem_is_iova_contig(mz->addr, mz->len) == 1, "zone not contiguous");
	rte_memzone_free(mz);
	mz = rte_memzone_reserve_aligned_contig("mz_contig", 4096, SOCKET_ID_ANY, 0, 4096);
	TEST_ASSERT_NOT_NULL(mz, "aligned contiguous zone failed");
	TEST_ASSERT(((uintptr_t)mz->addr & 4095) == 0, "misaligned");
	rte_memzone_free(mz);
	mz = rte_memzone_reserve_bounded_contig("mz_contig", 4096, SOCKET_ID_ANY, 0, 64, 8192);
	TEST_ASSERT_NOT_NULL(mz, "bounded contiguous zone failed");
	rte_memzone_free(mz);
	/* a big contiguous zone may be refused, but it must be refused fast */
	t0 = rte_get_timer_cycles();
	mz = rte_memzone_reserve("mz_contig16", 16 << 20, SOCKET_ID_ANY, RTE_MEMZONE_IOVA_CONTIG);
	printf("16 MiB IOVA-contiguous zone: %s in %.3f ms\n", mz ? "reserved" : "refused",
			(double)(rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz());
	if (mz != NULL) {
		TEST_ASSERT(rte_mem_is_iova_contig(mz->addr, mz->len) == 1, "not contiguous");
		rte_memzone_free(mz);
	}
	TEST_ASSERT_SUCCESS(malloc_heap_check_all(), "heap corrupt");
	return TEST_SUCCESS;
}

static int
test_memzone_dump(void)
{
	const struct rte_memzone *mz = rte_memzone_reserve("mz_dump", 5000, SOCKET_ID_ANY, 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	TEST_ASSERT_NOT_NULL(mz, "reserve failed");
	f = open_memstream(&buf, &len);
	TEST_ASSERT_NOT_NULL(f, "no memstream");
	rte_memzone_dump(f);
	fclose(f);
	TEST_ASSERT(strstr(buf, "mz_dump") != NULL, "dump misses the zone");
	TEST_ASSERT(strstr(buf, "iova") != NULL, "dump misses the pages");
	free(buf);
	rte_memzone_free(mz);
	return TEST_SUCCESS;
}

static int
memzone_setup(void)
{
	if (!test_have_hugepages())
		return test_hugepages_missing("memzone_autotest needs hugepages");
	return TEST_SUCCESS;
}

static struct unit_test_suite memzone_suite = {
	.suite_name = "memzone",
	.setup = memzone_setup,
	.unit_test_cases = {
		TEST_CASE(test_memzone_basic),
		TEST_CASE(test_memzone_free),
		TEST_CASE(test_memzone_bad_input),
		TEST_CASE(test_memzone_flags),
		TEST_CASE(test_memzone_aligned),
		TEST_CASE(test_memzone_bounded),
		TEST_CASE(test_memzone_reserve_max),
		TEST_CASE(test_memzone_contig),
		TEST_CASE(test_memzone_dump),
		TEST_CASES_END()
	}
};

static int
test_memzone(void)
{
	return unit_test_suite_runner(&memzone_suite);
}

REGISTER_FAST_TEST(memzone_autotest, NOHUGE_SKIP, ASAN_OK, test_memzone);
