/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_OS_H_
#define _RTE_OS_H_

/** @file Operating-system glue for Linux. */

#include <sched.h>
#include <sys/queue.h>

/** A set of CPUs, as used for lcore affinity. */
typedef cpu_set_t rte_cpuset_t;
#define RTE_CPU_AND(dst, src1, src2) CPU_AND(dst, src1, src2)
#define RTE_CPU_OR(dst, src1, src2) CPU_OR(dst, src1, src2)
#define RTE_CPU_FILL(set) do { \
	unsigned int i__; \
	CPU_ZERO(set); \
	for (i__ = 0; i__ < CPU_SETSIZE; i__++) \
		CPU_SET(i__, set); \
} while (0)
#define RTE_CPU_NOT(dst, src) do { \
	cpu_set_t tmp__; \
	RTE_CPU_FILL(&tmp__); \
	CPU_XOR(dst, &tmp__, src); \
} while (0)

#ifndef TAILQ_FOREACH_SAFE
#define TAILQ_FOREACH_SAFE(var, head, field, tvar) \
	for ((var) = TAILQ_FIRST((head)); \
	     (var) && ((tvar) = TAILQ_NEXT((var), field), 1); \
	     (var) = (tvar))
#endif

#endif /* _RTE_OS_H_ */
