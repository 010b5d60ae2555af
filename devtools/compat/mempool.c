/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Source-compatibility probe for rte_mempool.h (see eal_lcore.c): pools
 * with and without a per-lcore cache, bulk get/put and the counts they
 * leave, lookup, walk, object and memory iteration, and the documented
 * creation errors. Only counts, sizes and errno names are printed.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mempool.h>

#include "compat.h"

#define N 1023
#define ELT 64

static unsigned int inits;

static void
obj_init(struct rte_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	RTE_SET_USED(mp);
	RTE_SET_USED(arg);
	memset(obj, 0x5a, ELT);
	*(unsigned int *)obj = idx;
	inits++;
}

static unsigned int pool_inits;

static void
pool_init(struct rte_mempool *mp, void *arg)
{
	RTE_SET_USED(mp);
	RTE_SET_USED(arg);
	pool_inits++;
}

static void
count_obj(struct rte_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	unsigned int *c = arg;

	RTE_SET_USED(mp);
	c[0]++;
	if (*(unsigned int *)obj == idx)
		c[1]++;
}

static void
count_chunk(struct rte_mempool *mp, void *arg, struct rte_mempool_memhdr *memhdr,
	    unsigned int idx)
{
	unsigned int *c = arg;

	RTE_SET_USED(mp);
	RTE_SET_USED(memhdr);
	RTE_SET_USED(idx);
	(*c)++;
}

static unsigned int pools_walked;

static void
count_pool(struct rte_mempool *mp, void *arg)
{
	RTE_SET_USED(mp);
	RTE_SET_USED(arg);
	pools_walked++;
}

static unsigned int
walk_count(void)
{
	pools_walked = 0;
	rte_mempool_walk(count_pool, NULL);
	return pools_walked;
}

static struct rte_mempool *
create(const char *what, const char *name, unsigned int n, unsigned int cache,
       unsigned int flags)
{
	struct rte_mempool *mp;

	inits = 0;
	pool_inits = 0;
	rte_errno = 0;
	mp = rte_mempool_create(name, n, ELT, cache, 0, pool_init, NULL, obj_init, NULL,
				SOCKET_ID_ANY, flags);
	if (mp == NULL) {
		printf("%s: NULL errno %s\n", what, errname(rte_errno));
		return NULL;
	}
	printf("%s: ok name %s size %u cache_size %u elt_size %u obj_init calls %u"
	       " pool_init calls %u\n", what, mp->name, mp->size, mp->cache_size,
	       mp->elt_size, inits, pool_inits);
	return mp;
}

static void
counts(const char *what, struct rte_mempool *mp)
{
	printf("  %s: avail %u in_use %u full %d empty %d\n", what,
	       rte_mempool_avail_count(mp), rte_mempool_in_use_count(mp),
	       rte_mempool_full(mp), rte_mempool_empty(mp));
}

static void
exercise(struct rte_mempool *mp)
{
	void *objs[N + 1];
	unsigned int c[2] = { 0, 0 }, chunks = 0;
	int ret;

	printf("  obj_iter: %u", rte_mempool_obj_iter(mp, count_obj, c));
	printf(" counted %u indexes kept %u\n", c[0], c[1]);
	printf("  mem_iter > 0: %d", rte_mempool_mem_iter(mp, count_chunk, &chunks) > 0);
	printf(" counted == returned %d\n", chunks == mp->nb_mem_chunks);
	counts("created", mp);
	ret = rte_mempool_get_bulk(mp, objs, 10);
	printf("  get_bulk 10: %d\n", ret);
	counts("after get 10", mp);
	ret = rte_mempool_get(mp, &objs[10]);
	printf("  get: %d\n", ret);
	counts("after get 1", mp);
	rte_mempool_put(mp, objs[10]);
	rte_mempool_put_bulk(mp, objs, 10);
	counts("after put 11", mp);
	ret = rte_mempool_get_bulk(mp, objs, N + 1);
	printf("  get_bulk N+1: %d\n", ret);
	counts("after failed get", mp);
	ret = rte_mempool_get_bulk(mp, objs, N);
	printf("  get_bulk N: %d\n", ret);
	counts("after get all", mp);
	if (ret == 0) {
		ret = rte_mempool_get(mp, &objs[N]);
		printf("  get from empty: %d\n", ret);
		if (ret == 0)
			rte_mempool_put(mp, objs[N]);
		rte_mempool_put_bulk(mp, objs, N);
	}
	counts("after put all", mp);
	printf("  lookup same: %d\n", rte_mempool_lookup(mp->name) == mp);
	printf("  from_obj same: %d\n", rte_mempool_from_obj(objs[0]) == mp);
}

int
main(int argc, char **argv)
{
	struct rte_mempool *nc, *c, *mp;
	unsigned int before;
	char name[RTE_MEMPOOL_NAMESIZE + 1];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (rte_eal_init(argc, argv) < 0) {
		printf("rte_eal_init failed: %d\n", rte_errno);
		return 1;
	}
	before = walk_count();
	nc = create("create no cache", "mp_nc", N, 0, 0);
	if (nc != NULL)
		exercise(nc);
	c = create("create cache 32", "mp_c", N, 32, 0);
	if (c != NULL)
		exercise(c);
	mp = create("create sp/sc", "mp_s", N, 0, RTE_MEMPOOL_F_SP_PUT | RTE_MEMPOOL_F_SC_GET);
	if (mp != NULL)
		exercise(mp);
	printf("walk count grew by 3: %d\n", walk_count() == before + 3);
	rte_mempool_free(mp);
	printf("walk count grew by 2 after free: %d\n", walk_count() == before + 2);

	create("create same name", "mp_c", N, 0, 0);
	create("create cache > max", "mp_x", N, RTE_MEMPOOL_CACHE_MAX_SIZE + 1, 0);
	create("create cache too big for n", "mp_x", 100, 100, 0);
	mp = create("create cache max", "mp_max", 4096, RTE_MEMPOOL_CACHE_MAX_SIZE, 0);
	rte_mempool_free(mp);
	mp = create("create n 1", "mp_1", 1, 0, 0);
	rte_mempool_free(mp);
	create("create n 0", "mp_0", 0, 0, 0);
	create("create bad flags", "mp_f", N, 0, 0x80000000u);
	memset(name, 'm', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	create("create name too long", name, N, 0, 0);
	name[sizeof(name) - 2] = '\0';
	mp = create("create name max", name, N, 0, 0);
	rte_mempool_free(mp);
	rte_errno = 0;
	mp = rte_mempool_lookup("nope");
	printf("lookup nope: %s errno %s\n", mp ? "found" : "NULL", errname(rte_errno));
	rte_mempool_free(NULL);
	printf("free NULL: ok\n");
	rte_mempool_free(nc);
	rte_mempool_free(c);
	printf("walk count back: %d\n", walk_count() == before);
	rte_errno = 0;
	mp = rte_mempool_lookup("mp_c");
	printf("lookup freed: %s errno %s\n", mp ? "found" : "NULL", errname(rte_errno));
	rte_eal_cleanup();
	return 0;
}
