/* SPDX-License-Identifier: BSD-3-Clause */

/* CPU topology from sysfs: which CPUs exist, their core ids and NUMA nodes. */

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_lcore.h>

#include "eal_private.h"

static char sysfs_root[PATH_MAX] = "/sys";

const char *
eal_sysfs_root(void)
{
	return sysfs_root;
}

/* Tests point discovery at a fixture tree; not exported from the library. */
void eal_set_sysfs_root(const char *root);
void
eal_set_sysfs_root(const char *root)
{
	snprintf(sysfs_root, sizeof(sysfs_root), "%s", root != NULL ? root : "/sys");
}

int
eal_cpu_detected(unsigned int lcore_id)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/devices/system/cpu/cpu%u/topology/core_id",
		sysfs_root, lcore_id);
	return access(path, F_OK) == 0;
}

unsigned int
eal_cpu_socket_id(unsigned int lcore_id)
{
	char path[PATH_MAX];
	struct dirent *e;
	unsigned int node = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/devices/system/cpu/cpu%u", sysfs_root, lcore_id);
	d = opendir(path);
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char *end;
		unsigned long n;

		if (strncmp(e->d_name, "node", 4) != 0)
			continue;
		n = strtoul(e->d_name + 4, &end, 10);
		if (end != e->d_name + 4 && *end == '\0' && n < RTE_MAX_NUMA_NODES) {
			node = (unsigned int)n;
			break;
		}
	}
	closedir(d);
	return node;
}

unsigned int
eal_cpu_core_id(unsigned int lcore_id)
{
	char path[PATH_MAX];
	unsigned int id = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/devices/system/cpu/cpu%u/topology/core_id",
		sysfs_root, lcore_id);
	f = fopen(path, "r");
	if (f == NULL)
		return lcore_id;
	if (fscanf(f, "%u", &id) != 1)
		id = lcore_id;
	fclose(f);
	return id;
}
