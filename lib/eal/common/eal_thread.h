/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _EAL_THREAD_H_
#define _EAL_THREAD_H_

#include <stdbool.h>

/* Wake worker @p lcore_id to run its function. */
void eal_thread_wake(unsigned int lcore_id);

#endif /* _EAL_THREAD_H_ */
