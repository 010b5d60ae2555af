/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * File-backed arrays.
 *
 * Mapped area (one mapping, length rounded up to the page size):
 *
 *   [ len * elt_sz bytes of elements ][ pad to 8 ][ struct used_mask ]
 *
 * struct used_mask is the word count followed by one bit per element,
 * bit i % 64 of word i / 64 set when element i is used. The bits past
 * len in the last word are never set, and every search masks them out
 * anyway so that a stray bit cannot produce an index >= len.
 *
 * Locking between processes uses flock() on the backing file: the creator
 * holds LOCK_EX while it prepares the file, then everyone who maps it
 * holds LOCK_SH for as long as the mapping lives. destroy() succeeds only
 * if it can upgrade to LOCK_EX, i.e. when no other process maps the file.
 * Each process keeps its own list of mapped areas with the descriptor that
 * carries its lock; that list also answers "is this array mapped here?".
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_fbarray.h>
#include <rte_rwlock.h>
#include <rte_string_fns.h>

#include "eal_export.h"
#include "eal_filesystem.h"
#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_private.h"
#include "eal_shared_lock.h"

#define MASK_BITS 64u

/* Bookkeeping block that follows the element data. */
struct used_mask {
	unsigned int n_masks;
	unsigned int robust;            /* lock through shared_lock (eal_fbarray_make_robust()) */
	struct eal_shared_rwlock shared_lock;
	uint64_t data[];
};

/* Placement of the pieces of one array's mapping. */
static size_t
mask_offset(unsigned int len, unsigned int elt_sz)
{
	return RTE_ALIGN_CEIL((size_t)len * elt_sz, sizeof(uint64_t));
}

static unsigned int
mask_words(unsigned int len)
{
	return (unsigned int)(((uint64_t)len + MASK_BITS - 1) / MASK_BITS);
}

static size_t
area_size(unsigned int len, unsigned int elt_sz)
{
	size_t pgsz = (size_t)sysconf(_SC_PAGESIZE);
	size_t sz = mask_offset(len, elt_sz) + sizeof(struct used_mask) +
		(size_t)mask_words(len) * sizeof(uint64_t);

	return RTE_ALIGN_CEIL(sz, pgsz);
}

static struct used_mask *
get_mask(const struct rte_fbarray *arr)
{
	return RTE_PTR_ADD(arr->data, mask_offset(arr->len, arr->elt_sz));
}

/*
 * The arrays of the EAL's shared memory (memseg lists, memzones) take their
 * lock through the crash-safe calls, so that a process killed in the middle
 * of a lookup does not leave the lock held for the others; the flag lives
 * in the shared file, so every process that attaches agrees on it.
 */
static __rte_always_inline void
lock_read(struct rte_fbarray *arr)
{
	struct used_mask *m = get_mask(arr);

	if (unlikely(m->robust))
		eal_shared_rwlock_read_lock(&m->shared_lock);
	else
		rte_rwlock_read_lock(&arr->rwlock);
}

static __rte_always_inline void
unlock_read(struct rte_fbarray *arr)
{
	struct used_mask *m = get_mask(arr);

	if (unlikely(m->robust))
		eal_shared_rwlock_read_unlock(&m->shared_lock);
	else
		rte_rwlock_read_unlock(&arr->rwlock);
}

static __rte_always_inline void
lock_write(struct rte_fbarray *arr)
{
	struct used_mask *m = get_mask(arr);

	if (unlikely(m->robust))
		eal_shared_rwlock_write_lock(&m->shared_lock);
	else
		rte_rwlock_write_lock(&arr->rwlock);
}

static __rte_always_inline void
unlock_write(struct rte_fbarray *arr)
{
	struct used_mask *m = get_mask(arr);

	if (unlikely(m->robust))
		eal_shared_rwlock_write_unlock(&m->shared_lock);
	else
		rte_rwlock_write_unlock(&arr->rwlock);
}

void
eal_fbarray_make_robust(struct rte_fbarray *arr)
{
	get_mask(arr)->robust = 1;
}

/*
 * Search core.
 *
 * A mask_view shows the bitmap so that the elements in the wanted state
 * read as set bits (flip) and the bits past the end read as clear (tail).
 * find_run() then looks for n consecutive set bits, forwards or backwards,
 * one 64-bit word at a time: a run may carry over from the previous word
 * (carry/edge), sit at the entry edge of a word, or lie inside it. Every
 * other search (next, prev, contig lengths, biggest run) is built on it.
 */
struct mask_view {
	const uint64_t *w;
	unsigned int last;  /* index of the last word */
	uint64_t tail;      /* valid bits of the last word */
	uint64_t flip;      /* 0: look for used elements, ~0: for free ones */
};

static void
view_init(struct mask_view *v, const struct rte_fbarray *arr, bool used)
{
	unsigned int rem = arr->len % MASK_BITS;

	v->w = get_mask(arr)->data;
	v->last = mask_words(arr->len) - 1;
	v->tail = rem == 0 ? UINT64_MAX : (UINT64_C(1) << rem) - 1;
	v->flip = used ? 0 : UINT64_MAX;
}

static __rte_always_inline uint64_t
view_word(const struct mask_view *v, unsigned int i)
{
	uint64_t x = v->w[i] ^ v->flip;

	return i == v->last ? x & v->tail : x;
}

/* Set bit p of the result iff bits p .. p + n - 1 of @p x are all set. */
static __rte_always_inline uint64_t
window_starts(uint64_t x, unsigned int n)
{
	unsigned int have = 1, shift;

	while (have < n && x != 0) {
		shift = RTE_MIN(have, n - have);
		x &= x >> shift;
		have += shift;
	}
	return x;
}

/* Set bits at the low (forward entry) or high (backward entry) end. */
static __rte_always_inline unsigned int
ones_at_low(uint64_t x)
{
	return x == UINT64_MAX ? MASK_BITS : (unsigned int)__builtin_ctzll(~x);
}

static __rte_always_inline unsigned int
ones_at_high(uint64_t x)
{
	return x == UINT64_MAX ? MASK_BITS : (unsigned int)__builtin_clzll(~x);
}

/*
 * @return the lowest index of the first window of @p n set bits met when
 * scanning from @p start (inclusive) towards higher (rev false) or lower
 * (rev true) indices, the whole window lying on the scanned side of
 * @p start; -1 if there is none. 1 <= n, start < len.
 */
static __rte_always_inline int
find_run(const struct mask_view *v, unsigned int start, unsigned int n, bool rev)
{
	unsigned int i = start / MASK_BITS, b = start % MASK_BITS;
	unsigned int run = 0, edge = 0, t;
	uint64_t x, m;

	x = view_word(v, i) & (rev ? UINT64_MAX >> (MASK_BITS - 1 - b) : UINT64_MAX << b);
	for (;;) {
		if (n == 1) {
			/* folded at compile time for single-element searches */
			if (x != 0)
				return (int)(i * MASK_BITS + (rev ? MASK_BITS - 1 -
					(unsigned int)__builtin_clzll(x) :
					(unsigned int)__builtin_ctzll(x)));
		} else if (x != 0 || run != 0) {
			/* the run reaching into this word from the previous one */
			t = rev ? ones_at_high(x) : ones_at_low(x);
			if (run == 0)
				edge = rev ? i * MASK_BITS + MASK_BITS - 1 : i * MASK_BITS;
			if (run + t >= n)
				return (int)(rev ? edge - (n - 1) : edge);
			if (t == MASK_BITS) {
				run += MASK_BITS;
				goto next_word;
			}
			/* windows wholly inside the word */
			m = n < MASK_BITS ? window_starts(x, n) : 0;
			if (m != 0)
				return (int)(i * MASK_BITS + (rev ? MASK_BITS - 1 -
					(unsigned int)__builtin_clzll(m) :
					(unsigned int)__builtin_ctzll(m)));
			/* the run leaving the word, to be continued */
			run = rev ? ones_at_low(x) : ones_at_high(x);
			edge = rev ? i * MASK_BITS + run - 1 : i * MASK_BITS + MASK_BITS - run;
		}
next_word:
		if (rev) {
			if (i == 0)
				return -1;
			i--;
		} else {
			if (i == v->last)
				return -1;
			i++;
		}
		x = view_word(v, i);
	}
}

/* Length of the run of set bits of @p in that starts at @p start. */
static __rte_always_inline unsigned int
run_length(const struct mask_view *in, unsigned int len, unsigned int start, bool rev)
{
	unsigned int b = start % MASK_BITS, room, t, next;
	uint64_t x = view_word(in, start / MASK_BITS);
	struct mask_view out;
	int end;

	/* most runs end in the word they start in */
	x = rev ? x << (MASK_BITS - 1 - b) : x >> b;
	t = rev ? ones_at_high(x) : ones_at_low(x);
	room = rev ? b + 1 : MASK_BITS - b;
	if (t < room)
		return t;
	/* the run reaches the first or last word's edge: the array ends there */
	if (rev ? start < MASK_BITS : start + room >= len)
		return t;
	/* the first element in the other state ends the run */
	out = *in;
	out.flip = ~in->flip;
	next = rev ? start - room : start + room;
	end = find_run(&out, next, 1, rev);
	if (end < 0)
		return rev ? start + 1 : len - start;
	return rev ? start - (unsigned int)end : (unsigned int)end - start;
}

/* @return the lowest index of the first longest run met from @p start. */
static int
find_biggest(const struct mask_view *in, unsigned int len, unsigned int start, bool rev)
{
	unsigned int best_len = 0, rl, first;
	int best = -1, found;
	long cur = start;

	while (cur >= 0 && cur < (long)len) {
		/* nothing left to scan can beat the best run */
		if ((rev ? (unsigned long)cur + 1 : len - (unsigned long)cur) <= best_len)
			break;
		found = find_run(in, (unsigned int)cur, 1, rev);
		if (found < 0)
			break;
		first = (unsigned int)found;
		rl = run_length(in, len, first, rev);
		if (rl > best_len) {
			best_len = rl;
			best = (int)(rev ? first - rl + 1 : first);
		}
		cur = rev ? (long)first - (long)rl : (long)first + (long)rl;
	}
	return best;
}

/* Public queries: validation, locking and errno around the core. */

enum fb_query {
	Q_NEXT_N,     /* lowest window of n at or after start */
	Q_PREV_N,     /* highest window of n at or before start */
	Q_CONTIG,     /* run length from start upwards */
	Q_REV_CONTIG, /* run length from start downwards */
	Q_BIGGEST,
	Q_REV_BIGGEST,
};

static __rte_always_inline bool
index_ok(const struct rte_fbarray *arr, unsigned int idx)
{
	return likely(arr != NULL && idx < arr->len);
}

/*
 * Log a bad array or index; @return -1. Out of line and tail-called so
 * that the hot paths need no stack frame.
 */
static __rte_noinline __rte_cold int
bad_index(const struct rte_fbarray *arr, unsigned int idx, const char *func)
{
	if (arr == NULL)
		EAL_LOG_ERRNO(ERR, EINVAL, "%s: NULL fbarray", func);
	else
		EAL_LOG_ERRNO(ERR, EINVAL, "%s: index %u out of range for fbarray '%.*s' (len %u)",
			func, idx, RTE_FBARRAY_NAME_LEN, arr->name, arr->len);
	return -1;
}

static __rte_noinline __rte_cold int
bad_window(const struct rte_fbarray *arr, unsigned int n, const char *func)
{
	EAL_LOG_ERRNO(ERR, EINVAL, "%s: window of %u elements for fbarray '%.*s' (len %u)",
		func, n, RTE_FBARRAY_NAME_LEN, arr->name, arr->len);
	return -1;
}

/* @return false when the counts alone show that no window of n exists. */
static bool
window_possible(const struct rte_fbarray *arr, unsigned int start, unsigned int n,
		bool used, bool rev)
{
	unsigned int have = used ? arr->count : arr->len - arr->count;
	unsigned int room = rev ? start + 1 : arr->len - start;

	return n <= have && n <= room;
}

static __rte_always_inline int
run_query(struct rte_fbarray *arr, unsigned int start, unsigned int n, enum fb_query q,
		bool used)
{
	struct mask_view in;

	view_init(&in, arr, used);
	switch (q) {
	case Q_NEXT_N:
	case Q_PREV_N:
		if (!window_possible(arr, start, n, used, q == Q_PREV_N))
			return -1;
		/* single elements are the common case: let it fold the constants */
		if (n == 1)
			return find_run(&in, start, 1, q == Q_PREV_N);
		return find_run(&in, start, n, q == Q_PREV_N);
	case Q_CONTIG:
	case Q_REV_CONTIG:
		return (int)run_length(&in, arr->len, start, q == Q_REV_CONTIG);
	case Q_BIGGEST:
	case Q_REV_BIGGEST:
		if (!window_possible(arr, start, 1, used, q == Q_REV_BIGGEST))
			return -1;
		return find_biggest(&in, arr->len, start, q == Q_REV_BIGGEST);
	}
	return -1;
}

/* Inlined into each public function, which passes constant q and used. */
static __rte_always_inline int
query(struct rte_fbarray *arr, unsigned int start, unsigned int n, enum fb_query q,
		bool used, const char *func)
{
	int ret;

	if (!index_ok(arr, start))
		return bad_index(arr, start, func);
	if (unlikely(n == 0 || n > arr->len))
		return bad_window(arr, n, func);
	lock_read(arr);
	ret = run_query(arr, start, n, q, used);
	unlock_read(arr);
	if (ret < 0)
		rte_errno = used ? ENOENT : ENOSPC;
	return ret;
}

RTE_EXPORT_SYMBOL(rte_fbarray_find_next_free)
int
rte_fbarray_find_next_free(struct rte_fbarray *arr, unsigned int start)
{
	return query(arr, start, 1, Q_NEXT_N, false, __func__);
}

RTE_EXPORT_SYMBOL(rte_fbarray_find_next_used)
int
rte_fbarray_find_next_used(struct rte_fbarray *arr, unsigned int start)
{
	return query(arr, start, 1, Q_NEXT_N, true, __func__);
}

RTE_EXPORT_SYMBOL(rte_fbarray_find_next_n_free)
int
rte_fbarray_find_next_n_free(struct rte_fbarray *arr, unsigned int start, unsigned int n)
{
	return query(arr, start, n, Q_NEXT_N, false, __func__);
}

RTE_EXPORT_SYMBOL(rte_fbarray_find_next_n_used)
int
rte_fbarray_find_next_n_used(struct rte_fbarray *arr, unsigned int start, unsigned int n)
{
	return query(arr, start, n, Q_NEXT_N, true, __func__);
}

RTE_EXPORT_SYMBOL(rte_fbarray_find_prev_free)
int
rte_fbarray_find_prev_free(struct rte_fbarray *arr, unsigned int start)
{
	return query(arr, start, 1, Q_PREV_N, false, __func__);
}

RTE_EXPORT_SYMBOL(rte_fbarray_find_prev_used)
int
rte_fbarray_find_prev_used(struct rte_fbarray *arr, unsigned int start)
{
	return query(arr, start, 1, Q_PREV_N, true, __func__);
}

RTE_EXPORT_SYMBOL(rte_fbarray_find_prev_n_free)
int
rte_fbarray_find_prev_n_free(struct rte_fbarray *arr, unsigned int start, unsigned int n)
{
	return query(arr, start, n, Q_PREV_N, false, __func__);
}

RTE_EXPORT_SYMBOL(rte_fbarray_find_prev_n_used)
int
rte_fbarray_find_prev_n_used(struct rte_fbarray *arr, unsigned int start, unsigned int n)
{
	return query(arr, start, n, Q_PREV_N, true, __func__);
}

RTE_EXPORT_SYMBOL(rte_fbarray_find_contig_free)
int
rte_fbarray_find_contig_free(struct rte_fbarray *arr, unsigned int start)
{
	return query(arr, start, 1, Q_CONTIG, false, __func__);
}

RTE_EXPORT_SYMBOL(rte_fbarray_find_contig_used)
int
rte_fbarray_find_contig_used(struct rte_fbarray *arr, unsigned int start)
{
	return query(arr, start, 1, Q_CONTIG, true, __func__);
}

RTE_EXPORT_SYMBOL(rte_fbarray_find_rev_contig_free)
int
rte_fbarray_find_rev_contig_free(struct rte_fbarray *arr, unsigned int start)
{
	return query(arr, start, 1, Q_REV_CONTIG, false, __func__);
}

RTE_EXPORT_SYMBOL(rte_fbarray_find_rev_contig_used)
int
rte_fbarray_find_rev_contig_used(struct rte_fbarray *arr, unsigned int start)
{
	return query(arr, start, 1, Q_REV_CONTIG, true, __func__);
}

RTE_EXPORT_SYMBOL(rte_fbarray_find_biggest_free)
int
rte_fbarray_find_biggest_free(struct rte_fbarray *arr, unsigned int start)
{
	return query(arr, start, 1, Q_BIGGEST, false, __func__);
}

RTE_EXPORT_SYMBOL(rte_fbarray_find_biggest_used)
int
rte_fbarray_find_biggest_used(struct rte_fbarray *arr, unsigned int start)
{
	return query(arr, start, 1, Q_BIGGEST, true, __func__);
}

RTE_EXPORT_SYMBOL(rte_fbarray_find_rev_biggest_free)
int
rte_fbarray_find_rev_biggest_free(struct rte_fbarray *arr, unsigned int start)
{
	return query(arr, start, 1, Q_REV_BIGGEST, false, __func__);
}

RTE_EXPORT_SYMBOL(rte_fbarray_find_rev_biggest_used)
int
rte_fbarray_find_rev_biggest_used(struct rte_fbarray *arr, unsigned int start)
{
	return query(arr, start, 1, Q_REV_BIGGEST, true, __func__);
}

/* Element access and the used bits. */

RTE_EXPORT_SYMBOL(rte_fbarray_get)
void *
rte_fbarray_get(const struct rte_fbarray *arr, unsigned int idx)
{
	if (!index_ok(arr, idx)) {
		bad_index(arr, idx, __func__);
		return NULL;
	}
	return RTE_PTR_ADD(arr->data, (size_t)idx * arr->elt_sz);
}

RTE_EXPORT_SYMBOL(rte_fbarray_find_idx)
int
rte_fbarray_find_idx(const struct rte_fbarray *arr, const void *elt)
{
	uintptr_t p = (uintptr_t)elt, base;

	if (arr == NULL || elt == NULL || arr->elt_sz == 0) {
		EAL_LOG_ERRNO(ERR, EINVAL, "%s: NULL fbarray or element", __func__);
		return -1;
	}
	base = (uintptr_t)arr->data;
	if (p < base || p - base >= (size_t)arr->len * arr->elt_sz) {
		EAL_LOG_ERRNO(ERR, EINVAL, "%s: %p is outside fbarray '%.*s'", __func__, elt,
			RTE_FBARRAY_NAME_LEN, arr->name);
		return -1;
	}
	return (int)((p - base) / arr->elt_sz);
}

static __rte_always_inline int
set_state(struct rte_fbarray *arr, unsigned int idx, bool used, const char *func)
{
	uint64_t *w, bit;

	if (!index_ok(arr, idx))
		return bad_index(arr, idx, func);
	w = &get_mask(arr)->data[idx / MASK_BITS];
	bit = UINT64_C(1) << (idx % MASK_BITS);
	lock_write(arr);
	if (((*w & bit) != 0) != used) {
		*w ^= bit;
		if (used)
			arr->count++;
		else
			arr->count--;
	}
	unlock_write(arr);
	return 0;
}

RTE_EXPORT_SYMBOL(rte_fbarray_set_used)
int
rte_fbarray_set_used(struct rte_fbarray *arr, unsigned int idx)
{
	return set_state(arr, idx, true, __func__);
}

RTE_EXPORT_SYMBOL(rte_fbarray_set_free)
int
rte_fbarray_set_free(struct rte_fbarray *arr, unsigned int idx)
{
	return set_state(arr, idx, false, __func__);
}

RTE_EXPORT_SYMBOL(rte_fbarray_is_used)
int
rte_fbarray_is_used(struct rte_fbarray *arr, unsigned int idx)
{
	uint64_t w;

	if (!index_ok(arr, idx))
		return bad_index(arr, idx, __func__);
	lock_read(arr);
	w = get_mask(arr)->data[idx / MASK_BITS];
	unlock_read(arr);
	return (int)((w >> (idx % MASK_BITS)) & 1);
}

/*
 * Areas mapped by this process. The lock only orders this process's
 * threads; other processes are kept in line by the flock()s.
 */
struct mapped_area {
	TAILQ_ENTRY(mapped_area) next;
	void *addr;
	size_t len;
	int fd;                          /* holds LOCK_SH; -1 without a file */
	char name[RTE_FBARRAY_NAME_LEN]; /* names the file to unlink */
};

static TAILQ_HEAD(, mapped_area) mapped_areas = TAILQ_HEAD_INITIALIZER(mapped_areas);
static pthread_mutex_t areas_lock = PTHREAD_MUTEX_INITIALIZER;

static struct mapped_area *
area_overlapping(const void *addr, size_t len)
{
	uintptr_t start = (uintptr_t)addr, end = start + len;
	struct mapped_area *a;

	TAILQ_FOREACH(a, &mapped_areas, next) {
		uintptr_t a_start = (uintptr_t)a->addr, a_end = a_start + a->len;

		if (start < a_end && a_start < end)
			return a;
	}
	return NULL;
}

static struct mapped_area *
area_at(const void *addr)
{
	struct mapped_area *a;

	TAILQ_FOREACH(a, &mapped_areas, next)
		if (a->addr == addr)
			return a;
	return NULL;
}

static void
area_release(struct mapped_area *a)
{
	TAILQ_REMOVE(&mapped_areas, a, next);
	munmap(a->addr, a->len);
	if (a->fd >= 0)
		close(a->fd);
	free(a);
}

/* Checks shared by init and attach; @return 0 or -errno. */
static int
check_params(const struct rte_fbarray *arr, const char *name, unsigned int len,
		unsigned int elt_sz, const char *func)
{
	if (arr == NULL || name == NULL) {
		EAL_LOG(ERR, "%s: NULL fbarray or name", func);
		return -EINVAL;
	}
	if (strnlen(name, RTE_FBARRAY_NAME_LEN) == RTE_FBARRAY_NAME_LEN) {
		EAL_LOG(ERR, "%s: fbarray name longer than %d characters", func,
			RTE_FBARRAY_NAME_LEN - 1);
		return -ENAMETOOLONG;
	}
	/* the name becomes a file name in the runtime dir */
	if (strchr(name, '/') != NULL) {
		EAL_LOG(ERR, "%s: fbarray name '%s' contains '/'", func, name);
		return -EINVAL;
	}
	if (len == 0 || len > INT_MAX || elt_sz == 0) {
		EAL_LOG(ERR, "%s: fbarray '%s': bad length %u or element size %u", func, name,
			len, elt_sz);
		return -EINVAL;
	}
	return 0;
}

static int
fbarray_path(char *buf, size_t buflen, const char *name)
{
	int n = eal_get_fbarray_path(buf, buflen, name);

	if (n < 0 || (size_t)n >= buflen) {
		EAL_LOG(ERR, "path of fbarray '%s' is too long", name);
		return -ENAMETOOLONG;
	}
	return 0;
}

/*
 * Shared arrays are placed in the EAL's reserved address range (next to
 * the memseg lists) rather than wherever the kernel likes: secondaries
 * must map them at the same address, and the low reserved range is far
 * less likely to be taken by their libraries and stacks than the top of
 * the address space that mmap(NULL) picks.
 */
static void *
map_file_in_eal_va(int fd, size_t size)
{
	size_t sz = size;
	void *va, *addr;

	va = eal_get_virtual_area(NULL, &sz, rte_mem_page_size(), 0, 0);
	if (va == NULL) {
		errno = rte_errno;
		return NULL;
	}
	addr = mmap(va, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
	if (addr == MAP_FAILED) {
		int saved = errno;

		munmap(va, sz);
		errno = saved;
		return NULL;
	}
	return addr;
}

/*
 * Create, lock, size and map the backing file of a new array.
 * @return the mapping, or NULL with *err = -errno.
 */
static void *
create_file_map(const char *name, size_t size, int *fdp, int *err)
{
	char path[PATH_MAX];
	void *addr;
	int fd;

	*err = fbarray_path(path, sizeof(path), name);
	if (*err != 0)
		return NULL;
	fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		*err = -errno;
		EAL_LOG(ERR, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		*err = errno == EWOULDBLOCK ? -EBUSY : -errno;
		EAL_LOG(ERR, "fbarray '%s' is in use by another process (%s)", name,
			strerror(-*err));
		goto err_close;
	}
	/* A stale file from a dead owner must not leak old contents. */
	if (fchmod(fd, 0600) != 0 || ftruncate(fd, 0) != 0 || ftruncate(fd, (off_t)size) != 0) {
		*err = -errno;
		EAL_LOG(ERR, "cannot size %s: %s", path, strerror(errno));
		goto err_unlink;
	}
	addr = map_file_in_eal_va(fd, size);
	if (addr == NULL) {
		*err = -errno;
		EAL_LOG(ERR, "cannot map %s: %s", path, strerror(errno));
		goto err_unlink;
	}
	/* ready: let other processes attach */
	if (flock(fd, LOCK_SH | LOCK_NB) != 0) {
		*err = errno == EWOULDBLOCK ? -EBUSY : -errno;
		EAL_LOG(ERR, "cannot share the lock of %s: %s", path, strerror(errno));
		munmap(addr, size);
		goto err_unlink;
	}
	*fdp = fd;
	return addr;

err_unlink:
	unlink(path);
err_close:
	close(fd);
	return NULL;
}

/* Without shared config nobody can attach: plain process memory will do. */
static void *
map_private(const char *name, size_t size, int *err)
{
	void *addr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		-1, 0);

	if (addr == MAP_FAILED) {
		*err = -errno;
		EAL_LOG(ERR, "cannot map %zu bytes for fbarray '%s': %s", size, name,
			strerror(errno));
		return NULL;
	}
	return addr;
}

RTE_EXPORT_SYMBOL(rte_fbarray_init)
int
rte_fbarray_init(struct rte_fbarray *arr, const char *name, unsigned int len,
		unsigned int elt_sz)
{
	struct mapped_area *a;
	size_t size;
	void *data;
	int fd = -1, err;

	err = check_params(arr, name, len, elt_sz, __func__);
	if (err != 0)
		goto err_out;
	size = area_size(len, elt_sz);
	a = malloc(sizeof(*a));
	if (a == NULL) {
		err = -ENOMEM;
		goto err_out;
	}
	if (eal_get_internal_configuration()->no_shconf)
		data = map_private(name, size, &err);
	else
		data = create_file_map(name, size, &fd, &err);
	if (data == NULL)
		goto err_free;

	a->addr = data;
	a->len = size;
	a->fd = fd;
	strlcpy(a->name, name, sizeof(a->name));
	pthread_mutex_lock(&areas_lock);
	TAILQ_INSERT_TAIL(&mapped_areas, a, next);
	pthread_mutex_unlock(&areas_lock);

	memset(arr, 0, sizeof(*arr));
	strlcpy(arr->name, name, sizeof(arr->name));
	arr->len = len;
	arr->elt_sz = elt_sz;
	arr->data = data;
	get_mask(arr)->n_masks = mask_words(len);
	rte_rwlock_init(&arr->rwlock);
	return 0;

err_free:
	free(a);
err_out:
	rte_errno = -err;
	return -1;
}

/* Open, lock and map the file of @p arr at arr->data; @return fd or -errno. */
static int
attach_file_map(const struct rte_fbarray *arr, size_t size)
{
	char path[PATH_MAX];
	struct stat st;
	void *addr;
	int fd, err;

	err = fbarray_path(path, sizeof(path), arr->name);
	if (err != 0)
		return err;
	fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		err = -errno;
		EAL_LOG(ERR, "cannot open %s: %s", path, strerror(errno));
		return err;
	}
	if (flock(fd, LOCK_SH | LOCK_NB) != 0) {
		err = errno == EWOULDBLOCK ? -EBUSY : -errno;
		EAL_LOG(ERR, "cannot lock %s: %s", path, strerror(-err));
		goto err_close;
	}
	/* mapping past the end of the file would fault on first access */
	if (fstat(fd, &st) != 0 || (size_t)st.st_size < size) {
		err = -EINVAL;
		EAL_LOG(ERR, "%s is smaller than fbarray '%s' needs", path, arr->name);
		goto err_close;
	}
	addr = mmap(arr->data, size, PROT_READ | PROT_WRITE,
		MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
	if (addr == MAP_FAILED) {
		err = errno == EEXIST ? -EADDRNOTAVAIL : -errno;
		EAL_LOG(ERR, "cannot map fbarray '%s' at %p: %s", arr->name, arr->data,
			strerror(errno));
		goto err_close;
	}
	if (addr != arr->data) {
		/* kernels before 4.17 take the address as a mere hint */
		munmap(addr, size);
		err = -EADDRNOTAVAIL;
		EAL_LOG(ERR, "fbarray '%s' cannot be mapped at %p", arr->name, arr->data);
		goto err_close;
	}
	return fd;

err_close:
	close(fd);
	return err;
}

RTE_EXPORT_SYMBOL(rte_fbarray_attach)
int
rte_fbarray_attach(struct rte_fbarray *arr)
{
	struct mapped_area *a;
	size_t size;
	int err, fd;

	err = check_params(arr, arr != NULL ? arr->name : NULL, arr != NULL ? arr->len : 0,
		arr != NULL ? arr->elt_sz : 0, __func__);
	if (err != 0)
		goto err_out;
	if (arr->data == NULL) {
		EAL_LOG(ERR, "%s: fbarray '%s' has no data address", __func__, arr->name);
		err = -EINVAL;
		goto err_out;
	}
	size = area_size(arr->len, arr->elt_sz);
	a = malloc(sizeof(*a));
	if (a == NULL) {
		err = -ENOMEM;
		goto err_out;
	}
	pthread_mutex_lock(&areas_lock);
	if (area_overlapping(arr->data, size) != NULL) {
		EAL_LOG(ERR, "%s: fbarray '%s' overlaps an fbarray mapped by this process",
			__func__, arr->name);
		err = -EEXIST;
		goto err_unlock;
	}
	fd = attach_file_map(arr, size);
	if (fd < 0) {
		err = fd;
		goto err_unlock;
	}
	a->addr = arr->data;
	a->len = size;
	a->fd = fd;
	strlcpy(a->name, arr->name, sizeof(a->name));
	TAILQ_INSERT_TAIL(&mapped_areas, a, next);
	pthread_mutex_unlock(&areas_lock);
	return 0;

err_unlock:
	pthread_mutex_unlock(&areas_lock);
	free(a);
err_out:
	rte_errno = -err;
	return -1;
}

/* @return the area of @p arr mapped here, NULL (rte_errno set) otherwise. */
static struct mapped_area *
find_own_area(const struct rte_fbarray *arr, const char *func)
{
	struct mapped_area *a;

	if (arr == NULL) {
		EAL_LOG_ERRNO(ERR, EINVAL, "%s: NULL fbarray", func);
		return NULL;
	}
	a = area_at(arr->data);
	if (a == NULL || arr->data == NULL) {
		EAL_LOG_ERRNO(ERR, ENOENT, "%s: fbarray '%.*s' is not mapped by this process",
			func, RTE_FBARRAY_NAME_LEN, arr->name);
		return NULL;
	}
	return a;
}

RTE_EXPORT_SYMBOL(rte_fbarray_detach)
int
rte_fbarray_detach(struct rte_fbarray *arr)
{
	struct mapped_area *a;

	pthread_mutex_lock(&areas_lock);
	a = find_own_area(arr, __func__);
	if (a != NULL)
		area_release(a);
	pthread_mutex_unlock(&areas_lock);
	return a != NULL ? 0 : -1;
}

RTE_EXPORT_SYMBOL(rte_fbarray_destroy)
int
rte_fbarray_destroy(struct rte_fbarray *arr)
{
	char path[PATH_MAX];
	struct mapped_area *a;
	int err = 0;

	pthread_mutex_lock(&areas_lock);
	a = find_own_area(arr, __func__);
	if (a == NULL) {
		pthread_mutex_unlock(&areas_lock);
		return -1;
	}
	if (a->fd >= 0 && flock(a->fd, LOCK_EX | LOCK_NB) != 0) {
		err = errno == EWOULDBLOCK ? EBUSY : errno;
		/* Linux drops the shared lock when an upgrade fails: take it back */
		if (flock(a->fd, LOCK_SH | LOCK_NB) != 0)
			EAL_LOG(WARNING, "fbarray '%s' lost its shared lock", a->name);
		pthread_mutex_unlock(&areas_lock);
		EAL_LOG_ERRNO(ERR, err, "cannot destroy fbarray '%s': another process uses it",
			a->name);
		return -1;
	}
	if (a->fd >= 0 && fbarray_path(path, sizeof(path), a->name) == 0 &&
	    unlink(path) != 0)
		EAL_LOG(WARNING, "cannot remove %s: %s", path, strerror(errno));
	area_release(a);
	pthread_mutex_unlock(&areas_lock);
	memset(arr, 0, sizeof(*arr));
	return 0;
}

RTE_EXPORT_SYMBOL(rte_fbarray_dump_metadata)
void
rte_fbarray_dump_metadata(struct rte_fbarray *arr, FILE *f)
{
	const struct used_mask *m;
	unsigned int i;

	if (f == NULL) {
		EAL_LOG(ERR, "%s: NULL stream", __func__);
		return;
	}
	if (arr == NULL || arr->data == NULL || arr->len == 0 || arr->len > INT_MAX ||
	    arr->elt_sz == 0 || strnlen(arr->name, RTE_FBARRAY_NAME_LEN) == RTE_FBARRAY_NAME_LEN) {
		fprintf(f, "Invalid file-backed array\n");
		return;
	}
	lock_read(arr);
	m = get_mask(arr);
	fprintf(f, "File-backed array: %s\n", arr->name);
	fprintf(f, "size: %u occupied: %u elt_sz: %u\n", arr->len, arr->count, arr->elt_sz);
	fprintf(f, "start VA: %p\n", arr->data);
	fprintf(f, "data len: %zu\n", (size_t)arr->len * arr->elt_sz);
	fprintf(f, "number of masks: %u\n", m->n_masks);
	for (i = 0; i < m->n_masks; i++)
		fprintf(f, "msk idx %u: 0x%016" PRIx64 "\n", i, m->data[i]);
	unlock_read(arr);
}
