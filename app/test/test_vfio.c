/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * VFIO tests on a host without VFIO: a fake backend stands in for the
 * kernel. It models what matters of the type1 IOMMU (a set of mappings
 * that refuses overlaps with EEXIST and reports unmaps of nothing) and
 * records every call, so that the tests can check exactly which DMA
 * mappings the EAL asked for.
 *
 * The real-device test (vfio_edu_autotest) lives in test_vfio_edu.c and
 * runs in a QEMU guest (devtools/vm).
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_random.h>
#include <rte_vfio.h>

#include "eal_memalloc.h"
#include "eal_vfio.h"
#include "test.h"
#include "test_vfio.h"

#define FAKE_GROUP 5
#define FAKE_GROUP_NODEV 99     /* sysfs has it, /dev/vfio does not */
#define FAKE_GROUP_NOT_VIABLE 6
#define FAKE_MAX_MAPS 8192
#define FAKE_MAX_FDS 1024

enum fake_op { OP_MAP, OP_UNMAP, OP_SET_IOMMU };

struct fake_call {
	enum fake_op op;
	uint64_t vaddr, iova, len;
};

struct fake_map {
	uint64_t vaddr, iova, len;
};

static struct {
	int module;             /* module_loaded() result */
	int next_fd;
	int open_fds;
	bool container_set[FAKE_MAX_FDS];
	int group_of_fd[FAKE_MAX_FDS];
	int iommu_type;         /* set_iommu() argument, 0 = none */
	int map_fail_errno;     /* != 0: dma_map fails with it */
	int calls_before_fail;  /* dma_map calls that still succeed */
	struct fake_call *calls;
	unsigned int n_calls;
	struct fake_map maps[FAKE_MAX_MAPS];
	unsigned int n_maps;
} fake;

static char sysfs_dir[PATH_MAX];

static void
record(enum fake_op op, uint64_t vaddr, uint64_t iova, uint64_t len)
{
	struct fake_call *c = realloc(fake.calls, (fake.n_calls + 1) * sizeof(*c));

	if (c == NULL)
		abort();
	fake.calls = c;
	c[fake.n_calls++] = (struct fake_call){ op, vaddr, iova, len };
}

static int
fake_fd(int group)
{
	int fd = fake.next_fd++;

	if (fd >= FAKE_MAX_FDS)
		return -EMFILE;
	fake.open_fds++;
	fake.group_of_fd[fd] = group;
	fake.container_set[fd] = false;
	return fd;
}

static int
fake_module_loaded(const char *modname)
{
	return strcmp(modname, "vfio") == 0 ? fake.module : 0;
}

int
vfio_fake_noiommu_enabled(void)
{
	return 0;
}

static int
fake_container_open(void)
{
	return fake_fd(-1);
}

static int
fake_group_open(int num)
{
	return num == FAKE_GROUP_NODEV ? -ENOENT : fake_fd(num);
}

/* A group leaves its container; the last one takes the IOMMU context. */
static void
fake_detach(int group_fd)
{
	int fd;

	if (!fake.container_set[group_fd])
		return;
	fake.container_set[group_fd] = false;
	for (fd = 0; fd < FAKE_MAX_FDS; fd++)
		if (fake.container_set[fd])
			return;
	fake.iommu_type = 0;
	fake.n_maps = 0;
}

static void
fake_close_fd(int fd)
{
	fake.open_fds--;
	fake_detach(fd);
}

int
vfio_fake_api_version(int fd)
{
	RTE_SET_USED(fd);
	return VFIO_API_VERSION;
}

int
vfio_fake_check_extension(int fd, int type)
{
	RTE_SET_USED(fd);
	return type == VFIO_TYPE1_IOMMU;
}

static int
fake_set_iommu(int fd, int type)
{
	RTE_SET_USED(fd);
	if (fake.iommu_type != 0)
		return -EBUSY;
	fake.iommu_type = type;
	record(OP_SET_IOMMU, 0, 0, (uint64_t)type);
	return 0;
}

static int
fake_group_status(int fd, uint32_t *flags)
{
	*flags = fake.group_of_fd[fd] == FAKE_GROUP_NOT_VIABLE ? 0 : VFIO_GROUP_FLAGS_VIABLE;
	if (fake.container_set[fd])
		*flags |= VFIO_GROUP_FLAGS_CONTAINER_SET;
	return 0;
}

static int
fake_group_set_container(int group_fd, int container_fd)
{
	RTE_SET_USED(container_fd);
	fake.container_set[group_fd] = true;
	return 0;
}

static int
fake_group_unset_container(int group_fd)
{
	fake_detach(group_fd);
	return 0;
}

static int
fake_device_open(int group_fd, const char *dev_addr)
{
	RTE_SET_USED(dev_addr);
	return fake.container_set[group_fd] ? fake_fd(-1) : -EINVAL;
}

int
vfio_fake_device_info(int fd, struct vfio_device_info *info)
{
	RTE_SET_USED(fd);
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->flags = VFIO_DEVICE_FLAGS_PCI;
	info->num_regions = 9;
	return 0;
}

static bool
overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static int
fake_dma_map(int fd, uint64_t vaddr, uint64_t iova, uint64_t len)
{
	unsigned int i;

	RTE_SET_USED(fd);
	record(OP_MAP, vaddr, iova, len);
	if (fake.iommu_type == 0)
		return -EINVAL;
	if (fake.map_fail_errno != 0 && fake.calls_before_fail-- <= 0)
		return -fake.map_fail_errno;
	for (i = 0; i < fake.n_maps; i++)
		if (overlaps(fake.maps[i].iova, fake.maps[i].len, iova, len))
			return -EEXIST;
	if (fake.n_maps == FAKE_MAX_MAPS)
		return -ENOSPC;
	fake.maps[fake.n_maps++] = (struct fake_map){ vaddr, iova, len };
	return 0;
}

/* Type1 v1: every mapping that the range touches goes. */
static int
fake_dma_unmap(int fd, uint64_t iova, uint64_t len)
{
	unsigned int i = 0, gone = 0;

	RTE_SET_USED(fd);
	record(OP_UNMAP, 0, iova, len);
	while (i < fake.n_maps) {
		if (overlaps(fake.maps[i].iova, fake.maps[i].len, iova, len)) {
			fake.maps[i] = fake.maps[--fake.n_maps];
			gone++;
		} else {
			i++;
		}
	}
	return gone > 0 ? 0 : -ENOENT;
}

static const struct vfio_backend fake_backend = {
	.module_loaded = fake_module_loaded,
	.noiommu_enabled = vfio_fake_noiommu_enabled,
	.container_open = fake_container_open,
	.group_open = fake_group_open,
	.close_fd = fake_close_fd,
	.api_version = vfio_fake_api_version,
	.check_extension = vfio_fake_check_extension,
	.set_iommu = fake_set_iommu,
	.group_status = fake_group_status,
	.group_set_container = fake_group_set_container,
	.group_unset_container = fake_group_unset_container,
	.device_open = fake_device_open,
	.device_info = vfio_fake_device_info,
	.dma_map = fake_dma_map,
	.dma_unmap = fake_dma_unmap,
};

static void
fake_reset(int module)
{
	free(fake.calls);
	memset(&fake, 0, sizeof(fake));
	fake.module = module;
	fake.next_fd = 3;
	memset(fake.group_of_fd, 0xff, sizeof(fake.group_of_fd));
}

static unsigned int
count_calls(enum fake_op op)
{
	unsigned int i, n = 0;

	for (i = 0; i < fake.n_calls; i++)
		n += fake.calls[i].op == op;
	return n;
}

/* ------------------------------------------------------------------ */
/* fake sysfs: <dir>/<bdf>/iommu_group -> .../iommu_groups/<n>          */
/* ------------------------------------------------------------------ */

int
vfio_test_sysfs_create(char *dir, size_t len, const struct vfio_test_dev *devs, unsigned int n)
{
	char path[PATH_MAX + 64], target[64];
	unsigned int i;

	snprintf(dir, len, "/tmp/dpdk-test-vfio-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, devs[i].bdf);
		if (mkdir(path, 0700) != 0)
			goto err;
		if (devs[i].group < 0)
			continue;
		snprintf(target, sizeof(target), "../../../kernel/iommu_groups/%d",
			devs[i].group);
		strcat(path, "/iommu_group");
		if (symlink(target, path) != 0)
			goto err;
	}
	return 0;
err:
	vfio_test_sysfs_remove(dir, devs, n);
	return -1;
}

void
vfio_test_sysfs_remove(const char *dir, const struct vfio_test_dev *devs, unsigned int n)
{
	char path[PATH_MAX + 64];
	unsigned int i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s/iommu_group", dir, devs[i].bdf);
		unlink(path);
		snprintf(path, sizeof(path), "%s/%s", dir, devs[i].bdf);
		rmdir(path);
	}
	rmdir(dir);
}

static const struct vfio_test_dev sysfs_devs[] = {
	{ "0000:00:10.0", FAKE_GROUP },
	{ "0000:00:10.1", FAKE_GROUP },
	{ "0000:00:11.0", FAKE_GROUP_NODEV },
	{ "0000:00:12.0", -1 },
	{ "0000:00:13.0", FAKE_GROUP_NOT_VIABLE },
};

static int
suite_setup(void)
{
	if (vfio_test_sysfs_create(sysfs_dir, sizeof(sysfs_dir), sysfs_devs,
			RTE_DIM(sysfs_devs)) != 0)
		return TEST_FAILED;
	eal_vfio_set_backend(&fake_backend);
	return TEST_SUCCESS;
}

static void
suite_teardown(void)
{
	eal_vfio_set_backend(NULL);
	rte_vfio_enable("vfio");
	vfio_test_sysfs_remove(sysfs_dir, sysfs_devs, RTE_DIM(sysfs_devs));
	free(fake.calls);
	fake.calls = NULL;
}

static int
enable_fake(int module)
{
	/* close what the previous case left open before counting afresh */
	fake.module = 0;
	rte_vfio_enable("vfio");
	fake_reset(module);
	return rte_vfio_enable("vfio");
}

/* ------------------------------------------------------------------ */
/* VFIO absent                                                         */
/* ------------------------------------------------------------------ */

static int
test_vfio_absent(void)
{
	struct vfio_device_info info;
	int fd = -1;

	TEST_ASSERT_SUCCESS(enable_fake(0), "enable must succeed without the module");
	TEST_ASSERT_EQUAL(rte_vfio_is_enabled("vfio"), 0, "enabled without the module");
	TEST_ASSERT_EQUAL(rte_vfio_noiommu_is_enabled(), 0, "no-IOMMU reported on");
	ASSERT_FAILS_WITH(rte_vfio_get_container_fd(), ENODEV);
	ASSERT_FAILS_WITH(rte_vfio_get_group_fd(FAKE_GROUP), ENODEV);
	ASSERT_FAILS_WITH(rte_vfio_clear_group(3), ENODEV);
	ASSERT_FAILS_WITH(rte_vfio_container_create(), ENODEV);
	ASSERT_FAILS_WITH(rte_vfio_container_destroy(3), ENODEV);
	ASSERT_FAILS_WITH(rte_vfio_container_group_bind(RTE_VFIO_DEFAULT_CONTAINER_FD,
		FAKE_GROUP), ENODEV);
	ASSERT_FAILS_WITH(rte_vfio_container_group_unbind(RTE_VFIO_DEFAULT_CONTAINER_FD,
		FAKE_GROUP), ENODEV);
	ASSERT_FAILS_WITH(rte_vfio_container_dma_map(RTE_VFIO_DEFAULT_CONTAINER_FD,
		0x100000, 0x100000, 4096), ENODEV);
	ASSERT_FAILS_WITH(rte_vfio_container_dma_unmap(RTE_VFIO_DEFAULT_CONTAINER_FD,
		0x100000, 0x100000, 4096), ENODEV);
	ASSERT_FAILS_WITH(rte_vfio_setup_device(sysfs_dir, "0000:00:10.0", &fd, &info), ENODEV);
	/* as in 22.11: a device without an IOMMU group is not VFIO's either way */
	TEST_ASSERT_EQUAL(rte_vfio_setup_device(sysfs_dir, "0000:00:12.0", &fd, &info), 1,
		"device without group not reported as unmanaged");
	ASSERT_FAILS_WITH(rte_vfio_release_device(sysfs_dir, "0000:00:12.0", 3), ENODEV);
	TEST_ASSERT_EQUAL(fd, -1, "device fd written while disabled");
	ASSERT_FAILS_WITH(rte_vfio_release_device(sysfs_dir, "0000:00:10.0", 3), ENODEV);
	TEST_ASSERT_EQUAL(fake.open_fds, 0, "fds opened while disabled");
	TEST_ASSERT_EQUAL(fake.n_calls, 0u, "IOMMU calls while disabled");

	/* no /sys/module at all: EAL init must fail */
	fake_reset(-ENOENT);
	ASSERT_FAILS_WITH(rte_vfio_enable("vfio"), ENOENT);
	ASSERT_FAILS_WITH(rte_vfio_enable(NULL), EINVAL);
	return TEST_SUCCESS;
}

/* The real host: whatever rte_eal_init() decided must be consistent. */
static int
test_vfio_host(void)
{
	struct stat st;

	eal_vfio_set_backend(NULL);
	TEST_ASSERT_SUCCESS(rte_vfio_enable("vfio"), "enable failed on the host");
	if (stat("/sys/module/vfio", &st) != 0) {
		TEST_ASSERT_EQUAL(rte_vfio_is_enabled("vfio"), 0, "enabled without module");
		ASSERT_FAILS_WITH(rte_vfio_get_container_fd(), ENODEV);
	} else if (rte_vfio_is_enabled("vfio")) {
		TEST_ASSERT(rte_vfio_get_container_fd() >= 0, "no default container");
	}
	TEST_ASSERT_EQUAL(rte_vfio_is_enabled("no_such_module"), 0, "unknown module enabled");
	eal_vfio_set_backend(&fake_backend);
	return TEST_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* groups and devices                                                  */
/* ------------------------------------------------------------------ */

static int
test_vfio_group_num(void)
{
	int num = -1;

	TEST_ASSERT_EQUAL(rte_vfio_get_group_num(sysfs_dir, "0000:00:10.0", &num), 1,
		"group not found");
	TEST_ASSERT_EQUAL(num, FAKE_GROUP, "wrong group %d", num);
	TEST_ASSERT_EQUAL(rte_vfio_get_group_num(sysfs_dir, "0000:00:12.0", &num), 0,
		"device without iommu_group has a group");
	TEST_ASSERT_EQUAL(rte_vfio_get_group_num(sysfs_dir, "nonexistent", &num), 0,
		"missing device has a group");
	ASSERT_FAILS_WITH(rte_vfio_get_group_num(NULL, "0000:00:10.0", &num), EINVAL);
	ASSERT_FAILS_WITH(rte_vfio_get_group_num(sysfs_dir, "0000:00:10.0", NULL), EINVAL);
	return TEST_SUCCESS;
}

static int
test_vfio_setup_release(void)
{
	struct vfio_device_info info;
	int fd1 = -1, fd2 = -1, cfd, gfd;

	TEST_ASSERT_SUCCESS(enable_fake(1), "enable failed");
	TEST_ASSERT_EQUAL(rte_vfio_is_enabled("vfio"), 1, "not enabled");
	cfd = rte_vfio_get_container_fd();
	TEST_ASSERT(cfd >= 0, "no default container");
	TEST_ASSERT_EQUAL(fake.open_fds, 1, "enable opened %d fds", fake.open_fds);

	TEST_ASSERT_EQUAL(rte_vfio_setup_device(sysfs_dir, "0000:00:12.0", &fd1, &info), 1,
		"device without group set up");
	ASSERT_FAILS_WITH(rte_vfio_release_device(sysfs_dir, "0000:00:12.0", 3), ENODEV);
	TEST_ASSERT_EQUAL(rte_vfio_setup_device(sysfs_dir, "0000:00:11.0", &fd1, &info), 1,
		"device without group device set up");
	ASSERT_FAILS_WITH(rte_vfio_setup_device(sysfs_dir, "0000:00:13.0", &fd1, &info), EPERM);
	ASSERT_FAILS_WITH(rte_vfio_setup_device(sysfs_dir, "0000:00:10.0", NULL, &info), EINVAL);
	TEST_ASSERT_EQUAL(fake.open_fds, 1, "failed setups left fds open");
	TEST_ASSERT_EQUAL(count_calls(OP_SET_IOMMU), 0u, "IOMMU set without a group");

	TEST_ASSERT_SUCCESS(rte_vfio_setup_device(sysfs_dir, "0000:00:10.0", &fd1, &info),
		"setup failed");
	TEST_ASSERT(fd1 >= 0, "bad device fd");
	TEST_ASSERT_EQUAL(info.num_regions, 9u, "device info not filled");
	TEST_ASSERT_EQUAL(fake.iommu_type, VFIO_TYPE1_IOMMU, "IOMMU type not set");
	gfd = rte_vfio_get_group_fd(FAKE_GROUP);
	TEST_ASSERT(gfd > 0, "group fd not found");
	TEST_ASSERT(fake.container_set[gfd], "group not added to the container");

	/* a second device of the same group shares group and IOMMU setup */
	TEST_ASSERT_SUCCESS(rte_vfio_setup_device(sysfs_dir, "0000:00:10.1", &fd2, &info),
		"second setup failed");
	TEST_ASSERT_EQUAL(rte_vfio_get_group_fd(FAKE_GROUP), gfd, "group opened twice");
	TEST_ASSERT_EQUAL(count_calls(OP_SET_IOMMU), 1u, "IOMMU set twice");
	TEST_ASSERT_EQUAL(fake.open_fds, 4, "container + group + 2 devices expected");

	TEST_ASSERT_SUCCESS(rte_vfio_release_device(sysfs_dir, "0000:00:10.1", fd2),
		"release failed");
	TEST_ASSERT_EQUAL(fake.open_fds, 3, "device fd not closed");
	TEST_ASSERT_SUCCESS(rte_vfio_release_device(sysfs_dir, "0000:00:10.0", fd1),
		"release failed");
	TEST_ASSERT_EQUAL(fake.open_fds, 1, "group not closed with its last device");
	ASSERT_FAILS_WITH(rte_vfio_release_device(sysfs_dir, "0000:00:10.0", fd1), ENOENT);
	ASSERT_FAILS_WITH(rte_vfio_clear_group(gfd), ENOENT);

	/* a new device after the last one went: the IOMMU is set up again */
	TEST_ASSERT_SUCCESS(rte_vfio_setup_device(sysfs_dir, "0000:00:10.0", &fd1, &info),
		"setup after release failed");
	TEST_ASSERT_EQUAL(count_calls(OP_SET_IOMMU), 2u, "IOMMU not set up again");
	TEST_ASSERT_SUCCESS(rte_vfio_release_device(sysfs_dir, "0000:00:10.0", fd1),
		"release failed");

	/* group fds through the explicit API */
	gfd = rte_vfio_get_group_fd(FAKE_GROUP);
	TEST_ASSERT(gfd > 0, "get_group_fd failed");
	TEST_ASSERT_EQUAL(rte_vfio_get_group_fd(FAKE_GROUP_NODEV), 0, "absent group has an fd");
	ASSERT_FAILS_WITH(rte_vfio_get_group_fd(-1), EINVAL);
	TEST_ASSERT_SUCCESS(rte_vfio_clear_group(gfd), "clear_group failed");
	TEST_ASSERT_EQUAL(fake.open_fds, 1, "clear_group left the group open");

	TEST_ASSERT_SUCCESS(rte_vfio_enable("vfio"), "re-enable failed");
	TEST_ASSERT_EQUAL(fake.open_fds, 1, "re-enable leaked the old container");
	return TEST_SUCCESS;
}

static int
test_vfio_containers(void)
{
	struct vfio_device_info info;
	int cfd, gfd, fd;

	TEST_ASSERT_SUCCESS(enable_fake(1), "enable failed");
	cfd = rte_vfio_container_create();
	TEST_ASSERT(cfd >= 0, "container_create failed");
	TEST_ASSERT_NOT_EQUAL(cfd, rte_vfio_get_container_fd(), "new container is the default");
	gfd = rte_vfio_container_group_bind(cfd, FAKE_GROUP);
	TEST_ASSERT(gfd >= 0, "group_bind failed");
	TEST_ASSERT_EQUAL(rte_vfio_container_group_bind(cfd, FAKE_GROUP), gfd,
		"second bind opened the group again");
	ASSERT_FAILS_WITH(rte_vfio_container_group_bind(RTE_VFIO_DEFAULT_CONTAINER_FD,
		FAKE_GROUP), EBUSY);
	ASSERT_FAILS_WITH(rte_vfio_container_group_bind(12345, FAKE_GROUP), EINVAL);
	ASSERT_FAILS_WITH(rte_vfio_container_dma_map(cfd, 0x200000, 0x200000, 4096), ENODEV);

	/* the device lands in the container its group was bound to */
	TEST_ASSERT_SUCCESS(rte_vfio_setup_device(sysfs_dir, "0000:00:10.0", &fd, &info),
		"setup failed");
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_map(cfd, 0x200000, 0x200000, 4096),
		"map in the new container failed");
	TEST_ASSERT_EQUAL(count_calls(OP_MAP), 1u, "EAL memory mapped into a user container");
	TEST_ASSERT_SUCCESS(rte_vfio_release_device(sysfs_dir, "0000:00:10.0", fd),
		"release failed");

	TEST_ASSERT(rte_vfio_container_group_bind(cfd, FAKE_GROUP) >= 0, "rebind failed");
	TEST_ASSERT_SUCCESS(rte_vfio_container_group_unbind(cfd, FAKE_GROUP), "unbind failed");
	ASSERT_FAILS_WITH(rte_vfio_container_group_unbind(cfd, FAKE_GROUP), ENOENT);
	ASSERT_FAILS_WITH(rte_vfio_container_destroy(RTE_VFIO_DEFAULT_CONTAINER_FD), EINVAL);
	ASSERT_FAILS_WITH(rte_vfio_container_destroy(rte_vfio_get_container_fd()), EINVAL);
	TEST_ASSERT(rte_vfio_container_group_bind(cfd, FAKE_GROUP) >= 0, "rebind failed");
	TEST_ASSERT_SUCCESS(rte_vfio_container_destroy(cfd), "destroy failed");
	ASSERT_FAILS_WITH(rte_vfio_container_destroy(cfd), EINVAL);
	TEST_ASSERT_EQUAL(fake.open_fds, 1, "destroy left %d fds open", fake.open_fds);

	/* run out of containers */
	for (fd = 1; fd < RTE_MAX_VFIO_CONTAINERS; fd++)
		TEST_ASSERT(rte_vfio_container_create() >= 0, "container %d failed", fd);
	ASSERT_FAILS_WITH(rte_vfio_container_create(), ENOSPC);
	TEST_ASSERT_SUCCESS(rte_vfio_enable("vfio"), "re-enable failed");
	TEST_ASSERT_EQUAL(fake.open_fds, 1, "reset left containers open");
	return TEST_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* user DMA map table                                                  */
/* ------------------------------------------------------------------ */

#define DEF RTE_VFIO_DEFAULT_CONTAINER_FD
#define MB (1ULL << 20)
#define UVA (1ULL << 40)  /* user VAs/IOVAs far from EAL memory */

static int
setup_default_device(int *fd)
{
	struct vfio_device_info info;

	return rte_vfio_setup_device(sysfs_dir, "0000:00:10.0", fd, &info);
}

static int
test_vfio_user_maps(void)
{
	struct vfio_dma_stats st;
	unsigned int i, base_maps;
	int fd;

	TEST_ASSERT_SUCCESS(enable_fake(1), "enable failed");
	ASSERT_FAILS_WITH(rte_vfio_container_dma_map(DEF, UVA, UVA, MB), ENODEV);
	TEST_ASSERT_SUCCESS(setup_default_device(&fd), "setup failed");
	base_maps = fake.n_maps;

	ASSERT_FAILS_WITH(rte_vfio_container_dma_map(DEF, UVA, UVA, 0), EINVAL);
	ASSERT_FAILS_WITH(rte_vfio_container_dma_unmap(DEF, UVA, UVA, 0), EINVAL);
	ASSERT_FAILS_WITH(rte_vfio_container_dma_map(DEF, UINT64_MAX, UVA, MB), EINVAL);
	ASSERT_FAILS_WITH(rte_vfio_container_dma_map(4242, UVA, UVA, MB), EINVAL);
	ASSERT_FAILS_WITH(rte_vfio_container_dma_unmap(DEF, UVA, UVA, MB), EINVAL);

	/* two adjacent maps are compacted: one unmap may span both */
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_map(DEF, UVA, UVA, MB), "map failed");
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_map(DEF, UVA + MB, UVA + MB, MB),
		"map failed");
	TEST_ASSERT_EQUAL(fake.n_maps, base_maps + 2, "kernel mappings");
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_unmap(DEF, UVA + MB / 2, UVA + MB / 2, MB),
		"unmap spanning two compacted maps failed");
	/* what is left: [UVA, UVA+MB/2) and [UVA+3MB/2, UVA+2MB) */
	ASSERT_FAILS_WITH(rte_vfio_container_dma_unmap(DEF, UVA, UVA, MB), EINVAL);
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_unmap(DEF, UVA, UVA, MB / 2),
		"head unmap failed");
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_unmap(DEF, UVA + 3 * MB / 2,
		UVA + 3 * MB / 2, MB / 2), "tail unmap failed");
	ASSERT_FAILS_WITH(rte_vfio_container_dma_unmap(DEF, UVA, UVA, MB / 2), EINVAL);

	/* VA and IOVA not contiguous together: no merge */
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_map(DEF, UVA, UVA + 8 * MB, MB), "map failed");
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_map(DEF, UVA + MB, UVA + MB, MB),
		"map failed");
	ASSERT_FAILS_WITH(rte_vfio_container_dma_unmap(DEF, UVA, UVA + 8 * MB, 2 * MB), EINVAL);
	/* wrong VA for the IOVA */
	ASSERT_FAILS_WITH(rte_vfio_container_dma_unmap(DEF, UVA, UVA + MB, MB), EINVAL);
	/* a middle unmap splits */
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_unmap(DEF, UVA + MB + 4096,
		UVA + MB + 4096, 4096), "middle unmap failed");
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_unmap(DEF, UVA + MB + 8192,
		UVA + MB + 8192, MB - 8192), "right part unmap failed");
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_unmap(DEF, UVA + MB, UVA + MB, 4096),
		"left part unmap failed");
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_unmap(DEF, UVA, UVA + 8 * MB, MB),
		"unmap failed");

	/* far more entries than upstream's fixed 256 */
	for (i = 0; i < 1000; i++)
		TEST_ASSERT_SUCCESS(rte_vfio_container_dma_map(DEF, UVA + i * 2 * MB,
			UVA + i * 2 * MB, MB), "map %u failed", i);
	for (i = 0; i < 1000; i++)
		TEST_ASSERT_SUCCESS(rte_vfio_container_dma_unmap(DEF, UVA + i * 2 * MB,
			UVA + i * 2 * MB, MB), "unmap %u failed", i);
	TEST_ASSERT_EQUAL(fake.n_maps, base_maps, "kernel mappings left behind");

	/* EEXIST from the kernel is success; other errors are reported */
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_map(DEF, UVA, UVA, MB), "map failed");
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_map(DEF, UVA + 4096, UVA + 4096, 4096),
		"EEXIST not treated as success");
	eal_vfio_get_dma_stats(&st);
	TEST_ASSERT_EQUAL(st.map_exists, 1u, "EEXIST not counted");
	fake.map_fail_errno = ENOSPC;
	ASSERT_FAILS_WITH(rte_vfio_container_dma_map(DEF, UVA + 8 * MB, UVA + 8 * MB, MB),
		ENOSPC);
	fake.map_fail_errno = 0;
	eal_vfio_get_dma_stats(&st);
	TEST_ASSERT_EQUAL(st.map_failures, 1u, "failure not counted");
	ASSERT_FAILS_WITH(rte_vfio_container_dma_unmap(DEF, UVA + 8 * MB, UVA + 8 * MB, MB),
		EINVAL);

	/* the user map survives the group going away and comes back with it */
	TEST_ASSERT_SUCCESS(rte_vfio_release_device(sysfs_dir, "0000:00:10.0", fd),
		"release failed");
	TEST_ASSERT_EQUAL(fake.n_maps, 0u, "kernel kept mappings without a group");
	TEST_ASSERT_SUCCESS(setup_default_device(&fd), "setup failed");
	TEST_ASSERT_EQUAL(fake.n_maps, base_maps + 1, "user map not replayed");
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_unmap(DEF, UVA, UVA, MB), "unmap failed");
	TEST_ASSERT_SUCCESS(rte_vfio_release_device(sysfs_dir, "0000:00:10.0", fd),
		"release failed");
	return TEST_SUCCESS;
}

static struct unit_test_suite vfio_suite = {
	.suite_name = "vfio",
	.setup = suite_setup,
	.teardown = suite_teardown,
	.unit_test_cases = {
		TEST_CASE(test_vfio_absent),
		TEST_CASE(test_vfio_host),
		TEST_CASE(test_vfio_group_num),
		TEST_CASE(test_vfio_setup_release),
		TEST_CASE(test_vfio_containers),
		TEST_CASE(test_vfio_user_maps),
		TEST_CASES_END(),
	},
};

static int
test_vfio(void)
{
	return unit_test_suite_runner(&vfio_suite);
}

REGISTER_FAST_TEST(vfio_autotest, NOHUGE_OK, ASAN_OK, test_vfio);

/* ------------------------------------------------------------------ */
/* EAL memory follows the heap (real hugepages, fake IOMMU)            */
/* ------------------------------------------------------------------ */

struct mirror_check {
	unsigned int pages;
	unsigned int missing;
};

static int
mirror_walk(const struct rte_memseg_list *msl, const struct rte_memseg *ms, void *arg)
{
	struct mirror_check *mc = arg;
	unsigned int i, found = 0;

	if ((msl->external && !msl->heap) || ms->iova == RTE_BAD_IOVA)
		return 0;
	mc->pages++;
	for (i = 0; i < fake.n_maps; i++)
		found += fake.maps[i].iova == ms->iova && fake.maps[i].vaddr == ms->addr_64 &&
			fake.maps[i].len == ms->len;
	if (found != 1)
		mc->missing++;
	return 0;
}

/* The IOMMU holds exactly one mapping per EAL page, and nothing else. */
static int
check_mirror(const char *when)
{
	struct mirror_check mc = { 0, 0 };

	TEST_ASSERT_SUCCESS(rte_memseg_walk(mirror_walk, &mc), "walk failed");
	TEST_ASSERT_EQUAL(mc.missing, 0u, "%s: %u of %u pages not mapped exactly once",
		when, mc.missing, mc.pages);
	TEST_ASSERT_EQUAL(fake.n_maps, mc.pages, "%s: %u IOMMU mappings for %u pages",
		when, fake.n_maps, mc.pages);
	return TEST_SUCCESS;
}

/* Every call since @p from is @p op, one page long, at that page's IOVA. */
static int
check_page_calls(unsigned int from, enum fake_op op, unsigned int *n)
{
	unsigned int i;

	*n = 0;
	for (i = from; i < fake.n_calls; i++) {
		const struct fake_call *c = &fake.calls[i];
		const struct rte_memseg_list *msl;
		const struct rte_memseg *ms;

		TEST_ASSERT_EQUAL(c->op, op, "call %u: unexpected op %d", i, c->op);
		if (op == OP_UNMAP) {
			/* the page is gone; check_mirror() tells whether it was the right one */
			TEST_ASSERT(c->len == RTE_PGSIZE_2M || c->len == RTE_PGSIZE_1G ||
				c->len == RTE_PGSIZE_4K, "call %u: length 0x%" PRIx64
				" is not one page", i, c->len);
			(*n)++;
			continue;
		}
		msl = rte_mem_virt2memseg_list((void *)(uintptr_t)c->vaddr);
		TEST_ASSERT_NOT_NULL(msl, "call %u: not EAL memory", i);
		TEST_ASSERT_EQUAL(c->len, msl->page_sz, "call %u: length 0x%" PRIx64
			" is not one page", i, c->len);
		ms = rte_mem_virt2memseg((void *)(uintptr_t)c->vaddr, msl);
		TEST_ASSERT_EQUAL(c->iova, ms->iova, "call %u: IOVA is not the memseg's", i);
		(*n)++;
	}
	return TEST_SUCCESS;
}

#define N_PAGES 4

/* A device on the fake IOMMU, with all EAL memory mapped. */
static int
mem_test_start(int *fd)
{
	if (!test_have_hugepages())
		return test_hugepages_missing("VFIO mapping of hugepage memory");
	TEST_ASSERT_SUCCESS(enable_fake(1), "enable failed");
	TEST_ASSERT_SUCCESS(setup_default_device(fd), "setup failed");
	return check_mirror("after setup");
}

/* Pages mapped and unmapped by the page allocator, events sent as the heap does. */
static int
test_vfio_memalloc_events(void)
{
	struct rte_memseg *ms[N_PAGES];
	rte_iova_t iova[N_PAGES];
	unsigned int from, n, i;
	size_t len = N_PAGES * RTE_PGSIZE_2M;
	void *va;
	int fd, ret;

	ret = mem_test_start(&fd);
	if (ret != TEST_SUCCESS)
		return ret;

	from = fake.n_calls;
	rte_mcfg_mem_write_lock();
	if (eal_memalloc_alloc_seg_bulk(ms, N_PAGES, RTE_PGSIZE_2M, 0, true) != N_PAGES) {
		rte_mcfg_mem_write_unlock();
		return test_hugepages_missing("4 free 2 MB pages on socket 0");
	}
	va = ms[0]->addr;
	eal_memalloc_mem_event_notify(RTE_MEM_EVENT_ALLOC, va, len);
	rte_mcfg_mem_write_unlock();
	for (i = 0; i < N_PAGES; i++)
		iova[i] = ms[i]->iova;
	TEST_ASSERT_SUCCESS(check_page_calls(from, OP_MAP, &n), "alloc");
	TEST_ASSERT_EQUAL(n, (unsigned int)N_PAGES, "%u map calls for %d pages", n, N_PAGES);
	for (i = 0; i < N_PAGES; i++)
		TEST_ASSERT_EQUAL(fake.calls[from + i].vaddr, ms[i]->addr_64, "page %u VA", i);
	TEST_ASSERT_SUCCESS(check_mirror("after page alloc"), "alloc");

	from = fake.n_calls;
	rte_mcfg_mem_write_lock();
	eal_memalloc_mem_event_notify(RTE_MEM_EVENT_FREE, va, len);
	i = eal_memalloc_free_seg_bulk(ms, N_PAGES);
	rte_mcfg_mem_write_unlock();
	TEST_ASSERT_EQUAL(i, 0u, "free_seg_bulk failed");
	TEST_ASSERT_SUCCESS(check_page_calls(from, OP_UNMAP, &n), "free");
	TEST_ASSERT_EQUAL(n, (unsigned int)N_PAGES, "%u unmap calls for %d pages", n, N_PAGES);
	for (i = 0; i < N_PAGES; i++)
		TEST_ASSERT_EQUAL(fake.calls[from + i].iova, iova[i], "page %u IOVA", i);
	TEST_ASSERT_SUCCESS(check_mirror("after page free"), "free");
	TEST_ASSERT_SUCCESS(rte_vfio_release_device(sysfs_dir, "0000:00:10.0", fd),
		"release failed");
	return TEST_SUCCESS;
}

static int
test_vfio_mem_events(void)
{
	struct vfio_dma_stats st;
	unsigned int from, n, i;
	void *p[4];
	int fd, ret;

	ret = mem_test_start(&fd);
	if (ret != TEST_SUCCESS)
		return ret;

	for (i = 0; i < RTE_DIM(p); i++) {
		from = fake.n_calls;
		p[i] = rte_malloc(NULL, (i + 1) * 3 * MB, 0);
		TEST_ASSERT_NOT_NULL(p[i], "rte_malloc %u failed", i);
		TEST_ASSERT_SUCCESS(check_page_calls(from, OP_MAP, &n), "alloc %u", i);
		TEST_ASSERT(n > 0, "alloc %u of %u MB mapped no page", i, (i + 1) * 3);
		TEST_ASSERT_SUCCESS(check_mirror("after rte_malloc"), "alloc %u", i);
	}
	for (i = 0; i < RTE_DIM(p); i++) {
		from = fake.n_calls;
		rte_free(p[i]);
		TEST_ASSERT_SUCCESS(check_page_calls(from, OP_UNMAP, &n), "free %u", i);
		TEST_ASSERT_SUCCESS(check_mirror("after rte_free"), "free %u", i);
	}
	eal_vfio_get_dma_stats(&st);
	TEST_ASSERT_EQUAL(st.map_failures + st.unmap_failures + st.map_exists, 0u,
		"failed or double calls: %" PRIu64 " %" PRIu64 " %" PRIu64,
		st.map_failures, st.unmap_failures, st.map_exists);

	/* a refused map does not fail the allocation but is counted */
	fake.map_fail_errno = ENOSPC;
	from = fake.n_calls;
	p[0] = rte_malloc(NULL, 5 * MB, 0);
	fake.map_fail_errno = 0;
	TEST_ASSERT_NOT_NULL(p[0], "rte_malloc failed");
	TEST_ASSERT_SUCCESS(check_page_calls(from, OP_MAP, &n), "refused alloc");
	eal_vfio_get_dma_stats(&st);
	TEST_ASSERT(n > 0 && st.map_failures == n, "%u refused maps, %" PRIu64 " counted",
		n, st.map_failures);
	rte_free(p[0]);
	TEST_ASSERT_SUCCESS(check_mirror("after the refused pages went"), "refused alloc");

	/* no group, no callback: memory changes reach no IOMMU */
	TEST_ASSERT_SUCCESS(rte_vfio_release_device(sysfs_dir, "0000:00:10.0", fd),
		"release failed");
	from = fake.n_calls;
	p[0] = rte_malloc(NULL, 5 * MB, 0);
	TEST_ASSERT_NOT_NULL(p[0], "rte_malloc failed");
	rte_free(p[0]);
	TEST_ASSERT_EQUAL(fake.n_calls, from, "IOMMU calls without a group");
	return TEST_SUCCESS;
}

#define CHURN_SLOTS 16
#define CHURN_OPS 300

/*
 * Random allocations and frees of 4 KB to 9 MB: after each step the
 * IOMMU holds one mapping per EAL page, and maps minus unmaps equals the
 * pages mapped since the device was set up.
 */
static int
test_vfio_mem_churn(void)
{
	struct vfio_dma_stats st;
	void *slot[CHURN_SLOTS] = { NULL };
	unsigned int op, k, pages0;
	int fd, ret;

	ret = mem_test_start(&fd);
	if (ret != TEST_SUCCESS)
		return ret;
	pages0 = fake.n_maps;
	for (op = 0; op < CHURN_OPS; op++) {
		k = rte_rand() % CHURN_SLOTS;
		if (slot[k] != NULL) {
			rte_free(slot[k]);
			slot[k] = NULL;
		} else {
			slot[k] = rte_malloc(NULL, 4096 + rte_rand() % (9 * MB), 0);
			TEST_ASSERT_NOT_NULL(slot[k], "op %u: rte_malloc failed", op);
		}
		if (op % 10 == 0)
			TEST_ASSERT_SUCCESS(check_mirror("churn"), "op %u", op);
	}
	for (k = 0; k < CHURN_SLOTS; k++)
		rte_free(slot[k]);
	TEST_ASSERT_SUCCESS(check_mirror("after the churn"), "churn");
	eal_vfio_get_dma_stats(&st);
	printf("churn: %" PRIu64 " maps, %" PRIu64 " unmaps, %u pages before and %u after\n",
		st.maps, st.unmaps, pages0, fake.n_maps);
	TEST_ASSERT(st.unmaps > 0, "the heap never shrank");
	TEST_ASSERT_EQUAL(st.maps - st.unmaps, (uint64_t)fake.n_maps,
		"maps - unmaps != pages mapped");
	TEST_ASSERT_EQUAL(st.map_failures + st.unmap_failures + st.map_exists, 0u,
		"failed or double calls");
	TEST_ASSERT_SUCCESS(rte_vfio_release_device(sysfs_dir, "0000:00:10.0", fd),
		"release failed");
	return TEST_SUCCESS;
}

static struct unit_test_suite vfio_mem_suite = {
	.suite_name = "vfio_mem",
	.setup = suite_setup,
	.teardown = suite_teardown,
	.unit_test_cases = {
		TEST_CASE(test_vfio_memalloc_events),
		TEST_CASE(test_vfio_mem_events),
		TEST_CASE(test_vfio_mem_churn),
		TEST_CASES_END(),
	},
};

static int
test_vfio_mem(void)
{
	return unit_test_suite_runner(&vfio_mem_suite);
}

REGISTER_FAST_TEST(vfio_mem_autotest, NOHUGE_SKIP, ASAN_OK, test_vfio_mem);
