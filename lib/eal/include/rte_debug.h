/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_DEBUG_H_
#define _RTE_DEBUG_H_

/**
 * @file
 * Fatal errors and assertions.
 */

#include <rte_common.h>
#include <rte_branch_prediction.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Print the current call stack to the log. */
void rte_dump_stack(void);

/** Log a message with the caller's location, dump the stack and abort. */
#define rte_panic(...) rte_panic_(__func__, __VA_ARGS__, "dummy")
#define rte_panic_(func, format, ...) __rte_panic(func, format "%.0s", __VA_ARGS__)

/** Implementation of rte_panic(); do not call directly. */
__rte_noreturn void __rte_panic(const char *funcname, const char *format, ...)
	__rte_format_printf(2, 3);

/** Always-on assertion: panics when @p exp is false. */
#define RTE_VERIFY(exp) do { \
	if (unlikely(!(exp))) \
		rte_panic("line %d\tassert \"%s\" failed\n", __LINE__, #exp); \
} while (0)

/** Debug-build assertion. */
#ifdef RTE_ENABLE_ASSERT
#define RTE_ASSERT(exp) RTE_VERIFY(exp)
#else
#define RTE_ASSERT(exp) do {} while (0)
#endif

#ifdef __cplusplus
}
#endif

#endif /* _RTE_DEBUG_H_ */
