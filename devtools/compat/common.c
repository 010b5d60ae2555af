/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Source-compatibility probe for rte_common.h (see eal_lcore.c): the
 * macros and inline helpers applications use, on a fixed set of inputs.
 * Needs no EAL init except for rte_str_to_size(), which is a library call.
 */

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>

#include <rte_common.h>

struct sample {
	char c;
	uint64_t u __rte_aligned(16);
	int arr[5];
};

struct cached {
	int x;
} __rte_cache_aligned;

static int constructed;

RTE_INIT(compat_init)
{
	constructed = 1;
}

static __rte_always_inline int
add_one(int v)
{
	return v + 1;
}

static __rte_noinline __rte_unused int
unused_helper(void)
{
	return 0;
}

static void __rte_format_printf(1, 2)
say(const char *fmt, ...)
{
	(void)fmt;
}

int
main(void)
{
	static const uint32_t v32[] = { 0, 1, 2, 3, 5, 64, 65, 1000, 0x80000000u, 0xffffffffu };
	static const uint64_t v64[] = { 0, 1, 3, 4096, 4097, 1ULL << 40, (1ULL << 63) + 1 };
	static const char *const sizes[] = { "0", "1", "10k", "10K", "3m", "2G", "1t", "7x", "" };
	char buf[64] __rte_unused;
	uintptr_t p = 0x1003;
	unsigned int i;
	uint32_t pos32;
	uint32_t pos64;
	int n = 3, m = 9;

	say("%d", 1);
	printf("constructed %d add_one %d\n", constructed, add_one(1));
	printf("cache line %d aligned %d min %d roundup(1) %d\n", RTE_CACHE_LINE_SIZE,
		(int)_Alignof(struct cached), RTE_CACHE_LINE_MIN_SIZE, RTE_CACHE_LINE_ROUNDUP(1));
	printf("sizeof_field %zu offsetof %zu\n", RTE_SIZEOF_FIELD(struct sample, arr),
		offsetof(struct sample, u));
	printf("str %s min %d max %d dim %zu\n", RTE_STR(RTE_CACHE_LINE_SIZE), RTE_MIN(n, m),
		RTE_MAX(n, m), RTE_DIM(v32));
	RTE_SWAP(n, m);
	printf("swap %d %d\n", n, m);
	printf("align floor %#" PRIxPTR " ceil %#" PRIxPTR " align %#" PRIxPTR " is_aligned %d %d\n",
		RTE_ALIGN_FLOOR(p, 16), RTE_ALIGN_CEIL(p, 16), RTE_ALIGN(p, 16),
		rte_is_aligned((void *)p, 1), rte_is_aligned((void *)p, 16));
	printf("mul ceil %d floor %d near %d %d\n", RTE_ALIGN_MUL_CEIL(10, 3),
		RTE_ALIGN_MUL_FLOOR(10, 3), RTE_ALIGN_MUL_NEAR(10, 3), RTE_ALIGN_MUL_NEAR(11, 3));
	printf("ptr add %#" PRIxPTR " sub %#" PRIxPTR " diff %td align %#" PRIxPTR " %#" PRIxPTR
		"\n", (uintptr_t)RTE_PTR_ADD(p, 5), (uintptr_t)RTE_PTR_SUB(p, 3),
		(ptrdiff_t)RTE_PTR_DIFF(p + 8, p), (uintptr_t)RTE_PTR_ALIGN_FLOOR(p, 8),
		(uintptr_t)RTE_PTR_ALIGN_CEIL(p, 8));
	printf("IS_POWER_OF_2 %d %d bad iova %#" PRIx64 "\n", RTE_IS_POWER_OF_2(64),
		RTE_IS_POWER_OF_2(65), (uint64_t)RTE_BAD_IOVA);
	for (i = 0; i < RTE_DIM(v32); i++) {
		uint32_t x = v32[i];

		printf("u32 %#x: pow2 %d align %u prev %u combine %#x", x, rte_is_power_of_2(x),
			rte_align32pow2(x), rte_align32prevpow2(x), rte_combine32ms1b(x));
		printf(" fls %u", rte_fls_u32(x));
		/* log2 of what does not round to a power of two is undefined */
		if (x != 0 && x <= 0x80000000u)
			printf(" bsf %u log2 %u", rte_bsf32(x), rte_log2_u32(x));
		printf(" bsf_safe %d", rte_bsf32_safe(x, &pos32));
		printf("\n");
	}
	for (i = 0; i < RTE_DIM(v64); i++) {
		uint64_t x = v64[i];

		printf("u64 %#" PRIx64 ": align %#" PRIx64 " prev %#" PRIx64 " combine %#" PRIx64,
			x, rte_align64pow2(x), rte_align64prevpow2(x), rte_combine64ms1b(x));
		printf(" fls %u", rte_fls_u64(x));
		if (x != 0 && x <= (1ULL << 63))
			printf(" bsf %u log2 %u", rte_bsf64(x), rte_log2_u64(x));
		printf(" bsf_safe %d\n", rte_bsf64_safe(x, &pos64));
	}
	for (i = 0; i < RTE_DIM(sizes); i++)
		printf("str_to_size('%s') %" PRIu64 "\n", sizes[i], rte_str_to_size(sizes[i]));
	RTE_SET_USED(buf);
	RTE_BUILD_BUG_ON(sizeof(uint32_t) != 4);
	return 0;
}
