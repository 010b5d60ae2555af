/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_PAUSE_H_
#define _RTE_PAUSE_H_

/** @file CPU hint for spin-wait loops. */

#include <emmintrin.h>

/** Tell the CPU the caller is spinning. */
static inline void
rte_pause(void)
{
	_mm_pause();
}

#endif /* _RTE_PAUSE_H_ */
