/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * External heaps over anonymous memory: argument checks, then the life
 * cycle create -> add memory -> allocate -> remove/destroy refused while
 * busy -> free -> remove -> destroy.
 */

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>

#include "eal_memcfg.h"
#include "malloc_heap.h"
#include "test.h"

#define EXT_HEAP "extmem_test_heap"
#define EXT_LEN (4u << 20)
#define EXT_PGSZ 4096u
#define EXT_PAGES (EXT_LEN / EXT_PGSZ)

static rte_iova_t iovas[EXT_PAGES + 1];

static void *
map_area(void)
{
	void *va = mmap(NULL, EXT_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);

	return va == MAP_FAILED ? NULL : va;
}

#define EXPECT_ERR(call, err) do { \
	rte_errno = 0; \
	TEST_ASSERT((call) < 0, #call " succeeded"); \
	TEST_ASSERT_EQUAL(rte_errno, (err), #call ": rte_errno %d, expected %d", rte_errno, \
			(err)); \
} while (0)

static int
test_invalid_param(void)
{
	char long_name[64];
	const char *names[] = { NULL, "", long_name };
	unsigned int i;
	void *va = map_area();

	TEST_ASSERT_NOT_NULL(va, "mmap failed");
	memset(long_name, 'a', sizeof(long_name) - 11);
	long_name[sizeof(long_name) - 11] = '\0';
	for (i = 0; i < RTE_DIM(names); i++) {
		EXPECT_ERR(rte_malloc_heap_create(names[i]), EINVAL);
		EXPECT_ERR(rte_malloc_heap_destroy(names[i]), EINVAL);
		EXPECT_ERR(rte_malloc_heap_get_socket(names[i]), EINVAL);
		EXPECT_ERR(rte_malloc_heap_memory_add(names[i], va, EXT_LEN, NULL, 0, EXT_PGSZ),
				EINVAL);
		EXPECT_ERR(rte_malloc_heap_memory_remove(names[i], va, EXT_LEN), EINVAL);
		EXPECT_ERR(rte_malloc_heap_memory_attach(names[i], va, EXT_LEN), EINVAL);
		EXPECT_ERR(rte_malloc_heap_memory_detach(names[i], va, EXT_LEN), EINVAL);
	}
	/* a valid name that does not exist */
	EXPECT_ERR(rte_malloc_heap_destroy(EXT_HEAP), ENOENT);
	EXPECT_ERR(rte_malloc_heap_get_socket(EXT_HEAP), ENOENT);
	EXPECT_ERR(rte_malloc_heap_memory_add(EXT_HEAP, va, EXT_LEN, NULL, 0, EXT_PGSZ), ENOENT);
	EXPECT_ERR(rte_malloc_heap_memory_remove(EXT_HEAP, va, EXT_LEN), ENOENT);
	EXPECT_ERR(rte_malloc_heap_memory_attach(EXT_HEAP, va, EXT_LEN), ENOENT);
	EXPECT_ERR(rte_malloc_heap_memory_detach(EXT_HEAP, va, EXT_LEN), ENOENT);

	TEST_ASSERT_SUCCESS(rte_malloc_heap_create(EXT_HEAP), "create failed");
	EXPECT_ERR(rte_malloc_heap_create(EXT_HEAP), EEXIST);
	EXPECT_ERR(rte_malloc_heap_memory_add(EXT_HEAP, va, 0, NULL, 0, EXT_PGSZ), EINVAL);
	EXPECT_ERR(rte_malloc_heap_memory_add(EXT_HEAP, NULL, EXT_LEN, NULL, 0, EXT_PGSZ), EINVAL);
	EXPECT_ERR(rte_malloc_heap_memory_add(EXT_HEAP, va, EXT_LEN, NULL, 0, 0), EINVAL);
	EXPECT_ERR(rte_malloc_heap_memory_add(EXT_HEAP, va, EXT_LEN, NULL, 0, 3000), EINVAL);
	EXPECT_ERR(rte_malloc_heap_memory_add(EXT_HEAP, va, EXT_LEN, iovas, 0, EXT_PGSZ), EINVAL);
	EXPECT_ERR(rte_malloc_heap_memory_add(EXT_HEAP, va, EXT_LEN, iovas, EXT_PAGES - 1,
			EXT_PGSZ), EINVAL);
	EXPECT_ERR(rte_malloc_heap_memory_add(EXT_HEAP, va, EXT_LEN, iovas, EXT_PAGES + 1,
			EXT_PGSZ), EINVAL);
	/* internal heaps are not for these calls */
	EXPECT_ERR(rte_malloc_heap_destroy("socket_0"), EPERM);
	EXPECT_ERR(rte_malloc_heap_memory_add("socket_0", va, EXT_LEN, NULL, 0, EXT_PGSZ), EPERM);
	TEST_ASSERT_EQUAL(rte_malloc_heap_socket_is_external(SOCKET_ID_ANY), 0, "ANY external");
	TEST_ASSERT_EQUAL(rte_malloc_heap_socket_is_external(rte_socket_id_by_idx(0)), 0,
			"socket 0 external");
	TEST_ASSERT_EQUAL(rte_malloc_heap_socket_is_external(9999), -1, "unknown socket known");
	TEST_ASSERT_SUCCESS(rte_malloc_heap_destroy(EXT_HEAP), "destroy failed");
	munmap(va, EXT_LEN);
	return TEST_SUCCESS;
}

static int
test_basic(void)
{
	struct rte_malloc_socket_stats st;
	const struct rte_memzone *mz;
	unsigned int i;
	int socket;
	char *va, *p;

	va = map_area();
	TEST_ASSERT_NOT_NULL(va, "mmap failed");
	for (i = 0; i < EXT_PAGES; i++)
		iovas[i] = 0x100000000ULL + (uint64_t)i * EXT_PGSZ;
	memset(va, 0x77, EXT_LEN);
	TEST_ASSERT_SUCCESS(rte_malloc_heap_create(EXT_HEAP), "create failed");
	socket = rte_malloc_heap_get_socket(EXT_HEAP);
	TEST_ASSERT(socket >= (int)EXTERNAL_HEAP_MIN_SOCKET_ID, "socket id %d", socket);
	TEST_ASSERT_EQUAL(rte_malloc_heap_socket_is_external(socket), 1, "not external");
	TEST_ASSERT_NULL(rte_malloc_socket(NULL, 64, 0, socket), "empty heap gave memory");

	TEST_ASSERT_SUCCESS(rte_malloc_heap_memory_add(EXT_HEAP, va, EXT_LEN, iovas, EXT_PAGES,
			EXT_PGSZ), "memory add failed");
	EXPECT_ERR(rte_malloc_heap_memory_add(EXT_HEAP, va, EXT_LEN, iovas, EXT_PAGES,
			EXT_PGSZ), EEXIST);
	for (i = 0; i < EXT_PAGES; i += 97) {
		struct rte_memseg_list *msl = rte_mem_virt2memseg_list(va + i * EXT_PGSZ);
		struct rte_memseg *ms = rte_mem_virt2memseg(va + i * EXT_PGSZ, msl);

		TEST_ASSERT(msl != NULL && ms != NULL, "page %u unknown", i);
		TEST_ASSERT(ms->addr == va + i * EXT_PGSZ, "page %u addr", i);
		TEST_ASSERT_EQUAL(ms->iova, iovas[i], "page %u iova", i);
	}
	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(socket, &st), "stats failed");
	TEST_ASSERT_EQUAL(st.heap_totalsz_bytes, (size_t)EXT_LEN, "heap size %zu",
			st.heap_totalsz_bytes);

	p = rte_zmalloc_socket(NULL, 100000, 0, socket);
	TEST_ASSERT_NOT_NULL(p, "allocation from the external heap failed");
	TEST_ASSERT(p >= va && p + 100000 <= va + EXT_LEN, "block outside the area");
	for (i = 0; i < 100000; i++)
		TEST_ASSERT(p[i] == 0, "external memory not zeroed");
	TEST_ASSERT_EQUAL(rte_malloc_virt2iova(p), iovas[(p - va) / EXT_PGSZ] +
			((uintptr_t)p % EXT_PGSZ), "virt2iova wrong");
	EXPECT_ERR(rte_malloc_heap_memory_remove(EXT_HEAP, va, EXT_LEN), EBUSY);
	EXPECT_ERR(rte_malloc_heap_destroy(EXT_HEAP), EBUSY);

	mz = rte_memzone_reserve("extmem_mz", 2 * EXT_PGSZ, socket, RTE_MEMZONE_IOVA_CONTIG);
	TEST_ASSERT_NOT_NULL(mz, "contiguous zone on the external heap failed");
	TEST_ASSERT_EQUAL(mz->socket_id, socket, "zone on socket %d", mz->socket_id);
	rte_memzone_dump(stdout);
	rte_malloc_dump_heaps(stdout);
	TEST_ASSERT_SUCCESS(malloc_heap_check_all(), "heap corrupt");
	rte_memzone_free(mz);
	rte_free(p);

	TEST_ASSERT_SUCCESS(rte_malloc_heap_memory_remove(EXT_HEAP, va, EXT_LEN),
			"remove failed");
	TEST_ASSERT_NULL(rte_mem_virt2memseg_list(va), "memory still known after remove");
	TEST_ASSERT_SUCCESS(rte_malloc_heap_destroy(EXT_HEAP), "destroy failed");
	EXPECT_ERR(rte_malloc_heap_get_socket(EXT_HEAP), ENOENT);
	munmap(va, EXT_LEN);
	return TEST_SUCCESS;
}

static int
test_free_foreign_external(void)
{
	char *va = map_area();
	char *p;

	TEST_ASSERT_NOT_NULL(va, "mmap failed");
	TEST_ASSERT_SUCCESS(rte_malloc_heap_create(EXT_HEAP), "create failed");
	TEST_ASSERT_SUCCESS(rte_malloc_heap_memory_add(EXT_HEAP, va, EXT_LEN, NULL, 0, EXT_PGSZ),
			"add failed");
	p = rte_malloc_socket(NULL, 5000, 0, rte_malloc_heap_get_socket(EXT_HEAP));
	TEST_ASSERT_NOT_NULL(p, "allocation failed");
	TEST_ASSERT_EQUAL(rte_malloc_virt2iova(p), RTE_BAD_IOVA, "iova without a table");
	/* interior pointers and double frees inside external memory */
	rte_free(p + 128);
	rte_free(va + 4096);
	rte_free(p);
	rte_free(p);
	TEST_ASSERT_SUCCESS(malloc_heap_check_all(), "heap corrupt");
	TEST_ASSERT_SUCCESS(rte_malloc_heap_memory_remove(EXT_HEAP, va, EXT_LEN), "remove failed");
	TEST_ASSERT_SUCCESS(rte_malloc_heap_destroy(EXT_HEAP), "destroy failed");
	munmap(va, EXT_LEN);
	return TEST_SUCCESS;
}

static struct unit_test_suite external_mem_suite = {
	.suite_name = "external memory",
	.unit_test_cases = {
		TEST_CASE(test_invalid_param),
		TEST_CASE(test_basic),
		TEST_CASE(test_free_foreign_external),
		TEST_CASES_END()
	}
};

static int
test_external_mem(void)
{
	return unit_test_suite_runner(&external_mem_suite);
}

REGISTER_FAST_TEST(external_mem_autotest, NOHUGE_OK, ASAN_OK, test_external_mem);
