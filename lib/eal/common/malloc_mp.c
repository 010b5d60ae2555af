/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Heap hotplug synchronisation over IPC (SPEC 8.4); see malloc_mp.h.
 *
 * Actions: "mp_malloc_sync" and "mp_malloc_rollback" (primary -> every
 * secondary: replay the memseg lists, answer with the request id) and
 * "mp_malloc_request" (secondary -> primary: grow a heap or unmap pages).
 * The primary answers a request with rte_mp_reply() only once every
 * secondary has confirmed the change (or the change was rolled back), so
 * its handler never blocks: it sends the sync round asynchronously and
 * finishes the request in the completion callback.
 *
 * While the primary works for a secondary, it owns that secondary's
 * hotplug and heap locks (eal_shared_*_hand_over()): if the secondary is
 * killed meanwhile, nobody takes the locks from under the primary, and the
 * primary releases them when done.
 */

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memory.h>
#include <rte_rwlock.h>
#include <rte_spinlock.h>

#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_memalloc.h"
#include "eal_memcfg.h"
#include "eal_private.h"
#include "malloc_heap.h"
#include "malloc_mp.h"

#define MP_ACTION_SYNC "mp_malloc_sync"
#define MP_ACTION_ROLLBACK "mp_malloc_rollback"
#define MP_ACTION_REQUEST "mp_malloc_request"

/* most pages one request may add (a sanity bound on what arrives by IPC) */
#define MP_MAX_SEGS (1 << 20)

/*
 * The heap and page layers land separately; until they do, this file must
 * still link. Without them the actions are not registered.
 */
#pragma weak alloc_pages_on_heap
#pragma weak rollback_expand_heap
#pragma weak malloc_heap_free_pages
#pragma weak eal_memalloc_sync_with_primary
#pragma weak eal_memalloc_mem_event_notify
#pragma weak rte_mem_virt2memseg_list

/* A request the primary is working on for a secondary. */
struct mp_work {
	struct malloc_mp_req req;
	char peer[PATH_MAX];
	struct rte_memseg **ms;
	struct malloc_elem *elem;
	void *map_addr;
	size_t map_len;
	uint64_t sync_id;
	struct malloc_heap *heap; /* whose lock the requester holds */
	unsigned int moved; /* MOVED_* locks that the hand-over made ours */
};

#define MOVED_HOTPLUG 1u
#define MOVED_HEAP 2u

/* at most one at a time: the requester holds the hotplug write lock */
static struct mp_work *current_work;
static pthread_mutex_t work_lock = PTHREAD_MUTEX_INITIALIZER;
static bool actions_registered;

static uint64_t
next_id(void)
{
	static uint32_t counter;

	return ((uint64_t)getpid() << 32) | __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
}

static bool
layers_present(void)
{
	return alloc_pages_on_heap != NULL && rollback_expand_heap != NULL &&
		malloc_heap_free_pages != NULL && eal_memalloc_sync_with_primary != NULL &&
		eal_memalloc_mem_event_notify != NULL && rte_mem_virt2memseg_list != NULL;
}

static void
make_msg(struct rte_mp_msg *msg, const char *name, const struct malloc_mp_req *req)
{
	memset(msg, 0, sizeof(*msg));
	snprintf(msg->name, sizeof(msg->name), "%s", name);
	memcpy(msg->param, req, sizeof(*req));
	msg->len_param = sizeof(*req);
}

/* @return the request in @p msg, or NULL if it is not one (logged). */
static const struct malloc_mp_req *
msg_req(const struct rte_mp_msg *msg, struct malloc_mp_req *buf)
{
	if (msg->len_param != sizeof(struct malloc_mp_req)) {
		EAL_LOG(ERR, "malloc IPC: '%s' of %d bytes, want %zu", msg->name, msg->len_param,
			sizeof(struct malloc_mp_req));
		return NULL;
	}
	/* the payload bytes carry no alignment */
	memcpy(buf, msg->param, sizeof(*buf));
	return buf;
}

/* ---- secondary side ---- */

/* Replay the primary's memseg lists (no hotplug lock: the initiator has it). */
static int
handle_sync(const struct rte_mp_msg *msg, const void *peer)
{
	struct malloc_mp_req buf, out;
	const struct malloc_mp_req *in = msg_req(msg, &buf);
	struct rte_mp_msg reply;

	if (in == NULL || in->t != REQ_TYPE_SYNC) {
		EAL_LOG(ERR, "malloc IPC: bad sync request dropped");
		return -1;
	}
	out = *in;
	out.result = eal_memalloc_sync_with_primary() == 0 ? REQ_RESULT_SUCCESS :
		REQ_RESULT_FAIL;
	if (out.result != REQ_RESULT_SUCCESS)
		EAL_LOG(ERR, "malloc IPC: cannot map the primary's memory changes");
	make_msg(&reply, msg->name, &out);
	return rte_mp_reply(&reply, peer);
}

/*
 * mp_waiting[slot] of a requester holds the id of the request it waits
 * for. The primary swaps it for SERVING before it takes the requester's
 * locks and for ANSWERED once it has given them back, so each side knows
 * who holds the locks: a request the requester stopped waiting for is
 * never served (its locks may be taken again for another attempt), and a
 * requester whose request is being served waits for the locks to come back.
 */
#define MP_WAIT_ANSWERED UINT64_MAX
#define MP_WAIT_SERVING (UINT64_MAX - 1)

/* the primary may be between two sync rounds and a rollback: give it that */
#define MP_SERVING_WAIT_S (2 * MP_REQUEST_TIMEOUT_S)

/*
 * No answer came for request @p id. If the primary never took it, it never
 * will. If it did, wait until it has handed our locks back (or died), so
 * that our caller finds them where it left them. @return 0 if the locks
 * are ours, -1 if they are not (the primary died or is stuck holding them).
 */
static int
give_up(volatile uint64_t *waiting, uint64_t id, int32_t primary)
{
	/* wall time: a sleep step on a loaded machine lasts much longer than asked */
	const uint64_t start = eal_mono_ns(), ns_per_s = 1000000000ULL;
	uint64_t now, next_check = start;

	if (__atomic_compare_exchange_n(waiting, &id, 0, false, __ATOMIC_ACQ_REL,
			__ATOMIC_ACQUIRE))
		return 0;
	while (__atomic_load_n(waiting, __ATOMIC_ACQUIRE) == MP_WAIT_SERVING) {
		now = eal_mono_ns();
		/* the primary's liveness reads /proc: not on every step */
		if (now >= next_check) {
			if (now - start > MP_SERVING_WAIT_S * ns_per_s || !eal_pid_alive(primary)) {
				EAL_LOG(CRIT, "malloc IPC: the primary took our request and has "
					"not given our locks back after %.1f s",
					(double)(now - start) / ns_per_s);
				return -1;
			}
			next_check = now + ns_per_s / 20;
		}
		usleep(1000);
	}
	__atomic_store_n(waiting, 0, __ATOMIC_RELEASE);
	return 0;
}

int
request_to_primary(struct malloc_mp_req *req)
{
	volatile uint64_t *waiting;
	struct timespec ts = { .tv_sec = MP_REQUEST_TIMEOUT_S };
	const struct malloc_mp_req *ans;
	struct malloc_mp_req buf;
	struct rte_mp_reply reply;
	struct rte_mp_msg msg;
	int ret = -1;

	if (req == NULL || (req->t != REQ_TYPE_ALLOC && req->t != REQ_TYPE_FREE))
		return -1;
	req->id = next_id();
	req->pid = getpid();
	req->slot = eal_proc_slot();
	req->result = REQ_RESULT_FAIL;
	waiting = &eal_get_mcfg()->mp_waiting[req->slot];
	__atomic_store_n(waiting, req->id, __ATOMIC_RELEASE);
	make_msg(&msg, MP_ACTION_REQUEST, req);
	if (rte_mp_request_sync(&msg, &reply, &ts) != 0) {
		EAL_LOG(ERR, "malloc IPC: cannot send the request to the primary: %s",
			rte_strerror(rte_errno));
		give_up(waiting, req->id, eal_get_mcfg()->primary_pid);
		return -1;
	}
	if (reply.nb_received != 1) {
		EAL_LOG(ERR, "malloc IPC: no answer from the primary within %d s",
			MP_REQUEST_TIMEOUT_S);
		give_up(waiting, req->id, eal_get_mcfg()->primary_pid);
		goto out;
	}
	__atomic_store_n(waiting, 0, __ATOMIC_RELEASE);
	ans = msg_req(&reply.msgs[0], &buf);
	if (ans == NULL || ans->id != req->id) {
		EAL_LOG(ERR, "malloc IPC: answer to another request");
		goto out;
	}
	req->result = ans->result;
	ret = 0;
out:
	free(reply.msgs);
	return ret;
}

/* ---- primary side ---- */

/* @return 0 if every reply of a sync round with @p id says SUCCESS. */
static int
check_sync_replies(const struct rte_mp_reply *reply, uint64_t id)
{
	const struct malloc_mp_req *r;
	struct malloc_mp_req buf;
	int i;

	if (reply->nb_received != reply->nb_sent) {
		EAL_LOG(ERR, "malloc IPC: %d of %d secondaries did not confirm the change",
			reply->nb_sent - reply->nb_received, reply->nb_sent);
		return -1;
	}
	for (i = 0; i < reply->nb_received; i++) {
		r = msg_req(&reply->msgs[i], &buf);
		if (r == NULL || r->id != id || r->result != REQ_RESULT_SUCCESS) {
			EAL_LOG(ERR, "malloc IPC: a secondary could not apply the change");
			return -1;
		}
	}
	return 0;
}

/* the last round of this thread left a peer unanswered */
static __thread bool round_timed_out;

static int
ignore_replies(const struct rte_mp_msg *request __rte_unused,
		const struct rte_mp_reply *reply __rte_unused)
{
	return 0;
}

int
request_sync(bool rollback)
{
	struct timespec ts = { .tv_sec = MP_TIMEOUT_S };
	struct malloc_mp_req req = { .t = REQ_TYPE_SYNC };
	struct rte_mp_reply reply;
	struct rte_mp_msg msg;
	int ret, tries = 0;

	if (eal_get_internal_configuration()->no_shconf)
		return 0;
	req.id = next_id();
	make_msg(&msg, MP_ACTION_SYNC, &req);
	/* the hotplug write lock keeps everyone else out until peers replay it */
	if (rollback && round_timed_out) {
		round_timed_out = false;
		if (rte_mp_request_async(&msg, &ts, ignore_replies) != 0)
			EAL_LOG(ERR, "malloc IPC: cannot send the rollback to the secondaries");
		return 0;
	}
	/* EEXIST: a round of the handler thread is still open; it ends soon */
	while ((ret = rte_mp_request_sync(&msg, &reply, &ts)) != 0 && rte_errno == EEXIST &&
	       tries++ < (MP_TIMEOUT_S + 1) * 1000)
		usleep(1000);
	if (ret != 0) {
		EAL_LOG(ERR, "malloc IPC: cannot sync the secondaries: %s",
			rte_strerror(rte_errno));
		return -1;
	}
	ret = check_sync_replies(&reply, req.id);
	round_timed_out = reply.nb_received != reply.nb_sent;
	free(reply.msgs);
	return ret;
}

/* The heap whose lock the requester holds. */
static struct malloc_heap *
req_heap(const struct malloc_mp_req *req)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	const struct rte_memseg_list *msl;
	int i;

	if (req->t == REQ_TYPE_ALLOC)
		return req->alloc_req.heap;
	msl = rte_mem_virt2memseg_list(req->free_req.addr);
	if (msl == NULL)
		return NULL;
	for (i = 0; i < RTE_MAX_HEAPS; i++)
		if (mcfg->malloc_heaps[i].total_size != 0 &&
		    mcfg->malloc_heaps[i].socket_id == (unsigned int)msl->socket_id)
			return &mcfg->malloc_heaps[i];
	return NULL;
}

/*
 * Move the locks in @p which (MOVED_*) from @p from to @p to (0: release
 * them). Each lock moves only if @p from owns it, so what another process
 * took over is left alone. @return the locks that moved.
 */
static unsigned int
move_locks(struct malloc_heap *heap, unsigned int which, int32_t from, int32_t to)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	unsigned int moved = 0;

	if ((which & MOVED_HOTPLUG) &&
			eal_shared_rwlock_hand_over(&mcfg->memory_hotplug_lock, from, to) == 0)
		moved |= MOVED_HOTPLUG;
	if ((which & MOVED_HEAP) && heap != NULL &&
			eal_shared_spinlock_hand_over(&heap->lock, from, to) == 0)
		moved |= MOVED_HEAP;
	return moved;
}

/*
 * Give back (to @p to, or release with 0) only the locks the hand-over made
 * ours: a lock that failed to move may since be held by another thread of
 * this process (our main thread taking a dead requester's heap lock over),
 * and the owner pid alone cannot tell the two apart.
 */
static void
return_locks(struct mp_work *w, int32_t to)
{
	move_locks(w->heap, w->moved, getpid(), to);
	w->moved = 0;
}

/*
 * The requester died while we served it: its locks are ours since the
 * hand-over, so nobody else releases them; we do, now that we are done with
 * the memory they protect.
 */
static void
release_dead_requester_locks(struct mp_work *w)
{
	EAL_LOG(WARNING, "malloc IPC: requester pid %d died; its locks are released",
		(int)w->req.pid);
	return_locks(w, 0);
}

/* Answer the request and give the locks back (or free them: requester dead). */
static void
finish_work(struct mp_work *w, enum malloc_req_result result)
{
	volatile uint64_t *waiting = &eal_get_mcfg()->mp_waiting[w->req.slot];
	uint64_t serving = MP_WAIT_SERVING;
	struct rte_mp_msg msg;

	w->req.result = result;
	if (!eal_pid_alive(w->req.pid)) {
		release_dead_requester_locks(w);
		__atomic_compare_exchange_n(waiting, &serving, 0, false, __ATOMIC_ACQ_REL,
			__ATOMIC_RELAXED);
	} else {
		/* locks first: the requester takes ANSWERED to mean they are back */
		return_locks(w, w->req.pid);
		__atomic_store_n(waiting, MP_WAIT_ANSWERED, __ATOMIC_RELEASE);
		make_msg(&msg, MP_ACTION_REQUEST, &w->req);
		if (rte_mp_reply(&msg, w->peer) != 0)
			EAL_LOG(ERR, "malloc IPC: cannot answer pid %d", (int)w->req.pid);
	}
	pthread_mutex_lock(&work_lock);
	if (current_work == w)
		current_work = NULL;
	pthread_mutex_unlock(&work_lock);
	free(w->ms);
	free(w);
}

static int sync_done(const struct rte_mp_msg *request, const struct rte_mp_reply *reply);

/* Start an asynchronous sync round for @p w. @return 0 or -1. */
static int
start_sync(struct mp_work *w, const char *action)
{
	struct timespec ts = { .tv_sec = MP_TIMEOUT_S };
	struct malloc_mp_req req = { .t = REQ_TYPE_SYNC };
	struct rte_mp_msg msg;

	req.id = next_id();
	w->sync_id = req.id;
	make_msg(&msg, action, &req);
	if (rte_mp_request_async(&msg, &ts, sync_done) != 0) {
		EAL_LOG(ERR, "malloc IPC: cannot start a sync round: %s", rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

/* The growth failed somewhere: undo it here, then make the peers unmap. */
static void
rollback_work(struct mp_work *w)
{
	eal_memalloc_mem_event_notify(RTE_MEM_EVENT_FREE, w->map_addr, w->map_len);
	rollback_expand_heap(w->ms, w->req.alloc_req.n_segs, w->elem, w->map_addr, w->map_len);
	w->elem = NULL;
	if (start_sync(w, MP_ACTION_ROLLBACK) != 0)
		finish_work(w, REQ_RESULT_FAIL);
}

/* Completion of a sync round (handler thread). */
static int
sync_done(const struct rte_mp_msg *request, const struct rte_mp_reply *reply)
{
	struct malloc_mp_req buf;
	const struct malloc_mp_req *r = msg_req(request, &buf);
	struct mp_work *w;
	bool ok;

	pthread_mutex_lock(&work_lock);
	w = current_work;
	pthread_mutex_unlock(&work_lock);
	if (r == NULL || w == NULL || w->sync_id != r->id) {
		EAL_LOG(ERR, "malloc IPC: sync round for no known request");
		return -1;
	}
	ok = check_sync_replies(reply, r->id) == 0;
	if (strcmp(request->name, MP_ACTION_ROLLBACK) == 0) {
		finish_work(w, REQ_RESULT_FAIL);
	} else if (w->req.t == REQ_TYPE_FREE) {
		/* pages gone from the heap are harmless where they stay mapped */
		finish_work(w, ok ? REQ_RESULT_SUCCESS : REQ_RESULT_FAIL);
	} else if (ok) {
		w->req.alloc_req.heap->total_size += w->map_len;
		finish_work(w, REQ_RESULT_SUCCESS);
	} else {
		rollback_work(w);
	}
	return 0;
}

static int
start_alloc(struct mp_work *w)
{
	const struct malloc_req_alloc *a = &w->req.alloc_req;

	w->ms = calloc(a->n_segs, sizeof(*w->ms));
	if (w->ms == NULL)
		return -1;
	w->elem = alloc_pages_on_heap(a->heap, a->page_sz, a->elt_size, a->socket, a->flags,
		a->align, a->bound, a->contig, w->ms, a->n_segs);
	if (w->elem == NULL)
		return -1;
	w->map_addr = w->ms[0]->addr;
	w->map_len = (size_t)a->n_segs * a->page_sz;
	eal_memalloc_mem_event_notify(RTE_MEM_EVENT_ALLOC, w->map_addr, w->map_len);
	if (start_sync(w, MP_ACTION_SYNC) != 0) {
		rollback_work(w);
		return 1; /* rollback_work() answered or will answer */
	}
	return 0;
}

static int
start_free(struct mp_work *w)
{
	const struct malloc_req_free *f = &w->req.free_req;

	eal_memalloc_mem_event_notify(RTE_MEM_EVENT_FREE, f->addr, f->len);
	if (malloc_heap_free_pages(f->addr, f->len) != 0)
		EAL_LOG(ERR, "malloc IPC: cannot unmap %zu bytes at %p for pid %d", f->len,
			f->addr, (int)w->req.pid);
	return start_sync(w, MP_ACTION_SYNC);
}

/* @return true if a request that came by IPC can be acted on safely. */
static bool
req_valid(const struct malloc_mp_req *r)
{
	struct rte_mem_config *mcfg = eal_get_mcfg();
	const struct malloc_req_alloc *a = &r->alloc_req;
	uintptr_t h = (uintptr_t)a->heap, first = (uintptr_t)&mcfg->malloc_heaps[0];

	if (r->slot < 0 || r->slot >= EAL_MAX_PROCS)
		return false;
	if (r->t == REQ_TYPE_FREE)
		return r->free_req.len > 0 && r->free_req.addr != NULL;
	if (r->t != REQ_TYPE_ALLOC)
		return false;
	return h >= first && h < (uintptr_t)&mcfg->malloc_heaps[RTE_MAX_HEAPS] &&
		(h - first) % sizeof(struct malloc_heap) == 0 && a->n_segs > 0 &&
		a->n_segs <= MP_MAX_SEGS && rte_is_power_of_2(a->page_sz);
}

/* Primary: a secondary wants pages added or removed. */
static int
handle_request(const struct rte_mp_msg *msg, const void *peer)
{
	struct malloc_mp_req buf;
	const struct malloc_mp_req *in = msg_req(msg, &buf);
	struct rte_mp_msg busy;
	struct mp_work *w;
	bool handed;
	int ret;

	w = calloc(1, sizeof(*w));
	if (w == NULL || in == NULL || !req_valid(in)) {
		EAL_LOG(ERR, "malloc IPC: bad or unserviceable request dropped");
		free(w);
		return -1;
	}
	w->req = *in;
	snprintf(w->peer, sizeof(w->peer), "%s", (const char *)peer);
	pthread_mutex_lock(&work_lock);
	if (current_work != NULL) {
		pthread_mutex_unlock(&work_lock);
		EAL_LOG(ERR, "malloc IPC: pid %d asks while pid %d is served (lock misuse)",
			(int)in->pid, (int)current_work->req.pid);
		w->req.result = REQ_RESULT_FAIL;
		make_msg(&busy, MP_ACTION_REQUEST, &w->req);
		free(w);
		return rte_mp_reply(&busy, peer);
	}
	/* a request whose requester gave up is not served: its locks are not ours to take */
	if (!__atomic_compare_exchange_n(&eal_get_mcfg()->mp_waiting[in->slot], &w->req.id,
			MP_WAIT_SERVING, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
		pthread_mutex_unlock(&work_lock);
		EAL_LOG(WARNING, "malloc IPC: pid %d no longer waits for its request: dropped",
			(int)in->pid);
		free(w);
		return 0;
	}
	current_work = w;
	pthread_mutex_unlock(&work_lock);
	w->heap = req_heap(in);
	/* what moves here is ours until finish_work() gives it back */
	w->moved = move_locks(w->heap, MOVED_HOTPLUG | MOVED_HEAP, in->pid, getpid());
	handed = w->moved == (w->heap != NULL ? MOVED_HOTPLUG | MOVED_HEAP : MOVED_HOTPLUG);
	/* pages a dead requester took out of the heap are given back all the same */
	if (!eal_pid_alive(in->pid) && !(handed && in->t == REQ_TYPE_FREE)) {
		finish_work(w, REQ_RESULT_FAIL);
		return 0;
	}
	if (!handed) {
		EAL_LOG(ERR, "malloc IPC: pid %d asks without holding the hotplug and heap locks",
			(int)in->pid);
		finish_work(w, REQ_RESULT_FAIL);
		return 0;
	}
	ret = in->t == REQ_TYPE_ALLOC ? start_alloc(w) : start_free(w);
	if (ret < 0)
		finish_work(w, REQ_RESULT_FAIL);
	return 0;
}

int
register_mp_requests(void)
{
	int ret;

	if (eal_get_internal_configuration()->no_shconf)
		return 0;
	if (!layers_present()) {
		EAL_LOG(WARNING, "malloc IPC: heap or page layer missing, no hotplug sync");
		return 0;
	}
	if (rte_eal_process_type() == RTE_PROC_PRIMARY) {
		ret = rte_mp_action_register(MP_ACTION_REQUEST, handle_request);
	} else {
		ret = rte_mp_action_register(MP_ACTION_SYNC, handle_sync);
		if (ret == 0) {
			ret = rte_mp_action_register(MP_ACTION_ROLLBACK, handle_sync);
			if (ret != 0)
				rte_mp_action_unregister(MP_ACTION_SYNC);
		}
	}
	if (ret != 0 && rte_errno != ENOTSUP) {
		EAL_LOG(ERR, "malloc IPC: cannot register actions: %s", rte_strerror(rte_errno));
		return -1;
	}
	actions_registered = ret == 0;
	return 0;
}

void
unregister_mp_requests(void)
{
	if (!actions_registered)
		return;
	rte_mp_action_unregister(MP_ACTION_REQUEST);
	rte_mp_action_unregister(MP_ACTION_SYNC);
	rte_mp_action_unregister(MP_ACTION_ROLLBACK);
	actions_registered = false;
}
