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
#include <string.h>
#include <sys/mman.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "eal_internal_cfg.h"
#include "eal_log.h"
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
