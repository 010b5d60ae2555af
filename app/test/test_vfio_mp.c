/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * VFIO across processes on a host without VFIO (vfio_mp_autotest). The
 * test process is the primary; a secondary is dpdk-test started again
 * with --proc-type=secondary, running the hidden command
 * vfio_mp_child_autotest in the role named by $VFIO_MP_ROLE.
 *
 * Both processes use a fake backend whose containers, groups and devices
 * are memfds. They are real files, so they travel over IPC like the
 * kernel's, and the state the kernel keeps per file lives in the file
 * itself: a group's flags (viable, in a container) and a container's
 * IOMMU type. What one process sets, the other sees. The DMA map calls
 * are counted per process: only the primary may make them.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_string_fns.h>
#include <rte_vfio.h>

#include "eal_vfio.h"
#include "test.h"
#include "test_vfio.h"

#define GROUP 5              /* devices 0000:00:10.0 and .1 */
#define GROUP_NODEV 99       /* 0000:00:11.0: no /dev/vfio node */
#define GROUP_NOT_VIABLE 6   /* 0000:00:13.0 */
#define GROUP_ELSEWHERE 7    /* 0000:00:14.0: never set up by the primary */
#define CHILD_TIMEOUT_S 30
#define UVA (1ULL << 40)

static struct {
	int module;
	unsigned int maps, unmaps, set_iommu;
} mpf;

static char sysfs_dir[PATH_MAX];

/* ------------------------------------------------------------------ */
/* fake backend: state in memfds                                       */
/* ------------------------------------------------------------------ */

static int
memfd_with(const char *name, uint32_t word)
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (pwrite(fd, &word, sizeof(word), 0) != sizeof(word)) {
		close(fd);
		return -EIO;
	}
	return fd;
}

static uint32_t
word_of(int fd)
{
	uint32_t w = 0;

	return pread(fd, &w, sizeof(w), 0) == sizeof(w) ? w : 0;
}

static int
set_word(int fd, uint32_t w)
{
	return pwrite(fd, &w, sizeof(w), 0) == sizeof(w) ? 0 : -EIO;
}

static int
mpf_module_loaded(const char *modname)
{
	return strcmp(modname, "vfio") == 0 ? mpf.module : 0;
}

static int
mpf_container_open(void)
{
	return memfd_with("vfio-fake-container", 0);
}

static int
mpf_group_open(int num)
{
	char name[32];

	if (num == GROUP_NODEV)
		return -ENOENT;
	snprintf(name, sizeof(name), "vfio-fake-group-%d", num);
	return memfd_with(name, num == GROUP_NOT_VIABLE ? 0 : VFIO_GROUP_FLAGS_VIABLE);
}

static void
mpf_close_fd(int fd)
{
	close(fd);
}

static int
mpf_set_iommu(int fd, int type)
{
	mpf.set_iommu++;
	if (word_of(fd) != 0)
		return -EBUSY;
	return set_word(fd, (uint32_t)type);
}

static int
mpf_group_status(int fd, uint32_t *flags)
{
	*flags = word_of(fd);
	return 0;
}

static int
mpf_group_set_container(int group_fd, int container_fd)
{
	RTE_SET_USED(container_fd);
	return set_word(group_fd, word_of(group_fd) | VFIO_GROUP_FLAGS_CONTAINER_SET);
}

static int
mpf_group_unset_container(int group_fd)
{
	return set_word(group_fd, word_of(group_fd) & ~VFIO_GROUP_FLAGS_CONTAINER_SET);
}

static int
mpf_device_open(int group_fd, const char *dev_addr)
{
	RTE_SET_USED(dev_addr);
	if (!(word_of(group_fd) & VFIO_GROUP_FLAGS_CONTAINER_SET))
		return -EINVAL;
	return memfd_with("vfio-fake-device", 0);
}

static int
mpf_dma_map(int fd, uint64_t vaddr, uint64_t iova, uint64_t len)
{
	RTE_SET_USED(fd);
	RTE_SET_USED(vaddr);
	RTE_SET_USED(iova);
	RTE_SET_USED(len);
	mpf.maps++;
	return 0;
}

static int
mpf_dma_unmap(int fd, uint64_t iova, uint64_t len)
{
	RTE_SET_USED(fd);
	RTE_SET_USED(iova);
	RTE_SET_USED(len);
	mpf.unmaps++;
	return 0;
}

static const struct vfio_backend mpf_backend = {
	.module_loaded = mpf_module_loaded,
	.noiommu_enabled = vfio_fake_noiommu_enabled,
	.container_open = mpf_container_open,
	.group_open = mpf_group_open,
	.close_fd = mpf_close_fd,
	.api_version = vfio_fake_api_version,
	.check_extension = vfio_fake_check_extension,
	.set_iommu = mpf_set_iommu,
	.group_status = mpf_group_status,
	.group_set_container = mpf_group_set_container,
	.group_unset_container = mpf_group_unset_container,
	.device_open = mpf_device_open,
	.device_info = vfio_fake_device_info,
	.dma_map = mpf_dma_map,
	.dma_unmap = mpf_dma_unmap,
};

/* (Re)start VFIO on the fake with the module loaded or not. */
static int
mpf_enable(int module)
{
	eal_vfio_set_backend(&mpf_backend);
	mpf.module = module;
	return rte_vfio_enable("vfio");
}

static ino_t
ino_of(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? st.st_ino : 0;
}

/* @return true if @p fd is a memfd whose name starts with @p name. */
static bool
fd_named(int fd, const char *name)
{
	char path[64], link[PATH_MAX], want[128];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return false;
	link[n] = '\0';
	snprintf(want, sizeof(want), "/memfd:%s", name);
	return strncmp(link, want, strlen(want)) == 0;
}

static int
count_open_fds(void)
{
	char path[64];
	int fd, n = 0;

	for (fd = 0; fd < 1024; fd++) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n += access(path, F_OK) == 0;
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* the secondary's roles                                               */
/* ------------------------------------------------------------------ */

/*
 * Send a raw EAL_VFIO_MP request of @p len parameter bytes (and @p send_fd
 * if >= 0). @return the number of answers; the first one goes to @p ans.
 */
static int
raw_request(const struct vfio_mp_param *q, int len, int send_fd, struct rte_mp_msg *ans)
{
	struct timespec ts = { .tv_sec = 5 };
	struct rte_mp_reply reply;
	struct rte_mp_msg m;
	int n;

	memset(&m, 0, sizeof(m));
	strlcpy(m.name, EAL_VFIO_MP, sizeof(m.name));
	memcpy(m.param, q, sizeof(*q));
	m.len_param = len;
	if (send_fd >= 0) {
		m.num_fds = 1;
		m.fds[0] = send_fd;
	}
	if (rte_mp_request_sync(&m, &reply, &ts) != 0)
		return -1;
	n = reply.nb_received;
	if (n > 0)
		*ans = reply.msgs[0];
	free(reply.msgs);
	return n;
}

/* Expect one answer with @p result and @p fds fds; @return the fd or -1. */
static int
expect_answer(int req, int len, int group_num, int result, int fds)
{
	struct vfio_mp_param q = { .req = req, .group_num = group_num }, a;
	struct rte_mp_msg ans;

	if (raw_request(&q, len, -1, &ans) != 1) {
		printf("request 0x%x (len %d): no answer\n", req, len);
		return -2;
	}
	memcpy(&a, ans.param, sizeof(a));
	if (ans.len_param != (int)sizeof(a) || a.result != result || ans.num_fds != fds) {
		printf("request 0x%x (len %d): result 0x%x with %d fds, want 0x%x with %d\n",
			req, len, a.result, ans.num_fds, result, fds);
		return -2;
	}
	return fds > 0 ? ans.fds[0] : -1;
}

/* Primary without VFIO: the secondary gets a clear "disabled" everywhere. */
static int
child_disabled(void)
{
	struct vfio_device_info info;
	int fd = -1;

	TEST_ASSERT_SUCCESS(mpf_enable(1), "enable must not fail");
	TEST_ASSERT_EQUAL(rte_vfio_is_enabled("vfio"), 0, "enabled without the primary's VFIO");
	ASSERT_FAILS_WITH(rte_vfio_get_container_fd(), ENODEV);
	ASSERT_FAILS_WITH(rte_vfio_get_group_fd(GROUP), ENODEV);
	ASSERT_FAILS_WITH(rte_vfio_container_create(), ENODEV);
	ASSERT_FAILS_WITH(rte_vfio_setup_device(sysfs_dir, "0000:00:10.0", &fd, &info), ENODEV);
	TEST_ASSERT_EQUAL(expect_answer(SOCKET_REQ_DEFAULT_CONTAINER,
		sizeof(struct vfio_mp_param), 0, SOCKET_ERR, 0), -1, "default container");
	TEST_ASSERT_EQUAL(expect_answer(SOCKET_REQ_GROUP, sizeof(struct vfio_mp_param), GROUP,
		SOCKET_ERR, 0), -1, "group");
	return TEST_SUCCESS;
}

/* Malformed, unknown and valid requests straight to the primary's action. */
static int
child_raw(void)
{
	const int len = sizeof(struct vfio_mp_param);
	ino_t primary_ino = (ino_t)strtoull(getenv("VFIO_MP_CONTAINER_INO"), NULL, 10);
	struct vfio_mp_param q = { .req = SOCKET_REQ_IOMMU_TYPE };
	struct rte_mp_msg ans;
	int fd, p[2];
	char c;

	TEST_ASSERT_EQUAL(expect_answer(SOCKET_REQ_DEFAULT_CONTAINER, 0, 0, SOCKET_ERR, 0), -1,
		"empty request");
	TEST_ASSERT_EQUAL(expect_answer(SOCKET_REQ_DEFAULT_CONTAINER, len + 4, 0, SOCKET_ERR, 0),
		-1, "long request");
	TEST_ASSERT_EQUAL(expect_answer(0x300, len, GROUP, SOCKET_ERR, 0), -1,
		"18.05's group clearing is not a 22.11 request");
	TEST_ASSERT_EQUAL(expect_answer(0xdead, len, 0, SOCKET_ERR, 0), -1, "unknown request");
	TEST_ASSERT_EQUAL(expect_answer(SOCKET_REQ_GROUP, len, -1, SOCKET_ERR, 0), -1,
		"negative group");
	TEST_ASSERT_EQUAL(expect_answer(SOCKET_REQ_GROUP, len, GROUP_NODEV, SOCKET_NO_FD, 0), -1,
		"group without device node");
	TEST_ASSERT_EQUAL(expect_answer(SOCKET_REQ_IOMMU_TYPE, len, 0, SOCKET_ERR, 0), -1,
		"IOMMU type before any device");

	/* an fd sent along is closed by the primary: the pipe sees EOF */
	TEST_ASSERT_SUCCESS(pipe2(p, O_CLOEXEC | O_NONBLOCK), "pipe");
	q.req = SOCKET_REQ_DEFAULT_CONTAINER;
	TEST_ASSERT_EQUAL(raw_request(&q, len, p[1], &ans), 1, "no answer");
	close(p[1]);
	TEST_ASSERT_EQUAL(ans.num_fds, 1, "no container fd");
	TEST_ASSERT_EQUAL(ino_of(ans.fds[0]), primary_ino, "not the primary's default container");
	close(ans.fds[0]);
	TEST_ASSERT_EQUAL(read(p[0], &c, 1), 0, "the primary kept the fd we sent");
	close(p[0]);

	fd = expect_answer(SOCKET_REQ_CONTAINER, len, 0, SOCKET_OK, 1);
	TEST_ASSERT(fd >= 0 && fd_named(fd, "vfio-fake-container"), "no new container");
	TEST_ASSERT_NOT_EQUAL(ino_of(fd), primary_ino, "new container is the default one");
	close(fd);
	fd = expect_answer(SOCKET_REQ_GROUP, len, GROUP, SOCKET_OK, 1);
	TEST_ASSERT(fd >= 0 && fd_named(fd, "vfio-fake-group-5"), "no group fd");
	close(fd);
	return TEST_SUCCESS;
}

/* Before the primary set up a device: nothing to join yet. */
static int
child_early(void)
{
	struct vfio_device_info info;
	int fd = -1;

	TEST_ASSERT_SUCCESS(mpf_enable(1), "enable failed");
	TEST_ASSERT_EQUAL(rte_vfio_is_enabled("vfio"), 1, "not enabled");
	ASSERT_FAILS_WITH(rte_vfio_setup_device(sysfs_dir, "0000:00:10.0", &fd, &info), ENODEV);
	TEST_ASSERT_EQUAL(fd, -1, "device fd written on failure");
	ASSERT_FAILS_WITH(rte_vfio_container_dma_map(RTE_VFIO_DEFAULT_CONTAINER_FD, UVA, UVA,
		4096), ENODEV);
	TEST_ASSERT_EQUAL(mpf.set_iommu + mpf.maps, 0u, "the secondary touched the IOMMU");
	return TEST_SUCCESS;
}

/* The primary set up group GROUP: the secondary uses its container and group. */
static int
child_device(void)
{
	ino_t primary_ino = (ino_t)strtoull(getenv("VFIO_MP_CONTAINER_INO"), NULL, 10);
	struct vfio_device_info info;
	int fd1 = -1, fd2 = -1, fd = -1, gfd, keep, cfd;
	void *p;

	TEST_ASSERT_SUCCESS(mpf_enable(1), "enable failed");
	cfd = rte_vfio_get_container_fd();
	TEST_ASSERT(cfd >= 0, "no default container");
	TEST_ASSERT_EQUAL(ino_of(cfd), primary_ino, "not the primary's default container");

	TEST_ASSERT_SUCCESS(rte_vfio_setup_device(sysfs_dir, "0000:00:10.0", &fd1, &info),
		"setup in the secondary failed");
	TEST_ASSERT(fd_named(fd1, "vfio-fake-device"), "bad device fd");
	TEST_ASSERT_EQUAL(info.num_regions, 9u, "device info not filled");
	TEST_ASSERT_SUCCESS(rte_vfio_setup_device(sysfs_dir, "0000:00:10.1", &fd2, &info),
		"second device failed");
	gfd = rte_vfio_get_group_fd(GROUP);
	TEST_ASSERT(gfd > 0 && fd_named(gfd, "vfio-fake-group-5"), "group fd");
	TEST_ASSERT_EQUAL(rte_vfio_get_group_fd(GROUP_NODEV), 0, "group without node");
	TEST_ASSERT_EQUAL(rte_vfio_setup_device(sysfs_dir, "0000:00:11.0", &fd, &info), 1,
		"device without node set up");
	ASSERT_FAILS_WITH(rte_vfio_setup_device(sysfs_dir, "0000:00:13.0", &fd, &info), EPERM);
	ASSERT_FAILS_WITH(rte_vfio_setup_device(sysfs_dir, "0000:00:14.0", &fd, &info), ENODEV);

	/* memory the secondary grows the heap for is the primary's to map */
	p = rte_malloc("vfio_mp", 4 << 20, 0);
	TEST_ASSERT_NOT_NULL(p, "rte_malloc in the secondary failed");
	memset(p, 0x5a, 4 << 20);
	rte_free(p);
	TEST_ASSERT_EQUAL(mpf.set_iommu, 0u, "the secondary set the IOMMU type");
	TEST_ASSERT_EQUAL(mpf.maps + mpf.unmaps, 0u, "the secondary mapped memory itself");

	/* user mappings go into the shared container */
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_map(RTE_VFIO_DEFAULT_CONTAINER_FD, UVA, UVA,
		4096), "user map failed");
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_unmap(RTE_VFIO_DEFAULT_CONTAINER_FD, UVA, UVA,
		4096), "user unmap failed");

	/* a container of its own comes from the primary too */
	fd = rte_vfio_container_create();
	TEST_ASSERT(fd >= 0 && fd_named(fd, "vfio-fake-container"), "container_create failed");
	TEST_ASSERT_NOT_EQUAL(ino_of(fd), primary_ino, "created container is the default one");
	TEST_ASSERT_SUCCESS(rte_vfio_container_destroy(fd), "destroy failed");

	/* releasing leaves the group in the primary's container */
	keep = dup(gfd);
	TEST_ASSERT_SUCCESS(rte_vfio_release_device(sysfs_dir, "0000:00:10.1", fd2), "release");
	TEST_ASSERT_SUCCESS(rte_vfio_release_device(sysfs_dir, "0000:00:10.0", fd1), "release");
	ASSERT_FAILS_WITH(rte_vfio_clear_group(gfd), ENOENT);
	TEST_ASSERT(word_of(keep) & VFIO_GROUP_FLAGS_CONTAINER_SET,
		"the secondary took the group out of the primary's container");
	close(keep);
	TEST_ASSERT_EQUAL(mpf.maps + mpf.unmaps, 2u, "only the user map and unmap expected");
	return TEST_SUCCESS;
}

static int
vfio_mp_child(void)
{
	const char *role = getenv("VFIO_MP_ROLE");
	const char *dir = getenv("VFIO_MP_SYSFS");
	int ret;

	if (role == NULL || dir == NULL || rte_eal_process_type() != RTE_PROC_SECONDARY)
		return TEST_FAILED;
	strlcpy(sysfs_dir, dir, sizeof(sysfs_dir));
	if (strcmp(role, "disabled") == 0)
		ret = child_disabled();
	else if (strcmp(role, "raw") == 0)
		ret = child_raw();
	else if (strcmp(role, "early") == 0)
		ret = child_early();
	else if (strcmp(role, "device") == 0)
		ret = child_device();
	else
		ret = TEST_FAILED;
	eal_vfio_set_backend(NULL);
	rte_vfio_enable("vfio");
	return ret;
}

REGISTER_TEST_COMMAND(vfio_mp_child_autotest, vfio_mp_child);

/* ------------------------------------------------------------------ */
/* the primary                                                         */
/* ------------------------------------------------------------------ */

int
vfio_test_run_secondary(const char *command, const char *const *env, int timeout_s)
{
	char pt[] = "--proc-type=secondary", fp[NAME_MAX + 32], hd[PATH_MAX + 16];
	char *argv[10], name[64];
	int n = 0, status, waited;
	const char *eq;
	pid_t pid;

	snprintf(fp, sizeof(fp), "--file-prefix=%s", test_file_prefix);
	argv[n++] = RTE_PTR_UNQUAL(prgname);
	argv[n++] = RTE_PTR_UNQUAL("-l");
	argv[n++] = RTE_PTR_UNQUAL("0");
	argv[n++] = pt;
	argv[n++] = fp;
	if (test_huge_dir[0] != '\0') {
		snprintf(hd, sizeof(hd), "--huge-dir=%s", test_huge_dir);
		argv[n++] = hd;
	}
	if (!test_have_hugepages())
		argv[n++] = RTE_PTR_UNQUAL("--no-huge");
	argv[n] = NULL;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		setenv("DPDK_TEST", command, 1);
		for (; env != NULL && *env != NULL; env++) {
			eq = strchr(*env, '=');
			if (eq == NULL || eq - *env >= (int)sizeof(name))
				_exit(126);
			snprintf(name, sizeof(name), "%.*s", (int)(eq - *env), *env);
			setenv(name, eq + 1, 1);
		}
		/* the prefix and huge dir are already in argv */
		unsetenv("DPDK_TEST_PREFIX_SUFFIX");
		unsetenv("DPDK_TEST_HUGE_DIR");
		execv(argv[0], argv);
		_exit(127);
	}
	/* this process's IPC thread answers the secondary meanwhile */
	for (waited = 0; waited < timeout_s * 100; waited++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	printf("secondary '%s' did not finish in %d s\n", command, timeout_s);
	return -1;
}

/* Run a secondary in @p role; @return its exit status, -1 if it failed. */
static int
run_child(const char *role)
{
	char r[64], dir[PATH_MAX + 16], ino[64];
	const char *env[] = { r, dir, ino, NULL };
	int cfd = rte_vfio_get_container_fd();

	snprintf(r, sizeof(r), "VFIO_MP_ROLE=%s", role);
	snprintf(dir, sizeof(dir), "VFIO_MP_SYSFS=%s", sysfs_dir);
	snprintf(ino, sizeof(ino), "VFIO_MP_CONTAINER_INO=%" PRIu64,
		cfd >= 0 ? (uint64_t)ino_of(cfd) : 0);
	return vfio_test_run_secondary("vfio_mp_child_autotest", env, CHILD_TIMEOUT_S);
}

static const struct vfio_test_dev sysfs_devs[] = {
	{ "0000:00:10.0", GROUP },
	{ "0000:00:10.1", GROUP },
	{ "0000:00:11.0", GROUP_NODEV },
	{ "0000:00:13.0", GROUP_NOT_VIABLE },
	{ "0000:00:14.0", GROUP_ELSEWHERE },
};

static int
suite_setup(void)
{
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return test_not_primary();
	if (vfio_test_sysfs_create(sysfs_dir, sizeof(sysfs_dir), sysfs_devs,
			RTE_DIM(sysfs_devs)) != 0)
		return TEST_FAILED;
	return TEST_SUCCESS;
}

static void
suite_teardown(void)
{
	eal_vfio_set_backend(NULL);
	rte_vfio_enable("vfio");
	vfio_test_sysfs_remove(sysfs_dir, sysfs_devs, RTE_DIM(sysfs_devs));
}

static int
test_vfio_mp_primary_disabled(void)
{
	TEST_ASSERT_SUCCESS(mpf_enable(0), "enable failed");
	TEST_ASSERT_EQUAL(rte_vfio_is_enabled("vfio"), 0, "enabled without the module");
	TEST_ASSERT_EQUAL(run_child("disabled"), 0, "secondary 'disabled' failed");
	return TEST_SUCCESS;
}

static int
test_vfio_mp_raw(void)
{
	int before, after;

	TEST_ASSERT_SUCCESS(mpf_enable(1), "enable failed");
	TEST_ASSERT(rte_vfio_get_container_fd() >= 0, "no default container");
	before = count_open_fds();
	TEST_ASSERT_EQUAL(run_child("raw"), 0, "secondary 'raw' failed");
	after = count_open_fds();
	/* the group the secondary asked for stays open here, as in 22.11 */
	TEST_ASSERT_EQUAL(after, before + 1, "%d fds open before, %d after", before, after);
	TEST_ASSERT(rte_vfio_get_group_fd(GROUP) > 0, "group not in the primary's table");
	return TEST_SUCCESS;
}

static int
test_vfio_mp_device(void)
{
	struct vfio_device_info info;
	unsigned int maps;
	int fd, gfd;

	TEST_ASSERT_SUCCESS(mpf_enable(1), "enable failed");
	TEST_ASSERT_EQUAL(run_child("early"), 0, "secondary 'early' failed");

	mpf.maps = mpf.unmaps = mpf.set_iommu = 0;
	TEST_ASSERT_SUCCESS(rte_vfio_setup_device(sysfs_dir, "0000:00:10.0", &fd, &info),
		"setup in the primary failed");
	TEST_ASSERT_EQUAL(mpf.set_iommu, 1u, "IOMMU type not set once");
	gfd = rte_vfio_get_group_fd(GROUP);
	maps = mpf.maps;
	TEST_ASSERT_EQUAL(run_child("device"), 0, "secondary 'device' failed");

	/* the heap growth for the secondary was mapped (and unmapped) here */
	if (test_have_hugepages())
		TEST_ASSERT(mpf.maps > maps && mpf.unmaps > 0, "maps %u -> %u, unmaps %u",
			maps, mpf.maps, mpf.unmaps);
	/* and the primary goes on as before */
	TEST_ASSERT_EQUAL(rte_vfio_get_group_fd(GROUP), gfd, "group fd changed");
	TEST_ASSERT(word_of(gfd) & VFIO_GROUP_FLAGS_CONTAINER_SET, "group left the container");
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_map(RTE_VFIO_DEFAULT_CONTAINER_FD, UVA, UVA,
		4096), "user map in the primary failed");
	TEST_ASSERT_SUCCESS(rte_vfio_container_dma_unmap(RTE_VFIO_DEFAULT_CONTAINER_FD, UVA,
		UVA, 4096), "user unmap in the primary failed");
	TEST_ASSERT_SUCCESS(rte_vfio_release_device(sysfs_dir, "0000:00:10.0", fd), "release");
	return TEST_SUCCESS;
}

static struct unit_test_suite vfio_mp_suite = {
	.suite_name = "vfio multi-process",
	.setup = suite_setup,
	.teardown = suite_teardown,
	.unit_test_cases = {
		TEST_CASE(test_vfio_mp_primary_disabled),
		TEST_CASE(test_vfio_mp_raw),
		TEST_CASE(test_vfio_mp_device),
		TEST_CASES_END(),
	},
};

static int
test_vfio_mp(void)
{
	return unit_test_suite_runner(&vfio_mp_suite);
}

REGISTER_FAST_TEST(vfio_mp_autotest, NOHUGE_OK, ASAN_OK, test_vfio_mp);
