/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Page allocation (eal_memalloc) on real 2 MB hugepages.
 *
 * memalloc_autotest runs in the primary started by meson and checks one
 * page and bulk allocation, rollback (fault injected at the mmap seam),
 * pinned pages, fds, contiguity, callbacks and validators. Modes that are
 * fixed at init (single-file, in-memory, --huge-unlink) and the hugetlb
 * cgroup limits run in child dpdk-test processes with their own
 * --file-prefix; the children run the memalloc_child_* commands below.
 * Only files under our own prefix are counted, since other test runs share
 * the hugepage pool and mount.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_fbarray.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>

#include "eal_filesystem.h"
#include "eal_internal_cfg.h"
#include "eal_memalloc.h"
#include "eal_memcfg.h"
#include "test.h"

#define PGSZ RTE_PGSIZE_2M
#define CG_LIMIT_PAGES 4

/* @p call must fail with rte_errno @p err */
#define EXPECT_ERR(call, err) do { \
	rte_errno = 0; \
	TEST_ASSERT_EQUAL((call), -1, #call " succeeded"); \
	TEST_ASSERT_EQUAL(rte_errno, (err), #call ": rte_errno %d", rte_errno); \
} while (0)

/* --- helpers --- */

static const struct hugepage_info *
hpi_2m(void)
{
	const struct internal_config *c = eal_get_internal_configuration();
	unsigned int i;

	for (i = 0; i < c->num_hugepage_sizes; i++)
		if (c->hugepage_info[i].hugepage_sz == PGSZ)
			return &c->hugepage_info[i];
	return NULL;
}

/* @return the first EAL list of 2 MB pages, or NULL. */
static struct rte_memseg_list *
list_2m(void)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	int i;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++)
		if (mcfg->memsegs[i].base_va != NULL && !mcfg->memsegs[i].external &&
		    mcfg->memsegs[i].page_sz == PGSZ)
			return &mcfg->memsegs[i];
	return NULL;
}

static int
list_idx(const struct rte_memseg_list *msl)
{
	return (int)(msl - eal_get_mcfg()->memsegs);
}

/* Files "<prefix>map_*" of @p prefix in the 2 MB hugepage dir. */
static int
count_files(const char *prefix)
{
	const struct hugepage_info *hi = hpi_2m();
	char want[NAME_MAX + 8];
	struct dirent *de;
	int n = 0;
	DIR *d;

	if (hi == NULL || hi->hugedir[0] == '\0')
		return 0;
	d = opendir(hi->hugedir);
	if (d == NULL)
		return -1;
	snprintf(want, sizeof(want), "%smap_", prefix);
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, want, strlen(want)) == 0)
			n++;
	closedir(d);
	return n;
}

static int
count_our_files(void)
{
	return count_files(eal_get_hugefile_prefix());
}

static void
remove_files(const char *prefix)
{
	const struct hugepage_info *hi = hpi_2m();
	char want[NAME_MAX + 8], path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	if (hi == NULL || hi->hugedir[0] == '\0')
		return;
	d = opendir(hi->hugedir);
	if (d == NULL)
		return;
	snprintf(want, sizeof(want), "%smap_", prefix);
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, want, strlen(want)) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", hi->hugedir, de->d_name);
		unlink(path);
	}
	closedir(d);
}

static int
count_vmas(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	int c, n = 0;

	if (f == NULL)
		return -1;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static bool
is_zero(const void *p, size_t len)
{
	const uint64_t *w = p;
	size_t i;

	for (i = 0; i < len / sizeof(*w); i++)
		if (w[i] != 0)
			return false;
	return true;
}

static int
alloc_bulk(struct rte_memseg **ms, int n, bool exact)
{
	const struct rte_memseg_list *msl = list_2m();
	int ret;

	rte_mcfg_mem_write_lock();
	ret = eal_memalloc_alloc_seg_bulk(ms, n, PGSZ, msl->socket_id, exact);
	rte_mcfg_mem_write_unlock();
	return ret;
}

static int
free_bulk(struct rte_memseg **ms, int n)
{
	int ret;

	rte_mcfg_mem_write_lock();
	ret = eal_memalloc_free_seg_bulk(ms, n);
	rte_mcfg_mem_write_unlock();
	return ret;
}

static int
seg_idx(const struct rte_memseg_list *msl, const struct rte_memseg *ms)
{
	return (int)(RTE_PTR_DIFF(ms->addr, msl->base_va) / msl->page_sz);
}

static bool
file_per_page(void)
{
	const struct internal_config *c = eal_get_internal_configuration();

	return !c->in_memory && !c->single_file_segments &&
		c->hugepage_unlink != HUGEPAGE_UNLINK_ALWAYS;
}

static int
check_setup(void)
{
	if (list_2m() == NULL || hpi_2m() == NULL)
		return test_hugepages_missing("no 2 MB memseg list");
	return TEST_SUCCESS;
}

/* --- in-process cases --- */

static int
test_alloc_free_one(void)
{
	struct rte_memseg_list *msl = list_2m();
	int files0 = count_our_files(), idx, fd;
	uint32_t ver0 = msl->version;
	struct rte_memseg *ms;
	volatile uint8_t *p;

	rte_mcfg_mem_write_lock();
	ms = eal_memalloc_alloc_seg(PGSZ, msl->socket_id);
	rte_mcfg_mem_write_unlock();
	TEST_ASSERT_NOT_NULL(ms, "one page allocation failed");
	TEST_ASSERT_EQUAL(ms->len, PGSZ, "wrong length");
	TEST_ASSERT_EQUAL(ms->hugepage_sz, PGSZ, "wrong page size");
	TEST_ASSERT_EQUAL(ms->socket_id, msl->socket_id, "wrong socket");
	TEST_ASSERT(ms->addr >= msl->base_va && RTE_PTR_DIFF(ms->addr, msl->base_va) < msl->len,
		"page outside its list");
	idx = seg_idx(msl, ms);
	TEST_ASSERT_EQUAL(rte_fbarray_get(&msl->memseg_arr, idx), (void *)ms, "slot mismatch");
	TEST_ASSERT_EQUAL(rte_fbarray_is_used(&msl->memseg_arr, idx), 1, "slot not used");
	TEST_ASSERT(msl->version != ver0, "list version not bumped on alloc");
	if (rte_eal_iova_mode() == RTE_IOVA_VA)
		TEST_ASSERT_EQUAL(ms->iova, (rte_iova_t)(uintptr_t)ms->addr, "IOVA != VA");
	else
		TEST_ASSERT_NOT_EQUAL(ms->iova, RTE_BAD_IOVA, "no physical address");
	TEST_ASSERT(is_zero(ms->addr, PGSZ), "new page is not zeroed");
	memset(ms->addr, 0xa5, PGSZ);
	if (file_per_page())
		TEST_ASSERT_EQUAL(count_our_files(), files0 + 1, "no page file");
	fd = eal_memalloc_get_seg_fd(list_idx(msl), idx);
	TEST_ASSERT(fd >= 0, "no fd for a mapped page: %d", fd);

	p = ms->addr;
	ver0 = msl->version;
	TEST_ASSERT_SUCCESS(free_bulk(&ms, 1), "free failed");
	TEST_ASSERT_EQUAL(rte_fbarray_is_used(&msl->memseg_arr, idx), 0, "slot still used");
	TEST_ASSERT(msl->version != ver0, "list version not bumped on free");
	TEST_ASSERT_EQUAL(count_our_files(), files0, "page file left behind");
	/* the slot is a PROT_READ placeholder again: readable, zero */
	TEST_ASSERT(p[0] == 0 && p[PGSZ - 1] == 0, "freed slot is not the zero placeholder");
	TEST_ASSERT_EQUAL(eal_memalloc_get_seg_fd(list_idx(msl), idx), -ENODEV,
		"fd still recorded after free");
	return TEST_SUCCESS;
}

static int
test_alloc_bulk(void)
{
	struct rte_memseg_list *msl = list_2m();
	struct rte_memseg *ms[8];
	int files0 = count_our_files(), i;

	TEST_ASSERT_EQUAL(alloc_bulk(ms, 8, true), 8, "bulk allocation failed");
	for (i = 0; i < 8; i++) {
		TEST_ASSERT_NOT_NULL(ms[i], "missing memseg %d", i);
		TEST_ASSERT(is_zero(ms[i]->addr, PGSZ), "page %d not zeroed", i);
		if (i > 0)
			TEST_ASSERT_EQUAL(ms[i]->addr, RTE_PTR_ADD(ms[i - 1]->addr, PGSZ),
				"pages not VA-contiguous");
		memset(ms[i]->addr, i + 1, PGSZ);
	}
	if (file_per_page())
		TEST_ASSERT_EQUAL(count_our_files(), files0 + 8, "wrong number of page files");
	/* data written through one mapping is what the slot holds */
	for (i = 0; i < 8; i++)
		TEST_ASSERT(((uint8_t *)ms[i]->addr)[PGSZ / 2] == i + 1, "page %d lost data", i);
	TEST_ASSERT(eal_memalloc_is_contig(msl, ms[0]->addr, PGSZ), "one page not contiguous");
	TEST_ASSERT_SUCCESS(free_bulk(ms, 8), "bulk free failed");
	TEST_ASSERT_EQUAL(count_our_files(), files0, "page files left behind");
	return TEST_SUCCESS;
}

static int
test_bulk_rollback(void)
{
	struct rte_memseg_list *msl = list_2m();
	int files0 = count_our_files(), vmas0 = count_vmas(), i, n;
	unsigned int used0 = msl->memseg_arr.count;
	struct rte_memseg *ms[8];

	/* exact: the 5th mapping fails, the 4 before it are undone */
	eal_memalloc_test_fail_at(5);
	TEST_ASSERT_EQUAL(alloc_bulk(ms, 8, true), -1, "injected failure not reported");
	eal_memalloc_test_fail_at(0);
	for (i = 0; i < 8; i++)
		TEST_ASSERT_NULL(ms[i], "memseg %d returned after rollback", i);
	TEST_ASSERT_EQUAL(msl->memseg_arr.count, used0, "slots left used after rollback");
	TEST_ASSERT_EQUAL(count_our_files(), files0, "files left after rollback");
	TEST_ASSERT_EQUAL(count_vmas(), vmas0, "VA layout changed after rollback");

	/* best effort: keep the 4 that worked */
	eal_memalloc_test_fail_at(5);
	n = alloc_bulk(ms, 8, false);
	eal_memalloc_test_fail_at(0);
	TEST_ASSERT_EQUAL(n, 4, "best effort gave %d pages, expected 4", n);
	TEST_ASSERT_EQUAL(msl->memseg_arr.count, used0 + 4, "wrong used count");
	TEST_ASSERT_SUCCESS(free_bulk(ms, 4), "free failed");

	/* the very first page fails: nothing mapped, both modes fail */
	eal_memalloc_test_fail_at(1);
	TEST_ASSERT_EQUAL(alloc_bulk(ms, 3, false), -1, "first-page failure not reported");
	eal_memalloc_test_fail_at(0);
	TEST_ASSERT_EQUAL(msl->memseg_arr.count, used0, "slots left used");
	TEST_ASSERT_EQUAL(count_our_files(), files0, "files left behind");
	TEST_ASSERT_EQUAL(count_vmas(), vmas0, "VA layout changed");
	return TEST_SUCCESS;
}

/* Open fds and the highest fd number of this process. */
static int
count_fds(int *max_fd)
{
	struct dirent *de;
	int n = 0, fd;
	DIR *d = opendir("/proc/self/fd");

	if (d == NULL)
		return -1;
	*max_fd = -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		fd = atoi(de->d_name);
		if (fd != dirfd(d)) {
			n++;
			*max_fd = RTE_MAX(*max_fd, fd);
		}
	}
	closedir(d);
	return n;
}

/* Open /dev/null into every hole below @p max_fd; @return how many (fds in @p fill). */
static int
fill_fd_holes(int max_fd, int *fill, int cap)
{
	int n = 0, fd;

	while (n < cap) {
		fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			break;
		if (fd > max_fd) {
			close(fd);
			break;
		}
		fill[n++] = fd;
	}
	return n;
}

/*
 * Out of fds half way (RLIMIT_NOFILE): leave 4 free, of which the hugepage
 * dir lock takes one, so the 4th page file cannot be opened.
 */
static int
test_fd_exhaustion(void)
{
	struct rte_memseg_list *msl = list_2m();
	unsigned int used0 = msl->memseg_arr.count;
	int files0 = count_our_files(), nfd, max_fd, n, ret, i, nfill;
	struct rte_memseg *ms[8];
	struct rlimit old, lim;
	int fill[1024];

	if (!file_per_page())
		return TEST_SKIPPED;
	/* pagemap and other lazily opened fds first, outside the limit */
	TEST_ASSERT_EQUAL(alloc_bulk(ms, 1, true), 1, "allocation failed");
	TEST_ASSERT_SUCCESS(free_bulk(ms, 1), "free failed");
	TEST_ASSERT(count_fds(&max_fd) > 0 && getrlimit(RLIMIT_NOFILE, &old) == 0,
		"cannot read fd usage");
	nfill = fill_fd_holes(max_fd, fill, (int)RTE_DIM(fill));
	nfd = count_fds(&max_fd);
	lim = old;
	lim.rlim_cur = (rlim_t)max_fd + 1 + 4;
	ret = -2;
	n = -2;
	if (setrlimit(RLIMIT_NOFILE, &lim) == 0) {
		ret = alloc_bulk(ms, 8, true);
		n = count_our_files();
		setrlimit(RLIMIT_NOFILE, &old);
	}
	TEST_ASSERT_EQUAL(ret, -1, "allocation without fds succeeded (%d)", ret);
	TEST_ASSERT_EQUAL(n, files0, "files left after running out of fds");
	TEST_ASSERT_EQUAL(msl->memseg_arr.count, used0, "slots left used");
	TEST_ASSERT_EQUAL(count_fds(&max_fd), nfd, "fds leaked");
	n = -2;
	if (setrlimit(RLIMIT_NOFILE, &lim) == 0) {
		n = alloc_bulk(ms, 8, false);
		setrlimit(RLIMIT_NOFILE, &old);
	}
	for (i = 0; i < nfill; i++)
		close(fill[i]);
	TEST_ASSERT_EQUAL(n, 3, "best effort got %d pages with 3 fds to spare", n);
	TEST_ASSERT_SUCCESS(free_bulk(ms, n), "free failed");
	TEST_ASSERT_EQUAL(count_fds(&max_fd), nfd - nfill, "fds leaked");
	return TEST_SUCCESS;
}

static int
test_bad_requests(void)
{
	struct rte_memseg_list *msl = list_2m();
	unsigned int used0 = msl->memseg_arr.count;
	struct rte_memseg *ms[2], fake;
	int files0 = count_our_files();

	TEST_ASSERT_EQUAL(alloc_bulk(ms, 0, true), -1, "zero pages accepted");
	TEST_ASSERT_EQUAL(alloc_bulk(NULL, -3, true), -1, "negative count accepted");
	TEST_ASSERT_EQUAL(alloc_bulk(NULL, (int)msl->memseg_arr.len + 1, true), -1,
		"more pages than a list holds accepted");
	rte_mcfg_mem_write_lock();
	TEST_ASSERT_NULL(eal_memalloc_alloc_seg(RTE_PGSIZE_16M, msl->socket_id),
		"unknown page size accepted");
	rte_mcfg_mem_write_unlock();
	TEST_ASSERT_EQUAL(free_bulk(NULL, 1), -1, "NULL array accepted");
	ms[0] = NULL;
	TEST_ASSERT_EQUAL(free_bulk(ms, 1), -1, "NULL memseg accepted");
	memset(&fake, 0, sizeof(fake));
	fake.addr = msl->base_va;
	ms[0] = &fake;
	TEST_ASSERT_EQUAL(free_bulk(ms, 1), -1, "memseg outside any list accepted");
	TEST_ASSERT_EQUAL(msl->memseg_arr.count, used0, "used count changed");
	TEST_ASSERT_EQUAL(count_our_files(), files0, "files changed");
	return TEST_SUCCESS;
}

static int
test_pinned(void)
{
	struct rte_memseg_list *msl = list_2m();
	struct rte_memseg *ms[2];
	int idx0, idx1;

	TEST_ASSERT_EQUAL(alloc_bulk(ms, 2, true), 2, "allocation failed");
	idx0 = seg_idx(msl, ms[0]);
	idx1 = seg_idx(msl, ms[1]);
	ms[0]->flags |= RTE_MEMSEG_FLAG_DO_NOT_FREE;
	/* the pinned page is refused, the other one still goes */
	TEST_ASSERT_EQUAL(free_bulk(ms, 2), -1, "pinned page freed");
	TEST_ASSERT_EQUAL(rte_fbarray_is_used(&msl->memseg_arr, idx0), 1, "pinned page gone");
	TEST_ASSERT_EQUAL(rte_fbarray_is_used(&msl->memseg_arr, idx1), 0,
		"unpinned page kept");
	TEST_ASSERT(is_zero(ms[0]->addr, PGSZ), "pinned page unusable");
	ms[0]->flags &= ~RTE_MEMSEG_FLAG_DO_NOT_FREE;
	TEST_ASSERT_SUCCESS(free_bulk(ms, 1), "unpinned page not freed");
	return TEST_SUCCESS;
}

static int
test_fds(void)
{
	struct rte_memseg_list *msl = list_2m();
	struct rte_memseg *ms[2];
	int li = list_idx(msl), i0, fd0, fd1;
	size_t off = 1;

	TEST_ASSERT_EQUAL(eal_memalloc_get_seg_fd(-1, 0), -ENOENT, "bad list accepted");
	TEST_ASSERT_EQUAL(eal_memalloc_get_seg_fd(li, (int)msl->memseg_arr.len), -ENOENT,
		"bad slot accepted");
	TEST_ASSERT_EQUAL(alloc_bulk(ms, 2, true), 2, "allocation failed");
	i0 = seg_idx(msl, ms[0]);
	fd0 = eal_memalloc_get_seg_fd(li, i0);
	fd1 = eal_memalloc_get_seg_fd(li, i0 + 1);
	TEST_ASSERT(fd0 >= 0 && fd1 >= 0, "no fds: %d %d", fd0, fd1);
	TEST_ASSERT_SUCCESS(eal_memalloc_get_seg_fd_offset(li, i0 + 1, &off), "no offset");
	if (eal_get_internal_configuration()->single_file_segments) {
		TEST_ASSERT_EQUAL(fd0, fd1, "single-file pages with different fds");
		TEST_ASSERT_EQUAL(off, (size_t)(i0 + 1) * PGSZ, "wrong offset");
	} else {
		TEST_ASSERT_NOT_EQUAL(fd0, fd1, "pages sharing an fd");
		TEST_ASSERT_EQUAL(off, 0, "wrong offset");
	}
	TEST_ASSERT_EQUAL(eal_memalloc_get_seg_fd_offset(li, i0, NULL), -EINVAL,
		"NULL offset accepted");
	TEST_ASSERT_SUCCESS(free_bulk(ms, 2), "free failed");
	return TEST_SUCCESS;
}

static int
test_is_contig(void)
{
	struct rte_memseg_list *msl = list_2m(), ext;
	struct rte_memseg *ms[3];
	rte_iova_t saved[3];
	bool pa = rte_eal_iova_mode() == RTE_IOVA_PA;
	int i, ret = TEST_FAILED;

	TEST_ASSERT_EQUAL(alloc_bulk(ms, 3, true), 3, "allocation failed");
	for (i = 0; i < 3; i++)
		saved[i] = ms[i]->iova;
	/* a copy flagged external always has its memsegs' IOVAs compared */
	ext = *msl;
	ext.external = 1;
	ms[1]->iova = ms[0]->iova + PGSZ;
	ms[2]->iova = ms[1]->iova + PGSZ;
	if (!eal_memalloc_is_contig(&ext, ms[0]->addr, 3 * PGSZ)) {
		printf("consecutive IOVAs not contiguous\n");
		goto out;
	}
	ms[2]->iova += PGSZ;
	if (eal_memalloc_is_contig(&ext, ms[0]->addr, 3 * PGSZ) ||
	    !eal_memalloc_is_contig(&ext, ms[0]->addr, 2 * PGSZ) ||
	    !eal_memalloc_is_contig(&ext, RTE_PTR_ADD(ms[0]->addr, 100), PGSZ - 200) ||
	    !eal_memalloc_is_contig(&ext, RTE_PTR_ADD(ms[1]->addr, 8), PGSZ - 8)) {
		printf("gap or sub-range misjudged\n");
		goto out;
	}
	ms[0]->iova = RTE_BAD_IOVA;
	if (eal_memalloc_is_contig(&ext, ms[0]->addr, 2 * PGSZ)) {
		printf("bad IOVA judged contiguous\n");
		goto out;
	}
	if (eal_memalloc_is_contig(&ext, RTE_PTR_SUB(msl->base_va, PGSZ), PGSZ) ||
	    eal_memalloc_is_contig(&ext, msl->base_va, msl->len + 1)) {
		printf("range outside the list judged contiguous\n");
		goto out;
	}
	/* the EAL's own list: VA mode never looks at memsegs */
	if (!pa && !eal_memalloc_is_contig(msl, ms[0]->addr, 3 * PGSZ)) {
		printf("VA mode range not contiguous\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	for (i = 0; i < 3; i++)
		ms[i]->iova = saved[i];
	if (pa) {
		bool real = saved[1] == saved[0] + PGSZ;

		if (eal_memalloc_is_contig(msl, ms[0]->addr, 2 * PGSZ) != real) {
			printf("PA mode contiguity does not match the real IOVAs\n");
			ret = TEST_FAILED;
		}
	}
	if (free_bulk(ms, 3) != 0)
		ret = TEST_FAILED;
	return ret;
}

struct event_log {
	int calls;
	enum rte_mem_event type;
	const void *addr;
	size_t len;
	int order;
};

static int event_seq;

static void
event_cb(enum rte_mem_event type, const void *addr, size_t len, void *arg)
{
	struct event_log *l = arg;

	l->calls++;
	l->type = type;
	l->addr = addr;
	l->len = len;
	l->order = ++event_seq;
}

static int
test_callbacks(void)
{
	struct event_log a = { 0 }, b = { 0 };
	char longname[RTE_MEM_EVENT_CALLBACK_NAME_LEN + 1];
	void *p = (void *)(uintptr_t)0x100000;

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	EXPECT_ERR(eal_memalloc_mem_event_callback_register(NULL, event_cb, &a), EINVAL);
	EXPECT_ERR(eal_memalloc_mem_event_callback_register("", event_cb, &a), EINVAL);
	EXPECT_ERR(eal_memalloc_mem_event_callback_register("t", NULL, &a), EINVAL);
	EXPECT_ERR(eal_memalloc_mem_event_callback_register(longname, event_cb, &a),
		ENAMETOOLONG);
	EXPECT_ERR(eal_memalloc_mem_event_callback_unregister("t", &a), ENOENT);
	longname[RTE_MEM_EVENT_CALLBACK_NAME_LEN - 1] = '\0';
	TEST_ASSERT_SUCCESS(eal_memalloc_mem_event_callback_register(longname, event_cb, &a),
		"63-character name refused");
	TEST_ASSERT_SUCCESS(eal_memalloc_mem_event_callback_unregister(longname, &a),
		"unregister failed");

	TEST_ASSERT_SUCCESS(eal_memalloc_mem_event_callback_register("t", event_cb, &a),
		"register failed");
	EXPECT_ERR(eal_memalloc_mem_event_callback_register("t", event_cb, &a), EEXIST);
	/* same name, other arg: a different registration */
	TEST_ASSERT_SUCCESS(eal_memalloc_mem_event_callback_register("t", event_cb, &b),
		"register with another arg failed");

	eal_memalloc_mem_event_notify(RTE_MEM_EVENT_ALLOC, p, 3 * PGSZ);
	TEST_ASSERT(a.calls == 1 && b.calls == 1, "callbacks not called once");
	TEST_ASSERT(a.type == RTE_MEM_EVENT_ALLOC && a.addr == p && a.len == 3 * PGSZ,
		"wrong event");
	TEST_ASSERT(a.order < b.order, "not called in registration order");
	TEST_ASSERT_SUCCESS(eal_memalloc_mem_event_callback_unregister("t", &a),
		"unregister failed");
	eal_memalloc_mem_event_notify(RTE_MEM_EVENT_FREE, p, PGSZ);
	TEST_ASSERT(a.calls == 1 && b.calls == 2, "unregistered callback still called");
	TEST_ASSERT(b.type == RTE_MEM_EVENT_FREE && b.len == PGSZ, "wrong FREE event");
	TEST_ASSERT_SUCCESS(eal_memalloc_mem_event_callback_unregister("t", &b),
		"unregister failed");
	EXPECT_ERR(eal_memalloc_mem_event_callback_unregister("t", &b), ENOENT);
	return TEST_SUCCESS;
}

/* Is every page of [addr, addr + len) a used slot of its list right now? */
static bool
range_mapped(const void *addr, size_t len)
{
	struct rte_memseg_list *msl = rte_mem_virt2memseg_list(addr);
	size_t off;
	int idx;

	if (msl == NULL)
		return false;
	for (off = 0; off < len; off += msl->page_sz) {
		idx = (int)(RTE_PTR_DIFF(RTE_PTR_ADD(addr, off), msl->base_va) / msl->page_sz);
		if (rte_fbarray_is_used(&msl->memseg_arr, idx) != 1)
			return false;
	}
	return true;
}

struct heap_events {
	unsigned int alloc, free, bad;
	size_t alloc_len, free_len;
};

/* ALLOC comes once the pages are mapped, FREE while they still are. */
static void
heap_event_cb(enum rte_mem_event type, const void *addr, size_t len, void *arg)
{
	struct heap_events *ev = arg;

	if (!range_mapped(addr, len))
		ev->bad++;
	if (type == RTE_MEM_EVENT_ALLOC) {
		ev->alloc++;
		ev->alloc_len += len;
	} else {
		ev->free++;
		ev->free_len += len;
	}
}

/* Through the heap: events bracket the mapping with the right ranges. */
static int
test_heap_events(void)
{
	struct heap_events ev = { 0 };
	void *p;

	TEST_ASSERT_SUCCESS(rte_mem_event_callback_register("memalloc-heap", heap_event_cb, &ev),
		"register failed");
	p = rte_malloc_socket(NULL, 3 * PGSZ, 0, list_2m()->socket_id);
	if (p != NULL)
		rte_free(p);
	rte_mem_event_callback_unregister("memalloc-heap", &ev);
	TEST_ASSERT_NOT_NULL(p, "rte_malloc of 3 pages failed");
	TEST_ASSERT(ev.alloc >= 1 && ev.alloc_len >= 3 * PGSZ, "no ALLOC event for the growth");
	TEST_ASSERT(ev.free >= 1 && ev.free_len >= 3 * PGSZ, "no FREE event for the shrink");
	TEST_ASSERT_EQUAL(ev.bad, 0, "%u events saw unmapped pages", ev.bad);
	return TEST_SUCCESS;
}

static int validator_calls;
static size_t validator_limit_seen, validator_len_seen;

static int
validator_cb(int socket_id, size_t cur_limit, size_t new_len)
{
	RTE_SET_USED(socket_id);
	validator_calls++;
	validator_limit_seen = cur_limit;
	validator_len_seen = new_len;
	return new_len > 64 * PGSZ ? -1 : 0;
}

static int
test_validators(void)
{
	char longname[RTE_MEM_ALLOC_VALIDATOR_NAME_LEN + 1];

	memset(longname, 'v', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	EXPECT_ERR(eal_memalloc_mem_alloc_validator_register(NULL, validator_cb, 0, 0), EINVAL);
	EXPECT_ERR(eal_memalloc_mem_alloc_validator_register("", validator_cb, 0, 0), EINVAL);
	EXPECT_ERR(eal_memalloc_mem_alloc_validator_register("v", NULL, 0, 0), EINVAL);
	EXPECT_ERR(eal_memalloc_mem_alloc_validator_register("v", validator_cb, -1, 0), EINVAL);
	EXPECT_ERR(eal_memalloc_mem_alloc_validator_register(longname, validator_cb, 0, 0),
		ENAMETOOLONG);
	EXPECT_ERR(eal_memalloc_mem_alloc_validator_unregister("v", 0), ENOENT);

	TEST_ASSERT_SUCCESS(eal_memalloc_mem_alloc_validator_register("v", validator_cb, 0,
		16 * PGSZ), "register failed");
	EXPECT_ERR(eal_memalloc_mem_alloc_validator_register("v", validator_cb, 0, 0), EEXIST);
	/* below the limit: not asked */
	TEST_ASSERT_SUCCESS(eal_memalloc_mem_alloc_validate(0, 8 * PGSZ), "vetoed below limit");
	TEST_ASSERT_EQUAL(validator_calls, 0, "validator called below its limit");
	/* other socket: not asked */
	TEST_ASSERT_SUCCESS(eal_memalloc_mem_alloc_validate(1, 128 * PGSZ), "other socket vetoed");
	TEST_ASSERT_EQUAL(validator_calls, 0, "validator called for another socket");
	TEST_ASSERT_SUCCESS(eal_memalloc_mem_alloc_validate(0, 16 * PGSZ), "vetoed at limit");
	TEST_ASSERT(validator_calls == 1 && validator_limit_seen == 16 * PGSZ &&
		validator_len_seen == 16 * PGSZ, "validator not asked at its limit");
	TEST_ASSERT_EQUAL(eal_memalloc_mem_alloc_validate(0, 65 * PGSZ), -1, "veto ignored");
	TEST_ASSERT_SUCCESS(eal_memalloc_mem_alloc_validator_unregister("v", 0),
		"unregister failed");
	TEST_ASSERT_SUCCESS(eal_memalloc_mem_alloc_validate(0, 65 * PGSZ),
		"unregistered validator still vetoes");
	TEST_ASSERT_EQUAL(validator_calls, 2, "wrong number of validator calls");
	return TEST_SUCCESS;
}

static int
veto_all(int socket_id, size_t cur_limit, size_t new_len)
{
	RTE_SET_USED(socket_id);
	RTE_SET_USED(cur_limit);
	RTE_SET_USED(new_len);
	validator_calls++;
	return -1;
}

/* Through the heap: a veto stops the growth before any page is mapped. */
static int
test_heap_veto(void)
{
	struct rte_memseg_list *msl = list_2m();
	unsigned int used0 = msl->memseg_arr.count;
	int files0 = count_our_files(), calls0 = validator_calls;
	void *p;

	TEST_ASSERT_SUCCESS(rte_mem_alloc_validator_register("memalloc-veto", veto_all,
		msl->socket_id, 0), "register failed");
	p = rte_malloc_socket(NULL, 3 * PGSZ, 0, msl->socket_id);
	TEST_ASSERT_EQUAL(msl->memseg_arr.count, used0, "pages mapped despite the veto");
	TEST_ASSERT_EQUAL(count_our_files(), files0, "page files created despite the veto");
	rte_mem_alloc_validator_unregister("memalloc-veto", msl->socket_id);
	if (p != NULL)
		rte_free(p);
	TEST_ASSERT_NULL(p, "vetoed growth succeeded");
	TEST_ASSERT(validator_calls > calls0, "validator not asked");
	p = rte_malloc_socket(NULL, 3 * PGSZ, 0, msl->socket_id);
	TEST_ASSERT_NOT_NULL(p, "growth failed after the veto was lifted");
	rte_free(p);
	return TEST_SUCCESS;
}

/* --- child processes --- */

/*
 * Start dpdk-test running @p command with its own file prefix and the
 * extra EAL arguments; with @p cgroup, the child joins it before exec;
 * a non-zero @p fsize is its RLIMIT_FSIZE.
 * @return the child's exit status, or -1 if it was killed by a signal.
 */
static int
run_child(const char *command, const char *prefix, const char *const extra[],
		const char *cgroup, rlim_t fsize)
{
	static char fp[NAME_MAX + 32], hd[PATH_MAX + 16];
	char *argv[16];
	int n = 0, status, i;
	pid_t pid;

	snprintf(fp, sizeof(fp), "--file-prefix=%s", prefix);
	snprintf(hd, sizeof(hd), "--huge-dir=%s", hpi_2m()->hugedir);
	argv[n++] = RTE_PTR_UNQUAL(prgname);
	argv[n++] = RTE_PTR_UNQUAL("-l");
	argv[n++] = RTE_PTR_UNQUAL("0-1");
	argv[n++] = fp;
	argv[n++] = hd;
	argv[n++] = RTE_PTR_UNQUAL("--log-level=lib.eal:warning");
	for (i = 0; extra != NULL && extra[i] != NULL && n < 15; i++)
		argv[n++] = RTE_PTR_UNQUAL(extra[i]);
	argv[n] = NULL;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (cgroup != NULL) {
			char procs[PATH_MAX];
			FILE *f;

			snprintf(procs, sizeof(procs), "%s/cgroup.procs", cgroup);
			f = fopen(procs, "w");
			if (f == NULL || fprintf(f, "0\n") < 0 || fclose(f) != 0)
				_exit(126);
		}
		if (fsize != 0) {
			struct rlimit rl = { .rlim_cur = fsize, .rlim_max = RLIM_INFINITY };

			if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
				_exit(126);
		}
		setenv("DPDK_TEST", command, 1);
		unsetenv("DPDK_TEST_PREFIX_SUFFIX");
		unsetenv("DPDK_TEST_HUGE_DIR");
		execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(status))
		printf("child %s killed by signal %d\n", command, WTERMSIG(status));
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* In-memory pages without a hugetlb memfd: anonymous, no fd. */
static int
test_anonymous(void)
{
	struct rte_memseg_list *msl = list_2m();
	struct rte_memseg *ms[2];
	int ret;

	eal_memalloc_test_force_anonymous(true);
	ret = alloc_bulk(ms, 2, true);
	eal_memalloc_test_force_anonymous(false);
	TEST_ASSERT_EQUAL(ret, 2, "anonymous allocation failed");
	TEST_ASSERT_EQUAL(eal_memalloc_get_seg_fd(list_idx(msl), seg_idx(msl, ms[0])), -ENODEV,
		"anonymous page with an fd");
	TEST_ASSERT(is_zero(ms[0]->addr, PGSZ), "anonymous page not zeroed");
	memset(ms[1]->addr, 3, PGSZ);
	TEST_ASSERT_SUCCESS(free_bulk(ms, 2), "free failed");
	TEST_ASSERT_EQUAL(alloc_bulk(ms, 2, true), 2, "memfd allocation failed after");
	TEST_ASSERT(eal_memalloc_get_seg_fd(list_idx(msl), seg_idx(msl, ms[0])) >= 0,
		"memfd page without an fd");
	TEST_ASSERT_SUCCESS(free_bulk(ms, 2), "free failed");
	return TEST_SUCCESS;
}

/* In a child: the backing of the current mode behaves as documented. */
static int
child_mode_check(void)
{
	const struct internal_config *c = eal_get_internal_configuration();
	struct rte_memseg_list *msl = list_2m();
	bool never = c->hugepage_unlink == HUGEPAGE_UNLINK_NEVER && !c->in_memory;
	int files0, want, i;
	struct rte_memseg *ms[4];

	if (msl == NULL)
		return TEST_FAILED;
	files0 = count_our_files();
	TEST_ASSERT_EQUAL(alloc_bulk(ms, 4, true), 4, "allocation failed");
	if (c->in_memory || c->hugepage_unlink == HUGEPAGE_UNLINK_ALWAYS)
		want = files0;
	else if (c->single_file_segments)
		want = files0 + 1;
	else
		want = files0 + 4;
	TEST_ASSERT_EQUAL(count_our_files(), want, "%d files while mapped, expected %d",
		count_our_files(), want);
	for (i = 0; i < 4; i++) {
		TEST_ASSERT(is_zero(ms[i]->addr, PGSZ), "page %d not zeroed", i);
		TEST_ASSERT_EQUAL(ms[i]->flags & RTE_MEMSEG_FLAG_DIRTY, 0, "fresh page dirty");
		memset(ms[i]->addr, 0x5a, PGSZ);
	}
	TEST_ASSERT_SUCCESS(free_bulk(ms, 4), "free failed");
	TEST_ASSERT_EQUAL(count_our_files(), never ? files0 + 4 : files0,
		"%d files after free", count_our_files());
	if (never) {
		/* reused files: flagged dirty, and zeroed by the free */
		TEST_ASSERT_EQUAL(alloc_bulk(ms, 4, true), 4, "reallocation failed");
		for (i = 0; i < 4; i++) {
			TEST_ASSERT(ms[i]->flags & RTE_MEMSEG_FLAG_DIRTY, "reused page not dirty");
			TEST_ASSERT(is_zero(ms[i]->addr, PGSZ), "freed page was not zeroed");
		}
		TEST_ASSERT_SUCCESS(free_bulk(ms, 4), "free failed");
	}
	if (test_fds() != TEST_SUCCESS)
		return TEST_FAILED;
	if (c->in_memory && !c->single_file_segments && test_anonymous() != TEST_SUCCESS)
		return TEST_FAILED;
	if (never) {
		/* kept files are the point of this mode; rollback would keep them too */
		remove_files(eal_get_hugefile_prefix());
		return TEST_SUCCESS;
	}
	return test_bulk_rollback();
}
REGISTER_TEST_COMMAND(memalloc_child_mode, child_mode_check);

static int
test_modes(void)
{
	static const char *const single[] = { "--single-file-segments", NULL };
	static const char *const inmem[] = { "--in-memory", NULL };
	static const char *const inmem_single[] = { "--in-memory", "--single-file-segments", NULL };
	static const char *const always[] = { "--huge-unlink=always", NULL };
	static const char *const never[] = { "--huge-unlink=never", NULL };
	static const char *const def[] = { NULL };
	const struct {
		const char *name;
		const char *const *args;
	} modes[] = {
		{ "default", def }, { "single", single }, { "inmem", inmem },
		{ "inmem-single", inmem_single }, { "always", always }, { "never", never },
	};
	char prefix[NAME_MAX];
	unsigned int i;
	int ret;

	for (i = 0; i < RTE_DIM(modes); i++) {
		snprintf(prefix, sizeof(prefix), "%s-ma-%s", eal_get_hugefile_prefix(),
			modes[i].name);
		ret = run_child("memalloc_child_mode", prefix, modes[i].args, NULL, 0);
		if (count_files(prefix) != 0) {
			printf("mode %s left page files\n", modes[i].name);
			remove_files(prefix);
			ret = -1;
		}
		TEST_ASSERT_EQUAL(ret, 0, "mode %s failed (%d)", modes[i].name, ret);
	}
	return TEST_SUCCESS;
}

/*
 * Secondary sync: the child attaches to this process's memory, checks it
 * sees the same pages, then replays a change the parent made on request.
 * Commands on the child's stdin, one letter per line: S (sync), Q (quit);
 * replies on the fd in $MEMALLOC_REPLY_FD: R (ready), O (ok), F (failed).
 */
#define MAX_EVENTS 8

struct sync_events {
	unsigned int n;
	enum rte_mem_event type[MAX_EVENTS];
	const void *addr[MAX_EVENTS];
	size_t len[MAX_EVENTS];
};

static void
sync_event_cb(enum rte_mem_event type, const void *addr, size_t len, void *arg)
{
	struct sync_events *ev = arg;

	if (ev->n < MAX_EVENTS) {
		ev->type[ev->n] = type;
		ev->addr[ev->n] = addr;
		ev->len[ev->n] = len;
	}
	ev->n++;
}

/* Every page the primary maps is mapped here, with the primary's stamp. */
static int
check_same_pages(struct rte_memseg_list *msl)
{
	int idx = -1, li = list_idx(msl);
	struct rte_memseg *ms;

	while ((idx = rte_fbarray_find_next_used(&msl->memseg_arr, idx + 1)) >= 0) {
		ms = rte_fbarray_get(&msl->memseg_arr, idx);
		if (*(volatile uint64_t *)ms->addr != (uintptr_t)ms->addr) {
			printf("slot %d: not the primary's page\n", idx);
			return -1;
		}
		if (eal_memalloc_get_seg_fd(li, idx) < 0) {
			printf("slot %d: no fd\n", idx);
			return -1;
		}
	}
	return 0;
}

/* The events of one sync: FREE of now unused slots, then ALLOC of used ones. */
static int
check_sync_events(struct rte_memseg_list *msl, const struct sync_events *ev)
{
	unsigned int i;
	int idx;

	if (ev->n != 2 || ev->type[0] != RTE_MEM_EVENT_FREE ||
	    ev->type[1] != RTE_MEM_EVENT_ALLOC || ev->len[0] != PGSZ || ev->len[1] != 2 * PGSZ) {
		printf("unexpected events (%u)\n", ev->n);
		return -1;
	}
	idx = (int)(RTE_PTR_DIFF(ev->addr[0], msl->base_va) / PGSZ);
	if (rte_fbarray_is_used(&msl->memseg_arr, idx) != 0 ||
	    *(volatile const uint64_t *)ev->addr[0] != 0) {
		printf("FREE event for a page that is still there\n");
		return -1;
	}
	for (i = 0; i < 2; i++) {
		const void *p = RTE_PTR_ADD(ev->addr[1], i * PGSZ);

		if (*(volatile const uint64_t *)p != (uintptr_t)p) {
			printf("ALLOC event for a page that is not mapped\n");
			return -1;
		}
	}
	return check_same_pages(msl);
}

static void
reply(int fd, char c)
{
	char msg[2] = { c, '\n' };

	if (write(fd, msg, sizeof(msg)) != sizeof(msg))
		printf("cannot reply to the parent\n");
}

static int
child_secondary(void)
{
	const char *env = getenv("MEMALLOC_REPLY_FD");
	struct rte_memseg_list *msl = list_2m();
	struct sync_events ev = { 0 };
	int out = env != NULL ? atoi(env) : -1, ok;
	char cmd[8];

	if (out < 0 || msl == NULL || rte_eal_process_type() != RTE_PROC_SECONDARY)
		return TEST_FAILED;
	if (check_same_pages(msl) != 0 ||
	    rte_mem_event_callback_register("memalloc-sync", sync_event_cb, &ev) != 0) {
		reply(out, 'F');
		return TEST_FAILED;
	}
	reply(out, 'R');
	while (fgets(cmd, sizeof(cmd), stdin) != NULL && cmd[0] != 'Q') {
		ev.n = 0;
		ok = eal_memalloc_sync_with_primary() == 0 && check_sync_events(msl, &ev) == 0;
		reply(out, ok ? 'O' : 'F');
	}
	rte_mem_event_callback_unregister("memalloc-sync", &ev);
	return TEST_SUCCESS;
}
REGISTER_TEST_COMMAND(memalloc_child_secondary, child_secondary);

/* @return the child's next reply letter, or 0 after 30 s or EOF. */
static char
read_reply(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char buf[2];

	if (poll(&pfd, 1, 30000) != 1 || read(fd, buf, sizeof(buf)) != sizeof(buf))
		return 0;
	return buf[0];
}

static pid_t
spawn_secondary(int *cmd_fd, int *reply_fd)
{
	static char fp[NAME_MAX + 32], hd[PATH_MAX + 16], rfd[16];
	char *argv[] = { RTE_PTR_UNQUAL(prgname), RTE_PTR_UNQUAL("-l"), RTE_PTR_UNQUAL("0"),
		RTE_PTR_UNQUAL("--proc-type=secondary"), fp, hd,
		RTE_PTR_UNQUAL("--log-level=lib.eal:warning"), NULL };
	int to_child[2], from_child[2];
	pid_t pid;

	snprintf(fp, sizeof(fp), "--file-prefix=%s", eal_get_hugefile_prefix());
	snprintf(hd, sizeof(hd), "--huge-dir=%s", hpi_2m()->hugedir);
	if (pipe(to_child) != 0)
		return -1;
	if (pipe(from_child) != 0) {
		close(to_child[0]);
		close(to_child[1]);
		return -1;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(to_child[0], STDIN_FILENO);
		close(to_child[1]);
		close(from_child[0]);
		snprintf(rfd, sizeof(rfd), "%d", from_child[1]);
		setenv("MEMALLOC_REPLY_FD", rfd, 1);
		setenv("DPDK_TEST", "memalloc_child_secondary", 1);
		unsetenv("DPDK_TEST_PREFIX_SUFFIX");
		unsetenv("DPDK_TEST_HUGE_DIR");
		execv(argv[0], argv);
		_exit(127);
	}
	close(to_child[0]);
	close(from_child[1]);
	if (pid < 0) {
		close(to_child[1]);
		close(from_child[0]);
		return -1;
	}
	*cmd_fd = to_child[1];
	*reply_fd = from_child[0];
	return pid;
}

static void
stamp(struct rte_memseg *const ms[], int n)
{
	int i;

	for (i = 0; i < n; i++)
		*(volatile uint64_t *)ms[i]->addr = (uintptr_t)ms[i]->addr;
}

static int
test_secondary_sync(void)
{
	struct rte_memseg *ms[3], *more[2];
	int cmd = -1, rep = -1, status = -1, ok = 0;
	char r1 = 0, r2 = 0;
	pid_t pid;

	TEST_ASSERT_EQUAL(alloc_bulk(ms, 3, true), 3, "allocation failed");
	stamp(ms, 3);
	pid = spawn_secondary(&cmd, &rep);
	if (pid < 0) {
		free_bulk(ms, 3);
		TEST_ASSERT(false, "cannot start the secondary");
	}
	r1 = read_reply(rep);
	if (r1 == 'R') {
		/* a hole in the middle, two new pages after */
		free_bulk(&ms[1], 1);
		ms[1] = NULL;
		ok = alloc_bulk(more, 2, true) == 2;
		if (ok) {
			stamp(more, 2);
			ok = write(cmd, "S\n", 2) == 2;
			r2 = ok ? read_reply(rep) : 0;
			if (free_bulk(more, 2) != 0)
				ok = 0;
		}
	}
	if (write(cmd, "Q\n", 2) != 2)
		ok = 0;
	close(cmd);
	close(rep);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	free_bulk(&ms[0], 1);
	free_bulk(&ms[2], 1);
	TEST_ASSERT_EQUAL(r1, 'R', "secondary did not see the primary's pages");
	TEST_ASSERT(ok && r2 == 'O', "secondary sync failed (%c)", r2 ? r2 : '-');
	TEST_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "secondary failed");
	return TEST_SUCCESS;
}

/* In a child with a 1 MB file size limit: no page fits, and none kills us. */
static int
child_fsize_check(void)
{
	struct rte_memseg_list *msl = list_2m();
	struct rte_memseg *ms[2];
	unsigned int used0;
	int files0;

	if (msl == NULL)
		return TEST_FAILED;
	used0 = msl->memseg_arr.count;
	files0 = count_our_files();
	TEST_ASSERT_EQUAL(alloc_bulk(ms, 2, true), -1, "page beyond the file size limit");
	TEST_ASSERT_EQUAL(msl->memseg_arr.count, used0, "slots leaked");
	TEST_ASSERT_EQUAL(count_our_files(), files0, "files leaked");
	return TEST_SUCCESS;
}
REGISTER_TEST_COMMAND(memalloc_child_fsize, child_fsize_check);

static int
test_file_size_limit(void)
{
	static const char *const single[] = { "--single-file-segments", NULL };
	char prefix[NAME_MAX];
	int ret;

	snprintf(prefix, sizeof(prefix), "%s-ma-fsize", eal_get_hugefile_prefix());
	ret = run_child("memalloc_child_fsize", prefix, NULL, NULL, 1 << 20);
	TEST_ASSERT_EQUAL(ret, 0, "file-per-page child failed: %d", ret);
	ret = run_child("memalloc_child_fsize", prefix, single, NULL, 1 << 20);
	TEST_ASSERT_EQUAL(ret, 0, "single-file child failed: %d", ret);
	TEST_ASSERT_EQUAL(count_files(prefix), 0, "files left behind");
	return TEST_SUCCESS;
}

static void
noop_event_cb(enum rte_mem_event type, const void *addr, size_t len, void *arg)
{
	RTE_SET_USED(type);
	RTE_SET_USED(addr);
	RTE_SET_USED(len);
	RTE_SET_USED(arg);
}

static int
noop_validator(int socket_id, size_t cur_limit, size_t new_len)
{
	RTE_SET_USED(socket_id);
	RTE_SET_USED(cur_limit);
	RTE_SET_USED(new_len);
	return 0;
}

/* In a --legacy-mem child: memory is fixed, so all of it is refused. */
static int
child_legacy_check(void)
{
	struct rte_memseg_list *msl = list_2m();
	struct rte_memseg *ms;
	unsigned int used0;

	TEST_ASSERT(eal_get_internal_configuration()->legacy_mem, "not in legacy mode");
	EXPECT_ERR(eal_memalloc_mem_event_callback_register("l", noop_event_cb, NULL), ENOTSUP);
	EXPECT_ERR(eal_memalloc_mem_event_callback_unregister("l", NULL), ENOTSUP);
	EXPECT_ERR(eal_memalloc_mem_alloc_validator_register("l", noop_validator, 0, 0),
		ENOTSUP);
	EXPECT_ERR(eal_memalloc_mem_alloc_validator_unregister("l", 0), ENOTSUP);
	if (msl == NULL)
		return TEST_SUCCESS;
	used0 = msl->memseg_arr.count;
	TEST_ASSERT_EQUAL(alloc_bulk(&ms, 1, true), -1, "legacy mode allocated a page");
	TEST_ASSERT_EQUAL(msl->memseg_arr.count, used0, "used count changed");
	if (used0 >= 2) {
		ms = rte_fbarray_get(&msl->memseg_arr,
			(unsigned int)rte_fbarray_find_next_used(&msl->memseg_arr, 0));
		TEST_ASSERT_EQUAL(free_bulk(&ms, 1), -1, "legacy mode freed a page");
		TEST_ASSERT(eal_memalloc_is_contig(msl, ms->addr, 2 * PGSZ),
			"legacy memory judged discontiguous");
	}
	return TEST_SUCCESS;
}
REGISTER_TEST_COMMAND(memalloc_child_legacy, child_legacy_check);

static int
test_legacy(void)
{
	static const char *const legacy[] = { "--legacy-mem", "-m", "8", NULL };
	char prefix[NAME_MAX];
	int ret;

	snprintf(prefix, sizeof(prefix), "%s-ma-legacy", eal_get_hugefile_prefix());
	ret = run_child("memalloc_child_legacy", prefix, legacy, NULL, 0);
	if (count_files(prefix) != 0) {
		printf("legacy mode keeps its page files after exit; removed\n");
		remove_files(prefix);
	}
	TEST_ASSERT_EQUAL(ret, 0, "legacy child failed: %d", ret);
	return TEST_SUCCESS;
}

static volatile sig_atomic_t user_sigbus;

static void
user_sigbus_handler(int sig)
{
	RTE_SET_USED(sig);
	user_sigbus++;
}

/* One thread's share of the cgroup check; @return 0 or -1. */
static int
cgroup_round(void *arg)
{
	struct rte_memseg *ms[2 * CG_LIMIT_PAGES];
	struct sigaction cur;
	int r, i;

	RTE_SET_USED(arg);
	for (r = 0; r < 4; r++) {
		if (alloc_bulk(ms, 2 * CG_LIMIT_PAGES, true) != -1) {
			printf("allocation beyond the cgroup limit succeeded\n");
			return -1;
		}
		for (i = 0; i < 2 * CG_LIMIT_PAGES; i++)
			if (ms[i] != NULL)
				return -1;
		if (sigaction(SIGBUS, NULL, &cur) != 0 || cur.sa_handler != user_sigbus_handler) {
			printf("user SIGBUS handler lost\n");
			return -1;
		}
		/* under the limit (two threads, one page each) it still works */
		if (alloc_bulk(ms, 1, true) != 1) {
			printf("allocation under the limit failed\n");
			return -1;
		}
		memset(ms[0]->addr, 1, PGSZ);
		if (free_bulk(ms, 1) != 0)
			return -1;
	}
	return 0;
}

/*
 * In a child whose hugetlb cgroup allows CG_LIMIT_PAGES pages: asking for
 * twice that fails cleanly, with the kernel refusing at fault time or at
 * mmap time, through either first-touch mechanism, from two threads at
 * once, with the program's own SIGBUS handler left in place and unused.
 */
static int
child_cgroup_check(void)
{
	struct rte_memseg_list *msl = list_2m();
	struct sigaction sa = { .sa_handler = user_sigbus_handler };
	unsigned int used0, worker = rte_get_next_lcore(-1, 1, 0);
	struct rte_memseg *ms[2 * CG_LIMIT_PAGES];
	int files0, pass, n, ret;

	if (msl == NULL)
		return TEST_FAILED;
	used0 = msl->memseg_arr.count;
	files0 = count_our_files();
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	for (pass = 0; pass < 2; pass++) {
		eal_memalloc_test_force_sigbus_guard(pass == 1);
		if (worker < RTE_MAX_LCORE)
			rte_eal_remote_launch(cgroup_round, NULL, worker);
		ret = cgroup_round(NULL);
		if (worker < RTE_MAX_LCORE && rte_eal_wait_lcore(worker) != 0)
			ret = -1;
		TEST_ASSERT_SUCCESS(ret, "pass %d failed", pass);
		TEST_ASSERT_EQUAL(msl->memseg_arr.count, used0, "slots leaked (pass %d)", pass);
		TEST_ASSERT_EQUAL(count_our_files(), files0, "files leaked (pass %d)", pass);
		TEST_ASSERT_EQUAL(user_sigbus, 0, "SIGBUS reached the user handler");
	}
	eal_memalloc_test_force_sigbus_guard(false);
	n = alloc_bulk(ms, 2 * CG_LIMIT_PAGES, false);
	TEST_ASSERT(n >= 1 && n <= CG_LIMIT_PAGES, "best effort got %d pages", n);
	TEST_ASSERT_SUCCESS(free_bulk(ms, n), "free failed");
	TEST_ASSERT_EQUAL(msl->memseg_arr.count, used0, "slots leaked");
	return TEST_SUCCESS;
}
REGISTER_TEST_COMMAND(memalloc_child_cgroup, child_cgroup_check);

static int
write_file(const char *dir, const char *name, const char *val)
{
	char path[PATH_MAX];
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = write(fd, val, strlen(val)) == (ssize_t)strlen(val) ? 0 : -1;
	close(fd);
	return ret;
}

static long long
read_number(const char *dir, const char *name)
{
	char path[PATH_MAX], buf[64];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	if (fgets(buf, sizeof(buf), f) != NULL)
		v = strtoll(buf, NULL, 10);
	fclose(f);
	return v;
}

/* @return a cgroup2 mount with the hugetlb controller, or NULL. */
static const char *
hugetlb_cgroup_root(void)
{
	static const char *const roots[] = { "/sys/fs/cgroup/unified", "/sys/fs/cgroup" };
	char path[PATH_MAX], buf[512];
	unsigned int i;
	FILE *f;

	for (i = 0; i < RTE_DIM(roots); i++) {
		snprintf(path, sizeof(path), "%s/cgroup.controllers", roots[i]);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		buf[0] = '\0';
		if (fgets(buf, sizeof(buf), f) == NULL)
			buf[0] = '\0';
		fclose(f);
		if (strstr(buf, "hugetlb") != NULL)
			return roots[i];
	}
	return NULL;
}

/* Run the cgroup child with @p limit_file set to CG_LIMIT_PAGES pages. */
static int
run_limited(const char *root, const char *limit_file)
{
	char cg[PATH_MAX], prefix[NAME_MAX], limit[32];
	long long cur;
	int ret;

	snprintf(cg, sizeof(cg), "%s/memalloc-test-%d", root, (int)getpid());
	if (mkdir(cg, 0755) != 0 && errno != EEXIST) {
		printf("cannot create cgroup %s: %s\n", cg, strerror(errno));
		return TEST_FAILED;
	}
	snprintf(limit, sizeof(limit), "%llu", (unsigned long long)CG_LIMIT_PAGES * PGSZ);
	if (write_file(cg, limit_file, limit) != 0) {
		bool missing = errno == ENOENT;

		printf("cannot set %s: %s\n", limit_file, strerror(errno));
		rmdir(cg);
		return missing ? TEST_SKIPPED : TEST_FAILED;
	}
	snprintf(prefix, sizeof(prefix), "%s-ma-cg", eal_get_hugefile_prefix());
	ret = run_child("memalloc_child_cgroup", prefix, NULL, cg, 0);
	cur = read_number(cg, "hugetlb.2MB.current");
	if (count_files(prefix) != 0) {
		printf("cgroup child left page files\n");
		remove_files(prefix);
		ret = -1;
	}
	if (rmdir(cg) != 0)
		printf("cannot remove cgroup %s: %s\n", cg, strerror(errno));
	TEST_ASSERT_EQUAL(ret, 0, "cgroup child (%s) failed: %d", limit_file, ret);
	TEST_ASSERT_EQUAL(cur, 0, "%lld bytes still charged after the child", cur);
	return TEST_SUCCESS;
}

static int
test_cgroup_limit(void)
{
	const char *root = hugetlb_cgroup_root();

	/*
	 * The fault-time refusal of a hugepage is a hugepage path like any
	 * other: where hugepages are required (CI), missing the controller
	 * fails the case instead of skipping it.
	 */
	if (root == NULL || geteuid() != 0)
		return test_hugepages_missing("no hugetlb cgroup controller (or not root)");
	/* child cgroups only get the controller if the parent hands it down */
	if (write_file(root, "cgroup.subtree_control", "+hugetlb") != 0) {
		printf("cannot enable hugetlb in %s: %s\n", root, strerror(errno));
		return test_hugepages_missing("cannot enable the hugetlb cgroup controller");
	}
	/* fault-time refusal (SIGBUS without MADV_POPULATE_WRITE) */
	if (run_limited(root, "hugetlb.2MB.max") == TEST_FAILED)
		return TEST_FAILED;
	/* mmap-time refusal (reservation limit, Linux >= 5.7) */
	return run_limited(root, "hugetlb.2MB.rsvd.max");
}

static struct unit_test_suite memalloc_suite = {
	.suite_name = "page allocation",
	.setup = check_setup,
	.unit_test_cases = {
		TEST_CASE(test_alloc_free_one),
		TEST_CASE(test_alloc_bulk),
		TEST_CASE(test_bulk_rollback),
		TEST_CASE(test_fd_exhaustion),
		TEST_CASE(test_bad_requests),
		TEST_CASE(test_pinned),
		TEST_CASE(test_fds),
		TEST_CASE(test_is_contig),
		TEST_CASE(test_callbacks),
		TEST_CASE(test_heap_events),
		TEST_CASE(test_validators),
		TEST_CASE(test_heap_veto),
		TEST_CASE(test_secondary_sync),
		TEST_CASE(test_modes),
		TEST_CASE(test_legacy),
		TEST_CASE(test_cgroup_limit),
		TEST_CASE(test_file_size_limit),
		TEST_CASES_END(),
	},
};

static int
test_memalloc(void)
{
	return unit_test_suite_runner(&memalloc_suite);
}

REGISTER_FAST_TEST(memalloc_autotest, NOHUGE_SKIP, ASAN_OK, test_memalloc);
