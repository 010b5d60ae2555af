/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Source-compatibility probe for rte_memzone.h (see eal_lcore.c):
 * reserve in every form with its flags, lookup, walk counts, free and
 * the documented errors. Lengths, errno names and alignment/boundary
 * booleans are printed, never addresses or IOVAs.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memory.h>
#include <rte_memzone.h>

#include "compat.h"

static unsigned int walked;

static void
count_mz(const struct rte_memzone *mz, void *arg)
{
	RTE_SET_USED(mz);
	RTE_SET_USED(arg);
	walked++;
}

static unsigned int
walk_count(void)
{
	walked = 0;
	rte_memzone_walk(count_mz, NULL);
	return walked;
}

/* reserve, describe the result (booleans relative to align/bound), keep it */
static const struct rte_memzone *
show(const char *what, const struct rte_memzone *mz, size_t align, size_t bound)
{
	uintptr_t a;

	if (mz == NULL) {
		printf("%s: NULL errno %s\n", what, errname(rte_errno));
		return NULL;
	}
	a = (uintptr_t)mz->addr;
	printf("%s: ok name %s len %zu cacheline aligned %d", what, mz->name, mz->len,
	       a % RTE_CACHE_LINE_SIZE == 0);
	if (align != 0)
		printf(" aligned %d", a % align == 0);
	if (bound != 0)
		printf(" within bound %d", a / bound == (a + mz->len - 1) / bound);
	printf(" iova ok %d addr_64 same %d\n", mz->iova != RTE_BAD_IOVA,
	       mz->addr_64 == (uint64_t)a);
	return mz;
}

#define RESERVE(what, call, align, bound) \
	(rte_errno = 0, show(what, (call), align, bound))

int
main(int argc, char **argv)
{
	const struct rte_memzone *mz1, *mz2, *mz3, *mz;
	char name31[32], name32[33];
	unsigned int before;
	struct rte_memzone fake;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (rte_eal_init(argc, argv) < 0) {
		printf("rte_eal_init failed: %d\n", rte_errno);
		return 1;
	}
	memset(name31, 'z', 31);
	name31[31] = '\0';
	memset(name32, 'z', 32);
	name32[32] = '\0';

	before = walk_count();
	mz1 = RESERVE("reserve mz1 1000", rte_memzone_reserve("mz1", 1000, SOCKET_ID_ANY, 0), 0, 0);
	mz2 = RESERVE("reserve_aligned mz2 100/4096",
		      rte_memzone_reserve_aligned("mz2", 100, 0, 0, 4096), 4096, 0);
	mz3 = RESERVE("reserve_bounded mz3 1000/64/2048",
		      rte_memzone_reserve_bounded("mz3", 1000, SOCKET_ID_ANY, 0, 64, 2048), 64, 2048);
	printf("walk count grew by 3: %d\n", walk_count() == before + 3);
	printf("lookup mz1 same: %d\n", rte_memzone_lookup("mz1") == mz1);
	printf("lookup mz3 same: %d\n", rte_memzone_lookup("mz3") == mz3);
	rte_errno = 0;
	mz = rte_memzone_lookup("nope");
	printf("lookup nope: %s errno %s\n", mz ? "found" : "NULL", errname(rte_errno));

	RESERVE("reserve mz1 again", rte_memzone_reserve("mz1", 10, SOCKET_ID_ANY, 0), 0, 0);
	RESERVE("reserve 32-char name", rte_memzone_reserve(name32, 10, SOCKET_ID_ANY, 0), 0, 0);
	mz = RESERVE("reserve 31-char name", rte_memzone_reserve(name31, 10, SOCKET_ID_ANY, 0), 0, 0);
	printf("free 31-char: %d\n", rte_memzone_free(mz));
	RESERVE("reserve socket 9999", rte_memzone_reserve("s", 10, 9999, 0), 0, 0);
	RESERVE("reserve socket -2", rte_memzone_reserve("s", 10, -2, 0), 0, 0);
	RESERVE("reserve huge len", rte_memzone_reserve("s", (size_t)1 << 46, SOCKET_ID_ANY, 0),
		0, 0);
	RESERVE("reserve_aligned align 3", rte_memzone_reserve_aligned("a", 10, 0, 0, 3), 0, 0);
	RESERVE("reserve_aligned align 0", rte_memzone_reserve_aligned("a", 10, 0, 0, 0), 0, 0);
	mz = RESERVE("reserve_aligned align 16",
		     rte_memzone_reserve_aligned("a16", 10, 0, 0, 16), 16, 0);
	rte_memzone_free(mz);
	mz = RESERVE("reserve_aligned align 1M",
		     rte_memzone_reserve_aligned("a1m", 10, 0, 0, 1 << 20), 1 << 20, 0);
	rte_memzone_free(mz);
	RESERVE("reserve_bounded bound 3", rte_memzone_reserve_bounded("b", 10, 0, 0, 64, 3), 0, 0);
	RESERVE("reserve_bounded bound < len",
		rte_memzone_reserve_bounded("b", 4096, 0, 0, 64, 2048), 0, 0);
	mz = RESERVE("reserve_bounded bound == len",
		     rte_memzone_reserve_bounded("b", 4096, 0, 0, 64, 4096), 64, 4096);
	rte_memzone_free(mz);
	mz = RESERVE("reserve_bounded bound 0",
		     rte_memzone_reserve_bounded("b0", 4096, 0, 0, 64, 0), 64, 0);
	rte_memzone_free(mz);

	mz = RESERVE("reserve IOVA_CONTIG 4096",
		     rte_memzone_reserve("contig", 4096, SOCKET_ID_ANY, RTE_MEMZONE_IOVA_CONTIG), 0, 0);
	if (mz != NULL)
		printf("IOVA_CONTIG flag kept: %d\n", (mz->flags & RTE_MEMZONE_IOVA_CONTIG) != 0);
	rte_memzone_free(mz);
	mz = RESERVE("reserve 1GB only", rte_memzone_reserve("g", 4096, SOCKET_ID_ANY,
		     RTE_MEMZONE_1GB), 0, 0);
	rte_memzone_free(mz);
	mz = RESERVE("reserve 1GB hint", rte_memzone_reserve("g", 4096, SOCKET_ID_ANY,
		     RTE_MEMZONE_1GB | RTE_MEMZONE_SIZE_HINT_ONLY), 0, 0);
	rte_memzone_free(mz);
	mz = RESERVE("reserve 2MB|1GB hint", rte_memzone_reserve("g", 4096, SOCKET_ID_ANY,
		     RTE_MEMZONE_2MB | RTE_MEMZONE_1GB | RTE_MEMZONE_SIZE_HINT_ONLY), 0, 0);
	rte_memzone_free(mz);
	mz = RESERVE("reserve 16GB only", rte_memzone_reserve("g", 4096, SOCKET_ID_ANY,
		     RTE_MEMZONE_16GB), 0, 0);
	rte_memzone_free(mz);

	mz = RESERVE("reserve unknown flag", rte_memzone_reserve("uf", 64, SOCKET_ID_ANY,
		     0x40000000), 0, 0);
	rte_memzone_free(mz);
	mz = RESERVE("reserve IOVA_CONTIG 1M", rte_memzone_reserve("c1m", 1 << 20, SOCKET_ID_ANY,
		     RTE_MEMZONE_IOVA_CONTIG), 0, 0);
	rte_memzone_free(mz);

	before = walk_count();
	mz = rte_memzone_reserve("len0", 0, SOCKET_ID_ANY, 0);
	printf("reserve len 0: %s len > 0 %d\n", mz ? "ok" : "NULL", mz != NULL && mz->len > 0);
	printf("walk count grew by 1: %d\n", walk_count() == before + 1);
	printf("free len0: %d\n", rte_memzone_free(mz));

	before = walk_count();
	printf("free NULL: %d\n", rte_memzone_free(NULL));
	memset(&fake, 0, sizeof(fake));
	printf("free fake: %d\n", rte_memzone_free(&fake));
	printf("free mz1: %d\n", rte_memzone_free(mz1));
	printf("free mz1 again: %d\n", rte_memzone_free(mz1));
	printf("lookup mz1 after free: %s\n", rte_memzone_lookup("mz1") ? "found" : "NULL");
	mz1 = RESERVE("reserve mz1 after free", rte_memzone_reserve("mz1", 2000, SOCKET_ID_ANY, 0),
		      0, 0);
	printf("free mz1: %d\n", rte_memzone_free(mz1));
	printf("free mz2: %d\n", rte_memzone_free(mz2));
	printf("free mz3: %d\n", rte_memzone_free(mz3));
	printf("walk count down by 3: %d\n", walk_count() + 3 == before);

	rte_eal_cleanup();
	return 0;
}
