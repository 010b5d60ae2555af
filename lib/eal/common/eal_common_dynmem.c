/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Memory-type planning shared by the init paths: how many memseg lists of
 * what size each (page size, socket) pair gets, and how -m/--socket-mem
 * turn into pages per socket.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_memory.h>

#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_memalloc.h"
#include "eal_memcfg.h"
#include "eal_private.h"

/* the sockets memory types are made for */
static unsigned int
type_sockets(int *sockets)
{
#ifdef RTE_EAL_NUMA_AWARE_HUGEPAGES
	unsigned int i, n = rte_socket_count();

	for (i = 0; i < n && i < RTE_MAX_NUMA_NODES; i++)
		sockets[i] = rte_socket_id_by_idx(i);
	if (n > 0)
		return RTE_MIN(n, (unsigned int)RTE_MAX_NUMA_NODES);
#endif
	/* without NUMA support every page is treated as socket 0's */
	sockets[0] = 0;
	return 1;
}

/* Create and reserve @p n_lists lists of @p n_segs pages for one type. */
static int
create_type_lists(unsigned int *msl_idx, uint64_t pgsz, int socket, int n_segs, int n_lists)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	int i, ret;

	for (i = 0; i < n_lists; i++) {
		struct rte_memseg_list *msl;

		if (*msl_idx >= RTE_MAX_MEMSEG_LISTS) {
			EAL_LOG(ERR, "No memseg list slot left; increase RTE_MAX_MEMSEG_LISTS");
			return -ENOSPC;
		}
		msl = &mcfg->memsegs[(*msl_idx)++];
		ret = eal_memseg_list_init(msl, pgsz, n_segs, socket, i, true);
		if (ret != 0)
			return ret;
		ret = eal_memseg_list_alloc(msl, 0);
		if (ret != 0)
			return ret;
	}
	return 0;
}

int
eal_dynmem_memseg_lists_init(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	int sockets[RTE_MAX_NUMA_NODES];
	unsigned int n_sockets = type_sockets(sockets);
	unsigned int n_types = cfg->num_hugepage_sizes * n_sockets;
	uint64_t max_mem, max_mem_per_type;
	unsigned int max_lists_per_type, msl_idx = 0, h, s;
	int ret;

	if (n_types == 0) {
		EAL_LOG(ERR, "No hugepage size to create memseg lists for");
		return -ENOENT;
	}
	max_mem = (uint64_t)RTE_MAX_MEM_MB << 20;
	max_mem_per_type = RTE_MIN((uint64_t)RTE_MAX_MEM_MB_PER_TYPE << 20, max_mem / n_types);
	max_lists_per_type = RTE_MAX_MEMSEG_LISTS / n_types;
	if (max_lists_per_type == 0) {
		EAL_LOG(ERR, "%u memory types need more memseg lists; increase "
			"RTE_MAX_MEMSEG_LISTS", n_types);
		return -ENOSPC;
	}
	for (h = 0; h < cfg->num_hugepage_sizes; h++) {
		uint64_t pgsz = cfg->hugepage_info[h].hugepage_sz;
		uint64_t segs_type, segs_list, mem_list, n_segs, n_lists;

		segs_type = RTE_MIN(max_mem_per_type / pgsz, (uint64_t)RTE_MAX_MEMSEG_PER_TYPE);
		if (segs_type == 0)
			continue;
		segs_list = RTE_MIN(segs_type, (uint64_t)RTE_MAX_MEMSEG_PER_LIST);
		mem_list = RTE_MIN(segs_list * pgsz, (uint64_t)RTE_MAX_MEM_MB_PER_LIST << 20);
		n_segs = RTE_MIN(segs_list, mem_list / pgsz);
		if (n_segs == 0)
			continue;
		n_lists = RTE_MIN(segs_type / n_segs, max_mem_per_type / mem_list);
		n_lists = RTE_MIN(n_lists, (uint64_t)max_lists_per_type);
		for (s = 0; s < n_sockets; s++) {
			EAL_LOG(DEBUG, "Memory type %" PRIu64 " kB on socket %d: %" PRIu64
				" lists of %" PRIu64 " pages", pgsz >> 10, sockets[s], n_lists,
				n_segs);
			ret = create_type_lists(&msl_idx, pgsz, sockets[s], (int)n_segs,
				(int)n_lists);
			if (ret != 0)
				return ret;
		}
	}
	return 0;
}

/* @return bytes of free pages on @p socket over every size. */
static uint64_t
socket_avail(const struct internal_config *cfg, int socket)
{
	uint64_t total = 0;
	unsigned int i;

	for (i = 0; i < cfg->num_hugepage_sizes; i++)
		total += (uint64_t)cfg->hugepage_info[i].num_pages[socket] *
			cfg->hugepage_info[i].hugepage_sz;
	return total;
}

/*
 * -m without --socket-mem: share by lcores per socket, capped by what each
 * socket has, then hand what is left to whichever sockets still have room.
 */
static int
spread_memory(const struct internal_config *cfg, uint64_t *want)
{
	unsigned int n_lcores = rte_lcore_count(), i, lcore, cnt;
	uint64_t left = cfg->memory, avail, share;
	int s;

	for (i = 0; i < rte_socket_count(); i++) {
		s = rte_socket_id_by_idx(i);
		if (s < 0 || s >= RTE_MAX_NUMA_NODES)
			continue;
		cnt = 0;
		RTE_LCORE_FOREACH(lcore)
			if (rte_lcore_to_socket_id(lcore) == (unsigned int)s)
				cnt++;
		share = n_lcores == 0 ? 0 : cfg->memory / n_lcores * cnt;
		want[s] = RTE_MIN(share, socket_avail(cfg, s));
		left -= want[s];
	}
	for (s = 0; s < RTE_MAX_NUMA_NODES && left > 0; s++) {
		avail = socket_avail(cfg, s);
		share = avail > want[s] ? RTE_MIN(avail - want[s], left) : 0;
		want[s] += share;
		left -= share;
	}
	if (left > 0) {
		uint64_t total = 0;

		for (s = 0; s < RTE_MAX_NUMA_NODES; s++)
			total += socket_avail(cfg, s);
		EAL_LOG(ERR, "Not enough memory available! Requested: %" PRIu64 " MB, "
			"available: %" PRIu64 " MB", (uint64_t)cfg->memory >> 20, total >> 20);
		return -ENOMEM;
	}
	return 0;
}

/* Cover @p need bytes on @p socket, largest pages first, then round up. */
static int
plan_socket(const struct internal_config *cfg, struct hugepage_info *used, int socket,
		uint64_t need)
{
	uint64_t want = need, n, sz, spare;
	int i;

	for (i = 0; i < (int)cfg->num_hugepage_sizes; i++) {
		sz = cfg->hugepage_info[i].hugepage_sz;
		n = RTE_MIN((uint64_t)cfg->hugepage_info[i].num_pages[socket], need / sz);
		used[i].num_pages[socket] = (uint32_t)n;
		need -= n * sz;
	}
	/* a remainder smaller than the pages taken: one more of the smallest that fits */
	for (i = (int)cfg->num_hugepage_sizes - 1; i >= 0 && need > 0; i--) {
		sz = cfg->hugepage_info[i].hugepage_sz;
		spare = cfg->hugepage_info[i].num_pages[socket] - used[i].num_pages[socket];
		n = RTE_MIN(spare, (need + sz - 1) / sz);
		used[i].num_pages[socket] += (uint32_t)n;
		need = need > n * sz ? need - n * sz : 0;
	}
	if (need > 0) {
		EAL_LOG(ERR, "Not enough memory available on socket %d! Requested: %" PRIu64
			" MB, available: %" PRIu64 " MB", socket, want >> 20,
			socket_avail(cfg, socket) >> 20);
		return -ENOMEM;
	}
	return 0;
}

int
eal_dynmem_calc_num_pages_per_socket(struct hugepage_info *used)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	uint64_t want[RTE_MAX_NUMA_NODES] = { 0 };
	unsigned int i;
	int s, ret;

	for (i = 0; i < MAX_HUGEPAGE_SIZES; i++) {
		memset(&used[i], 0, sizeof(used[i]));
		used[i].hugepage_sz = cfg->hugepage_info[i].hugepage_sz;
		used[i].lock_descriptor = -1;
	}
	if (cfg->force_sockets) {
		for (s = 0; s < RTE_MAX_NUMA_NODES; s++)
			want[s] = cfg->socket_mem[s];
	} else if (cfg->memory != 0) {
		ret = spread_memory(cfg, want);
		if (ret != 0)
			return ret;
	}
	for (s = 0; s < RTE_MAX_NUMA_NODES; s++) {
		if (want[s] == 0)
			continue;
		ret = plan_socket(cfg, used, s, want[s]);
		if (ret != 0)
			return ret;
	}
	return 0;
}

/* --socket-limit: asked only once a heap would reach the limit, and says no. */
static int
socket_limit_reached(int socket_id, size_t cur_limit, size_t new_len)
{
	EAL_LOG(DEBUG, "Socket %d heap would grow to %zu MB, its --socket-limit is %zu MB",
		socket_id, new_len >> 20, cur_limit >> 20);
	return -1;
}

static int
register_socket_limits(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	int s;

	if (!cfg->force_socket_limits)
		return 0;
	for (s = 0; s < RTE_MAX_NUMA_NODES; s++) {
		if (cfg->socket_limit[s] == 0)
			continue;
		if (eal_memalloc_mem_alloc_validator_register("socket-limit",
				socket_limit_reached, s, cfg->socket_limit[s]) != 0) {
			EAL_LOG(ERR, "Cannot set the --socket-limit of socket %d: %s", s,
				rte_strerror(rte_errno));
			return -rte_errno;
		}
	}
	return 0;
}

/* @return the longest list of (@p pgsz, @p socket): the most one bulk call can map. */
static unsigned int
max_list_len(uint64_t pgsz, int socket)
{
	const struct rte_mem_config *mcfg = eal_get_mcfg();
	unsigned int i, best = 0;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		const struct rte_memseg_list *msl = &mcfg->memsegs[i];

		if (msl->base_va != NULL && !msl->external && msl->page_sz == pgsz &&
		    msl->socket_id == socket)
			best = RTE_MAX(best, msl->memseg_arr.len);
	}
	return best;
}

/* Map and pin @p n_pages of @p pgsz on @p socket, one list at a time. */
static int
prealloc_pages(uint64_t pgsz, int socket, uint32_t n_pages)
{
	unsigned int chunk = max_list_len(pgsz, socket), k, j;
	struct rte_memseg **ms;
	int got;

	if (chunk == 0) {
		EAL_LOG(ERR, "No memseg list for %" PRIu64 " kB pages on socket %d",
			pgsz >> 10, socket);
		return -ENOSPC;
	}
	ms = calloc(RTE_MIN(chunk, n_pages), sizeof(*ms));
	if (ms == NULL)
		return -ENOMEM;
	while (n_pages > 0) {
		k = RTE_MIN(chunk, n_pages);
		got = eal_memalloc_alloc_seg_bulk(ms, (int)k, pgsz, socket, true);
		if (got != (int)k) {
			EAL_LOG(ERR, "Cannot preallocate %u pages of %" PRIu64 " kB on socket %d",
				k, pgsz >> 10, socket);
			free(ms);
			return -ENOMEM;
		}
		/* -m memory stays for the life of the process */
		for (j = 0; j < k; j++)
			ms[j]->flags |= RTE_MEMSEG_FLAG_DO_NOT_FREE;
		n_pages -= k;
	}
	free(ms);
	return 0;
}

int
eal_dynmem_hugepage_init(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	struct hugepage_info used[MAX_HUGEPAGE_SIZES];
	unsigned int i;
	int s, ret;

	ret = eal_dynmem_calc_num_pages_per_socket(used);
	for (i = 0; ret == 0 && i < cfg->num_hugepage_sizes; i++)
		for (s = 0; ret == 0 && s < RTE_MAX_NUMA_NODES; s++)
			if (used[i].num_pages[s] != 0)
				ret = prealloc_pages(used[i].hugepage_sz, s,
					used[i].num_pages[s]);
	if (ret == 0)
		ret = register_socket_limits();
	return ret;
}
