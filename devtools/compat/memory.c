/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Source-compatibility probe for rte_memory.h (see eal_lcore.c): walk
 * return conventions, walk counts relative to this program's own
 * allocations, address lookups, memory event callbacks and validators,
 * and external memory. Only results, errno values and booleans are
 * printed: never addresses, IOVAs or page counts of the host.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memory.h>

#include "compat.h"

#define BIG (32u << 20)

struct walk_arg {
	unsigned int calls;
	unsigned int stop_at;	/* 0: never */
	int stop_ret;
	size_t len;
};

static int
seg_walk(const struct rte_memseg_list *msl, const struct rte_memseg *ms, void *p)
{
	struct walk_arg *w = p;

	RTE_SET_USED(msl);
	w->calls++;
	w->len += ms->len;
	if (w->stop_at != 0 && w->calls == w->stop_at)
		return w->stop_ret;
	return 0;
}

static int
contig_walk(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
	    size_t len, void *p)
{
	struct walk_arg *w = p;

	RTE_SET_USED(msl);
	RTE_SET_USED(ms);
	w->calls++;
	w->len += len;
	if (w->stop_at != 0 && w->calls == w->stop_at)
		return w->stop_ret;
	return 0;
}

static int
list_walk(const struct rte_memseg_list *msl, void *p)
{
	struct walk_arg *w = p;

	RTE_SET_USED(msl);
	w->calls++;
	if (w->stop_at != 0 && w->calls == w->stop_at)
		return w->stop_ret;
	return 0;
}

static struct walk_arg
walk_all(int kind, unsigned int stop_at, int stop_ret, int *ret)
{
	struct walk_arg w = { 0, stop_at, stop_ret, 0 };

	if (kind == 0)
		*ret = rte_memseg_walk(seg_walk, &w);
	else if (kind == 1)
		*ret = rte_memseg_contig_walk(contig_walk, &w);
	else
		*ret = rte_memseg_list_walk(list_walk, &w);
	return w;
}

static void
walks(void)
{
	static const char *const names[] = { "memseg_walk", "contig_walk", "list_walk" };
	struct walk_arg before, after, w;
	void *big, *small;
	int kind, ret;

	/* EAL init may or may not have mapped pages: make sure some are */
	small = rte_malloc("compat", 64, 0);
	for (kind = 0; kind < 3; kind++) {
		before = walk_all(kind, 0, 0, &ret);
		printf("%s: ret %d, calls > 0 %d\n", names[kind], ret, before.calls > 0);
		w = walk_all(kind, 1, 1, &ret);
		printf("%s stop 1: ret %d calls %u\n", names[kind], ret, w.calls);
		w = walk_all(kind, 1, -1, &ret);
		printf("%s stop -1: ret %d calls %u\n", names[kind], ret, w.calls);
	}

	before = walk_all(0, 0, 0, &ret);
	big = rte_malloc("compat", BIG, 0);
	printf("big rte_malloc: %s\n", big != NULL ? "ok" : "NULL");
	after = walk_all(0, 0, 0, &ret);
	printf("memseg_walk after big alloc: segments grew %d, bytes grew by >= size %d\n",
	       after.calls > before.calls, after.len >= before.len + BIG);
	w = walk_all(1, 0, 0, &ret);
	printf("contig_walk after big alloc: total bytes same as memseg_walk %d\n",
	       w.len == after.len);
	printf("rte_eal_get_physmem_size() > 0: %d\n", rte_eal_get_physmem_size() > 0);
	rte_free(big);
	rte_free(small);
}

static void
lookups(void)
{
	const struct rte_memseg_list *msl;
	const struct rte_memseg *ms;
	char *p = rte_malloc("compat", 1000, 0);
	int local = 0;

	ms = rte_mem_virt2memseg(p, NULL);
	printf("virt2memseg(malloc'd, NULL): %s\n", ms != NULL ? "found" : "NULL");
	msl = rte_mem_virt2memseg_list(p);
	printf("virt2memseg_list(malloc'd): %s\n", msl != NULL ? "found" : "NULL");
	if (ms != NULL && msl != NULL) {
		printf("virt2memseg(malloc'd, msl) same: %d\n", rte_mem_virt2memseg(p, msl) == ms);
		printf("segment contains pointer: %d\n",
		       (char *)ms->addr <= p && p + 1000 <= (char *)ms->addr + ms->len);
		printf("segment in list: %d\n", (char *)msl->base_va <= (char *)ms->addr &&
		       (char *)ms->addr < (char *)msl->base_va + msl->len);
		printf("segment page size == list page size: %d\n", ms->hugepage_sz == msl->page_sz);
	}
	printf("virt2memseg(stack): %s\n", rte_mem_virt2memseg(&local, NULL) ? "found" : "NULL");
	printf("virt2memseg_list(stack): %s\n", rte_mem_virt2memseg_list(&local) ? "found" : "NULL");
	printf("virt2memseg(NULL): %s\n", rte_mem_virt2memseg(NULL, NULL) ? "found" : "NULL");
	printf("virt2iova vs malloc_virt2iova: %s\n",
	       rte_mem_virt2iova(p) == rte_malloc_virt2iova(p) ? "same" : "differs");
	printf("malloc_virt2iova(malloc'd) bad: %d\n", rte_malloc_virt2iova(p) == RTE_BAD_IOVA);
	rte_free(p);
}

static void
event_cb(enum rte_mem_event type, const void *addr, size_t len, void *arg)
{
	RTE_SET_USED(type);
	RTE_SET_USED(addr);
	RTE_SET_USED(len);
	RTE_SET_USED(arg);
}

static int
validator(int socket_id, size_t cur_limit, size_t new_len)
{
	RTE_SET_USED(socket_id);
	RTE_SET_USED(cur_limit);
	RTE_SET_USED(new_len);
	return 0;
}

#define RESULT(what, call) do { \
	int r_; \
	rte_errno = 0; \
	r_ = (call); \
	printf("%s: %d", what, r_); \
	if (r_ < 0) \
		printf(" errno %s", errname(rte_errno)); \
	printf("\n"); \
} while (0)

static void
events(void)
{
	char longname[RTE_MEM_EVENT_CALLBACK_NAME_LEN + 8];
	char maxname[RTE_MEM_EVENT_CALLBACK_NAME_LEN];

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	memset(maxname, 'y', sizeof(maxname) - 1);
	maxname[sizeof(maxname) - 1] = '\0';

	RESULT("event register NULL name", rte_mem_event_callback_register(NULL, event_cb, NULL));
	RESULT("event register NULL cb", rte_mem_event_callback_register("c", NULL, NULL));
	RESULT("event register empty name", rte_mem_event_callback_register("", event_cb, NULL));
	RESULT("event register long name", rte_mem_event_callback_register(longname, event_cb, NULL));
	RESULT("event register max name", rte_mem_event_callback_register(maxname, event_cb, NULL));
	RESULT("event register", rte_mem_event_callback_register("c", event_cb, NULL));
	RESULT("event register dup", rte_mem_event_callback_register("c", event_cb, NULL));
	RESULT("event register same name other arg",
	       rte_mem_event_callback_register("c", event_cb, &longname));
	RESULT("event unregister other arg", rte_mem_event_callback_unregister("c", &longname));
	RESULT("event unregister", rte_mem_event_callback_unregister("c", NULL));
	RESULT("event unregister again", rte_mem_event_callback_unregister("c", NULL));
	RESULT("event unregister unknown", rte_mem_event_callback_unregister("zz", NULL));
	RESULT("event unregister NULL", rte_mem_event_callback_unregister(NULL, NULL));
	RESULT("event unregister long", rte_mem_event_callback_unregister(longname, NULL));

	RESULT("validator NULL name", rte_mem_alloc_validator_register(NULL, validator, 0, 1 << 30));
	RESULT("validator NULL cb", rte_mem_alloc_validator_register("v", NULL, 0, 1 << 30));
	RESULT("validator empty name", rte_mem_alloc_validator_register("", validator, 0, 1 << 30));
	RESULT("validator long name", rte_mem_alloc_validator_register(longname, validator, 0, 1 << 30));
	RESULT("validator negative socket", rte_mem_alloc_validator_register("v", validator, -1, 1 << 30));
	RESULT("validator socket 9999", rte_mem_alloc_validator_register("v", validator, 9999, 1 << 30));
	RESULT("validator register", rte_mem_alloc_validator_register("v", validator, 0, 1 << 30));
	RESULT("validator dup", rte_mem_alloc_validator_register("v", validator, 0, 1 << 30));
	RESULT("validator other socket", rte_mem_alloc_validator_register("v", validator, 1, 1 << 30));
	RESULT("validator unregister other socket", rte_mem_alloc_validator_unregister("v", 1));
	RESULT("validator unregister", rte_mem_alloc_validator_unregister("v", 0));
	RESULT("validator unregister again", rte_mem_alloc_validator_unregister("v", 0));
	RESULT("validator unregister negative", rte_mem_alloc_validator_unregister("v", -1));
	RESULT("validator unregister NULL", rte_mem_alloc_validator_unregister(NULL, 0));
}

static void
fds(void)
{
	struct rte_memseg bogus;
	size_t off = 0;

	memset(&bogus, 0, sizeof(bogus));
	RESULT("memseg_get_fd(NULL)", rte_memseg_get_fd(NULL));
	RESULT("memseg_get_fd(bogus)", rte_memseg_get_fd(&bogus));
	RESULT("memseg_get_fd_offset(NULL)", rte_memseg_get_fd_offset(NULL, &off));
	RESULT("memseg_get_fd_offset(bogus)", rte_memseg_get_fd_offset(&bogus, &off));
	RESULT("memseg_get_fd_offset(bogus, NULL)", rte_memseg_get_fd_offset(&bogus, NULL));
	RESULT("memseg_get_fd_thread_unsafe(bogus)", rte_memseg_get_fd_thread_unsafe(&bogus));
	/* rte_errno is not documented here */
	printf("check_dma_mask(65): %d\n", rte_mem_check_dma_mask(65));
	printf("check_dma_mask_thread_unsafe(65): %d\n", rte_mem_check_dma_mask_thread_unsafe(65));
	printf("check_dma_mask(64): %d\n", rte_mem_check_dma_mask(64));
}

static void
extmem(void)
{
	const size_t pg = 4096, len = 16 * 4096;
	rte_iova_t iovas[16];
	char *va;
	unsigned int i;

	va = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (va == MAP_FAILED) {
		printf("mmap failed\n");
		return;
	}
	for (i = 0; i < RTE_DIM(iovas); i++)
		iovas[i] = (rte_iova_t)(0x100000000ull + i * pg);

	RESULT("extmem register NULL", rte_extmem_register(NULL, len, NULL, 0, pg));
	RESULT("extmem register len 0", rte_extmem_register(va, 0, NULL, 0, pg));
	RESULT("extmem register pgsz 0", rte_extmem_register(va, len, NULL, 0, 0));
	RESULT("extmem register pgsz 3000", rte_extmem_register(va, len, NULL, 0, 3000));
	RESULT("extmem register unaligned va", rte_extmem_register(va + 1, pg, NULL, 0, pg));
	RESULT("extmem register unaligned len", rte_extmem_register(va, len - 1, NULL, 0, pg));
	RESULT("extmem register wrong n_pages", rte_extmem_register(va, len, iovas, 3, pg));
	RESULT("extmem register", rte_extmem_register(va, len, iovas, 16, pg));
	RESULT("extmem register again", rte_extmem_register(va, len, NULL, 0, pg));
	printf("extmem virt2memseg_list: %s\n",
	       rte_mem_virt2memseg_list(va + pg) != NULL ? "found" : "NULL");
	if (rte_mem_virt2memseg_list(va + pg) != NULL)
		printf("extmem list external: %d\n", rte_mem_virt2memseg_list(va + pg)->external);
	printf("extmem virt2memseg: %s\n",
	       rte_mem_virt2memseg(va + pg, NULL) != NULL ? "found" : "NULL");
	printf("extmem virt2iova given: %d\n", rte_mem_virt2iova(va + pg + 8) == iovas[1] + 8);
	RESULT("extmem unregister NULL", rte_extmem_unregister(NULL, len));
	RESULT("extmem unregister len 0", rte_extmem_unregister(va, 0));
	RESULT("extmem unregister wrong len", rte_extmem_unregister(va, pg));
	RESULT("extmem unregister unknown", rte_extmem_unregister(va + len, len));
	RESULT("extmem unregister", rte_extmem_unregister(va, len));
	RESULT("extmem unregister again", rte_extmem_unregister(va, len));
	RESULT("extmem register no iova", rte_extmem_register(va, len, NULL, 0, pg));
	printf("extmem no iova virt2iova bad: %d\n", rte_mem_virt2iova(va) == RTE_BAD_IOVA);
	RESULT("extmem unregister no iova", rte_extmem_unregister(va, len));
	munmap(va, len);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (rte_eal_init(argc, argv) < 0) {
		printf("rte_eal_init failed: %d\n", rte_errno);
		return 1;
	}
	walks();
	lookups();
	events();
	fds();
	extmem();
	rte_eal_cleanup();
	return 0;
}
