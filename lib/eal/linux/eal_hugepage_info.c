/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Hugepage discovery: which page sizes exist (sysfs), where each is mounted
 * (/proc/mounts) and how many pages are free per NUMA node.
 *
 * The primary also takes a blocking exclusive flock on every hugetlbfs
 * directory it will use, held until memory init is over
 * (eal_hugedirs_unlock()), and removes stale page files: a file named
 * *map_* that nobody holds a shared lock on belongs to a process that is
 * gone. Counting happens after the cleanup, so pages freed by it count.
 * The result is written to <runtime>/hugepage_info for secondaries.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_string_fns.h>

#include "eal_filesystem.h"
#include "eal_hugepages.h"
#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_private.h"

#define SYS_HUGEPAGES "kernel/mm/hugepages"
#define SYS_NODES "devices/system/node"
#define HUGEPAGES_DIR_PREFIX "hugepages-"
#define PROC_MOUNTS "/proc/mounts"
#define PROC_MEMINFO "/proc/meminfo"

/* what <runtime>/hugepage_info holds */
struct hugepage_info_file {
	uint64_t magic;
	uint32_t n_sizes;
	uint32_t pad;
	struct hugepage_info hpi[MAX_HUGEPAGE_SIZES];
};
#define HUGEPAGE_INFO_MAGIC 0x48504946494e464fULL

/* @return the unsigned value in file @p path, or 0 if unreadable. */
static uint64_t
read_u64(const char *path)
{
	unsigned long long v = 0;
	FILE *f = fopen(path, "re");

	if (f == NULL)
		return 0;
	if (fscanf(f, "%llu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

uint64_t
eal_hugepage_default_size(const char *meminfo_path)
{
	char line[256];
	uint64_t sz = 0;
	FILE *f = fopen(meminfo_path, "re");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "Hugepagesize:", 13) == 0) {
			sz = rte_str_to_size(line + 13);
			break;
		}
	}
	fclose(f);
	return sz;
}

/* Undo the octal escapes of /proc/mounts ("\040" for a space) in place. */
static void
unescape_mount_path(char *s)
{
	char *w = s;

	for (; *s != '\0'; s++, w++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*w = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*w = *s;
		}
	}
	*w = '\0';
}

/* @return the pagesize= option of a mount option string, 0 if absent. */
static uint64_t
mount_pagesize(const char *opts)
{
	const char *p = opts;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, "pagesize=", 9) == 0)
			return rte_str_to_size(p + 9);
		p = strchr(p, ',');
		if (p != NULL)
			p++;
	}
	return 0;
}

/* Compare two paths ignoring trailing slashes. */
static bool
same_path(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	while (la > 1 && a[la - 1] == '/')
		la--;
	while (lb > 1 && b[lb - 1] == '/')
		lb--;
	return la == lb && strncmp(a, b, la) == 0;
}

int
eal_hugepage_find_mount(uint64_t page_sz, uint64_t default_sz, const char *mounts_path,
		const char *huge_dir, char *out, size_t outlen)
{
	char line[PATH_MAX + 256];
	int ret = -ENOENT;
	FILE *f = fopen(mounts_path, "re");

	if (f == NULL)
		return -errno;
	while (ret != 0 && fgets(line, sizeof(line), f) != NULL) {
		char *save = NULL, *dev, *dir, *type, *opts;
		uint64_t sz;

		dev = strtok_r(line, " \t\n", &save);
		dir = strtok_r(NULL, " \t\n", &save);
		type = strtok_r(NULL, " \t\n", &save);
		opts = strtok_r(NULL, " \t\n", &save);
		if (dev == NULL || dir == NULL || type == NULL || strcmp(type, "hugetlbfs") != 0)
			continue;
		unescape_mount_path(dir);
		sz = mount_pagesize(opts);
		if (sz == 0)
			sz = default_sz;
		if (sz != page_sz)
			continue;
		if (huge_dir != NULL && !same_path(huge_dir, dir))
			continue;
		if (strlcpy(out, dir, outlen) >= outlen) {
			EAL_LOG(ERR, "hugetlbfs mount point '%s' is too long", dir);
			continue;
		}
		ret = 0;
	}
	fclose(f);
	return ret;
}

/* Sort by page size, largest first. */
static int
cmp_size_desc(const void *a, const void *b)
{
	const struct hugepage_info *ha = a, *hb = b;

	if (ha->hugepage_sz == hb->hugepage_sz)
		return 0;
	return ha->hugepage_sz > hb->hugepage_sz ? -1 : 1;
}

/* @return the page size named by "hugepages-<N>kB", 0 if not such a name. */
static uint64_t
dir_page_size(const char *name)
{
	char *end;
	unsigned long long kb;

	if (strncmp(name, HUGEPAGES_DIR_PREFIX, strlen(HUGEPAGES_DIR_PREFIX)) != 0)
		return 0;
	errno = 0;
	kb = strtoull(name + strlen(HUGEPAGES_DIR_PREFIX), &end, 10);
	if (errno != 0 || strcmp(end, "kB") != 0 || kb == 0 || kb > (UINT64_MAX >> 10) ||
	    !rte_is_power_of_2(kb))
		return 0;
	return (uint64_t)kb << 10;
}

int
eal_hugepage_sizes_discover(struct hugepage_info *hpi, unsigned int max,
		const char *mounts_path, const char *meminfo_path, const char *huge_dir,
		bool in_memory)
{
	uint64_t default_sz = eal_hugepage_default_size(meminfo_path);
	char path[PATH_MAX];
	struct dirent *e;
	unsigned int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", eal_sysfs_root(), SYS_HUGEPAGES);
	d = opendir(path);
	if (d == NULL) {
		EAL_LOG(ERR, "Cannot open '%s': %s", path, strerror(errno));
		return -errno;
	}
	while ((e = readdir(d)) != NULL && n < max) {
		uint64_t sz = dir_page_size(e->d_name);
		struct hugepage_info *h = &hpi[n];

		if (sz == 0)
			continue;
		memset(h, 0, sizeof(*h));
		h->hugepage_sz = sz;
		h->lock_descriptor = -1;
		if (eal_hugepage_find_mount(sz, default_sz, mounts_path, huge_dir, h->hugedir,
				sizeof(h->hugedir)) != 0) {
			h->hugedir[0] = '\0';
			if (!in_memory) {
				EAL_LOG(DEBUG, "No hugetlbfs mount for %" PRIu64 " kB pages",
					sz >> 10);
				continue;
			}
		}
		n++;
	}
	closedir(d);
	qsort(hpi, n, sizeof(*hpi), cmp_size_desc);
	return (int)n;
}

/* @return free pages of @p page_sz on NUMA node @p node (0 if unknown). */
static uint32_t
node_free_pages(unsigned int node, uint64_t page_sz)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s/node%u/hugepages/%s%" PRIu64 "kB/free_hugepages",
		eal_sysfs_root(), SYS_NODES, node, HUGEPAGES_DIR_PREFIX, page_sz >> 10);
	return (uint32_t)RTE_MIN(read_u64(path), (uint64_t)UINT32_MAX);
}

/* @return free minus reserved pages of @p page_sz, system-wide. */
static uint32_t
global_free_pages(uint64_t page_sz)
{
	char path[PATH_MAX];
	uint64_t free_p, resv;

	snprintf(path, sizeof(path), "%s/%s/%s%" PRIu64 "kB/free_hugepages",
		eal_sysfs_root(), SYS_HUGEPAGES, HUGEPAGES_DIR_PREFIX, page_sz >> 10);
	free_p = read_u64(path);
	snprintf(path, sizeof(path), "%s/%s/%s%" PRIu64 "kB/resv_hugepages",
		eal_sysfs_root(), SYS_HUGEPAGES, HUGEPAGES_DIR_PREFIX, page_sz >> 10);
	resv = read_u64(path);
	free_p = free_p > resv ? free_p - resv : 0;
	return (uint32_t)RTE_MIN(free_p, (uint64_t)UINT32_MAX);
}

void
eal_hugepage_count_pages(struct hugepage_info *hpi, bool global_only, uint32_t reusable)
{
	uint64_t total = 0;
	unsigned int node;

	memset(hpi->num_pages, 0, sizeof(hpi->num_pages));
	for (node = 0; !global_only && node < RTE_MAX_NUMA_NODES; node++) {
		hpi->num_pages[node] = node_free_pages(node, hpi->hugepage_sz);
		total += hpi->num_pages[node];
	}
	if (total == 0)
		hpi->num_pages[0] = global_free_pages(hpi->hugepage_sz);
	if (hpi->num_pages[0] > UINT32_MAX - reusable)
		hpi->num_pages[0] = UINT32_MAX;
	else
		hpi->num_pages[0] += reusable;
}

/* Does @p name look like a page file of prefix @p prefix? */
static bool
own_page_file(const char *name, const char *prefix)
{
	size_t l = strlen(prefix);

	return strncmp(name, prefix, l) == 0 && strncmp(name + l, "map_", 4) == 0;
}

/*
 * Remove every page file in @p dir_fd that no live process holds locked.
 * With --huge-unlink=never our own prefix's files are kept for reuse.
 * @return how many were kept for reuse.
 */
static uint32_t
clear_hugedir(int dir_fd, const char *hugedir)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	bool keep_own = cfg->hugepage_unlink == HUGEPAGE_UNLINK_NEVER;
	const char *prefix = eal_get_hugefile_prefix();
	uint32_t reusable = 0;
	struct dirent *e;
	int fd, scan_fd;
	DIR *d;

	/* readdir needs its own fd: closedir() closes it */
	scan_fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = scan_fd < 0 ? NULL : fdopendir(scan_fd);
	if (d == NULL) {
		EAL_LOG(ERR, "Cannot scan hugepage dir '%s': %s", hugedir, strerror(errno));
		if (scan_fd >= 0)
			close(scan_fd);
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		if (fnmatch("*map_*", e->d_name, 0) != 0)
			continue;
		if (keep_own && own_page_file(e->d_name, prefix)) {
			reusable++;
			continue;
		}
		fd = openat(dir_fd, e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		/* a live owner holds a shared lock: only the dead lose files */
		if (flock(fd, LOCK_EX | LOCK_NB) == 0 && unlinkat(dir_fd, e->d_name, 0) != 0)
			EAL_LOG(WARNING, "Cannot remove stale '%s/%s': %s", hugedir,
				e->d_name, strerror(errno));
		close(fd);
	}
	closedir(d);
	return reusable;
}

/* Lock @p h's directory (blocking) and clean it. @return reusable pages or -1. */
static int
lock_and_clear(struct hugepage_info *h)
{
	uint32_t reusable;

	h->lock_descriptor = open(h->hugedir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (h->lock_descriptor < 0) {
		EAL_LOG(ERR, "Cannot open hugepage dir '%s': %s", h->hugedir, strerror(errno));
		return -1;
	}
	while (flock(h->lock_descriptor, LOCK_EX) != 0) {
		if (errno == EINTR)
			continue;
		EAL_LOG(ERR, "Cannot lock hugepage dir '%s': %s", h->hugedir, strerror(errno));
		close(h->lock_descriptor);
		h->lock_descriptor = -1;
		return -1;
	}
	reusable = clear_hugedir(h->lock_descriptor, h->hugedir);
	return (int)RTE_MIN(reusable, (uint32_t)INT32_MAX);
}

void
eal_hugedirs_unlock(void)
{
	struct internal_config *cfg = eal_get_internal_configuration();
	unsigned int i;

	for (i = 0; i < MAX_HUGEPAGE_SIZES; i++) {
		struct hugepage_info *h = &cfg->hugepage_info[i];

		if (h->lock_descriptor < 0)
			continue;
		flock(h->lock_descriptor, LOCK_UN);
		close(h->lock_descriptor);
		h->lock_descriptor = -1;
	}
}

static int
write_info_file(const struct internal_config *cfg)
{
	struct hugepage_info_file data;
	unsigned int i;
	ssize_t n;
	int fd;

	memset(&data, 0, sizeof(data));
	data.magic = HUGEPAGE_INFO_MAGIC;
	data.n_sizes = cfg->num_hugepage_sizes;
	memcpy(data.hpi, cfg->hugepage_info, sizeof(data.hpi));
	for (i = 0; i < MAX_HUGEPAGE_SIZES; i++)
		data.hpi[i].lock_descriptor = -1;
	fd = open(eal_hugepage_info_path(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		0600);
	if (fd < 0) {
		EAL_LOG(ERR, "Cannot create '%s': %s", eal_hugepage_info_path(), strerror(errno));
		return -1;
	}
	n = write(fd, &data, sizeof(data));
	close(fd);
	if (n != (ssize_t)sizeof(data)) {
		EAL_LOG(ERR, "Cannot write '%s'", eal_hugepage_info_path());
		unlink(eal_hugepage_info_path());
		return -1;
	}
	return 0;
}

/* @return true if any size has a free page. */
static bool
any_pages(const struct internal_config *cfg)
{
	unsigned int i, s;

	for (i = 0; i < cfg->num_hugepage_sizes; i++)
		for (s = 0; s < RTE_MAX_NUMA_NODES; s++)
			if (cfg->hugepage_info[i].num_pages[s] != 0)
				return true;
	return false;
}

static void
log_sizes(const struct internal_config *cfg)
{
	unsigned int i, s;

	for (i = 0; i < cfg->num_hugepage_sizes; i++) {
		const struct hugepage_info *h = &cfg->hugepage_info[i];

		for (s = 0; s < RTE_MAX_NUMA_NODES; s++)
			if (h->num_pages[s] != 0)
				EAL_LOG(DEBUG, "%" PRIu64 " kB pages on socket %u: %u free (%s)",
					h->hugepage_sz >> 10, s, h->num_pages[s],
					h->hugedir[0] != '\0' ? h->hugedir : "no mount");
	}
}

int
eal_hugepage_info_init(void)
{
	struct internal_config *cfg = eal_get_internal_configuration();
	unsigned int i;
	int n, reusable;

	for (i = 0; i < MAX_HUGEPAGE_SIZES; i++)
		cfg->hugepage_info[i].lock_descriptor = -1;
	n = eal_hugepage_sizes_discover(cfg->hugepage_info, MAX_HUGEPAGE_SIZES, PROC_MOUNTS,
		PROC_MEMINFO, cfg->hugepage_dir, cfg->in_memory);
	if (n <= 0) {
		EAL_LOG(ERR, "No usable hugepage size%s%s%s", cfg->hugepage_dir != NULL ?
			" (no hugetlbfs mounted at '" : "",
			cfg->hugepage_dir != NULL ? cfg->hugepage_dir : "",
			cfg->hugepage_dir != NULL ? "')" : "");
		return -1;
	}
	cfg->num_hugepage_sizes = (unsigned int)n;
	for (i = 0; i < cfg->num_hugepage_sizes; i++) {
		struct hugepage_info *h = &cfg->hugepage_info[i];

		reusable = 0;
		if (h->hugedir[0] != '\0') {
			reusable = lock_and_clear(h);
			if (reusable < 0)
				goto err_unlock;
		}
		eal_hugepage_count_pages(h, cfg->legacy_mem, (uint32_t)reusable);
	}
	log_sizes(cfg);
	if (!any_pages(cfg)) {
		EAL_LOG(ERR, "No free hugepages reported in %s/%s", eal_sysfs_root(),
			SYS_HUGEPAGES);
		goto err_unlock;
	}
	if (!cfg->no_shconf && write_info_file(cfg) != 0)
		goto err_unlock;
	return 0;
err_unlock:
	eal_hugedirs_unlock();
	return -1;
}

int
eal_hugepage_info_read(void)
{
	struct internal_config *cfg = eal_get_internal_configuration();
	struct hugepage_info_file data;
	unsigned int i;
	ssize_t n;
	int fd;

	fd = open(eal_hugepage_info_path(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		EAL_LOG(ERR, "Cannot open '%s': %s", eal_hugepage_info_path(), strerror(errno));
		return -1;
	}
	n = read(fd, &data, sizeof(data));
	close(fd);
	if (n != (ssize_t)sizeof(data) || data.magic != HUGEPAGE_INFO_MAGIC ||
	    data.n_sizes > MAX_HUGEPAGE_SIZES) {
		EAL_LOG(ERR, "'%s' is not a hugepage info file of this version",
			eal_hugepage_info_path());
		return -1;
	}
	memcpy(cfg->hugepage_info, data.hpi, sizeof(cfg->hugepage_info));
	cfg->num_hugepage_sizes = data.n_sizes;
	for (i = 0; i < MAX_HUGEPAGE_SIZES; i++) {
		cfg->hugepage_info[i].lock_descriptor = -1;
		cfg->hugepage_info[i].hugedir[sizeof(cfg->hugepage_info[i].hugedir) - 1] = '\0';
	}
	return 0;
}
