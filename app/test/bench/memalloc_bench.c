/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Cost of getting hugepages from the EAL and giving them back, public API
 * only, so that devtools/bench-peer.sh can build the same source against
 * another DPDK; and, in the same run, what the kernel alone charges for
 * the same pages, as the floor any EAL sits on.
 *
 *   memalloc_bench [EAL args, with hugepages: e.g. -l 0 --huge-dir=/mnt/huge-dev]
 *
 * Figures (wall-clock microseconds per page, median of the rounds):
 *   malloc_<n>p    rte_malloc() of a block that needs n fresh 2 MB pages,
 *                  then rte_free(), which gives the pages back; the heap
 *                  maps and unmaps them (n = 1, 64, 512);
 *   floor_file_<n>p  n times: create a hugetlbfs file, size it, mmap it,
 *                  fault the page in, then munmap, close and unlink;
 *   floor_single_<n>p  one file: fallocate, mmap and fault each page, then
 *                  munmap and punch a hole per page.
 * A figure that cannot be measured (not enough free hugepages) is printed
 * as a note instead.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memory.h>

#define PGSZ (2UL << 20)
#define MAX_ROUNDS 7

static const unsigned int page_counts[] = { 1, 64, 512 };

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static unsigned int
rounds_for(unsigned int pages)
{
	return pages >= 512 ? 3 : pages >= 64 ? 5 : MAX_ROUNDS;
}

/* One rte_malloc/rte_free of a block needing @p pages pages: us per page. */
static double
malloc_round(unsigned int pages)
{
	/* leave room for the heap's element header inside the last page */
	size_t len = pages * PGSZ - 64 * 1024;
	double t0 = now_us();
	void *p = rte_malloc(NULL, len, 0);

	if (p == NULL)
		return -1;
	rte_free(p);
	return (now_us() - t0) / pages;
}

static void
bench_malloc(void)
{
	double v[MAX_ROUNDS];
	unsigned int i, r, n;

	for (i = 0; i < sizeof(page_counts) / sizeof(page_counts[0]); i++) {
		n = rounds_for(page_counts[i]);
		/* warm-up: lets the heap create whatever it keeps */
		if (malloc_round(page_counts[i]) < 0) {
			printf("note: rte_malloc of %u pages failed (%s): malloc_%up skipped\n",
				page_counts[i], rte_strerror(rte_errno), page_counts[i]);
			continue;
		}
		for (r = 0; r < n; r++) {
			v[r] = malloc_round(page_counts[i]);
			if (v[r] < 0)
				break;
		}
		if (r < n) {
			printf("note: malloc_%up failed in round %u\n", page_counts[i], r);
			continue;
		}
		printf("malloc_%up: %.1f us/page\n", page_counts[i], median(v, n));
	}
}

/* @return the mount point of a 2 MB hugetlbfs, or NULL. */
static const char *
find_hugetlbfs(int argc, char **argv)
{
	static char dir[PATH_MAX];
	char line[1024], mnt[PATH_MAX], type[64], opts[512];
	FILE *f;
	int i;

	for (i = 1; i < argc; i++)
		if (strncmp(argv[i], "--huge-dir=", 11) == 0) {
			snprintf(dir, sizeof(dir), "%s", argv[i] + 11);
			return dir;
		}
	f = fopen("/proc/mounts", "r");
	if (f == NULL)
		return NULL;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%*s %4095s %63s %511s", mnt, type, opts) != 3 ||
		    strcmp(type, "hugetlbfs") != 0)
			continue;
		if (strstr(opts, "pagesize=") == NULL || strstr(opts, "pagesize=2M") != NULL) {
			snprintf(dir, sizeof(dir), "%s", mnt);
			fclose(f);
			return dir;
		}
	}
	fclose(f);
	return NULL;
}

static int
fault_in(void *va)
{
	*(volatile uint64_t *)va = 0;
	return 0;
}

/* File per page: @return us per page, or -1. */
static double
floor_file_round(const char *dir, unsigned int pages, void **va, int *fds)
{
	char path[PATH_MAX];
	unsigned int i, got;
	double t0 = now_us(), t;

	for (got = 0; got < pages; got++) {
		snprintf(path, sizeof(path), "%s/memalloc_bench_%d_%u", dir, (int)getpid(), got);
		fds[got] = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
		if (fds[got] < 0)
			break;
		if (ftruncate(fds[got], PGSZ) != 0)
			goto fail_one;
		va[got] = mmap(NULL, PGSZ, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
			fds[got], 0);
		if (va[got] == MAP_FAILED)
			goto fail_one;
		fault_in(va[got]);
		continue;
fail_one:
		close(fds[got]);
		unlink(path);
		break;
	}
	for (i = 0; i < got; i++) {
		munmap(va[i], PGSZ);
		close(fds[i]);
		snprintf(path, sizeof(path), "%s/memalloc_bench_%d_%u", dir, (int)getpid(), i);
		unlink(path);
	}
	t = now_us() - t0;
	return got == pages ? t / pages : -1;
}

/* One file, a hole punched per page: @return us per page, or -1. */
static double
floor_single_round(const char *dir, unsigned int pages, void **va)
{
	char path[PATH_MAX];
	unsigned int i, got;
	double t0, t;
	int fd;

	snprintf(path, sizeof(path), "%s/memalloc_bench_%d_single", dir, (int)getpid());
	t0 = now_us();
	fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	for (got = 0; got < pages; got++) {
		if (fallocate(fd, 0, (off_t)got * PGSZ, PGSZ) != 0)
			break;
		va[got] = mmap(NULL, PGSZ, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
			(off_t)got * PGSZ);
		if (va[got] == MAP_FAILED)
			break;
		fault_in(va[got]);
	}
	for (i = 0; i < got; i++) {
		munmap(va[i], PGSZ);
		fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)i * PGSZ, PGSZ);
	}
	close(fd);
	unlink(path);
	t = now_us() - t0;
	return got == pages ? t / pages : -1;
}

static void
bench_floor(const char *dir, bool single)
{
	static void *va[512];
	static int fds[512];
	double v[MAX_ROUNDS];
	unsigned int i, r, n;

	for (i = 0; i < sizeof(page_counts) / sizeof(page_counts[0]); i++) {
		n = rounds_for(page_counts[i]);
		for (r = 0; r < n; r++) {
			v[r] = single ? floor_single_round(dir, page_counts[i], va) :
				floor_file_round(dir, page_counts[i], va, fds);
			if (v[r] < 0)
				break;
		}
		if (r < n) {
			printf("note: floor_%s_%up: not enough free hugepages\n",
				single ? "single" : "file", page_counts[i]);
			continue;
		}
		printf("floor_%s_%up: %.1f us/page\n", single ? "single" : "file",
			page_counts[i], median(v, n));
	}
}

int
main(int argc, char **argv)
{
	const char *dir = find_hugetlbfs(argc, argv);

	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "Cannot init EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (!rte_eal_has_hugepages()) {
		printf("note: no hugepages (--no-huge?): nothing to measure\n");
		rte_eal_cleanup();
		return 0;
	}
	bench_malloc();
	if (dir != NULL) {
		bench_floor(dir, false);
		bench_floor(dir, true);
	} else {
		printf("note: no 2 MB hugetlbfs mount found: no kernel floor\n");
	}
	rte_eal_cleanup();
	return 0;
}
