/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _EAL_LOG_H_
#define _EAL_LOG_H_

#include <rte_log.h>

/* Internal EAL logging: one line per call, the newline is added here. */
#define EAL_LOG(level, fmt, ...) \
	RTE_LOG(level, EAL, fmt "\n", ##__VA_ARGS__)

/* Log and set rte_errno in one go, for error returns at the public API. */
#define EAL_LOG_ERRNO(level, err, fmt, ...) do { \
	rte_errno = (err); \
	EAL_LOG(level, fmt, ##__VA_ARGS__); \
} while (0)

/* Set up the log types and the default stream. */
int eal_log_init(const char *id);

/* Apply a --log-level argument ("level", "type:level" or "glob:level"). */
int eal_log_level_parse_arg(const char *arg);

#endif /* _EAL_LOG_H_ */
