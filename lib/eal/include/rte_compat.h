/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_COMPAT_H_
#define _RTE_COMPAT_H_

/*
 * API stability markers. They carry no attribute here: every symbol of this
 * project is built and exported alike, and a program that defines
 * ALLOW_EXPERIMENTAL_API (as DPDK asks) or not builds the same.
 */
#ifndef __rte_experimental
#define __rte_experimental
#endif

#ifndef __rte_internal
#define __rte_internal
#endif

#endif /* _RTE_COMPAT_H_ */
