/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Hugepage discovery against a fixture tree: a fake sysfs (page sizes,
 * per-node and global counts), a fake /proc/mounts and /proc/meminfo.
 * Nothing here needs hugepages.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_memory.h>

#include "eal_hugepages.h"
#include "eal_internal_cfg.h"
#include "eal_private.h"
#include "test.h"

/* in linux/eal_lcore.c, for tests only */
void eal_set_sysfs_root(const char *root);

static char fixture[PATH_MAX];
static char mounts[PATH_MAX];
static char meminfo[PATH_MAX];

static int
write_file(const char *rel, const char *content)
{
	char path[PATH_MAX], dir[PATH_MAX], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fixture, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	for (p = dir + strlen(fixture) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	f = fopen(path, "w");
	if (f == NULL)
		return -1;
	fputs(content, f);
	fclose(f);
	return 0;
}

static const struct {
	const char *path;
	const char *content;
} fixture_files[] = {
	{ "sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "100\n" },
	{ "sys/kernel/mm/hugepages/hugepages-2048kB/resv_hugepages", "30\n" },
	{ "sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages", "4\n" },
	{ "sys/kernel/mm/hugepages/hugepages-1048576kB/resv_hugepages", "0\n" },
	{ "sys/kernel/mm/hugepages/hugepages-64kB/free_hugepages", "7\n" },
	{ "sys/kernel/mm/hugepages/hugepages-64kB/resv_hugepages", "9\n" },
	{ "sys/kernel/mm/hugepages/hugepages-3000kB/free_hugepages", "1\n" },
	{ "sys/kernel/mm/hugepages/not-hugepages/free_hugepages", "1\n" },
	{ "sys/devices/system/node/node0/hugepages/hugepages-2048kB/free_hugepages", "10\n" },
	{ "sys/devices/system/node/node1/hugepages/hugepages-2048kB/free_hugepages", "5\n" },
	{ "sys/devices/system/node/node0/hugepages/hugepages-1048576kB/free_hugepages", "0\n" },
	{ "sys/devices/system/node/node1/hugepages/hugepages-1048576kB/free_hugepages", "0\n" },
	{ "proc/meminfo", "MemTotal: 1000 kB\nHugepagesize:       2048 kB\nFoo: 1\n" },
	{ "proc/mounts",
	  "proc /proc proc rw 0 0\n"
	  "none /not/huge tmpfs rw,pagesize=2M 0 0\n"
	  "nodev /mnt/huge\\040two hugetlbfs rw,relatime 0 0\n"
	  "nodev /mnt/huge1g hugetlbfs rw,relatime,pagesize=1G 0 0\n"
	  "nodev /mnt/huge2m hugetlbfs rw,pagesize=2M,relatime 0 0\n" },
};

static int
setup_fixture(void)
{
	unsigned int i;

	snprintf(fixture, sizeof(fixture), "/tmp/hpi-fixture-XXXXXX");
	if (mkdtemp(fixture) == NULL)
		return TEST_FAILED;
	for (i = 0; i < RTE_DIM(fixture_files); i++)
		if (write_file(fixture_files[i].path, fixture_files[i].content) != 0)
			return TEST_FAILED;
	snprintf(mounts, sizeof(mounts), "%s/proc/mounts", fixture);
	snprintf(meminfo, sizeof(meminfo), "%s/proc/meminfo", fixture);
	return TEST_SUCCESS;
}

static void
teardown_fixture(void)
{
	char cmd[PATH_MAX + 16];

	eal_set_sysfs_root(NULL);
	if (fixture[0] == '\0')
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fixture);
	if (system(cmd) != 0)
		printf("could not remove %s\n", fixture);
}

static void
point_sysfs_at_fixture(void)
{
	char root[PATH_MAX];

	snprintf(root, sizeof(root), "%s/sys", fixture);
	eal_set_sysfs_root(root);
}

static int
test_default_size(void)
{
	char missing[PATH_MAX];

	TEST_ASSERT_EQUAL(eal_hugepage_default_size(meminfo), RTE_PGSIZE_2M,
		"Hugepagesize not parsed");
	snprintf(missing, sizeof(missing), "%s/proc/none", fixture);
	TEST_ASSERT_EQUAL(eal_hugepage_default_size(missing), 0, "missing meminfo gives a size");
	return TEST_SUCCESS;
}

static int
test_find_mount(void)
{
	char out[PATH_MAX];

	/* the first match wins: the option-less mount takes the default size */
	TEST_ASSERT_SUCCESS(eal_hugepage_find_mount(RTE_PGSIZE_2M, RTE_PGSIZE_2M, mounts, NULL,
		out, sizeof(out)), "no 2M mount");
	TEST_ASSERT(strcmp(out, "/mnt/huge two") == 0, "escaped mount path: '%s'", out);
	TEST_ASSERT_SUCCESS(eal_hugepage_find_mount(RTE_PGSIZE_1G, RTE_PGSIZE_2M, mounts, NULL,
		out, sizeof(out)), "no 1G mount");
	TEST_ASSERT(strcmp(out, "/mnt/huge1g") == 0, "1G mount: '%s'", out);
	/* --huge-dir: exact mount point only, trailing slash tolerated */
	TEST_ASSERT_SUCCESS(eal_hugepage_find_mount(RTE_PGSIZE_2M, RTE_PGSIZE_2M, mounts,
		"/mnt/huge2m/", out, sizeof(out)), "--huge-dir mount not found");
	TEST_ASSERT(strcmp(out, "/mnt/huge2m") == 0, "--huge-dir mount: '%s'", out);
	TEST_ASSERT_EQUAL(eal_hugepage_find_mount(RTE_PGSIZE_2M, RTE_PGSIZE_2M, mounts,
		"/mnt", out, sizeof(out)), -ENOENT, "a parent of a mount matched");
	TEST_ASSERT_EQUAL(eal_hugepage_find_mount(RTE_PGSIZE_1G, RTE_PGSIZE_2M, mounts,
		"/mnt/huge2m", out, sizeof(out)), -ENOENT, "--huge-dir of another size matched");
	/* tmpfs with a pagesize option is not hugetlbfs */
	TEST_ASSERT_EQUAL(eal_hugepage_find_mount(RTE_PGSIZE_2M, RTE_PGSIZE_2M, mounts,
		"/not/huge", out, sizeof(out)), -ENOENT, "tmpfs taken for hugetlbfs");
	/* without a default size the option-less mount matches nothing */
	TEST_ASSERT_SUCCESS(eal_hugepage_find_mount(RTE_PGSIZE_2M, 0, mounts, NULL,
		out, sizeof(out)), "no 2M mount");
	TEST_ASSERT(strcmp(out, "/mnt/huge2m") == 0, "2M mount without default: '%s'", out);
	TEST_ASSERT_EQUAL(eal_hugepage_find_mount(RTE_PGSIZE_16M, RTE_PGSIZE_2M, mounts, NULL,
		out, sizeof(out)), -ENOENT, "16M mount found");
	TEST_ASSERT(eal_hugepage_find_mount(RTE_PGSIZE_2M, RTE_PGSIZE_2M, "/nonexistent/mounts",
		NULL, out, sizeof(out)) < 0, "missing mounts file accepted");
	return TEST_SUCCESS;
}

static int
test_discover_sizes(void)
{
	struct hugepage_info hpi[MAX_HUGEPAGE_SIZES];
	int n;

	point_sysfs_at_fixture();
	n = eal_hugepage_sizes_discover(hpi, MAX_HUGEPAGE_SIZES, mounts, meminfo, NULL, false);
	TEST_ASSERT_EQUAL(n, 2, "expected 1G and 2M (64K has no mount), got %d", n);
	TEST_ASSERT_EQUAL(hpi[0].hugepage_sz, RTE_PGSIZE_1G, "not sorted largest first");
	TEST_ASSERT_EQUAL(hpi[1].hugepage_sz, RTE_PGSIZE_2M, "2M missing");
	TEST_ASSERT(strcmp(hpi[0].hugedir, "/mnt/huge1g") == 0, "1G dir '%s'", hpi[0].hugedir);
	TEST_ASSERT_EQUAL(hpi[0].lock_descriptor, -1, "lock taken by discovery");

	/* in-memory: a size without a mount is usable through memfd */
	n = eal_hugepage_sizes_discover(hpi, MAX_HUGEPAGE_SIZES, mounts, meminfo, NULL, true);
	TEST_ASSERT_EQUAL(n, 3, "in-memory: expected 3 sizes, got %d", n);
	TEST_ASSERT_EQUAL(hpi[2].hugepage_sz, RTE_PGSIZE_64K, "64K missing");
	TEST_ASSERT_EQUAL(hpi[2].hugedir[0], '\0', "64K has a mount");

	/* --huge-dir keeps only the size of that mount */
	n = eal_hugepage_sizes_discover(hpi, MAX_HUGEPAGE_SIZES, mounts, meminfo, "/mnt/huge1g",
		false);
	TEST_ASSERT_EQUAL(n, 1, "--huge-dir: expected one size, got %d", n);
	TEST_ASSERT_EQUAL(hpi[0].hugepage_sz, RTE_PGSIZE_1G, "--huge-dir: wrong size");
	n = eal_hugepage_sizes_discover(hpi, MAX_HUGEPAGE_SIZES, mounts, meminfo, "/nowhere",
		false);
	TEST_ASSERT_EQUAL(n, 0, "unmounted --huge-dir found %d sizes", n);

	/* never more entries than the caller has room for */
	n = eal_hugepage_sizes_discover(hpi, 1, mounts, meminfo, NULL, true);
	TEST_ASSERT_EQUAL(n, 1, "max ignored: %d", n);
	eal_set_sysfs_root(NULL);
	return TEST_SUCCESS;
}

static int
test_count_pages(void)
{
	struct hugepage_info h;
	unsigned int s;

	point_sysfs_at_fixture();
	memset(&h, 0, sizeof(h));
	h.hugepage_sz = RTE_PGSIZE_2M;
	eal_hugepage_count_pages(&h, false, 0);
	TEST_ASSERT_EQUAL(h.num_pages[0], 10, "node0: %u", h.num_pages[0]);
	TEST_ASSERT_EQUAL(h.num_pages[1], 5, "node1: %u", h.num_pages[1]);
	for (s = 2; s < RTE_MAX_NUMA_NODES; s++)
		TEST_ASSERT_EQUAL(h.num_pages[s], 0, "node%u without sysfs has pages", s);

	/* global only (legacy): free minus reserved, all on socket 0 */
	eal_hugepage_count_pages(&h, true, 0);
	TEST_ASSERT_EQUAL(h.num_pages[0], 70, "global: %u", h.num_pages[0]);
	TEST_ASSERT_EQUAL(h.num_pages[1], 0, "global: node1 %u", h.num_pages[1]);

	/* all nodes report zero: fall back to the global count */
	h.hugepage_sz = RTE_PGSIZE_1G;
	eal_hugepage_count_pages(&h, false, 2);
	TEST_ASSERT_EQUAL(h.num_pages[0], 6, "fallback plus reusable: %u", h.num_pages[0]);

	/* more reserved than free never underflows */
	h.hugepage_sz = RTE_PGSIZE_64K;
	eal_hugepage_count_pages(&h, false, 0);
	TEST_ASSERT_EQUAL(h.num_pages[0], 0, "resv > free: %u", h.num_pages[0]);
	eal_set_sysfs_root(NULL);
	return TEST_SUCCESS;
}

/* The real system, when it has a 2 MB mount, is read the same way. */
static int
test_real_system(void)
{
	struct hugepage_info hpi[MAX_HUGEPAGE_SIZES];
	int n, i;

	eal_set_sysfs_root(NULL);
	n = eal_hugepage_sizes_discover(hpi, MAX_HUGEPAGE_SIZES, "/proc/mounts",
		"/proc/meminfo", NULL, false);
	TEST_ASSERT(n >= 0, "discovery failed on this system: %d", n);
	for (i = 0; i < n; i++) {
		struct stat st;

		TEST_ASSERT(rte_is_power_of_2(hpi[i].hugepage_sz), "bad size");
		TEST_ASSERT(stat(hpi[i].hugedir, &st) == 0 && S_ISDIR(st.st_mode),
			"'%s' is not a directory", hpi[i].hugedir);
		if (i > 0)
			TEST_ASSERT(hpi[i - 1].hugepage_sz > hpi[i].hugepage_sz, "not sorted");
	}
	return TEST_SUCCESS;
}

static struct unit_test_suite hugepage_info_suite = {
	.suite_name = "hugepage discovery",
	.setup = setup_fixture,
	.teardown = teardown_fixture,
	.unit_test_cases = {
		TEST_CASE(test_default_size),
		TEST_CASE(test_find_mount),
		TEST_CASE(test_discover_sizes),
		TEST_CASE(test_count_pages),
		TEST_CASE(test_real_system),
		TEST_CASES_END()
	}
};

static int
test_hugepage_info(void)
{
	return unit_test_suite_runner(&hugepage_info_suite);
}

REGISTER_FAST_TEST(hugepage_info_autotest, NOHUGE_OK, ASAN_OK, test_hugepage_info);
