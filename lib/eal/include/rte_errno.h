/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_ERRNO_H_
#define _RTE_ERRNO_H_

/**
 * @file
 * rte_errno: a per-lcore error code set by EAL functions that fail, with
 * values from errno.h plus a few of the EAL's own.
 */

#include <rte_per_lcore.h>

#ifdef __cplusplus
extern "C" {
#endif

RTE_DECLARE_PER_LCORE(int, _rte_errno);

/** Error code of the last failed EAL call made by this thread. */
#define rte_errno RTE_PER_LCORE(_rte_errno)

/**
 * Describe an error code as text.
 *
 * @param errnum
 *   A value from errno.h or one of the RTE-specific codes below.
 * @return
 *   A string that stays valid until the next call from the same thread.
 */
const char *rte_strerror(int errnum);

#ifndef __ELASTERROR
#define __ELASTERROR 1000
#endif

/** EAL-specific error codes. */
enum {
	RTE_MIN_ERRNO = __ELASTERROR, /**< Start of the EAL's own codes. */
	E_RTE_SECONDARY,              /**< Not allowed in a secondary process. */
	E_RTE_NO_CONFIG,              /**< Missing rte_config. */
	RTE_MAX_ERRNO                 /**< End of the EAL's own codes. */
};

#ifdef __cplusplus
}
#endif

#endif /* _RTE_ERRNO_H_ */
