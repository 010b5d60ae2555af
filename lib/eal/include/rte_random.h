/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_RANDOM_H_
#define _RTE_RANDOM_H_

/**
 * @file
 * Pseudo-random numbers (not for cryptography), per-lcore state.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Seed every lcore's generator from @p seedval. */
void rte_srand(uint64_t seedval);

/** @return a uniformly distributed 64-bit value. */
uint64_t rte_rand(void);

/** @return a uniformly distributed value in [0, @p upper_bound). 0 yields 0. */
uint64_t rte_rand_max(uint64_t upper_bound);

/** @return a uniformly distributed double in [0, 1). */
double rte_drand(void);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_RANDOM_H_ */
