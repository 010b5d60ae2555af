/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * vfio_edu_autotest: real device DMA into EAL heap memory, for the QEMU
 * guest of devtools/vm (a q35 machine with an emulated VT-d IOMMU and
 * QEMU's "edu" device bound to vfio-pci; the guest exports its address in
 * EALVM_EDU_BDF). Skipped anywhere else.
 *
 * The edu device copies between RAM and its own 4 KiB buffer with a
 * DMA engine (QEMU docs/specs/edu.rst). Hugepages on each NUMA node are
 * copied through that buffer by their IOVAs, which only works if the EAL
 * mapped them in the IOMMU. Pages come from the page allocator with the
 * memory events the heap sends (before the device is set up: mapped by
 * the initial walk; after: by the event callback). After a page is given
 * back, a DMA from its old IOVA must be blocked by the IOMMU.
 */

#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_eal_memconfig.h>
#include <rte_memory.h>
#include <rte_vfio.h>

#include "eal_memalloc.h"
#include "eal_vfio.h"
#include "test.h"
#include "test_vfio.h"

#define EDU_ID 0x11e81234u         /* device 11e8, vendor 1234 */
#define EDU_DMA_SRC 0x80
#define EDU_DMA_DST 0x88
#define EDU_DMA_CNT 0x90
#define EDU_DMA_CMD 0x98
#define EDU_CMD_START 1u
#define EDU_CMD_TO_RAM 2u
#define EDU_BUF 0x40000            /* the device's buffer, as a DMA address */
/* QEMU 7.2 aborts on a transfer that ends exactly at the buffer's end */
#define EDU_XFER 2048
#define PCI_COMMAND 4
#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_MASTER 0x4

struct edu {
	int fd;
	volatile uint8_t *bar;
	size_t bar_len;
	const char *bdf;
};

static void
edu_wr64(struct edu *e, unsigned int off, uint64_t v)
{
	*(volatile uint64_t *)(e->bar + off) = v;
}

/* @return 0 when the transfer finished, -1 on timeout. */
static int
edu_dma(struct edu *e, uint64_t src, uint64_t dst, int to_ram)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int i;

	edu_wr64(e, EDU_DMA_SRC, src);
	edu_wr64(e, EDU_DMA_DST, dst);
	edu_wr64(e, EDU_DMA_CNT, EDU_XFER);
	edu_wr64(e, EDU_DMA_CMD, EDU_CMD_START | (to_ram ? EDU_CMD_TO_RAM : 0));
	/* edu completes a transfer after 100 ms of virtual time */
	for (i = 0; i < 500; i++) {
		if (!(*(volatile uint32_t *)(e->bar + EDU_DMA_CMD) & EDU_CMD_START))
			return 0;
		nanosleep(&ts, NULL);
	}
	return -1;
}

/* RAM -> device buffer -> RAM, both by IOVA. */
static int
edu_copy(struct edu *e, rte_iova_t src, rte_iova_t dst)
{
	if (edu_dma(e, src, EDU_BUF, 0) != 0)
		return -1;
	return edu_dma(e, EDU_BUF, dst, 1);
}

static int
edu_open(struct edu *e)
{
	struct vfio_device_info info;
	struct vfio_region_info cfg = { .argsz = sizeof(cfg),
		.index = VFIO_PCI_CONFIG_REGION_INDEX };
	struct vfio_region_info bar = { .argsz = sizeof(bar),
		.index = VFIO_PCI_BAR0_REGION_INDEX };
	uint32_t id = 0;
	uint16_t cmd = 0;
	void *p;

	TEST_ASSERT_SUCCESS(rte_vfio_setup_device("/sys/bus/pci/devices", e->bdf, &e->fd, &info),
		"rte_vfio_setup_device(%s) failed", e->bdf);
	TEST_ASSERT_SUCCESS(ioctl(e->fd, VFIO_DEVICE_GET_REGION_INFO, &cfg), "config region");
	TEST_ASSERT_SUCCESS(ioctl(e->fd, VFIO_DEVICE_GET_REGION_INFO, &bar), "BAR0 region");
	TEST_ASSERT_EQUAL(pread(e->fd, &id, 4, cfg.offset), 4, "config read");
	TEST_ASSERT_EQUAL(id, EDU_ID, "%s is not an edu device (id %08x)", e->bdf, id);
	TEST_ASSERT_EQUAL(pread(e->fd, &cmd, 2, cfg.offset + PCI_COMMAND), 2, "config read");
	cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	TEST_ASSERT_EQUAL(pwrite(e->fd, &cmd, 2, cfg.offset + PCI_COMMAND), 2, "config write");
	p = mmap(NULL, bar.size, PROT_READ | PROT_WRITE, MAP_SHARED, e->fd, bar.offset);
	TEST_ASSERT(p != MAP_FAILED, "mmap BAR0: %s", strerror(errno));
	e->bar = p;
	e->bar_len = bar.size;
	TEST_ASSERT_EQUAL(*(volatile uint32_t *)e->bar & 0xff, 0xedu, "bad edu ident");
	return TEST_SUCCESS;
}

static void
edu_close(struct edu *e)
{
	if (e->bar != NULL)
		munmap((void *)(uintptr_t)e->bar, e->bar_len);
	if (e->fd >= 0)
		rte_vfio_release_device("/sys/bus/pci/devices", e->bdf, e->fd);
}

static void
fill(void *p, uint8_t seed)
{
	unsigned int i;

	for (i = 0; i < EDU_XFER; i++)
		((uint8_t *)p)[i] = (uint8_t)(i * 7 + seed);
}

/* Copy @p src to @p dst through the device and check the data. */
static int
check_copy(struct edu *e, void *src, void *dst, uint8_t seed)
{
	rte_iova_t si = rte_mem_virt2iova(src), di = rte_mem_virt2iova(dst);

	TEST_ASSERT(si != RTE_BAD_IOVA && di != RTE_BAD_IOVA, "no IOVA");
	fill(src, seed);
	memset(dst, 0, EDU_XFER);
	TEST_ASSERT_SUCCESS(edu_copy(e, si, di), "edu DMA timed out");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(src, dst, EDU_XFER,
		"DMA IOVA 0x%" PRIx64 " -> 0x%" PRIx64 " did not copy", si, di);
	printf("edu DMA %p (IOVA 0x%" PRIx64 ", socket %d) -> %p (IOVA 0x%" PRIx64
		", socket %d): data matches\n", src, si, rte_mem_virt2memseg(src, NULL)->socket_id,
		dst, di, rte_mem_virt2memseg(dst, NULL)->socket_id);
	return TEST_SUCCESS;
}

/*
 * Where test buffers come from. Each buffer is 2 MB-aligned and at least
 * one 2 MB page; once freed, its pages are given back to the system.
 */
struct buf_source {
	const char *name;
	void *(*alloc)(int socket);
	void (*free)(void *va);
};

/* One hugepage from the page allocator, announced like heap growth does. */
static void *
page_alloc(int socket)
{
	struct rte_memseg *ms;

	rte_mcfg_mem_write_lock();
	ms = eal_memalloc_alloc_seg(RTE_PGSIZE_2M, socket);
	if (ms != NULL)
		eal_memalloc_mem_event_notify(RTE_MEM_EVENT_ALLOC, ms->addr, ms->len);
	rte_mcfg_mem_write_unlock();
	return ms != NULL ? ms->addr : NULL;
}

static void
page_free(void *va)
{
	struct rte_memseg *ms = rte_mem_virt2memseg(va, NULL);

	rte_mcfg_mem_write_lock();
	eal_memalloc_mem_event_notify(RTE_MEM_EVENT_FREE, ms->addr, ms->len);
	eal_memalloc_free_seg(ms);
	rte_mcfg_mem_write_unlock();
}

static const struct buf_source page_source = { "page allocator", page_alloc, page_free };

/* Two whole pages of heap memory: the heap grows for it and shrinks after. */
static void *
heap_alloc(int socket)
{
	return rte_malloc_socket("vfio_edu", 2 * RTE_PGSIZE_2M, RTE_PGSIZE_2M, socket);
}

static const struct buf_source heap_source = { "heap", heap_alloc, rte_free };

static void *
buf_alloc(const struct buf_source *src, int socket)
{
	void *va = src->alloc(socket);

	if (va != NULL)
		printf("%s: buffer on socket %d: VA %p IOVA 0x%" PRIx64 "\n", src->name,
			rte_mem_virt2memseg(va, NULL)->socket_id, va, rte_mem_virt2iova(va));
	return va;
}

/*
 * Read from @p freed_iova, the old IOVA of a page filled with 0xa5 and
 * given back. If the IOMMU let it through, the device would see that
 * data (a freed hugepage is not cleared until it is reused). A blocked
 * read leaves a marker or whatever the device makes of the failed
 * transfer, never that data. @p a and @p b are scratch buffers.
 */
static int
check_blocked(struct edu *e, rte_iova_t freed_iova, uint8_t *a, uint8_t *b)
{
	unsigned int i, leaked;

	memset(a, 0x3c, EDU_XFER);
	TEST_ASSERT_SUCCESS(edu_dma(e, rte_mem_virt2iova(a), EDU_BUF, 0), "prime DMA");
	printf("DMA from freed IOVA 0x%" PRIx64 " (the IOMMU should refuse it):\n", freed_iova);
	TEST_ASSERT_SUCCESS(edu_dma(e, freed_iova, EDU_BUF, 0), "edu hung");
	memset(b, 0, EDU_XFER);
	TEST_ASSERT_SUCCESS(edu_dma(e, EDU_BUF, rte_mem_virt2iova(b), 1), "readback DMA");
	for (i = 0, leaked = 0; i < EDU_XFER; i++)
		leaked += b[i] == 0xa5;
	printf("device buffer after the blocked read: %02x %02x %02x %02x ... "
		"(%u of %u bytes are the freed page's data)\n", b[0], b[1], b[2], b[3], leaked,
		EDU_XFER);
	TEST_ASSERT_EQUAL(leaked, 0u, "data of a freed page reached the device");
	printf("DMA from the freed IOVA was blocked\n");
	return TEST_SUCCESS;
}

static int
run_edu(struct edu *e, const struct buf_source *src, uint8_t *a)
{
	int s1 = rte_socket_count() > 1 ? rte_socket_id_by_idx(1) : rte_socket_id_by_idx(0);
	bool noiommu = rte_vfio_noiommu_is_enabled() == 1;
	struct vfio_dma_stats before, after;
	uint8_t *b, *freed;
	rte_iova_t freed_iova;

	eal_vfio_get_dma_stats(&before);
	b = buf_alloc(src, s1);
	freed = buf_alloc(src, rte_socket_id_by_idx(0));
	TEST_ASSERT(b != NULL && freed != NULL, "buffer allocation failed");
	eal_vfio_get_dma_stats(&after);
	printf("VFIO DMA maps: %" PRIu64 " before the allocations, %" PRIu64
		" after; failures %" PRIu64 "\n", before.maps, after.maps, after.map_failures);
	/* no-IOMMU: the device uses physical addresses, nothing is mapped */
	TEST_ASSERT(noiommu || after.maps >= before.maps + 2, "2 new pages, %" PRIu64 " maps",
		after.maps - before.maps);
	TEST_ASSERT_EQUAL(after.map_failures, 0u, "VFIO_IOMMU_MAP_DMA failed");
	TEST_ASSERT_EQUAL(after.map_exists, 0u, "pages mapped twice");

	TEST_ASSERT_SUCCESS(check_copy(e, a, b, 3), "node0 (early) -> node1");
	TEST_ASSERT_SUCCESS(check_copy(e, b + RTE_PGSIZE_2M / 2, a + 4096, 11), "node1 -> node0");
	TEST_ASSERT_SUCCESS(check_copy(e, freed + RTE_PGSIZE_2M - 4096, b, 17), "fresh page");
	if (noiommu) {
		printf("no-IOMMU mode: nothing can block a DMA, skipping the freed-page check\n");
		src->free(freed);
		src->free(b);
		return TEST_SUCCESS;
	}

	/* a page given back must no longer be reachable by the device */
	freed_iova = rte_mem_virt2iova(freed);
	memset(freed, 0xa5, EDU_XFER);
	eal_vfio_get_dma_stats(&before);
	src->free(freed);
	eal_vfio_get_dma_stats(&after);
	printf("VFIO DMA unmaps by the free: %" PRIu64 "; failures %" PRIu64 "\n",
		after.unmaps - before.unmaps, after.unmap_failures);
	TEST_ASSERT(after.unmaps > before.unmaps, "the free unmapped no page");
	TEST_ASSERT_EQUAL(after.unmap_failures, 0u, "VFIO_IOMMU_UNMAP_DMA failed");

	TEST_ASSERT_SUCCESS(check_blocked(e, freed_iova, a, b), "freed page reachable");
	src->free(b);
	return TEST_SUCCESS;
}

static int
run_source(const struct buf_source *src)
{
	struct edu e = { .fd = -1, .bdf = getenv("EALVM_EDU_BDF") };
	void *early;
	int ret;

	if (e.bdf == NULL || !rte_vfio_is_enabled("vfio")) {
		printf("SKIP: needs VFIO and an edu device (EALVM_EDU_BDF): run it through "
			"devtools/vm/vfio-edu-test.sh\n");
		return TEST_SKIPPED;
	}
	/* memory that exists before the device: mapped at setup */
	early = buf_alloc(src, rte_socket_id_by_idx(0));
	TEST_ASSERT_NOT_NULL(early, "buffer allocation failed");
	ret = edu_open(&e);
	if (ret == TEST_SUCCESS)
		ret = run_edu(&e, src, early);
	edu_close(&e);
	src->free(early);
	return ret;
}

static int
test_edu_pages(void)
{
	return run_source(&page_source);
}

static int
test_edu_heap(void)
{
	return run_source(&heap_source);
}

static struct unit_test_suite vfio_edu_suite = {
	.suite_name = "vfio_edu",
	.unit_test_cases = {
		TEST_CASE(test_edu_pages),
		TEST_CASE(test_edu_heap),
		TEST_CASES_END(),
	},
};

static int
test_vfio_edu(void)
{
	return unit_test_suite_runner(&vfio_edu_suite);
}

REGISTER_TEST_COMMAND_HP(vfio_edu_autotest, test_vfio_edu, true);

/*
 * vfio_edu_mp_autotest: a secondary process drives the device too. The
 * primary sets the device up and takes two heap buffers, one before and
 * one after. The secondary gets the container and group fds from the
 * primary, sets the device up itself, grows the heap for a buffer of its
 * own (the primary allocates and maps those pages), and copies between
 * all three by DMA. Once it is gone, the primary's device must still
 * reach its memory, and the secondary's pages must have been unmapped.
 */
#define MP_CHILD_TIMEOUT_S 180

static bool
edu_available(const char *bdf)
{
	if (bdf != NULL && rte_vfio_is_enabled("vfio"))
		return true;
	printf("SKIP: needs VFIO and an edu device (EALVM_EDU_BDF): run it through "
		"devtools/vm/vfio-edu-test.sh --mp\n");
	return false;
}

static void *
ptr_from_env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL ? (void *)(uintptr_t)strtoull(v, NULL, 16) : NULL;
}

static int
edu_mp_child(void)
{
	struct edu e = { .fd = -1, .bdf = getenv("EALVM_EDU_BDF") };
	uint8_t *a = ptr_from_env("VFIO_EDU_MP_A"), *b = ptr_from_env("VFIO_EDU_MP_B"), *c;
	struct vfio_dma_stats st;
	rte_iova_t c_iova;
	int ret;

	if (rte_eal_process_type() != RTE_PROC_SECONDARY || !edu_available(e.bdf))
		return TEST_FAILED;
	TEST_ASSERT(a != NULL && b != NULL && rte_mem_virt2memseg(a, NULL) != NULL &&
		rte_mem_virt2memseg(b, NULL) != NULL, "the primary's buffers are not shared");
	printf("secondary %d: default container fd %d (from the primary)\n", (int)getpid(),
		rte_vfio_get_container_fd());
	TEST_ASSERT(rte_vfio_get_container_fd() >= 0, "no container from the primary");
	ret = edu_open(&e);
	if (ret != TEST_SUCCESS)
		goto out;
	printf("secondary: edu set up, device fd %d\n", e.fd);
	/* the heap grows for this: the primary allocates and maps the pages */
	c = buf_alloc(&heap_source, rte_socket_id_by_idx(0));
	ret = TEST_FAILED;
	if (c == NULL)
		goto out;
	if (check_copy(&e, a, c, 31) == TEST_SUCCESS &&
			check_copy(&e, c + RTE_PGSIZE_2M, b, 37) == TEST_SUCCESS &&
			check_copy(&e, b + 8192, c + 4096, 41) == TEST_SUCCESS)
		ret = TEST_SUCCESS;
	/* the primary unmaps the pages the secondary gives back */
	c_iova = rte_mem_virt2iova(c);
	memset(c, 0xa5, EDU_XFER);
	rte_free(c);
	if (ret == TEST_SUCCESS && rte_vfio_noiommu_is_enabled() != 1)
		ret = check_blocked(&e, c_iova, a, b);
	eal_vfio_get_dma_stats(&st);
	printf("secondary: its own VFIO DMA maps %" PRIu64 ", unmaps %" PRIu64 "\n", st.maps,
		st.unmaps);
	if (st.maps + st.unmaps != 0) {
		printf("the secondary mapped memory in the primary's container\n");
		ret = TEST_FAILED;
	}
out:
	edu_close(&e);
	return ret;
}

REGISTER_TEST_COMMAND(vfio_edu_mp_child_autotest, edu_mp_child);

static int
test_vfio_edu_mp(void)
{
	struct edu e = { .fd = -1, .bdf = getenv("EALVM_EDU_BDF") };
	char va[32], vb[32];
	const char *env[] = { va, vb, NULL };
	struct vfio_dma_stats before, after;
	uint8_t *a, *b = NULL;
	int ret;

	if (!edu_available(e.bdf))
		return TEST_SKIPPED;
	a = buf_alloc(&heap_source, rte_socket_id_by_idx(0));
	TEST_ASSERT_NOT_NULL(a, "buffer allocation failed");
	ret = edu_open(&e);
	if (ret != TEST_SUCCESS)
		goto out;
	ret = TEST_FAILED;
	b = buf_alloc(&heap_source, rte_socket_count() > 1 ? rte_socket_id_by_idx(1) :
		rte_socket_id_by_idx(0));
	if (b == NULL)
		goto out;
	snprintf(va, sizeof(va), "VFIO_EDU_MP_A=%p", (void *)a);
	snprintf(vb, sizeof(vb), "VFIO_EDU_MP_B=%p", (void *)b);
	eal_vfio_get_dma_stats(&before);
	if (vfio_test_run_secondary("vfio_edu_mp_child_autotest", env,
			MP_CHILD_TIMEOUT_S) != 0) {
		printf("the secondary failed\n");
		goto out;
	}
	eal_vfio_get_dma_stats(&after);
	printf("primary: VFIO DMA maps %" PRIu64 " -> %" PRIu64 ", unmaps %" PRIu64 " -> %"
		PRIu64 " while the secondary ran\n", before.maps, after.maps, before.unmaps,
		after.unmaps);
	/* no-IOMMU: devices use physical addresses, nothing is mapped */
	if ((rte_vfio_noiommu_is_enabled() != 1 &&
			(after.maps <= before.maps || after.unmaps <= before.unmaps)) ||
			after.map_failures + after.unmap_failures != 0) {
		printf("the secondary's heap pages were not mapped and unmapped here\n");
		goto out;
	}
	/* the secondary released its device: ours must still work */
	printf("primary: DMA after the secondary exited\n");
	ret = check_copy(&e, a + 4096, b, 43);
out:
	rte_free(b);
	edu_close(&e);
	rte_free(a);
	return ret;
}

REGISTER_TEST_COMMAND_HP(vfio_edu_mp_autotest, test_vfio_edu_mp, true);

#define LIMIT_PARAM "/sys/module/vfio_iommu_type1/parameters/dma_entry_limit"
#define LIMIT_MAX_PAGES 64

/*
 * vfio_edu_limit_autotest: with the kernel's per-container limit on DMA
 * mappings (dma_entry_limit) set low before the EAL starts, pages beyond
 * it cannot be mapped. The allocation still succeeds (a memory event
 * cannot fail), the refusal is counted, and the device cannot reach the
 * unmapped page.
 */
static int
test_vfio_edu_limit(void)
{
	struct edu e = { .fd = -1, .bdf = getenv("EALVM_EDU_BDF") };
	void *page[LIMIT_MAX_PAGES];
	struct vfio_dma_stats st;
	unsigned int n = 0, i;
	long limit = 0;
	FILE *f;
	int ret;

	f = fopen(LIMIT_PARAM, "r");
	if (f != NULL) {
		if (fscanf(f, "%ld", &limit) != 1)
			limit = 0;
		fclose(f);
	}
	if (e.bdf == NULL || !rte_vfio_is_enabled("vfio") || limit <= 0 ||
			limit >= LIMIT_MAX_PAGES - 2 || rte_vfio_noiommu_is_enabled() == 1) {
		printf("SKIP: needs an edu device and %s below %d (devtools/vm/vfio-edu-test.sh "
			"--limit N)\n", LIMIT_PARAM, LIMIT_MAX_PAGES - 2);
		return TEST_SKIPPED;
	}
	ret = edu_open(&e);
	if (ret != TEST_SUCCESS)
		goto out;
	eal_vfio_get_dma_stats(&st);
	/* fill the container to its limit, then one page more */
	while (n < LIMIT_MAX_PAGES && st.map_failures == 0) {
		page[n] = page_alloc(rte_socket_id_by_idx(0));
		if (page[n] == NULL)
			break;
		n++;
		eal_vfio_get_dma_stats(&st);
	}
	printf("dma_entry_limit %ld: %u pages allocated, %" PRIu64 " mapped, %" PRIu64
		" maps refused\n", limit, n, st.maps, st.map_failures);
	ret = TEST_FAILED;
	if (n == 0 || st.map_failures == 0) {
		printf("the limit was never hit\n");
		goto out_free;
	}
	/* the last page could not be mapped: a DMA into it must not land */
	memset(page[n - 1], 0x77, EDU_XFER);
	fill(page[0], 5);
	if (edu_copy(&e, rte_mem_virt2iova(page[0]), rte_mem_virt2iova(page[n - 1])) != 0 ||
			((uint8_t *)page[n - 1])[0] != 0x77) {
		printf("DMA into an unmapped page landed\n");
		goto out_free;
	}
	printf("DMA into the page beyond the limit did not land\n");
	ret = TEST_SUCCESS;
out_free:
	for (i = 0; i < n; i++)
		page_free(page[i]);
out:
	edu_close(&e);
	return ret;
}

REGISTER_TEST_COMMAND_HP(vfio_edu_limit_autotest, test_vfio_edu_limit, true);
