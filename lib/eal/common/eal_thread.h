/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _EAL_THREAD_H_
#define _EAL_THREAD_H_

#include <stdbool.h>

/* Wake worker @p lcore_id to run its function. */
void eal_thread_wake(unsigned int lcore_id);
/* Mark whether a result waits to be collected by rte_eal_wait_lcore(). */
void eal_thread_set_ret_pending(unsigned int lcore_id, bool pending);
/* @return true (and clear it) if a result was waiting. */
bool eal_thread_take_ret_pending(unsigned int lcore_id);

#endif /* _EAL_THREAD_H_ */
