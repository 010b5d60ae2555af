/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_COMMON_H_
#define _RTE_COMMON_H_

/**
 * @file
 * Macros and helpers shared by every part of the EAL: alignment, pointer
 * arithmetic, power-of-two rounding, attributes and constructors.
 */

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>

#include <rte_config.h>
#include <rte_os.h>
#include <rte_compat.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef typeof
#define typeof __typeof__
#endif

#ifndef asm
#define asm __asm__
#endif

/** Marks anonymous unions/structs as intended (C11 feature in gnu99 code). */
#define RTE_STD_C11 __extension__

/** Bit @p nr set, as a 32-bit / 64-bit value. */
#define RTE_BIT32(nr) (UINT32_C(1) << (nr))
#define RTE_BIT64(nr) (UINT64_C(1) << (nr))

/** Mark a variable or parameter as possibly unused. */
#define __rte_unused __attribute__((__unused__))
/** Silence the "unused" warning on @p x. */
#define RTE_SET_USED(x) (void)(x)
/** Force a type to be packed. */
#define __rte_packed __attribute__((__packed__))
/** Align a type or variable to @p a bytes. */
#define __rte_aligned(a) __attribute__((__aligned__(a)))
/** Align to a cache line. */
#define __rte_cache_aligned __rte_aligned(RTE_CACHE_LINE_SIZE)
/** Always inline. */
#define __rte_always_inline inline __attribute__((always_inline))
/** Never inline. */
#define __rte_noinline __attribute__((noinline))
/** Function never returns. */
#define __rte_noreturn __attribute__((noreturn))
/** Mark a weak symbol. */
#define __rte_weak __attribute__((__weak__))
/** Mark a hot function. */
#define __rte_hot __attribute__((hot))
/** Mark a cold function. */
#define __rte_cold __attribute__((cold))
/** Result of the function must be used. */
#define __rte_warn_unused_result __attribute__((warn_unused_result))
/** Check printf-like arguments. */
#define __rte_format_printf(format_index, first_arg) \
	__attribute__((format(printf, format_index, first_arg)))
/** Function returns memory that aliases nothing. */
#define __rte_malloc __attribute__((__malloc__))
/** Size of the returned buffer is given by argument @p ...  */
#define __rte_alloc_size(...) __attribute__((alloc_size(__VA_ARGS__)))
/** Do not instrument this function with AddressSanitizer. */
#ifdef __SANITIZE_ADDRESS__
#define __rte_no_asan __attribute__((no_sanitize_address))
#else
#define __rte_no_asan
#endif
/** Mark a deprecated symbol. */
#define __rte_deprecated __attribute__((__deprecated__))
/** Deprecation with a message. */
#define __rte_deprecated_msg(msg) __attribute__((__deprecated__(msg)))
/** Keep a symbol even if nothing references it. */
#define __rte_used __attribute__((used))
/** The type may alias any other (like char). */
#define __rte_may_alias __attribute__((__may_alias__))
/** C99 restrict, also in C++. */
#define __rte_restrict __restrict

/** Cache line size and mask. */
#ifndef RTE_CACHE_LINE_SIZE
#define RTE_CACHE_LINE_SIZE 64
#endif
#define RTE_CACHE_LINE_MASK (RTE_CACHE_LINE_SIZE - 1)
/** Smallest cache line size of any supported CPU. */
#define RTE_CACHE_LINE_MIN_SIZE 64
/** Align to the smallest cache line size. */
#define __rte_cache_min_aligned __rte_aligned(RTE_CACHE_LINE_MIN_SIZE)

/** I/O virtual and physical addresses, and their "unknown" value. */
typedef uint64_t phys_addr_t;
typedef uint64_t rte_iova_t;
#define RTE_BAD_PHYS_ADDR ((phys_addr_t)-1)
#define RTE_BAD_IOVA ((rte_iova_t)-1)

/** Run @p func before main() (lowest priority numbers run first). */
#define RTE_PRIO(prio) RTE_PRIORITY_ ## prio
#define RTE_PRIORITY_LOG 101
#define RTE_PRIORITY_BUS 110
#define RTE_PRIORITY_CLASS 120
#define RTE_PRIORITY_LAST 65535
#define RTE_INIT_PRIO(func, prio) \
	static void __attribute__((constructor(RTE_PRIO(prio)), used)) func(void)
#define RTE_INIT(func) RTE_INIT_PRIO(func, LAST)
#define RTE_FINI_PRIO(func, prio) \
	static void __attribute__((destructor(RTE_PRIO(prio)), used)) func(void)
#define RTE_FINI(func) RTE_FINI_PRIO(func, LAST)

/** Stringify. */
#define RTE_STR(x) _RTE_STR(x)
#define _RTE_STR(x) #x

/** Concatenate. */
#define RTE_CAT(a, b) _RTE_CAT(a, b)
#define _RTE_CAT(a, b) a ## b

/** Number of elements of a static array. */
#define RTE_DIM(a) (sizeof(a) / sizeof((a)[0]))

/** Compile-time assertion. */
#define RTE_BUILD_BUG_ON(condition) ((void)sizeof(char[1 - 2 * !!(condition)]))

/** Min / max, evaluating each argument once. */
#define RTE_MIN(a, b) __extension__ ({ \
	typeof(a) _a = (a); typeof(b) _b = (b); _a < _b ? _a : _b; })
#define RTE_MAX(a, b) __extension__ ({ \
	typeof(a) _a = (a); typeof(b) _b = (b); _a > _b ? _a : _b; })

/** Exchange the values of two lvalues of the same type. */
#define RTE_SWAP(a, b) __extension__ ({ \
	typeof(a) _tmp = (a); \
	(a) = (b); \
	(b) = _tmp; })

/** Pointer arithmetic. */
#define RTE_PTR_ADD(ptr, x) ((void *)((uintptr_t)(ptr) + (x)))
#define RTE_PTR_SUB(ptr, x) ((void *)((uintptr_t)(ptr) - (x)))
#define RTE_PTR_DIFF(ptr1, ptr2) ((uintptr_t)(ptr1) - (uintptr_t)(ptr2))

/** Cast away const / volatile explicitly. */
#define RTE_PTR_UNQUAL(X) ((void *)(uintptr_t)(X))

/** Round down / up to a power-of-two alignment. */
#define RTE_PTR_ALIGN_FLOOR(ptr, align) \
	((typeof(ptr))RTE_ALIGN_FLOOR((uintptr_t)(ptr), align))
#define RTE_ALIGN_FLOOR(val, align) \
	(typeof(val))((val) & (~((typeof(val))((align) - 1))))
#define RTE_PTR_ALIGN_CEIL(ptr, align) \
	RTE_PTR_ALIGN_FLOOR((typeof(ptr))RTE_PTR_ADD(ptr, (align) - 1), align)
#define RTE_ALIGN_CEIL(val, align) \
	RTE_ALIGN_FLOOR(((val) + ((typeof(val))(align) - 1)), align)
#define RTE_PTR_ALIGN(ptr, align) RTE_PTR_ALIGN_CEIL(ptr, align)
#define RTE_ALIGN(val, align) RTE_ALIGN_CEIL(val, align)
/** Round up to a multiple of @p mul (any value). */
#define RTE_ALIGN_MUL_CEIL(v, mul) \
	((((v) + (typeof(v))(mul) - 1) / ((typeof(v))(mul))) * (typeof(v))(mul))
#define RTE_ALIGN_MUL_FLOOR(v, mul) (((v) / ((typeof(v))(mul))) * (typeof(v))(mul))
/** The multiple of @p mul nearest to @p v (upwards on a tie). */
#define RTE_ALIGN_MUL_NEAR(v, mul) __extension__ ({ \
	typeof(v) _c = RTE_ALIGN_MUL_CEIL(v, mul); \
	typeof(v) _f = RTE_ALIGN_MUL_FLOOR(v, mul); \
	(_c - (v)) > ((v) - _f) ? _f : _c; })
/** True if @p ptr is aligned to @p align (a power of two). */
#define RTE_IS_ALIGNED(ptr, align) \
	(RTE_PTR_ALIGN_FLOOR((ptr), (align)) == (ptr))

/** Round a size up to a whole number of cache lines. */
#define RTE_CACHE_LINE_ROUNDUP(size) \
	(RTE_CACHE_LINE_SIZE * (((size) + RTE_CACHE_LINE_SIZE - 1) / RTE_CACHE_LINE_SIZE))

/** Containing structure of a member pointer. */
#ifndef container_of
#define container_of(ptr, type, member) __extension__ ({ \
	const typeof(((type *)0)->member) *_ptr = (ptr); \
	__rte_unused type *_target_ptr = (type *)(ptr); \
	(type *)(((uintptr_t)_ptr) - offsetof(type, member)); })
#endif

/** Size of a structure member. */
#define RTE_SIZEOF_FIELD(type, field) (sizeof(((type *)0)->field))

/** Member @p field of the structure @p var points to, read as @p type. */
#define RTE_CAST_FIELD(var, field, type) \
	(*(type *)((uintptr_t)(var) + offsetof(typeof(*(var)), field)))

/** Compile-time power-of-two check (0 is not a power of two). */
#define RTE_IS_POWER_OF_2(n) ((n) && !(((n) - 1) & (n)))

#define KB (1ULL << 10)
#define MB (1ULL << 20)
#define GB (1ULL << 30)

/** Power-of-two check (0 is not a power of two). */
static inline int
rte_is_power_of_2(uint32_t n)
{
	return n && !(n & (n - 1));
}

/** @return 1 if @p ptr is a multiple of @p align (a power of two). */
static inline int
rte_is_aligned(const void *const ptr, const unsigned int align)
{
	return ((uintptr_t)ptr & (align - 1)) == 0;
}

/** @p x with every bit below its most significant set bit set too. */
static inline uint32_t
rte_combine32ms1b(uint32_t x)
{
	unsigned int shift;

	for (shift = 1; shift < 32; shift <<= 1)
		x |= x >> shift;
	return x;
}

/** @p v with every bit below its most significant set bit set too. */
static inline uint64_t
rte_combine64ms1b(uint64_t v)
{
	unsigned int shift;

	for (shift = 1; shift < 64; shift <<= 1)
		v |= v >> shift;
	return v;
}

/** Smallest power of two >= @p x; 0 for 0 and when it does not fit. */
static inline uint32_t
rte_align32pow2(uint32_t x)
{
	return rte_combine32ms1b(x - 1) + 1;
}

/** Largest power of two <= @p x. */
static inline uint32_t
rte_align32prevpow2(uint32_t x)
{
	return x ? 1U << (31 - __builtin_clz(x)) : 0;
}

/** Smallest power of two >= @p v; 0 for 0 and when it does not fit. */
static inline uint64_t
rte_align64pow2(uint64_t v)
{
	return rte_combine64ms1b(v - 1) + 1;
}

/** Largest power of two <= @p v. */
static inline uint64_t
rte_align64prevpow2(uint64_t v)
{
	return v ? 1ULL << (63 - __builtin_clzll(v)) : 0;
}

/** Index of the least significant set bit; @p v must not be 0. */
static inline uint32_t
rte_bsf32(uint32_t v)
{
	return (uint32_t)__builtin_ctz(v);
}

/** Like rte_bsf32() but returns 0 for @p v == 0 and the index in @p pos. */
static inline int
rte_bsf32_safe(uint32_t v, uint32_t *pos)
{
	if (v == 0)
		return 0;
	*pos = rte_bsf32(v);
	return 1;
}

/** Index of the least significant set bit; @p v must not be 0. */
static inline uint32_t
rte_bsf64(uint64_t v)
{
	return (uint32_t)__builtin_ctzll(v);
}

/** Like rte_bsf64() but returns 0 for @p v == 0 and the index in @p pos. */
static inline int
rte_bsf64_safe(uint64_t v, uint32_t *pos)
{
	if (v == 0)
		return 0;
	*pos = rte_bsf64(v);
	return 1;
}

/** Position of the most significant set bit, counting from 1 (0 for 0). */
static inline uint32_t
rte_fls_u32(uint32_t x)
{
	return x == 0 ? 0 : 32 - __builtin_clz(x);
}

/** Position of the most significant set bit, counting from 1 (0 for 0). */
static inline uint32_t
rte_fls_u64(uint64_t x)
{
	return x == 0 ? 0 : 64 - __builtin_clzll(x);
}

/** log2 of @p v rounded up. */
static inline uint32_t
rte_log2_u32(uint32_t v)
{
	if (v == 0)
		return 0;
	v = rte_align32pow2(v);
	return rte_bsf32(v);
}

/** log2 of @p v rounded up. */
static inline uint32_t
rte_log2_u64(uint64_t v)
{
	if (v == 0)
		return 0;
	v = rte_align64pow2(v);
	return rte_bsf64(v);
}

/** Compile-time constant or runtime-evaluated min/max for constants. */
#define RTE_MIN_T(a, b, t) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define RTE_MAX_T(a, b, t) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))

/** Convert a string such as "64M" or "2G" to bytes; 0 on a parse error. */
uint64_t rte_str_to_size(const char *str);

/**
 * Print an error message and exit the process with @p exit_code.
 * Never returns.
 */
__rte_noreturn void
rte_exit(int exit_code, const char *format, ...) __rte_format_printf(2, 3);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_COMMON_H_ */
