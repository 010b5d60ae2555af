/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_BRANCH_PREDICTION_H_
#define _RTE_BRANCH_PREDICTION_H_

/** Hint that @p x is usually true. */
#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif

/** Hint that @p x is usually false. */
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

#endif /* _RTE_BRANCH_PREDICTION_H_ */
