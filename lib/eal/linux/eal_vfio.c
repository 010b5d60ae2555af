/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * VFIO containers and groups, and DMA mapping of EAL memory.
 *
 * Each container has a slot in vfio_cfgs[]; slot 0 is the default one,
 * opened by rte_vfio_enable(). The first group attached to a container
 * fixes its IOMMU type. For the default container that is also when all
 * EAL memory gets mapped and the memory event callback is registered;
 * from then on every page the EAL maps or unmaps is mapped or unmapped
 * in the IOMMU, one page per call. Coalescing pages into one mapping is
 * avoided on purpose: the type1 IOMMU cannot unmap part of a mapping, so
 * freeing one page of a coalesced range would take its neighbours' DMA
 * access with it.
 *
 * When the last group leaves a container the kernel drops the IOMMU
 * context with all its mappings; the next attach starts over (IOMMU type,
 * memory, user mappings).
 *
 * A secondary process works in the primary's default container (fds
 * from the primary, eal_vfio_mp_sync.c): it never sets the IOMMU type or
 * maps memory there, and never takes a group out of it. The primary's
 * memory event callback maps every page, secondaries' pages included,
 * since all processes share the same memory. Other containers a secondary
 * creates are its own and are handled as in the primary.
 *
 * Locks: vfio_lock guards the tables and is taken before the memory
 * hotplug lock. The memory event callback runs with the hotplug lock
 * write-held and never takes vfio_lock; it only reads the default
 * container's fd and IOMMU type.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_memory.h>
#include <rte_vfio.h>

#include "eal_export.h"
#include "eal_log.h"
#include "eal_vfio.h"

#define VFIO_MEM_EVENT_CLB_NAME "vfio_mem_event_clb"
#define DEFAULT_CFG 0

struct vfio_iommu_type {
	int type_id;
	const char *name;
	bool dma_map;   /* false: devices use physical addresses, nothing to map */
};

static const struct vfio_iommu_type iommu_types[] = {
	{ VFIO_TYPE1_IOMMU, "Type 1", true },
	{ RTE_VFIO_NOIOMMU, "No-IOMMU", false },
};

struct vfio_group {
	int num;        /* IOMMU group number; -1 = free slot */
	int fd;
	int devices;    /* device fds handed out */
	bool attached;  /* set to the container */
};

struct vfio_config {
	bool used;
	int container_fd;
	const struct vfio_iommu_type *iommu; /* NULL until a group is attached */
	int n_attached;
	struct vfio_group groups[RTE_MAX_VFIO_GROUPS];
	struct vfio_map_table maps; /* user mappings */
};

static struct vfio_config vfio_cfgs[RTE_MAX_VFIO_CONTAINERS];
static const struct vfio_backend *be = &vfio_kernel_backend;
static pthread_mutex_t vfio_lock = PTHREAD_MUTEX_INITIALIZER;
static bool vfio_enabled;
static const char *disabled_why = "not initialized";
static bool clb_registered;
static struct vfio_dma_stats dma_stats;

const struct vfio_backend *
eal_vfio_set_backend(const struct vfio_backend *new_be)
{
	const struct vfio_backend *old = be;

	be = new_be != NULL ? new_be : &vfio_kernel_backend;
	return old;
}

void
eal_vfio_get_dma_stats(struct vfio_dma_stats *st)
{
	st->maps = __atomic_load_n(&dma_stats.maps, __ATOMIC_RELAXED);
	st->map_failures = __atomic_load_n(&dma_stats.map_failures, __ATOMIC_RELAXED);
	st->map_exists = __atomic_load_n(&dma_stats.map_exists, __ATOMIC_RELAXED);
	st->unmaps = __atomic_load_n(&dma_stats.unmaps, __ATOMIC_RELAXED);
	st->unmap_failures = __atomic_load_n(&dma_stats.unmap_failures, __ATOMIC_RELAXED);
}

static void
stat_inc(uint64_t *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

static bool
is_secondary(void)
{
	return rte_eal_process_type() == RTE_PROC_SECONDARY;
}

/* The default container of a secondary: the primary set it up. */
static bool
primary_owned(const struct vfio_config *cfg)
{
	return cfg == &vfio_cfgs[DEFAULT_CFG] && is_secondary();
}

/* ------------------------------------------------------------------ */
/* DMA mapping of one range in the kernel                              */
/* ------------------------------------------------------------------ */

/* @return 0 or -errno; EEXIST counts as mapped. */
static int
iommu_map(const struct vfio_config *cfg, uint64_t vaddr, uint64_t iova, uint64_t len)
{
	int ret;

	if (!cfg->iommu->dma_map)
		return 0;
	ret = be->dma_map(cfg->container_fd, vaddr, iova, len);
	if (ret == -EEXIST) {
		/* mapped already (e.g. by a user mapping): same effect */
		EAL_LOG(DEBUG, "VFIO: IOVA 0x%" PRIx64 " len 0x%" PRIx64 " already mapped",
			iova, len);
		stat_inc(&dma_stats.map_exists);
		ret = 0;
	}
	if (ret < 0) {
		stat_inc(&dma_stats.map_failures);
		EAL_LOG(ERR, "VFIO: cannot map VA 0x%" PRIx64 " IOVA 0x%" PRIx64
			" len 0x%" PRIx64 " for DMA: %s", vaddr, iova, len, strerror(-ret));
		return ret;
	}
	stat_inc(&dma_stats.maps);
	return 0;
}

static int
iommu_unmap(const struct vfio_config *cfg, uint64_t iova, uint64_t len)
{
	int ret;

	if (!cfg->iommu->dma_map)
		return 0;
	ret = be->dma_unmap(cfg->container_fd, iova, len);
	if (ret < 0) {
		stat_inc(&dma_stats.unmap_failures);
		EAL_LOG(ERR, "VFIO: cannot unmap IOVA 0x%" PRIx64 " len 0x%" PRIx64
			" for DMA: %s", iova, len, strerror(-ret));
		return ret;
	}
	stat_inc(&dma_stats.unmaps);
	return 0;
}

/* ------------------------------------------------------------------ */
/* EAL memory of the default container                                 */
/* ------------------------------------------------------------------ */

/* Memory registered with rte_extmem_register() is the user's to map. */
static bool
memseg_list_skipped(const struct rte_memseg_list *msl)
{
	return msl->external && !msl->heap;
}

void
vfio_mem_event_clb(enum rte_mem_event type, const void *addr, size_t len, void *arg)
{
	const struct vfio_config *cfg = &vfio_cfgs[DEFAULT_CFG];
	const struct rte_memseg_list *msl;
	uintptr_t va, end;

	RTE_SET_USED(arg);
	if (cfg->iommu == NULL || len == 0)
		return;
	msl = rte_mem_virt2memseg_list(addr);
	if (msl == NULL) {
		EAL_LOG(ERR, "VFIO: memory event for %p outside every memseg list", addr);
		return;
	}
	if (memseg_list_skipped(msl))
		return;
	end = (uintptr_t)addr + len;
	for (va = (uintptr_t)addr; va < end; va += msl->page_sz) {
		const struct rte_memseg *ms = rte_mem_virt2memseg((void *)va, msl);

		if (ms == NULL || ms->iova == RTE_BAD_IOVA)
			continue;
		/* failures are logged and counted; the event cannot fail */
		if (type == RTE_MEM_EVENT_ALLOC)
			iommu_map(cfg, ms->addr_64, ms->iova, ms->len);
		else
			iommu_unmap(cfg, ms->iova, ms->len);
	}
}

static int
map_memseg_walk(const struct rte_memseg_list *msl, const struct rte_memseg *ms, void *arg)
{
	const struct vfio_config *cfg = arg;

	if (memseg_list_skipped(msl) || ms->iova == RTE_BAD_IOVA)
		return 0;
	return iommu_map(cfg, ms->addr_64, ms->iova, ms->len) == 0 ? 0 : -1;
}

static int
replay_user_maps(const struct vfio_config *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->maps.n; i++) {
		const struct vfio_user_map *m = &cfg->maps.maps[i];
		int ret = iommu_map(cfg, m->addr, m->iova, m->len);

		if (ret < 0)
			return ret;
	}
	return 0;
}

/*
 * First group of a container: map what must be visible to its devices.
 * The hotplug read lock is held from the walk until the callback is in
 * place, so no page can appear or vanish in between.
 */
static int
container_map_all(struct vfio_config *cfg)
{
	bool is_default = cfg == &vfio_cfgs[DEFAULT_CFG];
	int ret = 0;

	rte_mcfg_mem_read_lock();
	if (is_default && rte_memseg_walk_thread_unsafe(map_memseg_walk, cfg) < 0) {
		EAL_LOG(ERR, "VFIO: cannot map EAL memory for DMA");
		ret = -EIO;
		goto out;
	}
	ret = replay_user_maps(cfg);
	if (ret < 0) {
		EAL_LOG(ERR, "VFIO: cannot map user DMA ranges again");
		goto out;
	}
	if (is_default && !clb_registered) {
		if (rte_mem_event_callback_register(VFIO_MEM_EVENT_CLB_NAME,
				vfio_mem_event_clb, NULL) == 0) {
			clb_registered = true;
		} else if (rte_errno != ENOTSUP) {
			/* ENOTSUP: legacy memory, which never changes */
			EAL_LOG(ERR, "VFIO: cannot register the memory event callback: %s",
				rte_strerror(rte_errno));
			ret = -rte_errno;
		}
	}
out:
	/* on failure the caller detaches the group, which drops the mappings */
	rte_mcfg_mem_read_unlock();
	return ret;
}

static void
unregister_clb(void)
{
	if (!clb_registered)
		return;
	rte_mem_event_callback_unregister(VFIO_MEM_EVENT_CLB_NAME, NULL);
	clb_registered = false;
}

/* ------------------------------------------------------------------ */
/* containers and groups                                               */
/* ------------------------------------------------------------------ */

static void
cfg_reset(struct vfio_config *cfg)
{
	int i;

	vfio_maps_free(&cfg->maps);
	memset(cfg, 0, sizeof(*cfg));
	cfg->container_fd = -1;
	for (i = 0; i < RTE_MAX_VFIO_GROUPS; i++) {
		cfg->groups[i].num = -1;
		cfg->groups[i].fd = -1;
	}
}

static struct vfio_config *
cfg_by_container_fd(int container_fd)
{
	int i;

	if (container_fd == RTE_VFIO_DEFAULT_CONTAINER_FD)
		return &vfio_cfgs[DEFAULT_CFG];
	for (i = 0; i < RTE_MAX_VFIO_CONTAINERS; i++)
		if (vfio_cfgs[i].used && vfio_cfgs[i].container_fd == container_fd)
			return &vfio_cfgs[i];
	return NULL;
}

static struct vfio_group *
group_by_num(struct vfio_config *cfg, int num)
{
	int i;

	for (i = 0; i < RTE_MAX_VFIO_GROUPS; i++)
		if (cfg->groups[i].num == num)
			return &cfg->groups[i];
	return NULL;
}

/* Find group @p num in any container. */
static struct vfio_group *
group_find(int num, struct vfio_config **cfgp)
{
	int i;

	for (i = 0; i < RTE_MAX_VFIO_CONTAINERS; i++) {
		struct vfio_group *g;

		if (!vfio_cfgs[i].used)
			continue;
		g = group_by_num(&vfio_cfgs[i], num);
		if (g != NULL) {
			*cfgp = &vfio_cfgs[i];
			return g;
		}
	}
	return NULL;
}

static struct vfio_group *
group_by_fd(int fd, struct vfio_config **cfgp)
{
	int i, j;

	for (i = 0; i < RTE_MAX_VFIO_CONTAINERS; i++) {
		if (!vfio_cfgs[i].used)
			continue;
		for (j = 0; j < RTE_MAX_VFIO_GROUPS; j++) {
			if (vfio_cfgs[i].groups[j].num >= 0 && vfio_cfgs[i].groups[j].fd == fd) {
				*cfgp = &vfio_cfgs[i];
				return &vfio_cfgs[i].groups[j];
			}
		}
	}
	return NULL;
}

static int
open_group_fd(int num)
{
	char what[32];

	if (!is_secondary())
		return be->group_open(num);
	snprintf(what, sizeof(what), "group %d", num);
	return vfio_mp_request_fd(SOCKET_REQ_GROUP, num, what);
}

/*
 * Open group @p num for @p cfg (or return it if open).
 * @return the group, or NULL with *err = -ENOENT (no group device),
 * -ENOSPC (table full) or the open error.
 */
static struct vfio_group *
group_open(struct vfio_config *cfg, int num, int *err)
{
	struct vfio_group *g = group_by_num(cfg, num);
	int fd;

	if (g != NULL)
		return g;
	g = group_by_num(cfg, -1);
	if (g == NULL) {
		*err = -ENOSPC;
		return NULL;
	}
	fd = open_group_fd(num);
	if (fd < 0) {
		*err = fd;
		return NULL;
	}
	g->num = num;
	g->fd = fd;
	g->devices = 0;
	g->attached = false;
	return g;
}

/* The container loses its IOMMU context when its last group leaves. */
static void
group_detached(struct vfio_config *cfg)
{
	if (--cfg->n_attached > 0)
		return;
	if (cfg == &vfio_cfgs[DEFAULT_CFG])
		unregister_clb();
	cfg->iommu = NULL;
}

static void
group_close(struct vfio_config *cfg, struct vfio_group *g)
{
	if (g->attached) {
		/* the group fd is the primary's too: it stays in its container */
		if (!primary_owned(cfg))
			be->group_unset_container(g->fd);
		group_detached(cfg);
	}
	be->close_fd(g->fd);
	g->num = -1;
	g->fd = -1;
	g->devices = 0;
	g->attached = false;
}

static const struct vfio_iommu_type *
select_iommu(int container_fd)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(iommu_types); i++) {
		const struct vfio_iommu_type *t = &iommu_types[i];

		if (be->check_extension(container_fd, t->type_id) <= 0)
			continue;
		if (be->set_iommu(container_fd, t->type_id) == 0) {
			EAL_LOG(INFO, "VFIO: using IOMMU type %d (%s)", t->type_id, t->name);
			return t;
		}
	}
	return NULL;
}

/* Secondary: learn the IOMMU type the primary set in the default container. */
static int
sync_iommu_type(struct vfio_config *cfg)
{
	int type = vfio_mp_request_iommu_type();
	unsigned int i;

	if (type < 0)
		return type;
	for (i = 0; i < RTE_DIM(iommu_types); i++) {
		if (iommu_types[i].type_id == type) {
			cfg->iommu = &iommu_types[i];
			EAL_LOG(INFO, "VFIO: the primary process uses IOMMU type %d (%s)", type,
				cfg->iommu->name);
			return 0;
		}
	}
	EAL_LOG(ERR, "VFIO: the primary process uses unknown IOMMU type %d", type);
	return -ENOTSUP;
}

/*
 * Secondary, default container: the group must already be in it, put
 * there (with the IOMMU type and the DMA mappings) by the primary.
 */
static int
group_attach_secondary(struct vfio_config *cfg, struct vfio_group *g, uint32_t flags)
{
	int ret;

	if (!(flags & VFIO_GROUP_FLAGS_CONTAINER_SET)) {
		EAL_LOG(ERR, "VFIO: group %d is not in the primary process's container: "
			"the primary must set up one of its devices first", g->num);
		return -ENODEV;
	}
	if (cfg->iommu == NULL) {
		ret = sync_iommu_type(cfg);
		if (ret < 0)
			return ret;
	}
	g->attached = true;
	cfg->n_attached++;
	return 0;
}

/* Set group @p g to its container; the first one sets up the IOMMU. */
static int
group_attach(struct vfio_config *cfg, struct vfio_group *g)
{
	uint32_t flags = 0;
	int ret;

	if (g->attached)
		return 0;
	ret = be->group_status(g->fd, &flags);
	if (ret < 0)
		return ret;
	if (!(flags & VFIO_GROUP_FLAGS_VIABLE)) {
		EAL_LOG(ERR, "VFIO: group %d is not viable (are all its devices bound to vfio?)",
			g->num);
		return -EPERM;
	}
	if (primary_owned(cfg))
		return group_attach_secondary(cfg, g, flags);
	if (!(flags & VFIO_GROUP_FLAGS_CONTAINER_SET)) {
		ret = be->group_set_container(g->fd, cfg->container_fd);
		if (ret < 0) {
			EAL_LOG(ERR, "VFIO: cannot add group %d to its container: %s",
				g->num, strerror(-ret));
			return ret;
		}
	}
	g->attached = true;
	cfg->n_attached++;
	if (cfg->iommu != NULL)
		return 0;
	cfg->iommu = select_iommu(cfg->container_fd);
	if (cfg->iommu == NULL) {
		EAL_LOG(ERR, "VFIO: no supported IOMMU type for group %d", g->num);
		ret = -ENOTSUP;
		goto err_detach;
	}
	ret = container_map_all(cfg);
	if (ret < 0)
		goto err_detach;
	return 0;

err_detach:
	be->group_unset_container(g->fd);
	g->attached = false;
	group_detached(cfg);
	return ret;
}

/*
 * Open a container and check the kernel speaks our VFIO API. A secondary
 * gets it from the primary, which checked it.
 */
static int
container_open(void)
{
	unsigned int i;
	int fd;

	if (is_secondary())
		return vfio_mp_request_fd(SOCKET_REQ_CONTAINER, 0, "a new container");
	fd = be->container_open();

	if (fd < 0) {
		EAL_LOG(ERR, "VFIO: cannot open container: %s", strerror(-fd));
		return fd;
	}
	if (be->api_version(fd) != VFIO_API_VERSION) {
		EAL_LOG(ERR, "VFIO: unsupported API version");
		goto err_close;
	}
	for (i = 0; i < RTE_DIM(iommu_types); i++)
		if (be->check_extension(fd, iommu_types[i].type_id) > 0)
			return fd;
	EAL_LOG(ERR, "VFIO: no supported IOMMU type in the container");
err_close:
	be->close_fd(fd);
	return -ENOTSUP;
}

static void
cfg_close(struct vfio_config *cfg)
{
	int i;

	if (!cfg->used)
		return;
	for (i = 0; i < RTE_MAX_VFIO_GROUPS; i++)
		if (cfg->groups[i].num >= 0)
			group_close(cfg, &cfg->groups[i]);
	if (cfg->container_fd >= 0)
		be->close_fd(cfg->container_fd);
	cfg_reset(cfg);
}

/* Everything is closed and forgotten; VFIO is disabled. */
static void
vfio_reset(void)
{
	int i;

	unregister_clb();
	for (i = 0; i < RTE_MAX_VFIO_CONTAINERS; i++) {
		cfg_close(&vfio_cfgs[i]);
		cfg_reset(&vfio_cfgs[i]);
	}
	vfio_enabled = false;
	disabled_why = "not initialized";
	memset(&dma_stats, 0, sizeof(dma_stats));
}

/* Common entry of the public API: VFIO must be enabled. */
static int
check_enabled(const char *func)
{
	if (vfio_enabled)
		return 0;
	EAL_LOG_ERRNO(ERR, ENODEV, "%s(): VFIO is not enabled (%s)", func, disabled_why);
	return -1;
}

#define LOCK_ENABLED() do { \
	pthread_mutex_lock(&vfio_lock); \
	if (check_enabled(__func__) < 0) { \
		pthread_mutex_unlock(&vfio_lock); \
		return -1; \
	} \
} while (0)

static int
fail_unlock(int err)
{
	pthread_mutex_unlock(&vfio_lock);
	rte_errno = err;
	return -1;
}

/* ------------------------------------------------------------------ */
/* public API: enable, groups, devices                                 */
/* ------------------------------------------------------------------ */

RTE_EXPORT_SYMBOL(rte_vfio_enable)
int
rte_vfio_enable(const char *modname)
{
	int ret, fd;

	if (modname == NULL) {
		EAL_LOG_ERRNO(ERR, EINVAL, "rte_vfio_enable(): NULL module name");
		return -1;
	}
	pthread_mutex_lock(&vfio_lock);
	vfio_reset();
	ret = be->module_loaded(modname);
	if (ret < 0) {
		EAL_LOG(ERR, "VFIO: cannot check for module %s: %s", modname, strerror(-ret));
		return fail_unlock(-ret);
	}
	if (ret == 0) {
		EAL_LOG(INFO, "VFIO: module %s not loaded, skipping VFIO support", modname);
		disabled_why = "the vfio module is not loaded";
		pthread_mutex_unlock(&vfio_lock);
		return 0;
	}
	if (is_secondary())
		fd = vfio_mp_request_fd(SOCKET_REQ_DEFAULT_CONTAINER, 0, "its default container");
	else
		fd = container_open();
	if (fd < 0) {
		disabled_why = is_secondary() ? "no default container from the primary process" :
			"no usable VFIO container";
		EAL_LOG(NOTICE, "VFIO: support could not be initialized: %s", disabled_why);
		pthread_mutex_unlock(&vfio_lock);
		return 0;
	}
	vfio_cfgs[DEFAULT_CFG].used = true;
	vfio_cfgs[DEFAULT_CFG].container_fd = fd;
	vfio_enabled = true;
	EAL_LOG(INFO, "VFIO support initialized");
	pthread_mutex_unlock(&vfio_lock);
	return 0;
}

RTE_EXPORT_SYMBOL(rte_vfio_is_enabled)
int
rte_vfio_is_enabled(const char *modname)
{
	if (modname == NULL || !vfio_enabled)
		return 0;
	return be->module_loaded(modname) > 0;
}

RTE_EXPORT_SYMBOL(rte_vfio_noiommu_is_enabled)
int
rte_vfio_noiommu_is_enabled(void)
{
	int ret = be->noiommu_enabled();

	if (ret < 0) {
		EAL_LOG_ERRNO(ERR, -ret, "VFIO: cannot read %s: %s", VFIO_NOIOMMU_MODE,
			strerror(-ret));
		return -1;
	}
	return ret;
}

RTE_EXPORT_SYMBOL(rte_vfio_get_group_num)
int
rte_vfio_get_group_num(const char *sysfs_base, const char *dev_addr, int *iommu_group_num)
{
	char path[PATH_MAX], link[PATH_MAX], *num, *end;
	ssize_t n;
	long val;

	if (sysfs_base == NULL || dev_addr == NULL || iommu_group_num == NULL) {
		EAL_LOG_ERRNO(ERR, EINVAL, "rte_vfio_get_group_num(): NULL argument");
		return -1;
	}
	if (snprintf(path, sizeof(path), "%s/%s/iommu_group", sysfs_base, dev_addr) >=
			(int)sizeof(path)) {
		EAL_LOG_ERRNO(ERR, ENAMETOOLONG, "VFIO: device path too long");
		return -1;
	}
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return 0; /* no IOMMU group: not a VFIO device */
	link[n] = '\0';
	num = strrchr(link, '/');
	num = num != NULL ? num + 1 : link;
	errno = 0;
	val = strtol(num, &end, 10);
	if (errno != 0 || end == num || *end != '\0' || val < 0 || val > INT_MAX) {
		EAL_LOG_ERRNO(ERR, EINVAL, "VFIO: bad IOMMU group link %s for %s", link, dev_addr);
		return -1;
	}
	*iommu_group_num = (int)val;
	return 1;
}

RTE_EXPORT_SYMBOL(rte_vfio_get_container_fd)
int
rte_vfio_get_container_fd(void)
{
	int fd;

	LOCK_ENABLED();
	fd = vfio_cfgs[DEFAULT_CFG].container_fd;
	pthread_mutex_unlock(&vfio_lock);
	return fd;
}

RTE_EXPORT_SYMBOL(rte_vfio_get_group_fd)
int
rte_vfio_get_group_fd(int iommu_group_num)
{
	struct vfio_config *cfg = &vfio_cfgs[DEFAULT_CFG];
	struct vfio_group *g;
	int err = 0, fd;

	if (iommu_group_num < 0) {
		EAL_LOG_ERRNO(ERR, EINVAL, "VFIO: bad group number %d", iommu_group_num);
		return -1;
	}
	LOCK_ENABLED();
	g = group_find(iommu_group_num, &cfg);
	if (g == NULL)
		g = group_open(cfg, iommu_group_num, &err);
	if (g == NULL) {
		pthread_mutex_unlock(&vfio_lock);
		if (err == -ENOENT)
			return 0;
		EAL_LOG_ERRNO(ERR, -err, "VFIO: cannot open group %d: %s", iommu_group_num,
			strerror(-err));
		return -1;
	}
	fd = g->fd;
	pthread_mutex_unlock(&vfio_lock);
	return fd;
}

RTE_EXPORT_SYMBOL(rte_vfio_clear_group)
int
rte_vfio_clear_group(int vfio_group_fd)
{
	struct vfio_config *cfg;
	struct vfio_group *g;

	LOCK_ENABLED();
	g = group_by_fd(vfio_group_fd, &cfg);
	if (g == NULL) {
		EAL_LOG(ERR, "VFIO: fd %d is not an open group", vfio_group_fd);
		return fail_unlock(ENOENT);
	}
	group_close(cfg, g);
	pthread_mutex_unlock(&vfio_lock);
	return 0;
}

RTE_EXPORT_SYMBOL(rte_vfio_setup_device)
int
rte_vfio_setup_device(const char *sysfs_base, const char *dev_addr, int *vfio_dev_fd,
		struct vfio_device_info *device_info)
{
	struct vfio_config *cfg = &vfio_cfgs[DEFAULT_CFG];
	struct vfio_group *g;
	int num, ret, err = 0, fd;

	if (vfio_dev_fd == NULL || device_info == NULL) {
		EAL_LOG_ERRNO(ERR, EINVAL, "rte_vfio_setup_device(): NULL argument");
		return -1;
	}
	/* as in 22.11: a device without a group is "not VFIO's" even when disabled */
	ret = rte_vfio_get_group_num(sysfs_base, dev_addr, &num);
	if (ret <= 0) {
		if (ret == 0)
			EAL_LOG(INFO, "VFIO: %s has no IOMMU group, skipping", dev_addr);
		return ret < 0 ? -1 : 1;
	}
	LOCK_ENABLED();
	g = group_find(num, &cfg);
	if (g == NULL)
		g = group_open(cfg, num, &err);
	if (g == NULL) {
		if (err == -ENOENT) {
			pthread_mutex_unlock(&vfio_lock);
			EAL_LOG(INFO, "VFIO: %s: group %d has no device, not bound to vfio",
				dev_addr, num);
			return 1;
		}
		EAL_LOG(ERR, "VFIO: %s: cannot open group %d: %s", dev_addr, num, strerror(-err));
		return fail_unlock(-err);
	}
	ret = group_attach(cfg, g);
	if (ret < 0)
		goto err_group;
	fd = be->device_open(g->fd, dev_addr);
	if (fd < 0) {
		ret = fd;
		EAL_LOG(ERR, "VFIO: %s: cannot get a device fd: %s", dev_addr, strerror(-ret));
		goto err_group;
	}
	ret = be->device_info(fd, device_info);
	if (ret < 0) {
		EAL_LOG(ERR, "VFIO: %s: cannot get device info: %s", dev_addr, strerror(-ret));
		be->close_fd(fd);
		goto err_group;
	}
	g->devices++;
	*vfio_dev_fd = fd;
	pthread_mutex_unlock(&vfio_lock);
	return 0;

err_group:
	/* a group that serves no other device goes away with this failure */
	if (g->devices == 0)
		group_close(cfg, g);
	return fail_unlock(-ret);
}

RTE_EXPORT_SYMBOL(rte_vfio_release_device)
int
rte_vfio_release_device(const char *sysfs_base, const char *dev_addr, int fd)
{
	struct vfio_config *cfg;
	struct vfio_group *g;
	int num, ret;

	ret = rte_vfio_get_group_num(sysfs_base, dev_addr, &num);
	if (ret <= 0) {
		if (ret == 0)
			EAL_LOG_ERRNO(ERR, ENODEV, "VFIO: %s has no IOMMU group", dev_addr);
		return -1;
	}
	LOCK_ENABLED();
	g = group_find(num, &cfg);
	if (g == NULL || g->devices == 0) {
		EAL_LOG(ERR, "VFIO: %s: group %d has no device set up", dev_addr, num);
		return fail_unlock(ENOENT);
	}
	be->close_fd(fd);
	if (--g->devices == 0)
		group_close(cfg, g);
	pthread_mutex_unlock(&vfio_lock);
	return 0;
}

/* ------------------------------------------------------------------ */
/* public API: containers                                              */
/* ------------------------------------------------------------------ */

RTE_EXPORT_SYMBOL(rte_vfio_container_create)
int
rte_vfio_container_create(void)
{
	int i, fd;

	LOCK_ENABLED();
	for (i = DEFAULT_CFG + 1; i < RTE_MAX_VFIO_CONTAINERS; i++)
		if (!vfio_cfgs[i].used)
			break;
	if (i == RTE_MAX_VFIO_CONTAINERS) {
		EAL_LOG(ERR, "VFIO: all %d containers in use", RTE_MAX_VFIO_CONTAINERS);
		return fail_unlock(ENOSPC);
	}
	fd = container_open();
	if (fd < 0)
		return fail_unlock(-fd);
	vfio_cfgs[i].used = true;
	vfio_cfgs[i].container_fd = fd;
	pthread_mutex_unlock(&vfio_lock);
	return fd;
}

RTE_EXPORT_SYMBOL(rte_vfio_container_destroy)
int
rte_vfio_container_destroy(int container_fd)
{
	struct vfio_config *cfg;

	LOCK_ENABLED();
	cfg = cfg_by_container_fd(container_fd);
	if (cfg == NULL || cfg == &vfio_cfgs[DEFAULT_CFG]) {
		EAL_LOG(ERR, "VFIO: fd %d is not a created container", container_fd);
		return fail_unlock(EINVAL);
	}
	cfg_close(cfg);
	pthread_mutex_unlock(&vfio_lock);
	return 0;
}

RTE_EXPORT_SYMBOL(rte_vfio_container_group_bind)
int
rte_vfio_container_group_bind(int container_fd, int iommu_group_num)
{
	struct vfio_config *cfg, *other;
	struct vfio_group *g;
	int err = 0;

	if (iommu_group_num < 0) {
		EAL_LOG_ERRNO(ERR, EINVAL, "VFIO: bad group number %d", iommu_group_num);
		return -1;
	}
	LOCK_ENABLED();
	cfg = cfg_by_container_fd(container_fd);
	if (cfg == NULL) {
		EAL_LOG(ERR, "VFIO: fd %d is not a container", container_fd);
		return fail_unlock(EINVAL);
	}
	g = group_find(iommu_group_num, &other);
	if (g != NULL && other != cfg) {
		EAL_LOG(ERR, "VFIO: group %d belongs to another container", iommu_group_num);
		return fail_unlock(EBUSY);
	}
	if (g == NULL)
		g = group_open(cfg, iommu_group_num, &err);
	if (g == NULL) {
		EAL_LOG(ERR, "VFIO: cannot open group %d: %s", iommu_group_num, strerror(-err));
		return fail_unlock(-err);
	}
	err = g->fd;
	pthread_mutex_unlock(&vfio_lock);
	return err;
}

RTE_EXPORT_SYMBOL(rte_vfio_container_group_unbind)
int
rte_vfio_container_group_unbind(int container_fd, int iommu_group_num)
{
	struct vfio_config *cfg;
	struct vfio_group *g;

	LOCK_ENABLED();
	cfg = cfg_by_container_fd(container_fd);
	if (cfg == NULL) {
		EAL_LOG(ERR, "VFIO: fd %d is not a container", container_fd);
		return fail_unlock(EINVAL);
	}
	g = group_by_num(cfg, iommu_group_num);
	if (g == NULL || iommu_group_num < 0) {
		EAL_LOG(ERR, "VFIO: group %d is not in container %d", iommu_group_num,
			container_fd);
		return fail_unlock(ENOENT);
	}
	group_close(cfg, g);
	pthread_mutex_unlock(&vfio_lock);
	return 0;
}

/* ------------------------------------------------------------------ */
/* public API: user DMA mappings                                       */
/* ------------------------------------------------------------------ */

/*
 * Unmap [vaddr, vaddr + len) inside entry @p m from the IOMMU and the
 * table. A type1 IOMMU removes every mapping the range touches, whole;
 * so the entry is unmapped whole and what must stay is mapped again.
 * @return 0 or -errno (the table then no longer lists what failed).
 */
static int
user_unmap(struct vfio_config *cfg, struct vfio_user_map *m, uint64_t vaddr, uint64_t len)
{
	struct vfio_user_map keep[2], scratch[2], whole = *m;
	int i, n, ret = 0;

	if (cfg->iommu != NULL) {
		ret = iommu_unmap(cfg, whole.iova, whole.len);
		if (ret < 0)
			return ret;
	}
	n = vfio_maps_cut(&cfg->maps, m, vaddr, len, keep);
	for (i = 0; i < n && cfg->iommu != NULL; i++) {
		int r = iommu_map(cfg, keep[i].addr, keep[i].iova, keep[i].len);

		if (r < 0) {
			struct vfio_user_map *gone = vfio_maps_find(&cfg->maps, keep[i].addr,
				keep[i].iova, keep[i].len);

			vfio_maps_cut(&cfg->maps, gone, keep[i].addr, keep[i].len, scratch);
			ret = r;
		}
	}
	return ret;
}

static bool
range_wraps(uint64_t vaddr, uint64_t iova, uint64_t len)
{
	return vaddr + len < vaddr || iova + len < iova;
}

/*
 * Common checks of the user map calls. @return the container with
 * vfio_lock held, or NULL with rte_errno set and the lock released.
 */
static struct vfio_config *
user_map_lock(int container_fd, uint64_t vaddr, uint64_t iova, uint64_t len)
{
	struct vfio_config *cfg;

	if (len == 0 || range_wraps(vaddr, iova, len)) {
		EAL_LOG_ERRNO(ERR, EINVAL, "VFIO: bad DMA range (len 0x%" PRIx64 ")", len);
		return NULL;
	}
	pthread_mutex_lock(&vfio_lock);
	if (check_enabled("rte_vfio_container_dma_map/unmap") < 0)
		goto err_unlock;
	cfg = cfg_by_container_fd(container_fd);
	if (cfg == NULL) {
		EAL_LOG_ERRNO(ERR, EINVAL, "VFIO: fd %d is not a container", container_fd);
		goto err_unlock;
	}
	/* a split on unmap needs a free slot too */
	if (vfio_maps_reserve(&cfg->maps, 1) < 0) {
		EAL_LOG_ERRNO(ERR, ENOMEM, "VFIO: no memory for a DMA map entry");
		goto err_unlock;
	}
	return cfg;

err_unlock:
	pthread_mutex_unlock(&vfio_lock);
	return NULL;
}

RTE_EXPORT_SYMBOL(rte_vfio_container_dma_map)
int
rte_vfio_container_dma_map(int container_fd, uint64_t vaddr, uint64_t iova, uint64_t len)
{
	struct vfio_config *cfg = user_map_lock(container_fd, vaddr, iova, len);
	int ret;

	if (cfg == NULL)
		return -1;
	if (cfg->iommu == NULL) {
		EAL_LOG(ERR, "VFIO: no device in container %d yet, cannot map for DMA",
			container_fd);
		return fail_unlock(ENODEV);
	}
	ret = iommu_map(cfg, vaddr, iova, len);
	if (ret < 0)
		return fail_unlock(-ret);
	cfg->maps.maps[cfg->maps.n++] = (struct vfio_user_map){ .addr = vaddr, .iova = iova,
		.len = len };
	vfio_maps_compact(&cfg->maps);
	pthread_mutex_unlock(&vfio_lock);
	return 0;
}

RTE_EXPORT_SYMBOL(rte_vfio_container_dma_unmap)
int
rte_vfio_container_dma_unmap(int container_fd, uint64_t vaddr, uint64_t iova, uint64_t len)
{
	struct vfio_config *cfg = user_map_lock(container_fd, vaddr, iova, len);
	struct vfio_user_map *m;
	int ret;

	if (cfg == NULL)
		return -1;
	m = vfio_maps_find(&cfg->maps, vaddr, iova, len);
	if (m == NULL) {
		EAL_LOG(ERR, "VFIO: IOVA 0x%" PRIx64 " len 0x%" PRIx64
			" is not inside one DMA mapping", iova, len);
		return fail_unlock(EINVAL);
	}
	ret = user_unmap(cfg, m, vaddr, len);
	if (ret < 0)
		return fail_unlock(-ret);
	pthread_mutex_unlock(&vfio_lock);
	return 0;
}

/* ------------------------------------------------------------------ */
/* primary: answers to secondaries (eal_vfio_mp_sync.c)                */
/* ------------------------------------------------------------------ */

/*
 * The IPC thread must not wait for vfio_lock for ever: the holder may be
 * waiting for the hotplug lock held by a secondary that in turn waits for
 * this thread to serve its memory request.
 */
static int
ipc_lock(void)
{
	struct timespec dl;
	int ret;

	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += 1;
	ret = pthread_mutex_timedlock(&vfio_lock, &dl);
	if (ret != 0) {
		EAL_LOG(ERR, "VFIO: tables busy, cannot serve a secondary: %s", strerror(ret));
		return -EBUSY;
	}
	if (!vfio_enabled) {
		pthread_mutex_unlock(&vfio_lock);
		EAL_LOG(ERR, "VFIO: a secondary asked for VFIO, which is disabled here (%s)",
			disabled_why);
		return -ENODEV;
	}
	return 0;
}

/* @return a duplicate of @p fd for the answer, or -errno. */
static int
dup_for_ipc(int fd)
{
	int d = fcntl(fd, F_DUPFD_CLOEXEC, 0);

	return d < 0 ? -errno : d;
}

int
vfio_mp_default_container(void)
{
	int ret = ipc_lock();

	if (ret < 0)
		return ret;
	ret = dup_for_ipc(vfio_cfgs[DEFAULT_CFG].container_fd);
	pthread_mutex_unlock(&vfio_lock);
	return ret;
}

int
vfio_mp_new_container(void)
{
	int ret = ipc_lock();

	if (ret < 0)
		return ret;
	pthread_mutex_unlock(&vfio_lock);
	/* not in any table: it is the secondary's */
	return container_open();
}

int
vfio_mp_group(int group_num)
{
	struct vfio_config *cfg = &vfio_cfgs[DEFAULT_CFG];
	struct vfio_group *g;
	int err = 0, ret = ipc_lock();

	if (ret < 0)
		return ret;
	/* kept open here, as rte_vfio_get_group_fd() does */
	g = group_find(group_num, &cfg);
	if (g == NULL)
		g = group_open(cfg, group_num, &err);
	ret = g != NULL ? dup_for_ipc(g->fd) : err;
	pthread_mutex_unlock(&vfio_lock);
	return ret;
}

int
vfio_mp_iommu_type(void)
{
	const struct vfio_iommu_type *t;
	int ret = ipc_lock();

	if (ret < 0)
		return ret;
	t = vfio_cfgs[DEFAULT_CFG].iommu;
	pthread_mutex_unlock(&vfio_lock);
	return t != NULL ? t->type_id : -ENODEV;
}

/* ------------------------------------------------------------------ */
/* EAL init and cleanup                                                */
/* ------------------------------------------------------------------ */

int
rte_eal_vfio_setup(void)
{
	int ret;

	if (rte_vfio_enable("vfio") < 0)
		return -1;
	/* served even without VFIO, so that secondaries learn why they have none */
	ret = vfio_mp_sync_setup();
	if (ret < 0) {
		rte_errno = -ret;
		return -1;
	}
	return 0;
}

void
rte_eal_vfio_cleanup(void)
{
	vfio_mp_sync_cleanup();
	pthread_mutex_lock(&vfio_lock);
	vfio_reset();
	pthread_mutex_unlock(&vfio_lock);
}
