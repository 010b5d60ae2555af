/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _EAL_VFIO_H_
#define _EAL_VFIO_H_

/*
 * Internal side of rte_vfio.h. Every kernel interaction goes through a
 * struct vfio_backend, so that the container/group bookkeeping and the
 * DMA mapping driven by memory events can be tested on a machine without
 * VFIO by a fake backend that records the calls.
 *
 * Backend convention: functions return an fd or 0 on success and -errno
 * on failure, except where stated.
 */

#include <stdint.h>

#include <rte_memory.h>
#include <rte_vfio.h>

struct vfio_device_info;

struct vfio_backend {
	/* @return 1 if kernel module @p modname is loaded, 0 if not, -errno
	 * if that cannot be told (no /sys/module). */
	int (*module_loaded)(const char *modname);
	/* @return 1 if no-IOMMU mode is on, 0 if off, -errno if unreadable. */
	int (*noiommu_enabled)(void);
	int (*container_open)(void);
	/* Open group @p num; -ENOENT if it has no group device. */
	int (*group_open)(int num);
	void (*close_fd)(int fd);
	/* @return the API version (VFIO_API_VERSION) or -errno. */
	int (*api_version)(int container_fd);
	/* @return > 0 if IOMMU @p type is available, 0 if not, -errno. */
	int (*check_extension)(int container_fd, int type);
	int (*set_iommu)(int container_fd, int type);
	/* Stores VFIO_GROUP_FLAGS_* in @p flags. */
	int (*group_status)(int group_fd, uint32_t *flags);
	int (*group_set_container)(int group_fd, int container_fd);
	int (*group_unset_container)(int group_fd);
	int (*device_open)(int group_fd, const char *dev_addr);
	int (*device_info)(int device_fd, struct vfio_device_info *info);
	/* One VFIO_IOMMU_MAP_DMA, read and write. */
	int (*dma_map)(int container_fd, uint64_t vaddr, uint64_t iova, uint64_t len);
	/* One VFIO_IOMMU_UNMAP_DMA. */
	int (*dma_unmap)(int container_fd, uint64_t iova, uint64_t len);
};

/* The backend that talks to the kernel. */
extern const struct vfio_backend vfio_kernel_backend;

/*
 * Use @p be for everything from now on (NULL: the kernel backend).
 * Meant to be followed by rte_vfio_enable(), which resets all state.
 * @return the backend used so far.
 */
const struct vfio_backend *eal_vfio_set_backend(const struct vfio_backend *be);

/*
 * User DMA mappings of a container (eal_vfio_maps.c): sorted by IOVA,
 * neighbours contiguous in both VA and IOVA merged; grows as needed.
 */
struct vfio_user_map {
	uint64_t addr;
	uint64_t iova;
	uint64_t len;
};

struct vfio_map_table {
	struct vfio_user_map *maps;
	unsigned int n;
	unsigned int cap;
};

/* Make room for @p extra more entries. @return 0 or -ENOMEM. */
int vfio_maps_reserve(struct vfio_map_table *t, unsigned int extra);
/* Sort, then merge neighbours (after entries were appended). */
void vfio_maps_compact(struct vfio_map_table *t);
/* @return the entry that holds the whole range, or NULL. */
struct vfio_user_map *vfio_maps_find(struct vfio_map_table *t, uint64_t vaddr, uint64_t iova,
		uint64_t len);
/*
 * Take [vaddr, vaddr + len) out of entry @p m (room for a split must be
 * reserved) and report the pieces that stay in @p keep.
 * @return the number of pieces (0-2).
 */
int vfio_maps_cut(struct vfio_map_table *t, struct vfio_user_map *m, uint64_t vaddr,
		uint64_t len, struct vfio_user_map keep[2]);
void vfio_maps_free(struct vfio_map_table *t);

/* DMA map/unmap outcomes since the last rte_vfio_enable(). */
struct vfio_dma_stats {
	uint64_t maps;          /* successful map calls (EEXIST included) */
	uint64_t map_failures;  /* map calls the kernel refused */
	uint64_t map_exists;    /* of the maps: the kernel said EEXIST */
	uint64_t unmaps;        /* successful unmap calls */
	uint64_t unmap_failures;
};

/* Copy the counters of the default container's memory mapping. */
void eal_vfio_get_dma_stats(struct vfio_dma_stats *st);

/*
 * The memory event callback registered for the default container
 * ("vfio_mem_event_clb"). Exposed so that tests can feed it events.
 */
void vfio_mem_event_clb(enum rte_mem_event type, const void *addr, size_t len, void *arg);

/* rte_eal_init(): enable VFIO. @return 0 or -1 (rte_errno set). */
int rte_eal_vfio_setup(void);

/* rte_eal_cleanup(): close every fd, unregister callbacks, free tables. */
void rte_eal_vfio_cleanup(void);

/* ------------------------------------------------------------------ */
/* multi-process (eal_vfio_mp_sync.c)                                  */
/* ------------------------------------------------------------------ */

/*
 * A secondary process works in the primary's default container: it asks
 * the primary (IPC action EAL_VFIO_MP) for the container fd and for group
 * fds, and for the container's IOMMU type. Only the primary maps memory
 * in the default container; the shared memory is the same in both
 * processes, so one mapping serves all of them.
 */
#define EAL_VFIO_MP "eal_vfio_mp_sync"

/* Requests (vfio_mp_param.req), as in DPDK 22.11. */
#define SOCKET_REQ_CONTAINER 0x100          /* a new container of its own */
#define SOCKET_REQ_GROUP 0x200              /* the fd of group_num */
#define SOCKET_REQ_DEFAULT_CONTAINER 0x400  /* the primary's default container */
#define SOCKET_REQ_IOMMU_TYPE 0x800         /* the default container's IOMMU type */

/* Results (vfio_mp_param.result). */
#define SOCKET_OK 0x0
#define SOCKET_NO_FD 0x1   /* SOCKET_REQ_GROUP: the group has no VFIO device node */
#define SOCKET_ERR 0xFF

struct vfio_mp_param {
	int req;
	int result;
	union {
		int group_num;      /* SOCKET_REQ_GROUP */
		int iommu_type_id;  /* SOCKET_REQ_IOMMU_TYPE answer */
	};
};

/* Primary: serve EAL_VFIO_MP. @return 0 or -errno. */
int vfio_mp_sync_setup(void);
void vfio_mp_sync_cleanup(void);

/*
 * Secondary: send request @p req (@p group_num for SOCKET_REQ_GROUP) to
 * the primary and wait for the answer.
 * @return the answer's result (SOCKET_OK, SOCKET_NO_FD, SOCKET_ERR), with
 * the fd passed in *fd (-1 if none; the caller owns it) and the IOMMU type
 * in *type_id (if not NULL); or -errno when no valid answer came
 * (-ENOTSUP: the primary does not serve VFIO requests, -EPROTO: malformed
 * answer, others from rte_mp_request_sync()).
 */
int vfio_mp_request(int req, int group_num, int *fd, int *type_id);

/*
 * Secondary: ask the primary for an fd (@p req: SOCKET_REQ_*; @p what
 * names it in the log). @return the fd, -ENOENT (SOCKET_NO_FD), -EIO (the
 * primary failed) or -errno when no answer came.
 */
int vfio_mp_request_fd(int req, int group_num, const char *what);

/* Secondary: @return the IOMMU type of the primary's default container,
 * -ENODEV if it has none yet, or -errno. */
int vfio_mp_request_iommu_type(void);

/*
 * Primary: what the answers are made of. The fd ones return a new fd
 * that the caller closes, or -errno (-ENODEV: VFIO is disabled; -EBUSY:
 * the VFIO tables stayed locked too long).
 */
int vfio_mp_default_container(void);
int vfio_mp_new_container(void);
/* @return the fd, -ENOENT if the group has no VFIO device node, -errno. */
int vfio_mp_group(int group_num);
/* @return the IOMMU type id, -ENODEV if no group is attached yet. */
int vfio_mp_iommu_type(void);

#endif /* _EAL_VFIO_H_ */
