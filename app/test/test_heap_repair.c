/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Heap repair after a process died holding heap->lock (RELIABILITY R4):
 * the heap is left exactly as a change cut short at a given store would
 * leave it, the lock word is set to a pid that no longer exists, and the
 * next malloc_heap_lock() must take the lock over and give back a heap
 * that passes malloc_heap_check() and serves allocations again.
 *
 * The heap is an external one over private anonymous memory, so that its
 * elements are only the ones each case makes.
 */

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/queue.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>

#include "eal_internal_cfg.h"
#include "eal_memcfg.h"
#include "malloc_elem.h"
#include "malloc_heap.h"
#include "test.h"

#define REPAIR_HEAP "heap_repair_test"
#define REPAIR_LEN (2u << 20)
#define REPAIR_PGSZ 4096u
#define BLOCK (64u << 10)

static void *area;
static struct malloc_heap *heap;
static int heap_socket;
static pid_t dead_pid;

static struct malloc_heap *
find_heap(const char *name)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	int i;

	for (i = 0; i < RTE_MAX_HEAPS; i++)
		if (strcmp(mcfg->malloc_heaps[i].name, name) == 0)
			return &mcfg->malloc_heaps[i];
	return NULL;
}

/* A pid that certainly belongs to no process: a child we reaped. */
static pid_t
reaped_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		return -1;
	return pid;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* "Crash" with the lock held, then take it as the next process would. */
static int
crash_and_recover(void)
{
	double t0;

	heap->lock.locked = (int)dead_pid;
	t0 = now_s();
	malloc_heap_lock(heap);
	malloc_heap_unlock(heap);
	/* RELIABILITY R4: the others carry on within 10 s */
	TEST_ASSERT(now_s() - t0 < 10, "taking over a dead owner's lock took %.2f s",
		now_s() - t0);
	TEST_ASSERT_SUCCESS(malloc_heap_check(heap, 0), "heap still corrupt after the repair");
	return TEST_SUCCESS;
}

/* The free element below the busy block @p busy (the heap has exactly these two). */
static struct malloc_elem *
setup_two(void **busy)
{
	struct malloc_elem *b;

	*busy = rte_malloc_socket(NULL, BLOCK, 0, heap_socket);
	if (*busy == NULL)
		return NULL;
	b = malloc_elem_from_data_unchecked(*busy);
	if (b->prev == NULL || b->prev->state != ELEM_FREE || b->next != NULL)
		return NULL;
	return b->prev;
}

/* Back to one free element; checks that the heap works after a repair. */
static int
check_usable(void *busy)
{
	struct rte_malloc_socket_stats st;
	void *p;

	rte_free(busy);
	TEST_ASSERT_SUCCESS(malloc_heap_check(heap, 0), "heap corrupt after the free");
	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(heap_socket, &st), "no stats");
	TEST_ASSERT_EQUAL(st.alloc_count, 0u, "%u blocks still counted busy", st.alloc_count);
	TEST_ASSERT_EQUAL(st.heap_totalsz_bytes, (size_t)REPAIR_LEN, "heap size 0x%zx",
		st.heap_totalsz_bytes);
	TEST_ASSERT_EQUAL(st.greatest_free_size, (size_t)REPAIR_LEN, "memory lost: biggest "
		"free element 0x%zx", st.greatest_free_size);
	p = rte_zmalloc_socket(NULL, REPAIR_LEN / 2, 0, heap_socket);
	TEST_ASSERT_NOT_NULL(p, "cannot allocate half of the heap after the repair");
	rte_free(p);
	return TEST_SUCCESS;
}

/*
 * Split free @p f in two as elem_split() does, stopping before the lower
 * element links the upper one (@p link false) or just after (true).
 */
static void
half_split(struct malloc_elem *f, bool link)
{
	struct malloc_elem *b = f->next;
	struct malloc_elem *upper = RTE_PTR_ADD(f, RTE_ALIGN_FLOOR(f->size / 2,
		RTE_CACHE_LINE_SIZE));

	malloc_elem_init(upper, heap, f->msl, RTE_PTR_DIFF(b, upper), f->orig_elem,
		f->orig_size);
	upper->prev = f;
	upper->next = b;
	b->prev = upper;
	if (link)
		f->next = upper;
}

/* @p link: see half_split(). Either way the split is undone. */
static int
check_split_cut_short(bool link)
{
	struct malloc_elem *f, *b;
	size_t size;
	void *busy;

	f = setup_two(&busy);
	TEST_ASSERT_NOT_NULL(f, "unexpected heap layout");
	b = f->next;
	size = f->size;
	half_split(f, link);
	if (crash_and_recover() != TEST_SUCCESS)
		return TEST_FAILED;
	/* unlinked: the half-made element is dropped; linked: the halves merge */
	TEST_ASSERT(f->next == b && b->prev == f && f->size == size,
		"split not undone: next %p size 0x%zx", (void *)f->next, f->size);
	return check_usable(busy);
}

static int
test_split_before_link(void)
{
	return check_split_cut_short(false);
}

static int
test_split_before_resize(void)
{
	return check_split_cut_short(true);
}

/* A free that marked the block free and grew its neighbour, then died. */
static int
test_join_before_unlink(void)
{
	struct malloc_elem *f, *b;
	size_t size;
	void *busy;

	f = setup_two(&busy);
	TEST_ASSERT_NOT_NULL(f, "unexpected heap layout");
	b = f->next;
	size = f->size + b->size;
	malloc_elem_free_list_remove(f);
	b->state = ELEM_FREE;
	f->size = size;
	if (crash_and_recover() != TEST_SUCCESS)
		return TEST_FAILED;
	TEST_ASSERT(f->next == NULL && f->size == size && heap->first == f && heap->last == f,
		"join not completed");
	TEST_ASSERT_EQUAL(heap->alloc_count, 0u, "busy count %u", heap->alloc_count);
	/* the block is free now; nothing left to free */
	return check_usable(NULL);
}

/* Free lists and counters half-updated, and free data not zeroed yet. */
static int
test_lists_and_data(void)
{
	struct malloc_elem *f;
	unsigned char *data;
	size_t i, len;
	void *busy;

	f = setup_two(&busy);
	TEST_ASSERT_NOT_NULL(f, "unexpected heap layout");
	malloc_elem_free_list_remove(f);
	heap->alloc_count = 7;
	heap->total_size = 1;
	data = malloc_elem_data(f);
	len = f->size - MALLOC_ELEM_OVERHEAD;
	/* free data is poisoned in ASan builds: the dead owner was writing it */
	malloc_elem_unpoison(data, len);
	memset(data, 0xab, len);
	if (crash_and_recover() != TEST_SUCCESS)
		return TEST_FAILED;
	malloc_elem_unpoison(data, len);
	for (i = 0; i < len && data[i] == 0; i++)
		;
	malloc_elem_poison(data, len);
	TEST_ASSERT_EQUAL(i, len, "free byte %zu is not 0 after the repair", i);
	return check_usable(busy);
}

static int
count_seg(const struct rte_memseg_list *msl __rte_unused,
		const struct rte_memseg *ms __rte_unused, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static int
used_pages(void)
{
	int n = 0;

	rte_memseg_walk(count_seg, &n);
	return n;
}

/*
 * A process freed a block, took its whole pages out of the heap and died
 * before giving them back: the next owner of the lock unmaps them.
 */
static int
test_orphan_pages(void)
{
	int sock = (int)rte_socket_id(), id, before, orphan;
	struct malloc_heap *sh;
	struct malloc_elem *elem;
	uintptr_t start, end;
	size_t pg;
	void *p;

	/* legacy memory (also --no-huge) never gives pages back */
	if (!rte_eal_has_hugepages() || eal_get_internal_configuration()->legacy_mem)
		return test_required_missing("needs a dynamic hugepage heap");
	id = malloc_socket_to_heap_id((unsigned int)(sock < 0 ? 0 : sock));
	TEST_ASSERT(id >= 0, "no heap for socket %d", sock);
	sh = &eal_get_mcfg()->malloc_heaps[id];
	p = rte_malloc_socket(NULL, 7u << 20, 0, sock);
	TEST_ASSERT_NOT_NULL(p, "cannot grow the heap");
	before = used_pages();
	malloc_heap_lock(sh);
	elem = malloc_elem_free(malloc_elem_from_data_unchecked(p));
	sh->alloc_count--;
	pg = elem->msl->page_sz;
	start = RTE_ALIGN_CEIL((uintptr_t)elem + MALLOC_ELEM_MIN_SPLIT, pg);
	end = RTE_ALIGN_FLOOR((uintptr_t)elem + elem->size - MALLOC_ELEM_MIN_SPLIT, pg);
	if (end <= start) {
		malloc_heap_unlock(sh);
		TEST_ASSERT(false, "no whole page inside the freed block");
	}
	malloc_elem_free_list_remove(elem);
	malloc_elem_hide_region(elem, (void *)start, end - start);
	sh->total_size -= end - start;
	orphan = (int)((end - start) / pg);
	/* die here, the pages out of the heap and still mapped */
	sh->lock.locked = (int)dead_pid;
	malloc_heap_lock(sh);
	malloc_heap_unlock(sh);
	TEST_ASSERT_EQUAL(used_pages(), before - orphan, "%d of %d orphan pages still mapped",
		used_pages() - (before - orphan), orphan);
	TEST_ASSERT_SUCCESS(malloc_heap_check(sh, malloc_lcore_cache_count(sh, NULL)),
		"heap corrupt");
	printf("%d orphan pages given back\n", orphan);
	return TEST_SUCCESS;
}

static volatile int waiter_got_lock;

static void *
waiter(void *arg __rte_unused)
{
	malloc_heap_lock(heap);
	waiter_got_lock = 1;
	malloc_heap_unlock(heap);
	return NULL;
}

/*
 * A live owner keeps the lock however long it holds it (a waiter checks
 * it every ~10 ms); once it dies, the waiter takes the lock over.
 */
static int
test_live_owner_kept(void)
{
	int pipefd[2], got_while_alive;
	pthread_t th;
	pid_t child;
	double t0;
	char c;

	TEST_ASSERT_SUCCESS(pipe(pipefd), "pipe: %s", strerror(errno));
	child = fork();
	if (child == 0) {
		close(pipefd[1]);
		/* lives until the parent closes its end */
		while (read(pipefd[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(pipefd[0]);
	TEST_ASSERT(child > 0, "fork: %s", strerror(errno));
	heap->lock.locked = (int)child;
	waiter_got_lock = 0;
	TEST_ASSERT_SUCCESS(pthread_create(&th, NULL, waiter, NULL), "no thread");
	usleep(300000);
	got_while_alive = waiter_got_lock;
	close(pipefd[1]);
	waitpid(child, NULL, 0);
	t0 = now_s();
	while (!waiter_got_lock && now_s() - t0 < 5)
		usleep(1000);
	pthread_join(th, NULL);
	TEST_ASSERT_EQUAL(got_while_alive, 0, "the lock was taken from a live owner");
	TEST_ASSERT_EQUAL(waiter_got_lock, 1, "the owner's death was not noticed");
	printf("dead owner noticed after %.3f s\n", now_s() - t0);
	TEST_ASSERT_SUCCESS(malloc_heap_check(heap, 0), "heap corrupt");
	return TEST_SUCCESS;
}

static int
repair_setup(void)
{
	area = mmap(NULL, REPAIR_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		area = NULL;
		return TEST_FAILED;
	}
	dead_pid = reaped_pid();
	if (dead_pid <= 0 || rte_malloc_heap_create(REPAIR_HEAP) != 0 ||
			rte_malloc_heap_memory_add(REPAIR_HEAP, area, REPAIR_LEN, NULL, 0,
				REPAIR_PGSZ) != 0) {
		printf("cannot set up the test heap: %s\n", rte_strerror(rte_errno));
		return TEST_FAILED;
	}
	heap = find_heap(REPAIR_HEAP);
	heap_socket = rte_malloc_heap_get_socket(REPAIR_HEAP);
	return heap != NULL && heap_socket >= 0 ? TEST_SUCCESS : TEST_FAILED;
}

static void
repair_teardown(void)
{
	if (rte_malloc_heap_memory_remove(REPAIR_HEAP, area, REPAIR_LEN) != 0 ||
			rte_malloc_heap_destroy(REPAIR_HEAP) != 0)
		printf("cannot tear down the test heap: %s\n", rte_strerror(rte_errno));
	if (area != NULL)
		munmap(area, REPAIR_LEN);
	area = NULL;
	heap = NULL;
}

static struct unit_test_suite heap_repair_suite = {
	.suite_name = "heap repair after a dead lock owner",
	.setup = repair_setup,
	.teardown = repair_teardown,
	.unit_test_cases = {
		TEST_CASE(test_split_before_link),
		TEST_CASE(test_split_before_resize),
		TEST_CASE(test_join_before_unlink),
		TEST_CASE(test_lists_and_data),
		TEST_CASE(test_live_owner_kept),
		TEST_CASE(test_orphan_pages),
		TEST_CASES_END(),
	},
};

static int
test_heap_repair(void)
{
	return unit_test_suite_runner(&heap_repair_suite);
}

REGISTER_FAST_TEST(heap_repair_autotest, NOHUGE_OK, ASAN_OK, test_heap_repair);
