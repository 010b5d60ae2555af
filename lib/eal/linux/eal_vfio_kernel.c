/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The VFIO backend that talks to the kernel: one small function per
 * ioctl, each returning -errno on failure (see eal_vfio.h).
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_vfio.h>

#include "eal_vfio.h"

static int
kern_module_loaded(const char *modname)
{
	char path[PATH_MAX];
	struct stat st;

	if (stat("/sys/module", &st) != 0)
		return -errno;
	snprintf(path, sizeof(path), "/sys/module/%s", modname);
	return stat(path, &st) == 0 ? 1 : 0;
}

static int
kern_noiommu_enabled(void)
{
	char c = 0;
	int fd = open(VFIO_NOIOMMU_MODE, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	n = read(fd, &c, 1);
	close(fd);
	if (n != 1)
		return -EIO;
	return c == 'Y' || c == 'y' || c == '1';
}

static int
kern_open(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static int
kern_container_open(void)
{
	return kern_open(VFIO_CONTAINER_PATH);
}

static int
kern_group_open(int num)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), VFIO_GROUP_FMT, (unsigned int)num);
	fd = kern_open(path);
	if (fd != -ENOENT)
		return fd;
	snprintf(path, sizeof(path), VFIO_NOIOMMU_GROUP_FMT, (unsigned int)num);
	return kern_open(path);
}

static void
kern_close_fd(int fd)
{
	close(fd);
}

static int
kern_ioctl(int fd, unsigned long req, unsigned long arg)
{
	int ret = ioctl(fd, req, arg);

	return ret < 0 ? -errno : ret;
}

static int
kern_api_version(int container_fd)
{
	return kern_ioctl(container_fd, VFIO_GET_API_VERSION, 0);
}

static int
kern_check_extension(int container_fd, int type)
{
	return kern_ioctl(container_fd, VFIO_CHECK_EXTENSION, (unsigned long)type);
}

static int
kern_set_iommu(int container_fd, int type)
{
	return kern_ioctl(container_fd, VFIO_SET_IOMMU, (unsigned long)type);
}

static int
kern_group_status(int group_fd, uint32_t *flags)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	int ret = kern_ioctl(group_fd, VFIO_GROUP_GET_STATUS, (unsigned long)&st);

	*flags = st.flags;
	return ret < 0 ? ret : 0;
}

static int
kern_group_set_container(int group_fd, int container_fd)
{
	int ret = kern_ioctl(group_fd, VFIO_GROUP_SET_CONTAINER, (unsigned long)&container_fd);

	return ret < 0 ? ret : 0;
}

static int
kern_group_unset_container(int group_fd)
{
	int ret = kern_ioctl(group_fd, VFIO_GROUP_UNSET_CONTAINER, 0);

	return ret < 0 ? ret : 0;
}

static int
kern_device_open(int group_fd, const char *dev_addr)
{
	return kern_ioctl(group_fd, VFIO_GROUP_GET_DEVICE_FD, (unsigned long)dev_addr);
}

static int
kern_device_info(int device_fd, struct vfio_device_info *info)
{
	int ret;

	info->argsz = sizeof(*info);
	ret = kern_ioctl(device_fd, VFIO_DEVICE_GET_INFO, (unsigned long)info);
	return ret < 0 ? ret : 0;
}

static int
kern_dma_map(int container_fd, uint64_t vaddr, uint64_t iova, uint64_t len)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = vaddr,
		.iova = iova,
		.size = len,
	};
	int ret = kern_ioctl(container_fd, VFIO_IOMMU_MAP_DMA, (unsigned long)&m);

	return ret < 0 ? ret : 0;
}

static int
kern_dma_unmap(int container_fd, uint64_t iova, uint64_t len)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u),
		.iova = iova,
		.size = len,
	};
	int ret = kern_ioctl(container_fd, VFIO_IOMMU_UNMAP_DMA, (unsigned long)&u);

	if (ret < 0)
		return ret;
	/* the kernel reports success when nothing was mapped there */
	return u.size == 0 ? -ENOENT : 0;
}

const struct vfio_backend vfio_kernel_backend = {
	.module_loaded = kern_module_loaded,
	.noiommu_enabled = kern_noiommu_enabled,
	.container_open = kern_container_open,
	.group_open = kern_group_open,
	.close_fd = kern_close_fd,
	.api_version = kern_api_version,
	.check_extension = kern_check_extension,
	.set_iommu = kern_set_iommu,
	.group_status = kern_group_status,
	.group_set_container = kern_group_set_container,
	.group_unset_container = kern_group_unset_container,
	.device_open = kern_device_open,
	.device_info = kern_device_info,
	.dma_map = kern_dma_map,
	.dma_unmap = kern_dma_unmap,
};

