/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Source-compatibility probe for the IPC part of rte_eal.h (see
 * eal_lcore.c), in a primary with no secondary: action registration and
 * its errors, messages and requests that find no peer, rte_mp_disable().
 */

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>

static int
action(const struct rte_mp_msg *msg, const void *peer)
{
	(void)msg;
	(void)peer;
	return 0;
}

static int
async_reply(const struct rte_mp_msg *request, const struct rte_mp_reply *reply)
{
	(void)request;
	(void)reply;
	return 0;
}

#define SHOW(what, call) do { \
	int r_; \
	rte_errno = 0; \
	r_ = (call); \
	printf("%-44s %d rte_errno %d\n", what, r_, r_ < 0 ? rte_errno : 0); \
} while (0)

int
main(int argc, char **argv)
{
	char long_name[RTE_MP_MAX_NAME_LEN + 8];
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 100 * 1000 * 1000 };
	struct rte_mp_reply reply;
	struct rte_mp_msg msg;

	if (rte_eal_init(argc, argv) < 0)
		return 1;
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	printf("limits: name %d param %d fds %d\n", RTE_MP_MAX_NAME_LEN, RTE_MP_MAX_PARAM_LEN,
		RTE_MP_MAX_FD_NUM);
	SHOW("register", rte_mp_action_register("compat_action", action));
	SHOW("register again", rte_mp_action_register("compat_action", action));
	SHOW("register long name", rte_mp_action_register(long_name, action));
	SHOW("register empty name", rte_mp_action_register("", action));
	rte_mp_action_unregister("compat_action");
	SHOW("register after unregister", rte_mp_action_register("compat_action", action));

	memset(&msg, 0, sizeof(msg));
	strcpy(msg.name, "compat_action");
	msg.len_param = 4;
	SHOW("sendmsg, no peer", rte_mp_sendmsg(&msg));
	memset(&reply, 0, sizeof(reply));
	SHOW("request_sync, no peer", rte_mp_request_sync(&msg, &reply, &ts));
	printf("  nb_sent %d nb_received %d msgs %s\n", reply.nb_sent, reply.nb_received,
		reply.msgs == NULL ? "NULL" : "set");
	free(reply.msgs);
	SHOW("request_async, no peer", rte_mp_request_async(&msg, &ts, async_reply));
	msg.len_param = RTE_MP_MAX_PARAM_LEN + 1;
	SHOW("sendmsg, param too long", rte_mp_sendmsg(&msg));
	msg.len_param = 4;
	msg.num_fds = RTE_MP_MAX_FD_NUM + 1;
	SHOW("sendmsg, too many fds", rte_mp_sendmsg(&msg));
	msg.num_fds = 0;
	strcpy(msg.name, "");
	SHOW("sendmsg, empty name", rte_mp_sendmsg(&msg));
	SHOW("reply without peer", rte_mp_reply(&msg, NULL));
	printf("rte_mp_disable %d, again %d\n", rte_mp_disable(), rte_mp_disable());
	rte_eal_cleanup();
	return 0;
}
