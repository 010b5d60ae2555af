/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * VFIO between processes: the primary answers the EAL_VFIO_MP requests of
 * secondaries with fds of its containers and groups (passed as
 * SCM_RIGHTS by rte_mp), and a secondary sends them.
 *
 * Every request gets an answer, SOCKET_ERR for one that is malformed or
 * unknown, so that a secondary never waits for a timeout to learn that it
 * asked something wrong. The fds handed out are duplicates made under the
 * VFIO lock: the table entry may be closed the moment the lock is dropped,
 * the duplicate stays valid until the answer is sent.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_string_fns.h>

#include "eal_log.h"
#include "eal_vfio.h"

/* as long as DPDK 22.11 waits for the primary */
#define VFIO_MP_TIMEOUT_S 5

static bool served;

static const char *
req_name(int req)
{
	switch (req) {
	case SOCKET_REQ_CONTAINER: return "new container";
	case SOCKET_REQ_GROUP: return "group";
	case SOCKET_REQ_DEFAULT_CONTAINER: return "default container";
	case SOCKET_REQ_IOMMU_TYPE: return "IOMMU type";
	default: return "unknown";
	}
}

static void
close_msg_fds(const struct rte_mp_msg *msg)
{
	int i;

	for (i = 0; i < msg->num_fds && i < RTE_MP_MAX_FD_NUM; i++)
		if (msg->fds[i] >= 0)
			close(msg->fds[i]);
}

/*
 * Fill @p r for request @p q. @return the fd to pass (the caller closes
 * it after the reply) or -1.
 */
static int
answer(const struct vfio_mp_param *q, struct vfio_mp_param *r)
{
	int ret;

	r->req = q->req;
	r->result = SOCKET_ERR;
	switch (q->req) {
	case SOCKET_REQ_CONTAINER:
		ret = vfio_mp_new_container();
		break;
	case SOCKET_REQ_DEFAULT_CONTAINER:
		ret = vfio_mp_default_container();
		break;
	case SOCKET_REQ_GROUP:
		r->group_num = q->group_num;
		if (q->group_num < 0) {
			EAL_LOG(ERR, "VFIO: a secondary asked for group %d", q->group_num);
			return -1;
		}
		ret = vfio_mp_group(q->group_num);
		if (ret == -ENOENT) {
			r->result = SOCKET_NO_FD;
			return -1;
		}
		break;
	case SOCKET_REQ_IOMMU_TYPE:
		ret = vfio_mp_iommu_type();
		if (ret >= 0) {
			r->iommu_type_id = ret;
			r->result = SOCKET_OK;
		}
		return -1;
	default:
		EAL_LOG(ERR, "VFIO: unknown request 0x%x from a secondary", q->req);
		return -1;
	}
	if (ret < 0) {
		EAL_LOG(ERR, "VFIO: cannot answer a secondary's %s request: %s",
			req_name(q->req), strerror(-ret));
		return -1;
	}
	r->result = SOCKET_OK;
	return ret;
}

static int
vfio_mp_primary(const struct rte_mp_msg *msg, const void *peer)
{
	struct rte_mp_msg reply;
	struct vfio_mp_param q, *r = (struct vfio_mp_param *)reply.param;
	int fd = -1, ret;

	/* requests carry no fds; whatever came along is not ours to keep */
	close_msg_fds(msg);
	memset(&reply, 0, sizeof(reply));
	strlcpy(reply.name, EAL_VFIO_MP, sizeof(reply.name));
	reply.len_param = sizeof(*r);
	if (msg->len_param != (int)sizeof(q)) {
		EAL_LOG(ERR, "VFIO: malformed request from a secondary: %d bytes of "
			"parameters instead of %zu", msg->len_param, sizeof(q));
		r->req = 0;
		r->result = SOCKET_ERR;
	} else {
		memcpy(&q, msg->param, sizeof(q));
		fd = answer(&q, r);
	}
	if (fd >= 0) {
		reply.num_fds = 1;
		reply.fds[0] = fd;
	}
	ret = rte_mp_reply(&reply, peer);
	if (ret < 0)
		EAL_LOG(ERR, "VFIO: cannot answer a secondary: %s", rte_strerror(rte_errno));
	if (fd >= 0)
		close(fd);
	return ret;
}

int
vfio_mp_sync_setup(void)
{
	if (rte_eal_process_type() != RTE_PROC_PRIMARY || served)
		return 0;
	if (rte_mp_action_register(EAL_VFIO_MP, vfio_mp_primary) < 0) {
		/* no IPC (e.g. --in-memory): there are no secondaries to serve */
		if (rte_errno == ENOTSUP)
			return 0;
		EAL_LOG(ERR, "VFIO: cannot register IPC action %s: %s", EAL_VFIO_MP,
			rte_strerror(rte_errno));
		return -rte_errno;
	}
	served = true;
	return 0;
}

void
vfio_mp_sync_cleanup(void)
{
	if (!served)
		return;
	rte_mp_action_unregister(EAL_VFIO_MP);
	served = false;
}

/* Check the primary's answer to @p req. @return its result or -EPROTO. */
static int
check_answer(const struct rte_mp_msg *m, int req, int *fd, int *type_id)
{
	struct vfio_mp_param a;

	if (m->len_param != (int)sizeof(a)) {
		EAL_LOG(ERR, "VFIO: malformed answer from the primary (%d bytes)", m->len_param);
		return -EPROTO;
	}
	memcpy(&a, m->param, sizeof(a));
	if (a.req != req) {
		EAL_LOG(ERR, "VFIO: the primary answered request 0x%x instead of 0x%x",
			a.req, req);
		return -EPROTO;
	}
	if (a.result == SOCKET_OK && req != SOCKET_REQ_IOMMU_TYPE) {
		if (m->num_fds != 1) {
			EAL_LOG(ERR, "VFIO: the primary's answer carries %d fds, not 1",
				m->num_fds);
			return -EPROTO;
		}
		*fd = m->fds[0];
	} else if (m->num_fds != 0) {
		EAL_LOG(ERR, "VFIO: the primary's answer carries unexpected fds");
		return -EPROTO;
	}
	if (a.result == SOCKET_OK && type_id != NULL)
		*type_id = a.iommu_type_id;
	if (a.result != SOCKET_OK && a.result != SOCKET_NO_FD && a.result != SOCKET_ERR) {
		EAL_LOG(ERR, "VFIO: unknown result 0x%x from the primary", a.result);
		*fd = -1;
		return -EPROTO;
	}
	return a.result;
}

int
vfio_mp_request(int req, int group_num, int *fd, int *type_id)
{
	struct timespec ts = { .tv_sec = VFIO_MP_TIMEOUT_S };
	struct rte_mp_reply reply = { 0 };
	struct rte_mp_msg msg;
	struct vfio_mp_param q = { .req = req };
	int ret;

	*fd = -1;
	if (req == SOCKET_REQ_GROUP)
		q.group_num = group_num;
	memset(&msg, 0, sizeof(msg));
	strlcpy(msg.name, EAL_VFIO_MP, sizeof(msg.name));
	msg.len_param = sizeof(q);
	memcpy(msg.param, &q, sizeof(q));
	if (rte_mp_request_sync(&msg, &reply, &ts) < 0) {
		ret = -rte_errno;
		EAL_LOG(ERR, "VFIO: %s request to the primary failed: %s", req_name(req),
			rte_strerror(rte_errno));
		return ret;
	}
	if (reply.nb_received != 1) {
		EAL_LOG(ERR, "VFIO: the primary process did not answer the %s request "
			"(it serves no VFIO requests)", req_name(req));
		ret = -ENOTSUP;
	} else {
		ret = check_answer(&reply.msgs[0], req, fd, type_id);
		if (ret < 0)
			close_msg_fds(&reply.msgs[0]);
	}
	free(reply.msgs);
	return ret;
}

int
vfio_mp_request_fd(int req, int group_num, const char *what)
{
	int fd, ret = vfio_mp_request(req, group_num, &fd, NULL);

	if (ret == SOCKET_OK)
		return fd;
	if (ret == SOCKET_NO_FD)
		return -ENOENT;
	if (ret == SOCKET_ERR) {
		EAL_LOG(ERR, "VFIO: the primary process could not provide %s", what);
		return -EIO;
	}
	return ret;
}

int
vfio_mp_request_iommu_type(void)
{
	int fd, type = -1, ret = vfio_mp_request(SOCKET_REQ_IOMMU_TYPE, 0, &fd, &type);

	if (ret == SOCKET_ERR) {
		EAL_LOG(ERR, "VFIO: the primary process has no IOMMU type set in its "
			"default container yet");
		return -ENODEV;
	}
	if (ret != SOCKET_OK)
		return ret < 0 ? ret : -EIO;
	return type;
}
