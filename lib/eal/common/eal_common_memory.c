/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * OS-neutral memory core: VA reservation for memseg lists and fbarrays.
 *
 * Every byte of VA that can ever hold EAL hugepage memory is reserved at
 * init as a PROT_READ anonymous placeholder; pages are later mapped over
 * it with MAP_FIXED and the placeholder is put back when they are freed,
 * so the windows never have holes another mapping could fall into.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_fbarray.h>
#include <rte_memory.h>

#include "eal_export.h"
#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_memalloc.h"
#include "eal_memcfg.h"
#include "eal_private.h"

/*
 * Where the next reservation without a requested address is hinted (the
 * primary only: a secondary asks for exact addresses, or takes what the
 * kernel gives for private areas). Starting low, at rte_eal_get_baseaddr(),
 * keeps IOVA-as-VA addresses within reach of DMA-limited devices and makes
 * the layout the same from run to run, which helps secondaries.
 */
static uintptr_t next_baseaddr;

/* hints tried before taking what the kernel offers */
#define VA_HINT_TRIES 8

uint64_t
eal_get_baseaddr(void)
{
	return rte_eal_get_baseaddr();
}

static void *
reserve(void *addr, size_t len, int extra_flags)
{
	void *va = mmap(addr, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | extra_flags, -1, 0);

	return va == MAP_FAILED ? NULL : va;
}

/*
 * One mmap attempt honouring @p want (exact unless @p hint). @return the
 * mapping or NULL with rte_errno set; never loops.
 */
static void *
reserve_at(void *want, size_t map_sz, bool hint, int extra_flags)
{
	void *va;

	if (want != NULL && !hint) {
		/* NOREPLACE: an exact request must never clobber a mapping */
		va = reserve(want, map_sz, extra_flags | MAP_FIXED_NOREPLACE);
		if (va == NULL) {
			rte_errno = errno == EEXIST ? EADDRNOTAVAIL : errno;
			return NULL;
		}
		if (va != want) {
			/* kernel without MAP_FIXED_NOREPLACE treated it as a hint */
			munmap(va, map_sz);
			rte_errno = EADDRNOTAVAIL;
			return NULL;
		}
		return va;
	}
	va = reserve(want, map_sz, extra_flags);
	if (va == NULL)
		rte_errno = errno;
	return va;
}

/*
 * Reserve @p map_sz bytes near @p want. A refused hint is retried a few
 * times further up (the kernel refuses a hint that overlaps anything),
 * then the kernel's own choice is taken: bounded, whatever mmap does.
 */
static void *
reserve_hinted(uintptr_t *want, size_t map_sz, int extra_flags)
{
	unsigned int try;
	void *va;

	for (try = 0; try < VA_HINT_TRIES; try++) {
		va = reserve_at((void *)*want, map_sz, true, extra_flags);
		if (va == NULL || (uintptr_t)va == *want)
			return va;
		munmap(va, map_sz);
		if (*want > UINTPTR_MAX - 2 * map_sz)
			break;
		*want += map_sz;
	}
	return reserve_at(NULL, map_sz, true, extra_flags);
}

/* Trim an over-sized mapping [va, va + map_sz) to [aligned, aligned + size). */
static void
trim(void *va, size_t map_sz, void *aligned, size_t size)
{
	size_t head = RTE_PTR_DIFF(aligned, va);
	size_t tail = map_sz - head - size;

	if (head != 0)
		munmap(va, head);
	if (tail != 0)
		munmap(RTE_PTR_ADD(aligned, size), tail);
}

void *
eal_get_virtual_area(void *requested_addr, size_t *size, size_t page_sz, int flags,
		int reserve_flags)
{
	bool hint = (flags & EAL_VIRTUAL_AREA_ADDR_IS_HINT) != 0;
	bool allow_shrink = (flags & EAL_VIRTUAL_AREA_ALLOW_SHRINK) != 0;
	bool use_base = false;
	size_t sys_pgsz = rte_mem_page_size();
	uintptr_t want = (uintptr_t)requested_addr;
	size_t map_sz;
	bool no_align;
	void *va, *aligned;

	if (size == NULL || *size == 0 || page_sz == 0 || !rte_is_power_of_2(page_sz)) {
		rte_errno = EINVAL;
		EAL_LOG(ERR, "Cannot reserve VA: invalid size or alignment");
		return NULL;
	}
	if (requested_addr == NULL && rte_eal_process_type() == RTE_PROC_PRIMARY) {
		if (next_baseaddr == 0)
			next_baseaddr = (uintptr_t)rte_eal_get_baseaddr();
		want = RTE_ALIGN_CEIL(next_baseaddr, page_sz);
		hint = true;
		use_base = true;
	}
	if (want != 0 && !hint && (want & (page_sz - 1)) != 0) {
		rte_errno = EINVAL;
		EAL_LOG(ERR, "Cannot reserve VA at %p: not aligned to %zu", requested_addr,
			page_sz);
		return NULL;
	}
	*size = RTE_ALIGN_FLOOR(*size, page_sz);
	/* an exact request is aligned already: no slack to trim */
	no_align = page_sz <= sys_pgsz || (want != 0 && !hint);

	for (;;) {
		if (*size == 0) {
			rte_errno = ENOMEM;
			EAL_LOG(ERR, "Cannot reserve VA: no size left after shrinking");
			return NULL;
		}
		if (!no_align && *size > SIZE_MAX - page_sz) {
			rte_errno = E2BIG;
			EAL_LOG(ERR, "Cannot reserve VA: size %zu too big", *size);
			return NULL;
		}
		map_sz = no_align ? *size : *size + page_sz;
		if (want != 0 && hint)
			va = reserve_hinted(&want, map_sz, reserve_flags);
		else
			va = reserve_at((void *)want, map_sz, false, reserve_flags);
		if (va != NULL)
			break;
		if (!allow_shrink || rte_errno == EADDRNOTAVAIL) {
			EAL_LOG(DEBUG, "Cannot reserve %zu bytes of VA at %p: %s", map_sz,
				(void *)want, rte_strerror(rte_errno));
			return NULL;
		}
		*size -= page_sz;
	}

	aligned = no_align ? va : RTE_PTR_ALIGN_CEIL(va, page_sz);
	if (!no_align)
		trim(va, map_sz, aligned, *size);
	if (requested_addr != NULL && hint && aligned != requested_addr)
		EAL_LOG(DEBUG, "VA hint %p not respected, got %p", requested_addr, aligned);
	if (use_base)
		next_baseaddr = (uintptr_t)aligned + *size;
	if ((flags & EAL_VIRTUAL_AREA_UNMAP) != 0)
		munmap(aligned, *size);
	return aligned;
}

/* ---------------------------------------------------------------------- */
/* memseg lists                                                           */

int
eal_memseg_list_init_named(struct rte_memseg_list *msl, const char *name, uint64_t page_sz,
		int n_segs, int socket_id, bool heap)
{
	if (n_segs <= 0 || page_sz == 0 || !rte_is_power_of_2(page_sz))
		return -EINVAL;
	if (rte_fbarray_init(&msl->memseg_arr, name, (unsigned int)n_segs,
			sizeof(struct rte_memseg)) != 0) {
		EAL_LOG(ERR, "Cannot create memseg list '%s': %s", name,
			rte_strerror(rte_errno));
		return -rte_errno;
	}
	eal_fbarray_make_robust(&msl->memseg_arr);
	msl->page_sz = page_sz;
	msl->socket_id = socket_id;
	msl->base_va = NULL;
	msl->len = (size_t)n_segs * page_sz;
	msl->heap = heap;
	msl->external = 0;
	msl->version = 0;
	EAL_LOG(DEBUG, "Memseg list '%s': %d slots of %" PRIu64 " kB on socket %d", name, n_segs,
		page_sz >> 10, socket_id);
	return 0;
}

int
eal_memseg_list_init(struct rte_memseg_list *msl, uint64_t page_sz, int n_segs, int socket_id,
		int type_msl_idx, bool heap)
{
	char name[RTE_FBARRAY_NAME_LEN];

	snprintf(name, sizeof(name), "memseg-%" PRIu64 "k-%d-%d", page_sz >> 10, socket_id,
		type_msl_idx);
	return eal_memseg_list_init_named(msl, name, page_sz, n_segs, socket_id, heap);
}

int
eal_memseg_list_alloc(struct rte_memseg_list *msl, int reserve_flags)
{
	void *want = msl->base_va;
	size_t len = msl->len;
	void *va;

	va = eal_get_virtual_area(want, &len, msl->page_sz, 0, reserve_flags);
	if (va == NULL) {
		int err = rte_errno;

		if (want != NULL)
			EAL_LOG(ERR, "Cannot reserve VA [%p, %p) for memseg list '%s': %s; "
				"the range is in use in this process (try --base-virtaddr in the "
				"primary)", want, RTE_PTR_ADD(want, msl->len),
				msl->memseg_arr.name, rte_strerror(err));
		else
			EAL_LOG(ERR, "Cannot reserve %zu bytes of VA for memseg list '%s': %s",
				msl->len, msl->memseg_arr.name, rte_strerror(err));
		return -err;
	}
	msl->base_va = va;
	msl->len = len;
	return 0;
}

void
eal_memseg_list_populate(struct rte_memseg_list *msl, void *addr, int n_segs)
{
	const struct rte_mem_config *mcfg = eal_get_mcfg();
	bool iova_va = rte_eal_iova_mode() == RTE_IOVA_VA;
	int i;

	for (i = 0; i < n_segs; i++) {
		struct rte_memseg *ms = rte_fbarray_get(&msl->memseg_arr, (unsigned int)i);
		void *va = RTE_PTR_ADD(addr, (size_t)i * msl->page_sz);

		ms->addr = va;
		ms->iova = iova_va ? (rte_iova_t)(uintptr_t)va : RTE_BAD_IOVA;
		ms->len = msl->page_sz;
		ms->hugepage_sz = msl->page_sz;
		ms->socket_id = msl->socket_id;
		ms->nchannel = mcfg->nchannel;
		ms->nrank = mcfg->nrank;
		ms->flags = 0;
		rte_fbarray_set_used(&msl->memseg_arr, (unsigned int)i);
	}
}

void
eal_memseg_list_release(struct rte_memseg_list *msl, bool destroy)
{
	if (msl->base_va != NULL && !msl->external)
		munmap(msl->base_va, msl->len);
	if (msl->memseg_arr.len != 0) {
		int ret = destroy ? rte_fbarray_destroy(&msl->memseg_arr) : -1;

		/* destroy refuses while another process uses it: then just leave */
		if (ret != 0)
			rte_fbarray_detach(&msl->memseg_arr);
	}
	memset(msl, 0, sizeof(*msl));
}

/* @return true if [va, va + len) overlaps any list in use. */
static bool
overlaps_any_list(const void *va, size_t len)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	uintptr_t start = (uintptr_t)va, end = start + len;
	unsigned int i;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		const struct rte_memseg_list *msl = &mcfg->memsegs[i];
		uintptr_t b = (uintptr_t)msl->base_va;

		if (msl->base_va != NULL && start < b + msl->len && b < end)
			return true;
	}
	return false;
}

static struct rte_memseg_list *
free_list_slot(void)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	unsigned int i;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++)
		if (mcfg->memsegs[i].base_va == NULL && mcfg->memsegs[i].memseg_arr.len == 0)
			return &mcfg->memsegs[i];
	return NULL;
}

struct rte_memseg_list *
eal_memseg_list_create_external(void *va, size_t len, const rte_iova_t iova_addrs[],
		unsigned int n_pages, size_t page_sz, const char *name_prefix, int socket_id,
		bool heap)
{
	char name[RTE_FBARRAY_NAME_LEN];
	struct rte_memseg_list *msl;
	unsigned int i, n;
	int ret;

	if (va == NULL || len == 0 || page_sz == 0 || !rte_is_power_of_2(page_sz) ||
	    len % page_sz != 0 || ((uintptr_t)va & (page_sz - 1)) != 0 ||
	    len / page_sz > INT32_MAX ||
	    (iova_addrs != NULL && n_pages != len / page_sz)) {
		rte_errno = EINVAL;
		return NULL;
	}
	n = (unsigned int)(len / page_sz);
	if (overlaps_any_list(va, len)) {
		rte_errno = EEXIST;
		return NULL;
	}
	msl = free_list_slot();
	if (msl == NULL) {
		rte_errno = ENOSPC;
		return NULL;
	}
	snprintf(name, sizeof(name), "%s_%p", name_prefix, va);
	ret = eal_memseg_list_init_named(msl, name, page_sz, (int)n, socket_id, heap);
	if (ret != 0) {
		rte_errno = -ret;
		return NULL;
	}
	eal_memseg_list_populate(msl, va, (int)n);
	for (i = 0; i < n; i++) {
		struct rte_memseg *ms = rte_fbarray_get(&msl->memseg_arr, i);

		ms->iova = iova_addrs != NULL ? iova_addrs[i] : RTE_BAD_IOVA;
	}
	msl->external = 1;
	/* last: lookups treat a list with a base as complete */
	msl->base_va = va;
	return msl;
}

struct rte_memseg_list *
eal_memseg_list_find_external(const void *va, size_t len)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	unsigned int i;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		struct rte_memseg_list *msl = &mcfg->memsegs[i];

		if (msl->external && msl->base_va == va && msl->len == len)
			return msl;
	}
	return NULL;
}

int
eal_memseg_list_destroy_external(struct rte_memseg_list *msl)
{
	if (msl == NULL || !msl->external)
		return -EINVAL;
	if (rte_fbarray_destroy(&msl->memseg_arr) != 0)
		return -rte_errno;
	memset(msl, 0, sizeof(*msl));
	return 0;
}

/* ---------------------------------------------------------------------- */
/* lookups                                                                */

/*
 * The list whose window holds @p va: one unsigned compare per slot (an
 * unused slot has len 0, and va below base wraps to a huge offset), in
 * list order, so the common case of the first lists is a few loads.
 */
static inline struct rte_memseg_list *
find_list(struct rte_mem_config *mcfg, uintptr_t va)
{
	unsigned int i;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		struct rte_memseg_list *msl = &mcfg->memsegs[i];

		/* base checked second: a list being set up has a length but no base */
		if (va - (uintptr_t)msl->base_va < msl->len && msl->base_va != NULL)
			return msl;
	}
	return NULL;
}

static inline bool
msl_holds(const struct rte_memseg_list *msl, uintptr_t va)
{
	return va - (uintptr_t)msl->base_va < msl->len && msl->base_va != NULL;
}

RTE_EXPORT_SYMBOL(rte_mem_virt2memseg_list)
struct rte_memseg_list *
rte_mem_virt2memseg_list(const void *addr)
{
	return find_list(eal_get_mcfg(), (uintptr_t)addr);
}

/* Slot of @p va in @p msl, which must hold it. */
static inline struct rte_memseg *
slot_of(const struct rte_memseg_list *msl, uintptr_t va)
{
	size_t idx = (va - (uintptr_t)msl->base_va) / msl->page_sz;

	if (idx >= msl->memseg_arr.len)
		return NULL;
	return (struct rte_memseg *)msl->memseg_arr.data + idx;
}

RTE_EXPORT_SYMBOL(rte_mem_virt2memseg)
struct rte_memseg *
rte_mem_virt2memseg(const void *addr, const struct rte_memseg_list *msl)
{
	uintptr_t va = (uintptr_t)addr;

	if (msl == NULL)
		msl = find_list(eal_get_mcfg(), va);
	else if (!msl_holds(msl, va))
		return NULL;
	if (msl == NULL)
		return NULL;
	return slot_of(msl, va);
}

RTE_EXPORT_SYMBOL(rte_mem_virt2iova)
rte_iova_t
rte_mem_virt2iova(const void *addr)
{
	const struct rte_memseg_list *msl;
	const struct rte_memseg *ms;
	uintptr_t va = (uintptr_t)addr;

	if (rte_eal_iova_mode() == RTE_IOVA_VA)
		return (rte_iova_t)va;
	/*
	 * EAL memory: the memseg knows its IOVA, no system call needed.
	 * External memory keeps the physical address, as in DPDK 22.11: the
	 * IOVAs its owner registered are for the heap, not for this lookup.
	 */
	msl = find_list(eal_get_mcfg(), va);
	if (msl != NULL && !msl->external) {
		ms = slot_of(msl, va);
		if (ms != NULL && ms->addr != NULL && ms->iova != RTE_BAD_IOVA &&
		    va - (uintptr_t)ms->addr < ms->len)
			return ms->iova + (va - (uintptr_t)ms->addr);
	}
	return rte_mem_virt2phy(addr);
}

struct iova2virt_arg {
	rte_iova_t iova;
	void *va;
};

static int
find_iova(const struct rte_memseg_list *msl, const struct rte_memseg *ms, void *arg)
{
	struct iova2virt_arg *a = arg;

	RTE_SET_USED(msl);
	if (ms->iova == RTE_BAD_IOVA || a->iova < ms->iova || a->iova - ms->iova >= ms->len)
		return 0;
	a->va = RTE_PTR_ADD(ms->addr, a->iova - ms->iova);
	return 1;
}

RTE_EXPORT_SYMBOL(rte_mem_iova2virt)
void *
rte_mem_iova2virt(rte_iova_t iova)
{
	struct iova2virt_arg a = { .iova = iova, .va = NULL };

	if (rte_eal_iova_mode() == RTE_IOVA_VA)
		return (void *)(uintptr_t)iova;
	rte_memseg_walk(find_iova, &a);
	return a.va;
}

RTE_EXPORT_SYMBOL(rte_mem_lock_page)
int
rte_mem_lock_page(const void *virt)
{
	size_t pgsz = rte_mem_page_size();
	uintptr_t page = RTE_ALIGN_FLOOR((uintptr_t)virt, pgsz);

	return mlock((const void *)page, pgsz);
}

/* ---------------------------------------------------------------------- */
/* walks                                                                  */

static inline int
walk_result(int ret)
{
	return ret < 0 ? -1 : 1;
}

/*
 * One pass over every run of mapped pages: @p page_fn per page, or
 * @p run_fn per run. @return what the walkers return.
 */
static int
walk_used(rte_memseg_walk_t page_fn, rte_memseg_contig_walk_t run_fn, void *arg)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	unsigned int i;
	int idx, n, k, ret;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		struct rte_memseg_list *msl = &mcfg->memsegs[i];
		struct rte_fbarray *arr = &msl->memseg_arr;

		if (msl->base_va == NULL || arr->count == 0)
			continue;
		for (idx = rte_fbarray_find_next_used(arr, 0); idx >= 0;
				idx = rte_fbarray_find_next_used(arr, (unsigned int)(idx + n))) {
			struct rte_memseg *ms = rte_fbarray_get(arr, (unsigned int)idx);

			n = rte_fbarray_find_contig_used(arr, (unsigned int)idx);
			if (n <= 0)
				break;
			if (run_fn != NULL) {
				ret = run_fn(msl, ms, (size_t)n * msl->page_sz, arg);
				if (ret != 0)
					return walk_result(ret);
			}
			for (k = 0; page_fn != NULL && k < n; k++) {
				ret = page_fn(msl, ms + k, arg);
				if (ret != 0)
					return walk_result(ret);
			}
			if ((unsigned int)(idx + n) >= arr->len)
				break;
		}
	}
	return 0;
}

RTE_EXPORT_SYMBOL(rte_memseg_walk_thread_unsafe)
int
rte_memseg_walk_thread_unsafe(rte_memseg_walk_t func, void *arg)
{
	return func == NULL ? -1 : walk_used(func, NULL, arg);
}

RTE_EXPORT_SYMBOL(rte_memseg_walk)
int
rte_memseg_walk(rte_memseg_walk_t func, void *arg)
{
	int ret;

	rte_mcfg_mem_read_lock();
	ret = rte_memseg_walk_thread_unsafe(func, arg);
	rte_mcfg_mem_read_unlock();
	return ret;
}

RTE_EXPORT_SYMBOL(rte_memseg_contig_walk_thread_unsafe)
int
rte_memseg_contig_walk_thread_unsafe(rte_memseg_contig_walk_t func, void *arg)
{
	return func == NULL ? -1 : walk_used(NULL, func, arg);
}

RTE_EXPORT_SYMBOL(rte_memseg_contig_walk)
int
rte_memseg_contig_walk(rte_memseg_contig_walk_t func, void *arg)
{
	int ret;

	rte_mcfg_mem_read_lock();
	ret = rte_memseg_contig_walk_thread_unsafe(func, arg);
	rte_mcfg_mem_read_unlock();
	return ret;
}

RTE_EXPORT_SYMBOL(rte_memseg_list_walk_thread_unsafe)
int
rte_memseg_list_walk_thread_unsafe(rte_memseg_list_walk_t func, void *arg)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	unsigned int i;
	int ret;

	if (func == NULL)
		return -1;
	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		if (mcfg->memsegs[i].base_va == NULL)
			continue;
		ret = func(&mcfg->memsegs[i], arg);
		if (ret != 0)
			return walk_result(ret);
	}
	return 0;
}

RTE_EXPORT_SYMBOL(rte_memseg_list_walk)
int
rte_memseg_list_walk(rte_memseg_list_walk_t func, void *arg)
{
	int ret;

	rte_mcfg_mem_read_lock();
	ret = rte_memseg_list_walk_thread_unsafe(func, arg);
	rte_mcfg_mem_read_unlock();
	return ret;
}

/* ---------------------------------------------------------------------- */
/* reports                                                                */

static int
dump_memseg(const struct rte_memseg_list *msl, const struct rte_memseg *ms, void *arg)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	FILE *f = arg;

	if (msl->external)
		return 0;
	fprintf(f, "Segment %d-%d: IOVA:0x%" PRIx64 ", len:%zu, virt:%p, socket_id:%" PRId32
		", hugepage_sz:%" PRIu64 ", nchannel:%" PRIx32 ", nrank:%" PRIx32 "\n",
		(int)(msl - mcfg->memsegs), rte_fbarray_find_idx(&msl->memseg_arr, ms), ms->iova,
		ms->len, ms->addr, ms->socket_id, ms->hugepage_sz, ms->nchannel, ms->nrank);
	return 0;
}

RTE_EXPORT_SYMBOL(rte_dump_physmem_layout)
void
rte_dump_physmem_layout(FILE *f)
{
	if (f == NULL)
		return;
	rte_memseg_walk(dump_memseg, f);
}

RTE_EXPORT_SYMBOL(rte_eal_get_physmem_size)
uint64_t
rte_eal_get_physmem_size(void)
{
	const struct rte_mem_config *mcfg = eal_get_mcfg();
	uint64_t total = 0;
	unsigned int i;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		const struct rte_memseg_list *msl = &mcfg->memsegs[i];

		if (msl->base_va != NULL && !msl->external)
			total += (uint64_t)msl->memseg_arr.count * msl->page_sz;
	}
	return total;
}

RTE_EXPORT_SYMBOL(rte_memory_get_nchannel)
unsigned int
rte_memory_get_nchannel(void)
{
	return eal_get_mcfg()->nchannel;
}

RTE_EXPORT_SYMBOL(rte_memory_get_nrank)
unsigned int
rte_memory_get_nrank(void)
{
	return eal_get_mcfg()->nrank;
}

RTE_EXPORT_SYMBOL(rte_eal_using_phys_addrs)
int
rte_eal_using_phys_addrs(void)
{
	return eal_phys_addrs_available();
}

/* ---------------------------------------------------------------------- */
/* DMA mask                                                               */

static int
check_iova(const struct rte_memseg_list *msl, const struct rte_memseg *ms, void *arg)
{
	const uint64_t *mask = arg;
	rte_iova_t last;

	RTE_SET_USED(msl);
	if (ms->iova == RTE_BAD_IOVA)
		return 0;
	last = ms->iova + ms->len - 1;
	if ((last & *mask) == 0)
		return 0;
	EAL_LOG(DEBUG, "Memseg at IOVA 0x%" PRIx64 " is out of the DMA mask 0x%" PRIx64,
		ms->iova, *mask);
	return 1;
}

static void
store_dma_mask(uint8_t maskbits)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();

	if (mcfg->dma_maskbits == 0 || maskbits < mcfg->dma_maskbits)
		mcfg->dma_maskbits = maskbits;
}

RTE_EXPORT_SYMBOL(rte_mem_check_dma_mask_thread_unsafe)
int
rte_mem_check_dma_mask_thread_unsafe(uint8_t maskbits)
{
	uint64_t mask;

	if (maskbits > 64) {
		EAL_LOG_ERRNO(ERR, EINVAL, "Invalid DMA mask width %u (max 64)", maskbits);
		return -1;
	}
	mask = maskbits == 64 ? 0 : ~((1ULL << maskbits) - 1);
	if (rte_memseg_walk_thread_unsafe(check_iova, &mask) != 0) {
		EAL_LOG(ERR, "Memory has IOVAs beyond a %u-bit DMA mask", maskbits);
		return 1;
	}
	store_dma_mask(maskbits);
	return 0;
}

RTE_EXPORT_SYMBOL(rte_mem_check_dma_mask)
int
rte_mem_check_dma_mask(uint8_t maskbits)
{
	int ret;

	rte_mcfg_mem_read_lock();
	ret = rte_mem_check_dma_mask_thread_unsafe(maskbits);
	rte_mcfg_mem_read_unlock();
	return ret;
}

RTE_EXPORT_SYMBOL(rte_mem_set_dma_mask)
void
rte_mem_set_dma_mask(uint8_t maskbits)
{
	if (maskbits > 64) {
		EAL_LOG(ERR, "Invalid DMA mask width %u (max 64)", maskbits);
		return;
	}
	store_dma_mask(maskbits);
}

/* ---------------------------------------------------------------------- */
/* external memory                                                        */

static int
check_extmem_args(const void *va_addr, size_t len, const char *what)
{
	if (va_addr == NULL || len == 0) {
		EAL_LOG_ERRNO(ERR, EINVAL, "%s: NULL address or zero length", what);
		return -1;
	}
	if ((uintptr_t)va_addr > UINTPTR_MAX - len) {
		EAL_LOG_ERRNO(ERR, EINVAL, "%s: range wraps around", what);
		return -1;
	}
	return 0;
}

RTE_EXPORT_SYMBOL(rte_extmem_register)
int
rte_extmem_register(void *va_addr, size_t len, rte_iova_t iova_addrs[],
		unsigned int n_pages, size_t page_sz)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	struct rte_memseg_list *msl;
	int socket_id;

	if (check_extmem_args(va_addr, len, "rte_extmem_register") != 0)
		return -1;
	if (page_sz == 0 || !rte_is_power_of_2(page_sz) || len % page_sz != 0 ||
	    ((uintptr_t)va_addr & (page_sz - 1)) != 0 ||
	    (iova_addrs != NULL && n_pages != len / page_sz)) {
		EAL_LOG_ERRNO(ERR, EINVAL, "rte_extmem_register: page size, alignment or "
			"IOVA table does not match the range");
		return -1;
	}
	rte_mcfg_mem_write_lock();
	/* every external area gets its own socket id, never reused */
	if (mcfg->next_socket_id < EXTERNAL_HEAP_MIN_SOCKET_ID)
		mcfg->next_socket_id = EXTERNAL_HEAP_MIN_SOCKET_ID;
	socket_id = mcfg->next_socket_id;
	msl = eal_memseg_list_create_external(va_addr, len, iova_addrs, n_pages, page_sz,
		"extmem", socket_id, false);
	if (msl != NULL)
		mcfg->next_socket_id++;
	rte_mcfg_mem_write_unlock();
	if (msl == NULL) {
		EAL_LOG(ERR, "Cannot register external memory %p+%zu: %s", va_addr, len,
			rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

RTE_EXPORT_SYMBOL(rte_extmem_unregister)
int
rte_extmem_unregister(void *va_addr, size_t len)
{
	struct rte_memseg_list *msl;
	int ret = 0;

	if (check_extmem_args(va_addr, len, "rte_extmem_unregister") != 0)
		return -1;
	rte_mcfg_mem_write_lock();
	msl = eal_memseg_list_find_external(va_addr, len);
	if (msl == NULL)
		ret = -ENOENT;
	else if (msl->heap)
		ret = -EBUSY;
	else
		ret = eal_memseg_list_destroy_external(msl);
	rte_mcfg_mem_write_unlock();
	if (ret != 0) {
		EAL_LOG_ERRNO(ERR, -ret, "Cannot unregister external memory %p+%zu: %s",
			va_addr, len, strerror(-ret));
		return -1;
	}
	return 0;
}

static int
extmem_sync(void *va_addr, size_t len, bool attach)
{
	struct rte_memseg_list *msl;
	int ret;

	if (check_extmem_args(va_addr, len, attach ? "rte_extmem_attach" :
			"rte_extmem_detach") != 0)
		return -1;
	rte_mcfg_mem_read_lock();
	msl = eal_memseg_list_find_external(va_addr, len);
	if (msl == NULL) {
		rte_mcfg_mem_read_unlock();
		EAL_LOG_ERRNO(ERR, ENOENT, "No external memory registered at %p+%zu", va_addr,
			len);
		return -1;
	}
	ret = attach ? rte_fbarray_attach(&msl->memseg_arr) :
		rte_fbarray_detach(&msl->memseg_arr);
	rte_mcfg_mem_read_unlock();
	if (ret != 0) {
		EAL_LOG(ERR, "Cannot %s external memory %p+%zu: %s", attach ? "attach" : "detach",
			va_addr, len, rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

RTE_EXPORT_SYMBOL(rte_extmem_attach)
int
rte_extmem_attach(void *va_addr, size_t len)
{
	return extmem_sync(va_addr, len, true);
}

RTE_EXPORT_SYMBOL(rte_extmem_detach)
int
rte_extmem_detach(void *va_addr, size_t len)
{
	return extmem_sync(va_addr, len, false);
}

/* ---------------------------------------------------------------------- */
/* page fds, contiguity, events and validators (eal_memalloc's)           */

/* @return the list index of @p ms and its slot, or -EINVAL. */
static int
memseg_position(const struct rte_memseg *ms, int *seg_idx)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	const struct rte_memseg_list *msl;
	int idx;

	if (ms == NULL)
		return -EINVAL;
	msl = rte_mem_virt2memseg_list(ms->addr);
	if (msl == NULL || msl->external)
		return -EINVAL;
	idx = rte_fbarray_find_idx(&msl->memseg_arr, ms);
	if (idx < 0)
		return -EINVAL;
	*seg_idx = idx;
	return (int)(msl - mcfg->memsegs);
}

static int
seg_fd(const struct rte_memseg *ms, size_t *offset, bool want_offset)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	int list_idx, seg_idx = 0, ret;

	list_idx = memseg_position(ms, &seg_idx);
	if (list_idx < 0 || (want_offset && offset == NULL)) {
		rte_errno = EINVAL;
		return -1;
	}
	if (!rte_fbarray_is_used(&mcfg->memsegs[list_idx].memseg_arr, (unsigned int)seg_idx)) {
		rte_errno = ENOENT;
		return -1;
	}
	ret = want_offset ? eal_memalloc_get_seg_fd_offset(list_idx, seg_idx, offset) :
		eal_memalloc_get_seg_fd(list_idx, seg_idx);
	if (ret < 0) {
		rte_errno = -ret;
		return -1;
	}
	return ret;
}

RTE_EXPORT_SYMBOL(rte_memseg_get_fd_thread_unsafe)
int
rte_memseg_get_fd_thread_unsafe(const struct rte_memseg *ms)
{
	return seg_fd(ms, NULL, false);
}

RTE_EXPORT_SYMBOL(rte_memseg_get_fd)
int
rte_memseg_get_fd(const struct rte_memseg *ms)
{
	int ret;

	rte_mcfg_mem_read_lock();
	ret = rte_memseg_get_fd_thread_unsafe(ms);
	rte_mcfg_mem_read_unlock();
	return ret;
}

RTE_EXPORT_SYMBOL(rte_memseg_get_fd_offset_thread_unsafe)
int
rte_memseg_get_fd_offset_thread_unsafe(const struct rte_memseg *ms, size_t *offset)
{
	return seg_fd(ms, offset, true) < 0 ? -1 : 0;
}

RTE_EXPORT_SYMBOL(rte_memseg_get_fd_offset)
int
rte_memseg_get_fd_offset(const struct rte_memseg *ms, size_t *offset)
{
	int ret;

	rte_mcfg_mem_read_lock();
	ret = rte_memseg_get_fd_offset_thread_unsafe(ms, offset);
	rte_mcfg_mem_read_unlock();
	return ret;
}

/* @return true if every page of [addr, addr + len) in @p msl is mapped. */
static bool
range_mapped(struct rte_memseg_list *msl, const void *addr, size_t len)
{
	uintptr_t off = (uintptr_t)addr - (uintptr_t)msl->base_va;
	unsigned int first = (unsigned int)(off / msl->page_sz);
	unsigned int last = (unsigned int)((off + len - 1) / msl->page_sz);
	int n = rte_fbarray_find_contig_used(&msl->memseg_arr, first);

	return n > 0 && (unsigned int)n > last - first;
}

RTE_EXPORT_SYMBOL(rte_mem_is_iova_contig)
int
rte_mem_is_iova_contig(const void *addr, size_t len)
{
	struct rte_memseg_list *msl;
	int ret = -1;

	if (addr == NULL || len == 0 || (uintptr_t)addr > UINTPTR_MAX - len) {
		EAL_LOG_ERRNO(ERR, EINVAL, "rte_mem_is_iova_contig: empty or wrapping range");
		return -1;
	}
	rte_mcfg_mem_read_lock();
	msl = rte_mem_virt2memseg_list(addr);
	if (msl != NULL && (uintptr_t)addr + len - (uintptr_t)msl->base_va <= msl->len &&
	    range_mapped(msl, addr, len))
		ret = eal_memalloc_is_contig(msl, RTE_PTR_UNQUAL(addr), len) ? 1 : 0;
	rte_mcfg_mem_read_unlock();
	if (ret < 0)
		EAL_LOG_ERRNO(ERR, EINVAL, "rte_mem_is_iova_contig: %p+%zu is not mapped EAL "
			"memory", addr, len);
	return ret;
}

RTE_EXPORT_SYMBOL(rte_mem_event_callback_register)
int
rte_mem_event_callback_register(const char *name, rte_mem_event_callback_t clb, void *arg)
{
	return eal_memalloc_mem_event_callback_register(name, clb, arg);
}

RTE_EXPORT_SYMBOL(rte_mem_event_callback_unregister)
int
rte_mem_event_callback_unregister(const char *name, void *arg)
{
	return eal_memalloc_mem_event_callback_unregister(name, arg);
}

RTE_EXPORT_SYMBOL(rte_mem_alloc_validator_register)
int
rte_mem_alloc_validator_register(const char *name, rte_mem_alloc_validator_t clb,
		int socket_id, size_t limit)
{
	return eal_memalloc_mem_alloc_validator_register(name, clb, socket_id, limit);
}

RTE_EXPORT_SYMBOL(rte_mem_alloc_validator_unregister)
int
rte_mem_alloc_validator_unregister(const char *name, int socket_id)
{
	return eal_memalloc_mem_alloc_validator_unregister(name, socket_id);
}

/* ---------------------------------------------------------------------- */
/* init                                                                   */

int
rte_eal_memory_init(void)
{
	bool primary = rte_eal_process_type() == RTE_PROC_PRIMARY;
	int ret;

	/*
	 * Read-held until rte_eal_malloc_heap_init(): no page may come or go
	 * in another process before the heaps know about ours.
	 */
	rte_mcfg_mem_read_lock();
	ret = rte_eal_memseg_init();
	if (ret == 0 && eal_memalloc_init() != 0)
		ret = -ENOMEM;
	if (ret == 0)
		ret = primary ? rte_eal_hugepage_init() : rte_eal_hugepage_attach();
	if (ret != 0) {
		rte_mcfg_mem_read_unlock();
		rte_errno = ret == -ENOMEM || ret == -ENOSPC ? ENOMEM : -ret;
		return -1;
	}
	return 0;
}
