/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Multi-process memory tests on real hugepages (RELIABILITY R3-R5, R10):
 * secondaries see the primary's memory at the same addresses, grow the
 * shared heap through the primary, survive each other's death, and a
 * secondary that cannot follow a change makes it roll back everywhere.
 *
 * The processes meet in a memzone ("mp_test_ctl") holding counters and a
 * table of published blocks; each block is filled with a pattern derived
 * from its seed so that any process can check it.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_memory.h>
#include <rte_random.h>
#include <rte_string_fns.h>

#include "test.h"
#include "test_mp.h"

#include <rte_malloc.h>
#include <rte_memzone.h>

#include "eal_memcfg.h"
#include "malloc_heap.h"
#include "malloc_mp.h"

#define CTL_NAME "mp_test_ctl"
#define MAX_PROCS 5     /* primary + up to 4 secondaries */
#define MP_SETTLE_S 4  /* a resumed secondary catches up within this */
#define MP_BUSY_ACTION "mp_test_busy"
/* the primary's IPC thread is busy this long: past a secondary's wait for its answer */
#define MP_BUSY_S (MP_REQUEST_TIMEOUT_S + 2)
#define CONC_PROCS 4    /* primary + 3 secondaries in the concurrent soak */
#define MAX_BLOCKS 8    /* published blocks per process */
#define SOAK_SLOTS 16   /* live blocks per process in the soak */
#define SOAK_S 20       /* default soak duration, $MP_SOAK_S overrides */
#ifndef MB
#define MB (1024 * 1024)
#endif

struct mp_block {
	void *volatile addr;
	volatile size_t len;
	volatile uint64_t seed;
};

enum { SLOT_EMPTY, SLOT_PUBLISHED, SLOT_RETIRING };

struct soak_slot {
	volatile int32_t state;
	volatile int32_t readers;     /* processes verifying it right now */
	void *addr;
	size_t len;
	uint64_t seed;
};

/* One process's memory as seen after the soak. */
struct soak_view {
	uint64_t walk_segs, walk_addr_hash, walk_hash; /* rte_memseg_walk() */
	uint64_t mapped_segs, mapped_addr_hash;         /* /proc/self/maps */
};

struct soak_proc {
	uint64_t loops, allocs, frees, verifies, max_alloc_ns;
	struct soak_view view;
};

struct mp_ctl {
	volatile int32_t barrier;     /* arrivals, all barriers together */
	volatile int32_t mismatches;  /* blocks that did not read back */
	volatile int32_t failures;    /* allocations that failed */
	volatile int32_t stop;        /* children: finish now */
	volatile int32_t in_alloc[MAX_PROCS]; /* inside rte_malloc() */
	volatile int32_t progress[MAX_PROCS]; /* completed loops per process */
	volatile uint64_t bench_ns;   /* benchmark: total ns of the timed allocations */
	volatile int32_t bench_n;     /* benchmark: timed allocations */
	volatile int32_t late_ok[2];  /* late request: the two growths worked */
	volatile double late_first_s; /* late request: time of the first growth */
	struct mp_block blocks[MAX_PROCS][MAX_BLOCKS];
	struct soak_slot slots[CONC_PROCS][SOAK_SLOTS];
	struct soak_proc soak[CONC_PROCS];
};

static struct mp_ctl *
ctl_lookup(void)
{
	const struct rte_memzone *mz = rte_memzone_lookup(CTL_NAME);

	return mz != NULL ? mz->addr : NULL;
}

static void
fill(void *p, size_t len, uint64_t seed)
{
	uint64_t *w = p;
	uint8_t *t = p;
	size_t i;

	for (i = 0; i < len / 8; i++)
		w[i] = seed * 0x9e3779b97f4a7c15ULL + i;
	for (i = len & ~(size_t)7; i < len; i++)
		t[i] = (uint8_t)(seed + i);
}

/*
 * Blocks of other processes: their allocations are unknown to this
 * process's ASan shadow, so the check must not be instrumented.
 */
__attribute__((no_sanitize_address)) static bool
check(const void *p, size_t len, uint64_t seed)
{
	const uint64_t *w = p;
	const uint8_t *t = p;
	size_t i;

	for (i = 0; i < len / 8; i++)
		if (w[i] != seed * 0x9e3779b97f4a7c15ULL + i)
			return false;
	for (i = len & ~(size_t)7; i < len; i++)
		if (t[i] != (uint8_t)(seed + i))
			return false;
	return true;
}

/* Wait until @p n processes reached barrier number @p k (counted from 1). */
static bool
barrier(struct mp_ctl *c, int n, int k)
{
	double end = now_s() + CHILD_WAIT_S;

	__atomic_fetch_add(&c->barrier, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&c->barrier, __ATOMIC_ACQUIRE) < n * k) {
		if (now_s() > end)
			return false;
		usleep(200);
	}
	return true;
}

static int
child_index(void)
{
	const char *s = getenv("MP_CHILD_INDEX");

	return s != NULL ? atoi(s) : 1;
}

/* ---- the concurrent soak (R3), run by every process ---- */

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * A slot's owner publishes a block (addr, len, seed set, then PUBLISHED);
 * any process may verify it meanwhile. To free it the owner first marks
 * it RETIRING and then waits until no reader is inside: a reader counts
 * itself in before it looks at the state (both sequentially consistent),
 * so either the owner sees the reader or the reader sees RETIRING.
 */
static void
soak_publish(struct soak_slot *sl, void *addr, size_t len, uint64_t seed)
{
	sl->addr = addr;
	sl->len = len;
	sl->seed = seed;
	__atomic_store_n(&sl->state, SLOT_PUBLISHED, __ATOMIC_RELEASE);
}

/* @return false if a reader stayed inside for longer than CHILD_WAIT_S. */
static bool
soak_retire(struct soak_slot *sl)
{
	double end = now_s() + CHILD_WAIT_S;

	__atomic_store_n(&sl->state, SLOT_RETIRING, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&sl->readers, __ATOMIC_SEQ_CST) != 0)
		if (now_s() > end)
			return false;
	return true;
}

/* Verify one block of another process if it is published. @return 1 if checked. */
static int
soak_verify(struct mp_ctl *c, struct soak_slot *sl)
{
	int checked = 0;

	__atomic_fetch_add(&sl->readers, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&sl->state, __ATOMIC_SEQ_CST) == SLOT_PUBLISHED) {
		if (!check(sl->addr, sl->len, sl->seed))
			__atomic_fetch_add(&c->mismatches, 1, __ATOMIC_RELAXED);
		checked = 1;
	}
	__atomic_fetch_sub(&sl->readers, 1, __ATOMIC_RELEASE);
	return checked;
}

/* Log-uniform 1 B - 4 MiB, so that the heap both grows and shrinks. */
static size_t
soak_size(void)
{
	unsigned int e = (unsigned int)rte_rand_max(23);
	size_t len = ((size_t)1 << e) + rte_rand_max((uint64_t)1 << e);

	return RTE_MIN(len, (size_t)4 * MB);
}

/* Replace or fill one of our slots. @return -1 if a reader got stuck. */
static int
soak_step(struct mp_ctl *c, struct soak_proc *me, struct soak_slot *sl)
{
	uint64_t seed, t0, dt;
	size_t len;
	void *p;

	if (__atomic_load_n(&sl->state, __ATOMIC_ACQUIRE) == SLOT_PUBLISHED) {
		if (!soak_retire(sl))
			return -1;
		if (!check(sl->addr, sl->len, sl->seed))
			__atomic_fetch_add(&c->mismatches, 1, __ATOMIC_RELAXED);
		rte_free(sl->addr);
		__atomic_store_n(&sl->state, SLOT_EMPTY, __ATOMIC_RELEASE);
		me->frees++;
		return 0;
	}
	len = soak_size();
	seed = rte_rand();
	t0 = now_ns();
	p = rte_malloc(NULL, len, 1u << rte_rand_max(13));
	dt = now_ns() - t0;
	me->max_alloc_ns = RTE_MAX(me->max_alloc_ns, dt);
	if (p == NULL) {
		__atomic_fetch_add(&c->failures, 1, __ATOMIC_RELAXED);
		return 0;
	}
	fill(p, len, seed);
	soak_publish(sl, p, len, seed);
	me->allocs++;
	return 0;
}

/* Sum of a 64-bit mix of @p v: equal sets give equal sums in any order. */
static uint64_t
mix(uint64_t v)
{
	v += 0x9e3779b97f4a7c15ULL;
	v = (v ^ (v >> 30)) * 0xbf58476d1ce4e5b9ULL;
	v = (v ^ (v >> 27)) * 0x94d049bb133111ebULL;
	return v ^ (v >> 31);
}

static int
walk_hash(const struct rte_memseg_list *msl, const struct rte_memseg *ms, void *arg)
{
	struct soak_view *v = arg;

	if (msl->external)
		return 0;
	v->walk_segs++;
	v->walk_addr_hash += mix((uintptr_t)ms->addr);
	v->walk_hash += mix((uintptr_t)ms->addr ^ mix(ms->iova) ^ mix(ms->len + msl->page_sz));
	return 0;
}

struct list_range {
	uintptr_t start[RTE_MAX_MEMSEG_LISTS], end[RTE_MAX_MEMSEG_LISTS];
	uint64_t page_sz[RTE_MAX_MEMSEG_LISTS];
	int n;
};

static int
list_range(const struct rte_memseg_list *msl, void *arg)
{
	struct list_range *r = arg;

	if (msl->external || r->n == RTE_MAX_MEMSEG_LISTS)
		return 0;
	r->start[r->n] = (uintptr_t)msl->base_va;
	r->end[r->n] = (uintptr_t)msl->base_va + msl->memseg_arr.len * msl->page_sz;
	r->page_sz[r->n++] = msl->page_sz;
	return 0;
}

/*
 * What this process really maps: pages of the memseg lists backed by a
 * shared file mapping (a free slot is an anonymous placeholder).
 */
static int
maps_view(struct soak_view *v)
{
	struct list_range r = { .n = 0 };
	char line[512], perms[8], path[256];
	unsigned long lo, hi;
	uintptr_t a, b, x;
	FILE *f;
	int i;

	rte_memseg_list_walk(list_range, &r);
	f = fopen("/proc/self/maps", "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		path[0] = '\0';
		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %255s", &lo, &hi, perms, path) < 3 ||
		    path[0] != '/' || perms[1] != 'w' || perms[3] != 's')
			continue;
		for (i = 0; i < r.n; i++) {
			a = RTE_MAX((uintptr_t)lo, r.start[i]);
			b = RTE_MIN((uintptr_t)hi, r.end[i]);
			for (x = a; x < b; x += r.page_sz[i]) {
				v->mapped_segs++;
				v->mapped_addr_hash += mix(x);
			}
		}
	}
	fclose(f);
	return 0;
}

/*
 * After quiescence: the memsegs used in the shared lists, and the pages
 * this process maps; a secondary may still be replaying the last frees,
 * so give it MP_SETTLE_S to agree.
 */
static void
soak_views(struct soak_view *v)
{
	double end = now_s() + MP_SETTLE_S;

	do {
		memset(v, 0, sizeof(*v));
		rte_memseg_walk(walk_hash, v);
		if (maps_view(v) != 0)
			return;
		if (v->mapped_segs == v->walk_segs && v->mapped_addr_hash == v->walk_addr_hash)
			return;
		usleep(10000);
	} while (now_s() < end);
}

/*
 * The soak of process @p me among @p nprocs; the one with @p secs > 0
 * tells the others when to stop. @return 0 or -1 (timeout).
 */
static int
run_soak(struct mp_ctl *c, int me, int nprocs, int secs)
{
	struct soak_proc *mine = &c->soak[me];
	double end;
	int i, ret = 0;

	if (!barrier(c, nprocs, 1))
		return -1;
	end = now_s() + secs;
	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE) && ret == 0) {
		if (secs > 0 && now_s() > end)
			__atomic_store_n(&c->stop, 1, __ATOMIC_RELEASE);
		ret = soak_step(c, mine, &c->slots[me][rte_rand_max(SOAK_SLOTS)]);
		i = (int)rte_rand_max(nprocs);
		if (i != me)
			mine->verifies += soak_verify(c, &c->slots[i][rte_rand_max(SOAK_SLOTS)]);
		mine->loops++;
	}
	for (i = 0; i < SOAK_SLOTS && ret == 0; i++)
		if (__atomic_load_n(&c->slots[me][i].state, __ATOMIC_ACQUIRE) == SLOT_PUBLISHED)
			ret = soak_step(c, mine, &c->slots[me][i]);
	if (ret != 0 || !barrier(c, nprocs, 2))
		return -1;
	soak_views(&mine->view);
	return barrier(c, nprocs, 3) ? 0 : -1;
}

/* ---- benchmark: one page of growth ---- */

static size_t growth_size(void);

/*
 * Time @p iters allocations that each make the heap grow (the free that
 * follows gives the page back). @return 0 or -1; adds to c->bench_*.
 */
static int
bench_growth(struct mp_ctl *c, int iters)
{
	uint64_t t0, t1;
	size_t len;
	void *p;
	int i;

	for (i = 0; i < iters; i++) {
		/* 1 MB needs one new 2 MB page unless a big enough hole is free */
		len = growth_size();
		if (len <= 5 * MB)
			len = MB;
		t0 = now_ns();
		p = rte_malloc(NULL, len, 0);
		t1 = now_ns();
		if (p == NULL)
			return -1;
		rte_free(p);
		c->bench_ns += t1 - t0;
		c->bench_n++;
	}
	return 0;
}

/* ---- child roles ---- */

/* Check the primary's block, then publish one of ours for the primary. */
static int
child_verify(struct mp_ctl *c)
{
	struct mp_block *p = &c->blocks[0][0], *mine = &c->blocks[1][0];

	if (p->len == 0 || !check(p->addr, p->len, p->seed)) {
		printf("secondary: the primary's block at %p does not read back\n", p->addr);
		return TEST_FAILED;
	}
	mine->seed = 0x5ec0dULL;
	mine->addr = rte_malloc(NULL, 5 * MB, 64);
	if (mine->addr == NULL) {
		printf("secondary: cannot allocate 5 MB: %s\n", rte_strerror(rte_errno));
		return TEST_FAILED;
	}
	fill(mine->addr, 5 * MB, mine->seed);
	mine->len = 5 * MB;
	return TEST_SUCCESS;
}

/* Allocate and free 4-8 MB blocks until told to stop. */
static int
child_grow_loop(struct mp_ctl *c, int me)
{
	/* the primary says when to stop; this only bounds an orphan's life */
	double end = now_s() + 30 * CHILD_WAIT_S;
	bool said = false;
	size_t len;
	void *p;

	while (!c->stop && now_s() < end) {
		len = (4 + rte_rand_max(5)) * MB;
		c->in_alloc[me] = 1;
		p = rte_malloc(NULL, len, 0);
		c->in_alloc[me] = 0;
		if (p == NULL) {
			__atomic_fetch_add(&c->failures, 1, __ATOMIC_RELAXED);
			usleep(1000);
			continue;
		}
		fill(p, 4096, me);
		if (!check(p, 4096, me))
			__atomic_fetch_add(&c->mismatches, 1, __ATOMIC_RELAXED);
		rte_free(p);
		__atomic_fetch_add(&c->progress[me], 1, __ATOMIC_RELEASE);
		/* the heap lock is not fair: leave the others a window */
		usleep(500 + (useconds_t)rte_rand_max(1500));
		if (!said) {
			said = true;
			if (child_say_ready() != 0)
				return TEST_FAILED;
		}
	}
	return c->stop ? TEST_SUCCESS : TEST_FAILED;
}

/* Stay attached until told to stop, then check the primary's block. */
static int
child_idle(struct mp_ctl *c)
{
	double end = now_s() + 4 * CHILD_WAIT_S;
	struct mp_block *p = &c->blocks[0][0];

	if (child_say_ready() != 0)
		return TEST_FAILED;
	/* the primary may stop us now: our ready request is complete */
	__atomic_store_n(&c->progress[child_index()], 1, __ATOMIC_RELEASE);
	while (!c->stop && now_s() < end)
		usleep(1000);
	if (p->len != 0 && !check(p->addr, p->len, p->seed)) {
		printf("secondary: the primary's block at %p does not read back\n", p->addr);
		return TEST_FAILED;
	}
	return c->stop ? TEST_SUCCESS : TEST_FAILED;
}

/*
 * Keep the primary's IPC thread busy for longer than our request timeout,
 * then grow: the request waits in the primary's socket until after we gave
 * up on it and asked again.
 */
static int
child_late_request(struct mp_ctl *c)
{
	struct rte_mp_msg m;
	double t0;
	void *p;
	int i;

	memset(&m, 0, sizeof(m));
	strlcpy(m.name, MP_BUSY_ACTION, sizeof(m.name));
	if (rte_mp_sendmsg(&m) != 0)
		return TEST_FAILED;
	for (i = 0; i < 2; i++) {
		t0 = now_s();
		p = rte_malloc(NULL, growth_size(), 0);
		if (i == 0)
			c->late_first_s = now_s() - t0;
		c->late_ok[i] = p != NULL;
		rte_free(p);
	}
	return TEST_SUCCESS;
}

int
mp_mem_child(const char *role)
{
	struct mp_ctl *c = ctl_lookup();
	int me = child_index();

	if (c == NULL || me <= 0 || me >= MAX_PROCS) {
		printf("secondary: no control memzone or bad index %d\n", me);
		return TEST_FAILED;
	}
	if (strcmp(role, "mem_verify") == 0)
		return child_verify(c);
	if (strcmp(role, "mem_soak") == 0)
		return me < CONC_PROCS && run_soak(c, me, CONC_PROCS, 0) == 0 ? TEST_SUCCESS :
			TEST_FAILED;
	if (strcmp(role, "mem_grow_loop") == 0)
		return child_grow_loop(c, me);
	if (strcmp(role, "mem_idle") == 0)
		return child_idle(c);
	if (strcmp(role, "mem_late_request") == 0)
		return child_late_request(c);
	if (strcmp(role, "mem_bench") == 0)
		return bench_growth(c, atoi(getenv("MP_ROUNDS"))) == 0 ? TEST_SUCCESS :
			TEST_FAILED;
	printf("unknown memory role '%s'\n", role);
	return TEST_FAILED;
}

/* ---- primary side ---- */

static struct mp_ctl *ctl;

static pid_t
spawn_indexed(const char *role, int index)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%d", index);
	setenv("MP_CHILD_INDEX", buf, 1);
	return spawn_child(role, "secondary", NULL, NULL);
}

static int
count_seg(const struct rte_memseg_list *msl __rte_unused, const struct rte_memseg *ms __rte_unused,
		void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static int
used_segs(void)
{
	int n = 0;

	rte_memseg_walk(count_seg, &n);
	return n;
}

/* Bytes that make the heap grow: more than its biggest free element. */
static size_t
growth_size(void)
{
	struct rte_malloc_socket_stats st;

	if (rte_malloc_get_socket_stats((int)rte_socket_id(), &st) != 0)
		return 16 * MB;
	return RTE_ALIGN_CEIL(st.greatest_free_size + 4 * MB, MB);
}

static int
test_secondary_attach(void)
{
	struct mp_block *p = &ctl->blocks[0][0], *s = &ctl->blocks[1][0];
	pid_t pid;

	p->seed = 0xfeedULL;
	p->addr = rte_malloc(NULL, growth_size(), 64);
	TEST_ASSERT_NOT_NULL(p->addr, "primary cannot grow its heap");
	p->len = 3 * MB;
	fill(p->addr, p->len, p->seed);
	pid = spawn_indexed("mem_verify", 1);
	TEST_ASSERT_EQUAL(wait_child(pid, CHILD_WAIT_S), 0, "secondary failed");
	TEST_ASSERT(s->len == 5 * MB && check(s->addr, s->len, s->seed),
		"the secondary's block at %p does not read back here", s->addr);
	TEST_ASSERT(check(p->addr, p->len, p->seed), "secondary exit damaged our block");
	rte_free(s->addr);
	rte_free(p->addr);
	memset(ctl->blocks, 0, sizeof(ctl->blocks));
	return TEST_SUCCESS;
}

static int
soak_seconds(void)
{
	const char *s = getenv("MP_SOAK_S");
	int n = s != NULL ? atoi(s) : SOAK_S;

	return n > 0 ? n : SOAK_S;
}

/* Every process's view of the memsegs equals the primary's. */
static int
check_views(void)
{
	const struct soak_view *p = &ctl->soak[0].view, *v;
	int i;

	for (i = 0; i < CONC_PROCS; i++) {
		v = &ctl->soak[i].view;
		printf("process %d: %" PRIu64 " used memsegs, %" PRIu64 " pages mapped\n", i,
			v->walk_segs, v->mapped_segs);
		TEST_ASSERT(v->mapped_segs == v->walk_segs &&
			v->mapped_addr_hash == v->walk_addr_hash,
			"process %d maps %" PRIu64 " pages, the memseg lists say %" PRIu64, i,
			v->mapped_segs, v->walk_segs);
		TEST_ASSERT(v->walk_segs == p->walk_segs && v->walk_hash == p->walk_hash,
			"process %d sees other memsegs than the primary", i);
	}
	return TEST_SUCCESS;
}

/*
 * R3: primary and 3 secondaries allocate (1 B - 4 MiB, so the heap grows
 * and shrinks), publish and free blocks for $MP_SOAK_S seconds, each
 * verifying the others' live blocks at the same addresses meanwhile.
 */
static int
test_concurrent_soak(void)
{
	const int secs = soak_seconds();
	struct rte_malloc_socket_stats before, after;
	uint64_t allocs = 0, frees = 0, verifies = 0, loops = 0, worst = 0;
	pid_t pids[CONC_PROCS];
	int i, ret = TEST_SUCCESS;
	double t0;

	malloc_lcore_cache_flush();
	rte_malloc_get_socket_stats((int)rte_socket_id(), &before);
	ctl->barrier = 0;
	ctl->stop = 0;
	ctl->mismatches = 0;
	ctl->failures = 0;
	memset(ctl->slots, 0, sizeof(ctl->slots));
	memset(ctl->soak, 0, sizeof(ctl->soak));
	for (i = 1; i < CONC_PROCS; i++)
		pids[i] = spawn_indexed("mem_soak", i);
	t0 = now_s();
	if (run_soak(ctl, 0, CONC_PROCS, secs) != 0) {
		printf("primary: a barrier timed out or a reader got stuck\n");
		ret = TEST_FAILED;
	}
	for (i = 1; i < CONC_PROCS; i++)
		if (wait_child(pids[i], CHILD_WAIT_S + 2 * MP_SETTLE_S) != 0)
			ret = TEST_FAILED;
	for (i = 0; i < CONC_PROCS; i++) {
		allocs += ctl->soak[i].allocs;
		frees += ctl->soak[i].frees;
		verifies += ctl->soak[i].verifies;
		loops += ctl->soak[i].loops;
		worst = RTE_MAX(worst, ctl->soak[i].max_alloc_ns);
	}
	printf("%d processes, %.1f s: %" PRIu64 " loops, %" PRIu64 " allocations, %" PRIu64
		" frees, %" PRIu64 " cross-process checks; slowest allocation %.3f s; "
		"%d mismatches, %d failed allocations\n", CONC_PROCS, now_s() - t0, loops,
		allocs, frees, verifies, worst / 1e9, ctl->mismatches, ctl->failures);
	TEST_ASSERT_EQUAL(ret, TEST_SUCCESS, "a process of the soak failed");
	TEST_ASSERT_EQUAL(ctl->mismatches, 0, "blocks read back wrong in another process");
	TEST_ASSERT_EQUAL(ctl->failures, 0, "allocations failed (IPC timeouts?)");
	TEST_ASSERT(allocs > 0 && allocs == frees, "%" PRIu64 " allocations, %" PRIu64 " frees",
		allocs, frees);
	TEST_ASSERT(verifies > 0, "no block was checked by another process");
	/* our own parked blocks count as allocated: give them back first */
	malloc_lcore_cache_flush();
	rte_malloc_get_socket_stats((int)rte_socket_id(), &after);
	printf("heap: %u blocks / %zu bytes allocated before, %u / %zu after\n",
		before.alloc_count, before.heap_allocsz_bytes, after.alloc_count,
		after.heap_allocsz_bytes);
	/* exited secondaries give back what their lcore caches held */
	TEST_ASSERT(after.alloc_count <= before.alloc_count,
		"%u blocks left allocated by the soak", after.alloc_count - before.alloc_count);
	return check_views();
}

static volatile int victim_growing;

/*
 * The primary maps pages for a secondary on its IPC thread: if only the
 * victim is allocating, this growth is the victim's, and the victim is
 * blocked in the middle of it, holding the heap and hotplug locks.
 */
static void
growth_event(enum rte_mem_event type, const void *addr __rte_unused,
		size_t len __rte_unused, void *arg __rte_unused)
{
	if (type == RTE_MEM_EVENT_ALLOC && ctl != NULL && ctl->in_alloc[2] && !ctl->in_alloc[1])
		victim_growing = 1;
}

/* Wait until the victim is in the middle of a growth. @return true if seen. */
static bool
wait_victim_growing(void)
{
	victim_growing = 0;
	return wait_for(&victim_growing, 1, 2);
}

static pid_t kill_test_pids[2]; /* survivor, current victim */

/* kill -9 of a growing secondary; @return the worst recovery time or -1. */
static double
mp_kill_during_growth(int iterations)
{
	double worst = 0, t0, dt;
	pid_t survivor, victim;
	int32_t seen;
	void *p;
	int i;

	int first = ready_count;

	ctl->stop = 0;
	survivor = spawn_indexed("mem_grow_loop", 1);
	kill_test_pids[0] = survivor;
	if (!wait_for(&ready_count, first + 1, CHILD_WAIT_S)) {
		printf("the first growing secondary never allocated (%d failures)\n",
			ctl->failures);
		goto err;
	}
	for (i = 0; i < iterations; i++) {
		int before = ready_count;

		victim = spawn_indexed("mem_grow_loop", 2);
		kill_test_pids[1] = victim;
		if (!wait_for(&ready_count, before + 1, CHILD_WAIT_S)) {
			printf("iteration %d: the victim never allocated (%d failures)\n", i,
				ctl->failures);
			goto err;
		}
		usleep((useconds_t)rte_rand_max(50000));
		if (!wait_victim_growing())
			printf("iteration %d: no growth of the victim seen, killed anyway\n", i);
		kill(victim, SIGKILL);
		waitpid(victim, NULL, 0);
		t0 = now_s();
		seen = ctl->progress[1];
		p = rte_malloc(NULL, growth_size(), 0);
		if (p == NULL) {
			printf("iteration %d: the primary cannot allocate after the kill\n", i);
			goto err;
		}
		rte_free(p);
		while (ctl->progress[1] == seen && now_s() - t0 < MP_RECOVERY_S)
			usleep(1000);
		dt = now_s() - t0;
		if (ctl->progress[1] == seen) {
			printf("iteration %d: the other secondary is stuck (%d failed "
				"allocations so far; hotplug lock writer %d state %d, heap lock %d, "
				"survivor %d victim %d in_alloc %d stop %d)\n", i, ctl->failures,
				eal_get_mcfg()->memory_hotplug_lock.writer,
				eal_get_mcfg()->memory_hotplug_lock.wstate,
				eal_get_mcfg()->malloc_heaps[0].lock.locked, (int)survivor,
				(int)victim, ctl->in_alloc[1], ctl->stop);
			goto err;
		}
		worst = RTE_MAX(worst, dt);
	}
	ctl->stop = 1;
	if (wait_child(survivor, CHILD_WAIT_S) != 0)
		return -1;
	return worst;
err:
	ctl->stop = 1;
	{
		int st, r = waitpid(survivor, &st, WNOHANG);

		printf("survivor: %s\n", r == 0 ? "still running" : WIFSIGNALED(st) ?
			strsignal(WTERMSIG(st)) : "exited");
	}
	wait_child(survivor, CHILD_WAIT_S);
	return -1;
}

/* What the watchdog prints: the locks and the secondaries of the kill test. */
static void
dump_kill_test(void)
{
	struct rte_mem_config *m = eal_get_mcfg();
	int i;

	dump_hotplug_lock();
	printf("heap lock of socket 0: %d\n", m->malloc_heaps[0].lock.locked);
	for (i = 0; i < EAL_MAX_PROCS; i++)
		if (m->proc_slot_pid[i] != 0 && m->mp_waiting[i] != 0)
			printf("slot %d (pid %d) waits for heap request %#" PRIx64 "\n", i,
				m->proc_slot_pid[i], m->mp_waiting[i]);
	for (i = 0; i < 2; i++) {
		printf("%s %d:\n", i == 0 ? "survivor" : "victim", (int)kill_test_pids[i]);
		test_dump_process(kill_test_pids[i]);
	}
}

static volatile int heap_lock_owner;

/* Validators run during growth with the heap lock held: see its word. */
static int
probe_validator(int socket_id __rte_unused, size_t cur_limit __rte_unused,
		size_t new_len __rte_unused)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	int i;

	for (i = 0; i < RTE_MAX_HEAPS; i++)
		if (mcfg->malloc_heaps[i].lock.locked > 1)
			heap_lock_owner = mcfg->malloc_heaps[i].lock.locked;
	return 0;
}

/*
 * @return true if heap locks carry their owner's pid, i.e. a process killed
 * while holding one can be recovered (eal_shared_spinlock_lock()).
 */
static bool
mp_heap_locks_robust(void)
{
	void *p;

	heap_lock_owner = 0;
	if (rte_mem_alloc_validator_register("mp_test_probe", probe_validator,
			(int)rte_socket_id(), 0) != 0)
		return false;
	p = rte_malloc(NULL, growth_size(), 0);
	rte_free(p);
	rte_mem_alloc_validator_unregister("mp_test_probe", (int)rte_socket_id());
	return heap_lock_owner == getpid();
}

int
mp_kill_test(int n)
{
	double worst;

	/* a process killed while holding a plain spinlock could not be recovered */
	TEST_ASSERT(mp_heap_locks_robust(), "heap->lock does not carry its owner's pid");
	/* a kill recovers in well under a second; a wedged primary would hang */
	test_watchdog_arm(120 + 2 * (unsigned int)n, "kill -9 during growth: the primary",
		dump_kill_test);
	worst = mp_kill_during_growth(n);
	test_watchdog_disarm();

	printf("kill -9 during growth: %d iterations, worst recovery %.3f s\n", n, worst);
	TEST_ASSERT(worst >= 0 && worst < MP_RECOVERY_S, "others did not carry on within %d s",
		MP_RECOVERY_S);
	TEST_ASSERT_EQUAL(ctl->mismatches, 0, "data mismatches");
	return TEST_SUCCESS;
}

static int
test_kill_during_growth(void)
{
	/* MP_KILL_ITERS: CI runs the 200 of RELIABILITY R4 */
	const char *env = getenv("MP_KILL_ITERS");

	return mp_kill_test(env != NULL && atoi(env) > 0 ? atoi(env) : 15);
}

/* Keep the IPC thread busy (see child_late_request()). */
static int
busy_action(const struct rte_mp_msg *msg __rte_unused, const void *peer __rte_unused)
{
	double end = now_s() + MP_BUSY_S;

	while (now_s() < end)
		usleep(10000);
	return 0;
}

/*
 * A request that reaches the primary only after its requester gave up on
 * it, and took the heap and hotplug locks again for a new request, must
 * not be served: the locks it would take over belong to the new request.
 */
static int
test_late_request(void)
{
	const struct eal_shared_rwlock *hp = &eal_get_mcfg()->memory_hotplug_lock;
	pid_t pid;
	int st;

	TEST_ASSERT_SUCCESS(rte_mp_action_register(MP_BUSY_ACTION, busy_action),
		"cannot register the busy action");
	ctl->late_ok[0] = ctl->late_ok[1] = 0;
	pid = spawn_indexed("mem_late_request", 1);
	st = wait_child(pid, MP_BUSY_S + 2 * CHILD_WAIT_S);
	rte_mp_action_unregister(MP_BUSY_ACTION);
	TEST_ASSERT_EQUAL(st, 0, "the secondary failed");
	printf("late request: first growth %s after %.2f s, second %s\n",
		ctl->late_ok[0] ? "worked" : "failed", ctl->late_first_s,
		ctl->late_ok[1] ? "worked" : "failed");
	TEST_ASSERT(!ctl->late_ok[0] && ctl->late_first_s >= MP_REQUEST_TIMEOUT_S - 1,
		"the first growth did not time out behind the busy primary");
	TEST_ASSERT(ctl->late_ok[1], "the second growth failed: the late request took its locks");
	TEST_ASSERT(shared_rwlock_idle(hp), "hotplug lock left with pid %d (state %d)",
		(int)hp->writer, (int)hp->wstate);
	TEST_ASSERT_EQUAL(eal_get_mcfg()->malloc_heaps[0].lock.locked, 0,
		"heap lock left with pid %d", eal_get_mcfg()->malloc_heaps[0].lock.locked);
	return TEST_SUCCESS;
}

/* A secondary that cannot follow makes a primary growth fail and roll back. */
static int
check_rollback(pid_t pid, const char *why, double min_s, double max_s)
{
	int segs = used_segs();
	double t0, dt;
	void *p;

	/*
	 * With blocks parked in this lcore's cache, rte_malloc() flushes them
	 * after a failed growth and grows again: a second sync round, which
	 * first waits for the pending rollback to the stuck peer, so the
	 * failure takes 15 s or more. That is a separate bug; this checks one
	 * growth and its rollback.
	 */
	malloc_lcore_cache_flush();
	t0 = now_s();
	p = rte_malloc(NULL, growth_size(), 0);
	dt = now_s() - t0;
	rte_free(p);
	TEST_ASSERT_NULL(p, "%s: growth succeeded", why);
	TEST_ASSERT(dt >= min_s && dt <= max_s, "%s: failed after %.2f s, want %.0f-%.0f s", why,
		dt, min_s, max_s);
	TEST_ASSERT_EQUAL(used_segs(), segs, "%s: %d pages left mapped after the rollback",
		why, used_segs() - segs);
	printf("%s: growth failed and rolled back in %.2f s\n", why, dt);
	(void)pid;
	return TEST_SUCCESS;
}

static int
check_growth_works(void)
{
	double end = now_s() + 2 * MP_SETTLE_S;
	void *p;

	/* the secondary first works through the rounds queued while it was out */
	while ((p = rte_malloc(NULL, growth_size(), 0)) == NULL && now_s() < end)
		usleep(200000);

	TEST_ASSERT_NOT_NULL(p, "growth fails after the secondary recovered");
	fill(p, MB, 77);
	ctl->blocks[0][0].addr = p;
	ctl->blocks[0][0].len = MB;
	ctl->blocks[0][0].seed = 77;
	return TEST_SUCCESS;
}

static int
finish_idle(pid_t pid)
{
	int st;

	ctl->stop = 1;
	st = wait_child(pid, CHILD_WAIT_S);
	rte_free(ctl->blocks[0][0].addr);
	memset(ctl->blocks, 0, sizeof(ctl->blocks));
	ctl->stop = 0;
	return st;
}

/* @return the state letter of /proc/<pid>/task/<tid>/stat, or 0. */
static char
task_state(pid_t pid, const char *tid)
{
	char path[64], buf[512], *p;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%s/stat", (int)pid, tid);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* "tid (comm) S ...": comm may hold anything, the state follows the last ')' */
	p = strrchr(buf, ')');
	return p != NULL && p[1] == ' ' ? p[2] : 0;
}

/*
 * kill(SIGSTOP) returns once the signal is queued: each thread stops
 * only when it next runs, so on a busy machine the secondary's IPC
 * thread can still answer a sync round for a while. Wait until every
 * thread is in state T. @return true if they all are within @p secs.
 */
static bool
wait_stopped(pid_t pid, double secs)
{
	double end = now_s() + secs;
	char path[64];
	struct dirent *e;
	int running, seen;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	do {
		d = opendir(path);
		if (d == NULL)
			return false;
		running = 0;
		seen = 0;
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			seen++;
			if (task_state(pid, e->d_name) != 'T')
				running++;
		}
		closedir(d);
		if (seen > 0 && running == 0)
			return true;
		usleep(1000);
	} while (now_s() < end);
	return false;
}

static int
test_stopped_secondary(void)
{
	int before = ready_count, ret;
	pid_t pid;

	ctl->stop = 0;
	ctl->progress[1] = 0;
	pid = spawn_indexed("mem_idle", 1);
	TEST_ASSERT(wait_for(&ready_count, before + 1, CHILD_WAIT_S), "secondary not ready");
	TEST_ASSERT(wait_for(&ctl->progress[1], 1, CHILD_WAIT_S), "secondary not settled");
	kill(pid, SIGSTOP);
	if (!wait_stopped(pid, CHILD_WAIT_S)) {
		kill(pid, SIGCONT);
		finish_idle(pid);
		TEST_ASSERT(false, "the secondary's threads did not all stop");
	}
	ret = check_rollback(pid, "stopped secondary", 4, 7);
	kill(pid, SIGCONT);
	usleep(200000);
	if (ret == TEST_SUCCESS)
		ret = check_growth_works();
	TEST_ASSERT_EQUAL(finish_idle(pid), 0, "secondary failed after SIGCONT");
	return ret;
}

/*
 * @return the lowest fd number @p pid does not use, or -1. RLIMIT_NOFILE
 * bounds fd numbers, not their count: with that limit its next open fails
 * even if it has holes higher up.
 */
static int
lowest_free_fd(pid_t pid)
{
	static bool used[4096];
	char path[64];
	struct dirent *e;
	long fd;
	int i;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	if (d == NULL)
		return -1;
	memset(used, 0, sizeof(used));
	while ((e = readdir(d)) != NULL) {
		fd = strtol(e->d_name, NULL, 10);
		if (e->d_name[0] != '.' && fd >= 0 && fd < (long)RTE_DIM(used))
			used[fd] = true;
	}
	closedir(d);
	for (i = 0; i < (int)RTE_DIM(used) && used[i]; i++)
		;
	return i < (int)RTE_DIM(used) ? i : -1;
}

static int
test_secondary_without_fds(void)
{
	struct rlimit old, lim;
	int before = ready_count, ret, n;
	pid_t pid;

	ctl->stop = 0;
	pid = spawn_indexed("mem_idle", 1);
	TEST_ASSERT(wait_for(&ready_count, before + 1, CHILD_WAIT_S), "secondary not ready");
	n = lowest_free_fd(pid);
	TEST_ASSERT(n > 0 && prlimit(pid, RLIMIT_NOFILE, NULL, &old) == 0, "cannot read limits");
	/* only the soft limit: raising it back needs no privilege */
	lim.rlim_cur = (rlim_t)n;
	lim.rlim_max = old.rlim_max;
	TEST_ASSERT_SUCCESS(prlimit(pid, RLIMIT_NOFILE, &lim, NULL), "prlimit: %s",
		strerror(errno));
	ret = check_rollback(pid, "secondary out of fds", 0, 6);
	if (prlimit(pid, RLIMIT_NOFILE, &old, NULL) != 0)
		printf("cannot restore the fd limit: %s\n", strerror(errno));
	if (ret == TEST_SUCCESS)
		ret = check_growth_works();
	TEST_ASSERT_EQUAL(finish_idle(pid), 0, "secondary failed after its limit was lifted");
	return ret;
}

double
mp_bench_growth_us(bool in_secondary, int k_others, int iters)
{
	pid_t others[MAX_PROCS], bench = -1;
	char buf[16];
	int i, before = ready_count, ok = 0;

	ctl->stop = 0;
	ctl->bench_ns = 0;
	ctl->bench_n = 0;
	for (i = 0; i < k_others; i++)
		others[i] = spawn_indexed("mem_idle", i + 1);
	if (!wait_for(&ready_count, before + k_others, CHILD_WAIT_S))
		goto out;
	if (in_secondary) {
		snprintf(buf, sizeof(buf), "%d", iters);
		setenv("MP_ROUNDS", buf, 1);
		bench = spawn_indexed("mem_bench", MAX_PROCS - 1);
		ok = wait_child(bench, 4 * CHILD_WAIT_S) == 0;
	} else {
		ok = bench_growth(ctl, iters) == 0;
	}
out:
	ctl->stop = 1;
	for (i = 0; i < k_others; i++)
		wait_child(others[i], CHILD_WAIT_S);
	ctl->stop = 0;
	if (!ok || ctl->bench_n == 0)
		return -1;
	return ctl->bench_ns / 1000.0 / ctl->bench_n;
}

int
mp_mem_setup(void)
{
	const struct rte_memzone *mz;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return test_not_primary();
	mz = rte_memzone_reserve(CTL_NAME, sizeof(struct mp_ctl), SOCKET_ID_ANY, 0);
	if (mz == NULL) {
		printf("cannot reserve the control memzone: %s\n", rte_strerror(rte_errno));
		return TEST_FAILED;
	}
	ctl = mz->addr;
	memset(ctl, 0, sizeof(*ctl));
	if (mp_ready_register() != 0) {
		rte_memzone_free(mz);
		return TEST_FAILED;
	}
	if (rte_mem_event_callback_register("mp_test_growth", growth_event, NULL) != 0)
		printf("no memory events: kill -9 points will be random\n");
	return TEST_SUCCESS;
}

void
mp_mem_teardown(void)
{
	mp_ready_unregister();
	rte_mem_event_callback_unregister("mp_test_growth", NULL);
	rte_memzone_free(rte_memzone_lookup(CTL_NAME));
	ctl = NULL;
}

static struct unit_test_suite mp_mem_suite = {
	.suite_name = "multi-process memory",
	.setup = mp_mem_setup,
	.teardown = mp_mem_teardown,
	.unit_test_cases = {
		TEST_CASE(test_secondary_attach),
		TEST_CASE(test_kill_during_growth),
		TEST_CASE(test_late_request),
		TEST_CASE(test_stopped_secondary),
		TEST_CASE(test_secondary_without_fds),
		TEST_CASES_END(),
	},
};

static int
test_multiprocess_mem(void)
{
	return unit_test_suite_runner(&mp_mem_suite);
}

/* A process of its own: what the soak leaves in the heap stays out of the others. */
static struct unit_test_suite mp_soak_suite = {
	.suite_name = "multi-process soak",
	.setup = mp_mem_setup,
	.teardown = mp_mem_teardown,
	.unit_test_cases = {
		TEST_CASE(test_concurrent_soak),
		TEST_CASES_END(),
	},
};

static int
test_multiprocess_soak(void)
{
	return unit_test_suite_runner(&mp_soak_suite);
}

/*
 * ASan keeps its shadow per process: a block allocated (unpoisoned) in one
 * process is still poisoned in the others, so checking or freeing it there
 * is reported; the heap's ASan support is single-process.
 */
REGISTER_FAST_TEST(multiprocess_mem_autotest, NOHUGE_SKIP, ASAN_SKIP, test_multiprocess_mem);
REGISTER_FAST_TEST(multiprocess_soak_autotest, NOHUGE_SKIP, ASAN_SKIP, test_multiprocess_soak);
