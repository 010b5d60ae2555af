/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * memory_autotest: the rte_memory.h API on real hugepages in this process
 * (pages are mapped through eal_memalloc if the heap holds none yet), then
 * EAL init in every memory mode in child processes, each of which checks
 * its own memory and files (memory_child_autotest) while the parent checks
 * what is left after it exits.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_fbarray.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>

#include "eal_filesystem.h"
#include "eal_internal_cfg.h"
#include "eal_memalloc.h"
#include "eal_memcfg.h"
#include "eal_private.h"
#include "test.h"

#define TEST_PAGES 4

static struct rte_memseg *own_pages[TEST_PAGES];
static int n_own_pages;

/* ------------------------------------------------------------------ */
/* in-process API checks                                              */

static int
memory_setup(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();

	if (rte_eal_get_physmem_size() != 0)
		return TEST_SUCCESS;
	/* no -m and an empty heap: map a few pages so there is something to look at */
	rte_mcfg_mem_write_lock();
	n_own_pages = eal_memalloc_alloc_seg_bulk(own_pages, TEST_PAGES,
		cfg->hugepage_info[0].hugepage_sz, rte_socket_id_by_idx(0), true);
	rte_mcfg_mem_write_unlock();
	if (n_own_pages != TEST_PAGES) {
		n_own_pages = 0;
		return test_hugepages_missing("cannot map test pages");
	}
	return TEST_SUCCESS;
}

static void
memory_teardown(void)
{
	if (n_own_pages == 0)
		return;
	rte_mcfg_mem_write_lock();
	eal_memalloc_free_seg_bulk(own_pages, n_own_pages);
	rte_mcfg_mem_write_unlock();
	n_own_pages = 0;
}

struct walk_count {
	uint64_t bytes;
	unsigned int pages;
	uint64_t sum;
};

static int
read_every_byte(const struct rte_memseg_list *msl, const struct rte_memseg *ms, void *arg)
{
	struct walk_count *c = arg;
	const volatile uint8_t *p = ms->addr;
	size_t i;

	if (msl->external)
		return 0;
	for (i = 0; i < ms->len; i++)
		c->sum += p[i];
	c->bytes += ms->len;
	c->pages++;
	return 0;
}

static int
count_runs(const struct rte_memseg_list *msl, const struct rte_memseg *ms, size_t len,
		void *arg)
{
	struct walk_count *c = arg;

	RTE_SET_USED(ms);
	if (!msl->external)
		c->bytes += len;
	return 0;
}

static int
test_layout(void)
{
	struct walk_count pages = { 0 }, runs = { 0 };
	uint64_t size = rte_eal_get_physmem_size();

	rte_dump_physmem_layout(stdout);
	TEST_ASSERT(size != 0, "no memory mapped");
	TEST_ASSERT_SUCCESS(rte_memseg_walk(read_every_byte, &pages), "walk failed");
	TEST_ASSERT_EQUAL(pages.bytes, size, "walk saw %" PRIu64 " of %" PRIu64 " bytes",
		pages.bytes, size);
	TEST_ASSERT_SUCCESS(rte_memseg_contig_walk(count_runs, &runs), "contig walk failed");
	TEST_ASSERT_EQUAL(runs.bytes, size, "contig walk saw %" PRIu64 " bytes", runs.bytes);
	return TEST_SUCCESS;
}

static int
check_lookups(const struct rte_memseg_list *msl, const struct rte_memseg *ms, void *arg)
{
	const uint8_t *inside = RTE_PTR_ADD(ms->addr, 32);
	const uint8_t *last = RTE_PTR_ADD(ms->addr, ms->len - 1);
	bool pa = rte_eal_iova_mode() == RTE_IOVA_PA;
	int *bad = arg;

	if (msl->external)
		return 0;
	if (rte_mem_virt2memseg_list(last) != msl || rte_mem_virt2memseg(last, NULL) != ms ||
	    rte_mem_virt2memseg(inside, msl) != ms) {
		printf("lookup of %p did not find its memseg\n", inside);
		(*bad)++;
	}
	if (rte_mem_virt2iova(inside) != ms->iova + 32) {
		printf("virt2iova(%p) = 0x%" PRIx64 ", memseg says 0x%" PRIx64 "\n", inside,
			rte_mem_virt2iova(inside), ms->iova + 32);
		(*bad)++;
	}
	if (pa && rte_mem_virt2phy(inside) != ms->iova + 32) {
		printf("pagemap PA of %p is 0x%" PRIx64 ", memseg IOVA 0x%" PRIx64 "\n", inside,
			rte_mem_virt2phy(inside), ms->iova + 32);
		(*bad)++;
	}
	if (!pa && ms->iova != (rte_iova_t)(uintptr_t)ms->addr) {
		printf("VA mode: IOVA 0x%" PRIx64 " != VA %p\n", ms->iova, ms->addr);
		(*bad)++;
	}
	return 0;
}

static int
find_iova_back(const struct rte_memseg_list *msl, const struct rte_memseg *ms, void *arg)
{
	int *bad = arg;

	RTE_SET_USED(msl);
	if (rte_mem_iova2virt(ms->iova + 64) != RTE_PTR_ADD(ms->addr, 64))
		(*bad)++;
	return 0;
}

static int
test_lookups(void)
{
	int bad = 0, stack_var = 0;

	TEST_ASSERT_SUCCESS(rte_memseg_walk(check_lookups, &bad), "walk failed");
	TEST_ASSERT_EQUAL(bad, 0, "%d lookups were wrong", bad);
	TEST_ASSERT_SUCCESS(rte_memseg_walk(find_iova_back, &bad), "walk failed");
	TEST_ASSERT_EQUAL(bad, 0, "%d iova2virt lookups were wrong", bad);
	/* memory the EAL does not own */
	TEST_ASSERT_NULL(rte_mem_virt2memseg(&stack_var, NULL), "stack found in a memseg");
	TEST_ASSERT_NULL(rte_mem_virt2memseg_list(&stack_var), "stack found in a list");
	TEST_ASSERT_NULL(rte_mem_virt2memseg(NULL, NULL), "NULL found in a memseg");
	if (rte_eal_iova_mode() == RTE_IOVA_PA)
		TEST_ASSERT_EQUAL(rte_mem_virt2iova(&stack_var), rte_mem_virt2phy(&stack_var),
			"virt2iova of non-EAL memory is not its PA");
	else
		TEST_ASSERT_EQUAL(rte_mem_virt2iova(&stack_var), (uintptr_t)&stack_var,
			"VA mode: virt2iova is not the VA");
	TEST_ASSERT_NULL(rte_mem_iova2virt(RTE_BAD_IOVA - 4096), "bogus IOVA found");
	TEST_ASSERT_EQUAL(rte_mem_lock_page(&stack_var), 0, "cannot mlock a stack page");
	return TEST_SUCCESS;
}

/* A malloc'd pointer: the heap, the memseg and pagemap agree on its IOVA. */
static int
test_malloc_iova(void)
{
	uint8_t *p = rte_malloc(NULL, 4096, 0);
	rte_iova_t iova;
	int ret = TEST_SUCCESS;

	TEST_ASSERT_NOT_NULL(p, "rte_malloc failed");
	iova = rte_malloc_virt2iova(p);
	if (iova == RTE_BAD_IOVA || rte_mem_virt2iova(p) != iova ||
	    rte_mem_virt2iova(p + 32) != iova + 32)
		ret = TEST_FAILED;
	if (rte_eal_iova_mode() == RTE_IOVA_PA && rte_mem_virt2phy(p + 32) != iova + 32)
		ret = TEST_FAILED;
	if (rte_eal_iova_mode() == RTE_IOVA_VA && iova != (uintptr_t)p)
		ret = TEST_FAILED;
	if (ret != TEST_SUCCESS)
		printf("malloc IOVA 0x%" PRIx64 ", virt2iova 0x%" PRIx64 ", pagemap 0x%" PRIx64
			"\n", iova, rte_mem_virt2iova(p), rte_mem_virt2phy(p));
	rte_free(p);
	return ret;
}

static int
check_fd(const struct rte_memseg_list *msl, const struct rte_memseg *ms, void *arg)
{
	size_t offset = SIZE_MAX;
	int fd, *bad = arg;

	if (msl->external)
		return 0;
	fd = rte_memseg_get_fd_thread_unsafe(ms);
	if (fd < 0) {
		/* anonymous pages (--no-huge, no hugetlb memfd) or legacy have no fd */
		if (rte_errno != ENOTSUP && rte_errno != ENODEV) {
			printf("get_fd: unexpected errno %d\n", rte_errno);
			(*bad)++;
		}
		return 0;
	}
	if (rte_memseg_get_fd_offset_thread_unsafe(ms, &offset) != 0 ||
	    offset % msl->page_sz != 0 || offset >= msl->len) {
		printf("get_fd_offset failed or wrong: %zu\n", offset);
		(*bad)++;
	}
	if (!rte_mcfg_get_single_file_segments() && offset != 0) {
		printf("file-per-page offset %zu != 0\n", offset);
		(*bad)++;
	}
	return 0;
}

static int
test_fds(void)
{
	struct rte_memseg_list *msl;
	struct rte_memseg *unused;
	size_t offset;
	int bad = 0, idx;

	rte_mcfg_mem_read_lock();
	rte_memseg_walk_thread_unsafe(check_fd, &bad);
	rte_mcfg_mem_read_unlock();
	TEST_ASSERT_EQUAL(bad, 0, "%d fd lookups were wrong", bad);
	TEST_ASSERT(rte_memseg_get_fd(NULL) == -1 && rte_errno == EINVAL, "NULL memseg");
	TEST_ASSERT(rte_memseg_get_fd_offset(NULL, &offset) == -1 && rte_errno == EINVAL,
		"NULL memseg offset");
	msl = rte_mem_virt2memseg_list(own_pages[0] != NULL ? own_pages[0]->addr :
		eal_get_mcfg()->memsegs[0].base_va);
	TEST_ASSERT_NOT_NULL(msl, "no list");
	idx = rte_fbarray_find_next_free(&msl->memseg_arr, 0);
	if (idx >= 0) {
		unused = rte_fbarray_get(&msl->memseg_arr, (unsigned int)idx);
		/* an unused slot has a zeroed descriptor: it is found by its position */
		unused->addr = RTE_PTR_ADD(msl->base_va, (size_t)idx * msl->page_sz);
		TEST_ASSERT(rte_memseg_get_fd(unused) == -1 && rte_errno == ENOENT,
			"unused slot: errno %d", rte_errno);
		unused->addr = NULL;
	}
	return TEST_SUCCESS;
}

static int
stop_at_first(const struct rte_memseg_list *msl, const struct rte_memseg *ms, void *arg)
{
	RTE_SET_USED(msl);
	RTE_SET_USED(ms);
	return *(int *)arg;
}

static int
list_stop(const struct rte_memseg_list *msl, void *arg)
{
	RTE_SET_USED(msl);
	return *(int *)arg;
}

static int
test_walk_results(void)
{
	int stop = 1, err = -5;

	TEST_ASSERT_EQUAL(rte_memseg_walk(stop_at_first, &stop), 1, "stop not reported");
	TEST_ASSERT_EQUAL(rte_memseg_walk(stop_at_first, &err), -1, "error not reported");
	TEST_ASSERT_EQUAL(rte_memseg_list_walk(list_stop, &stop), 1, "list stop not reported");
	TEST_ASSERT_EQUAL(rte_memseg_list_walk(list_stop, &err), -1, "list error not reported");
	TEST_ASSERT_EQUAL(rte_memseg_walk(NULL, NULL), -1, "NULL callback accepted");
	TEST_ASSERT_EQUAL(rte_memseg_contig_walk(NULL, NULL), -1, "NULL callback accepted");
	return TEST_SUCCESS;
}

static int
test_dma_mask(void)
{
	TEST_ASSERT_EQUAL(rte_mem_check_dma_mask(65), -1, "65-bit mask accepted");
	TEST_ASSERT_EQUAL(rte_mem_check_dma_mask(64), 0, "64-bit mask refused");
	/* every page has an IOVA above 4 kB */
	TEST_ASSERT_EQUAL(rte_mem_check_dma_mask(12), 1, "12-bit mask accepted");
	TEST_ASSERT_EQUAL(eal_get_mcfg()->dma_maskbits, 64, "mask not recorded");
	rte_mem_set_dma_mask(64);
	return TEST_SUCCESS;
}

static int
test_iova_contig(void)
{
	const struct rte_memseg *ms = own_pages[0];
	int stack_var;

	if (ms == NULL)
		ms = rte_mem_virt2memseg(rte_mem_virt2memseg_list(
			eal_get_mcfg()->memsegs[0].base_va)->base_va, NULL);
	TEST_ASSERT_EQUAL(rte_mem_is_iova_contig(ms->addr, ms->len), 1, "one page not contig");
	TEST_ASSERT(rte_mem_is_iova_contig(&stack_var, 4) == -1 && rte_errno == EINVAL,
		"non-EAL memory accepted");
	TEST_ASSERT(rte_mem_is_iova_contig(NULL, 4) == -1 && rte_errno == EINVAL,
		"NULL accepted");
	TEST_ASSERT(rte_mem_is_iova_contig(ms->addr, 0) == -1 && rte_errno == EINVAL,
		"empty range accepted");
	return TEST_SUCCESS;
}

static int
test_extmem(void)
{
	size_t pgsz = 4096, len = 64 * pgsz;
	rte_iova_t iovas[64];
	struct rte_memseg *ms;
	unsigned int i;
	void *va;
	int ret = TEST_FAILED;

	va = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(va != MAP_FAILED, "mmap failed");
	for (i = 0; i < RTE_DIM(iovas); i++)
		iovas[i] = 0x100000000ULL + i * pgsz;
	if (rte_extmem_register(NULL, len, iovas, 64, pgsz) != -1 || rte_errno != EINVAL ||
	    rte_extmem_register(va, len, iovas, 63, pgsz) != -1 || rte_errno != EINVAL ||
	    rte_extmem_register(va, len, iovas, 64, 3000) != -1 || rte_errno != EINVAL ||
	    rte_extmem_unregister(va, len) != -1 || rte_errno != ENOENT) {
		printf("bad arguments accepted\n");
		goto out;
	}
	if (rte_extmem_register(va, len, iovas, 64, pgsz) != 0) {
		printf("register failed: %s\n", rte_strerror(rte_errno));
		goto out;
	}
	ms = rte_mem_virt2memseg(RTE_PTR_ADD(va, 5 * pgsz + 7), NULL);
	if (ms == NULL || ms->addr != RTE_PTR_ADD(va, 5 * pgsz) || ms->iova != iovas[5] ||
	    !rte_mem_virt2memseg_list(va)->external) {
		printf("external page not found\n");
		goto out_unregister;
	}
	if (rte_extmem_register(va, len, NULL, 0, pgsz) != -1 || rte_errno != EEXIST) {
		printf("overlapping register accepted\n");
		goto out_unregister;
	}
	ret = TEST_SUCCESS;
out_unregister:
	if (rte_extmem_unregister(va, len) != 0) {
		printf("unregister failed\n");
		ret = TEST_FAILED;
	}
	if (rte_mem_virt2memseg_list(va) != NULL)
		ret = TEST_FAILED;
out:
	munmap(va, len);
	return ret;
}

/* ------------------------------------------------------------------ */
/* modes in child processes                                           */

/* a private hugetlbfs mount for the legacy cases, "" when not in use */
static char private_dir[PATH_MAX];

static const char *
huge_dir(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	unsigned int i;

	if (private_dir[0] != '\0')
		return private_dir;
	if (test_huge_dir[0] != '\0')
		return test_huge_dir;
	if (cfg->hugepage_dir != NULL)
		return cfg->hugepage_dir;
	for (i = 0; i < cfg->num_hugepage_sizes; i++)
		if (cfg->hugepage_info[i].hugedir[0] != '\0')
			return cfg->hugepage_info[i].hugedir;
	return "";
}

/* @return how many <prefix>map_* files are in @p dir. */
static int
count_files(const char *dir, const char *prefix)
{
	size_t plen = strlen(prefix);
	struct dirent *e;
	int n = 0;
	DIR *d = opendir(dir);

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, prefix, plen) == 0 &&
		    strncmp(e->d_name + plen, "map_", 4) == 0)
			n++;
	closedir(d);
	return n;
}

static void
remove_files(const char *dir, const char *prefix)
{
	char path[PATH_MAX];
	size_t plen = strlen(prefix);
	struct dirent *e;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, prefix, plen) == 0 &&
		    strncmp(e->d_name + plen, "map_", 4) == 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
	closedir(d);
}

static bool
file_exists(const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

/* What a child expects of itself: "key=value" words in $MEMTEST_EXPECT. */
static long
expect(const char *key)
{
	const char *e = getenv("MEMTEST_EXPECT");
	char pat[64];
	const char *p;

	if (e == NULL)
		return -1;
	snprintf(pat, sizeof(pat), "%s=", key);
	p = strstr(e, pat);
	return p == NULL ? -1 : strtol(p + strlen(pat), NULL, 10);
}

static int run_mode(const char *prefix, const char *expect_str, const char *const *args);

/* A secondary of this child sees the same memory. */
static int
check_secondary(void)
{
	const char *const args[] = { "--proc-type=secondary", NULL };
	char exp[64];

	snprintf(exp, sizeof(exp), "mem=%" PRIu64, rte_eal_get_physmem_size() >> 20);
	return run_mode(eal_get_hugefile_prefix(), exp, args);
}

struct run_check {
	const struct rte_memseg *prev;
	size_t prev_len;
	int bad;
};

/* legacy: each run is IOVA-contiguous and runs come in ascending PA order */
static int
check_legacy_run(const struct rte_memseg_list *msl, const struct rte_memseg *ms, size_t len,
		void *arg)
{
	struct run_check *c = arg;
	size_t i, n = len / msl->page_sz;

	for (i = 1; i < n; i++)
		if (ms[i].iova != ms[i - 1].iova + ms[i - 1].len)
			c->bad++;
	if (c->prev != NULL && rte_eal_iova_mode() == RTE_IOVA_PA &&
	    c->prev->iova + c->prev_len >= ms->iova)
		c->bad++;
	c->prev = ms;
	c->prev_len = len;
	return 0;
}

static int
check_pinned(const struct rte_memseg_list *msl, const struct rte_memseg *ms, void *arg)
{
	RTE_SET_USED(msl);
	if ((ms->flags & RTE_MEMSEG_FLAG_DO_NOT_FREE) == 0)
		(*(int *)arg)++;
	return 0;
}

static int
test_memory_child(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	const struct rte_mem_config *mcfg = eal_get_mcfg();
	long mem_mb = expect("mem"), files = expect("files");
	struct run_check rc = { NULL, 0, 0 };
	int unpinned = 0, n;

	printf("child: mem=%" PRIu64 " MB files=%d\n", rte_eal_get_physmem_size() >> 20,
		count_files(huge_dir(), eal_get_hugefile_prefix()));
	TEST_ASSERT(mem_mb < 0 || rte_eal_get_physmem_size() == (uint64_t)mem_mb << 20,
		"%" PRIu64 " MB mapped, expected %ld", rte_eal_get_physmem_size() >> 20, mem_mb);
	if (files >= 0 && !cfg->no_hugetlbfs) {
		n = count_files(huge_dir(), eal_get_hugefile_prefix());
		TEST_ASSERT_EQUAL(n, files, "%d page files, expected %ld", n, files);
	}
	if (expect("pinned") == 1) {
		rte_memseg_walk(check_pinned, &unpinned);
		TEST_ASSERT_EQUAL(unpinned, 0, "%d preallocated pages not pinned", unpinned);
	}
	if (cfg->legacy_mem && !cfg->no_hugetlbfs) {
		rte_memseg_contig_walk(check_legacy_run, &rc);
		TEST_ASSERT_EQUAL(rc.bad, 0, "%d breaks of IOVA order/contiguity", rc.bad);
		TEST_ASSERT(file_exists(rte_eal_get_runtime_dir(), "hugepage_data"),
			"no hugepage_data");
	}
	if (expect("limit") > 0) {
		size_t limit = (size_t)expect("limit") << 20;
		void *small = rte_malloc(NULL, limit / 4, 0);
		void *big = rte_malloc(NULL, limit + (limit / 2), 0);

		rte_free(small);
		rte_free(big);
		TEST_ASSERT_NOT_NULL(small, "allocation below --socket-limit failed");
		TEST_ASSERT_NULL(big, "allocation over --socket-limit succeeded");
	}
	if (expect("secondary") == 1)
		TEST_ASSERT_EQUAL(check_secondary(), 0, "a secondary did not see our memory");
	if (cfg->no_hugetlbfs) {
		TEST_ASSERT(strcmp(mcfg->memsegs[0].memseg_arr.name, "nohugemem") == 0,
			"no-huge list is '%s'", mcfg->memsegs[0].memseg_arr.name);
		TEST_ASSERT_EQUAL(mcfg->memsegs[0].page_sz, rte_mem_page_size(), "page size");
		TEST_ASSERT_NULL(mcfg->memsegs[1].base_va, "more than one no-huge list");
	} else if (!cfg->in_memory) {
		TEST_ASSERT(file_exists(rte_eal_get_runtime_dir(), "hugepage_info"),
			"no hugepage_info");
		TEST_ASSERT(cfg->legacy_mem ||
			file_exists(rte_eal_get_runtime_dir(), "fbarray_memseg-2048k-0-0"),
			"no fbarray_memseg-2048k-0-0");
	}
	return TEST_SUCCESS;
}

static rlim_t child_as_limit; /* RLIMIT_AS for the next child, 0 = none */

/* Run dpdk-test in a child with @p args; @return its exit status. */
static int
run_mode(const char *prefix, const char *expect_str, const char *const *args)
{
	char fp[NAME_MAX + 16], hd[PATH_MAX + 16];
	char *argv[16];
	int n = 0, status;
	pid_t pid;

	snprintf(fp, sizeof(fp), "--file-prefix=%s", prefix);
	snprintf(hd, sizeof(hd), "--huge-dir=%s", huge_dir());
	argv[n++] = RTE_PTR_UNQUAL(prgname);
	argv[n++] = RTE_PTR_UNQUAL("-l");
	argv[n++] = RTE_PTR_UNQUAL("0");
	argv[n++] = fp;
	argv[n++] = hd;
	while (*args != NULL && n < 15)
		argv[n++] = RTE_PTR_UNQUAL(*args++);
	argv[n] = NULL;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		setenv("DPDK_TEST", "memory_child_autotest", 1);
		setenv("MEMTEST_EXPECT", expect_str, 1);
		unsetenv("DPDK_TEST_PREFIX_SUFFIX");
		unsetenv("DPDK_TEST_HUGE_DIR");
		if (child_as_limit != 0) {
			struct rlimit lim = { child_as_limit, child_as_limit };

			setrlimit(RLIMIT_AS, &lim);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static bool
runtime_dir_exists(const char *prefix)
{
	char path[PATH_MAX], *slash;
	struct stat st;

	/* ours is <base>/dpdk/<our prefix>: the child's is its sibling */
	snprintf(path, sizeof(path), "%s", rte_eal_get_runtime_dir());
	slash = strrchr(path, '/');
	if (slash == NULL)
		return false;
	snprintf(slash + 1, sizeof(path) - (size_t)(slash + 1 - path), "%s", prefix);
	return stat(path, &st) == 0;
}

/*
 * Legacy init maps every free page of the pool for a moment; on a private
 * mount capped at 64 pages it takes only those, and other users of the
 * shared pool are not starved. Without one (no permission) the shared
 * mount is used.
 */
static void
private_mount_pages(unsigned int n_pages)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	char opts[64];

	snprintf(private_dir, sizeof(private_dir), "/tmp/memtest-huge-XXXXXX");
	if (mkdtemp(private_dir) == NULL) {
		private_dir[0] = '\0';
		return;
	}
	snprintf(opts, sizeof(opts), "pagesize=%" PRIu64 ",size=%" PRIu64,
		cfg->hugepage_info[0].hugepage_sz, n_pages * cfg->hugepage_info[0].hugepage_sz);
	if (mount("nodev", private_dir, "hugetlbfs", 0, opts) != 0) {
		rmdir(private_dir);
		private_dir[0] = '\0';
	}
}

static void
private_mount(void)
{
	private_mount_pages(64);
}

static void
private_umount(void)
{
	if (private_dir[0] == '\0')
		return;
	/* files left in it (legacy keeps them) go with the mount */
	umount(private_dir);
	rmdir(private_dir);
	private_dir[0] = '\0';
}

static const struct mode_case {
	const char *name;
	const char *expect;
	int files_after;  /* page files left after exit */
	bool private;     /* run on a private, size-capped mount */
	const char *args[5];
} mode_cases[] = {
	{ "dyn", "mem=0 files=0", 0, false,
	  { NULL } },
	{ "dynm", "mem=64 files=32 pinned=1 secondary=1", 0, false,
	  { "-m", "64", NULL } },
	{ "sockmem", "mem=64 files=32 pinned=1", 0, false,
	  { "--socket-mem=64", NULL } },
	{ "legacy", "mem=64 files=32 secondary=1", 32, true,
	  { "--legacy-mem", "-m", "64", NULL } },
	{ "legunl", "mem=64 files=0", 0, true,
	  { "--legacy-mem", "--huge-unlink", "-m", "64" } },
	{ "limit", "mem=0 limit=64", 0, false,
	  { "--socket-limit=64", NULL } },
	{ "nohuge", "mem=64 files=0", 0, false,
	  { "--no-huge", NULL } },
	{ "nohugem", "mem=16", 0, false,
	  { "--no-huge", "-m", "16", NULL } },
	{ "sfs", "mem=64 files=1 pinned=1", 0, false,
	  { "--single-file-segments", "-m", "64", NULL } },
	{ "inmem", "mem=64 files=0 pinned=1", 0, false,
	  { "--in-memory", "-m", "64", NULL } },
};

static int
test_modes(void)
{
	char prefix[NAME_MAX];
	unsigned int i;
	int ret, left;

	for (i = 0; i < RTE_DIM(mode_cases); i++) {
		const struct mode_case *m = &mode_cases[i];

		snprintf(prefix, sizeof(prefix), "%s_%s", test_file_prefix, m->name);
		if (m->private)
			private_mount();
		ret = run_mode(prefix, m->expect, m->args);
		left = count_files(huge_dir(), prefix);
		remove_files(huge_dir(), prefix);
		private_umount();
		printf("mode %s: exit %d, %d files left\n", m->name, ret, left);
		TEST_ASSERT_EQUAL(ret, 0, "mode %s failed (exit %d)", m->name, ret);
		/*
		 * Kept files are unlocked once their owner is gone: another
		 * primary starting on a shared mount may already have removed them.
		 */
		TEST_ASSERT(left == m->files_after || (m->files_after != 0 && left == 0),
			"mode %s left %d page files", m->name, left);
		TEST_ASSERT(!runtime_dir_exists(prefix), "mode %s left its runtime dir", m->name);
	}
	return TEST_SUCCESS;
}

/* A request larger than the pool fails with ENOMEM and leaves nothing. */
static int
test_too_much(void)
{
	const char *const big[] = { "-m", "4000000", NULL };
	const char *const big_sock[] = { "--socket-mem=4000000", NULL };
	char prefix[NAME_MAX];
	int ret;

	snprintf(prefix, sizeof(prefix), "%s_big", test_file_prefix);
	ret = run_mode(prefix, "", big);
	TEST_ASSERT(ret != 0, "-m 4000000 was accepted");
	TEST_ASSERT_EQUAL(count_files(huge_dir(), prefix), 0, "page files left behind");
	TEST_ASSERT(!runtime_dir_exists(prefix), "runtime dir left behind");
	ret = run_mode(prefix, "", big_sock);
	TEST_ASSERT(ret != 0, "--socket-mem=4000000 was accepted");
	TEST_ASSERT_EQUAL(count_files(huge_dir(), prefix), 0, "page files left behind");
	TEST_ASSERT(!runtime_dir_exists(prefix), "runtime dir left behind");
	if (rte_socket_count() == 1) {
		/* a socket without memory cannot give any */
		const char *const other_sock[] = { "--socket-mem=0,2", NULL };

		ret = run_mode(prefix, "", other_sock);
		TEST_ASSERT(ret != 0, "memory on a socket without pages was accepted");
		TEST_ASSERT(!runtime_dir_exists(prefix), "runtime dir left behind");
	}
	return TEST_SUCCESS;
}

/*
 * The free counts allow -m but the mount holds fewer pages: the mapping
 * fails half way, and init must fail and give back what it had mapped.
 */
static int
test_prealloc_short(void)
{
	const char *const args[] = { "-m", "64", NULL };
	const char *const legacy[] = { "--legacy-mem", "-m", "64", NULL };
	char prefix[NAME_MAX];
	int ret, left, left_legacy;

	private_mount_pages(16);
	if (private_dir[0] == '\0')
		return test_hugepages_missing("cannot mount a private hugetlbfs");
	snprintf(prefix, sizeof(prefix), "%s_short", test_file_prefix);
	ret = run_mode(prefix, "", args);
	left = count_files(huge_dir(), prefix);
	if (ret == 0 || left != 0) {
		private_umount();
		TEST_ASSERT(false, "-m 64 on a 16-page mount: exit %d, %d files left", ret, left);
	}
	ret = run_mode(prefix, "", legacy);
	left_legacy = count_files(huge_dir(), prefix);
	private_umount();
	TEST_ASSERT(ret != 0, "legacy -m 64 on a 16-page mount was accepted");
	TEST_ASSERT_EQUAL(left_legacy, 0, "legacy left %d files", left_legacy);
	TEST_ASSERT(!runtime_dir_exists(prefix), "runtime dir left behind");
	return TEST_SUCCESS;
}

/* Too little address space fails init quickly instead of spinning. */
static int
test_no_address_space(void)
{
	const char *const args[] = { "-m", "64", NULL };
	char prefix[NAME_MAX];
	struct timespec t0, t1;
	int ret;

#ifdef RTE_MALLOC_ASAN
	printf("AddressSanitizer cannot start under RLIMIT_AS: case not run\n");
	return TEST_SKIPPED;
#endif
	snprintf(prefix, sizeof(prefix), "%s_noas", test_file_prefix);
	child_as_limit = (rlim_t)1 << 30;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = run_mode(prefix, "", args);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	child_as_limit = 0;
	TEST_ASSERT(ret != 0, "init succeeded in 1 GB of address space");
	TEST_ASSERT(t1.tv_sec - t0.tv_sec < 5, "failing took %ld s", (long)(t1.tv_sec - t0.tv_sec));
	TEST_ASSERT_EQUAL(count_files(huge_dir(), prefix), 0, "page files left behind");
	TEST_ASSERT(!runtime_dir_exists(prefix), "runtime dir left behind");
	return TEST_SUCCESS;
}

/* Stale files of a dead process are removed by the next primary. */
static int
test_stale_files(void)
{
	char prefix[NAME_MAX], path[PATH_MAX];
	const char *const none[] = { NULL };
	FILE *f;

	snprintf(prefix, sizeof(prefix), "%s_stale", test_file_prefix);
	snprintf(path, sizeof(path), "%s/%s_deadmap_7", huge_dir(), test_file_prefix);
	f = fopen(path, "w");
	TEST_ASSERT_NOT_NULL(f, "cannot create %s", path);
	fclose(f);
	TEST_ASSERT_EQUAL(run_mode(prefix, "mem=0", none), 0, "primary failed");
	if (access(path, F_OK) == 0) {
		unlink(path);
		TEST_ASSERT(false, "stale %s survived a primary's start", path);
	}
	return TEST_SUCCESS;
}

static struct unit_test_suite memory_suite = {
	.suite_name = "memory",
	.setup = memory_setup,
	.teardown = memory_teardown,
	.unit_test_cases = {
		TEST_CASE(test_layout),
		TEST_CASE(test_lookups),
		TEST_CASE(test_malloc_iova),
		TEST_CASE(test_fds),
		TEST_CASE(test_walk_results),
		TEST_CASE(test_dma_mask),
		TEST_CASE(test_iova_contig),
		TEST_CASE(test_extmem),
		TEST_CASE(test_modes),
		TEST_CASE(test_too_much),
		TEST_CASE(test_prealloc_short),
		TEST_CASE(test_no_address_space),
		TEST_CASE(test_stale_files),
		TEST_CASES_END()
	}
};

static int
test_memory(void)
{
	return unit_test_suite_runner(&memory_suite);
}

REGISTER_FAST_TEST(memory_autotest, NOHUGE_SKIP, ASAN_OK, test_memory);
REGISTER_TEST_COMMAND(memory_child_autotest, test_memory_child);
