/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The OS-independent half of page allocation: memory event callbacks,
 * allocation validators and the IOVA contiguity check.
 *
 * Callbacks and validators are process-local: each process decides what it
 * wants to hear about (a secondary learns of new pages when it syncs with
 * the primary, and fires its own callbacks then). Both lists are guarded by
 * their own rwlock; they are read while the memory hotplug lock is held for
 * writing, so a callback must neither register nor unregister anything.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_fbarray.h>
#include <rte_memory.h>
#include <rte_rwlock.h>

#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_memalloc.h"

struct mem_event_callback_entry {
	TAILQ_ENTRY(mem_event_callback_entry) next;
	char name[RTE_MEM_EVENT_CALLBACK_NAME_LEN];
	rte_mem_event_callback_t clb;
	void *arg;
};

struct mem_alloc_validator_entry {
	TAILQ_ENTRY(mem_alloc_validator_entry) next;
	char name[RTE_MEM_ALLOC_VALIDATOR_NAME_LEN];
	rte_mem_alloc_validator_t clb;
	int socket_id;
	size_t limit;
};

/* protects mem_event_callbacks */
static rte_rwlock_t mem_event_rwlock = RTE_RWLOCK_INITIALIZER;
static TAILQ_HEAD(, mem_event_callback_entry) mem_event_callbacks =
	TAILQ_HEAD_INITIALIZER(mem_event_callbacks);

/* protects mem_alloc_validators */
static rte_rwlock_t mem_validator_rwlock = RTE_RWLOCK_INITIALIZER;
static TAILQ_HEAD(, mem_alloc_validator_entry) mem_alloc_validators =
	TAILQ_HEAD_INITIALIZER(mem_alloc_validators);

/* Legacy memory never changes at run time, so there is nothing to report. */
static bool
runtime_memory_is_static(void)
{
	const struct internal_config *cfg = eal_get_internal_configuration();

	return cfg->legacy_mem != 0;
}

/* @return 0, or -1 with rte_errno set (and a log line) for a bad name. */
static int
check_name(const char *name, size_t max_len, const char *what)
{
	if (name == NULL || name[0] == '\0') {
		EAL_LOG_ERRNO(ERR, EINVAL, "Invalid %s name", what);
		return -1;
	}
	if (strnlen(name, max_len) == max_len) {
		EAL_LOG_ERRNO(ERR, ENAMETOOLONG, "%s name '%.16s...' is too long", what, name);
		return -1;
	}
	return 0;
}

static struct mem_event_callback_entry *
find_mem_event_callback(const char *name, void *arg)
{
	struct mem_event_callback_entry *e;

	TAILQ_FOREACH(e, &mem_event_callbacks, next)
		if (e->arg == arg && strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

int
eal_memalloc_mem_event_callback_register(const char *name, rte_mem_event_callback_t clb,
		void *arg)
{
	struct mem_event_callback_entry *e;

	if (check_name(name, RTE_MEM_EVENT_CALLBACK_NAME_LEN, "Memory event callback") < 0)
		return -1;
	if (clb == NULL) {
		EAL_LOG_ERRNO(ERR, EINVAL, "Memory event callback '%s' has no function", name);
		return -1;
	}
	if (runtime_memory_is_static()) {
		EAL_LOG_ERRNO(DEBUG, ENOTSUP, "Memory events are not supported in legacy mode");
		return -1;
	}
	rte_rwlock_write_lock(&mem_event_rwlock);
	if (find_mem_event_callback(name, arg) != NULL) {
		rte_rwlock_write_unlock(&mem_event_rwlock);
		EAL_LOG_ERRNO(ERR, EEXIST, "Memory event callback '%s' is already registered", name);
		return -1;
	}
	e = calloc(1, sizeof(*e));
	if (e == NULL) {
		rte_rwlock_write_unlock(&mem_event_rwlock);
		EAL_LOG_ERRNO(ERR, ENOMEM, "Cannot allocate memory event callback '%s'", name);
		return -1;
	}
	strcpy(e->name, name);
	e->clb = clb;
	e->arg = arg;
	TAILQ_INSERT_TAIL(&mem_event_callbacks, e, next);
	rte_rwlock_write_unlock(&mem_event_rwlock);
	EAL_LOG(DEBUG, "Memory event callback '%s:%p' registered", name, arg);
	return 0;
}

int
eal_memalloc_mem_event_callback_unregister(const char *name, void *arg)
{
	struct mem_event_callback_entry *e;

	if (check_name(name, RTE_MEM_EVENT_CALLBACK_NAME_LEN, "Memory event callback") < 0)
		return -1;
	if (runtime_memory_is_static()) {
		EAL_LOG_ERRNO(DEBUG, ENOTSUP, "Memory events are not supported in legacy mode");
		return -1;
	}
	rte_rwlock_write_lock(&mem_event_rwlock);
	e = find_mem_event_callback(name, arg);
	if (e == NULL) {
		rte_rwlock_write_unlock(&mem_event_rwlock);
		EAL_LOG_ERRNO(ERR, ENOENT, "Memory event callback '%s:%p' is not registered",
			name, arg);
		return -1;
	}
	TAILQ_REMOVE(&mem_event_callbacks, e, next);
	rte_rwlock_write_unlock(&mem_event_rwlock);
	free(e);
	EAL_LOG(DEBUG, "Memory event callback '%s:%p' unregistered", name, arg);
	return 0;
}

void
eal_memalloc_mem_event_notify(enum rte_mem_event event, const void *start, size_t len)
{
	struct mem_event_callback_entry *e;

	rte_rwlock_read_lock(&mem_event_rwlock);
	TAILQ_FOREACH(e, &mem_event_callbacks, next)
		e->clb(event, start, len, e->arg);
	rte_rwlock_read_unlock(&mem_event_rwlock);
}

static struct mem_alloc_validator_entry *
find_mem_alloc_validator(const char *name, int socket_id)
{
	struct mem_alloc_validator_entry *e;

	TAILQ_FOREACH(e, &mem_alloc_validators, next)
		if (e->socket_id == socket_id && strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

static int
check_validator_args(const char *name, int socket_id)
{
	if (check_name(name, RTE_MEM_ALLOC_VALIDATOR_NAME_LEN, "Allocation validator") < 0)
		return -1;
	if (socket_id < 0) {
		EAL_LOG_ERRNO(ERR, EINVAL, "Invalid socket %d for allocation validator '%s'",
			socket_id, name);
		return -1;
	}
	if (runtime_memory_is_static()) {
		EAL_LOG_ERRNO(DEBUG, ENOTSUP, "Allocation validators are not supported in legacy mode");
		return -1;
	}
	return 0;
}

int
eal_memalloc_mem_alloc_validator_register(const char *name, rte_mem_alloc_validator_t clb,
		int socket_id, size_t limit)
{
	struct mem_alloc_validator_entry *e;

	if (clb == NULL) {
		EAL_LOG_ERRNO(ERR, EINVAL, "Allocation validator has no function");
		return -1;
	}
	if (check_validator_args(name, socket_id) < 0)
		return -1;
	rte_rwlock_write_lock(&mem_validator_rwlock);
	if (find_mem_alloc_validator(name, socket_id) != NULL) {
		rte_rwlock_write_unlock(&mem_validator_rwlock);
		EAL_LOG_ERRNO(ERR, EEXIST, "Allocation validator '%s' on socket %d exists",
			name, socket_id);
		return -1;
	}
	e = calloc(1, sizeof(*e));
	if (e == NULL) {
		rte_rwlock_write_unlock(&mem_validator_rwlock);
		EAL_LOG_ERRNO(ERR, ENOMEM, "Cannot allocate allocation validator '%s'", name);
		return -1;
	}
	strcpy(e->name, name);
	e->clb = clb;
	e->socket_id = socket_id;
	e->limit = limit;
	TAILQ_INSERT_TAIL(&mem_alloc_validators, e, next);
	rte_rwlock_write_unlock(&mem_validator_rwlock);
	EAL_LOG(DEBUG, "Allocation validator '%s' on socket %d with limit %zu registered",
		name, socket_id, limit);
	return 0;
}

int
eal_memalloc_mem_alloc_validator_unregister(const char *name, int socket_id)
{
	struct mem_alloc_validator_entry *e;

	if (check_validator_args(name, socket_id) < 0)
		return -1;
	rte_rwlock_write_lock(&mem_validator_rwlock);
	e = find_mem_alloc_validator(name, socket_id);
	if (e == NULL) {
		rte_rwlock_write_unlock(&mem_validator_rwlock);
		EAL_LOG_ERRNO(ERR, ENOENT, "Allocation validator '%s' on socket %d is not registered",
			name, socket_id);
		return -1;
	}
	TAILQ_REMOVE(&mem_alloc_validators, e, next);
	rte_rwlock_write_unlock(&mem_validator_rwlock);
	free(e);
	EAL_LOG(DEBUG, "Allocation validator '%s' on socket %d unregistered", name, socket_id);
	return 0;
}

int
eal_memalloc_mem_alloc_validate(int socket_id, size_t new_len)
{
	struct mem_alloc_validator_entry *e;
	int ret = 0;

	rte_rwlock_read_lock(&mem_validator_rwlock);
	TAILQ_FOREACH(e, &mem_alloc_validators, next) {
		if (e->socket_id != socket_id || e->limit > new_len)
			continue;
		if (e->clb(socket_id, e->limit, new_len) < 0) {
			EAL_LOG(DEBUG, "Allocation validator '%s' refused growing socket %d to %zu bytes",
				e->name, socket_id, new_len);
			ret = -1;
			break;
		}
	}
	rte_rwlock_read_unlock(&mem_validator_rwlock);
	return ret;
}

/* Compare the recorded IOVA of every page of [first, last] (slot indices). */
static bool
memsegs_iova_contig(const struct rte_memseg_list *msl, unsigned int first, unsigned int last)
{
	const struct rte_memseg *ms = rte_fbarray_get(&msl->memseg_arr, first);
	rte_iova_t expected;
	unsigned int i;

	if (ms == NULL || ms->iova == RTE_BAD_IOVA)
		return false;
	expected = ms->iova + msl->page_sz;
	for (i = first + 1; i <= last; i++, expected += msl->page_sz) {
		ms = rte_fbarray_get(&msl->memseg_arr, i);
		if (ms == NULL || ms->iova != expected)
			return false;
	}
	return true;
}

/*
 * Without hugepages the list's "pages" are 4K pieces of one anonymous
 * mapping whose IOVAs the memsegs may not record; ask the kernel instead.
 */
static bool
pages_iova_contig(const void *start, const void *end, size_t pgsz)
{
	rte_iova_t first = rte_mem_virt2iova(start), cur;
	const char *p;

	if (first == RTE_BAD_IOVA)
		return false;
	for (p = RTE_PTR_ADD(start, pgsz); (const void *)p < end; p += pgsz) {
		first += pgsz;
		cur = rte_mem_virt2iova(p);
		if (cur != first)
			return false;
	}
	return true;
}

bool
eal_memalloc_is_contig(const struct rte_memseg_list *msl, void *start, size_t len)
{
	const struct internal_config *cfg = eal_get_internal_configuration();
	void *list_end, *first, *end;
	size_t pgsz;

	if (msl == NULL || msl->page_sz == 0 || len == 0)
		return false;
	pgsz = msl->page_sz;
	list_end = RTE_PTR_ADD(msl->base_va, msl->len);
	if (start < msl->base_va || len > RTE_PTR_DIFF(list_end, start))
		return false;
	/*
	 * The EAL's own memory has IOVA == VA in VA mode, and legacy init
	 * lays PA-contiguous runs out VA-contiguously. External memory
	 * carries whatever IOVAs its owner registered, so it is always
	 * checked page by page.
	 */
	if (!msl->external) {
		if (rte_eal_iova_mode() == RTE_IOVA_VA)
			return true;
		if (cfg->legacy_mem && !cfg->no_hugetlbfs)
			return true;
	}
	first = RTE_PTR_ALIGN_FLOOR(start, pgsz);
	end = RTE_PTR_ALIGN_CEIL(RTE_PTR_ADD(start, len), pgsz);
	if (RTE_PTR_DIFF(end, first) <= pgsz)
		return true;
	if (!msl->external && cfg->no_hugetlbfs)
		return pages_iova_contig(first, end, pgsz);
	return memsegs_iova_contig(msl, RTE_PTR_DIFF(first, msl->base_va) / pgsz,
		RTE_PTR_DIFF(end, msl->base_va) / pgsz - 1);
}
