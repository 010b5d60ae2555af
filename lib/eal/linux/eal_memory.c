/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Linux memory init: physical addresses from pagemap, memseg lists for the
 * primary and their attachment in secondaries, the --no-huge and legacy
 * (--legacy-mem) init paths, and the teardown at rte_eal_cleanup().
 *
 * Dynamic mode (the default) only creates the lists here and preallocates
 * -m/--socket-mem through eal_memalloc (eal_common_dynmem.c); pages come and
 * go at runtime. Legacy mode maps every free hugepage once, sorts them by
 * physical address and remaps them so that each VA-contiguous run is also
 * IOVA-contiguous; nothing is ever freed until exit, and the files stay in
 * hugetlbfs for secondaries (the next primary removes them).
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_fbarray.h>
#include <rte_memory.h>

#include "eal_export.h"
#include "eal_filesystem.h"
#include "eal_hugepages.h"
#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_memalloc.h"
#include "eal_memcfg.h"
#include "eal_private.h"

#define PFN_MASK ((1ULL << 55) - 1)
#define PAGEMAP_PRESENT (1ULL << 63)

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static int pagemap_fd = -1;
static int phys_addrs = -1; /* -1: not probed yet */
/* lists this secondary attached (a failed init detaches only those) */
static bool attached[RTE_MAX_MEMSEG_LISTS];

static int
get_pagemap_fd(void)
{
	int fd = __atomic_load_n(&pagemap_fd, __ATOMIC_ACQUIRE);
	int expected = -1;

	if (fd >= 0)
		return fd;
	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (!__atomic_compare_exchange_n(&pagemap_fd, &expected, fd, 0, __ATOMIC_ACQ_REL,
			__ATOMIC_ACQUIRE)) {
		close(fd);
		fd = expected;
	}
	return fd;
}

RTE_EXPORT_SYMBOL(rte_mem_virt2phy)
phys_addr_t
rte_mem_virt2phy(const void *virtaddr)
{
	size_t pgsz = rte_mem_page_size();
	uint64_t entry, pfn;
	off_t off;
	int fd;

	if (phys_addrs == 0)
		return RTE_BAD_IOVA;
	fd = get_pagemap_fd();
	if (fd < 0) {
		EAL_LOG(DEBUG, "Cannot open /proc/self/pagemap: %s", strerror(errno));
		return RTE_BAD_IOVA;
	}
	off = (off_t)((uintptr_t)virtaddr / pgsz * sizeof(uint64_t));
	if (pread(fd, &entry, sizeof(entry), off) != (ssize_t)sizeof(entry)) {
		EAL_LOG(DEBUG, "Cannot read pagemap entry of %p", virtaddr);
		return RTE_BAD_IOVA;
	}
	pfn = entry & PFN_MASK;
	/* without CAP_SYS_ADMIN the kernel reports present pages with PFN 0 */
	if ((entry & PAGEMAP_PRESENT) == 0 || pfn == 0)
		return RTE_BAD_IOVA;
	return pfn * pgsz + (uintptr_t)virtaddr % pgsz;
}

int
eal_phys_addrs_available(void)
{
	int probe = 0;

	if (phys_addrs >= 0)
		return phys_addrs;
	if (!rte_eal_has_hugepages()) {
		phys_addrs = 0;
		return 0;
	}
	phys_addrs = 1; /* let the probe run */
	phys_addrs = rte_mem_virt2phy(&probe) != RTE_BAD_IOVA;
	if (!phys_addrs)
		EAL_LOG(DEBUG, "Physical addresses are not available (not root?)");
	return phys_addrs;
}

/* Page-per-file mode can hold thousands of fds: take the hard limit. */
static void
raise_nofile_limit(void)
{
	struct rlimit lim;

	if (getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur >= lim.rlim_max)
		return;
	EAL_LOG(DEBUG, "Raising the open file limit from %llu to %llu",
		(unsigned long long)lim.rlim_cur, (unsigned long long)lim.rlim_max);
	lim.rlim_cur = lim.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &lim) != 0)
		EAL_LOG(DEBUG, "Cannot raise the open file limit: %s", strerror(errno));
}

/* Secondary: attach every EAL list and reserve its VA at the primary's address. */
static int
memseg_secondary_init(void)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	unsigned int i;
	int ret;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		struct rte_memseg_list *msl = &mcfg->memsegs[i];
		size_t len = msl->len;
		void *va;

		if (msl->base_va == NULL || msl->memseg_arr.len == 0 || msl->external)
			continue;
		if (rte_fbarray_attach(&msl->memseg_arr) != 0) {
			EAL_LOG(ERR, "Cannot attach memseg list '%s': %s", msl->memseg_arr.name,
				rte_strerror(rte_errno));
			return -rte_errno;
		}
		attached[i] = true;
		/* the list struct is shared: reserve without touching it */
		va = eal_get_virtual_area(msl->base_va, &len, msl->page_sz, 0, 0);
		if (va == NULL) {
			ret = -rte_errno;
			EAL_LOG(ERR, "Cannot reserve VA [%p, %p) of memseg list '%s' at the "
				"primary's address: %s; try --base-virtaddr in the primary",
				msl->base_va, RTE_PTR_ADD(msl->base_va, msl->len),
				msl->memseg_arr.name, rte_strerror(-ret));
			rte_fbarray_detach(&msl->memseg_arr);
			attached[i] = false;
			return ret;
		}
	}
	return 0;
}

int
rte_eal_memseg_init(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();

	raise_nofile_limit();
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return memseg_secondary_init();
	/* --no-huge makes its single list when it maps its memory */
	if (cfg->no_hugetlbfs)
		return 0;
	return eal_dynmem_memseg_lists_init();
}

/* ---------------------------------------------------------------------- */
/* --no-huge                                                              */

static int
nohuge_init(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	struct rte_memseg_list *msl = &eal_get_mcfg()->memsegs[0];
	size_t pgsz = rte_mem_page_size();
	size_t mem = cfg->memory != 0 ? cfg->memory : MEMSIZE_IF_NO_HUGE_PAGE;
	uint64_t n_segs;
	void *va;
	int ret;

	mem = RTE_ALIGN_CEIL(mem, pgsz);
	n_segs = mem / pgsz;
	if (n_segs > INT32_MAX) {
		EAL_LOG(ERR, "--no-huge memory of %zu bytes is too large", mem);
		return -EINVAL;
	}
	ret = eal_memseg_list_init_named(msl, "nohugemem", pgsz, (int)n_segs, 0, true);
	if (ret != 0)
		return ret;
	ret = eal_memseg_list_alloc(msl, 0);
	if (ret != 0)
		return ret;
	va = mmap(msl->base_va, mem, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (va == MAP_FAILED) {
		EAL_LOG(ERR, "Cannot map %zu bytes of --no-huge memory: %s", mem,
			strerror(errno));
		return -errno;
	}
	eal_memseg_list_populate(msl, va, (int)n_segs);
	EAL_LOG(DEBUG, "--no-huge: %zu MB of 4 kB pages at %p", mem >> 20, va);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* legacy mode                                                            */

/* @return the NUMA node of the page at @p va (0 when unknown). */
static int
page_socket(void *va)
{
#ifdef RTE_EAL_NUMA_AWARE_HUGEPAGES
	int status = -1;

	if (syscall(SYS_move_pages, 0, 1UL, &va, NULL, &status, 0) == 0 && status >= 0 &&
	    status < RTE_MAX_NUMA_NODES)
		return status;
#else
	RTE_SET_USED(va);
#endif
	return 0;
}

/* Fault in a fresh mapping; an error, not SIGBUS, when the pool is short. */
static int
populate(void *va, size_t len)
{
	if (madvise(va, len, MADV_POPULATE_WRITE) == 0)
		return 0;
	if (errno != EINVAL)
		return -errno;
	/* kernel before 5.14: MAP_POPULATE already reserved and faulted it */
	*(volatile uint8_t *)va = *(volatile uint8_t *)va;
	return 0;
}

/*
 * Create <hugedir>/<prefix>map_<file_id> and map it somewhere. The shared
 * flock is taken on the open file description the mapping keeps alive.
 * @return 0, or -errno when no more pages can be had.
 */
static int
legacy_map_page(struct hugepage_file *hf, const struct hugepage_info *hpi, int file_id)
{
	size_t sz = hpi->hugepage_sz;
	void *va;
	int fd, ret;

	if (eal_get_hugefile_path(hf->filepath, sizeof(hf->filepath), hpi->hugedir,
			file_id) == NULL)
		return -ENAMETOOLONG;
	fd = open(hf->filepath, O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		ret = -errno;
		EAL_LOG(DEBUG, "Cannot create '%s': %s", hf->filepath, strerror(errno));
		return ret;
	}
	if (flock(fd, LOCK_SH) != 0 || ftruncate(fd, (off_t)sz) != 0) {
		ret = -errno;
		goto err_unlink;
	}
	va = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
	if (va == MAP_FAILED) {
		ret = -errno;
		goto err_unlink;
	}
	ret = populate(va, sz);
	if (ret != 0) {
		munmap(va, sz);
		goto err_unlink;
	}
	close(fd);
	hf->orig_va = va;
	hf->final_va = NULL;
	hf->size = sz;
	hf->file_id = file_id;
	hf->socket_id = page_socket(va);
	hf->memseg_list = -1;
	hf->memseg_idx = -1;
	return 0;
err_unlink:
	unlink(hf->filepath);
	close(fd);
	return ret;
}

/* Drop a page that is not kept: unmap and remove its file. */
static void
legacy_drop_page(struct hugepage_file *hf)
{
	if (hf->orig_va != NULL)
		munmap(hf->orig_va, hf->size);
	if (hf->final_va != NULL)
		munmap(hf->final_va, hf->size);
	unlink(hf->filepath);
	hf->orig_va = NULL;
	hf->final_va = NULL;
	hf->size = 0;
}

/*
 * Map every free page of every size. A pool shorter than sysfs said is
 * fine: mapping stops at the first page the kernel refuses.
 * @return pages mapped (in @p pages), or -errno.
 */
static int
legacy_map_all(struct hugepage_file *pages, unsigned int max)
{
	struct internal_config *cfg = eal_get_internal_configuration();
	unsigned int n = 0, i, s, got;
	int file_id = 0;

	for (i = 0; i < cfg->num_hugepage_sizes; i++) {
		struct hugepage_info *hpi = &cfg->hugepage_info[i];
		uint64_t avail = 0;

		for (s = 0; s < RTE_MAX_NUMA_NODES; s++)
			avail += hpi->num_pages[s];
		memset(hpi->num_pages, 0, sizeof(hpi->num_pages));
		if (hpi->hugedir[0] == '\0')
			continue;
		for (got = 0; got < avail && n < max; got++, n++, file_id++) {
			if (legacy_map_page(&pages[n], hpi, file_id) != 0)
				break;
			hpi->num_pages[pages[n].socket_id]++;
		}
		EAL_LOG(DEBUG, "Legacy init mapped %u of %" PRIu64 " pages of %" PRIu64 " kB",
			got, avail, hpi->hugepage_sz >> 10);
	}
	return (int)n;
}

static int
cmp_physaddr(const void *a, const void *b)
{
	const struct hugepage_file *pa = a, *pb = b;

	if (pa->physaddr == pb->physaddr)
		return 0;
	return pa->physaddr < pb->physaddr ? -1 : 1;
}

/* Learn each page's IOVA order: PAs in PA mode, mapping order otherwise. */
static int
legacy_set_physaddrs(struct hugepage_file *pages, unsigned int n)
{
	bool pa = rte_eal_iova_mode() == RTE_IOVA_PA;
	uint64_t fake = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!pa) {
			pages[i].physaddr = fake;
			fake += pages[i].size;
			continue;
		}
		pages[i].physaddr = rte_mem_virt2phy(pages[i].orig_va);
		if (pages[i].physaddr == RTE_BAD_IOVA) {
			EAL_LOG(ERR, "Cannot get the physical address of a hugepage");
			return -EFAULT;
		}
	}
	qsort(pages, n, sizeof(*pages), cmp_physaddr);
	return 0;
}

/* @return the hugepage_info index of page size @p sz. */
static int
size_index(uint64_t sz)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	unsigned int i;

	for (i = 0; i < cfg->num_hugepage_sizes; i++)
		if (cfg->hugepage_info[i].hugepage_sz == sz)
			return (int)i;
	return -1;
}

/* Keep the first pages per (size, socket) in PA order; drop the rest. */
static int
legacy_select_pages(struct hugepage_file *pages, unsigned int n)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	struct hugepage_info used[MAX_HUGEPAGE_SIZES];
	uint32_t kept[MAX_HUGEPAGE_SIZES][RTE_MAX_NUMA_NODES];
	bool keep_all = cfg->memory == 0 && !cfg->force_sockets;
	unsigned int i;
	int ret, h;

	if (!keep_all) {
		ret = eal_dynmem_calc_num_pages_per_socket(used);
		if (ret != 0)
			return ret;
	}
	memset(kept, 0, sizeof(kept));
	for (i = 0; i < n; i++) {
		struct hugepage_file *hf = &pages[i];

		h = size_index(hf->size);
		if (h >= 0 && (keep_all || kept[h][hf->socket_id] < used[h].num_pages[hf->socket_id]))
			kept[h][hf->socket_id]++;
		else
			legacy_drop_page(hf);
	}
	return 0;
}

/* @return the first page after @p start not in one IOVA-contiguous run with it. */
static unsigned int
run_end(const struct hugepage_file *pages, unsigned int start, unsigned int n)
{
	unsigned int i = start + 1;

	while (i < n && i - start < RTE_MAX_MEMSEG_PER_LIST - 1 && pages[i].size != 0 &&
	       pages[i].size == pages[start].size &&
	       pages[i].socket_id == pages[start].socket_id &&
	       pages[i].physaddr == pages[i - 1].physaddr + pages[i - 1].size)
		i++;
	return i;
}

/*
 * Find room for @p run_len pages of @p sz on @p socket, one free slot
 * apart from what the list holds already, so that distinct runs never
 * look VA-contiguous. @return the list index and first slot, or -ENOSPC.
 */
static int
find_run_slots(uint64_t sz, int socket, unsigned int run_len, int *slot)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	unsigned int i, gap;
	int idx;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		struct rte_memseg_list *msl = &mcfg->memsegs[i];

		if (msl->base_va == NULL || msl->external || msl->page_sz != sz ||
		    msl->socket_id != socket)
			continue;
		gap = msl->memseg_arr.count != 0;
		if (run_len + gap > msl->memseg_arr.len)
			continue;
		idx = rte_fbarray_find_next_n_free(&msl->memseg_arr, 0, run_len + gap);
		if (idx < 0)
			continue;
		*slot = idx + (int)gap;
		return (int)i;
	}
	return -ENOSPC;
}

/* Move one page from its first mapping into slot @p idx of @p msl. */
static int
legacy_remap_page(struct hugepage_file *hf, struct rte_memseg_list *msl, int list_idx, int idx)
{
	const struct rte_mem_config *mcfg = eal_get_mcfg();
	void *slot = RTE_PTR_ADD(msl->base_va, (size_t)idx * msl->page_sz);
	struct rte_memseg *ms;
	void *va;
	int fd;

	fd = open(hf->filepath, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || flock(fd, LOCK_SH) != 0) {
		EAL_LOG(ERR, "Cannot reopen '%s': %s", hf->filepath, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	va = mmap(slot, hf->size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED | MAP_POPULATE,
		fd, 0);
	close(fd);
	if (va != slot) {
		EAL_LOG(ERR, "Cannot map '%s' at %p: %s", hf->filepath, slot, strerror(errno));
		/* keep the window reserved */
		mmap(slot, hf->size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		return -ENOMEM;
	}
	munmap(hf->orig_va, hf->size);
	hf->orig_va = NULL;
	hf->final_va = va;
	hf->memseg_list = list_idx;
	hf->memseg_idx = idx;
	ms = rte_fbarray_get(&msl->memseg_arr, (unsigned int)idx);
	ms->addr = va;
	ms->iova = rte_eal_iova_mode() == RTE_IOVA_VA ? (rte_iova_t)(uintptr_t)va :
		hf->physaddr;
	ms->len = hf->size;
	ms->hugepage_sz = hf->size;
	ms->socket_id = hf->socket_id;
	ms->nchannel = mcfg->nchannel;
	ms->nrank = mcfg->nrank;
	ms->flags = 0;
	rte_fbarray_set_used(&msl->memseg_arr, (unsigned int)idx);
	return 0;
}

/* Give each IOVA-contiguous run of kept pages a VA-contiguous home. */
static int
legacy_remap_all(struct hugepage_file *pages, unsigned int n)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	unsigned int start = 0, end, i;
	int list_idx, slot, ret;

	while (start < n) {
		if (pages[start].size == 0) {
			start++;
			continue;
		}
		end = run_end(pages, start, n);
		list_idx = find_run_slots(pages[start].size, pages[start].socket_id,
			end - start, &slot);
		if (list_idx < 0) {
			EAL_LOG(ERR, "No memseg list can hold %u pages of %zu kB on socket %d",
				end - start, pages[start].size >> 10, pages[start].socket_id);
			return list_idx;
		}
		for (i = start; i < end; i++) {
			ret = legacy_remap_page(&pages[i], &mcfg->memsegs[list_idx], list_idx,
				slot + (int)(i - start));
			if (ret != 0)
				return ret;
		}
		start = end;
	}
	return 0;
}

/* Write the kept pages to hugepage_data for legacy secondaries. */
static int
legacy_write_data(const struct hugepage_file *pages, unsigned int n)
{
	struct hugepage_data_hdr hdr = { .magic = HUGEPAGE_DATA_MAGIC, .n_pages = 0 };
	unsigned int i;
	int fd, ret = 0;

	for (i = 0; i < n; i++)
		hdr.n_pages += pages[i].final_va != NULL;
	fd = open(eal_hugepage_data_path(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		0600);
	if (fd < 0) {
		EAL_LOG(ERR, "Cannot create '%s': %s", eal_hugepage_data_path(), strerror(errno));
		return -errno;
	}
	if (write(fd, &hdr, sizeof(hdr)) != (ssize_t)sizeof(hdr))
		ret = -EIO;
	for (i = 0; i < n && ret == 0; i++)
		if (pages[i].final_va != NULL &&
		    write(fd, &pages[i], sizeof(pages[i])) != (ssize_t)sizeof(pages[i]))
			ret = -EIO;
	close(fd);
	if (ret != 0) {
		EAL_LOG(ERR, "Cannot write '%s'", eal_hugepage_data_path());
		unlink(eal_hugepage_data_path());
	}
	return ret;
}

/* Release every list that got no page: legacy memory never grows. */
static void
legacy_release_empty_lists(void)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	unsigned int i;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		struct rte_memseg_list *msl = &mcfg->memsegs[i];

		if (msl->base_va != NULL && !msl->external && msl->memseg_arr.count == 0)
			eal_memseg_list_release(msl, true);
	}
}

static unsigned int
legacy_max_pages(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	uint64_t total = 0;
	unsigned int i, s;

	for (i = 0; i < cfg->num_hugepage_sizes; i++)
		for (s = 0; s < RTE_MAX_NUMA_NODES; s++)
			total += cfg->hugepage_info[i].num_pages[s];
	return (unsigned int)RTE_MIN(total, (uint64_t)UINT32_MAX / 2);
}

static int
legacy_init(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	unsigned int max = legacy_max_pages(), i;
	struct hugepage_file *pages;
	int n, ret;

	pages = calloc(RTE_MAX(max, 1U), sizeof(*pages));
	if (pages == NULL)
		return -ENOMEM;
	n = legacy_map_all(pages, max);
	ret = n <= 0 ? -ENOMEM : 0;
	if (ret != 0)
		EAL_LOG(ERR, "Legacy init could not map any hugepage");
	if (ret == 0)
		ret = legacy_set_physaddrs(pages, (unsigned int)n);
	if (ret == 0)
		ret = legacy_select_pages(pages, (unsigned int)n);
	if (ret == 0)
		ret = legacy_remap_all(pages, (unsigned int)n);
	if (ret == 0 && !cfg->no_shconf)
		ret = legacy_write_data(pages, (unsigned int)n);
	for (i = 0; i < (unsigned int)RTE_MAX(n, 0); i++) {
		if (ret != 0)
			legacy_drop_page(&pages[i]);
		else if (pages[i].final_va != NULL &&
			 cfg->hugepage_unlink == HUGEPAGE_UNLINK_ALWAYS)
			unlink(pages[i].filepath);
	}
	if (ret == 0)
		legacy_release_empty_lists();
	free(pages);
	return ret;
}

/* Secondary of a legacy primary: map every kept page at its final VA. */
static int
legacy_attach(void)
{
	struct hugepage_data_hdr hdr;
	struct hugepage_file hf;
	uint64_t i;
	void *va;
	int fd, pfd, ret = 0;

	fd = open(eal_hugepage_data_path(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		EAL_LOG(ERR, "Cannot open '%s': %s", eal_hugepage_data_path(), strerror(errno));
		return -errno;
	}
	if (read(fd, &hdr, sizeof(hdr)) != (ssize_t)sizeof(hdr) ||
	    hdr.magic != HUGEPAGE_DATA_MAGIC) {
		EAL_LOG(ERR, "'%s' is not a hugepage data file", eal_hugepage_data_path());
		close(fd);
		return -EINVAL;
	}
	for (i = 0; i < hdr.n_pages && ret == 0; i++) {
		if (read(fd, &hf, sizeof(hf)) != (ssize_t)sizeof(hf)) {
			ret = -EIO;
			break;
		}
		hf.filepath[sizeof(hf.filepath) - 1] = '\0';
		pfd = open(hf.filepath, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
		if (pfd < 0 || flock(pfd, LOCK_SH) != 0) {
			EAL_LOG(ERR, "Cannot open '%s' (was the primary run with "
				"--huge-unlink?): %s", hf.filepath, strerror(errno));
			ret = -errno;
			if (pfd >= 0)
				close(pfd);
			break;
		}
		va = mmap(hf.final_va, hf.size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
			pfd, 0);
		close(pfd);
		if (va != hf.final_va || rte_mem_virt2memseg_list(va) == NULL) {
			EAL_LOG(ERR, "Cannot map '%s' at %p", hf.filepath, hf.final_va);
			ret = -ENOMEM;
		}
	}
	close(fd);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* entry points                                                           */

int
rte_eal_hugepage_init(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();

	if (cfg->no_hugetlbfs)
		return nohuge_init();
	if (cfg->legacy_mem)
		return legacy_init();
	return eal_dynmem_hugepage_init();
}

int
rte_eal_hugepage_attach(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();

	if (cfg->no_hugetlbfs)
		return 0;
	if (cfg->legacy_mem)
		return legacy_attach();
	return eal_memalloc_sync_with_primary() == 0 ? 0 : -ENOMEM;
}

/* Unmap a list's window and let go of its fbarray. */
static void
detach_list(struct rte_memseg_list *msl, bool primary)
{
	if (msl->external) {
		if (!primary)
			rte_fbarray_detach(&msl->memseg_arr);
		return;
	}
	munmap(msl->base_va, msl->len);
	if (primary) {
		/* the shared struct goes only if no secondary still uses it */
		if (rte_fbarray_destroy(&msl->memseg_arr) == 0)
			memset(msl, 0, sizeof(*msl));
		else
			rte_fbarray_detach(&msl->memseg_arr);
	} else {
		rte_fbarray_detach(&msl->memseg_arr);
	}
}

void
rte_eal_memory_detach(void)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	bool primary = rte_eal_process_type() == RTE_PROC_PRIMARY;
	unsigned int i;
	int fd;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		struct rte_memseg_list *msl = &mcfg->memsegs[i];

		if (!primary && !attached[i])
			continue;
		attached[i] = false;
		if (msl->base_va != NULL && msl->memseg_arr.len != 0)
			detach_list(msl, primary);
		else if (primary && msl->memseg_arr.len != 0)
			eal_memseg_list_release(msl, true);
	}
	/* closes page fds; files nobody else maps go with them */
	eal_memalloc_cleanup();
	/* only the primary that owns the prefix (its config is mapped) wrote these */
	if (primary && mcfg->mem_cfg_addr != 0 && eal_get_runtime_dir()[0] != '\0') {
		unlink(eal_hugepage_info_path());
		unlink(eal_hugepage_data_path());
	}
	fd = __atomic_exchange_n(&pagemap_fd, -1, __ATOMIC_ACQ_REL);
	if (fd >= 0)
		close(fd);
}
