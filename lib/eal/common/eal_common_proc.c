/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Inter-process messages between a primary and its secondaries (rte_mp_*).
 *
 * Every process binds one AF_UNIX datagram socket in the runtime dir: the
 * primary "mp_socket", a secondary "mp_socket_<pid>_<tsc hex>" (the TSC part
 * keeps names unique across pid namespaces). A secondary talks only to the
 * primary; the primary broadcasts to every secondary socket it finds in the
 * runtime dir. One datagram carries one struct mp_wire and up to
 * RTE_MP_MAX_FD_NUM descriptors (SCM_RIGHTS).
 *
 * One handler thread per process receives everything: it runs the
 * registered actions, matches replies to pending requests and completes
 * asynchronous requests (their callbacks run on it, so they must not block
 * on IPC). The socket has SO_PASSCRED set, so each datagram arrives with the
 * sender's credentials: a datagram from another uid is dropped, as is any
 * datagram whose size, name, payload length or descriptor count is wrong.
 *
 * A reply is matched to its request by (sender path, action name); a second
 * request with the same name to the same peer while one is pending is
 * refused with EEXIST.
 *
 * A peer whose socket refuses datagrams (ECONNREFUSED: the process died) is
 * not counted as a recipient and, for secondaries, its socket file is
 * removed. Sends never block: a full peer queue is an error for that peer.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>

#include "eal_export.h"
#include "eal_filesystem.h"
#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_memcfg.h"
#include "eal_private.h"

#define MP_SOCKET_NAME "mp_socket"
#define MP_SECONDARY_PREFIX "mp_socket_"

enum mp_type {
	MP_MSG = 1, /* one-way message */
	MP_REQ,     /* request: the action must answer with rte_mp_reply() */
	MP_REP,     /* reply to a request */
	MP_IGN,     /* "no handler here": the requester stops waiting for us */
};

/* What travels in one datagram (fd numbers are meaningless to the receiver). */
struct mp_wire {
	int32_t type;
	struct rte_mp_msg msg;
};

struct mp_action {
	TAILQ_ENTRY(mp_action) next;
	char name[RTE_MP_MAX_NAME_LEN];
	rte_mp_t action;
};

/* One request (to one or many peers) waiting for replies. */
struct mp_group {
	int n_waiting;                /* entries not answered yet */
	bool async;
	pthread_cond_t cond;          /* sync: signalled on each answer */
	struct timespec deadline;     /* CLOCK_MONOTONIC */
	rte_mp_async_reply_t clb;     /* async: called once on the handler thread */
	struct rte_mp_msg request;    /* async: passed back to clb */
	int nb_sent;
	TAILQ_ENTRY(mp_group) next;   /* async groups only */
};

enum mp_entry_state { ENTRY_WAITING, ENTRY_REPLIED, ENTRY_IGNORED };

/* One peer's part of a request. */
struct mp_entry {
	TAILQ_ENTRY(mp_entry) next;
	struct mp_group *group;
	char dst[PATH_MAX];
	char name[RTE_MP_MAX_NAME_LEN];
	int32_t pid;                 /* secondary peer's pid (from its name), 0 = n/a */
	enum mp_entry_state state;
	struct rte_mp_msg reply;
};

static TAILQ_HEAD(, mp_action) action_list = TAILQ_HEAD_INITIALIZER(action_list);
static pthread_mutex_t action_lock = PTHREAD_MUTEX_INITIALIZER;

/* protects pending, async_groups and every mp_group/mp_entry */
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;
static TAILQ_HEAD(, mp_entry) pending = TAILQ_HEAD_INITIALIZER(pending);
static TAILQ_HEAD(, mp_group) async_groups = TAILQ_HEAD_INITIALIZER(async_groups);

static int mp_fd = -1;
static int wake_fd = -1;
static char own_path[PATH_MAX];
static pthread_t mp_thread;
static volatile bool mp_thread_running;
static volatile bool mp_stop;

enum mp_status { MP_STATUS_UNKNOWN, MP_STATUS_DISABLED, MP_STATUS_ENABLED };

static bool
ipc_unavailable(void)
{
	return eal_get_internal_configuration()->no_shconf != 0;
}

static bool
is_primary(void)
{
	return rte_eal_process_type() == RTE_PROC_PRIMARY;
}

static void
deadline_after(struct timespec *dl, const struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, dl);
	dl->tv_sec += ts->tv_sec;
	dl->tv_nsec += ts->tv_nsec;
	while (dl->tv_nsec >= 1000000000L) {
		dl->tv_nsec -= 1000000000L;
		dl->tv_sec++;
	}
}

/* @return milliseconds from now until @p dl (0 if past), capped at 1 s. */
static int
ms_until(const struct timespec *dl)
{
	struct timespec now;
	int64_t ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (int64_t)(dl->tv_sec - now.tv_sec) * 1000 + (dl->tv_nsec - now.tv_nsec) / 1000000;
	if (ms < 0)
		return 0;
	/* short enough to notice a peer that dies without answering */
	return ms > 100 ? 100 : (int)ms + 1;
}

static bool
is_past(const struct timespec *dl)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > dl->tv_sec || (now.tv_sec == dl->tv_sec && now.tv_nsec >= dl->tv_nsec);
}

/* Validate a message given to the public API; sets rte_errno and logs. */
static int
check_msg(const struct rte_mp_msg *msg, bool need_name)
{
	size_t len;

	if (msg == NULL) {
		EAL_LOG_ERRNO(ERR, EINVAL, "IPC: NULL message");
		return -1;
	}
	len = strnlen(msg->name, RTE_MP_MAX_NAME_LEN);
	if (len == RTE_MP_MAX_NAME_LEN || (need_name && len == 0)) {
		EAL_LOG_ERRNO(ERR, EINVAL, "IPC: action name empty or longer than %d bytes",
			RTE_MP_MAX_NAME_LEN - 1);
		return -1;
	}
	if (msg->len_param < 0 || msg->len_param > RTE_MP_MAX_PARAM_LEN) {
		EAL_LOG_ERRNO(ERR, E2BIG, "IPC: payload of %d bytes (at most %d)", msg->len_param,
			RTE_MP_MAX_PARAM_LEN);
		return -1;
	}
	if (msg->num_fds < 0 || msg->num_fds > RTE_MP_MAX_FD_NUM) {
		EAL_LOG_ERRNO(ERR, E2BIG, "IPC: %d fds in one message (at most %d)", msg->num_fds,
			RTE_MP_MAX_FD_NUM);
		return -1;
	}
	return 0;
}

static struct mp_action *
find_action(const char *name)
{
	struct mp_action *a;

	TAILQ_FOREACH(a, &action_list, next)
		if (strncmp(a->name, name, RTE_MP_MAX_NAME_LEN) == 0)
			return a;
	return NULL;
}

RTE_EXPORT_SYMBOL(rte_mp_action_register)
int
rte_mp_action_register(const char *name, rte_mp_t action)
{
	struct mp_action *a;
	size_t len;

	if (name == NULL || action == NULL) {
		EAL_LOG_ERRNO(ERR, EINVAL, "IPC: NULL action name or handler");
		return -1;
	}
	len = strnlen(name, RTE_MP_MAX_NAME_LEN);
	if (len == 0) {
		EAL_LOG_ERRNO(ERR, EINVAL, "IPC: empty action name");
		return -1;
	}
	if (len == RTE_MP_MAX_NAME_LEN) {
		/* E2BIG, as DPDK 22.11 reports it */
		EAL_LOG_ERRNO(ERR, E2BIG, "IPC: action name longer than %d bytes",
			RTE_MP_MAX_NAME_LEN - 1);
		return -1;
	}
	if (ipc_unavailable()) {
		EAL_LOG_ERRNO(DEBUG, ENOTSUP, "IPC is disabled (no shared config)");
		return -1;
	}
	a = calloc(1, sizeof(*a));
	if (a == NULL) {
		EAL_LOG_ERRNO(ERR, ENOMEM, "IPC: no memory for action '%s'", name);
		return -1;
	}
	memcpy(a->name, name, len);
	a->action = action;
	pthread_mutex_lock(&action_lock);
	if (find_action(name) != NULL) {
		pthread_mutex_unlock(&action_lock);
		free(a);
		EAL_LOG_ERRNO(ERR, EEXIST, "IPC: action '%s' already registered", name);
		return -1;
	}
	TAILQ_INSERT_TAIL(&action_list, a, next);
	pthread_mutex_unlock(&action_lock);
	return 0;
}

RTE_EXPORT_SYMBOL(rte_mp_action_unregister)
void
rte_mp_action_unregister(const char *name)
{
	struct mp_action *a;

	if (name == NULL || strnlen(name, RTE_MP_MAX_NAME_LEN) == RTE_MP_MAX_NAME_LEN) {
		EAL_LOG(ERR, "IPC: bad action name to unregister");
		return;
	}
	pthread_mutex_lock(&action_lock);
	a = find_action(name);
	if (a != NULL)
		TAILQ_REMOVE(&action_list, a, next);
	pthread_mutex_unlock(&action_lock);
	free(a);
}

static int
fill_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	strcpy(sa->sun_path, path);
	return 0;
}

/*
 * Send one datagram to @p dst.
 * @return 1 if sent, 0 if the peer is gone (its stale socket removed),
 *   -errno on another failure.
 */
static int
send_wire(const char *dst, const struct rte_mp_msg *msg, enum mp_type type)
{
	char ctl[CMSG_SPACE(sizeof(int) * RTE_MP_MAX_FD_NUM)];
	struct mp_wire w;
	struct sockaddr_un sa;
	struct iovec iov = { .iov_base = &w, .iov_len = sizeof(w) };
	struct msghdr mh = {
		.msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = &iov, .msg_iovlen = 1,
	};
	struct cmsghdr *c;
	ssize_t n;

	if (fill_addr(&sa, dst) != 0)
		return -ENAMETOOLONG;
	memset(&w, 0, sizeof(w));
	w.type = type;
	w.msg = *msg;
	if (msg->num_fds > 0) {
		memset(ctl, 0, sizeof(ctl));
		mh.msg_control = ctl;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * msg->num_fds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * msg->num_fds);
		memcpy(CMSG_DATA(c), msg->fds, sizeof(int) * msg->num_fds);
	}
	do {
		n = sendmsg(mp_fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(w))
		return 1;
	if (n >= 0)
		return -EIO;
	if (errno == ECONNREFUSED || errno == ENOENT) {
		if (strcmp(dst, eal_mp_socket_path()) != 0 && unlink(dst) == 0)
			EAL_LOG(INFO, "IPC: peer '%s' is gone, removed its socket", dst);
		return 0;
	}
	EAL_LOG(ERR, "IPC: cannot send '%s' to '%s': %s", msg->name, dst, strerror(errno));
	return -errno;
}

/* Callback of for_each_peer(): @return <0 to stop with that error. */
typedef int (*peer_fn_t)(const char *path, void *arg);

/* Call @p fn for every peer: the primary for a secondary, all secondaries
 * for the primary. */
static int
for_each_peer(peer_fn_t fn, void *arg)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *dir;
	int ret = 0;

	if (!is_primary())
		return fn(eal_mp_socket_path(), arg);
	dir = opendir(eal_get_runtime_dir());
	if (dir == NULL) {
		EAL_LOG(ERR, "IPC: cannot open runtime dir '%s': %s", eal_get_runtime_dir(),
			strerror(errno));
		return -errno;
	}
	while (ret >= 0 && (e = readdir(dir)) != NULL) {
		if (strncmp(e->d_name, MP_SECONDARY_PREFIX, strlen(MP_SECONDARY_PREFIX)) != 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", eal_get_runtime_dir(), e->d_name) >=
				(int)sizeof(path))
			continue;
		ret = fn(path, arg);
	}
	closedir(dir);
	return ret < 0 ? ret : 0;
}

static int
send_one_msg(const char *path, void *arg)
{
	int ret = send_wire(path, arg, MP_MSG);

	return ret < 0 ? ret : 0;
}

RTE_EXPORT_SYMBOL(rte_mp_sendmsg)
int
rte_mp_sendmsg(struct rte_mp_msg *msg)
{
	int ret;

	if (check_msg(msg, true) != 0)
		return -1;
	if (ipc_unavailable()) {
		EAL_LOG(DEBUG, "IPC is disabled (no shared config): '%s' not sent", msg->name);
		return 0;
	}
	if (mp_fd < 0) {
		EAL_LOG_ERRNO(ERR, ENOTSUP, "IPC: channel not initialised");
		return -1;
	}
	ret = for_each_peer(send_one_msg, msg);
	if (ret < 0) {
		rte_errno = -ret;
		return -1;
	}
	return 0;
}

struct request_ctx {
	struct mp_group *group;
	const struct rte_mp_msg *req;
	int err;
};

static struct mp_entry *
find_entry(const char *dst, const char *name)
{
	struct mp_entry *e;

	TAILQ_FOREACH(e, &pending, next)
		if (strcmp(e->dst, dst) == 0 && strncmp(e->name, name, RTE_MP_MAX_NAME_LEN) == 0)
			return e;
	return NULL;
}

/* @return the pid in a secondary's socket name, 0 for the primary's. */
static int32_t
peer_pid(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base != NULL ? base + 1 : path;
	if (strncmp(base, MP_SECONDARY_PREFIX, strlen(MP_SECONDARY_PREFIX)) != 0)
		return 0;
	return (int32_t)strtol(base + strlen(MP_SECONDARY_PREFIX), NULL, 10);
}

/*
 * A peer that died after the request reached it will never answer: stop
 * waiting for it, as for one that was already dead at send time.
 * Called with pending_lock held; @p g NULL means every group.
 */
static void
drop_dead_peers(struct mp_group *g)
{
	/* a liveness check reads /proc: not on every reply, a few times a second */
	static uint64_t next_check_ns;
	struct mp_entry *e;
	struct timespec now;
	uint64_t ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (uint64_t)now.tv_sec * 1000000000ULL + (uint64_t)now.tv_nsec;
	if (ns < next_check_ns)
		return;
	next_check_ns = ns + 50 * 1000000ULL;

	TAILQ_FOREACH(e, &pending, next) {
		if ((g != NULL && e->group != g) || e->state != ENTRY_WAITING || e->pid <= 0 ||
		    eal_pid_alive(e->pid))
			continue;
		EAL_LOG(INFO, "IPC: peer pid %d died before answering '%s'", (int)e->pid,
			e->name);
		e->state = ENTRY_IGNORED;
		e->group->n_waiting--;
	}
}

/*
 * Queue an entry for @p path and send the request to it. An entry whose
 * send failed stays WAITING so that the request reports it unanswered.
 */
static int
request_one(const char *path, void *arg)
{
	struct request_ctx *ctx = arg;
	struct mp_entry *e;
	int ret;

	pthread_mutex_lock(&pending_lock);
	if (find_entry(path, ctx->req->name) != NULL) {
		pthread_mutex_unlock(&pending_lock);
		EAL_LOG(ERR, "IPC: a request '%s' to '%s' is already pending", ctx->req->name,
			path);
		ctx->err = EEXIST;
		return -EEXIST;
	}
	e = calloc(1, sizeof(*e));
	if (e == NULL) {
		pthread_mutex_unlock(&pending_lock);
		ctx->err = ENOMEM;
		return -ENOMEM;
	}
	snprintf(e->dst, sizeof(e->dst), "%s", path);
	memcpy(e->name, ctx->req->name, RTE_MP_MAX_NAME_LEN);
	e->pid = peer_pid(path);
	e->group = ctx->group;
	e->state = ENTRY_WAITING;
	TAILQ_INSERT_TAIL(&pending, e, next);
	ctx->group->n_waiting++;
	ctx->group->nb_sent++;
	/* send under the lock so that a fast reply finds its entry complete */
	ret = send_wire(path, ctx->req, MP_REQ);
	if (ret == 0) {
		TAILQ_REMOVE(&pending, e, next);
		ctx->group->n_waiting--;
		ctx->group->nb_sent--;
		free(e);
	} else if (ret < 0) {
		ctx->err = -ret;
	}
	pthread_mutex_unlock(&pending_lock);
	return 0;
}

/*
 * Take every entry of @p g off the pending list and gather the replies.
 * Called with pending_lock held. @return 0 or -ENOMEM.
 */
static int
collect_replies(struct mp_group *g, struct rte_mp_reply *reply)
{
	struct mp_entry *e, *tmp;
	int n = 0, ret = 0;

	reply->nb_sent = g->nb_sent;
	reply->nb_received = 0;
	reply->msgs = NULL;
	if (g->nb_sent > 0) {
		reply->msgs = calloc(g->nb_sent, sizeof(struct rte_mp_msg));
		if (reply->msgs == NULL)
			ret = -ENOMEM;
	}
	TAILQ_FOREACH_SAFE(e, &pending, next, tmp) {
		if (e->group != g)
			continue;
		TAILQ_REMOVE(&pending, e, next);
		if (e->state == ENTRY_REPLIED && reply->msgs != NULL)
			reply->msgs[n++] = e->reply;
		else if (e->state == ENTRY_IGNORED)
			reply->nb_sent--;
		else if (e->state == ENTRY_REPLIED)
			n++;
		free(e);
	}
	reply->nb_received = n;
	if (n == 0) {
		free(reply->msgs);
		reply->msgs = NULL;
	}
	return ret;
}

/* Wait on @p cond (pending_lock held) until signalled, @p dl, or 100 ms. */
static void
wait_step(pthread_cond_t *cond, const struct timespec *dl)
{
	struct timespec t;

	deadline_after(&t, &(struct timespec){ .tv_sec = 0, .tv_nsec = 100000000L });
	if (t.tv_sec > dl->tv_sec || (t.tv_sec == dl->tv_sec && t.tv_nsec > dl->tv_nsec))
		t = *dl;
	pthread_cond_timedwait(cond, &pending_lock, &t);
}

RTE_EXPORT_SYMBOL(rte_mp_request_sync)
int
rte_mp_request_sync(struct rte_mp_msg *req, struct rte_mp_reply *reply,
		const struct timespec *ts)
{
	struct mp_group g = { .async = false };
	struct request_ctx ctx = { .group = &g, .req = req };
	pthread_condattr_t ca;
	int ret;

	if (reply == NULL || ts == NULL) {
		EAL_LOG_ERRNO(ERR, EINVAL, "IPC: NULL reply or timeout");
		return -1;
	}
	memset(reply, 0, sizeof(*reply));
	if (check_msg(req, true) != 0)
		return -1;
	if (ipc_unavailable()) {
		EAL_LOG(DEBUG, "IPC is disabled (no shared config): '%s' not sent", req->name);
		return 0;
	}
	if (mp_fd < 0) {
		EAL_LOG_ERRNO(ERR, ENOTSUP, "IPC: channel not initialised");
		return -1;
	}
	if (mp_thread_running && pthread_equal(pthread_self(), mp_thread)) {
		EAL_LOG_ERRNO(ERR, EDEADLK, "IPC: synchronous request '%s' from the IPC thread "
			"would wait for itself; use rte_mp_request_async()", req->name);
		return -1;
	}
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&g.cond, &ca);
	pthread_condattr_destroy(&ca);
	deadline_after(&g.deadline, ts);

	ret = for_each_peer(request_one, &ctx);
	pthread_mutex_lock(&pending_lock);
	while (ret == 0 && g.n_waiting > 0 && ctx.err == 0 && !is_past(&g.deadline)) {
		wait_step(&g.cond, &g.deadline);
		drop_dead_peers(&g);
	}
	if (collect_replies(&g, reply) != 0 && ctx.err == 0)
		ctx.err = ENOMEM;
	pthread_mutex_unlock(&pending_lock);
	pthread_cond_destroy(&g.cond);
	if (ctx.err != 0 || ret < 0) {
		rte_errno = ctx.err != 0 ? ctx.err : -ret;
		EAL_LOG(ERR, "IPC: request '%s' failed: %s", req->name, strerror(rte_errno));
		free(reply->msgs);
		reply->msgs = NULL;
		return -1;
	}
	return 0;
}

static void
wake_handler(void)
{
	uint64_t one = 1;

	if (wake_fd >= 0 && write(wake_fd, &one, sizeof(one)) < 0)
		EAL_LOG(DEBUG, "IPC: cannot wake the handler thread");
}

/* Undo a failed async request: drop its entries. Called with pending_lock. */
static void
drop_group_entries(struct mp_group *g)
{
	struct mp_entry *e, *tmp;

	TAILQ_FOREACH_SAFE(e, &pending, next, tmp) {
		if (e->group != g)
			continue;
		TAILQ_REMOVE(&pending, e, next);
		free(e);
	}
}

RTE_EXPORT_SYMBOL(rte_mp_request_async)
int
rte_mp_request_async(struct rte_mp_msg *req, const struct timespec *ts,
		rte_mp_async_reply_t clb)
{
	struct request_ctx ctx;
	struct mp_group *g;
	int ret;

	if (check_msg(req, true) != 0)
		return -1;
	if (ts == NULL || clb == NULL) {
		EAL_LOG_ERRNO(ERR, EINVAL, "IPC: NULL timeout or callback");
		return -1;
	}
	if (ipc_unavailable()) {
		EAL_LOG_ERRNO(DEBUG, ENOTSUP, "IPC is disabled (no shared config)");
		return -1;
	}
	if (mp_fd < 0) {
		EAL_LOG_ERRNO(ERR, ENOTSUP, "IPC: channel not initialised");
		return -1;
	}
	g = calloc(1, sizeof(*g));
	if (g == NULL) {
		EAL_LOG_ERRNO(ERR, ENOMEM, "IPC: no memory for request '%s'", req->name);
		return -1;
	}
	g->async = true;
	g->clb = clb;
	g->request = *req;
	deadline_after(&g->deadline, ts);
	ctx = (struct request_ctx){ .group = g, .req = req };
	ret = for_each_peer(request_one, &ctx);
	pthread_mutex_lock(&pending_lock);
	if (ret < 0 || ctx.err == EEXIST || ctx.err == ENOMEM) {
		drop_group_entries(g);
		pthread_mutex_unlock(&pending_lock);
		free(g);
		EAL_LOG_ERRNO(ERR, ctx.err != 0 ? ctx.err : -ret, "IPC: request '%s' not sent",
			req->name);
		return -1;
	}
	/* a failed send to one peer shows up as a missing reply at the deadline */
	TAILQ_INSERT_TAIL(&async_groups, g, next);
	pthread_mutex_unlock(&pending_lock);
	wake_handler();
	return 0;
}

RTE_EXPORT_SYMBOL(rte_mp_reply)
int
rte_mp_reply(struct rte_mp_msg *msg, const char *peer)
{
	int ret;

	if (check_msg(msg, true) != 0)
		return -1;
	if (peer == NULL || peer[0] == '\0') {
		EAL_LOG_ERRNO(ERR, EINVAL, "IPC: reply '%s' without a peer", msg->name);
		return -1;
	}
	if (ipc_unavailable()) {
		EAL_LOG(DEBUG, "IPC is disabled (no shared config): reply not sent");
		return 0;
	}
	if (mp_fd < 0) {
		EAL_LOG_ERRNO(ERR, ENOTSUP, "IPC: channel not initialised");
		return -1;
	}
	ret = send_wire(peer, msg, MP_REP);
	if (ret <= 0) {
		rte_errno = ret == 0 ? ECONNREFUSED : -ret;
		return -1;
	}
	return 0;
}

/* ---- receiving side (handler thread) ---- */

static void
close_fds(const int *fds, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/*
 * Read one datagram. Fills @p w (fds replaced by the received ones) and
 * @p from. @return 1 if a valid message was read, 0 if one was dropped or
 * nothing was there, -1 on a socket error.
 */
static int
read_wire(struct mp_wire *w, struct sockaddr_un *from)
{
	char ctl[CMSG_SPACE(sizeof(int) * RTE_MP_MAX_FD_NUM) + CMSG_SPACE(sizeof(struct ucred))
		+ 64];
	struct iovec iov = { .iov_base = w, .iov_len = sizeof(*w) };
	struct msghdr mh = {
		.msg_name = from, .msg_namelen = sizeof(*from), .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl, .msg_controllen = sizeof(ctl),
	};
	int fds[RTE_MP_MAX_FD_NUM * 2];
	int nfds = 0, i;
	struct ucred cred = { .pid = 0, .uid = (uid_t)-1 };
	bool have_cred = false;
	struct cmsghdr *c;
	const char *why = NULL;
	ssize_t n;

	memset(from, 0, sizeof(*from));
	n = recvmsg(mp_fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC | MSG_TRUNC);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_RIGHTS) {
			int k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

			for (i = 0; i < k && nfds < (int)RTE_DIM(fds); i++)
				memcpy(&fds[nfds++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
		} else if (c->cmsg_type == SCM_CREDENTIALS) {
			memcpy(&cred, CMSG_DATA(c), sizeof(cred));
			have_cred = true;
		}
	}
	if (!have_cred || cred.uid != geteuid())
		why = "sender runs as another user";
	else if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC) || n != (ssize_t)sizeof(*w))
		why = "wrong size";
	else if (w->type < MP_MSG || w->type > MP_IGN)
		why = "unknown type";
	else if (strnlen(w->msg.name, RTE_MP_MAX_NAME_LEN) == RTE_MP_MAX_NAME_LEN ||
		 w->msg.name[0] == '\0')
		why = "bad action name";
	else if (w->msg.len_param < 0 || w->msg.len_param > RTE_MP_MAX_PARAM_LEN)
		why = "bad payload length";
	else if (w->msg.num_fds < 0 || w->msg.num_fds > RTE_MP_MAX_FD_NUM ||
		 w->msg.num_fds != nfds)
		why = "bad fd count";
	if (why != NULL) {
		EAL_LOG(ERR, "IPC: dropped a message from pid %d uid %d (%zd bytes): %s",
			(int)cred.pid, (int)cred.uid, n, why);
		close_fds(fds, nfds);
		return 0;
	}
	for (i = 0; i < RTE_MP_MAX_FD_NUM; i++)
		w->msg.fds[i] = i < nfds ? fds[i] : -1;
	return 1;
}

/* Reply or ignore from a peer: complete its entry. */
static void
handle_answer(const struct mp_wire *w, const char *from)
{
	struct mp_entry *e;

	pthread_mutex_lock(&pending_lock);
	e = find_entry(from, w->msg.name);
	if (e == NULL || e->state != ENTRY_WAITING) {
		pthread_mutex_unlock(&pending_lock);
		EAL_LOG(WARNING, "IPC: unexpected reply '%s' from '%s' (late or unknown)",
			w->msg.name, from);
		close_fds(w->msg.fds, w->msg.num_fds);
		return;
	}
	e->state = w->type == MP_REP ? ENTRY_REPLIED : ENTRY_IGNORED;
	e->reply = w->msg;
	e->group->n_waiting--;
	if (!e->group->async)
		pthread_cond_signal(&e->group->cond);
	pthread_mutex_unlock(&pending_lock);
}

static void
handle_request(const struct mp_wire *w, const char *from)
{
	struct rte_mp_msg ign;
	struct mp_action *a;
	rte_mp_t fn = NULL;

	pthread_mutex_lock(&action_lock);
	a = find_action(w->msg.name);
	if (a != NULL)
		fn = a->action;
	pthread_mutex_unlock(&action_lock);
	if (fn != NULL) {
		if (fn(&w->msg, from) < 0)
			EAL_LOG(DEBUG, "IPC: action '%s' failed", w->msg.name);
		return;
	}
	/* no handler: a requester must not wait for us */
	EAL_LOG(DEBUG, "IPC: no action for '%s'", w->msg.name);
	close_fds(w->msg.fds, w->msg.num_fds);
	if (w->type == MP_REQ && from[0] != '\0') {
		memset(&ign, 0, sizeof(ign));
		memcpy(ign.name, w->msg.name, RTE_MP_MAX_NAME_LEN);
		send_wire(from, &ign, MP_IGN);
	}
}

/* Run the callbacks of async requests that are complete or expired. */
static void
complete_async(void)
{
	struct mp_group *g;
	struct rte_mp_reply reply;

	pthread_mutex_lock(&pending_lock);
	if (!TAILQ_EMPTY(&async_groups))
		drop_dead_peers(NULL);
	pthread_mutex_unlock(&pending_lock);
	for (;;) {
		pthread_mutex_lock(&pending_lock);
		TAILQ_FOREACH(g, &async_groups, next)
			if (g->n_waiting == 0 || is_past(&g->deadline))
				break;
		if (g == NULL) {
			pthread_mutex_unlock(&pending_lock);
			return;
		}
		TAILQ_REMOVE(&async_groups, g, next);
		if (collect_replies(g, &reply) != 0)
			EAL_LOG(ERR, "IPC: no memory for the replies of '%s'", g->request.name);
		pthread_mutex_unlock(&pending_lock);
		g->clb(&g->request, &reply);
		free(reply.msgs);
		free(g);
	}
}

/* @return how long the handler may sleep before an async deadline. */
static int
next_timeout_ms(void)
{
	struct mp_group *g;
	int ms = 1000, t;

	pthread_mutex_lock(&pending_lock);
	TAILQ_FOREACH(g, &async_groups, next) {
		t = g->n_waiting == 0 ? 0 : ms_until(&g->deadline);
		if (t < ms)
			ms = t;
	}
	pthread_mutex_unlock(&pending_lock);
	return ms;
}

static void
receive_one(void)
{
	struct sockaddr_un from;
	struct mp_wire w;

	if (read_wire(&w, &from) <= 0)
		return;
	from.sun_path[sizeof(from.sun_path) - 1] = '\0';
	if (w.type == MP_REP || w.type == MP_IGN)
		handle_answer(&w, from.sun_path);
	else
		handle_request(&w, from.sun_path);
}

static void *
mp_handle(void *arg __rte_unused)
{
	struct pollfd pfd[2] = {
		{ .fd = mp_fd, .events = POLLIN },
		{ .fd = wake_fd, .events = POLLIN },
	};
	uint64_t v;
	int n;

	while (!mp_stop) {
		n = poll(pfd, RTE_DIM(pfd), next_timeout_ms());
		if (n < 0 && errno != EINTR) {
			EAL_LOG(ERR, "IPC: poll failed: %s", strerror(errno));
			break;
		}
		if (n > 0 && (pfd[1].revents & POLLIN) && read(wake_fd, &v, sizeof(v)) < 0)
			EAL_LOG(DEBUG, "IPC: wake read failed");
		if (n > 0 && (pfd[0].revents & POLLIN))
			receive_one();
		complete_async();
	}
	return NULL;
}

/* ---- channel setup ---- */

static bool
set_mp_status(enum mp_status want)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	uint8_t expected = MP_STATUS_UNKNOWN;

	if (__atomic_compare_exchange_n(&mcfg->mp_status, &expected, (uint8_t)want, false,
			__ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return true;
	return __atomic_load_n(&mcfg->mp_status, __ATOMIC_RELAXED) == want;
}

RTE_EXPORT_SYMBOL(rte_mp_disable)
bool
rte_mp_disable(void)
{
	return set_mp_status(MP_STATUS_DISABLED);
}

/* Remove the socket of @p path if nobody is bound to it any more. */
static int
remove_if_dead(const char *path, void *arg __rte_unused)
{
	struct sockaddr_un sa;
	int fd;

	if (fill_addr(&sa, path) != 0)
		return 0;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 && errno == ECONNREFUSED &&
	    unlink(path) == 0)
		EAL_LOG(DEBUG, "IPC: removed the stale socket '%s'", path);
	close(fd);
	return 0;
}

static int
open_socket(void)
{
	struct sockaddr_un sa;
	int one = 1;

	if (is_primary())
		snprintf(own_path, sizeof(own_path), "%s", eal_mp_socket_path());
	else
		snprintf(own_path, sizeof(own_path), "%s/%s%d_%" PRIx64, eal_get_runtime_dir(),
			MP_SECONDARY_PREFIX, (int)getpid(), rte_rdtsc());
	if (fill_addr(&sa, own_path) != 0) {
		EAL_LOG(ERR, "IPC: socket path '%s' too long", own_path);
		return -ENAMETOOLONG;
	}
	mp_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (mp_fd < 0) {
		EAL_LOG(ERR, "IPC: cannot create socket: %s", strerror(errno));
		return -errno;
	}
	if (setsockopt(mp_fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) != 0)
		goto err_close;
	/* the primary owns "mp_socket": we hold the config lock, so it is stale */
	unlink(own_path);
	if (bind(mp_fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		goto err_close;
	return 0;
err_close:
	EAL_LOG(ERR, "IPC: cannot set up socket '%s': %s", own_path, strerror(errno));
	close(mp_fd);
	mp_fd = -1;
	return -errno;
}

int
rte_mp_channel_init(void)
{
	int ret;

	if (ipc_unavailable())
		return 0;
	if (!is_primary() && !set_mp_status(MP_STATUS_ENABLED)) {
		EAL_LOG(ERR, "Primary process refused secondary attachment (rte_mp_disable())");
		return -EPERM;
	}
	wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (wake_fd < 0) {
		EAL_LOG(ERR, "IPC: cannot create eventfd: %s", strerror(errno));
		return -errno;
	}
	ret = open_socket();
	if (ret != 0)
		goto err_wake;
	if (is_primary())
		for_each_peer(remove_if_dead, NULL);
	mp_stop = false;
	ret = rte_ctrl_thread_create(&mp_thread, "dpdk-mp-msg", NULL, mp_handle, NULL);
	if (ret != 0) {
		EAL_LOG(ERR, "IPC: cannot create the handler thread: %s", strerror(ret));
		ret = -ret;
		goto err_sock;
	}
	mp_thread_running = true;
	return 0;
err_sock:
	close(mp_fd);
	mp_fd = -1;
	unlink(own_path);
err_wake:
	close(wake_fd);
	wake_fd = -1;
	return ret;
}

void
rte_mp_channel_cleanup(void)
{
	struct mp_action *a;

	if (mp_thread_running) {
		mp_stop = true;
		wake_handler();
		pthread_join(mp_thread, NULL);
		mp_thread_running = false;
	}
	if (mp_fd >= 0) {
		if (is_primary())
			for_each_peer(remove_if_dead, NULL);
		close(mp_fd);
		mp_fd = -1;
		unlink(own_path);
	}
	if (wake_fd >= 0) {
		close(wake_fd);
		wake_fd = -1;
	}
	pthread_mutex_lock(&action_lock);
	while ((a = TAILQ_FIRST(&action_list)) != NULL) {
		TAILQ_REMOVE(&action_list, a, next);
		free(a);
	}
	pthread_mutex_unlock(&action_lock);
}
