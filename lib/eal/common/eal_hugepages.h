/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _EAL_HUGEPAGES_H_
#define _EAL_HUGEPAGES_H_

/*
 * Hugepage discovery internals (linux/eal_hugepage_info.c) and the legacy
 * page table (linux/eal_memory.c).
 *
 * The discovery steps are split out so that a test can run them against a
 * fixture tree: sysfs through eal_sysfs_root(), mounts and meminfo through
 * explicit paths. None of them locks or deletes anything.
 */

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eal_internal_cfg.h"

/*
 * One page mapped by legacy init. The primary writes the table of kept
 * pages to <runtime>/hugepage_data; a legacy secondary maps each file at
 * final_va.
 */
struct hugepage_file {
	void *orig_va;           /* where it was first mapped (init only) */
	void *final_va;          /* where it lives in every process */
	uint64_t physaddr;       /* physical address (or the IOVA used) */
	size_t size;             /* page size */
	int socket_id;           /* NUMA node of the page */
	int file_id;             /* N of <prefix>map_N */
	int memseg_list;         /* list holding it, -1 if not kept */
	int memseg_idx;          /* slot in that list */
	char filepath[PATH_MAX]; /* the hugetlbfs file */
};

/* Header of <runtime>/hugepage_data; n_pages entries follow. */
struct hugepage_data_hdr {
	uint64_t magic;          /* HUGEPAGE_DATA_MAGIC */
	uint64_t n_pages;
};
#define HUGEPAGE_DATA_MAGIC 0x4855474550414745ULL /* "HUGEPAGE" */

/*
 * @return the default hugepage size ("Hugepagesize:" of @p meminfo_path),
 *   or 0 if unknown.
 */
uint64_t eal_hugepage_default_size(const char *meminfo_path);

/*
 * Find the hugetlbfs mount for @p page_sz in @p mounts_path: its
 * "pagesize=" option equals @p page_sz, or it has none and @p page_sz is
 * @p default_sz. With @p huge_dir only that mount point counts.
 * @return 0 with the mount point in @p out, or -ENOENT / -errno.
 */
int eal_hugepage_find_mount(uint64_t page_sz, uint64_t default_sz, const char *mounts_path,
		const char *huge_dir, char *out, size_t outlen);

/*
 * Fill @p hpi (up to @p max entries, largest page first) with every page
 * size of <sysfs>/kernel/mm/hugepages that has a mount, or every size when
 * @p in_memory (memfd needs no mount). Counts are left at zero and lock
 * descriptors at -1.
 * @return the number of entries, or -errno.
 */
int eal_hugepage_sizes_discover(struct hugepage_info *hpi, unsigned int max,
		const char *mounts_path, const char *meminfo_path, const char *huge_dir,
		bool in_memory);

/*
 * Count the free pages of @p hpi's size: per NUMA node from
 * <sysfs>/devices/system/node/node<N>/hugepages (unless @p global_only);
 * if that finds none, the global free minus reserved count, all on socket
 * 0, plus @p reusable pages left by an earlier run (--huge-unlink=never).
 */
void eal_hugepage_count_pages(struct hugepage_info *hpi, bool global_only, uint32_t reusable);

#endif /* _EAL_HUGEPAGES_H_ */
