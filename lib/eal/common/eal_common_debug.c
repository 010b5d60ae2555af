/* SPDX-License-Identifier: BSD-3-Clause */

#include <execinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_common.h>
#include <rte_debug.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>

#include "eal_export.h"
#include "eal_log.h"

#define BACKTRACE_SIZE 64

RTE_EXPORT_SYMBOL(rte_dump_stack)
void
rte_dump_stack(void)
{
	void *frames[BACKTRACE_SIZE];
	char **symbols;
	int n, i;

	n = backtrace(frames, BACKTRACE_SIZE);
	symbols = backtrace_symbols(frames, n);
	if (symbols == NULL)
		return;
	for (i = 0; i < n; i++)
		EAL_LOG(ERR, "%d: [%s]", n - i, symbols[i]);
	free(symbols);
}

RTE_EXPORT_SYMBOL(__rte_panic)
void
__rte_panic(const char *funcname, const char *format, ...)
{
	va_list ap;

	rte_log(RTE_LOG_CRIT, RTE_LOGTYPE_EAL, "PANIC in %s():\n", funcname);
	va_start(ap, format);
	rte_vlog(RTE_LOG_CRIT, RTE_LOGTYPE_EAL, format, ap);
	va_end(ap);
	rte_dump_stack();
	abort();
}

RTE_EXPORT_SYMBOL(rte_exit)
void
rte_exit(int exit_code, const char *format, ...)
{
	va_list ap;

	if (exit_code != 0)
		RTE_LOG(CRIT, EAL, "Error - exiting with code: %d\n  Cause: ", exit_code);
	va_start(ap, format);
	rte_vlog(RTE_LOG_CRIT, RTE_LOGTYPE_EAL, format, ap);
	va_end(ap);
	if (rte_eal_cleanup() != 0 && rte_errno != EALREADY)
		EAL_LOG(CRIT, "EAL could not release all resources");
	exit(exit_code);
}
