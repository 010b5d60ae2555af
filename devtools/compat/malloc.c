/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Source-compatibility probe for rte_malloc.h (see eal_lcore.c):
 * alignment and size results of every allocation form, realloc
 * contents, statistics relations and external heaps with each
 * documented error. Pointers are never printed, only NULL/non-NULL,
 * alignment booleans and errno names.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memory.h>

#include "compat.h"

#define RESULT(what, call) do { \
	int r_; \
	rte_errno = 0; \
	r_ = (call); \
	printf("%s: %d", what, r_); \
	if (r_ < 0) \
		printf(" errno %s", errname(rte_errno)); \
	printf("\n"); \
} while (0)

/* print whether an allocation succeeded (no errno is documented); free it */
#define ALLOC(what, call) do { \
	void *p_; \
	p_ = (call); \
	printf("%s: %s\n", what, p_ != NULL ? "ok" : "NULL"); \
	rte_free(p_); \
} while (0)

/* a result whose rte_errno is not documented */
#define RET(what, call) printf("%s: %d\n", what, (call))

static int
all_zero(const void *p, size_t len)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (c[i] != 0)
			return 0;
	return 1;
}

static volatile size_t wrap_num = SIZE_MAX / 4 + 3;

static void
alignments(void)
{
	size_t align, sz = 0;
	void *p;
	int aligned;

	for (align = 0; align <= 4096; align = align ? align * 2 : 1) {
		size_t want = align > RTE_CACHE_LINE_SIZE ? align : RTE_CACHE_LINE_SIZE;

		p = rte_malloc("compat", 100, align);
		aligned = p != NULL && ((uintptr_t)p % want) == 0;
		printf("rte_malloc(100, %zu): %s aligned %d", align, p ? "ok" : "NULL", aligned);
		if (p != NULL) {
			printf(" validate %d", rte_malloc_validate(p, &sz));
			printf(" size >= 100 %d", sz >= 100);
		}
		printf("\n");
		rte_free(p);
		p = rte_zmalloc_socket("compat", 300, align, SOCKET_ID_ANY);
		printf("rte_zmalloc_socket(300, %zu, any): aligned %d zero %d\n", align,
		       p != NULL && ((uintptr_t)p % want) == 0, p != NULL && all_zero(p, 300));
		rte_free(p);
		p = rte_calloc_socket("compat", 7, 33, align, 0);
		printf("rte_calloc_socket(7, 33, %zu, 0): aligned %d zero %d\n", align,
		       p != NULL && ((uintptr_t)p % want) == 0, p != NULL && all_zero(p, 231));
		rte_free(p);
	}
	ALLOC("rte_malloc(0)", rte_malloc("compat", 0, 0));
	ALLOC("rte_malloc(NULL type)", rte_malloc(NULL, 10, 0));
	ALLOC("rte_zmalloc(0)", rte_zmalloc("compat", 0, 0));
	ALLOC("rte_calloc(0, 8)", rte_calloc("compat", 0, 8, 0));
	ALLOC("rte_malloc(align 3)", rte_malloc("compat", 10, 3));
	ALLOC("rte_malloc(align 48)", rte_malloc("compat", 10, 48));
	ALLOC("rte_zmalloc(align 100)", rte_zmalloc("compat", 10, 100));
	ALLOC("rte_malloc_socket(socket 0)", rte_malloc_socket("compat", 10, 0, 0));
	ALLOC("rte_malloc_socket(socket any)", rte_malloc_socket("compat", 10, 0, SOCKET_ID_ANY));
	ALLOC("rte_malloc_socket(socket -2)", rte_malloc_socket("compat", 10, 0, -2));
	ALLOC("rte_malloc_socket(socket 9999)", rte_malloc_socket("compat", 10, 0, 9999));
	ALLOC("rte_zmalloc_socket(socket 9999)", rte_zmalloc_socket("compat", 10, 0, 9999));
	ALLOC("rte_calloc_socket(socket -2)", rte_calloc_socket("compat", 1, 10, 0, -2));
	/* num * size wraps to 8 */
	p = rte_calloc("compat", wrap_num, 4, 0);
	printf("rte_calloc overflow: %s\n", p != NULL ? "ok" : "NULL");
	rte_free(p);
	RET("rte_malloc_validate(NULL)", rte_malloc_validate(NULL, NULL));
	rte_free(NULL);
	printf("rte_free(NULL): ok\n");
}

static void
reallocs(void)
{
	unsigned char *p, *q;
	size_t sz = 0, i;
	int same;

	p = rte_malloc("compat", 1000, 0);
	for (i = 0; i < 1000; i++)
		p[i] = (unsigned char)i;
	q = rte_realloc(p, 100000, 0);
	same = q != NULL;
	for (i = 0; q != NULL && i < 1000; i++)
		same &= q[i] == (unsigned char)i;
	printf("realloc grow: %s keeps contents %d", q ? "ok" : "NULL", same);
	if (q != NULL) {
		rte_malloc_validate(q, &sz);
		printf(" size >= 100000 %d", sz >= 100000);
		p = q;
	}
	printf("\n");
	q = rte_realloc(p, 500, 0);
	same = q != NULL;
	for (i = 0; q != NULL && i < 500; i++)
		same &= q[i] == (unsigned char)i;
	printf("realloc shrink: %s keeps contents %d\n", q ? "ok" : "NULL", same);
	if (q != NULL)
		p = q;
	q = rte_realloc(p, 600, 4096);
	same = q != NULL && ((uintptr_t)q % 4096) == 0;
	for (i = 0; q != NULL && i < 500; i++)
		same &= q[i] == (unsigned char)i;
	printf("realloc align 4096: %s aligned+contents %d\n", q ? "ok" : "NULL", same);
	if (q != NULL)
		p = q;
	q = rte_realloc_socket(p, 700, 0, 0);
	printf("realloc_socket(socket 0): %s\n", q ? "ok" : "NULL");
	if (q != NULL)
		p = q;
	q = rte_realloc(p, 800, 3);
	printf("realloc align 3: %s\n", q ? "ok" : "NULL");
	if (q != NULL)
		p = q;
	q = rte_realloc_socket(p, 800, 0, 9999);
	printf("realloc_socket(socket 9999): %s\n", q ? "ok" : "NULL");
	if (q != NULL)
		p = q;
	rte_free(p);
	q = rte_realloc(NULL, 100, 0);
	printf("realloc(NULL, 100): %s\n", q ? "ok" : "NULL");
	p = rte_realloc(q, 0, 0);
	printf("realloc(p, 0): %s\n", p ? "ok" : "NULL");
	rte_free(p);
}

static void
stats(void)
{
	struct rte_malloc_socket_stats a, b;
	void *p;

	RESULT("get_socket_stats(0)", rte_malloc_get_socket_stats(0, &a));
	p = rte_malloc("compat", 5000, 0);
	RESULT("get_socket_stats(0) again", rte_malloc_get_socket_stats(0, &b));
	printf("alloc_count up by one: %d\n", b.alloc_count == a.alloc_count + 1);
	printf("allocated bytes up by >= 5000: %d\n",
	       b.heap_allocsz_bytes >= a.heap_allocsz_bytes + 5000);
	printf("total == alloc + free: %d\n",
	       b.heap_totalsz_bytes == b.heap_allocsz_bytes + b.heap_freesz_bytes);
	printf("greatest free <= free: %d\n", b.greatest_free_size <= b.heap_freesz_bytes);
	printf("free_count > 0 or free == 0: %d\n",
	       b.free_count > 0 || b.heap_freesz_bytes == 0);
	rte_free(p);
	RESULT("get_socket_stats(0) after free", rte_malloc_get_socket_stats(0, &b));
	printf("alloc_count back: %d\n", b.alloc_count == a.alloc_count);
	RET("get_socket_stats(-2)", rte_malloc_get_socket_stats(-2, &b));
	RET("get_socket_stats(-1)", rte_malloc_get_socket_stats(-1, &b));
	RET("get_socket_stats(9999)", rte_malloc_get_socket_stats(9999, &b));
}

/* create heaps until the table is full: ENOSPC, then remove them all */
static void
heaps_full(void)
{
	char name[16];
	int n, i, ret;

	for (n = 0; n < 1000; n++) {
		snprintf(name, sizeof(name), "full%d", n);
		rte_errno = 0;
		ret = rte_malloc_heap_create(name);
		if (ret != 0)
			break;
	}
	printf("heap_create until full: %d created, then %d errno %s\n", n, ret,
	       errname(rte_errno));
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "full%d", i);
		if (rte_malloc_heap_destroy(name) != 0)
			printf("heap_destroy(%s) failed\n", name);
	}
	RESULT("heap_create after destroying all", rte_malloc_heap_create("again"));
	RESULT("heap_destroy(again)", rte_malloc_heap_destroy("again"));
}

static void
heaps(void)
{
	const size_t pg = 4096, len = 256 * 4096;
	char name31[32], name40[41];
	rte_iova_t iovas[256];
	struct rte_malloc_socket_stats st;
	int sock;
	char *va;
	void *p;
	unsigned int i;

	memset(name31, 'h', 31);
	name31[31] = '\0';
	memset(name40, 'h', 40);
	name40[40] = '\0';
	for (i = 0; i < RTE_DIM(iovas); i++)
		iovas[i] = (rte_iova_t)(0x200000000ull + i * pg);

	RESULT("heap_create(NULL)", rte_malloc_heap_create(NULL));
	RESULT("heap_create(\"\")", rte_malloc_heap_create(""));
	RESULT("heap_create(40 chars)", rte_malloc_heap_create(name40));
	RESULT("heap_create(socket_0)", rte_malloc_heap_create("socket_0"));
	RESULT("heap_create(31 chars)", rte_malloc_heap_create(name31));
	RESULT("heap_destroy(31 chars)", rte_malloc_heap_destroy(name31));
	RESULT("heap_create(ext)", rte_malloc_heap_create("ext"));
	RESULT("heap_create(ext) again", rte_malloc_heap_create("ext"));

	rte_errno = 0;
	sock = rte_malloc_heap_get_socket("ext");
	printf("heap_get_socket(ext) >= RTE_MAX_NUMA_NODES: %d\n", sock >= RTE_MAX_NUMA_NODES);
	RESULT("heap_get_socket(nope)", rte_malloc_heap_get_socket("nope"));
	RESULT("heap_get_socket(NULL)", rte_malloc_heap_get_socket(NULL));
	RESULT("heap_get_socket(\"\")", rte_malloc_heap_get_socket(""));
	RESULT("heap_get_socket(40 chars)", rte_malloc_heap_get_socket(name40));
	RESULT("heap_get_socket(socket_0)", rte_malloc_heap_get_socket("socket_0"));
	RET("socket_is_external(ext)", rte_malloc_heap_socket_is_external(sock));
	RET("socket_is_external(0)", rte_malloc_heap_socket_is_external(0));
	RET("socket_is_external(any)", rte_malloc_heap_socket_is_external(SOCKET_ID_ANY));
	RET("socket_is_external(9999)", rte_malloc_heap_socket_is_external(9999));
	RET("socket_is_external(-5)", rte_malloc_heap_socket_is_external(-5));
	ALLOC("malloc on empty ext heap", rte_malloc_socket("compat", 100, 0, sock));

	va = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (va == MAP_FAILED) {
		printf("mmap failed\n");
		return;
	}
	RESULT("memory_add(NULL name)", rte_malloc_heap_memory_add(NULL, va, len, NULL, 0, pg));
	RESULT("memory_add(NULL va)", rte_malloc_heap_memory_add("ext", NULL, len, NULL, 0, pg));
	RESULT("memory_add(len 0)", rte_malloc_heap_memory_add("ext", va, 0, NULL, 0, pg));
	RESULT("memory_add(pgsz 0)", rte_malloc_heap_memory_add("ext", va, len, NULL, 0, 0));
	RESULT("memory_add(pgsz 3000)", rte_malloc_heap_memory_add("ext", va, len, NULL, 0, 3000));
	RESULT("memory_add(unaligned len)", rte_malloc_heap_memory_add("ext", va, len - 1, NULL, 0, pg));
	RESULT("memory_add(unaligned va)", rte_malloc_heap_memory_add("ext", va + 1, pg, NULL, 0, pg));
	RESULT("memory_add(wrong n_pages)", rte_malloc_heap_memory_add("ext", va, len, iovas, 5, pg));
	RESULT("memory_add(\"\")", rte_malloc_heap_memory_add("", va, len, NULL, 0, pg));
	RESULT("memory_add(40 chars)", rte_malloc_heap_memory_add(name40, va, len, NULL, 0, pg));
	RESULT("memory_add(nope)", rte_malloc_heap_memory_add("nope", va, len, NULL, 0, pg));
	RESULT("memory_add(socket_0)", rte_malloc_heap_memory_add("socket_0", va, len, NULL, 0, pg));
	RESULT("memory_add(ext)", rte_malloc_heap_memory_add("ext", va, len, iovas, 256, pg));
	RET("memory_add(ext) again", rte_malloc_heap_memory_add("ext", va, len, iovas, 256, pg));
	RESULT("socket stats(ext)", rte_malloc_get_socket_stats(sock, &st));
	printf("ext heap total == len: %d\n", st.heap_totalsz_bytes == len);
	p = rte_malloc_socket("compat", 1000, 0, sock);
	printf("malloc on ext heap: %s in range %d\n", p ? "ok" : "NULL",
	       (char *)p >= va && (char *)p < va + len);
	printf("ext malloc iova from table: %d\n",
	       p != NULL && rte_malloc_virt2iova(p) == iovas[((char *)p - va) / pg] +
	       (((char *)p - va) % pg));
	ALLOC("malloc too big on ext heap", rte_malloc_socket("compat", 2 * len, 0, sock));
	ALLOC("malloc ext socket via any", rte_malloc_socket("compat", 100, 0, SOCKET_ID_ANY));
	RESULT("heap_destroy(ext) with memory", rte_malloc_heap_destroy("ext"));
	RESULT("memory_remove(ext) busy", rte_malloc_heap_memory_remove("ext", va, len));
	rte_free(p);
	RESULT("memory_remove(NULL)", rte_malloc_heap_memory_remove(NULL, va, len));
	RESULT("memory_remove(NULL va)", rte_malloc_heap_memory_remove("ext", NULL, len));
	RESULT("memory_remove(len 0)", rte_malloc_heap_memory_remove("ext", va, 0));
	RESULT("memory_remove(wrong len)", rte_malloc_heap_memory_remove("ext", va, pg));
	RESULT("memory_remove(nope)", rte_malloc_heap_memory_remove("nope", va, len));
	RESULT("memory_remove(socket_0)", rte_malloc_heap_memory_remove("socket_0", va, len));
	RESULT("memory_remove(ext)", rte_malloc_heap_memory_remove("ext", va, len));
	RESULT("memory_remove(ext) again", rte_malloc_heap_memory_remove("ext", va, len));
	RESULT("memory_add(ext) no iova", rte_malloc_heap_memory_add("ext", va, len, NULL, 0, pg));
	p = rte_malloc_socket("compat", 1000, 0, sock);
	printf("malloc on ext heap without iova: %s iova bad %d\n", p ? "ok" : "NULL",
	       p != NULL && rte_malloc_virt2iova(p) == RTE_BAD_IOVA);
	rte_free(p);
	RESULT("memory_remove(ext) no iova", rte_malloc_heap_memory_remove("ext", va, len));
	RESULT("heap_destroy(NULL)", rte_malloc_heap_destroy(NULL));
	RESULT("heap_destroy(\"\")", rte_malloc_heap_destroy(""));
	RESULT("heap_destroy(40 chars)", rte_malloc_heap_destroy(name40));
	RESULT("heap_destroy(socket_0)", rte_malloc_heap_destroy("socket_0"));
	RESULT("heap_destroy(ext)", rte_malloc_heap_destroy("ext"));
	RESULT("heap_destroy(ext) again", rte_malloc_heap_destroy("ext"));
	RET("socket_is_external(old ext)", rte_malloc_heap_socket_is_external(sock));
	munmap(va, len);
	heaps_full();
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (rte_eal_init(argc, argv) < 0) {
		printf("rte_eal_init failed: %d\n", rte_errno);
		return 1;
	}
	alignments();
	reallocs();
	stats();
	heaps();
	rte_eal_cleanup();
	return 0;
}
