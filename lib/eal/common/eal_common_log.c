/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Log types are kept in a growable table indexed by type id. Levels given
 * with --log-level are also kept as patterns and applied when a type
 * appears later, so a library's constructor-time registration honours the
 * command line. Patterns set through the API touch existing types only,
 * as in DPDK 22.11.
 */

#include <fnmatch.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_log.h>
#include <rte_per_lcore.h>
#include <rte_spinlock.h>

#include "eal_export.h"
#include "eal_log.h"

struct log_type {
	char *name;
	uint32_t level;
};

struct log_pattern {
	char *pattern;
	bool is_regex;
	regex_t re;
	uint32_t level;
};

#define MAX_PATTERNS 32

static struct {
	FILE *file;            /* NULL: stderr */
	uint32_t level;        /* global threshold */
	struct log_type *types;
	size_t n_types;
	struct log_pattern patterns[MAX_PATTERNS];
	size_t n_patterns;
	rte_spinlock_t lock;   /* protects types and patterns */
} logs = {
	.level = RTE_LOG_DEBUG,
	.lock = RTE_SPINLOCK_INITIALIZER,
};

static RTE_DEFINE_PER_LCORE(int, log_cur_level) = -1;
static RTE_DEFINE_PER_LCORE(int, log_cur_type) = -1;

static const char *const fixed_names[RTE_LOGTYPE_FIRST_EXT_ID] = {
	[RTE_LOGTYPE_EAL] = "lib.eal",
	[RTE_LOGTYPE_MALLOC] = "lib.malloc",
	[RTE_LOGTYPE_RING] = "lib.ring",
	[RTE_LOGTYPE_MEMPOOL] = "lib.mempool",
	[RTE_LOGTYPE_TIMER] = "lib.timer",
	[RTE_LOGTYPE_PMD] = "pmd",
	[RTE_LOGTYPE_HASH] = "lib.hash",
	[RTE_LOGTYPE_LPM] = "lib.lpm",
	[RTE_LOGTYPE_KNI] = "lib.kni",
	[RTE_LOGTYPE_ACL] = "lib.acl",
	[RTE_LOGTYPE_POWER] = "lib.power",
	[RTE_LOGTYPE_METER] = "lib.meter",
	[RTE_LOGTYPE_SCHED] = "lib.sched",
	[RTE_LOGTYPE_PORT] = "lib.port",
	[RTE_LOGTYPE_TABLE] = "lib.table",
	[RTE_LOGTYPE_PIPELINE] = "lib.pipeline",
	[RTE_LOGTYPE_MBUF] = "lib.mbuf",
	[RTE_LOGTYPE_CRYPTODEV] = "lib.cryptodev",
	[RTE_LOGTYPE_EFD] = "lib.efd",
	[RTE_LOGTYPE_EVENTDEV] = "lib.eventdev",
	[RTE_LOGTYPE_GSO] = "lib.gso",
	[RTE_LOGTYPE_USER1] = "user1",
	[RTE_LOGTYPE_USER2] = "user2",
	[RTE_LOGTYPE_USER3] = "user3",
	[RTE_LOGTYPE_USER4] = "user4",
	[RTE_LOGTYPE_USER5] = "user5",
	[RTE_LOGTYPE_USER6] = "user6",
	[RTE_LOGTYPE_USER7] = "user7",
	[RTE_LOGTYPE_USER8] = "user8",
};

static bool
pattern_matches(const struct log_pattern *p, const char *name)
{
	if (p->is_regex)
		return regexec(&p->re, name, 0, NULL, 0) == 0;
	return fnmatch(p->pattern, name, 0) == 0;
}

/*
 * lock held. For a type registered after the command line was parsed the
 * first matching --log-level wins, as in 22.11 (types that existed at
 * parse time saw every option in turn, so for them the last one won).
 */
static uint32_t
level_for_name(const char *name, uint32_t def)
{
	size_t i;

	for (i = 0; i < logs.n_patterns; i++)
		if (pattern_matches(&logs.patterns[i], name))
			return logs.patterns[i].level;
	return def;
}

/* lock held; @p pick: saved --log-level patterns decide the level */
static int
add_type(const char *name, uint32_t level, bool pick)
{
	struct log_type *t;
	size_t id = logs.n_types;

	if (id < RTE_LOGTYPE_FIRST_EXT_ID)
		id = RTE_LOGTYPE_FIRST_EXT_ID;
	t = realloc(logs.types, (id + 1) * sizeof(*t));
	if (t == NULL)
		return -ENOMEM;
	memset(&t[logs.n_types], 0, (id + 1 - logs.n_types) * sizeof(*t));
	logs.types = t;
	logs.n_types = id + 1;
	t[id].name = strdup(name);
	if (t[id].name == NULL)
		return -ENOMEM;
	t[id].level = pick ? level_for_name(name, level) : level;
	return (int)id;
}

/* lock held */
static int
find_type(const char *name)
{
	size_t i;

	for (i = 0; i < logs.n_types; i++)
		if (logs.types[i].name != NULL && strcmp(logs.types[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* lock held: the fixed types exist from the first registration on */
static int
ensure_fixed_types(void)
{
	size_t i;

	if (logs.n_types >= RTE_LOGTYPE_FIRST_EXT_ID)
		return 0;
	logs.types = calloc(RTE_LOGTYPE_FIRST_EXT_ID, sizeof(*logs.types));
	if (logs.types == NULL)
		return -ENOMEM;
	logs.n_types = RTE_LOGTYPE_FIRST_EXT_ID;
	for (i = 0; i < RTE_LOGTYPE_FIRST_EXT_ID; i++) {
		logs.types[i].level = RTE_LOG_INFO;
		if (fixed_names[i] != NULL)
			logs.types[i].name = strdup(fixed_names[i]);
	}
	return 0;
}

static int
register_type(const char *name, uint32_t level, bool pick)
{
	int id;

	if (name == NULL || name[0] == '\0') {
		rte_errno = EINVAL;
		return -1;
	}
	rte_spinlock_lock(&logs.lock);
	id = ensure_fixed_types();
	if (id == 0)
		id = find_type(name);
	if (id < 0)
		id = add_type(name, level, pick);
	rte_spinlock_unlock(&logs.lock);
	if (id < 0) {
		rte_errno = -id;
		return -1;
	}
	return id;
}

RTE_EXPORT_SYMBOL(rte_log_register)
int
rte_log_register(const char *name)
{
	/* as in 22.11, only the _pick_level form honours --log-level */
	return register_type(name, RTE_LOG_INFO, false);
}

RTE_EXPORT_SYMBOL(rte_log_register_type_and_pick_level)
int
rte_log_register_type_and_pick_level(const char *name, uint32_t level_def)
{
	return register_type(name, level_def, true);
}

RTE_EXPORT_SYMBOL(rte_openlog_stream)
int
rte_openlog_stream(FILE *f)
{
	logs.file = f;
	return 0;
}

RTE_EXPORT_SYMBOL(rte_log_get_stream)
FILE *
rte_log_get_stream(void)
{
	return logs.file != NULL ? logs.file : stderr;
}

RTE_EXPORT_SYMBOL(rte_log_close)
void
rte_log_close(void)
{
	logs.file = NULL;
}

RTE_EXPORT_SYMBOL(rte_log_set_global_level)
void
rte_log_set_global_level(uint32_t level)
{
	logs.level = level;
}

RTE_EXPORT_SYMBOL(rte_log_get_global_level)
uint32_t
rte_log_get_global_level(void)
{
	return logs.level;
}

RTE_EXPORT_SYMBOL(rte_log_get_level)
int
rte_log_get_level(uint32_t type)
{
	int level = -1;

	rte_spinlock_lock(&logs.lock);
	if (ensure_fixed_types() == 0 && type < logs.n_types)
		level = (int)logs.types[type].level;
	rte_spinlock_unlock(&logs.lock);
	return level;
}

RTE_EXPORT_SYMBOL(rte_log_set_level)
int
rte_log_set_level(uint32_t type, uint32_t level)
{
	int ret = -1;

	if (level > RTE_LOG_MAX)
		return -1;
	rte_spinlock_lock(&logs.lock);
	if (ensure_fixed_types() == 0 && type < logs.n_types) {
		logs.types[type].level = level;
		ret = 0;
	}
	rte_spinlock_unlock(&logs.lock);
	return ret;
}

static void
free_pattern(struct log_pattern *p)
{
	if (p->is_regex)
		regfree(&p->re);
	free(p->pattern);
}

/*
 * Apply a pattern to the registered types; with @p keep also to those
 * registered later (--log-level). @return 0 or -1.
 */
static int
add_pattern(const char *pattern, bool is_regex, uint32_t level, bool keep)
{
	struct log_pattern p = { .is_regex = is_regex, .level = level };
	int ret = 0;
	size_t i;

	if (pattern == NULL || level > RTE_LOG_MAX)
		return -1;
	p.pattern = strdup(pattern);
	if (p.pattern == NULL)
		return -1;
	if (is_regex && regcomp(&p.re, pattern, REG_NOSUB) != 0) {
		free(p.pattern);
		return -1;
	}
	rte_spinlock_lock(&logs.lock);
	if (ensure_fixed_types() != 0 || (keep && logs.n_patterns == MAX_PATTERNS)) {
		ret = -1;
		keep = false;
	} else {
		for (i = 0; i < logs.n_types; i++)
			if (logs.types[i].name != NULL && pattern_matches(&p, logs.types[i].name))
				logs.types[i].level = level;
		if (keep)
			logs.patterns[logs.n_patterns++] = p;
	}
	rte_spinlock_unlock(&logs.lock);
	if (!keep)
		free_pattern(&p);
	return ret;
}

RTE_EXPORT_SYMBOL(rte_log_set_level_pattern)
int
rte_log_set_level_pattern(const char *pattern, uint32_t level)
{
	return add_pattern(pattern, false, level, false);
}

RTE_EXPORT_SYMBOL(rte_log_set_level_regexp)
int
rte_log_set_level_regexp(const char *regex, uint32_t level)
{
	return add_pattern(regex, true, level, false);
}

RTE_EXPORT_SYMBOL(rte_log_can_log)
bool
rte_log_can_log(uint32_t logtype, uint32_t level)
{
	int type_level;

	if (level > logs.level)
		return false;
	type_level = rte_log_get_level(logtype);
	return type_level >= 0 && level <= (uint32_t)type_level;
}

RTE_EXPORT_SYMBOL(rte_log_cur_msg_loglevel)
int
rte_log_cur_msg_loglevel(void)
{
	return RTE_PER_LCORE(log_cur_level);
}

RTE_EXPORT_SYMBOL(rte_log_cur_msg_logtype)
int
rte_log_cur_msg_logtype(void)
{
	return RTE_PER_LCORE(log_cur_type);
}

RTE_EXPORT_SYMBOL(rte_log_dump)
void
rte_log_dump(FILE *f)
{
	size_t i;

	rte_spinlock_lock(&logs.lock);
	fprintf(f, "global log level is %u\n", logs.level);
	for (i = 0; i < logs.n_types; i++)
		if (logs.types[i].name != NULL)
			fprintf(f, "id %zu: %s, level is %u\n", i, logs.types[i].name,
				logs.types[i].level);
	rte_spinlock_unlock(&logs.lock);
}

RTE_EXPORT_SYMBOL(rte_log_list_types)
void
rte_log_list_types(FILE *out, const char *prefix)
{
	size_t i;

	rte_spinlock_lock(&logs.lock);
	for (i = 0; i < logs.n_types; i++)
		if (logs.types[i].name != NULL)
			fprintf(out, "%s%s\n", prefix, logs.types[i].name);
	rte_spinlock_unlock(&logs.lock);
}

RTE_EXPORT_SYMBOL(rte_vlog)
int
rte_vlog(uint32_t level, uint32_t logtype, const char *format, va_list ap)
{
	FILE *f = rte_log_get_stream();
	int ret;

	if (!rte_log_can_log(logtype, level))
		return 0;
	RTE_PER_LCORE(log_cur_level) = (int)level;
	RTE_PER_LCORE(log_cur_type) = (int)logtype;
	/* 22.11 returns the byte count, not the 0 its header promises */
	ret = vfprintf(f, format, ap);
	fflush(f);
	return ret;
}

RTE_EXPORT_SYMBOL(rte_log)
int
rte_log(uint32_t level, uint32_t logtype, const char *format, ...)
{
	va_list ap;
	int ret;

	va_start(ap, format);
	ret = rte_vlog(level, logtype, format, ap);
	va_end(ap);
	return ret;
}

static int
parse_level(const char *s, uint32_t *level)
{
	static const char *const names[] = {
		"", "emergency", "alert", "critical", "error",
		"warning", "notice", "info", "debug",
	};
	char *end;
	unsigned long v;
	size_t i;

	for (i = 1; i < RTE_DIM(names); i++) {
		if (strcmp(s, names[i]) == 0) {
			*level = (uint32_t)i;
			return 0;
		}
	}
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || v < RTE_LOG_EMERG || v > RTE_LOG_MAX)
		return -1;
	*level = (uint32_t)v;
	return 0;
}

/*
 * "LEVEL", "GLOB:LEVEL" or "REGEX,LEVEL". As in 22.11 the first ',' makes
 * it a regular expression, else the first ':' a glob, so neither may
 * appear in the level part.
 */
int
eal_log_level_parse_arg(const char *arg)
{
	const char *sep = strchr(arg, ',');
	char pattern[256];
	uint32_t level;
	size_t len;

	if (sep == NULL)
		sep = strchr(arg, ':');
	if (sep == NULL) {
		if (parse_level(arg, &level) != 0)
			return -1;
		rte_log_set_global_level(level);
		return 0;
	}
	len = (size_t)(sep - arg);
	if (len == 0 || len >= sizeof(pattern) || parse_level(sep + 1, &level) != 0)
		return -1;
	memcpy(pattern, arg, len);
	pattern[len] = '\0';
	return add_pattern(pattern, *sep == ',', level, true);
}

int
eal_log_init(const char *id __rte_unused)
{
	int ret;

	rte_spinlock_lock(&logs.lock);
	ret = ensure_fixed_types();
	rte_spinlock_unlock(&logs.lock);
	return ret;
}
