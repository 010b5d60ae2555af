/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Commands of the interactive prompt that show the state of memory
 * rather than test it: "dump_memory" (one line per memseg list and a
 * heap summary), "dump_physmem", "dump_memzone", "dump_malloc_stats".
 */

#include <inttypes.h>
#include <stdio.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>

#include "test.h"

static int
print_list(const struct rte_memseg_list *msl, void *arg)
{
	unsigned int *n = arg;

	printf("  list %u: %s %4" PRIu64 " kB pages, socket %d, VA %p-%p, %u of %u pages mapped\n",
		(*n)++, msl->external ? "external" : "EAL     ", msl->page_sz >> 10,
		msl->socket_id, msl->base_va, RTE_PTR_ADD(msl->base_va, msl->len),
		msl->memseg_arr.count, msl->memseg_arr.len);
	return 0;
}

static int
dump_memory(void)
{
	struct rte_malloc_socket_stats st;
	unsigned int n = 0, i;

	printf("IOVA mode %s, %s, %" PRIu64 " MB mapped\n",
		rte_eal_iova_mode() == RTE_IOVA_PA ? "PA" : "VA",
		rte_eal_has_hugepages() ? "hugepages" : "no hugepages",
		rte_eal_get_physmem_size() >> 20);
	printf("memseg lists:\n");
	rte_memseg_list_walk(print_list, &n);
	for (i = 0; i < rte_socket_count(); i++) {
		int socket = rte_socket_id_by_idx(i);

		if (rte_malloc_get_socket_stats(socket, &st) != 0)
			continue;
		printf("heap of socket %d: %zu bytes, %zu free, %u busy blocks\n", socket,
			st.heap_totalsz_bytes, st.heap_freesz_bytes, st.alloc_count);
	}
	return TEST_SUCCESS;
}

static int
dump_physmem(void)
{
	rte_dump_physmem_layout(stdout);
	return TEST_SUCCESS;
}

static int
dump_memzone(void)
{
	rte_memzone_dump(stdout);
	return TEST_SUCCESS;
}

static int
dump_malloc_stats(void)
{
	rte_malloc_dump_stats(stdout, NULL);
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(dump_memory, dump_memory);
REGISTER_TEST_COMMAND(dump_physmem, dump_physmem);
REGISTER_TEST_COMMAND(dump_memzone, dump_memzone);
REGISTER_TEST_COMMAND(dump_malloc_stats, dump_malloc_stats);
