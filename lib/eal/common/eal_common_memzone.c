/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Memzones: named heap blocks whose descriptors live in the shared fbarray
 * "memzone" (mcfg->memzones). mcfg->mlock guards the table; it is taken
 * before any heap lock.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_fbarray.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>
#include <rte_rwlock.h>
#include <rte_string_fns.h>

#include "eal_export.h"
#include "eal_log.h"
#include "eal_memcfg.h"
#include "eal_private.h"
#include "malloc_elem.h"
#include "malloc_heap.h"

#define MEMZONE_KNOWN_FLAGS (MALLOC_HEAP_PGSZ_FLAGS | RTE_MEMZONE_SIZE_HINT_ONLY | \
		RTE_MEMZONE_IOVA_CONTIG)

static struct rte_mem_config *
mcfg(void)
{
	return rte_eal_get_configuration()->mem_config;
}

/*
 * Slot of the zone named @p name, or NULL (mlock held). A slot is used
 * exactly when its name is not empty (reserve fills it, free clears the
 * slot, both under mlock), so the scan reads the table directly and stops
 * once it has seen every used slot.
 */
static struct rte_memzone *
find_zone(const char *name)
{
	struct rte_fbarray *arr = &mcfg()->memzones;
	struct rte_memzone *zones;
	unsigned int i, seen = 0;

	if (arr->len == 0 || arr->count == 0)
		return NULL;
	zones = rte_fbarray_get(arr, 0);
	for (i = 0; i < arr->len && seen < arr->count; i++) {
		struct rte_memzone *mz = &zones[i];

		if (mz->name[0] == '\0')
			continue;
		seen++;
		if (mz->name[0] == name[0] && strncmp(name, mz->name, RTE_MEMZONE_NAMESIZE) == 0)
			return mz;
	}
	return NULL;
}

static const struct rte_memzone *
reserve_locked(const char *name, size_t len, int socket_id, unsigned int flags,
		unsigned int align, unsigned int bound)
{
	struct rte_fbarray *arr = &mcfg()->memzones;
	struct rte_memseg_list *msl;
	struct rte_memzone *mz;
	size_t requested_len;
	bool contig;
	void *addr;
	int idx;

	if (arr->count >= arr->len) {
		EAL_LOG_ERRNO(ERR, ENOSPC, "No more room in the memzone table (RTE_MAX_MEMZONE=%u)",
				arr->len);
		return NULL;
	}
	if (strnlen(name, RTE_MEMZONE_NAMESIZE) == RTE_MEMZONE_NAMESIZE) {
		EAL_LOG_ERRNO(ERR, ENAMETOOLONG, "Memzone name is too long");
		return NULL;
	}
	if (find_zone(name) != NULL) {
		EAL_LOG_ERRNO(ERR, EEXIST, "Memzone %s already exists", name);
		return NULL;
	}
	if (align != 0 && !rte_is_power_of_2(align)) {
		EAL_LOG_ERRNO(ERR, EINVAL, "Memzone alignment %u is not a power of two", align);
		return NULL;
	}
	align = RTE_MAX(align, (unsigned int)RTE_CACHE_LINE_SIZE);
	if (len > SIZE_MAX - RTE_CACHE_LINE_MASK) {
		EAL_LOG_ERRNO(ERR, EINVAL, "Memzone length %zu is too big", len);
		return NULL;
	}
	len = RTE_ALIGN_CEIL(len, RTE_CACHE_LINE_SIZE);
	requested_len = RTE_MAX((size_t)RTE_CACHE_LINE_SIZE, len);
	if (bound != 0 && (requested_len > bound || !rte_is_power_of_2(bound))) {
		EAL_LOG_ERRNO(ERR, EINVAL, "Memzone bound %u is invalid for length %zu", bound,
				requested_len);
		return NULL;
	}
	if (socket_id < SOCKET_ID_ANY) {
		EAL_LOG_ERRNO(ERR, EINVAL, "Invalid socket id %d", socket_id);
		return NULL;
	}
	if (!rte_eal_has_hugepages() && socket_id >= 0 &&
			socket_id < (int)EXTERNAL_HEAP_MIN_SOCKET_ID)
		socket_id = SOCKET_ID_ANY;
	contig = (flags & RTE_MEMZONE_IOVA_CONTIG) != 0;
	flags &= ~RTE_MEMZONE_IOVA_CONTIG;

	if (len == 0 && bound == 0) {
		addr = malloc_heap_alloc_biggest(NULL, socket_id, flags, align, contig);
	} else {
		if (len == 0)
			requested_len = bound;
		addr = malloc_heap_alloc(NULL, requested_len, socket_id, flags, align, bound,
				contig);
	}
	if (addr == NULL) {
		EAL_LOG_ERRNO(DEBUG, ENOMEM, "No memory for memzone %s (%zu bytes)", name, len);
		return NULL;
	}
	idx = rte_fbarray_find_next_free(arr, 0);
	if (idx < 0 || rte_fbarray_set_used(arr, (unsigned int)idx) != 0) {
		rte_free(addr);
		EAL_LOG_ERRNO(ERR, ENOSPC, "No free memzone slot for %s", name);
		return NULL;
	}
	msl = malloc_heap_find_msl(addr);
	mz = rte_fbarray_get(arr, (unsigned int)idx);
	memset(mz, 0, sizeof(*mz));
	strlcpy(mz->name, name, sizeof(mz->name));
	mz->addr = addr;
	mz->iova = rte_malloc_virt2iova(addr);
	if (len == 0 && bound == 0) {
		size_t usable = 0;

		rte_malloc_validate(addr, &usable);
		mz->len = usable;
	} else {
		mz->len = requested_len;
	}
	mz->hugepage_sz = msl != NULL ? msl->page_sz : 0;
	mz->socket_id = msl != NULL ? msl->socket_id : SOCKET_ID_ANY;
	mz->flags = 0;
	return mz;
}

static const struct rte_memzone *
memzone_reserve(const char *name, size_t len, int socket_id, unsigned int flags,
		unsigned int align, unsigned int bound)
{
	struct rte_mem_config *m = mcfg();
	const struct rte_memzone *mz;

	if (m == NULL) {
		EAL_LOG_ERRNO(ERR, E_RTE_NO_CONFIG, "EAL is not initialised");
		return NULL;
	}
	if (name == NULL || name[0] == '\0') {
		EAL_LOG_ERRNO(ERR, EINVAL, "Memzone name is NULL or empty");
		return NULL;
	}
	if (flags & ~MEMZONE_KNOWN_FLAGS) {
		EAL_LOG_ERRNO(ERR, EINVAL, "Invalid memzone flags 0x%x", flags);
		return NULL;
	}
	eal_memzone_write_lock();
	mz = reserve_locked(name, len, socket_id, flags, align, bound);
	eal_memzone_write_unlock();
	return mz;
}

RTE_EXPORT_SYMBOL(rte_memzone_reserve_bounded)
const struct rte_memzone *
rte_memzone_reserve_bounded(const char *name, size_t len, int socket_id,
		unsigned int flags, unsigned int align, unsigned int bound)
{
	return memzone_reserve(name, len, socket_id, flags, align, bound);
}

RTE_EXPORT_SYMBOL(rte_memzone_reserve_aligned)
const struct rte_memzone *
rte_memzone_reserve_aligned(const char *name, size_t len, int socket_id,
		unsigned int flags, unsigned int align)
{
	return memzone_reserve(name, len, socket_id, flags, align, 0);
}

RTE_EXPORT_SYMBOL(rte_memzone_reserve)
const struct rte_memzone *
rte_memzone_reserve(const char *name, size_t len, int socket_id, unsigned int flags)
{
	return memzone_reserve(name, len, socket_id, flags, RTE_CACHE_LINE_SIZE, 0);
}

RTE_EXPORT_SYMBOL(rte_memzone_reserve_bounded_contig)
const struct rte_memzone *
rte_memzone_reserve_bounded_contig(const char *name, size_t len, int socket_id,
		unsigned int flags, unsigned int align, unsigned int bound)
{
	return memzone_reserve(name, len, socket_id, flags | RTE_MEMZONE_IOVA_CONTIG, align,
			bound);
}

RTE_EXPORT_SYMBOL(rte_memzone_reserve_aligned_contig)
const struct rte_memzone *
rte_memzone_reserve_aligned_contig(const char *name, size_t len, int socket_id,
		unsigned int flags, unsigned int align)
{
	return memzone_reserve(name, len, socket_id, flags | RTE_MEMZONE_IOVA_CONTIG, align, 0);
}

RTE_EXPORT_SYMBOL(rte_memzone_reserve_contig)
const struct rte_memzone *
rte_memzone_reserve_contig(const char *name, size_t len, int socket_id, unsigned int flags)
{
	return memzone_reserve(name, len, socket_id, flags | RTE_MEMZONE_IOVA_CONTIG,
			RTE_CACHE_LINE_SIZE, 0);
}

RTE_EXPORT_SYMBOL(rte_memzone_free)
int
rte_memzone_free(const struct rte_memzone *mz)
{
	struct rte_mem_config *m = mcfg();
	struct rte_fbarray *arr;
	void *addr = NULL;
	int idx;

	if (mz == NULL || m == NULL) {
		EAL_LOG(ERR, "Cannot free a NULL memzone");
		return -EINVAL;
	}
	arr = &m->memzones;
	eal_memzone_write_lock();
	idx = rte_fbarray_find_idx(arr, mz);
	if (idx >= 0 && rte_fbarray_get(arr, (unsigned int)idx) == (const void *)mz &&
			rte_fbarray_is_used(arr, (unsigned int)idx) == 1) {
		struct rte_memzone *slot = rte_fbarray_get(arr, (unsigned int)idx);

		addr = slot->addr;
		memset(slot, 0, sizeof(*slot));
		rte_fbarray_set_free(arr, (unsigned int)idx);
	}
	eal_memzone_write_unlock();
	if (addr == NULL) {
		EAL_LOG(ERR, "%p is not a reserved memzone", (const void *)mz);
		return -EINVAL;
	}
	/* outside mlock: the heap lock ranks below it anyway, but keep it short */
	rte_free(addr);
	return 0;
}

RTE_EXPORT_SYMBOL(rte_memzone_lookup)
const struct rte_memzone *
rte_memzone_lookup(const char *name)
{
	struct rte_mem_config *m = mcfg();
	const struct rte_memzone *mz;

	if (m == NULL || name == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	eal_memzone_read_lock();
	mz = find_zone(name);
	eal_memzone_read_unlock();
	if (mz == NULL)
		rte_errno = ENOENT;
	return mz;
}

RTE_EXPORT_SYMBOL(rte_memzone_walk)
void
rte_memzone_walk(void (*func)(const struct rte_memzone *, void *arg), void *arg)
{
	struct rte_mem_config *m = mcfg();
	struct rte_fbarray *arr;
	int i;

	if (m == NULL || func == NULL)
		return;
	arr = &m->memzones;
	eal_memzone_read_lock();
	for (i = rte_fbarray_find_next_used(arr, 0); i >= 0;
			i = rte_fbarray_find_next_used(arr, (unsigned int)i + 1))
		func(rte_fbarray_get(arr, (unsigned int)i), arg);
	eal_memzone_read_unlock();
}

static void
dump_zone(const struct rte_memzone *mz, void *arg)
{
	struct rte_fbarray *arr = &mcfg()->memzones;
	struct rte_memseg_list *msl = malloc_heap_find_msl(mz->addr);
	FILE *f = arg;
	uintptr_t page, end;

	fprintf(f, "Zone %d: name:<%s>, len:0x%zx, virt:%p, socket_id:%" PRId32 ", flags:%" PRIx32 "\n",
			rte_fbarray_find_idx(arr, mz), mz->name, mz->len, mz->addr, mz->socket_id,
			mz->flags);
	if (msl == NULL)
		return;
	end = (uintptr_t)mz->addr + mz->len;
	for (page = RTE_ALIGN_FLOOR((uintptr_t)mz->addr, msl->page_sz); page < end;
			page += msl->page_sz) {
		const struct rte_memseg *ms = rte_fbarray_get(&msl->memseg_arr,
				RTE_PTR_DIFF(page, msl->base_va) / msl->page_sz);

		if (ms == NULL)
			break;
		fprintf(f, "  addr: %p iova: 0x%" PRIx64 " len: 0x%zx pagesz: 0x%" PRIx64 "\n",
				ms->addr, ms->iova, ms->len, ms->hugepage_sz);
	}
}

RTE_EXPORT_SYMBOL(rte_memzone_dump)
void
rte_memzone_dump(FILE *f)
{
	rte_memzone_walk(dump_zone, f);
}

static bool memzones_ready;

int
rte_eal_memzone_init(void)
{
	struct rte_mem_config *m = mcfg();
	int ret;

	eal_memzone_write_lock();
	if (rte_eal_process_type() == RTE_PROC_PRIMARY) {
		ret = rte_fbarray_init(&m->memzones, "memzone", RTE_MAX_MEMZONE,
				sizeof(struct rte_memzone));
		if (ret == 0)
			eal_fbarray_make_robust(&m->memzones);
	} else
		ret = rte_fbarray_attach(&m->memzones);
	eal_memzone_write_unlock();
	if (ret != 0) {
		EAL_LOG(ERR, "Cannot %s the memzone table",
				rte_eal_process_type() == RTE_PROC_PRIMARY ? "create" : "attach");
		return -1;
	}
	memzones_ready = true;
	return 0;
}

void
rte_eal_memzone_cleanup(void)
{
	struct rte_mem_config *m = mcfg();

	if (!memzones_ready || m == NULL)
		return;
	eal_memzone_write_lock();
	if (rte_eal_process_type() == RTE_PROC_PRIMARY)
		rte_fbarray_destroy(&m->memzones);
	else
		rte_fbarray_detach(&m->memzones);
	eal_memzone_write_unlock();
	memzones_ready = false;
}
