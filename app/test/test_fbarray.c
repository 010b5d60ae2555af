/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * rte_fbarray: every documented error, the searches against a plain
 * bool-array model on awkward lengths, and the backing file's life cycle
 * across processes.
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_fbarray.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "eal_internal_cfg.h"
#include "test.h"

/* Call @p call and require -1 (or NULL) with rte_errno @p err. */
#define ASSERT_FAILS(call, err) do { \
	long _r; \
	rte_errno = 0; \
	_r = (long)(uintptr_t)(call); \
	TEST_ASSERT((_r == -1 || _r == 0) && rte_errno == (err), \
		"%s: returned %ld rte_errno %d, expected errno %d", #call, _r, rte_errno, \
		(err)); \
} while (0)

typedef int (find1_t)(struct rte_fbarray *arr, unsigned int start);
typedef int (findn_t)(struct rte_fbarray *arr, unsigned int start, unsigned int n);

/* Single-start searches; "contig" ones return 0 instead of failing. */
static const struct {
	const char *name;
	find1_t *fn;
	bool used;
	bool contig;
} find1[] = {
	{ "next_free", rte_fbarray_find_next_free, false, false },
	{ "next_used", rte_fbarray_find_next_used, true, false },
	{ "prev_free", rte_fbarray_find_prev_free, false, false },
	{ "prev_used", rte_fbarray_find_prev_used, true, false },
	{ "contig_free", rte_fbarray_find_contig_free, false, true },
	{ "contig_used", rte_fbarray_find_contig_used, true, true },
	{ "rev_contig_free", rte_fbarray_find_rev_contig_free, false, true },
	{ "rev_contig_used", rte_fbarray_find_rev_contig_used, true, true },
	{ "biggest_free", rte_fbarray_find_biggest_free, false, false },
	{ "biggest_used", rte_fbarray_find_biggest_used, true, false },
	{ "rev_biggest_free", rte_fbarray_find_rev_biggest_free, false, false },
	{ "rev_biggest_used", rte_fbarray_find_rev_biggest_used, true, false },
};

static const struct {
	const char *name;
	findn_t *fn;
	bool used;
} findn[] = {
	{ "next_n_free", rte_fbarray_find_next_n_free, false },
	{ "next_n_used", rte_fbarray_find_next_n_used, true },
	{ "prev_n_free", rte_fbarray_find_prev_n_free, false },
	{ "prev_n_used", rte_fbarray_find_prev_n_used, true },
};

static bool
have_files(void)
{
	return !eal_get_internal_configuration()->no_shconf;
}

static int
test_invalid_null(void)
{
	struct rte_fbarray arr;
	unsigned int i;
	int x;

	ASSERT_FAILS(rte_fbarray_init(NULL, "fb_null", 16, 4), EINVAL);
	ASSERT_FAILS(rte_fbarray_init(&arr, NULL, 16, 4), EINVAL);
	ASSERT_FAILS(rte_fbarray_attach(NULL), EINVAL);
	ASSERT_FAILS(rte_fbarray_detach(NULL), EINVAL);
	ASSERT_FAILS(rte_fbarray_destroy(NULL), EINVAL);
	ASSERT_FAILS(rte_fbarray_get(NULL, 0), EINVAL);
	ASSERT_FAILS(rte_fbarray_find_idx(NULL, &x), EINVAL);
	ASSERT_FAILS(rte_fbarray_set_used(NULL, 0), EINVAL);
	ASSERT_FAILS(rte_fbarray_set_free(NULL, 0), EINVAL);
	ASSERT_FAILS(rte_fbarray_is_used(NULL, 0), EINVAL);
	for (i = 0; i < RTE_DIM(find1); i++)
		TEST_ASSERT(find1[i].fn(NULL, 0) == -1 && rte_errno == EINVAL,
			"find_%s accepted a NULL array", find1[i].name);
	for (i = 0; i < RTE_DIM(findn); i++)
		TEST_ASSERT(findn[i].fn(NULL, 0, 1) == -1 && rte_errno == EINVAL,
			"find_%s accepted a NULL array", findn[i].name);
	rte_fbarray_dump_metadata(NULL, stdout);
	rte_fbarray_dump_metadata(&arr, NULL);
	return TEST_SUCCESS;
}

static int
test_invalid_init(void)
{
	char name[RTE_FBARRAY_NAME_LEN + 1];
	struct rte_fbarray arr, other;

	ASSERT_FAILS(rte_fbarray_init(&arr, "fb_inv", 0, 4), EINVAL);
	ASSERT_FAILS(rte_fbarray_init(&arr, "fb_inv", (unsigned int)INT_MAX + 1, 4), EINVAL);
	ASSERT_FAILS(rte_fbarray_init(&arr, "fb_inv", UINT_MAX, 4), EINVAL);
	ASSERT_FAILS(rte_fbarray_init(&arr, "fb_inv", 16, 0), EINVAL);
	ASSERT_FAILS(rte_fbarray_init(&arr, "fb/inv", 16, 4), EINVAL);
	memset(name, 'n', RTE_FBARRAY_NAME_LEN);
	name[RTE_FBARRAY_NAME_LEN] = '\0';
	ASSERT_FAILS(rte_fbarray_init(&arr, name, 16, 4), ENAMETOOLONG);
	/* the longest name that fits is fine */
	name[RTE_FBARRAY_NAME_LEN - 1] = '\0';
	TEST_ASSERT_SUCCESS(rte_fbarray_init(&arr, name, 16, 4), "63-char name refused");
	TEST_ASSERT_EQUAL(strcmp(arr.name, name), 0, "name not stored");
	/* a second array of the same name is refused while the first lives */
	if (have_files())
		ASSERT_FAILS(rte_fbarray_init(&other, name, 16, 4), EBUSY);
	TEST_ASSERT_SUCCESS(rte_fbarray_destroy(&arr), "destroy failed");
	return TEST_SUCCESS;
}

static int
check_invalid_args(struct rte_fbarray *arr)
{
	unsigned int len = arr->len, i;
	char *data = arr->data;

	ASSERT_FAILS(rte_fbarray_get(arr, len), EINVAL);
	ASSERT_FAILS(rte_fbarray_get(arr, UINT_MAX), EINVAL);
	ASSERT_FAILS(rte_fbarray_set_used(arr, len), EINVAL);
	ASSERT_FAILS(rte_fbarray_set_free(arr, len), EINVAL);
	ASSERT_FAILS(rte_fbarray_is_used(arr, len), EINVAL);
	ASSERT_FAILS(rte_fbarray_find_idx(arr, NULL), EINVAL);
	ASSERT_FAILS(rte_fbarray_find_idx(arr, data - 1), EINVAL);
	ASSERT_FAILS(rte_fbarray_find_idx(arr, data + (size_t)len * arr->elt_sz), EINVAL);
	for (i = 0; i < RTE_DIM(find1); i++) {
		rte_errno = 0;
		TEST_ASSERT(find1[i].fn(arr, len) == -1 && rte_errno == EINVAL,
			"find_%s accepted start == len", find1[i].name);
	}
	for (i = 0; i < RTE_DIM(findn); i++) {
		rte_errno = 0;
		TEST_ASSERT(findn[i].fn(arr, len, 1) == -1 && rte_errno == EINVAL,
			"find_%s accepted start == len", findn[i].name);
		rte_errno = 0;
		TEST_ASSERT(findn[i].fn(arr, 0, 0) == -1 && rte_errno == EINVAL,
			"find_%s accepted n == 0", findn[i].name);
		rte_errno = 0;
		TEST_ASSERT(findn[i].fn(arr, 0, len + 1) == -1 && rte_errno == EINVAL,
			"find_%s accepted n > len", findn[i].name);
	}
	return TEST_SUCCESS;
}

/* Nothing to find: ENOSPC for free searches, ENOENT for used ones. */
static int
check_not_found(struct rte_fbarray *arr, bool used)
{
	int err = used ? ENOENT : ENOSPC;
	unsigned int i, start;

	for (start = 0; start < arr->len; start += arr->len - 1) {
		for (i = 0; i < RTE_DIM(find1); i++) {
			if (find1[i].used != used)
				continue;
			rte_errno = 0;
			if (find1[i].contig)
				TEST_ASSERT_EQUAL(find1[i].fn(arr, start), 0,
					"find_%s(%u) not 0", find1[i].name, start);
			else
				TEST_ASSERT(find1[i].fn(arr, start) == -1 && rte_errno == err,
					"find_%s(%u) did not fail with %d", find1[i].name, start,
					err);
		}
		for (i = 0; i < RTE_DIM(findn); i++) {
			if (findn[i].used != used)
				continue;
			rte_errno = 0;
			TEST_ASSERT(findn[i].fn(arr, start, 1) == -1 && rte_errno == err,
				"find_%s(%u, 1) did not fail with %d", findn[i].name, start, err);
		}
		if (arr->len == 1)
			break;
	}
	return TEST_SUCCESS;
}

static int
test_invalid_args(void)
{
	struct rte_fbarray arr;
	unsigned int i;

	TEST_ASSERT_SUCCESS(rte_fbarray_init(&arr, "fb_args", 256, 8), "init failed");
	if (check_invalid_args(&arr) != TEST_SUCCESS)
		goto fail;
	if (check_not_found(&arr, true) != TEST_SUCCESS)
		goto fail;
	/* enough free elements in total, but not enough room after start */
	ASSERT_FAILS(rte_fbarray_find_next_n_free(&arr, 250, 7), ENOSPC);
	ASSERT_FAILS(rte_fbarray_find_prev_n_free(&arr, 5, 7), ENOSPC);
	for (i = 0; i < arr.len; i++)
		rte_fbarray_set_used(&arr, i);
	if (check_not_found(&arr, false) != TEST_SUCCESS)
		goto fail;
	ASSERT_FAILS(rte_fbarray_find_next_n_used(&arr, 250, 7), ENOENT);
	ASSERT_FAILS(rte_fbarray_find_prev_n_used(&arr, 5, 7), ENOENT);
	TEST_ASSERT_SUCCESS(rte_fbarray_destroy(&arr), "destroy failed");
	/* the struct is cleared: it is no longer an array of this process */
	ASSERT_FAILS(rte_fbarray_destroy(&arr), ENOENT);
	ASSERT_FAILS(rte_fbarray_detach(&arr), ENOENT);
	ASSERT_FAILS(rte_fbarray_get(&arr, 0), EINVAL);
	ASSERT_FAILS(rte_fbarray_find_next_free(&arr, 0), EINVAL);
	return TEST_SUCCESS;
fail:
	rte_fbarray_destroy(&arr);
	return TEST_FAILED;
}

static int
check_basic(struct rte_fbarray *arr)
{
	unsigned int len = arr->len, i;
	char *buf = NULL;
	size_t sz = 0;
	FILE *f;

	TEST_ASSERT_EQUAL(rte_fbarray_find_next_free(arr, 0), 0, "empty: next_free");
	TEST_ASSERT_EQUAL(rte_fbarray_find_prev_free(arr, len - 1), (int)len - 1,
		"empty: prev_free");
	TEST_ASSERT_EQUAL(rte_fbarray_find_contig_free(arr, 0), (int)len, "empty: contig");
	TEST_ASSERT_EQUAL(rte_fbarray_find_rev_contig_free(arr, len - 1), (int)len,
		"empty: rev_contig");
	TEST_ASSERT_EQUAL(rte_fbarray_find_biggest_free(arr, 0), 0, "empty: biggest");
	TEST_ASSERT_EQUAL(rte_fbarray_find_rev_biggest_free(arr, len - 1), 0,
		"empty: rev_biggest");
	for (i = 0; i < len; i++) {
		char *p = rte_fbarray_get(arr, i);

		TEST_ASSERT(p == (char *)arr->data + (size_t)i * arr->elt_sz, "get(%u) wrong", i);
		TEST_ASSERT_EQUAL(rte_fbarray_find_idx(arr, p), (int)i, "find_idx(%u)", i);
		TEST_ASSERT_EQUAL(rte_fbarray_find_idx(arr, p + arr->elt_sz - 1), (int)i,
			"find_idx inside element %u", i);
		TEST_ASSERT_SUCCESS(rte_fbarray_set_used(arr, i), "set_used(%u)", i);
		TEST_ASSERT_SUCCESS(rte_fbarray_set_used(arr, i), "set_used(%u) again", i);
		TEST_ASSERT_EQUAL(arr->count, i + 1, "count %u after %u set", arr->count, i + 1);
		TEST_ASSERT_EQUAL(rte_fbarray_is_used(arr, i), 1, "is_used(%u)", i);
	}
	for (i = 0; i < len; i += 2) {
		TEST_ASSERT_SUCCESS(rte_fbarray_set_free(arr, i), "set_free(%u)", i);
		TEST_ASSERT_SUCCESS(rte_fbarray_set_free(arr, i), "set_free(%u) again", i);
		TEST_ASSERT_EQUAL(rte_fbarray_is_used(arr, i), 0, "is_used(%u)", i);
	}
	TEST_ASSERT_EQUAL(arr->count, len / 2, "count %u, expected %u", arr->count, len / 2);

	f = open_memstream(&buf, &sz);
	TEST_ASSERT_NOT_NULL(f, "open_memstream failed");
	rte_fbarray_dump_metadata(arr, f);
	fclose(f);
	TEST_ASSERT(buf != NULL && strstr(buf, arr->name) != NULL &&
		strstr(buf, "0xaaaaaaaaaaaaaaaa") != NULL, "dump lacks name or mask: %s", buf);
	free(buf);
	return TEST_SUCCESS;
}

static int
test_basic(void)
{
	struct rte_fbarray arr;
	int ret;

	TEST_ASSERT_SUCCESS(rte_fbarray_init(&arr, "fb_basic", 256, sizeof(int)),
		"init failed");
	ret = check_basic(&arr);
	TEST_ASSERT_SUCCESS(rte_fbarray_destroy(&arr), "destroy failed");
	return ret;
}

static int
set_range(struct rte_fbarray *arr, unsigned int from, unsigned int to, bool used)
{
	unsigned int i;

	for (i = from; i <= to; i++)
		if ((used ? rte_fbarray_set_used(arr, i) : rte_fbarray_set_free(arr, i)) != 0)
			return -1;
	return 0;
}

/* Runs that cross or end at mask-word boundaries (fixed upstream in 2024). */
static int
check_word_edges(struct rte_fbarray *arr)
{
	set_range(arr, 64, 64, true);
	TEST_ASSERT_EQUAL(rte_fbarray_find_next_n_free(arr, 1, 64), 65, "cross mask");
	set_range(arr, 0, 255, false);
	set_range(arr, 63, 63, true);
	TEST_ASSERT_EQUAL(rte_fbarray_find_prev_n_free(arr, 64, 2), 61, "cross rev mask");
	set_range(arr, 0, 255, false);
	set_range(arr, 61, 61, true);
	set_range(arr, 70, 70, true);
	TEST_ASSERT_EQUAL(rte_fbarray_find_next_n_free(arr, 0, 62), 71, "broken run");
	set_range(arr, 0, 255, false);
	set_range(arr, 130, 130, true);
	set_range(arr, 70, 70, true);
	TEST_ASSERT_EQUAL(rte_fbarray_find_prev_n_free(arr, 190, 62), 8, "rev broken run");
	set_range(arr, 0, 255, false);
	set_range(arr, 60, 200, true);
	TEST_ASSERT_EQUAL(rte_fbarray_find_next_n_used(arr, 0, 141), 60, "long used run");
	TEST_ASSERT_EQUAL(rte_fbarray_find_prev_n_used(arr, 255, 141), 60, "long rev run");
	ASSERT_FAILS(rte_fbarray_find_next_n_used(arr, 61, 141), ENOENT);
	/* free runs 0..59 and 201..255 */
	TEST_ASSERT_EQUAL(rte_fbarray_find_biggest_free(arr, 0), 0, "biggest free");
	TEST_ASSERT_EQUAL(rte_fbarray_find_biggest_free(arr, 1), 1, "clipped biggest");
	TEST_ASSERT_EQUAL(rte_fbarray_find_biggest_free(arr, 6), 201, "clipped shorter");
	TEST_ASSERT_EQUAL(rte_fbarray_find_rev_biggest_free(arr, 255), 0, "rev biggest");
	/* ties keep the first run met: 5..59 against 201..255 */
	TEST_ASSERT_EQUAL(rte_fbarray_find_biggest_free(arr, 5), 5, "tie");
	set_range(arr, 0, 4, true);
	TEST_ASSERT_EQUAL(rte_fbarray_find_rev_biggest_free(arr, 255), 201, "rev tie");
	set_range(arr, 0, 4, false);
	TEST_ASSERT_EQUAL(rte_fbarray_find_biggest_used(arr, 0), 60, "biggest used");
	return TEST_SUCCESS;
}

/*
 * DPDK 22.11 returns 0 for find_next_n_free(0, 65) on a 65-element array
 * whose element 64 is used: its lookahead reads the padding bits.
 */
static int
check_unaligned(struct rte_fbarray *arr65, struct rte_fbarray *arr60)
{
	TEST_ASSERT_EQUAL(rte_fbarray_find_next_n_free(arr65, 0, 65), 0, "all free");
	set_range(arr65, 64, 64, true);
	ASSERT_FAILS(rte_fbarray_find_next_n_free(arr65, 0, 65), ENOSPC);
	ASSERT_FAILS(rte_fbarray_find_prev_n_free(arr65, 64, 65), ENOSPC);
	TEST_ASSERT_EQUAL(rte_fbarray_find_next_n_free(arr65, 0, 64), 0, "first word");
	TEST_ASSERT_EQUAL(rte_fbarray_find_contig_free(arr65, 0), 64, "contig to 64");
	set_range(arr65, 0, 64, true);
	set_range(arr65, 64, 64, false);
	TEST_ASSERT_EQUAL(rte_fbarray_find_next_free(arr65, 0), 64, "last free");
	TEST_ASSERT_EQUAL(rte_fbarray_find_contig_free(arr65, 64), 1, "tail contig");
	ASSERT_FAILS(rte_fbarray_find_next_n_free(arr65, 0, 2), ENOSPC);
	TEST_ASSERT_EQUAL(rte_fbarray_find_biggest_free(arr65, 0), 64, "tail biggest");

	set_range(arr60, 0, 58, true);
	TEST_ASSERT_EQUAL(rte_fbarray_find_next_free(arr60, 0), 59, "60: next_free");
	TEST_ASSERT_EQUAL(rte_fbarray_find_next_n_free(arr60, 0, 1), 59, "60: next_n_free");
	TEST_ASSERT_EQUAL(rte_fbarray_find_contig_used(arr60, 0), 59, "60: contig_used");
	ASSERT_FAILS(rte_fbarray_find_next_n_free(arr60, 0, 2), ENOSPC);
	set_range(arr60, 59, 59, true);
	ASSERT_FAILS(rte_fbarray_find_next_free(arr60, 0), ENOSPC);
	ASSERT_FAILS(rte_fbarray_find_prev_free(arr60, 59), ENOSPC);
	TEST_ASSERT_EQUAL(rte_fbarray_find_contig_used(arr60, 0), 60, "60: full contig");
	TEST_ASSERT_EQUAL(rte_fbarray_find_next_n_used(arr60, 0, 60), 0, "60: full run");
	return TEST_SUCCESS;
}

static int
test_edges(void)
{
	struct rte_fbarray a256, a65, a60;
	int ret;

	TEST_ASSERT_SUCCESS(rte_fbarray_init(&a256, "fb_edges256", 256, 4), "init 256");
	ret = check_word_edges(&a256);
	rte_fbarray_destroy(&a256);
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_SUCCESS(rte_fbarray_init(&a65, "fb_edges65", 65, 4), "init 65");
	if (rte_fbarray_init(&a60, "fb_edges60", 60, 1) != 0) {
		rte_fbarray_destroy(&a65);
		return TEST_FAILED;
	}
	ret = check_unaligned(&a65, &a60);
	rte_fbarray_destroy(&a65);
	rte_fbarray_destroy(&a60);
	return ret;
}

/* Reference model: one bool per element and run tables derived from it. */
struct model {
	unsigned int len;
	bool *used;
	unsigned int *fwd[2]; /* run length of state s starting at i, upwards */
	unsigned int *bwd[2]; /* ... ending at i, counted downwards */
	int *nxt[2];          /* lowest index >= i in state s, or -1 */
	int *prv[2];          /* highest index <= i in state s, or -1 */
	int *win;             /* scratch for window searches */
};

static uint64_t rng_state;

static uint64_t
rng(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static unsigned int
rng_below(unsigned int n)
{
	return (unsigned int)(rng() % n);
}

static void
model_free(struct model *m)
{
	int s;

	free(m->used);
	for (s = 0; s < 2; s++) {
		free(m->fwd[s]);
		free(m->bwd[s]);
		free(m->nxt[s]);
		free(m->prv[s]);
	}
	free(m->win);
	memset(m, 0, sizeof(*m));
}

static int
model_alloc(struct model *m, unsigned int len)
{
	int s;

	memset(m, 0, sizeof(*m));
	m->len = len;
	m->used = calloc(len, sizeof(bool));
	m->win = calloc(len, sizeof(int));
	for (s = 0; s < 2; s++) {
		m->fwd[s] = calloc(len, sizeof(unsigned int));
		m->bwd[s] = calloc(len, sizeof(unsigned int));
		m->nxt[s] = calloc(len, sizeof(int));
		m->prv[s] = calloc(len, sizeof(int));
		if (m->fwd[s] == NULL || m->bwd[s] == NULL || m->nxt[s] == NULL ||
		    m->prv[s] == NULL)
			break;
	}
	if (s < 2 || m->used == NULL || m->win == NULL) {
		model_free(m);
		return -1;
	}
	return 0;
}

static void
model_derive(struct model *m)
{
	unsigned int len = m->len, i, k;
	int s;

	for (s = 0; s < 2; s++) {
		for (i = 0; i < len; i++) {
			bool in = m->used[i] == (s == 1);

			m->bwd[s][i] = in ? 1 + (i > 0 ? m->bwd[s][i - 1] : 0) : 0;
			m->prv[s][i] = in ? (int)i : (i > 0 ? m->prv[s][i - 1] : -1);
		}
		for (k = len; k-- > 0;) {
			bool in = m->used[k] == (s == 1);

			m->fwd[s][k] = in ? 1 + (k + 1 < len ? m->fwd[s][k + 1] : 0) : 0;
			m->nxt[s][k] = in ? (int)k : (k + 1 < len ? m->nxt[s][k + 1] : -1);
		}
	}
}

static int
model_biggest(const struct model *m, unsigned int start, int s, bool rev)
{
	unsigned int best_len = 0, rl;
	long i = start;
	int best = -1, j;

	while (i >= 0 && i < (long)m->len) {
		j = rev ? m->prv[s][i] : m->nxt[s][i];
		if (j < 0)
			break;
		rl = rev ? m->bwd[s][j] : m->fwd[s][j];
		if (rl > best_len) {
			best_len = rl;
			best = rev ? j - (int)rl + 1 : j;
		}
		i = rev ? (long)j - rl : (long)j + rl;
	}
	return best;
}

/* Context of the current check, printed on a mismatch. */
static uint64_t model_seed;
static unsigned int model_batch;

static int
check_one(const char *fn, const struct model *m, unsigned int start, unsigned int n,
		int got, int want, bool used)
{
	int err = used ? ENOENT : ENOSPC;

	if (got == want && (want >= 0 || rte_errno == err))
		return 0;
	printf("fbarray model mismatch (seed %" PRIu64 ", len %u, batch %u): %s(start %u, n %u)"
		" = %d (rte_errno %d), model says %d\n", model_seed, m->len, model_batch, fn,
		start, n, got, rte_errno, want);
	return -1;
}

static int
check_start(struct rte_fbarray *arr, const struct model *m, unsigned int start)
{
	int s, want, got;
	unsigned int i;

	for (i = 0; i < RTE_DIM(find1); i++) {
		s = find1[i].used ? 1 : 0;
		switch (i / 2) {
		case 0:
			want = m->nxt[s][start];
			break;
		case 1:
			want = m->prv[s][start];
			break;
		case 2:
			want = (int)m->fwd[s][start];
			break;
		case 3:
			want = (int)m->bwd[s][start];
			break;
		default:
			want = model_biggest(m, start, s, i / 2 == 5);
			break;
		}
		rte_errno = 0;
		got = find1[i].fn(arr, start);
		if (check_one(find1[i].name, m, start, 1, got, want, find1[i].used) != 0)
			return -1;
	}
	return 0;
}

/* Check every window search for window size @p n at the given starts. */
static int
check_windows(struct rte_fbarray *arr, struct model *m, unsigned int n,
		const unsigned int *starts, unsigned int n_starts)
{
	unsigned int len = m->len, i, k;
	int s, dir, want, got;

	for (s = 0; s < 2; s++) {
		for (dir = 0; dir < 2; dir++) {
			/* win[i]: the answer for start i */
			if (dir == 0) {
				for (k = len; k-- > 0;)
					m->win[k] = m->fwd[s][k] >= n ? (int)k :
						(k + 1 < len ? m->win[k + 1] : -1);
			} else {
				for (k = 0; k < len; k++)
					m->win[k] = m->bwd[s][k] >= n ? (int)(k - n + 1) :
						(k > 0 ? m->win[k - 1] : -1);
			}
			for (i = 0; i < n_starts; i++) {
				want = m->win[starts[i]];
				rte_errno = 0;
				got = findn[dir * 2 + s].fn(arr, starts[i], n);
				if (check_one(findn[dir * 2 + s].name, m, starts[i], n, got, want,
						s == 1) != 0)
					return -1;
			}
		}
	}
	return 0;
}

static int
model_check(struct rte_fbarray *arr, struct model *m, unsigned int *starts,
		unsigned int n_starts)
{
	static const unsigned int sizes[] = { 1, 2, 3, 31, 63, 64, 65, 127, 128, 129, 1000 };
	unsigned int i, count = 0;

	model_derive(m);
	for (i = 0; i < m->len; i++) {
		count += m->used[i];
		if (rte_fbarray_is_used(arr, i) != m->used[i]) {
			printf("is_used(%u) differs from the model (seed %" PRIu64 ")\n", i,
				model_seed);
			return -1;
		}
	}
	if (arr->count != count) {
		printf("count %u, model %u (seed %" PRIu64 ")\n", arr->count, count, model_seed);
		return -1;
	}
	for (i = 0; i < n_starts; i++)
		if (check_start(arr, m, starts[i]) != 0)
			return -1;
	for (i = 0; i < RTE_DIM(sizes); i++)
		if (sizes[i] <= m->len && check_windows(arr, m, sizes[i], starts, n_starts) != 0)
			return -1;
	/* n == len: only an all-free or all-used array has a window */
	return check_windows(arr, m, m->len, starts, RTE_MIN(n_starts, 4u));
}

static int
model_set(struct rte_fbarray *arr, struct model *m, unsigned int idx, bool used)
{
	m->used[idx] = used;
	return used ? rte_fbarray_set_used(arr, idx) : rte_fbarray_set_free(arr, idx);
}

/* One batch of random changes; densities vary so that both states get long runs. */
static int
model_mutate(struct rte_fbarray *arr, struct model *m)
{
	unsigned int len = m->len, ops = 1 + rng_below(32), op, i, from, run;
	unsigned int bias = rng_below(5) * 25; /* percent of "set used" */
	bool used;

	for (op = 0; op < ops; op++) {
		used = rng_below(100) < bias;
		switch (rng_below(8)) {
		case 0: /* a long run, up to the whole array */
			from = rng_below(len);
			run = 1 + rng_below(len - from);
			break;
		case 1: case 2: case 3: /* a short run */
			from = rng_below(len);
			run = 1 + rng_below(RTE_MIN(len - from, 200u));
			break;
		default:
			from = rng_below(len);
			run = 1;
			break;
		}
		for (i = from; i < from + run; i++)
			if (model_set(arr, m, i, used) != 0)
				return -1;
	}
	return 0;
}

static unsigned int
pick_starts(unsigned int len, unsigned int *starts, unsigned int max)
{
	unsigned int n = 0, i;

	if (len <= max) {
		for (i = 0; i < len; i++)
			starts[i] = i;
		return len;
	}
	/* the ends and both sides of word boundaries, then random points */
	starts[n++] = 0;
	starts[n++] = len - 1;
	for (i = 64; i < len && n < max / 4; i += 64 * (1 + rng_below(64))) {
		starts[n++] = i - 1;
		starts[n++] = i;
	}
	while (n < max)
		starts[n++] = rng_below(len);
	return n;
}

static int
model_run(unsigned int len, unsigned int batches)
{
	unsigned int *starts, n_starts, max_starts = 4096;
	struct rte_fbarray arr;
	struct model m;
	int ret = TEST_FAILED;

	starts = calloc(max_starts, sizeof(*starts));
	if (starts == NULL || model_alloc(&m, len) != 0) {
		free(starts);
		return TEST_FAILED;
	}
	if (rte_fbarray_init(&arr, "fb_model", len, 8) != 0)
		goto out;
	for (model_batch = 0; model_batch < batches; model_batch++) {
		if (model_batch > 0 && model_mutate(&arr, &m) != 0)
			break;
		n_starts = pick_starts(len, starts, len > 10000 ? 1500 : max_starts);
		if (model_check(&arr, &m, starts, n_starts) != 0)
			break;
	}
	if (model_batch == batches)
		ret = TEST_SUCCESS;
	rte_fbarray_destroy(&arr);
out:
	model_free(&m);
	free(starts);
	return ret;
}

static int
test_model(void)
{
	static const unsigned int lens[] = { 1, 63, 64, 65, 127, 129, 4095, 100000 };
	const char *env = getenv("DPDK_TEST_FBARRAY_SEED");
	unsigned int i;

	model_seed = env != NULL ? strtoull(env, NULL, 0) : rte_rdtsc();
	printf("fbarray model seed %" PRIu64 " (set DPDK_TEST_FBARRAY_SEED to replay)\n",
		model_seed);
	rng_state = model_seed;
	for (i = 0; i < RTE_DIM(lens); i++)
		if (model_run(lens[i], lens[i] > 10000 ? 8 : lens[i] > 1000 ? 16 : 64) !=
				TEST_SUCCESS)
			return TEST_FAILED;
	return TEST_SUCCESS;
}

static int
file_path(char *buf, size_t sz, const char *name)
{
	int n = snprintf(buf, sz, "%s/fbarray_%s", rte_eal_get_runtime_dir(), name);

	return n < 0 || (size_t)n >= sz ? -1 : 0;
}

/* Child: take over the array as a process of its own, then hold it. */
static void
child_hold(struct rte_fbarray *arr, int ready_fd, int release_fd)
{
	char c = 'r';

	/* the inherited mapping and fd share the parent's lock: drop them */
	if (rte_fbarray_detach(arr) != 0 || rte_fbarray_attach(arr) != 0 ||
	    rte_fbarray_set_used(arr, 5) != 0)
		c = 'f';
	if (write(ready_fd, &c, 1) != 1 || c == 'f')
		_exit(1);
	if (read(release_fd, &c, 1) != 1)
		_exit(1);
	_exit(0);
}

static int
check_destroy_busy(struct rte_fbarray *arr, const char *path)
{
	int ready[2], release[2], status = 0, ret = TEST_FAILED;
	struct stat st;
	pid_t pid;
	char c = 0;

	if (pipe(ready) != 0)
		return TEST_FAILED;
	if (pipe(release) != 0)
		goto close_ready;
	pid = fork();
	if (pid < 0)
		goto close_release;
	if (pid == 0)
		child_hold(arr, ready[1], release[0]);
	if (read(ready[0], &c, 1) != 1 || c != 'r') {
		printf("child could not attach the array\n");
		goto reap;
	}
	/* the struct is shared: count and bitmap show the child's change */
	if (rte_fbarray_is_used(arr, 5) != 1 || arr->count != 1) {
		printf("child's set_used not visible\n");
		goto reap;
	}
	rte_errno = 0;
	if (rte_fbarray_destroy(arr) != -1 || rte_errno != EBUSY) {
		printf("destroy while attached elsewhere: rte_errno %d\n", rte_errno);
		goto reap;
	}
	if (stat(path, &st) != 0 || rte_fbarray_is_used(arr, 5) != 1) {
		printf("failed destroy did not leave the array intact\n");
		goto reap;
	}
	ret = TEST_SUCCESS;
reap:
	if (write(release[1], "x", 1) != 1)
		ret = TEST_FAILED;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		ret = TEST_FAILED;
close_release:
	close(release[0]);
	close(release[1]);
close_ready:
	close(ready[0]);
	close(ready[1]);
	return ret;
}

static int
test_file_multiprocess(void)
{
	struct rte_fbarray *arr, copy;
	char path[PATH_MAX];
	struct stat st;
	int ret;

	if (!have_files())
		return TEST_SKIPPED;
	arr = mmap(NULL, sizeof(*arr), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		-1, 0);
	TEST_ASSERT(arr != MAP_FAILED, "cannot map a shared struct");
	TEST_ASSERT_SUCCESS(rte_fbarray_init(arr, "fb_mp", 1000, 16), "init failed");
	TEST_ASSERT_SUCCESS(file_path(path, sizeof(path), "fb_mp"), "path too long");
	TEST_ASSERT_SUCCESS(stat(path, &st), "no file %s", path);
	TEST_ASSERT(S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0600,
		"%s has mode %o", path, st.st_mode);
	TEST_ASSERT((size_t)st.st_size >= 16000, "%s too small", path);
	/* already mapped here, through the same struct or a copy */
	ASSERT_FAILS(rte_fbarray_attach(arr), EEXIST);
	copy = *arr;
	ASSERT_FAILS(rte_fbarray_attach(&copy), EEXIST);

	ret = check_destroy_busy(arr, path);
	if (ret == TEST_SUCCESS) {
		/* the child has exited: its lock is gone */
		TEST_ASSERT_SUCCESS(rte_fbarray_destroy(arr), "destroy after child exit");
		TEST_ASSERT(stat(path, &st) != 0 && errno == ENOENT, "%s left behind", path);
		TEST_ASSERT_NULL(arr->data, "struct not cleared");
	} else {
		rte_fbarray_destroy(arr);
	}
	munmap(arr, sizeof(*arr));
	return ret;
}

static int
check_attach_errors(struct rte_fbarray *arr)
{
	struct rte_fbarray fake = *arr;
	size_t sz = 1 << 20;
	void *blocker;
	int ret = TEST_SUCCESS;

	/* no backing file */
	strcpy(fake.name, "fb_nofile");
	ASSERT_FAILS(rte_fbarray_attach(&fake), ENOENT);
	/* the address is taken by a mapping that is not an fbarray */
	blocker = mmap(NULL, sz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(blocker != MAP_FAILED, "cannot map blocker");
	fake = *arr;
	fake.data = blocker;
	rte_errno = 0;
	if (rte_fbarray_attach(&fake) != -1 || rte_errno != EADDRNOTAVAIL) {
		printf("attach over a foreign mapping: rte_errno %d\n", rte_errno);
		ret = TEST_FAILED;
	}
	munmap(blocker, sz);
	return ret;
}

static int
test_file_detach(void)
{
	struct rte_fbarray arr;
	char path[PATH_MAX];
	struct stat st;
	int ret;

	if (!have_files())
		return TEST_SKIPPED;
	TEST_ASSERT_SUCCESS(rte_fbarray_init(&arr, "fb_detach", 100, 8), "init failed");
	TEST_ASSERT_SUCCESS(file_path(path, sizeof(path), "fb_detach"), "path too long");
	*(uint64_t *)rte_fbarray_get(&arr, 3) = 0x1234;
	rte_fbarray_set_used(&arr, 3);
	TEST_ASSERT_SUCCESS(rte_fbarray_detach(&arr), "detach failed");
	ASSERT_FAILS(rte_fbarray_detach(&arr), ENOENT);
	ASSERT_FAILS(rte_fbarray_destroy(&arr), ENOENT);
	TEST_ASSERT_SUCCESS(stat(path, &st), "detach removed the file");
	ret = check_attach_errors(&arr);
	/* attach again: same address, same contents */
	TEST_ASSERT_SUCCESS(rte_fbarray_attach(&arr), "re-attach failed: %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_fbarray_is_used(&arr, 3), 1, "bit lost across detach");
	TEST_ASSERT_EQUAL(*(uint64_t *)rte_fbarray_get(&arr, 3), 0x1234u, "data lost");
	TEST_ASSERT_SUCCESS(rte_fbarray_destroy(&arr), "destroy failed");
	TEST_ASSERT(stat(path, &st) != 0, "destroy left %s", path);
	return ret;
}

static int
test_private_memory(void)
{
	struct rte_fbarray arr, copy;
	char path[PATH_MAX];
	struct stat st;

	if (have_files())
		return TEST_SKIPPED;
	TEST_ASSERT_SUCCESS(rte_fbarray_init(&arr, "fb_private", 100, 8), "init failed");
	TEST_ASSERT_SUCCESS(file_path(path, sizeof(path), "fb_private"), "path too long");
	TEST_ASSERT(stat(path, &st) != 0, "--no-shconf created %s", path);
	TEST_ASSERT_SUCCESS(rte_fbarray_set_used(&arr, 99), "set_used failed");
	copy = arr;
	ASSERT_FAILS(rte_fbarray_attach(&copy), EEXIST);
	TEST_ASSERT_SUCCESS(rte_fbarray_detach(&arr), "detach failed");
	ASSERT_FAILS(rte_fbarray_destroy(&arr), ENOENT);
	return TEST_SUCCESS;
}

/* Two lcores flip disjoint elements: the count must come out exact. */
#define FLIP_ROUNDS 2000
#define FLIP_LEN 256

static int
flip_half(void *arg)
{
	struct rte_fbarray *arr = arg;
	unsigned int parity = rte_lcore_id() == rte_get_main_lcore() ? 0 : 1, r, i;

	for (r = 0; r < FLIP_ROUNDS; r++)
		for (i = parity; i < FLIP_LEN; i += 2)
			if ((r % 2 ? rte_fbarray_set_free(arr, i) : rte_fbarray_set_used(arr, i)) != 0)
				return -1;
	return 0;
}

static int
test_concurrent_flips(void)
{
	struct rte_fbarray arr;
	unsigned int worker = rte_get_next_lcore(-1, 1, 0);
	int ret = TEST_SUCCESS, wret;

	if (worker >= RTE_MAX_LCORE)
		return TEST_SKIPPED;
	TEST_ASSERT_SUCCESS(rte_fbarray_init(&arr, "fb_flips", FLIP_LEN, 4), "init failed");
	rte_fbarray_set_used(&arr, 0);
	rte_fbarray_set_used(&arr, 1);
	if (rte_eal_remote_launch(flip_half, &arr, worker) != 0)
		ret = TEST_FAILED;
	else if (flip_half(&arr) != 0)
		ret = TEST_FAILED;
	wret = rte_eal_wait_lcore(worker);
	/* an even number of rounds ends with everything free */
	if (ret == TEST_SUCCESS && (wret != 0 || arr.count != 0 ||
			rte_fbarray_find_next_used(&arr, 0) != -1)) {
		printf("after concurrent flips: worker %d, count %u\n", wret, arr.count);
		ret = TEST_FAILED;
	}
	rte_fbarray_destroy(&arr);
	return ret;
}

static struct unit_test_suite fbarray_suite = {
	.suite_name = "fbarray autotest",
	.unit_test_cases = {
		TEST_CASE(test_invalid_null),
		TEST_CASE(test_invalid_init),
		TEST_CASE(test_invalid_args),
		TEST_CASE(test_basic),
		TEST_CASE(test_edges),
		TEST_CASE(test_model),
		TEST_CASE(test_file_multiprocess),
		TEST_CASE(test_file_detach),
		TEST_CASE(test_private_memory),
		TEST_CASE(test_concurrent_flips),
		TEST_CASES_END()
	}
};

static int
test_fbarray(void)
{
	return unit_test_suite_runner(&fbarray_suite);
}

REGISTER_FAST_TEST(fbarray_autotest, NOHUGE_OK, ASAN_OK, test_fbarray);
