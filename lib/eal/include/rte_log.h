/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_LOG_H_
#define _RTE_LOG_H_

/**
 * @file
 * Logging with a level and a type per message. Types are registered by
 * name (e.g. "lib.eal"); each has its own threshold.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdbool.h>

#include <rte_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Fixed log types, kept for source compatibility. */
#define RTE_LOGTYPE_EAL 0
#define RTE_LOGTYPE_MALLOC 1
#define RTE_LOGTYPE_RING 2
#define RTE_LOGTYPE_MEMPOOL 3
#define RTE_LOGTYPE_TIMER 4
#define RTE_LOGTYPE_PMD 5
#define RTE_LOGTYPE_HASH 6
#define RTE_LOGTYPE_LPM 7
#define RTE_LOGTYPE_KNI 8
#define RTE_LOGTYPE_ACL 9
#define RTE_LOGTYPE_POWER 10
#define RTE_LOGTYPE_METER 11
#define RTE_LOGTYPE_SCHED 12
#define RTE_LOGTYPE_PORT 13
#define RTE_LOGTYPE_TABLE 14
#define RTE_LOGTYPE_PIPELINE 15
#define RTE_LOGTYPE_MBUF 16
#define RTE_LOGTYPE_CRYPTODEV 17
#define RTE_LOGTYPE_EFD 18
#define RTE_LOGTYPE_EVENTDEV 19
#define RTE_LOGTYPE_GSO 20
#define RTE_LOGTYPE_USER1 24
#define RTE_LOGTYPE_USER2 25
#define RTE_LOGTYPE_USER3 26
#define RTE_LOGTYPE_USER4 27
#define RTE_LOGTYPE_USER5 28
#define RTE_LOGTYPE_USER6 29
#define RTE_LOGTYPE_USER7 30
#define RTE_LOGTYPE_USER8 31
/** First id handed out by rte_log_register(). */
#define RTE_LOGTYPE_FIRST_EXT_ID 32

/* Levels, most severe first. */
#define RTE_LOG_EMERG 1U
#define RTE_LOG_ALERT 2U
#define RTE_LOG_CRIT 3U
#define RTE_LOG_ERR 4U
#define RTE_LOG_WARNING 5U
#define RTE_LOG_NOTICE 6U
#define RTE_LOG_INFO 7U
#define RTE_LOG_DEBUG 8U
#define RTE_LOG_MAX RTE_LOG_DEBUG

/**
 * Send log output to @p f instead of stderr.
 *
 * @param f
 *   The stream, or NULL to go back to the default.
 * @return
 *   0.
 */
int rte_openlog_stream(FILE *f);

/** @return the stream log messages are written to. */
FILE *rte_log_get_stream(void);

/** Close the log stream opened by the EAL (not a user's). */
void rte_log_close(void);

/** Set the level that applies to types without a level of their own. */
void rte_log_set_global_level(uint32_t level);

/** @return the global log level. */
uint32_t rte_log_get_global_level(void);

/**
 * @return the level of @p logtype, or -1 if it is not registered.
 */
int rte_log_get_level(uint32_t logtype);

/**
 * @return true if a message of @p level and @p logtype would be written.
 */
bool rte_log_can_log(uint32_t logtype, uint32_t level);

/**
 * Set the level of one log type.
 *
 * @return 0, or -1 if the type or level is out of range.
 */
int rte_log_set_level(uint32_t logtype, uint32_t level);

/**
 * Set the level of every type whose name matches the glob @p pattern.
 *
 * @return 0, or -1 if the level is out of range.
 */
int rte_log_set_level_pattern(const char *pattern, uint32_t level);

/**
 * Set the level of every type whose name matches the regex @p regex.
 *
 * @return 0, or -1 if the regex or level is invalid.
 */
int rte_log_set_level_regexp(const char *regex, uint32_t level);

/** @return the level of the message being logged by this thread, or -1. */
int rte_log_cur_msg_loglevel(void);

/** @return the type of the message being logged by this thread, or -1. */
int rte_log_cur_msg_logtype(void);

/**
 * Register a log type by name, or look up an existing one.
 *
 * @return the type id (>= 0), or -1 with rte_errno set on failure.
 */
int rte_log_register(const char *name);

/**
 * Register a log type and give it a level: @p level_def unless a pattern
 * given with --log-level matches the name.
 *
 * @return the type id (>= 0), or -1 on failure.
 */
int rte_log_register_type_and_pick_level(const char *name, uint32_t level_def);

/** Print the name of every registered type, one per line after @p prefix. */
void rte_log_list_types(FILE *out, const char *prefix);

/** Print every registered type and its level to @p f. */
void rte_log_dump(FILE *f);

/**
 * Write a log message.
 *
 * @return 0 on success, a negative value on error.
 */
int rte_log(uint32_t level, uint32_t logtype, const char *format, ...)
	__rte_format_printf(3, 4);

/** Like rte_log() with a va_list. */
int rte_vlog(uint32_t level, uint32_t logtype, const char *format, va_list ap)
	__rte_format_printf(3, 0);

/** Log through a fixed type: RTE_LOG(ERR, EAL, "text\n"). */
#define RTE_LOG(l, t, ...) \
	rte_log(RTE_LOG_ ## l, RTE_LOGTYPE_ ## t, # t ": " __VA_ARGS__)

/** Like RTE_LOG() but compiled out above RTE_LOG_DP_LEVEL. */
#define RTE_LOG_DP(l, t, ...) \
	(void)((RTE_LOG_ ## l <= RTE_LOG_DP_LEVEL) ? \
	       rte_log(RTE_LOG_ ## l, RTE_LOGTYPE_ ## t, # t ": " __VA_ARGS__) : 0)

/** Register @p type (an int variable) as log type @p name at @p level. */
#define RTE_LOG_REGISTER_IMPL(type, name, level) \
int type; \
RTE_INIT(__##type) \
{ \
	type = rte_log_register_type_and_pick_level(name, RTE_LOG_##level); \
	if (type < 0) \
		type = RTE_LOGTYPE_EAL; \
}

/** Register a log type with an explicit name. */
#define RTE_LOG_REGISTER(type, name, level) RTE_LOG_REGISTER_IMPL(type, RTE_STR(name), level)
/** Register a log type named after the component (RTE_LOG_DEFAULT_LOGTYPE). */
#define RTE_LOG_REGISTER_DEFAULT(type, level) \
	RTE_LOG_REGISTER_IMPL(type, RTE_STR(RTE_LOG_DEFAULT_LOGTYPE), level)
/** Register "<component>.<suffix>". */
#define RTE_LOG_REGISTER_SUFFIX(type, suffix, level) \
	RTE_LOG_REGISTER_IMPL(type, RTE_STR(RTE_LOG_DEFAULT_LOGTYPE) "." RTE_STR(suffix), level)

#ifdef __cplusplus
}
#endif

#endif /* _RTE_LOG_H_ */
