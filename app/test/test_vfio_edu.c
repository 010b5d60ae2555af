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

static int
run_edu(struct edu *e, const struct buf_source *src, uint8_t *a)
{
	int s1 = rte_socket_count() > 1 ? rte_socket_id_by_idx(1) : rte_socket_id_by_idx(0);
	bool noiommu = rte_vfio_noiommu_is_enabled() == 1;
	struct vfio_dma_stats before, after;
	uint8_t *b, *freed;
	rte_iova_t freed_iova;
	unsigned int i, leaked;

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

	/*
	 * Read from the old IOVA. If the IOMMU let it through, the device
	 * would see the page's last contents (0xa5: a freed hugepage is not
	 * cleared until it is reused). A blocked read leaves a marker or
	 * whatever the device makes of the failed transfer, never that data.
	 */
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
