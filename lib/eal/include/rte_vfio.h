/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_VFIO_H_
#define _RTE_VFIO_H_

/**
 * @file
 * VFIO: give devices DMA access to EAL memory through the IOMMU.
 *
 * A container holds an IOMMU context; IOMMU groups are bound to it, and
 * what is mapped in the container is visible to every device of its
 * groups. The default container (RTE_VFIO_DEFAULT_CONTAINER_FD) follows
 * the EAL's memory: once a group is attached to it, every page the EAL
 * maps is mapped for DMA and every page it unmaps is unmapped again.
 *
 * Without the vfio kernel module, VFIO is disabled: EAL init goes on and
 * every function here fails with rte_errno ENODEV.
 */

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if !defined(VFIO_PRESENT) && defined(__linux__)
#define VFIO_PRESENT
#endif

#ifdef VFIO_PRESENT

#include <linux/vfio.h>

/** Directory of the VFIO character devices. */
#define VFIO_DIR "/dev/vfio"
/** The container device. */
#define VFIO_CONTAINER_PATH "/dev/vfio/vfio"
/** A group device, by IOMMU group number. */
#define VFIO_GROUP_FMT "/dev/vfio/%u"
/** A group device in no-IOMMU mode. */
#define VFIO_NOIOMMU_GROUP_FMT "/dev/vfio/noiommu-%u"
/** Offset of a device region in the device fd, by region index. */
#define VFIO_GET_REGION_ADDR(x) ((uint64_t)(x) << 40ULL)
/** Region index of a device fd offset. */
#define VFIO_GET_REGION_IDX(x) ((x) >> 40)
/** The vfio module parameter that enables no-IOMMU mode. */
#define VFIO_NOIOMMU_MODE \
	"/sys/module/vfio/parameters/enable_unsafe_noiommu_mode"

#ifdef VFIO_NOIOMMU_IOMMU
#define RTE_VFIO_NOIOMMU VFIO_NOIOMMU_IOMMU
#else
/** IOMMU type of no-IOMMU mode. */
#define RTE_VFIO_NOIOMMU 8
#endif

#ifdef VFIO_REGION_INFO_FLAG_CAPS
#define RTE_VFIO_INFO_FLAG_CAPS VFIO_REGION_INFO_FLAG_CAPS
#define VFIO_CAP_OFFSET(x) ((x)->cap_offset)
#else
#define RTE_VFIO_INFO_FLAG_CAPS (1 << 3)
#define VFIO_CAP_OFFSET(x) ((x)->resv)
struct vfio_info_cap_header {
	uint16_t id;
	uint16_t version;
	uint32_t next;
};
#endif

#ifdef VFIO_REGION_INFO_CAP_MSIX_MAPPABLE
#define RTE_VFIO_CAP_MSIX_MAPPABLE VFIO_REGION_INFO_CAP_MSIX_MAPPABLE
#else
#define RTE_VFIO_CAP_MSIX_MAPPABLE 3
#endif

#else /* !VFIO_PRESENT */

/* only pointers to it are used */
struct vfio_device_info;

#endif /* VFIO_PRESENT */

/** Stands for the default container in the rte_vfio_container_* calls. */
#define RTE_VFIO_DEFAULT_CONTAINER_FD (-1)

/**
 * Bind a device's IOMMU group to the default container and get a device fd.
 *
 * The first group bound to a container chooses its IOMMU type; for the
 * default container all EAL memory is then mapped for DMA and kept mapped
 * as pages come and go.
 *
 * @param sysfs_base
 *   Sysfs directory of the devices, e.g. "/sys/bus/pci/devices".
 * @param dev_addr
 *   Device name in that directory, e.g. "0000:00:10.0".
 * @param vfio_dev_fd
 *   Receives the device fd.
 * @param device_info
 *   Receives the device information.
 * @return
 *   0 on success; 1 if the device is not managed by VFIO (no IOMMU group
 *   or no group device); -1 on error with rte_errno set.
 */
int rte_vfio_setup_device(const char *sysfs_base, const char *dev_addr,
		int *vfio_dev_fd, struct vfio_device_info *device_info);

/**
 * Close a device fd obtained with rte_vfio_setup_device(); the group is
 * released when its last device goes.
 *
 * @return 0, or -1 with rte_errno set (ENODEV: no IOMMU group or VFIO
 *   disabled; ENOENT: the device was not set up).
 */
int rte_vfio_release_device(const char *sysfs_base, const char *dev_addr, int fd);

/**
 * Enable VFIO if kernel module @p modname is loaded; called by the EAL at
 * init. Resets all VFIO state of this process first.
 *
 * @return 0 (also when the module is absent: VFIO then stays disabled),
 *   -1 if module presence cannot be checked at all.
 */
int rte_vfio_enable(const char *modname);

/** @return 1 if VFIO is enabled and @p modname is loaded, else 0. */
int rte_vfio_is_enabled(const char *modname);

/** @return 1 if no-IOMMU mode is on, 0 if off, -1 if it cannot be read. */
int rte_vfio_noiommu_is_enabled(void);

/**
 * Forget a group opened through this API and close its fd.
 *
 * @return 0, or -1 with rte_errno set (ENOENT: unknown group fd).
 */
int rte_vfio_clear_group(int vfio_group_fd);

/**
 * Read a device's IOMMU group number from sysfs.
 *
 * @return 1 if found (stored in @p iommu_group_num), 0 if the device has
 *   no IOMMU group, -1 on error.
 */
int rte_vfio_get_group_num(const char *sysfs_base, const char *dev_addr,
		int *iommu_group_num);

/** @return the fd of the default container, or -1 with rte_errno set. */
int rte_vfio_get_container_fd(void);

/**
 * Open (or return the already open) fd of a group in the default container.
 *
 * @return the group fd, 0 if the group device does not exist, or -1.
 */
int rte_vfio_get_group_fd(int iommu_group_num);

/** @return the fd of a new, empty container, or -1 with rte_errno set. */
int rte_vfio_container_create(void);

/**
 * Close a container made with rte_vfio_container_create() and its groups.
 *
 * @return 0, or -1 with rte_errno set.
 */
int rte_vfio_container_destroy(int container_fd);

/**
 * Open IOMMU group @p iommu_group_num for @p container_fd (it is attached
 * to the container when a device of it is set up).
 *
 * @return the group fd, or -1 with rte_errno set.
 */
int rte_vfio_container_group_bind(int container_fd, int iommu_group_num);

/**
 * Close group @p iommu_group_num of @p container_fd.
 *
 * @return 0, or -1 with rte_errno set.
 */
int rte_vfio_container_group_unbind(int container_fd, int iommu_group_num);

/**
 * Map memory that is not EAL memory for DMA in a container.
 *
 * @param container_fd
 *   A container, or RTE_VFIO_DEFAULT_CONTAINER_FD.
 * @param vaddr
 *   Start VA.
 * @param iova
 *   Start IOVA.
 * @param len
 *   Length in bytes.
 * @return 0, or -1 with rte_errno: EINVAL (bad container or len 0),
 *   ENODEV (no device bound yet, so no IOMMU type), ENOTSUP (IOMMU type
 *   without DMA mapping), ENOMEM, or the kernel's error.
 */
int rte_vfio_container_dma_map(int container_fd, uint64_t vaddr,
		uint64_t iova, uint64_t len);

/**
 * Undo part or all of one rte_vfio_container_dma_map() range.
 *
 * @return 0, or -1 with rte_errno: EINVAL (bad container, len 0, or the
 *   range is not inside one mapped range), ENOMEM, or the kernel's error.
 */
int rte_vfio_container_dma_unmap(int container_fd, uint64_t vaddr,
		uint64_t iova, uint64_t len);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_VFIO_H_ */
