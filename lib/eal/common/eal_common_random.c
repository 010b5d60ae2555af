/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Per-thread xoshiro256** generators. Each thread seeds its own state
 * lazily from the global seed and its thread id, so threads never share
 * or contend on state.
 */

#include <stdint.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_per_lcore.h>
#include <rte_random.h>

#include "eal_export.h"

struct rand_state {
	uint64_t s[4];
	uint64_t generation;
};

static uint64_t rand_seed = 0x9e3779b97f4a7c15ULL;
static uint64_t rand_generation = 1;
static RTE_DEFINE_PER_LCORE(struct rand_state, rand_state);

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static struct rand_state *
get_state(void)
{
	struct rand_state *st = &RTE_PER_LCORE(rand_state);
	uint64_t gen = __atomic_load_n(&rand_generation, __ATOMIC_ACQUIRE);
	uint64_t x;
	int i;

	if (st->generation == gen)
		return st;
	x = rand_seed ^ ((uint64_t)rte_gettid() << 32);
	for (i = 0; i < 4; i++)
		st->s[i] = splitmix64(&x);
	st->generation = gen;
	return st;
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

RTE_EXPORT_SYMBOL(rte_srand)
void
rte_srand(uint64_t seedval)
{
	rand_seed = seedval;
	__atomic_add_fetch(&rand_generation, 1, __ATOMIC_RELEASE);
}

RTE_EXPORT_SYMBOL(rte_rand)
uint64_t
rte_rand(void)
{
	struct rand_state *st = get_state();
	uint64_t *s = st->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

RTE_EXPORT_SYMBOL(rte_rand_max)
uint64_t
rte_rand_max(uint64_t upper_bound)
{
	uint64_t mask, r;

	if (upper_bound < 2)
		return 0;
	/* rejection sampling on the smallest covering power of two: unbiased */
	mask = ~0ULL >> __builtin_clzll(upper_bound - 1);
	do {
		r = rte_rand() & mask;
	} while (r >= upper_bound);
	return r;
}

RTE_EXPORT_SYMBOL(rte_drand)
double
rte_drand(void)
{
	return (double)(rte_rand() >> 11) * (1.0 / 9007199254740992.0);
}
