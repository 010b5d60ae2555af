/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * rte_eal_init() and rte_eal_cleanup() for Linux, the shared config file
 * and the primary/secondary election.
 *
 * The primary creates <runtime>/config, holds an fcntl write lock on it
 * for its whole life (that lock is what tells a secondary, or a second
 * would-be primary, that a primary is alive) and maps it where secondaries
 * can map it too. A secondary maps it read-only, waits for the primary to
 * finish init, then maps it again read-write at the primary's address so
 * that the pointers stored inside it are valid.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_memory.h>
#include <rte_version.h>

#include "eal_export.h"
#include "eal_filesystem.h"
#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_memcfg.h"
#include "eal_private.h"
#include "eal_vfio.h"

static struct rte_mem_config early_mem_config;
static int mem_cfg_fd = -1;
/* we created the config and held its lock: only then may we remove it */
static bool config_owner;
static uint32_t run_once;
static rte_usage_hook_t usage_hook;

static struct rte_config rte_config = {
	.mem_config = &early_mem_config,
};

struct rte_config *
rte_eal_get_configuration(void)
{
	return &rte_config;
}

RTE_EXPORT_SYMBOL(rte_version)
const char *
rte_version(void)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "DPDK %d.%02d.%d (eal-mem)", RTE_VER_YEAR, RTE_VER_MONTH,
		RTE_VER_MINOR);
	return buf;
}

RTE_EXPORT_SYMBOL(rte_eal_process_type)
enum rte_proc_type_t
rte_eal_process_type(void)
{
	return rte_config.process_type;
}

RTE_EXPORT_SYMBOL(rte_eal_iova_mode)
enum rte_iova_mode
rte_eal_iova_mode(void)
{
	return rte_config.iova_mode;
}

RTE_EXPORT_SYMBOL(rte_eal_has_hugepages)
int
rte_eal_has_hugepages(void)
{
	return !eal_get_internal_configuration()->no_hugetlbfs;
}

RTE_EXPORT_SYMBOL(rte_eal_has_pci)
int
rte_eal_has_pci(void)
{
	return !eal_get_internal_configuration()->no_pci;
}

RTE_EXPORT_SYMBOL(rte_eal_mbuf_user_pool_ops)
const char *
rte_eal_mbuf_user_pool_ops(void)
{
	return eal_get_internal_configuration()->user_mbuf_pool_ops_name;
}

RTE_EXPORT_SYMBOL(rte_set_application_usage_hook)
rte_usage_hook_t
rte_set_application_usage_hook(rte_usage_hook_t usage_func)
{
	rte_usage_hook_t old = usage_hook;

	usage_hook = usage_func;
	return old;
}

RTE_EXPORT_SYMBOL(rte_eal_get_baseaddr)
uint64_t
rte_eal_get_baseaddr(void)
{
	uintptr_t base = eal_get_internal_configuration()->base_virtaddr;

	return base != 0 ? base : RTE_EAL_VA_BASE_HINT;
}

static int
config_file_locked(int fd)
{
	struct flock lk = {
		.l_type = F_WRLCK,
		.l_whence = SEEK_SET,
		.l_start = 0,
		.l_len = sizeof(struct rte_mem_config),
	};

	if (fcntl(fd, F_GETLK, &lk) != 0)
		return -1;
	return lk.l_type != F_UNLCK;
}

RTE_EXPORT_SYMBOL(rte_eal_primary_proc_alive)
int
rte_eal_primary_proc_alive(const char *config_file_path)
{
	const char *path = config_file_path != NULL ? config_file_path :
		eal_runtime_config_path();
	int fd, ret;

	if (path == NULL || path[0] == '\0')
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	ret = config_file_locked(fd);
	close(fd);
	return ret == 1;
}

static enum rte_proc_type_t
resolve_proc_type(void)
{
	return rte_eal_primary_proc_alive(NULL) ? RTE_PROC_SECONDARY : RTE_PROC_PRIMARY;
}

static void *
mem_config_hint(void)
{
	size_t sz = RTE_ALIGN_CEIL(sizeof(struct rte_mem_config), rte_mem_page_size());

	return (void *)(uintptr_t)(rte_eal_get_baseaddr() - sz);
}

static int
primary_config_create(void)
{
	size_t sz = sizeof(struct rte_mem_config);
	struct flock lk = {
		.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = (off_t)sz,
	};
	void *addr;

	mem_cfg_fd = open(eal_runtime_config_path(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
		0600);
	if (mem_cfg_fd < 0) {
		EAL_LOG(ERR, "Cannot open '%s' for rte_mem_config: %s",
			eal_runtime_config_path(), strerror(errno));
		return -1;
	}
	if (fcntl(mem_cfg_fd, F_SETLK, &lk) != 0) {
		EAL_LOG(ERR, "Cannot lock '%s': is another primary process running?",
			eal_runtime_config_path());
		goto err_close;
	}
	config_owner = true;
	if (ftruncate(mem_cfg_fd, (off_t)sz) != 0) {
		EAL_LOG(ERR, "Cannot resize '%s': %s", eal_runtime_config_path(), strerror(errno));
		goto err_close;
	}
	addr = mmap(mem_config_hint(), sz, PROT_READ | PROT_WRITE, MAP_SHARED, mem_cfg_fd, 0);
	if (addr == MAP_FAILED) {
		EAL_LOG(ERR, "Cannot mmap rte_mem_config: %s", strerror(errno));
		goto err_close;
	}
	memcpy(addr, &early_mem_config, sz);
	rte_config.mem_config = addr;
	rte_config.mem_config->mem_cfg_addr = (uintptr_t)addr;
	return 0;
err_close:
	close(mem_cfg_fd);
	mem_cfg_fd = -1;
	return -1;
}

static int
primary_config_anonymous(void)
{
	size_t sz = sizeof(struct rte_mem_config);
	void *addr = mmap(mem_config_hint(), sz, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (addr == MAP_FAILED) {
		EAL_LOG(ERR, "Cannot allocate rte_mem_config: %s", strerror(errno));
		return -1;
	}
	memcpy(addr, &early_mem_config, sz);
	rte_config.mem_config = addr;
	rte_config.mem_config->mem_cfg_addr = (uintptr_t)addr;
	return 0;
}

static int
secondary_config_attach(void)
{
	size_t sz = sizeof(struct rte_mem_config);
	struct rte_mem_config *ro;
	void *want, *addr;

	mem_cfg_fd = open(eal_runtime_config_path(), O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (mem_cfg_fd < 0) {
		EAL_LOG(ERR, "Cannot open '%s' for rte_mem_config: %s (is a primary running?)",
			eal_runtime_config_path(), strerror(errno));
		return -1;
	}
	ro = mmap(NULL, sz, PROT_READ, MAP_SHARED, mem_cfg_fd, 0);
	if (ro == MAP_FAILED) {
		EAL_LOG(ERR, "Cannot mmap rte_mem_config: %s", strerror(errno));
		goto err_close;
	}
	rte_config.mem_config = ro;
	if (eal_mcfg_check_version() != 0) {
		munmap(ro, sz);
		goto err_close;
	}
	want = (void *)(uintptr_t)ro->mem_cfg_addr;
	munmap(ro, sz);
	addr = mmap(want, sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE,
		mem_cfg_fd, 0);
	if (addr != want) {
		EAL_LOG(ERR, "Cannot map rte_mem_config at the primary's address %p "
			"(the range is in use here); try --base-virtaddr in the primary", want);
		if (addr != MAP_FAILED)
			munmap(addr, sz);
		goto err_close;
	}
	rte_config.mem_config = addr;
	return 0;
err_close:
	rte_config.mem_config = &early_mem_config;
	close(mem_cfg_fd);
	mem_cfg_fd = -1;
	return -1;
}

static int
config_init(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();

	rte_config.process_type = cfg->process_type;
	switch (rte_config.process_type) {
	case RTE_PROC_PRIMARY:
		if ((cfg->no_shconf ? primary_config_anonymous() : primary_config_create()) != 0)
			return -1;
		eal_mcfg_update_internal();
		rte_config.mem_config->nchannel = cfg->force_nchannel;
		rte_config.mem_config->nrank = cfg->force_nrank;
		return 0;
	case RTE_PROC_SECONDARY:
		if (secondary_config_attach() != 0 || eal_mcfg_check_mode() != 0)
			return -1;
		eal_mcfg_update_from_internal();
		return 0;
	default:
		EAL_LOG(ERR, "Invalid process type %d", rte_config.process_type);
		return -1;
	}
}

static void
config_release(void)
{
	if (rte_config.mem_config != &early_mem_config)
		munmap(rte_config.mem_config, sizeof(struct rte_mem_config));
	rte_config.mem_config = &early_mem_config;
	if (mem_cfg_fd >= 0) {
		close(mem_cfg_fd);
		mem_cfg_fd = -1;
	}
}

size_t
rte_mem_page_size(void)
{
	static size_t page_size;

	if (page_size == 0)
		page_size = (size_t)sysconf(_SC_PAGESIZE);
	return page_size;
}

static int
resolve_process_type(void)
{
	struct internal_config *cfg = eal_get_internal_configuration();

	if (cfg->process_type == RTE_PROC_AUTO)
		cfg->process_type = resolve_proc_type();
	if (cfg->process_type == RTE_PROC_SECONDARY && cfg->no_shconf) {
		EAL_LOG(ERR, "A secondary process needs shared config (no --no-shconf/--in-memory)");
		return -1;
	}
	return 0;
}

static void
init_fail(int err, const char *msg)
{
	rte_errno = err;
	EAL_LOG(ERR, "%s", msg);
}

/*
 * Hugepage discovery (primary: locks the hugedirs), the IOVA mode, then the
 * memseg lists and pages; the hugedirs are unlocked once memory is set up.
 * On success the hotplug read lock taken by rte_eal_memory_init() is still
 * held: rte_eal_malloc_heap_init() releases it.
 */
static int
memory_setup(void)
{
	struct internal_config *cfg = eal_get_internal_configuration();
	bool primary = rte_config.process_type == RTE_PROC_PRIMARY;
	int phys;

	if (!cfg->no_hugetlbfs &&
	    (primary ? eal_hugepage_info_init() : eal_hugepage_info_read()) != 0) {
		init_fail(EACCES, "Cannot get hugepage information.");
		return -1;
	}
	phys = eal_phys_addrs_available();
	if (cfg->iova_mode == RTE_IOVA_PA && !phys) {
		init_fail(EINVAL, "IOVA as PA was requested but physical addresses are not "
			"available (needs hugepages and CAP_SYS_ADMIN); use --iova-mode=va");
		eal_hugedirs_unlock();
		return -1;
	}
	rte_config.iova_mode = cfg->iova_mode != RTE_IOVA_DC ? cfg->iova_mode :
		phys ? RTE_IOVA_PA : RTE_IOVA_VA;
	EAL_LOG(DEBUG, "Selected IOVA mode '%s'", rte_config.iova_mode == RTE_IOVA_PA ? "PA" :
		"VA");
	if (rte_eal_memory_init() != 0) {
		int err = rte_errno;

		eal_hugedirs_unlock();
		init_fail(err, "Cannot init memory");
		return -1;
	}
	eal_hugedirs_unlock();
	return 0;
}

/*
 * Undo every init step, in reverse order. Each call is a no-op for a step
 * that never ran, so the same sequence serves a failed init and
 * rte_eal_cleanup().
 */
static void
eal_teardown(void)
{
	rte_eal_vfio_cleanup();
	eal_threads_cleanup();
	rte_eal_malloc_heap_cleanup();
	rte_eal_memory_detach();
	rte_eal_memzone_cleanup();
	rte_mp_channel_cleanup();
	config_release();
	eal_clean_runtime_dir();
	eal_cleanup_config(eal_get_internal_configuration());
}

static int
setup_config(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();

	if (resolve_process_type() != 0 || config_init() != 0)
		return -1;
	/* provisional: memory_setup() decides once physical addresses are known */
	rte_config.iova_mode = cfg->iova_mode != RTE_IOVA_DC ? cfg->iova_mode : RTE_IOVA_VA;
	return 0;
}

static int
setup_threads(void)
{
	if (eal_thread_set_affinity(rte_config.main_lcore) != 0 || eal_threads_init() != 0)
		return -1;
	return 0;
}

/* The init steps that follow option parsing, in order (SPEC section 11). */
static const struct init_step {
	int (*run)(void);  /* 0 on success */
	int err;           /* rte_errno on failure; 0: the step sets and logs it */
	const char *what;  /* logged on failure */
} init_steps[] = {
	{ setup_config, EINVAL, "Cannot init config" },
	{ rte_eal_timer_init, ENOTSUP, "Cannot init TSC" },
	{ rte_mp_channel_init, EFAULT, "Cannot init IPC channel" },
	/* memzones before memory, so that secondary-only fbarrays come later */
	{ rte_eal_memzone_init, ENODEV, "Cannot init memzone" },
	{ memory_setup, 0, NULL },
	/* also releases the hotplug read lock rte_eal_memory_init() took */
	{ rte_eal_malloc_heap_init, ENODEV, "Cannot init malloc heap" },
	{ setup_threads, EAGAIN, "Cannot create worker threads" },
	{ rte_eal_vfio_setup, EAGAIN, "Cannot init VFIO" },
};

static int
run_init_steps(void)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(init_steps); i++) {
		const struct init_step *st = &init_steps[i];

		if (st->run() == 0)
			continue;
		if (st->err != 0)
			init_fail(st->err, st->what);
		eal_teardown();
		__atomic_store_n(&run_once, 0, __ATOMIC_RELEASE);
		return -1;
	}
	return 0;
}

void
eal_clean_runtime_dir(void)
{
	const char *dir = eal_get_runtime_dir();

	/*
	 * A primary that leaves nothing shared behind removes its runtime
	 * dir; rmdir fails harmlessly while other processes' files remain.
	 */
	if (dir[0] == '\0')
		return;
	if (rte_config.process_type != RTE_PROC_PRIMARY) {
		/* a secondary that found no primary leaves no empty dir behind */
		rmdir(dir);
		return;
	}
	/* a failed would-be primary must not remove the live primary's config */
	if (config_owner)
		unlink(eal_runtime_config_path());
	config_owner = false;
	rmdir(dir);
}

RTE_EXPORT_SYMBOL(rte_eal_init)
int
rte_eal_init(int argc, char **argv)
{
	struct internal_config *cfg = eal_get_internal_configuration();
	uint32_t expected = 0;
	int fctret;

	if (!__atomic_compare_exchange_n(&run_once, &expected, 1, 0, __ATOMIC_RELAXED,
			__ATOMIC_RELAXED)) {
		init_fail(EALREADY, "EAL already initialized");
		return -1;
	}
	eal_reset_internal_config(cfg);
	if (eal_log_init(argc > 0 ? argv[0] : "dpdk") != 0 || rte_eal_cpu_init() != 0) {
		init_fail(ENOTSUP, "Cannot detect lcores");
		__atomic_store_n(&run_once, 0, __ATOMIC_RELEASE);
		return -1;
	}
	fctret = eal_parse_args(argc, argv);
	if (fctret < 0) {
		eal_cleanup_config(cfg);
		__atomic_store_n(&run_once, 0, __ATOMIC_RELEASE);
		rte_errno = EINVAL;
		return -1;
	}
	if (eal_create_runtime_dir_for(eal_get_hugefile_prefix()) != 0) {
		init_fail(EACCES, "Cannot create runtime directory");
		eal_cleanup_config(cfg);
		__atomic_store_n(&run_once, 0, __ATOMIC_RELEASE);
		return -1;
	}
	if (run_init_steps() != 0)
		return -1;
	eal_mcfg_complete();
	return fctret;
}

RTE_EXPORT_SYMBOL(rte_eal_cleanup)
int
rte_eal_cleanup(void)
{
	uint32_t expected = 1;

	if (!__atomic_compare_exchange_n(&run_once, &expected, 2, 0, __ATOMIC_ACQ_REL,
			__ATOMIC_RELAXED)) {
		rte_errno = EALREADY;
		return -1;
	}
	eal_teardown();
	rte_log_close();
	return 0;
}
