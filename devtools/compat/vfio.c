/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Source-compatibility probe for rte_vfio.h (see eal_lcore.c), on a
 * machine without the vfio module: every call is made and its return
 * value printed; rte_errno and logs are not compared.
 */

#include <stdio.h>

#include <rte_eal.h>
#include <rte_vfio.h>

#define SYSFS "/sys/bus/pci/devices"
#define NODEV "0000:ff:1f.7"

int
main(int argc, char **argv)
{
	struct vfio_device_info info;
	int fd = -1, num = -1;

	if (rte_eal_init(argc, argv) < 0) {
		printf("rte_eal_init failed\n");
		return 1;
	}
	printf("RTE_VFIO_DEFAULT_CONTAINER_FD %d\n", RTE_VFIO_DEFAULT_CONTAINER_FD);
	printf("is_enabled(vfio) %d\n", rte_vfio_is_enabled("vfio"));
	printf("noiommu_is_enabled %d\n", rte_vfio_noiommu_is_enabled());
	printf("get_group_num(no device) %d\n", rte_vfio_get_group_num(SYSFS, NODEV, &num));
	printf("get_container_fd < 0: %d\n", rte_vfio_get_container_fd() < 0);
	printf("container_create < 0: %d\n", rte_vfio_container_create() < 0);
	printf("container_destroy(99) %d\n", rte_vfio_container_destroy(99));
	printf("container_group_bind < 0: %d\n",
		rte_vfio_container_group_bind(RTE_VFIO_DEFAULT_CONTAINER_FD, 1) < 0);
	printf("container_group_unbind %d\n",
		rte_vfio_container_group_unbind(RTE_VFIO_DEFAULT_CONTAINER_FD, 1));
	printf("container_dma_map %d\n", rte_vfio_container_dma_map(
		RTE_VFIO_DEFAULT_CONTAINER_FD, 0x10000000, 0x10000000, 4096));
	printf("container_dma_unmap %d\n", rte_vfio_container_dma_unmap(
		RTE_VFIO_DEFAULT_CONTAINER_FD, 0x10000000, 0x10000000, 4096));
	printf("clear_group(99) %d\n", rte_vfio_clear_group(99));
	printf("setup_device(no device) %d\n", rte_vfio_setup_device(SYSFS, NODEV, &fd, &info));
	printf("release_device(no device) %d\n", rte_vfio_release_device(SYSFS, NODEV, 99));
	rte_eal_cleanup();
	return 0;
}
