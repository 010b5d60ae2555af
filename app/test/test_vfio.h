/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _TEST_VFIO_H_
#define _TEST_VFIO_H_

/*
 * Pieces shared by the VFIO tests (test_vfio.c, test_vfio_mp.c,
 * test_vfio_edu.c), defined in test_vfio.c unless said otherwise.
 */

#include <stddef.h>

#include <rte_errno.h>
#include <rte_vfio.h>

/* @p call must return -1 with rte_errno @p err. */
#define ASSERT_FAILS_WITH(call, err) do { \
	rte_errno = 0; \
	TEST_ASSERT_EQUAL((call), -1, #call " did not fail"); \
	TEST_ASSERT_EQUAL(rte_errno, (err), #call ": rte_errno %d, want %d", rte_errno, (err)); \
} while (0)

/* A PCI device of the fake sysfs; group < 0: it has no IOMMU group. */
struct vfio_test_dev {
	const char *bdf;
	int group;
};

/*
 * Make a fake sysfs in a new temporary directory (its path goes to
 * @p dir): <dir>/<bdf>/iommu_group -> .../iommu_groups/<group> for each
 * of the @p n devices. @return 0, or -1 with nothing left behind.
 */
int vfio_test_sysfs_create(char *dir, size_t len, const struct vfio_test_dev *devs,
		unsigned int n);
void vfio_test_sysfs_remove(const char *dir, const struct vfio_test_dev *devs, unsigned int n);

/* Backend calls whose answer never changes: no no-IOMMU mode, the current
 * API version, type 1 only, and a PCI device with 9 regions. */
int vfio_fake_noiommu_enabled(void);
int vfio_fake_api_version(int fd);
int vfio_fake_check_extension(int fd, int type);
int vfio_fake_device_info(int fd, struct vfio_device_info *info);

/*
 * Run dpdk-test as a secondary of this process (same --file-prefix and
 * --huge-dir), with DPDK_TEST=@p command and the "NAME=VALUE" strings of
 * @p env (NULL-terminated) in its environment. Defined in test_vfio_mp.c.
 * @return its exit status, or -1 (it died, or was still running after
 * @p timeout_s seconds and was killed).
 */
int vfio_test_run_secondary(const char *command, const char *const *env, int timeout_s);

#endif /* _TEST_VFIO_H_ */
