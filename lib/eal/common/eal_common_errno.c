/* SPDX-License-Identifier: BSD-3-Clause */

#include <stdio.h>
#include <string.h>

#include <rte_per_lcore.h>
#include <rte_errno.h>

#include "eal_export.h"

RTE_EXPORT_SYMBOL(per_lcore__rte_errno)
RTE_DEFINE_PER_LCORE(int, _rte_errno);

RTE_EXPORT_SYMBOL(rte_strerror)
const char *
rte_strerror(int errnum)
{
	static __thread char buf[128];

	/* accept -E as well as E: internal code passes either */
	if (errnum < 0)
		errnum = -errnum;
	switch (errnum) {
	case E_RTE_SECONDARY:
		return "Invalid call in secondary process";
	case E_RTE_NO_CONFIG:
		return "Missing rte_config structure";
	default:
		/* _GNU_SOURCE: strerror_r returns the message, not always in buf */
		return strerror_r(errnum, buf, sizeof(buf));
	}
}
