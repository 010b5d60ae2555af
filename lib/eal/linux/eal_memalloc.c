/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Page-level allocation on Linux: map one hugepage into a free slot of a
 * memseg list, and put the slot's PROT_READ placeholder back when the page
 * goes away. A slot's VA is never left unmapped: every failure path and
 * every free re-reserves it, so no other mmap can land inside a list.
 *
 * Backing of a page, by mode:
 * - default: one hugetlbfs file per page, <hugedir>/<prefix>map_<N> with
 *   N = list_idx * RTE_MAX_MEMSEG_PER_LIST + seg_idx;
 * - --single-file-segments: one file per list, <prefix>map_<list_idx>,
 *   page i at offset i * page_sz, allocated with fallocate() and released
 *   by punching a hole;
 * - --in-memory: a hugetlb memfd per page (or per list with single-file
 *   segments), or, where the kernel has no hugetlb memfd, an anonymous
 *   MAP_HUGETLB mapping without any fd.
 *
 * File protocol between processes sharing a hugetlbfs mount:
 * - a process holds flock(LOCK_SH) on every page file it maps, for as long
 *   as it maps it; a file nobody holds is stale and may be removed;
 * - a page file is unlinked on free only if flock(LOCK_EX | LOCK_NB)
 *   succeeds, that is, no other process maps it;
 * - every bulk allocation, bulk free and secondary sync holds a blocking
 *   flock(LOCK_EX) on the hugetlbfs directory, because creating a file and
 *   locking it are two steps that another process's stale-file sweep must
 *   not see half done. During init the directory is already locked by
 *   hugepage discovery (lock_descriptor >= 0) and is not locked again.
 *
 * --huge-unlink: "existing" (default) recreates a file that already
 * exists, because the kernel zeroes a hugepage only when it is first
 * mapped from a file; "always" unlinks right after creating (no file is
 * ever visible, so no secondary can attach); "never" reuses files as they
 * are and marks their pages RTE_MEMSEG_FLAG_DIRTY.
 *
 * The first touch of a page is where the kernel enforces a hugetlb cgroup
 * limit, by SIGBUS. MADV_POPULATE_WRITE turns that into an EFAULT; only on
 * kernels without it is the page touched under a temporary SIGBUS handler.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef RTE_HAS_LIBNUMA
#include <numa.h>
#include <numaif.h>
#endif

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_fbarray.h>
#include <rte_memory.h>

#include "eal_filesystem.h"
#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_memalloc.h"
#include "eal_memcfg.h"
#include "eal_private.h"

#ifndef MFD_HUGE_SHIFT
#define MFD_HUGE_SHIFT 26
#endif

#define PAGEMAP_PFN_MASK 0x7fffffffffffffULL
#define PAGEMAP_PRESENT (1ULL << 63)

/* Per-process fds backing the pages of one memseg list. */
struct list_fds {
	int *fds;                  /* one per slot, -1 when none */
	unsigned int len;          /* entries of fds */
	int list_fd;               /* single-file: the list's file or memfd, -1 when none */
	unsigned int list_pages;   /* single-file: pages this process maps from list_fd */
	bool list_dirty;           /* single-file: list_fd was an existing file reused */
};

/* A secondary's own record of the slots it maps, and the version it saw. */
struct list_mirror {
	uint64_t *used;
	unsigned int len;
	uint32_t version;
	bool synced;
};

/* What one page operation needs to know about its list. */
struct seg_ctx {
	struct rte_memseg_list *msl;
	const struct hugepage_info *hi;
	int list_idx;
	bool attach;               /* secondary: map the primary's page, create nothing */
};

static struct list_fds fd_lists[RTE_MAX_MEMSEG_LISTS] = {
	[0 ... RTE_MAX_MEMSEG_LISTS - 1] = { .list_fd = -1 },
};
static struct list_mirror mirrors[RTE_MAX_MEMSEG_LISTS];
static int pagemap_fd = -1;
static bool memfd_hugetlb_ok;      /* probed by eal_memalloc_init() */
static bool fallocate_broken;      /* hugetlbfs refuses fallocate: pages cannot be released */
static int populate_write_state;   /* 0 untried, 1 works, -1 kernel lacks it */

/* test hooks */
static unsigned int fail_countdown;
static bool force_sigbus_guard;

/* The first-touch SIGBUS guard; allocations are serialised by the hotplug lock. */
static sigjmp_buf sigbus_env;
static struct sigaction sigbus_prev;
static __thread volatile sig_atomic_t sigbus_armed;

static const struct internal_config *
cfg(void)
{
	return eal_get_internal_configuration();
}

static bool
is_secondary(void)
{
	return rte_eal_process_type() == RTE_PROC_SECONDARY;
}

static const struct hugepage_info *
find_hugepage_info(uint64_t page_sz)
{
	const struct internal_config *c = cfg();
	unsigned int i;

	for (i = 0; i < c->num_hugepage_sizes && i < MAX_HUGEPAGE_SIZES; i++)
		if (c->hugepage_info[i].hugepage_sz == page_sz)
			return &c->hugepage_info[i];
	return NULL;
}

static bool
list_is_ours(const struct rte_memseg_list *msl)
{
	return msl->base_va != NULL && msl->memseg_arr.len != 0 && !msl->external;
}

/* Pages without an fd: in-memory mode on a kernel without hugetlb memfd. */
static bool
backing_is_anonymous(void)
{
	return cfg()->in_memory && !memfd_hugetlb_ok;
}

static bool
backing_is_memfd(void)
{
	return cfg()->in_memory && memfd_hugetlb_ok;
}

static struct list_fds *
get_list_fds(int list_idx)
{
	const struct rte_memseg_list *msl = &eal_get_mcfg()->memsegs[list_idx];
	struct list_fds *lf = &fd_lists[list_idx];
	unsigned int i;

	if (lf->fds != NULL || msl->memseg_arr.len == 0)
		return lf->fds != NULL ? lf : NULL;
	lf->fds = malloc(sizeof(*lf->fds) * msl->memseg_arr.len);
	if (lf->fds == NULL)
		return NULL;
	for (i = 0; i < msl->memseg_arr.len; i++)
		lf->fds[i] = -1;
	lf->len = msl->memseg_arr.len;
	return lf;
}

static bool probe_memfd_hugetlb(void);

/* --- test hooks --- */

void
eal_memalloc_test_fail_at(unsigned int n)
{
	fail_countdown = n;
}

void
eal_memalloc_test_force_sigbus_guard(bool on)
{
	force_sigbus_guard = on;
}

void
eal_memalloc_test_force_anonymous(bool on)
{
	static bool probed;

	if (!cfg()->in_memory || cfg()->single_file_segments)
		return;
	if (on)
		memfd_hugetlb_ok = false;
	else if (!probed || !memfd_hugetlb_ok)
		memfd_hugetlb_ok = probe_memfd_hugetlb();
	probed = true;
}

static bool
test_hook_fails_mapping(void)
{
	if (fail_countdown == 0 || --fail_countdown != 0)
		return false;
	EAL_LOG(DEBUG, "Test hook: failing this page mapping");
	return true;
}

/* --- files --- */

static bool
same_file(int fd, const char *path)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
		a.st_ino == b.st_ino;
}

/*
 * Remove the file behind @p fd if no other process holds a lock on it.
 * The name is taken from the fd itself, so this works for files created
 * under any naming scheme (legacy init too) and never removes a newer
 * file that replaced ours under the same name.
 */
static void
unlink_if_unused(int fd)
{
	char link[64], path[PATH_MAX];
	ssize_t n;

	if (flock(fd, LOCK_EX | LOCK_NB) != 0)
		return;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0)
		return;
	path[n] = '\0';
	if (path[0] != '/' || !same_file(fd, path))
		return;
	if (unlink(path) != 0)
		EAL_LOG(ERR, "Cannot remove hugepage file '%s': %s", path, strerror(errno));
}


/*
 * Give up an fd of a page or list file this process no longer maps. Files
 * are kept with --huge-unlink=never (they are reused) and memfds have no
 * name; anything else goes once nobody else maps it.
 */
static void
release_file(int fd)
{
	if (fd < 0)
		return;
	if (!cfg()->in_memory && cfg()->hugepage_unlink != HUGEPAGE_UNLINK_NEVER)
		unlink_if_unused(fd);
	close(fd);
}

/*
 * Open (primary: create) hugetlbfs file number @p f_id and take its shared
 * lock. @p dirty is set when an existing file is reused as it is.
 * @return the fd, or -1.
 */
static int
open_hugefile(const struct hugepage_info *hi, int f_id, bool attach, bool *dirty)
{
	enum hugepage_unlink_mode mode = cfg()->hugepage_unlink;
	char path[PATH_MAX];
	struct stat st;
	int fd;

	if (eal_get_hugefile_path(path, sizeof(path), hi->hugedir, f_id) == NULL) {
		EAL_LOG(ERR, "Hugepage file path too long in '%s'", hi->hugedir);
		return -1;
	}
	if (!attach && stat(path, &st) == 0) {
		if (mode == HUGEPAGE_UNLINK_NEVER) {
			static bool warned;

			if (!warned)
				EAL_LOG(WARNING, "Reusing hugepage files as they are "
					"(--huge-unlink=never): data of earlier processes may leak");
			warned = true;
			*dirty = true;
		} else if (unlink(path) != 0) {
			/* reusing it would hand out old data as clean memory */
			EAL_LOG(ERR, "Cannot remove old hugepage file '%s': %s", path,
				strerror(errno));
			return -1;
		}
	}
	fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | (attach ? 0 : O_CREAT), 0600);
	if (fd < 0) {
		EAL_LOG(ERR, "Cannot open hugepage file '%s': %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_SH | LOCK_NB) != 0) {
		EAL_LOG(ERR, "Cannot lock hugepage file '%s': %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!attach && mode == HUGEPAGE_UNLINK_ALWAYS && unlink(path) != 0) {
		EAL_LOG(ERR, "Cannot unlink hugepage file '%s': %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int
create_memfd(const struct hugepage_info *hi, int list_idx, int seg_idx)
{
	unsigned int flags = MFD_CLOEXEC | MFD_HUGETLB |
		(rte_log2_u64(hi->hugepage_sz) << MFD_HUGE_SHIFT);
	char name[64];
	int fd;

	if (seg_idx < 0)
		snprintf(name, sizeof(name), "seg_%d", list_idx);
	else
		snprintf(name, sizeof(name), "seg_%d-%d", list_idx, seg_idx);
	fd = memfd_create(name, flags);
	if (fd < 0)
		EAL_LOG(ERR, "Cannot create hugepage memfd '%s': %s", name, strerror(errno));
	return fd;
}

/*
 * Get the fd backing slot @p seg_idx and the page's offset in it; in
 * single-file mode that is the list's fd, opened on first use.
 * @return the fd, or -1.
 */
static int
acquire_seg_fd(const struct seg_ctx *ctx, unsigned int seg_idx, off_t *offset, bool *dirty)
{
	struct list_fds *lf = get_list_fds(ctx->list_idx);

	if (lf == NULL) {
		EAL_LOG(ERR, "Cannot allocate the fd table of memseg list %d", ctx->list_idx);
		return -1;
	}
	if (!cfg()->single_file_segments) {
		*offset = 0;
		if (backing_is_memfd())
			return create_memfd(ctx->hi, ctx->list_idx, seg_idx);
		return open_hugefile(ctx->hi, ctx->list_idx * RTE_MAX_MEMSEG_PER_LIST + seg_idx,
			ctx->attach, dirty);
	}
	*offset = (off_t)seg_idx * (off_t)ctx->msl->page_sz;
	if (lf->list_fd < 0) {
		lf->list_dirty = false;
		lf->list_fd = backing_is_memfd() ? create_memfd(ctx->hi, ctx->list_idx, -1) :
			open_hugefile(ctx->hi, ctx->list_idx, ctx->attach, &lf->list_dirty);
	}
	*dirty = lf->list_dirty;
	return lf->list_fd;
}

/*
 * Growing a file past RLIMIT_FSIZE raises SIGXFSZ, which kills the process:
 * refuse such a page instead.
 */
static bool
file_size_allowed(off_t end)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_FSIZE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
	    (rlim_t)end <= rl.rlim_cur)
		return true;
	EAL_LOG(ERR, "A hugepage file of %jd bytes exceeds the file size limit (ulimit -f)",
		(intmax_t)end);
	return false;
}

/* Give the page its memory in the file (the primary's job). @return 0 or -1. */
static int
size_backing(const struct seg_ctx *ctx, int fd, off_t offset)
{
	off_t pgsz = (off_t)ctx->msl->page_sz;
	struct stat st;

	if (ctx->attach)
		return 0;
	if (!file_size_allowed(offset + pgsz))
		return -1;
	if (!cfg()->single_file_segments) {
		if (ftruncate(fd, pgsz) == 0)
			return 0;
		EAL_LOG(ERR, "Cannot size hugepage file: %s", strerror(errno));
		return -1;
	}
	if (!fallocate_broken) {
		if (fallocate(fd, 0, offset, pgsz) == 0)
			return 0;
		if (errno != ENOTSUP && errno != EOPNOTSUPP) {
			EAL_LOG(DEBUG, "Cannot allocate a page in a list file: %s", strerror(errno));
			return -1;
		}
		EAL_LOG(NOTICE, "No fallocate() on hugetlbfs: pages of single-file segments "
			"will not be given back until their list is empty");
		fallocate_broken = true;
	}
	if (fstat(fd, &st) == 0 && st.st_size >= offset + pgsz)
		return 0;
	if (ftruncate(fd, offset + pgsz) == 0)
		return 0;
	EAL_LOG(ERR, "Cannot grow list file: %s", strerror(errno));
	return -1;
}

/*
 * Give up this process's use of the backing of slot @p seg_idx: @p fd is
 * the page's own fd (not single-file); @p counted says the page had been
 * fully allocated and counted against its list file.
 */
static void
release_seg_backing(const struct seg_ctx *ctx, unsigned int seg_idx, int fd, bool counted)
{
	struct list_fds *lf = &fd_lists[ctx->list_idx];
	off_t pgsz = (off_t)ctx->msl->page_sz;

	if (!cfg()->single_file_segments) {
		release_file(fd);
		return;
	}
	if (lf->list_fd < 0)
		return;
	if (!ctx->attach && !fallocate_broken &&
	    fallocate(lf->list_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			(off_t)seg_idx * pgsz, pgsz) != 0)
		EAL_LOG(ERR, "Cannot release page %u of memseg list %d: %s", seg_idx,
			ctx->list_idx, strerror(errno));
	if (counted && lf->list_pages > 0)
		lf->list_pages--;
	if (lf->list_pages == 0) {
		release_file(lf->list_fd);
		lf->list_fd = -1;
	}
}

/* --- mapping --- */

static void *
map_seg(void *addr, size_t pgsz, int fd, off_t offset)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_FIXED |
		(int)(rte_log2_u64(pgsz) << MAP_HUGE_SHIFT);

	if (test_hook_fails_mapping()) {
		errno = ENOMEM;
		return MAP_FAILED;
	}
	if (fd >= 0)
		return mmap(addr, pgsz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, offset);
	return mmap(addr, pgsz, PROT_READ | PROT_WRITE, flags, -1, 0);
}

/* Put the PROT_READ placeholder back over a slot. @return 0 or -1. */
static int
reserve_slot(void *addr, size_t pgsz)
{
	void *va = mmap(addr, pgsz, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	if (va == addr)
		return 0;
	EAL_LOG(CRIT, "Cannot re-reserve %p after unmapping a page: %s; "
		"this address range is no longer protected", addr, strerror(errno));
	return -1;
}

static void
sigbus_handler(int signo, siginfo_t *info, void *uctx)
{
	if (sigbus_armed)
		siglongjmp(sigbus_env, 1);
	/* not a fault of ours: hand it to whoever had SIGBUS before */
	if ((sigbus_prev.sa_flags & SA_SIGINFO) && sigbus_prev.sa_sigaction != NULL) {
		sigbus_prev.sa_sigaction(signo, info, uctx);
	} else if (sigbus_prev.sa_handler != SIG_DFL && sigbus_prev.sa_handler != SIG_IGN) {
		sigbus_prev.sa_handler(signo);
	} else {
		/* returning re-runs the faulting access, which then kills us */
		signal(signo, SIG_DFL);
	}
}

/*
 * sigsetjmp and the access it guards share one small frame, which is
 * still live when the handler jumps back, and no local changes in between.
 */
static __rte_noinline int
touch_under_guard(void *addr)
{
	if (sigsetjmp(sigbus_env, 1) != 0)
		return -1;
	__atomic_fetch_or((uint64_t *)addr, 0, __ATOMIC_RELAXED);
	return 0;
}

static int
touch_with_sigbus_guard(void *addr)
{
	struct sigaction sa = { .sa_flags = SA_SIGINFO };
	int ret;

	sa.sa_sigaction = sigbus_handler;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &sigbus_prev) != 0) {
		EAL_LOG(ERR, "Cannot install the SIGBUS guard: %s", strerror(errno));
		return -1;
	}
	sigbus_armed = 1;
	ret = touch_under_guard(addr);
	sigbus_armed = 0;
	sigaction(SIGBUS, &sigbus_prev, NULL);
	if (ret != 0)
		EAL_LOG(DEBUG, "SIGBUS on first touch of %p: no hugepage for it "
			"(hugetlb cgroup limit?)", addr);
	return ret;
}

/*
 * Make the kernel back the page now, so that a refused page is an error
 * here and not a SIGBUS on some later access.
 */
static int
populate_seg(void *addr, size_t pgsz)
{
	if (!force_sigbus_guard && populate_write_state >= 0) {
		if (madvise(addr, pgsz, MADV_POPULATE_WRITE) == 0) {
			populate_write_state = 1;
			return 0;
		}
		if (errno != EINVAL || populate_write_state == 1) {
			EAL_LOG(DEBUG, "Cannot fault in the page at %p: %s (hugetlb cgroup limit?)",
				addr, strerror(errno));
			return -1;
		}
		EAL_LOG(INFO, "No MADV_POPULATE_WRITE: first touches are guarded by a SIGBUS handler");
		populate_write_state = -1;
	}
	return touch_with_sigbus_guard(addr);
}

static rte_iova_t
seg_iova(void *addr)
{
	size_t sys_pgsz = rte_mem_page_size();
	uint64_t entry;

	if (rte_eal_iova_mode() != RTE_IOVA_PA)
		return (uintptr_t)addr;
	if (pagemap_fd < 0) {
		pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
		if (pagemap_fd < 0) {
			EAL_LOG(ERR, "Cannot open /proc/self/pagemap: %s", strerror(errno));
			return RTE_BAD_IOVA;
		}
	}
	if (pread(pagemap_fd, &entry, sizeof(entry),
			(off_t)((uintptr_t)addr / sys_pgsz * sizeof(entry))) != sizeof(entry))
		return RTE_BAD_IOVA;
	if (!(entry & PAGEMAP_PRESENT) || (entry & PAGEMAP_PFN_MASK) == 0)
		return RTE_BAD_IOVA;
	return (entry & PAGEMAP_PFN_MASK) * sys_pgsz + (uintptr_t)addr % sys_pgsz;
}

/* --- NUMA placement --- */

#define NUMA_MASK_BITS 1024
#define NUMA_MASK_LONGS (NUMA_MASK_BITS / (8 * sizeof(unsigned long)))

struct numa_steer {
	bool active;
	int old_mode;
	unsigned long old_mask[NUMA_MASK_LONGS];
};

/* On one node every page is on socket 0 and there is nothing to steer. */
static bool
numa_multi_node(void)
{
#ifdef RTE_HAS_LIBNUMA
	static int multi = -1;

	if (multi < 0)
		multi = numa_available() >= 0 && numa_max_node() > 0;
	return multi == 1;
#else
	return false;
#endif
}

static void
numa_prefer(int socket, struct numa_steer *st)
{
	st->active = false;
#ifdef RTE_HAS_LIBNUMA
	unsigned long mask[NUMA_MASK_LONGS] = { 0 };
	const unsigned int bits = 8 * sizeof(unsigned long);

	if (!numa_multi_node() || socket < 0 || socket >= NUMA_MASK_BITS)
		return;
	if (get_mempolicy(&st->old_mode, st->old_mask, NUMA_MASK_BITS, NULL, 0) != 0) {
		EAL_LOG(ERR, "Cannot read the NUMA policy: %s", strerror(errno));
		return;
	}
	mask[socket / bits] |= 1UL << (socket % bits);
	if (set_mempolicy(MPOL_PREFERRED, mask, NUMA_MASK_BITS) != 0) {
		EAL_LOG(ERR, "Cannot prefer NUMA node %d: %s", socket, strerror(errno));
		return;
	}
	st->active = true;
#else
	RTE_SET_USED(socket);
#endif
}

static void
numa_restore(const struct numa_steer *st)
{
#ifdef RTE_HAS_LIBNUMA
	int ret;

	if (!st->active)
		return;
	if (st->old_mode == MPOL_DEFAULT)
		ret = set_mempolicy(MPOL_DEFAULT, NULL, 0);
	else
		ret = set_mempolicy(st->old_mode, st->old_mask, NUMA_MASK_BITS);
	if (ret != 0)
		EAL_LOG(ERR, "Cannot restore the NUMA policy: %s", strerror(errno));
#else
	RTE_SET_USED(st);
#endif
}

static bool
seg_on_socket(void *addr, int socket)
{
#ifdef RTE_HAS_LIBNUMA
	int node = -1;

	if (!numa_multi_node())
		return true;
	if (get_mempolicy(&node, NULL, 0, addr, MPOL_F_NODE | MPOL_F_ADDR) != 0) {
		EAL_LOG(ERR, "Cannot find the NUMA node of %p: %s", addr, strerror(errno));
		return false;
	}
	if (node == socket)
		return true;
	EAL_LOG(DEBUG, "Page %p landed on socket %d instead of %d", addr, node, socket);
	return false;
#else
	RTE_SET_USED(addr);
	RTE_SET_USED(socket);
	return true;
#endif
}

/* --- one page --- */

static void *
slot_addr(const struct rte_memseg_list *msl, unsigned int seg_idx)
{
	return RTE_PTR_ADD(msl->base_va, (size_t)seg_idx * msl->page_sz);
}

/* Map a page into slot @p seg_idx and describe it in @p ms. @return 0 or -1. */
static int
alloc_seg(const struct seg_ctx *ctx, unsigned int seg_idx, struct rte_memseg *ms)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	size_t pgsz = ctx->msl->page_sz;
	void *addr = slot_addr(ctx->msl, seg_idx);
	bool dirty = false;
	off_t offset = 0;
	rte_iova_t iova;
	int fd = -1;

	if (!backing_is_anonymous()) {
		fd = acquire_seg_fd(ctx, seg_idx, &offset, &dirty);
		if (fd < 0)
			return -1;
		if (size_backing(ctx, fd, offset) < 0)
			goto err_release;
	}
	if (map_seg(addr, pgsz, fd, offset) == MAP_FAILED) {
		EAL_LOG(DEBUG, "Cannot map a %zu kB page at %p: %s", pgsz >> 10, addr,
			strerror(errno));
		goto err_reserve;
	}
	if (populate_seg(addr, pgsz) < 0)
		goto err_reserve;
	iova = seg_iova(addr);
	if (!ctx->attach && iova == RTE_BAD_IOVA) {
		EAL_LOG(ERR, "Cannot get the physical address of the page at %p", addr);
		goto err_reserve;
	}
	if (!ctx->attach && !seg_on_socket(addr, ctx->msl->socket_id))
		goto err_reserve;

	memset(ms, 0, sizeof(*ms));
	ms->addr = addr;
	ms->iova = iova;
	ms->len = pgsz;
	ms->hugepage_sz = pgsz;
	ms->socket_id = ctx->msl->socket_id;
	ms->nchannel = mcfg->nchannel;
	ms->nrank = mcfg->nrank;
	ms->flags = dirty ? RTE_MEMSEG_FLAG_DIRTY : 0;
	if (cfg()->single_file_segments)
		fd_lists[ctx->list_idx].list_pages++;
	else if (fd >= 0)
		fd_lists[ctx->list_idx].fds[seg_idx] = fd;
	return 0;

err_reserve:
	reserve_slot(addr, pgsz);
err_release:
	release_seg_backing(ctx, seg_idx, fd, false);
	return -1;
}

/*
 * Would the memory come back with its old content? Only where its backing
 * outlives the free: kept files, or list files that cannot punch holes.
 * Everywhere else the kernel hands out a zeroed page next time.
 */
static bool
backing_keeps_data(void)
{
	const struct internal_config *c = cfg();

	return (c->hugepage_unlink == HUGEPAGE_UNLINK_NEVER && !c->in_memory) ||
		(c->single_file_segments && fallocate_broken);
}

/* Unmap slot @p seg_idx and drop its backing. @return 0 or -1. */
static int
free_seg(const struct seg_ctx *ctx, unsigned int seg_idx)
{
	struct list_fds *lf = &fd_lists[ctx->list_idx];
	void *addr = slot_addr(ctx->msl, seg_idx);
	int fd = -1;

	/* free memory is zero: the heap relies on it when the page returns */
	if (!ctx->attach && backing_keeps_data())
		memset(addr, 0, ctx->msl->page_sz);
	if (reserve_slot(addr, ctx->msl->page_sz) < 0)
		return -1;
	if (!cfg()->single_file_segments && lf->fds != NULL && seg_idx < lf->len) {
		fd = lf->fds[seg_idx];
		lf->fds[seg_idx] = -1;
	}
	release_seg_backing(ctx, seg_idx, fd, true);
	return 0;
}

/* --- bulk operations (primary) --- */

/* A hugetlbfs directory lock held across pages of the same size. */
struct dir_lock {
	const struct hugepage_info *hi;
	int fd;
};

static void
dir_unlock(struct dir_lock *dl)
{
	if (dl->fd >= 0) {
		flock(dl->fd, LOCK_UN);
		close(dl->fd);
	}
	dl->fd = -1;
	dl->hi = NULL;
}

/*
 * Every process of every prefix that shares the hugepage dir takes its lock
 * around page changes, so a stopped one (SIGSTOP, a debugger) can hold it
 * for good. Wait as long as a peer may take to answer a sync round
 * (MP_TIMEOUT_S), then fail the change (it is rolled back) rather than hang.
 */
#define DIR_LOCK_TIMEOUT_MS 5000

/* flock(LOCK_EX) that gives up after DIR_LOCK_TIMEOUT_MS with EWOULDBLOCK. */
static int
flock_bounded(int fd)
{
	struct timespec ts = { 0, 0 };
	unsigned int waited_us = 0, step_us = 50;

	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		if (waited_us >= DIR_LOCK_TIMEOUT_MS * 1000u) {
			errno = EWOULDBLOCK;
			return -1;
		}
		ts.tv_nsec = (long)step_us * 1000;
		nanosleep(&ts, NULL);
		waited_us += step_us;
		step_us = RTE_MIN(step_us * 2, 10000u);
	}
}

/* Hold the directory lock of @p hi (switching from another one). @return 0 or -1. */
static int
dir_lock(struct dir_lock *dl, const struct hugepage_info *hi)
{
	if (dl->hi == hi)
		return 0;
	dir_unlock(dl);
	dl->hi = hi;
	/* in-memory pages have no files; during init discovery holds the lock */
	if (cfg()->in_memory || hi->hugedir[0] == '\0' || hi->lock_descriptor >= 0)
		return 0;
	dl->fd = open(hi->hugedir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dl->fd < 0) {
		EAL_LOG(ERR, "Cannot open hugepage dir '%s': %s", hi->hugedir, strerror(errno));
		dl->hi = NULL;
		return -1;
	}
	if (flock_bounded(dl->fd) != 0) {
		EAL_LOG(ERR, "Cannot lock hugepage dir '%s': %s", hi->hugedir, strerror(errno));
		close(dl->fd);
		dl->fd = -1;
		dl->hi = NULL;
		return -1;
	}
	return 0;
}

static void
bump_version(struct rte_memseg_list *msl)
{
	__atomic_fetch_add(&msl->version, 1, __ATOMIC_RELEASE);
}

/* @return 0 if this process may allocate or free pages now, else -1 (logged). */
static int
check_dynamic_primary(const char *what)
{
	if (cfg()->legacy_mem) {
		EAL_LOG(DEBUG, "Cannot %s pages in legacy memory mode", what);
		return -1;
	}
	if (is_secondary()) {
		EAL_LOG(ERR, "Only the primary process can %s pages", what);
		return -1;
	}
	return 0;
}

/*
 * Find @p *n free slots in a row in a list of the right type. Best effort
 * takes the longest free run of the first list that has one and may lower
 * @p *n. @return the first slot, or -1.
 */
static int
find_free_slots(size_t page_sz, int socket, bool exact, int *n, int *list_idx)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	struct rte_memseg_list *msl;
	int i, idx, run;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		msl = &mcfg->memsegs[i];
		if (!list_is_ours(msl) || msl->page_sz != page_sz ||
		    (socket != SOCKET_ID_ANY && msl->socket_id != socket))
			continue;
		if (exact) {
			idx = rte_fbarray_find_next_n_free(&msl->memseg_arr, 0, *n);
		} else {
			idx = rte_fbarray_find_biggest_free(&msl->memseg_arr, 0);
			run = idx < 0 ? 0 : rte_fbarray_find_contig_free(&msl->memseg_arr, idx);
			if (run <= 0)
				continue;
			*n = RTE_MIN(*n, run);
		}
		if (idx >= 0) {
			*list_idx = i;
			return idx;
		}
	}
	return -1;
}

/* Map @p n pages from slot @p start on; see eal_memalloc_alloc_seg_bulk(). */
static int
alloc_slots(const struct seg_ctx *ctx, unsigned int start, int n, struct rte_memseg **ms,
		bool exact)
{
	struct rte_fbarray *arr = &ctx->msl->memseg_arr;
	struct rte_memseg *cur;
	int i;

	for (i = 0; i < n; i++) {
		cur = rte_fbarray_get(arr, start + i);
		if (cur == NULL || alloc_seg(ctx, start + i, cur) < 0)
			break;
		rte_fbarray_set_used(arr, start + i);
		if (ms != NULL)
			ms[i] = cur;
	}
	if (i > 0)
		bump_version(ctx->msl);
	if (i == n || (!exact && i > 0))
		return i;
	while (i-- > 0) {
		cur = rte_fbarray_get(arr, start + i);
		if (free_seg(ctx, start + i) == 0) {
			memset(cur, 0, sizeof(*cur));
			rte_fbarray_set_free(arr, start + i);
		}
		if (ms != NULL)
			ms[i] = NULL;
	}
	return -1;
}

int
eal_memalloc_alloc_seg_bulk(struct rte_memseg **ms, int n_segs, size_t page_sz, int socket,
		bool exact)
{
	struct dir_lock dl = { .hi = NULL, .fd = -1 };
	struct seg_ctx ctx = { .attach = false };
	struct numa_steer steer;
	int start, n = n_segs, ret;

	if (ms != NULL && n_segs > 0)
		memset(ms, 0, sizeof(*ms) * (size_t)n_segs);
	if (n_segs <= 0) {
		EAL_LOG(ERR, "Invalid page count %d", n_segs);
		return -1;
	}
	if (check_dynamic_primary("allocate") < 0)
		return -1;
	ctx.hi = find_hugepage_info(page_sz);
	if (ctx.hi == NULL) {
		EAL_LOG(ERR, "No hugepages of %zu kB", page_sz >> 10);
		return -1;
	}
	start = find_free_slots(page_sz, socket, exact, &n, &ctx.list_idx);
	if (start < 0) {
		EAL_LOG(ERR, "Couldn't find a memseg list with %d free %zu kB slots on socket %d",
			n_segs, page_sz >> 10, socket);
		return -1;
	}
	ctx.msl = &eal_get_mcfg()->memsegs[ctx.list_idx];
	if (dir_lock(&dl, ctx.hi) < 0)
		return -1;
	numa_prefer(ctx.msl->socket_id, &steer);
	ret = alloc_slots(&ctx, start, n, ms, exact);
	numa_restore(&steer);
	dir_unlock(&dl);
	return ret;
}

struct rte_memseg *
eal_memalloc_alloc_seg(size_t page_sz, int socket)
{
	struct rte_memseg *ms = NULL;

	if (eal_memalloc_alloc_seg_bulk(&ms, 1, page_sz, socket, true) != 1)
		return NULL;
	return ms;
}

/* Find the list and slot of @p ms. @return the slot, or -1. */
static int
locate_seg(const struct rte_memseg *ms, struct seg_ctx *ctx)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	struct rte_memseg_list *msl;
	int i, idx;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		msl = &mcfg->memsegs[i];
		if (!list_is_ours(msl) || ms->addr < msl->base_va ||
		    RTE_PTR_DIFF(ms->addr, msl->base_va) >= msl->len)
			continue;
		idx = rte_fbarray_find_idx(&msl->memseg_arr, ms);
		if (idx < 0 || rte_fbarray_is_used(&msl->memseg_arr, idx) != 1)
			return -1;
		ctx->msl = msl;
		ctx->list_idx = i;
		ctx->hi = find_hugepage_info(msl->page_sz);
		return ctx->hi != NULL ? idx : -1;
	}
	return -1;
}

static int
free_one(struct rte_memseg *ms, struct dir_lock *dl)
{
	struct seg_ctx ctx = { .attach = false };
	int seg_idx;

	if (ms == NULL) {
		EAL_LOG(ERR, "Cannot free a NULL memseg");
		return -1;
	}
	if (ms->flags & RTE_MEMSEG_FLAG_DO_NOT_FREE) {
		EAL_LOG(DEBUG, "Page at %p is pinned and cannot be freed", ms->addr);
		return -1;
	}
	seg_idx = locate_seg(ms, &ctx);
	if (seg_idx < 0) {
		EAL_LOG(ERR, "Memseg %p (page %p) is not a mapped EAL page", (void *)ms, ms->addr);
		return -1;
	}
	if (dir_lock(dl, ctx.hi) < 0 || free_seg(&ctx, seg_idx) < 0)
		return -1;
	memset(ms, 0, sizeof(*ms));
	rte_fbarray_set_free(&ctx.msl->memseg_arr, seg_idx);
	bump_version(ctx.msl);
	return 0;
}

int
eal_memalloc_free_seg_bulk(struct rte_memseg **ms, int n_segs)
{
	struct dir_lock dl = { .hi = NULL, .fd = -1 };
	int i, ret = 0;

	if (ms == NULL || n_segs < 0) {
		EAL_LOG(ERR, "Invalid memseg array to free");
		return -1;
	}
	if (check_dynamic_primary("free") < 0)
		return -1;
	for (i = 0; i < n_segs; i++)
		if (free_one(ms[i], &dl) < 0)
			ret = -1;
	dir_unlock(&dl);
	return ret;
}

int
eal_memalloc_free_seg(struct rte_memseg *ms)
{
	return eal_memalloc_free_seg_bulk(&ms, 1);
}

/* --- secondary sync --- */

static bool
mirror_test(const struct list_mirror *m, unsigned int i)
{
	return (m->used[i / 64] >> (i % 64)) & 1;
}

static void
mirror_set(struct list_mirror *m, unsigned int i, bool used)
{
	if (used)
		m->used[i / 64] |= 1ULL << (i % 64);
	else
		m->used[i / 64] &= ~(1ULL << (i % 64));
}

static struct list_mirror *
get_mirror(int list_idx, unsigned int len)
{
	struct list_mirror *m = &mirrors[list_idx];

	if (m->used != NULL)
		return m->len == len ? m : NULL;
	m->used = calloc((len + 63) / 64, sizeof(*m->used));
	if (m->used == NULL)
		return NULL;
	m->len = len;
	return m;
}

/* Unmap what the primary freed; each chunk's FREE event comes first. */
static int
sync_free_pass(const struct seg_ctx *ctx, struct list_mirror *m)
{
	struct rte_fbarray *arr = &ctx->msl->memseg_arr;
	unsigned int i = 0, start, j;
	int ret = 0;

	while (i < m->len) {
		if (!mirror_test(m, i) || rte_fbarray_is_used(arr, i) != 0) {
			i++;
			continue;
		}
		for (start = i; i < m->len && mirror_test(m, i) &&
				rte_fbarray_is_used(arr, i) == 0; i++)
			;
		eal_memalloc_mem_event_notify(RTE_MEM_EVENT_FREE, slot_addr(ctx->msl, start),
			(size_t)(i - start) * ctx->msl->page_sz);
		for (j = start; j < i; j++) {
			if (free_seg(ctx, j) < 0)
				ret = -1;
			else
				mirror_set(m, j, false);
		}
	}
	return ret;
}

/*
 * Map the slots [@p start, @p end) the primary added, then announce them.
 * On failure unmap what this call mapped. @return 0 or -1.
 */
static int
sync_map_chunk(const struct seg_ctx *ctx, struct list_mirror *m, unsigned int start,
		unsigned int end)
{
	struct rte_memseg tmp;
	unsigned int i;

	for (i = start; i < end; i++) {
		if (alloc_seg(ctx, i, &tmp) == 0)
			continue;
		EAL_LOG(ERR, "Cannot map page %u of memseg list %d from the primary", i,
			ctx->list_idx);
		while (i-- > start)
			free_seg(ctx, i);
		return -1;
	}
	for (i = start; i < end; i++)
		mirror_set(m, i, true);
	eal_memalloc_mem_event_notify(RTE_MEM_EVENT_ALLOC, slot_addr(ctx->msl, start),
		(size_t)(end - start) * ctx->msl->page_sz);
	return 0;
}

/* Map what the primary added, one ALLOC event per chunk once it is mapped. */
static int
sync_alloc_pass(const struct seg_ctx *ctx, struct list_mirror *m)
{
	struct rte_fbarray *arr = &ctx->msl->memseg_arr;
	unsigned int i, start, end;
	int idx = 0, run;

	while (idx < (int)m->len && (idx = rte_fbarray_find_next_used(arr, idx)) >= 0) {
		run = rte_fbarray_find_contig_used(arr, idx);
		if (run <= 0)
			break;
		end = (unsigned int)(idx + run);
		for (i = (unsigned int)idx; i < end; ) {
			if (mirror_test(m, i)) {
				i++;
				continue;
			}
			for (start = i; i < end && !mirror_test(m, i); i++)
				;
			if (sync_map_chunk(ctx, m, start, i) < 0)
				return -1;
		}
		idx = (int)end;
	}
	return 0;
}

/*
 * Frees go first: a list file the primary replaced must be let go before
 * pages of its successor are mapped.
 */
static int
sync_list(int list_idx)
{
	struct dir_lock dl = { .hi = NULL, .fd = -1 };
	struct seg_ctx ctx = { .attach = true, .list_idx = list_idx };
	struct list_mirror *m;
	uint32_t version;
	int ret;

	ctx.msl = &eal_get_mcfg()->memsegs[list_idx];
	version = __atomic_load_n(&ctx.msl->version, __ATOMIC_ACQUIRE);
	m = get_mirror(list_idx, ctx.msl->memseg_arr.len);
	if (m == NULL) {
		EAL_LOG(ERR, "Cannot track memseg list %d", list_idx);
		return -1;
	}
	if (m->synced && m->version == version)
		return 0;
	ctx.hi = find_hugepage_info(ctx.msl->page_sz);
	if (ctx.hi == NULL) {
		EAL_LOG(ERR, "No hugepage info for the %" PRIu64 " kB pages of memseg list %d",
			ctx.msl->page_sz >> 10, list_idx);
		return -1;
	}
	if (dir_lock(&dl, ctx.hi) < 0)
		return -1;
	ret = sync_free_pass(&ctx, m);
	if (ret == 0)
		ret = sync_alloc_pass(&ctx, m);
	dir_unlock(&dl);
	if (ret == 0) {
		m->version = version;
		m->synced = true;
	}
	return ret;
}

int
eal_memalloc_sync_with_primary(void)
{
	/* init, the IPC thread and a requester may all sync; the mirrors are one */
	static pthread_mutex_t sync_mutex = PTHREAD_MUTEX_INITIALIZER;
	struct rte_mem_config *mcfg = eal_get_mcfg();
	int i, ret = 0;

	if (!is_secondary() || cfg()->legacy_mem)
		return 0;
	pthread_mutex_lock(&sync_mutex);
	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++)
		if (list_is_ours(&mcfg->memsegs[i]) && sync_list(i) < 0)
			ret = -1;
	pthread_mutex_unlock(&sync_mutex);
	return ret;
}

/* --- fds --- */

static bool
valid_seg(int list_idx, int seg_idx)
{
	return list_idx >= 0 && list_idx < RTE_MAX_MEMSEG_LISTS && seg_idx >= 0 &&
		(unsigned int)seg_idx < eal_get_mcfg()->memsegs[list_idx].memseg_arr.len;
}

int
eal_memalloc_get_seg_fd(int list_idx, int seg_idx)
{
	const struct list_fds *lf;
	int fd;

	if (!valid_seg(list_idx, seg_idx))
		return -ENOENT;
	lf = &fd_lists[list_idx];
	if (cfg()->single_file_segments)
		fd = lf->list_fd;
	else
		fd = lf->fds != NULL && (unsigned int)seg_idx < lf->len ? lf->fds[seg_idx] : -1;
	return fd >= 0 ? fd : -ENODEV;
}

int
eal_memalloc_get_seg_fd_offset(int list_idx, int seg_idx, size_t *offset)
{
	int fd = eal_memalloc_get_seg_fd(list_idx, seg_idx);

	if (fd < 0)
		return fd;
	if (offset == NULL)
		return -EINVAL;
	*offset = cfg()->single_file_segments ?
		(size_t)seg_idx * eal_get_mcfg()->memsegs[list_idx].page_sz : 0;
	return 0;
}

int
eal_memalloc_set_seg_fd(int list_idx, int seg_idx, int fd)
{
	struct list_fds *lf;

	if (cfg()->single_file_segments)
		return -ENOTSUP;
	if (!valid_seg(list_idx, seg_idx))
		return -ENOENT;
	lf = get_list_fds(list_idx);
	if (lf == NULL)
		return -ENOMEM;
	lf->fds[seg_idx] = fd;
	return 0;
}

int
eal_memalloc_set_seg_list_fd(int list_idx, int fd)
{
	struct list_fds *lf;

	if (!cfg()->single_file_segments)
		return -ENOTSUP;
	if (list_idx < 0 || list_idx >= RTE_MAX_MEMSEG_LISTS)
		return -ENOENT;
	lf = &fd_lists[list_idx];
	if (lf->list_fd >= 0 && lf->list_fd != fd)
		close(lf->list_fd);
	lf->list_fd = fd;
	lf->list_pages = 0;
	return 0;
}

/* --- init and teardown --- */

static bool
probe_memfd_hugetlb(void)
{
	int fd = memfd_create("probe", MFD_CLOEXEC | MFD_HUGETLB);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

int
eal_memalloc_init(void)
{
	const struct internal_config *c = cfg();

	if (!c->in_memory)
		return 0;
	memfd_hugetlb_ok = probe_memfd_hugetlb();
	if (memfd_hugetlb_ok)
		return 0;
	if (c->single_file_segments) {
		EAL_LOG(ERR, "--single-file-segments with --in-memory needs hugetlb memfd "
			"support in the kernel");
		return -1;
	}
	EAL_LOG(INFO, "No hugetlb memfd: in-memory pages are anonymous and have no fd");
	return 0;
}

int
eal_memalloc_cleanup(void)
{
	struct list_fds *lf;
	unsigned int i, j;

	for (i = 0; i < RTE_MAX_MEMSEG_LISTS; i++) {
		lf = &fd_lists[i];
		for (j = 0; lf->fds != NULL && j < lf->len; j++)
			release_file(lf->fds[j]);
		free(lf->fds);
		release_file(lf->list_fd);
		memset(lf, 0, sizeof(*lf));
		lf->list_fd = -1;
		free(mirrors[i].used);
		memset(&mirrors[i], 0, sizeof(mirrors[i]));
	}
	if (pagemap_fd >= 0) {
		close(pagemap_fd);
		pagemap_fd = -1;
	}
	return 0;
}
