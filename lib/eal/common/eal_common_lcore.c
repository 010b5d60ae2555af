/* SPDX-License-Identifier: BSD-3-Clause */

/* lcore and socket queries over the process-local lcore table. */

#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_memory.h>

#include "eal_export.h"
#include "eal_log.h"
#include "eal_private.h"

struct lcore_config lcore_config[RTE_MAX_LCORE];

RTE_EXPORT_SYMBOL(per_lcore__lcore_id)
RTE_DEFINE_PER_LCORE(unsigned int, _lcore_id) = LCORE_ID_ANY;
RTE_EXPORT_SYMBOL(per_lcore__cpuset)
RTE_DEFINE_PER_LCORE(rte_cpuset_t, _cpuset);

RTE_EXPORT_SYMBOL(rte_get_main_lcore)
unsigned int
rte_get_main_lcore(void)
{
	return rte_eal_get_configuration()->main_lcore;
}

RTE_EXPORT_SYMBOL(rte_lcore_count)
unsigned int
rte_lcore_count(void)
{
	return rte_eal_get_configuration()->lcore_count;
}

RTE_EXPORT_SYMBOL(rte_lcore_index)
int
rte_lcore_index(int lcore_id)
{
	if (lcore_id >= RTE_MAX_LCORE)
		return -1;
	if (lcore_id < 0) {
		if (rte_lcore_id() == LCORE_ID_ANY)
			return -1;
		lcore_id = (int)rte_lcore_id();
	}
	return lcore_config[lcore_id].core_index;
}

RTE_EXPORT_SYMBOL(rte_lcore_to_cpu_id)
int
rte_lcore_to_cpu_id(int lcore_id)
{
	unsigned int cpu;

	if (lcore_id >= RTE_MAX_LCORE)
		return -1;
	if (lcore_id < 0) {
		if (rte_lcore_id() == LCORE_ID_ANY)
			return -1;
		lcore_id = (int)rte_lcore_id();
	}
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &lcore_config[lcore_id].cpuset))
			return (int)cpu;
	return -1;
}

RTE_EXPORT_SYMBOL(rte_lcore_cpuset)
rte_cpuset_t
rte_lcore_cpuset(unsigned int lcore_id)
{
	return lcore_config[lcore_id].cpuset;
}

RTE_EXPORT_SYMBOL(rte_eal_lcore_role)
enum rte_lcore_role_t
rte_eal_lcore_role(unsigned int lcore_id)
{
	if (lcore_id >= RTE_MAX_LCORE)
		return ROLE_OFF;
	return rte_eal_get_configuration()->lcore_role[lcore_id];
}

RTE_EXPORT_SYMBOL(rte_lcore_has_role)
int
rte_lcore_has_role(unsigned int lcore_id, enum rte_lcore_role_t role)
{
	/* documented as boolean: an invalid lcore simply has no role */
	if (lcore_id >= RTE_MAX_LCORE)
		return 0;
	return rte_eal_get_configuration()->lcore_role[lcore_id] == role;
}

RTE_EXPORT_SYMBOL(rte_lcore_is_enabled)
int
rte_lcore_is_enabled(unsigned int lcore_id)
{
	if (lcore_id >= RTE_MAX_LCORE)
		return 0;
	return rte_eal_get_configuration()->lcore_role[lcore_id] == ROLE_RTE;
}

RTE_EXPORT_SYMBOL(rte_get_next_lcore)
unsigned int
rte_get_next_lcore(unsigned int i, int skip_main, int wrap)
{
	unsigned int tries;

	i++;
	if (wrap)
		i %= RTE_MAX_LCORE;
	for (tries = 0; i < RTE_MAX_LCORE && tries < RTE_MAX_LCORE; tries++) {
		if (rte_lcore_is_enabled(i) && !(skip_main && i == rte_get_main_lcore()))
			return i;
		i++;
		if (wrap)
			i %= RTE_MAX_LCORE;
	}
	return RTE_MAX_LCORE;
}

RTE_EXPORT_SYMBOL(rte_lcore_to_socket_id)
unsigned int
rte_lcore_to_socket_id(unsigned int lcore_id)
{
	if (lcore_id >= RTE_MAX_LCORE)
		return 0;
	return lcore_config[lcore_id].socket_id;
}

RTE_EXPORT_SYMBOL(rte_socket_id)
unsigned int
rte_socket_id(void)
{
	unsigned int id = rte_lcore_id();

	if (id == LCORE_ID_ANY)
		return (unsigned int)SOCKET_ID_ANY;
	return lcore_config[id].socket_id;
}

RTE_EXPORT_SYMBOL(rte_socket_count)
unsigned int
rte_socket_count(void)
{
	return rte_eal_get_configuration()->numa_node_count;
}

RTE_EXPORT_SYMBOL(rte_socket_id_by_idx)
int
rte_socket_id_by_idx(unsigned int idx)
{
	const struct rte_config *config = rte_eal_get_configuration();

	if (idx >= config->numa_node_count) {
		rte_errno = EINVAL;
		return -1;
	}
	return (int)config->numa_nodes[idx];
}

static void
add_numa_node(struct rte_config *config, unsigned int node)
{
	unsigned int i, j;

	for (i = 0; i < config->numa_node_count; i++) {
		if (config->numa_nodes[i] == node)
			return;
		if (config->numa_nodes[i] > node)
			break;
	}
	for (j = config->numa_node_count; j > i; j--)
		config->numa_nodes[j] = config->numa_nodes[j - 1];
	config->numa_nodes[i] = node;
	config->numa_node_count++;
}

int
rte_eal_cpu_init(void)
{
	struct rte_config *config = rte_eal_get_configuration();
	unsigned int lcore_id, count = 0;

	config->numa_node_count = 0;
	for (lcore_id = 0; lcore_id < RTE_MAX_LCORE; lcore_id++) {
		struct lcore_config *lc = &lcore_config[lcore_id];

		lc->core_index = -1;
		CPU_ZERO(&lc->cpuset);
		if (!eal_cpu_detected(lcore_id)) {
			config->lcore_role[lcore_id] = ROLE_OFF;
			continue;
		}
		config->lcore_role[lcore_id] = ROLE_RTE;
		lc->core_index = (int)count++;
		lc->core_role = ROLE_RTE;
		CPU_SET(lcore_id, &lc->cpuset);
		lc->core_id = eal_cpu_core_id(lcore_id);
		lc->socket_id = eal_cpu_socket_id(lcore_id);
		add_numa_node(config, lc->socket_id);
	}
	config->lcore_count = count;
	if (count == 0) {
		EAL_LOG(ERR, "No CPU detected under %s", eal_sysfs_root());
		return -1;
	}
	EAL_LOG(DEBUG, "Detected %u lcore(s) on %u NUMA node(s)", count,
		config->numa_node_count);
	return 0;
}

RTE_EXPORT_SYMBOL(rte_lcore_iterate)
int
rte_lcore_iterate(rte_lcore_iterate_cb cb, void *arg)
{
	unsigned int lcore_id;
	int ret = 0;

	/* every lcore in use, registered non-EAL threads included (22.11) */
	for (lcore_id = 0; lcore_id < RTE_MAX_LCORE; lcore_id++) {
		if (rte_eal_lcore_role(lcore_id) == ROLE_OFF)
			continue;
		ret = cb(lcore_id, arg);
		if (ret != 0)
			break;
	}
	return ret;
}

RTE_EXPORT_SYMBOL(rte_lcore_dump)
void
rte_lcore_dump(FILE *f)
{
	unsigned int lcore_id;
	char cpus[256];

	RTE_LCORE_FOREACH(lcore_id) {
		eal_thread_dump_affinity(&lcore_config[lcore_id].cpuset, cpus, sizeof(cpus));
		fprintf(f, "lcore %u, socket %u, role %s, cpuset %s\n", lcore_id,
			rte_lcore_to_socket_id(lcore_id),
			lcore_id == rte_get_main_lcore() ? "main" : "worker", cpus);
	}
}
