/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_VERSION_H_
#define _RTE_VERSION_H_

/** @file Version of the library, comparable with RTE_VERSION_NUM(). */

#include <rte_common.h>

/** Pack a version into one comparable integer. */
#define RTE_VERSION_NUM(a, b, c, d) ((a) << 24 | (b) << 16 | (c) << 8 | (d))

/** This library's version (API of DPDK 22.11). */
#define RTE_VERSION RTE_VERSION_NUM(RTE_VER_YEAR, RTE_VER_MONTH, RTE_VER_MINOR, 0)

/** @return a human-readable version string. */
const char *rte_version(void);

#endif /* _RTE_VERSION_H_ */
