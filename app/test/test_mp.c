/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Multi-process tests. The test process is the primary; secondaries are
 * real processes: dpdk-test started again (fork + exec) with
 * --proc-type=secondary and the same --file-prefix/--huge-dir, running the
 * hidden command "mp_child_autotest" in the role named by $MP_CHILD_ROLE.
 */

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <dirent.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_errno.h>
#include <rte_pause.h>
#include <rte_random.h>

#include "eal_filesystem.h"
#include "eal_memcfg.h"
#include "eal_shared_lock.h"
#include "test.h"
#include "test_mp.h"

#define NOBODY_UID 65534

/* same layout as the wire format of eal_common_proc.c */
struct test_wire {
	int32_t type;
	struct rte_mp_msg msg;
};
#define TEST_WIRE_MSG 1

volatile int ready_count;
static volatile int ready_pid;
static volatile int pong_count;
static volatile int counted;
static volatile int async_done;
static int async_sent, async_received;
static uint8_t async_param[4];

double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wait until *v >= want or @p secs elapse. @return true if reached. */
bool
wait_for(volatile int *v, int want, double secs)
{
	double end = now_s() + secs;

	while (__atomic_load_n(v, __ATOMIC_ACQUIRE) < want) {
		if (now_s() > end)
			return false;
		usleep(1000);
	}
	return true;
}

/*
 * Start dpdk-test as a child in @p role with @p proc_type and @p prefix
 * (NULL: ours). @return its pid or -1.
 */
pid_t
spawn_child(const char *role, const char *proc_type, const char *prefix, const char *extra)
{
	static char pt[64], fp[NAME_MAX + 32], hd[PATH_MAX + 16];
	char *argv[12];
	int n = 0;
	pid_t pid;

	snprintf(pt, sizeof(pt), "--proc-type=%s", proc_type);
	snprintf(fp, sizeof(fp), "--file-prefix=%s", prefix != NULL ? prefix : test_file_prefix);
	argv[n++] = RTE_PTR_UNQUAL(prgname);
	argv[n++] = RTE_PTR_UNQUAL("-l");
	argv[n++] = RTE_PTR_UNQUAL("0");
	argv[n++] = pt;
	argv[n++] = fp;
	argv[n++] = RTE_PTR_UNQUAL("--log-level=lib.eal:warning");
	if (test_huge_dir[0] != '\0') {
		snprintf(hd, sizeof(hd), "--huge-dir=%s", test_huge_dir);
		argv[n++] = hd;
	}
	if (!test_have_hugepages())
		argv[n++] = RTE_PTR_UNQUAL("--no-huge");
	if (extra != NULL)
		argv[n++] = RTE_PTR_UNQUAL(extra);
	argv[n] = NULL;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid != 0)
		return pid;
	/* a test process that dies (or whose watchdog fires) takes its children along */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	setenv("DPDK_TEST", "mp_child_autotest", 1);
	setenv("MP_CHILD_ROLE", role, 1);
	unsetenv("DPDK_TEST_PREFIX_SUFFIX");
	unsetenv("DPDK_TEST_HUGE_DIR");
	execv(argv[0], argv);
	_exit(127);
}

/* @return the exit status of @p pid (-1 if killed or it timed out). */
int
wait_child(pid_t pid, double secs)
{
	double end = now_s() + secs;
	int status;
	pid_t r;

	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		if (r < 0)
			return -1;
		if (now_s() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			printf("child %d did not finish in %.0f s\n", (int)pid, secs);
			return -1;
		}
		usleep(2000);
	}
}

static void
set_name(struct rte_mp_msg *m, const char *name)
{
	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", name);
}

/* ---- the child side ---- */

static int async_clb(const struct rte_mp_msg *req, const struct rte_mp_reply *reply);

static volatile int child_quit;

static int
write_memfd(const char *text)
{
	int fd = memfd_create("mp_test", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Echo: payload bytes + 1; a received fd's content comes back as payload,
 * with an fd of ours. */
static int
child_echo(const struct rte_mp_msg *msg, const void *peer)
{
	struct rte_mp_msg r;
	int i, fd = -1, ret;
	ssize_t n;

	set_name(&r, msg->name);
	r.len_param = msg->len_param;
	for (i = 0; i < msg->len_param; i++)
		r.param[i] = msg->param[i] + 1;
	if (msg->num_fds == 1) {
		n = pread(msg->fds[0], r.param, sizeof(r.param), 0);
		r.len_param = n > 0 ? (int)n : 0;
		close(msg->fds[0]);
		fd = write_memfd("child data");
		r.fds[0] = fd;
		r.num_fds = fd >= 0 ? 1 : 0;
	}
	ret = rte_mp_reply(&r, peer);
	if (fd >= 0)
		close(fd);
	return ret;
}

static int
child_ping(const struct rte_mp_msg *msg __rte_unused, const void *peer __rte_unused)
{
	struct rte_mp_msg m;

	set_name(&m, "mp_test_pong");
	return rte_mp_sendmsg(&m);
}

static int
child_quit_action(const struct rte_mp_msg *msg __rte_unused, const void *peer __rte_unused)
{
	child_quit = 1;
	return 0;
}

/* Tell the primary we are ready with a synchronous request. */
int
child_say_ready(void)
{
	struct timespec ts = { .tv_sec = 5 };
	struct rte_mp_reply reply;
	struct rte_mp_msg m;
	int pid = getpid(), ok;

	set_name(&m, "mp_test_ready");
	memcpy(m.param, &pid, sizeof(pid));
	m.len_param = sizeof(pid);
	if (rte_mp_request_sync(&m, &reply, &ts) != 0)
		return -1;
	ok = reply.nb_sent == 1 && reply.nb_received == 1 && reply.msgs[0].len_param == 1 &&
		reply.msgs[0].param[0] == 'k';
	free(reply.msgs);
	return ok ? 0 : -1;
}

static int
child_ipc(void)
{
	double end = now_s() + CHILD_WAIT_S;

	if (rte_mp_action_register("mp_test_echo", child_echo) != 0 ||
	    rte_mp_action_register("mp_test_ping", child_ping) != 0 ||
	    rte_mp_action_register("mp_test_quit", child_quit_action) != 0)
		return TEST_FAILED;
	if (child_say_ready() != 0)
		return TEST_FAILED;
	while (!child_quit && now_s() < end)
		usleep(1000);
	return child_quit ? TEST_SUCCESS : TEST_FAILED;
}

/* A primary that disables IPC must refuse secondaries. */
static int
child_disable(void)
{
	pid_t pid;

	if (!rte_mp_disable())
		return TEST_FAILED;
	pid = spawn_child("none", "secondary", NULL, NULL);
	if (pid < 0 || wait_child(pid, CHILD_WAIT_S) == 0)
		return TEST_FAILED;
	return TEST_SUCCESS;
}

/* --no-shconf: IPC is off, with DPDK's return values. */
static int
child_noshconf(void)
{
	struct timespec ts = { .tv_sec = 1 };
	struct rte_mp_reply reply;
	struct rte_mp_msg m;

	set_name(&m, "mp_test_x");
	if (rte_mp_action_register("mp_test_x", child_ping) != -1 || rte_errno != ENOTSUP)
		return TEST_FAILED;
	if (rte_mp_sendmsg(&m) != 0)
		return TEST_FAILED;
	if (rte_mp_request_sync(&m, &reply, &ts) != 0 || reply.nb_sent != 0)
		return TEST_FAILED;
	if (rte_mp_request_async(&m, &ts, async_clb) != -1 || rte_errno != ENOTSUP)
		return TEST_FAILED;
	return TEST_SUCCESS;
}

/* Take a shared lock, tell the primary, then wait to be killed. */
static int
child_hold_lock(const char *which)
{
	if (strcmp(which, "hold_write") == 0)
		rte_mcfg_mem_write_lock();
	else if (strcmp(which, "hold_read") == 0)
		rte_mcfg_mem_read_lock();
	else if (strcmp(which, "hold_spin") == 0)
		rte_mcfg_timer_lock();
	else
		return TEST_FAILED;
	if (child_say_ready() != 0)
		return TEST_FAILED;
	if (getenv("MP_CHILD_HOLD_MS") != NULL) {
		usleep(1000 * atoi(getenv("MP_CHILD_HOLD_MS")));
		rte_mcfg_mem_write_unlock();
		return TEST_SUCCESS;
	}
	sleep(CHILD_WAIT_S);
	return TEST_FAILED;
}

/* test_mp_mem.c provides the memory roles when it is built */
__rte_weak int
mp_mem_child(const char *role)
{
	printf("no memory child roles in this build ('%s')\n", role);
	return TEST_FAILED;
}

__rte_weak int
mp_crash_child(const char *role)
{
	printf("no crash child roles in this build ('%s')\n", role);
	return TEST_FAILED;
}

static int
mp_child(void)
{
	const char *role = getenv("MP_CHILD_ROLE");

	if (role == NULL)
		return TEST_FAILED;
	if (strcmp(role, "ipc") == 0)
		return child_ipc();
	if (strcmp(role, "disable") == 0)
		return child_disable();
	if (strcmp(role, "noshconf") == 0)
		return child_noshconf();
	if (strcmp(role, "none") == 0)
		return TEST_SUCCESS;
	if (strncmp(role, "hold_", 5) == 0)
		return child_hold_lock(role);
	if (strncmp(role, "mem_", 4) == 0)
		return mp_mem_child(role);
	if (strncmp(role, "crash_", 6) == 0)
		return mp_crash_child(role);
	printf("unknown child role '%s'\n", role);
	return TEST_FAILED;
}

REGISTER_TEST_COMMAND(mp_child_autotest, mp_child);

/* ---- the primary side ---- */

static int
primary_ready(const struct rte_mp_msg *msg, const void *peer)
{
	struct rte_mp_msg r;
	int pid;

	memcpy(&pid, msg->param, sizeof(pid));
	__atomic_store_n(&ready_pid, pid, __ATOMIC_RELEASE);
	set_name(&r, msg->name);
	r.param[0] = 'k';
	r.len_param = 1;
	rte_mp_reply(&r, peer);
	__atomic_fetch_add(&ready_count, 1, __ATOMIC_RELEASE);
	return 0;
}

static int
primary_pong(const struct rte_mp_msg *msg __rte_unused, const void *peer __rte_unused)
{
	__atomic_fetch_add(&pong_count, 1, __ATOMIC_RELEASE);
	return 0;
}

static int
primary_count(const struct rte_mp_msg *msg, const void *peer __rte_unused)
{
	int i;

	for (i = 0; i < msg->num_fds; i++)
		close(msg->fds[i]);
	__atomic_fetch_add(&counted, 1, __ATOMIC_RELEASE);
	return 0;
}

int
mp_ready_register(void)
{
	return rte_mp_action_register("mp_test_ready", primary_ready);
}

void
mp_ready_unregister(void)
{
	rte_mp_action_unregister("mp_test_ready");
}

/* Start an "ipc" secondary and wait for its ready message. */
static pid_t
start_ipc_child(void)
{
	int before = ready_count;
	pid_t pid = spawn_child("ipc", "secondary", NULL, NULL);

	if (pid < 0)
		return -1;
	if (!wait_for(&ready_count, before + 1, CHILD_WAIT_S)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

static int
stop_ipc_child(pid_t pid)
{
	struct rte_mp_msg m;

	set_name(&m, "mp_test_quit");
	if (rte_mp_sendmsg(&m) != 0)
		return -1;
	return wait_child(pid, CHILD_WAIT_S);
}

/* @return true if a socket file of @p pid is in the runtime dir. */
static bool
has_socket_of(pid_t pid)
{
	char want[64];
	struct dirent *e;
	bool found = false;
	DIR *d = opendir(eal_get_runtime_dir());

	if (d == NULL)
		return false;
	snprintf(want, sizeof(want), "mp_socket_%d_", (int)pid);
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, want, strlen(want)) == 0)
			found = true;
	closedir(d);
	return found;
}

static int
noop_action(const struct rte_mp_msg *msg __rte_unused, const void *peer __rte_unused)
{
	return 0;
}

static int
test_action_register(void)
{
	char long_name[RTE_MP_MAX_NAME_LEN + 1];

	TEST_ASSERT_SUCCESS(rte_mp_action_register("mp_test_reg", noop_action),
		"register failed: %s", rte_strerror(rte_errno));
	TEST_ASSERT_EQUAL(rte_mp_action_register("mp_test_reg", noop_action), -1,
		"duplicate register accepted");
	TEST_ASSERT_EQUAL(rte_errno, EEXIST, "duplicate: errno %d, want EEXIST", rte_errno);
	rte_mp_action_unregister("mp_test_reg");
	TEST_ASSERT_SUCCESS(rte_mp_action_register("mp_test_reg", noop_action),
		"register after unregister failed");
	rte_mp_action_unregister("mp_test_reg");
	rte_mp_action_unregister("mp_test_never_registered");
	rte_mp_action_unregister(NULL);

	TEST_ASSERT_EQUAL(rte_mp_action_register(NULL, noop_action), -1, "NULL name accepted");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "NULL name: errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_mp_action_register("", noop_action), -1, "empty name accepted");
	TEST_ASSERT_EQUAL(rte_mp_action_register("mp_test_reg", NULL), -1, "NULL action accepted");
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	TEST_ASSERT_EQUAL(rte_mp_action_register(long_name, noop_action), -1,
		"name of %zu bytes accepted", strlen(long_name));
	TEST_ASSERT_EQUAL(rte_errno, E2BIG, "long name: errno %d", rte_errno);
	return TEST_SUCCESS;
}

static int
test_bad_messages_refused(void)
{
	struct timespec ts = { .tv_sec = 1 };
	struct rte_mp_reply reply;
	struct rte_mp_msg m;

	set_name(&m, "mp_test_x");
	m.len_param = RTE_MP_MAX_PARAM_LEN + 1;
	TEST_ASSERT_EQUAL(rte_mp_sendmsg(&m), -1, "oversized payload sent");
	m.len_param = 0;
	m.num_fds = RTE_MP_MAX_FD_NUM + 1;
	TEST_ASSERT_EQUAL(rte_mp_sendmsg(&m), -1, "too many fds sent");
	m.num_fds = -1;
	TEST_ASSERT_EQUAL(rte_mp_request_sync(&m, &reply, &ts), -1, "negative fd count sent");
	TEST_ASSERT_EQUAL(rte_errno, E2BIG, "bad fd count: errno %d", rte_errno);
	set_name(&m, "");
	TEST_ASSERT_EQUAL(rte_mp_sendmsg(&m), -1, "nameless message sent");
	TEST_ASSERT_EQUAL(rte_mp_sendmsg(NULL), -1, "NULL message sent");
	set_name(&m, "mp_test_x");
	TEST_ASSERT_EQUAL(rte_mp_request_sync(&m, NULL, &ts), -1, "NULL reply accepted");
	TEST_ASSERT_EQUAL(rte_mp_request_async(&m, &ts, NULL), -1, "NULL callback accepted");
	TEST_ASSERT_EQUAL(rte_mp_reply(&m, NULL), -1, "reply without peer accepted");
	return TEST_SUCCESS;
}

static int
test_no_secondary(void)
{
	struct timespec ts = { .tv_sec = 1 };
	struct rte_mp_reply reply;
	struct rte_mp_msg m;
	double t0 = now_s();

	set_name(&m, "mp_test_echo");
	TEST_ASSERT_SUCCESS(rte_mp_sendmsg(&m), "sendmsg without secondaries failed");
	TEST_ASSERT_SUCCESS(rte_mp_request_sync(&m, &reply, &ts), "request failed");
	TEST_ASSERT_EQUAL(reply.nb_sent, 0, "sent to %d peers, none exists", reply.nb_sent);
	TEST_ASSERT_EQUAL(reply.nb_received, 0, "received %d replies", reply.nb_received);
	TEST_ASSERT(now_s() - t0 < 0.5, "request to nobody took %.2f s", now_s() - t0);
	return TEST_SUCCESS;
}

static int
async_clb(const struct rte_mp_msg *req __rte_unused, const struct rte_mp_reply *reply)
{
	async_sent = reply->nb_sent;
	async_received = reply->nb_received;
	if (reply->nb_received == 1)
		memcpy(async_param, reply->msgs[0].param, sizeof(async_param));
	__atomic_store_n(&async_done, 1, __ATOMIC_RELEASE);
	return 0;
}

static int
check_sync_echo(void)
{
	struct timespec ts = { .tv_sec = 5 };
	struct rte_mp_reply reply;
	struct rte_mp_msg m;

	set_name(&m, "mp_test_echo");
	m.param[0] = 1;
	m.param[1] = 2;
	m.param[2] = 3;
	m.len_param = 3;
	TEST_ASSERT_SUCCESS(rte_mp_request_sync(&m, &reply, &ts), "request failed: %s",
		rte_strerror(rte_errno));
	TEST_ASSERT_EQUAL(reply.nb_sent, 1, "sent to %d peers, want 1", reply.nb_sent);
	TEST_ASSERT_EQUAL(reply.nb_received, 1, "%d replies, want 1", reply.nb_received);
	TEST_ASSERT(reply.msgs[0].len_param == 3 && reply.msgs[0].param[0] == 2 &&
		reply.msgs[0].param[2] == 4, "wrong echo payload");
	TEST_ASSERT_EQUAL(strcmp(reply.msgs[0].name, "mp_test_echo"), 0, "reply name '%s'",
		reply.msgs[0].name);
	free(reply.msgs);
	return TEST_SUCCESS;
}

static int
check_async_echo(void)
{
	struct timespec ts = { .tv_sec = 5 };
	struct rte_mp_msg m;

	set_name(&m, "mp_test_echo");
	m.param[0] = 10;
	m.len_param = 1;
	async_done = 0;
	TEST_ASSERT_SUCCESS(rte_mp_request_async(&m, &ts, async_clb), "async request failed");
	TEST_ASSERT(wait_for(&async_done, 1, 6), "async callback never ran");
	TEST_ASSERT(async_sent == 1 && async_received == 1, "async: sent %d received %d",
		async_sent, async_received);
	TEST_ASSERT_EQUAL(async_param[0], 11, "async payload %u, want 11", async_param[0]);
	return TEST_SUCCESS;
}

static int
check_fd_passing(void)
{
	struct timespec ts = { .tv_sec = 5 };
	struct rte_mp_reply reply;
	struct rte_mp_msg m;
	char buf[32] = "";
	int fd = write_memfd("primary data");
	ssize_t n;

	TEST_ASSERT(fd >= 0, "memfd: %s", strerror(errno));
	set_name(&m, "mp_test_echo");
	m.fds[0] = fd;
	m.num_fds = 1;
	TEST_ASSERT_SUCCESS(rte_mp_request_sync(&m, &reply, &ts), "request failed");
	close(fd);
	TEST_ASSERT_EQUAL(reply.nb_received, 1, "%d replies", reply.nb_received);
	TEST_ASSERT(reply.msgs[0].len_param == 12 &&
		memcmp(reply.msgs[0].param, "primary data", 12) == 0,
		"secondary did not read our fd");
	TEST_ASSERT_EQUAL(reply.msgs[0].num_fds, 1, "reply carries %d fds", reply.msgs[0].num_fds);
	n = pread(reply.msgs[0].fds[0], buf, sizeof(buf) - 1, 0);
	close(reply.msgs[0].fds[0]);
	free(reply.msgs);
	TEST_ASSERT(n == 10 && memcmp(buf, "child data", 10) == 0, "secondary's fd reads '%s'",
		buf);
	return TEST_SUCCESS;
}

static int
check_no_handler_and_sendmsg(void)
{
	struct timespec ts = { .tv_sec = 5 };
	struct rte_mp_reply reply;
	struct rte_mp_msg m;
	double t0 = now_s();
	int before = pong_count;

	set_name(&m, "mp_test_nobody_handles_this");
	TEST_ASSERT_SUCCESS(rte_mp_request_sync(&m, &reply, &ts), "request failed");
	free(reply.msgs);
	TEST_ASSERT(reply.nb_sent == 0 && reply.nb_received == 0,
		"unhandled request: sent %d received %d", reply.nb_sent, reply.nb_received);
	TEST_ASSERT(now_s() - t0 < 2, "unhandled request waited %.1f s", now_s() - t0);
	set_name(&m, "mp_test_ping");
	TEST_ASSERT_SUCCESS(rte_mp_sendmsg(&m), "sendmsg failed");
	TEST_ASSERT(wait_for(&pong_count, before + 1, 5), "no pong from the secondary");
	return TEST_SUCCESS;
}

static int
test_real_secondary(void)
{
	pid_t pid = start_ipc_child();
	int ret;

	TEST_ASSERT(pid > 0, "secondary did not start");
	TEST_ASSERT_EQUAL(ready_pid, pid, "ready came from %d, not %d", ready_pid, (int)pid);
	TEST_ASSERT(has_socket_of(pid), "no mp_socket_%d_* in the runtime dir", (int)pid);
	ret = check_sync_echo();
	if (ret == TEST_SUCCESS)
		ret = check_async_echo();
	if (ret == TEST_SUCCESS)
		ret = check_fd_passing();
	if (ret == TEST_SUCCESS)
		ret = check_no_handler_and_sendmsg();
	if (ret == TEST_SUCCESS)
		TEST_ASSERT(!rte_mp_disable(), "rte_mp_disable() succeeded with a secondary");
	TEST_ASSERT_EQUAL(stop_ipc_child(pid), 0, "secondary failed");
	TEST_ASSERT(!has_socket_of(pid), "secondary left its socket behind");
	return ret;
}

static int
test_two_secondaries(void)
{
	struct timespec ts = { .tv_sec = 5 };
	struct rte_mp_reply reply;
	struct rte_mp_msg m;
	pid_t a = start_ipc_child(), b = start_ipc_child();
	int ret = TEST_SUCCESS;

	TEST_ASSERT(a > 0 && b > 0, "secondaries did not start");
	set_name(&m, "mp_test_echo");
	m.len_param = 1;
	if (rte_mp_request_sync(&m, &reply, &ts) != 0 || reply.nb_sent != 2 ||
	    reply.nb_received != 2) {
		printf("broadcast: sent %d received %d\n", reply.nb_sent, reply.nb_received);
		ret = TEST_FAILED;
	}
	free(reply.msgs);
	TEST_ASSERT_EQUAL(stop_ipc_child(a), 0, "secondary a failed");
	TEST_ASSERT_EQUAL(wait_child(b, CHILD_WAIT_S), 0, "secondary b failed");
	return ret;
}

static int
test_dead_peer_skipped(void)
{
	struct timespec ts = { .tv_sec = 5 };
	struct rte_mp_reply reply;
	struct rte_mp_msg m;
	pid_t pid = start_ipc_child();
	double t0;

	TEST_ASSERT(pid > 0, "secondary did not start");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	TEST_ASSERT(has_socket_of(pid), "a killed secondary cannot remove its socket");
	set_name(&m, "mp_test_echo");
	t0 = now_s();
	TEST_ASSERT_SUCCESS(rte_mp_request_sync(&m, &reply, &ts), "request failed");
	free(reply.msgs);
	TEST_ASSERT(reply.nb_sent == 0 && reply.nb_received == 0,
		"dead peer counted: sent %d received %d", reply.nb_sent, reply.nb_received);
	TEST_ASSERT(now_s() - t0 < 1, "dead peer made the request wait %.1f s", now_s() - t0);
	TEST_ASSERT(!has_socket_of(pid), "stale socket of the dead peer not removed");
	return TEST_SUCCESS;
}

/* Send raw datagrams to our own socket from @p fd. */
static int
send_raw(int fd, const void *buf, size_t len, const int *fds, int nfds)
{
	char ctl[CMSG_SPACE(sizeof(int) * 16)];
	struct iovec iov = { .iov_base = RTE_PTR_UNQUAL(buf), .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (nfds > 0) {
		memset(ctl, 0, sizeof(ctl));
		mh.msg_control = ctl;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	}
	return sendmsg(fd, &mh, 0) == (ssize_t)len ? 0 : -1;
}

static int
connect_to_primary(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", eal_mp_socket_path());
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
good_wire(struct test_wire *w)
{
	memset(w, 0, sizeof(*w));
	w->type = TEST_WIRE_MSG;
	snprintf(w->msg.name, sizeof(w->msg.name), "mp_test_count");
}

/* Malformed datagrams are dropped; the next good one is still handled. */
static int
test_malformed_dropped(void)
{
	int fd = connect_to_primary(), fds[RTE_MP_MAX_FD_NUM + 1], i;
	struct test_wire w;
	int before = counted, bad = 0;

	TEST_ASSERT(fd >= 0, "cannot connect to our own socket");
	for (i = 0; i < (int)RTE_DIM(fds); i++)
		fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	good_wire(&w);
	bad += send_raw(fd, &w, sizeof(w) - 1, NULL, 0) == 0;       /* short */
	bad += send_raw(fd, &w, 3, NULL, 0) == 0;                    /* truncated header */
	w.type = 42;
	bad += send_raw(fd, &w, sizeof(w), NULL, 0) == 0;            /* unknown type */
	good_wire(&w);
	w.msg.len_param = RTE_MP_MAX_PARAM_LEN + 1;
	bad += send_raw(fd, &w, sizeof(w), NULL, 0) == 0;            /* payload too long */
	good_wire(&w);
	w.msg.num_fds = 99;
	bad += send_raw(fd, &w, sizeof(w), NULL, 0) == 0;            /* fd count out of range */
	good_wire(&w);
	w.msg.num_fds = 2;
	bad += send_raw(fd, &w, sizeof(w), fds, 1) == 0;             /* fd count != fds */
	good_wire(&w);
	w.msg.num_fds = RTE_MP_MAX_FD_NUM + 1;
	bad += send_raw(fd, &w, sizeof(w), fds, RTE_MP_MAX_FD_NUM + 1) == 0; /* too many fds */
	good_wire(&w);
	memset(w.msg.name, 'x', sizeof(w.msg.name));                 /* unterminated name */
	bad += send_raw(fd, &w, sizeof(w), NULL, 0) == 0;
	TEST_ASSERT_EQUAL(bad, 8, "only %d of 8 bad datagrams could be sent", bad);
	good_wire(&w);
	w.msg.num_fds = 1;
	TEST_ASSERT_SUCCESS(send_raw(fd, &w, sizeof(w), fds, 1), "good datagram not sent");
	for (i = 0; i < (int)RTE_DIM(fds); i++)
		close(fds[i]);
	close(fd);
	TEST_ASSERT(wait_for(&counted, before + 1, 5), "good message after bad ones not handled");
	usleep(20000);
	TEST_ASSERT_EQUAL(counted, before + 1, "%d bad messages reached the handler",
		counted - before - 1);
	return TEST_SUCCESS;
}

/* A datagram from another uid is refused even if it reaches the socket. */
static int
test_other_uid_refused(void)
{
	struct test_wire w;
	int before = counted, fd, status;
	pid_t pid;

	if (geteuid() != 0)
		return test_required_missing("not root: cannot switch uid");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* connect as root (the runtime dir is 0700), then drop to nobody */
		fd = connect_to_primary();
		if (fd < 0 || setgid(NOBODY_UID) != 0 || setuid(NOBODY_UID) != 0)
			_exit(2);
		good_wire(&w);
		_exit(send_raw(fd, &w, sizeof(w), NULL, 0) == 0 ? 0 : 3);
	}
	TEST_ASSERT(pid > 0, "fork failed");
	waitpid(pid, &status, 0);
	TEST_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		"the other-uid child could not send (status %d)", status);
	fd = connect_to_primary();
	TEST_ASSERT(fd >= 0, "cannot connect");
	good_wire(&w);
	send_raw(fd, &w, sizeof(w), NULL, 0);
	close(fd);
	TEST_ASSERT(wait_for(&counted, before + 1, 5), "own message not handled");
	usleep(20000);
	TEST_ASSERT_EQUAL(counted, before + 1, "message from uid %d was handled", NOBODY_UID);
	return TEST_SUCCESS;
}

static int
test_election(void)
{
	char prefix[NAME_MAX];
	pid_t pid;
	double t0 = now_s();

	pid = spawn_child("none", "primary", NULL, NULL);
	TEST_ASSERT(pid > 0, "spawn failed");
	TEST_ASSERT(wait_child(pid, CHILD_WAIT_S) != 0, "a second primary with our prefix started");
	TEST_ASSERT(now_s() - t0 < 5, "refusing the second primary took %.1f s", now_s() - t0);
	TEST_ASSERT_SUCCESS(access(eal_runtime_config_path(), F_OK),
		"the refused primary removed our config file");
	pid = spawn_child("none", "secondary", NULL, NULL);
	TEST_ASSERT_EQUAL(wait_child(pid, CHILD_WAIT_S), 0, "no secondary after the refusal");
	pid = spawn_child("none", "auto", NULL, NULL);
	TEST_ASSERT_EQUAL(wait_child(pid, CHILD_WAIT_S), 0, "--proc-type=auto did not attach");
	snprintf(prefix, sizeof(prefix), "%s_nobody_here", test_file_prefix);
	pid = spawn_child("none", "secondary", prefix, NULL);
	TEST_ASSERT(wait_child(pid, CHILD_WAIT_S) != 0, "secondary without a primary started");
	return TEST_SUCCESS;
}

static int
test_disable_and_noshconf(void)
{
	char prefix[NAME_MAX];
	pid_t pid;

	snprintf(prefix, sizeof(prefix), "%s_dis", test_file_prefix);
	pid = spawn_child("disable", "primary", prefix, NULL);
	TEST_ASSERT_EQUAL(wait_child(pid, CHILD_WAIT_S), 0,
		"rte_mp_disable() did not keep a secondary out");
	snprintf(prefix, sizeof(prefix), "%s_nosh", test_file_prefix);
	pid = spawn_child("noshconf", "primary", prefix, "--no-shconf");
	TEST_ASSERT_EQUAL(wait_child(pid, CHILD_WAIT_S), 0, "IPC calls under --no-shconf");
	return TEST_SUCCESS;
}

/*
 * A secondary killed while holding a shared lock must not wedge the
 * others. The victim is left unreaped while we wait (a zombie still
 * answers kill(pid, 0)).
 */
static int
check_dead_holder(const char *role, void (*lock)(void), void (*unlock)(void))
{
	pid_t pid = spawn_child(role, "secondary", NULL, NULL);
	int before = ready_count, status;
	double t0, waited;

	TEST_ASSERT(pid > 0, "spawn failed");
	if (!wait_for(&ready_count, before + 1, CHILD_WAIT_S)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		TEST_ASSERT(false, "%s: child never took the lock", role);
	}
	kill(pid, SIGKILL);
	t0 = now_s();
	lock();
	waited = now_s() - t0;
	unlock();
	waitpid(pid, &status, 0);
	printf("%s: lock recovered %.3f s after the holder was killed\n", role, waited);
	TEST_ASSERT(waited < 2, "%s: took %.1f s to recover the lock", role, waited);
	return TEST_SUCCESS;
}

static int
test_dead_lock_holders(void)
{
	TEST_ASSERT_SUCCESS(check_dead_holder("hold_write", rte_mcfg_mem_read_lock,
		rte_mcfg_mem_read_unlock), "dead writer");
	TEST_ASSERT_SUCCESS(check_dead_holder("hold_write", rte_mcfg_mem_write_lock,
		rte_mcfg_mem_write_unlock), "dead writer vs writer");
	TEST_ASSERT_SUCCESS(check_dead_holder("hold_read", rte_mcfg_mem_write_lock,
		rte_mcfg_mem_write_unlock), "dead reader");
	TEST_ASSERT_SUCCESS(check_dead_holder("hold_spin", rte_mcfg_timer_lock,
		rte_mcfg_timer_unlock), "dead spinlock owner");
	return TEST_SUCCESS;
}

/* Take and drop every kind of shared lock once. */
static void
cycle_locks(void)
{
	rte_mcfg_mem_write_lock();
	rte_mcfg_mem_write_unlock();
	rte_mcfg_mem_read_lock();
	rte_mcfg_mem_read_unlock();
	rte_mcfg_timer_lock();
	rte_mcfg_timer_unlock();
}

/* cycle_locks() forever (a forked child). */
static __rte_noreturn void
hammer_locks(volatile uint64_t *rounds)
{
	for (;;) {
		cycle_locks();
		__atomic_add_fetch(rounds, 1, __ATOMIC_RELAXED);
	}
}

void
dump_hotplug_lock(void)
{
	const struct eal_shared_rwlock *l = &eal_get_mcfg()->memory_hotplug_lock;
	int i;

	printf("hotplug lock: writer %d (%s), state %d\n", (int)l->writer,
		eal_pid_alive(l->writer) ? "alive" : "dead", (int)l->wstate);
	for (i = 0; i < EAL_MAX_PROCS; i++)
		if ((uint32_t)l->readers[i] != 0)
			printf("  slot %d: pid %d holds %u read lock(s)\n", i,
				(int)(l->readers[i] >> 32), (uint32_t)l->readers[i]);
}

bool
shared_rwlock_idle(const struct eal_shared_rwlock *l)
{
	int i;

	if (l->writer != 0 || l->wstate != EAL_RWLOCK_FREE)
		return false;
	for (i = 0; i < EAL_MAX_PROCS; i++)
		if ((uint32_t)l->readers[i] != 0)
			return false;
	return true;
}

/* cycle_locks(); @return the seconds it took. */
static double
take_all_locks(void)
{
	double t0 = now_s();

	cycle_locks();
	return now_s() - t0;
}

/*
 * kill -9 at a random instruction of a process that does nothing but take
 * and drop the shared locks: whatever instruction it dies at, the state
 * it leaves names it, so the locks come back (within the 10 ms liveness
 * period and some) and end up idle.
 */
static int
test_killed_at_any_instruction(void)
{
	const int iters = 300;
	struct eal_shared_rwlock *l = &eal_get_mcfg()->memory_hotplug_lock;
	volatile uint64_t *rounds;
	double worst = 0, dt;
	uint64_t total = 0;
	pid_t pid;
	int i;

	rounds = mmap(NULL, sizeof(*rounds), PROT_READ | PROT_WRITE,
		MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(rounds != MAP_FAILED, "mmap: %s", strerror(errno));
	test_watchdog_arm(300, "killed_at_any_instruction: the shared locks", dump_hotplug_lock);
	for (i = 0; i < iters; i++) {
		*rounds = 0;
		pid = fork();
		if (pid == 0) {
			/* not a spawn_child(): die with the test all the same */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			hammer_locks(rounds);
		}
		TEST_ASSERT(pid > 0, "fork: %s", strerror(errno));
		while (__atomic_load_n(rounds, __ATOMIC_RELAXED) == 0)
			usleep(100);
		usleep((useconds_t)rte_rand_max(2000));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		total += *rounds;
		dt = take_all_locks();
		worst = RTE_MAX(worst, dt);
		if (dt > MP_RECOVERY_S || !shared_rwlock_idle(l))
			break;
	}
	test_watchdog_disarm();
	munmap((void *)(uintptr_t)rounds, sizeof(*rounds));
	printf("%d kills of a lock hammer (%" PRIu64 " lock rounds): worst recovery %.3f s\n",
		i, total, worst);
	TEST_ASSERT_EQUAL(i, iters, "kill %d: locks not back after %.1f s, or not idle "
		"(writer %d state %d)", i, dt, (int)l->writer, (int)l->wstate);
	return TEST_SUCCESS;
}

/* A live holder keeps its lock however long it takes. */
static int
test_live_holder_respected(void)
{
	int before = ready_count;
	pid_t pid;
	double t0, waited;

	setenv("MP_CHILD_HOLD_MS", "1500", 1);
	pid = spawn_child("hold_write", "secondary", NULL, NULL);
	unsetenv("MP_CHILD_HOLD_MS");
	TEST_ASSERT(pid > 0, "spawn failed");
	TEST_ASSERT(wait_for(&ready_count, before + 1, CHILD_WAIT_S), "child never took the lock");
	t0 = now_s();
	rte_mcfg_mem_write_lock();
	waited = now_s() - t0;
	rte_mcfg_mem_write_unlock();
	TEST_ASSERT_EQUAL(wait_child(pid, CHILD_WAIT_S), 0, "holder failed");
	TEST_ASSERT(waited > 1.0, "lock of a live holder taken after %.2f s", waited);
	return TEST_SUCCESS;
}

static volatile uint64_t shared_counter;
static volatile int rw_errors;

/* Writers increment a two-word counter; readers check the words agree. */
static int
rw_worker(void *arg)
{
	static volatile uint64_t shadow;
	int i, n = (int)(uintptr_t)arg;

	for (i = 0; i < n; i++) {
		rte_mcfg_mem_write_lock();
		shared_counter++;
		shadow = shared_counter;
		rte_mcfg_mem_write_unlock();
		rte_mcfg_mem_read_lock();
		rte_mcfg_mem_read_lock(); /* readers may nest */
		if (shadow != shared_counter)
			__atomic_fetch_add(&rw_errors, 1, __ATOMIC_RELAXED);
		rte_mcfg_mem_read_unlock();
		rte_mcfg_mem_read_unlock();
	}
	return 0;
}

static int
test_rwlock_threads(void)
{
	unsigned int lcore = rte_get_next_lcore(-1, 1, 0);
	const int n = 20000;

	shared_counter = 0;
	rw_errors = 0;
	if (lcore < RTE_MAX_LCORE)
		rte_eal_remote_launch(rw_worker, (void *)(uintptr_t)n, lcore);
	rw_worker((void *)(uintptr_t)n);
	if (lcore < RTE_MAX_LCORE)
		rte_eal_wait_lcore(lcore);
	TEST_ASSERT_EQUAL(rw_errors, 0, "%d readers saw a torn update", rw_errors);
	TEST_ASSERT_EQUAL(shared_counter, (uint64_t)n * (lcore < RTE_MAX_LCORE ? 2 : 1),
		"lost updates: %" PRIu64, shared_counter);
	return TEST_SUCCESS;
}

static int
mp_suite_setup(void)
{
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return test_not_primary();
	if (mp_ready_register() != 0 ||
	    rte_mp_action_register("mp_test_pong", primary_pong) != 0 ||
	    rte_mp_action_register("mp_test_count", primary_count) != 0)
		return TEST_FAILED;
	return TEST_SUCCESS;
}

static void
mp_suite_teardown(void)
{
	mp_ready_unregister();
	rte_mp_action_unregister("mp_test_pong");
	rte_mp_action_unregister("mp_test_count");
}

static struct unit_test_suite mp_suite = {
	.suite_name = "multi-process IPC",
	.setup = mp_suite_setup,
	.teardown = mp_suite_teardown,
	.unit_test_cases = {
		TEST_CASE(test_action_register),
		TEST_CASE(test_bad_messages_refused),
		TEST_CASE(test_no_secondary),
		TEST_CASE(test_real_secondary),
		TEST_CASE(test_two_secondaries),
		TEST_CASE(test_dead_peer_skipped),
		TEST_CASE(test_malformed_dropped),
		TEST_CASE(test_other_uid_refused),
		TEST_CASE(test_election),
		TEST_CASE(test_disable_and_noshconf),
		TEST_CASE(test_rwlock_threads),
		TEST_CASE(test_dead_lock_holders),
		TEST_CASE(test_killed_at_any_instruction),
		TEST_CASE(test_live_holder_respected),
		TEST_CASES_END(),
	},
};

static int
test_multiprocess(void)
{
	return unit_test_suite_runner(&mp_suite);
}

REGISTER_FAST_TEST(multiprocess_autotest, NOHUGE_OK, ASAN_OK, test_multiprocess);
