/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_PER_LCORE_H_
#define _RTE_PER_LCORE_H_

/**
 * @file
 * Per-lcore variables: thread-local storage, so every lcore (and every
 * non-EAL thread) has its own copy.
 */

/** Define a per-lcore variable @p name of @p type. */
#define RTE_DEFINE_PER_LCORE(type, name) __thread __typeof__(type) per_lcore_##name

/** Declare a per-lcore variable defined elsewhere. */
#define RTE_DECLARE_PER_LCORE(type, name) extern __thread __typeof__(type) per_lcore_##name

/** Access the calling thread's copy of a per-lcore variable. */
#define RTE_PER_LCORE(name) (per_lcore_##name)

#endif /* _RTE_PER_LCORE_H_ */
