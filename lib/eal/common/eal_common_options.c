/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The EAL command line. Parsing fills internal_config and the lcore
 * table; eal_check_common_options() then refuses combinations that cannot
 * work together. Every refusal names the option and sets rte_errno, and
 * nothing is created on disk before parsing succeeded.
 *
 * What is accepted follows DPDK 22.11 (blanks around numbers, "0x" in
 * masks, reversed ranges inside --lcores groups); where 22.11 silently
 * accepted garbage ("-n 1x", "--socket-mem=-2", a bad --log-level) we
 * refuse it, since a typo that is ignored is worse than one reported.
 */

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/io.h>
#include <sys/stat.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_memory.h>
#include <rte_string_fns.h>
#include <rte_version.h>

#include "eal_export.h"
#include "eal_internal_cfg.h"
#include "eal_log.h"
#include "eal_options.h"
#include "eal_private.h"

static const char eal_short_options[] = "a:b:c:d:hl:m:n:r:s:vS:";

static const struct option eal_long_options[] = {
	{"allow", required_argument, NULL, 'a'},
	{"base-virtaddr", required_argument, NULL, OPT_BASE_VIRTADDR_NUM},
	{"block", required_argument, NULL, 'b'},
	{"create-uio-dev", no_argument, NULL, OPT_CREATE_UIO_DEV_NUM},
	{"file-prefix", required_argument, NULL, OPT_FILE_PREFIX_NUM},
	{"help", no_argument, NULL, OPT_HELP_NUM},
	{"huge-dir", required_argument, NULL, OPT_HUGE_DIR_NUM},
	{"huge-unlink", optional_argument, NULL, OPT_HUGE_UNLINK_NUM},
	{"in-memory", no_argument, NULL, OPT_IN_MEMORY_NUM},
	{"iova-mode", required_argument, NULL, OPT_IOVA_MODE_NUM},
	{"lcores", required_argument, NULL, OPT_LCORES_NUM},
	{"legacy-mem", no_argument, NULL, OPT_LEGACY_MEM_NUM},
	{"log-level", required_argument, NULL, OPT_LOG_LEVEL_NUM},
	{"main-lcore", required_argument, NULL, OPT_MAIN_LCORE_NUM},
	{"match-allocations", no_argument, NULL, OPT_MATCH_ALLOCATIONS_NUM},
	{"mbuf-pool-ops-name", required_argument, NULL, OPT_MBUF_POOL_OPS_NAME_NUM},
	{"no-huge", no_argument, NULL, OPT_NO_HUGE_NUM},
	{"no-pci", no_argument, NULL, OPT_NO_PCI_NUM},
	{"no-shconf", no_argument, NULL, OPT_NO_SHCONF_NUM},
	{"no-telemetry", no_argument, NULL, OPT_NO_TELEMETRY_NUM},
	{"proc-type", required_argument, NULL, OPT_PROC_TYPE_NUM},
	{"single-file-segments", no_argument, NULL, OPT_SINGLE_FILE_SEGMENTS_NUM},
	{"socket-limit", required_argument, NULL, OPT_SOCKET_LIMIT_NUM},
	{"numa-limit", required_argument, NULL, OPT_SOCKET_LIMIT_NUM},
	{"socket-mem", required_argument, NULL, OPT_SOCKET_MEM_NUM},
	{"numa-mem", required_argument, NULL, OPT_SOCKET_MEM_NUM},
	{"vdev", required_argument, NULL, OPT_VDEV_NUM},
	{"vfio-intr", required_argument, NULL, OPT_VFIO_INTR_NUM},
	{"version", no_argument, NULL, OPT_VERSION_NUM},
	{"force-max-simd-bitwidth", required_argument, NULL, OPT_FORCE_MAX_SIMD_BITWIDTH_NUM},
	{"huge-worker-stack", optional_argument, NULL, OPT_HUGE_WORKER_STACK_NUM},
	{"no-hpet", no_argument, NULL, OPT_NO_HPET_NUM},
	{"syslog", required_argument, NULL, OPT_SYSLOG_NUM},
	{"telemetry", no_argument, NULL, OPT_TELEMETRY_NUM},
	{"trace", required_argument, NULL, OPT_TRACE_NUM},
	{"trace-bufsz", required_argument, NULL, OPT_TRACE_BUF_SIZE_NUM},
	{"trace-dir", required_argument, NULL, OPT_TRACE_DIR_NUM},
	{"trace-mode", required_argument, NULL, OPT_TRACE_MODE_NUM},
	{"vfio-vf-token", required_argument, NULL, OPT_VFIO_VF_TOKEN_NUM},
	{"vmware-tsc-map", no_argument, NULL, OPT_VMWARE_TSC_MAP_NUM},
	{NULL, 0, NULL, 0},
};

/*
 * Which lcores the command line asks for. order[] is the lcore's index
 * among the enabled ones (first mention first, as in 22.11), -1 when the
 * lcore is not wanted; cpus[] is the CPU set its thread will run on.
 */
struct lcore_plan {
	int order[RTE_MAX_LCORE];
	rte_cpuset_t cpus[RTE_MAX_LCORE];
	unsigned int count;
};

/* What the parser remembers between options of one command line. */
static struct {
	const char *core_opt;   /* the one of -c/-l/--lcores given, or NULL */
	bool main_lcore_given;
	bool mem_given;         /* -m, even "-m 0" (22.11 refuses it with --socket-mem) */
	bool allow_given;
	bool block_given;
	bool huge_worker_stack_given;
	enum rte_intr_mode vfio_intr; /* --vfio-intr, for rte_eal_vfio_intr_mode() */
	struct lcore_plan plan;
} ps;

static struct internal_config internal_config;

struct internal_config *
eal_get_internal_configuration(void)
{
	return &internal_config;
}

void
eal_reset_internal_config(struct internal_config *cfg)
{
	unsigned int i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->process_type = RTE_PROC_PRIMARY;
	cfg->hugepage_unlink = HUGEPAGE_UNLINK_EXISTING;
	cfg->iova_mode = RTE_IOVA_DC;
	for (i = 0; i < MAX_HUGEPAGE_SIZES; i++)
		cfg->hugepage_info[i].lock_descriptor = -1;
	memset(&ps, 0, sizeof(ps));
}

int
eal_cleanup_config(struct internal_config *cfg)
{
	free(cfg->hugefile_prefix);
	free(cfg->hugepage_dir);
	free(cfg->user_mbuf_pool_ops_name);
	cfg->hugefile_prefix = NULL;
	cfg->hugepage_dir = NULL;
	cfg->user_mbuf_pool_ops_name = NULL;
	return 0;
}

static const char *
skip_blanks(const char *p)
{
	while (isblank((unsigned char)*p))
		p++;
	return p;
}

/*
 * Decimal number at *p (leading blanks allowed, no sign), at most @p max;
 * *p is moved past it and past trailing blanks. @return 0 or -1.
 */
static int
take_uint(const char **p, unsigned long long max, unsigned long long *out)
{
	const char *s = skip_blanks(*p);
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || v > max)
		return -1;
	*out = v;
	*p = skip_blanks(end);
	return 0;
}

/* A whole argument that is one decimal number. @return 0 or -1. */
static int
parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	return take_uint(&s, max, out) == 0 && *s == '\0' ? 0 : -1;
}

/* ---- lcores: -c, -l, --lcores ---- */

static void
plan_reset(struct lcore_plan *plan)
{
	unsigned int i;

	for (i = 0; i < RTE_MAX_LCORE; i++) {
		plan->order[i] = -1;
		CPU_ZERO(&plan->cpus[i]);
	}
	plan->count = 0;
}

static void
plan_set(struct lcore_plan *plan, unsigned int lcore, const rte_cpuset_t *cpus)
{
	if (plan->order[lcore] < 0)
		plan->order[lcore] = (int)plan->count++;
	plan->cpus[lcore] = *cpus;
}

/* lcore @p lcore on the CPU of the same number, which must exist */
static int
plan_set_own_cpu(struct lcore_plan *plan, unsigned int lcore)
{
	rte_cpuset_t cpus;

	if (!eal_cpu_detected(lcore)) {
		EAL_LOG(ERR, "lcore %u unavailable: no such CPU", lcore);
		return -1;
	}
	CPU_ZERO(&cpus);
	CPU_SET(lcore, &cpus);
	plan_set(plan, lcore, &cpus);
	return 0;
}

/* -l "0-3,5": ascending ranges; empty fields are skipped but not a trailing comma */
static int
parse_corelist(const char *arg, struct lcore_plan *plan)
{
	const char *p = arg;
	unsigned long long lo, hi, i;

	for (;;) {
		while (*p == ',' || isblank((unsigned char)*p))
			p++;
		if (take_uint(&p, RTE_MAX_LCORE - 1, &lo) != 0)
			return -1;
		hi = lo;
		if (*p == '-') {
			p++;
			if (take_uint(&p, RTE_MAX_LCORE - 1, &hi) != 0 || hi < lo)
				return -1;
		}
		for (i = lo; i <= hi; i++)
			if (plan_set_own_cpu(plan, (unsigned int)i) != 0)
				return -1;
		if (*p == '\0')
			return 0;
		if (*p++ != ',')
			return -1;
	}
}

static int
hex_value(int c)
{
	if (isdigit(c))
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

RTE_EXPORT_SYMBOL(rte_eal_parse_coremask)
int
rte_eal_parse_coremask(const char *coremask, int *cores)
{
	const char *s = skip_blanks(coremask);
	int i, bit, n = 0;
	size_t len;

	for (i = 0; i < RTE_MAX_LCORE; i++)
		cores[i] = -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	len = strlen(s);
	while (len > 0 && isblank((unsigned char)s[len - 1]))
		len--;
	/* lowest bits are at the end of the string */
	for (i = (int)len - 1, bit = 0; i >= 0; i--, bit += 4) {
		int v = hex_value((unsigned char)s[i]), j;

		if (v < 0)
			return -1;
		for (j = 0; j < 4; j++) {
			if (!(v & (1 << j)))
				continue;
			if (bit + j >= RTE_MAX_LCORE)
				return -1;
			cores[bit + j] = n++;
		}
	}
	return n > 0 ? 0 : -1;
}

static int
parse_coremask(const char *arg, struct lcore_plan *plan)
{
	int cores[RTE_MAX_LCORE];
	unsigned int i;

	if (rte_eal_parse_coremask(arg, cores) != 0)
		return -1;
	for (i = 0; i < RTE_MAX_LCORE; i++)
		if (cores[i] >= 0 && plan_set_own_cpu(plan, i) != 0)
			return -1;
	return 0;
}

/*
 * One id set of --lcores at *p: "N", "A-B" or "(N,A-B,...)"; a range may
 * run downwards. Ids go to @p ids (bool[@p max + 1]); *p moves past it.
 */
static int
take_id_group(const char **p, unsigned int max, bool *ids)
{
	const char *s = skip_blanks(*p);
	bool paren = *s == '(';
	unsigned long long lo, hi, i;

	memset(ids, 0, sizeof(bool) * (max + 1));
	if (paren)
		s++;
	for (;;) {
		if (take_uint(&s, max, &lo) != 0)
			return -1;
		hi = lo;
		if (*s == '-') {
			s++;
			if (take_uint(&s, max, &hi) != 0)
				return -1;
		}
		for (i = RTE_MIN(lo, hi); i <= RTE_MAX(lo, hi); i++)
			ids[i] = true;
		if (!paren || *s != ',')
			break;
		s++;
	}
	if (paren && *s++ != ')')
		return -1;
	*p = skip_blanks(s);
	return 0;
}

/* "(0-1)@(2,3)": every listed lcore runs on the whole CPU set */
static int
plan_set_group(struct lcore_plan *plan, const bool *lcores, const bool *cpu_ids)
{
	rte_cpuset_t cpus;
	unsigned int i;

	CPU_ZERO(&cpus);
	for (i = 0; i < RTE_MAX_LCORE; i++) {
		if (!cpu_ids[i])
			continue;
		if (!eal_cpu_detected(i)) {
			EAL_LOG(ERR, "CPU %u unavailable", i);
			return -1;
		}
		CPU_SET(i, &cpus);
	}
	for (i = 0; i < RTE_MAX_LCORE; i++)
		if (lcores[i])
			plan_set(plan, i, &cpus);
	return 0;
}

/*
 * --lcores: comma separated elements "LCORES[@CPUS]", both sides an id
 * group. Without "@" each lcore runs on its own CPU. An lcore named twice
 * keeps its first index and its last CPU set.
 */
static int
parse_lcores(const char *arg, struct lcore_plan *plan)
{
	static bool lcores[RTE_MAX_LCORE], cpu_ids[RTE_MAX_LCORE];
	const char *p = arg;
	unsigned int i;

	for (;;) {
		if (take_id_group(&p, RTE_MAX_LCORE - 1, lcores) != 0)
			return -1;
		if (*p == '@') {
			p++;
			if (take_id_group(&p, RTE_MAX_LCORE - 1, cpu_ids) != 0 ||
			    plan_set_group(plan, lcores, cpu_ids) != 0)
				return -1;
		} else {
			for (i = 0; i < RTE_MAX_LCORE; i++)
				if (lcores[i] && plan_set_own_cpu(plan, i) != 0)
					return -1;
		}
		if (*p == '\0')
			return 0;
		if (*p++ != ',')
			return -1;
	}
}

static int
parse_core_option(int opt, const char *name, const char *arg)
{
	if (ps.core_opt != NULL) {
		EAL_LOG(ERR, "Option %s cannot be used together with %s (or given twice)",
			name, ps.core_opt);
		return -1;
	}
	ps.core_opt = name;
	plan_reset(&ps.plan);
	switch (opt) {
	case 'c':
		return parse_coremask(arg, &ps.plan);
	case 'l':
		return parse_corelist(arg, &ps.plan);
	default:
		return parse_lcores(arg, &ps.plan);
	}
}

unsigned int
eal_cpuset_socket_id(const rte_cpuset_t *cpus)
{
	unsigned int cpu, socket = (unsigned int)SOCKET_ID_ANY;
	bool first = true;

	for (cpu = 0; cpu < RTE_MAX_LCORE; cpu++) {
		if (!CPU_ISSET(cpu, cpus))
			continue;
		if (first)
			socket = eal_cpu_socket_id(cpu);
		else if (eal_cpu_socket_id(cpu) != socket)
			return (unsigned int)SOCKET_ID_ANY;
		first = false;
	}
	return socket;
}

static void
apply_lcore_plan(const struct lcore_plan *plan)
{
	struct rte_config *config = rte_eal_get_configuration();
	unsigned int i;

	for (i = 0; i < RTE_MAX_LCORE; i++) {
		lcore_config[i].core_index = plan->order[i];
		if (plan->order[i] < 0) {
			config->lcore_role[i] = ROLE_OFF;
			lcore_config[i].core_role = ROLE_OFF;
			continue;
		}
		config->lcore_role[i] = ROLE_RTE;
		lcore_config[i].core_role = ROLE_RTE;
		lcore_config[i].cpuset = plan->cpus[i];
		lcore_config[i].socket_id = eal_cpuset_socket_id(&plan->cpus[i]);
	}
	config->lcore_count = plan->count;
}

static int
finish_lcores(void)
{
	struct rte_config *config = rte_eal_get_configuration();
	unsigned int i;

	if (ps.core_opt != NULL)
		apply_lcore_plan(&ps.plan);
	if (!ps.main_lcore_given) {
		for (i = 0; i < RTE_MAX_LCORE; i++)
			if (config->lcore_role[i] == ROLE_RTE)
				break;
		config->main_lcore = i;
	}
	if (config->main_lcore >= RTE_MAX_LCORE ||
	    config->lcore_role[config->main_lcore] != ROLE_RTE) {
		EAL_LOG(ERR, "Main lcore %u is not among the enabled lcores (--main-lcore)",
			config->main_lcore);
		return -1;
	}
	return 0;
}

static int
parse_main_lcore(const char *arg)
{
	const char *s = skip_blanks(arg);
	char *end;
	long v;

	/* 22.11 takes any strtol base: "0x1" is lcore 1 */
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 0);
	if (errno != 0 || *end != '\0' || v < 0 || v >= RTE_MAX_LCORE)
		return -1;
	rte_eal_get_configuration()->main_lcore = (uint32_t)v;
	ps.main_lcore_given = true;
	return 0;
}

/* ---- memory options ---- */

/*
 * "--socket-mem 1024,0" (MB per socket, index = socket id): at most
 * RTE_MAX_NUMA_NODES decimal fields, none empty, no trailing comma. All
 * zeros is fine (19.02+: "nothing pinned" / "no limit"). Values that name
 * a socket without memory are kept: memory init refuses them.
 */
static int
parse_socket_values(const char *arg, volatile uint64_t *out)
{
	uint64_t vals[RTE_MAX_NUMA_NODES] = {0};
	const char *p = arg;
	unsigned long long v;
	unsigned int n = 0, i;

	for (;;) {
		if (n == RTE_MAX_NUMA_NODES) {
			EAL_LOG(ERR, "More than %d sockets given", RTE_MAX_NUMA_NODES);
			return -1;
		}
		if (take_uint(&p, UINT64_MAX >> 20, &v) != 0)
			return -1;
		vals[n++] = (uint64_t)v << 20;
		if (*p == '\0')
			break;
		if (*p++ != ',')
			return -1;
	}
	for (i = 0; i < RTE_MAX_NUMA_NODES; i++)
		out[i] = vals[i];
	return 0;
}

static int
parse_memory(const char *arg, struct internal_config *cfg)
{
	unsigned long long mb;

	/* "-m 0" is "no preallocation", as in 22.11 */
	if (parse_uint(arg, SIZE_MAX >> 20, &mb) != 0)
		return -1;
	cfg->memory = (size_t)mb << 20;
	ps.mem_given = true;
	return 0;
}

static int
parse_huge_unlink(const char *arg, struct internal_config *cfg)
{
	cfg->hugepage_unlink_given = true;
	if (arg == NULL || strcmp(arg, "always") == 0)
		cfg->hugepage_unlink = HUGEPAGE_UNLINK_ALWAYS;
	else if (strcmp(arg, "existing") == 0)
		cfg->hugepage_unlink = HUGEPAGE_UNLINK_EXISTING;
	else if (strcmp(arg, "never") == 0)
		cfg->hugepage_unlink = HUGEPAGE_UNLINK_NEVER;
	else
		return -1;
	return 0;
}

static int
parse_base_virtaddr(const char *arg, struct internal_config *cfg)
{
	const char *s = skip_blanks(arg);
	unsigned long long addr;
	char *end;

	if (!isxdigit((unsigned char)*s))
		return -1;
	errno = 0;
	addr = strtoull(s, &end, 16);
	if (errno != 0 || *end != '\0' || addr > UINTPTR_MAX - RTE_PGSIZE_16M)
		return -1;
	/* aligned for the largest page size we might map; 0 keeps the default */
	cfg->base_virtaddr = RTE_ALIGN_CEIL((uintptr_t)addr, (uintptr_t)RTE_PGSIZE_16M);
	return 0;
}

/* ---- process, files, devices ---- */

static int
parse_proc_type(const char *arg, struct internal_config *cfg)
{
	/* case does not matter, as in 22.11 */
	if (strcasecmp(arg, "primary") == 0)
		cfg->process_type = RTE_PROC_PRIMARY;
	else if (strcasecmp(arg, "secondary") == 0)
		cfg->process_type = RTE_PROC_SECONDARY;
	else if (strcasecmp(arg, "auto") == 0)
		cfg->process_type = RTE_PROC_AUTO;
	else
		return -1;
	return 0;
}

static int
parse_iova_mode(const char *arg, struct internal_config *cfg)
{
	if (strcmp(arg, "pa") == 0)
		cfg->iova_mode = RTE_IOVA_PA;
	else if (strcmp(arg, "va") == 0)
		cfg->iova_mode = RTE_IOVA_VA;
	else
		return -1;
	return 0;
}

static int
set_string(char **dst, const char *arg)
{
	char *copy;

	if (arg[0] == '\0')
		return -1;
	copy = strdup(arg);
	if (copy == NULL) {
		EAL_LOG(ERR, "Out of memory while parsing options");
		return -1;
	}
	free(*dst);
	*dst = copy;
	return 0;
}

/* The prefix names a directory and the page files: keep it a plain name. */
static int
parse_file_prefix(const char *arg, struct internal_config *cfg)
{
	if (arg[0] == '\0' || strchr(arg, '%') != NULL || strchr(arg, '/') != NULL ||
	    strcmp(arg, ".") == 0 || strcmp(arg, "..") == 0 || strlen(arg) > NAME_MAX - 32) {
		EAL_LOG(ERR, "--file-prefix must be a non-empty file name of at most %d "
			"characters, without '%%' or '/'", NAME_MAX - 32);
		return -1;
	}
	return set_string(&cfg->hugefile_prefix, arg);
}

/* one hex field of a PCI address, at most @p max; *p moves past it */
static int
take_hex(const char **p, unsigned long max, unsigned long *out)
{
	const char *s = *p;
	unsigned long v = 0;

	if (hex_value((unsigned char)*s) < 0)
		return -1;
	while (hex_value((unsigned char)*s) >= 0) {
		v = v * 16 + (unsigned long)hex_value((unsigned char)*s++);
		if (v > max)
			return -1;
	}
	*out = v;
	*p = s;
	return 0;
}

/*
 * -a/-b: "[domain:]bus:device.function" (hex) optionally followed by
 * ",devargs". This EAL has no other bus, so nothing else is a device.
 */
static int
check_pci_addr(const char *arg)
{
	unsigned long f1, f2, dev, fn;
	const char *p = arg;

	if (take_hex(&p, UINT32_MAX, &f1) != 0 || *p++ != ':' ||
	    take_hex(&p, UINT32_MAX, &f2) != 0)
		return -1;
	if (*p == ':') {
		/* f1 was the domain, f2 the bus */
		p++;
		if (f2 > 0xff || take_hex(&p, 0x1f, &dev) != 0)
			return -1;
	} else {
		if (f1 > 0xff || f2 > 0x1f)
			return -1;
	}
	if (*p++ != '.' || take_hex(&p, 0x7, &fn) != 0)
		return -1;
	return *p == '\0' || *p == ',' ? 0 : -1;
}

static int
check_driver_path(const char *arg)
{
	struct stat st;

	if (stat(arg, &st) != 0) {
		EAL_LOG(ERR, "Driver path '%s' not found", arg);
		return -1;
	}
	EAL_LOG(WARNING, "Driver plugins are not supported; '%s' is not loaded", arg);
	return 0;
}

static int
parse_vfio_intr(const char *arg)
{
	if (strcmp(arg, "legacy") == 0)
		ps.vfio_intr = RTE_INTR_MODE_LEGACY;
	else if (strcmp(arg, "msi") == 0)
		ps.vfio_intr = RTE_INTR_MODE_MSI;
	else if (strcmp(arg, "msix") == 0)
		ps.vfio_intr = RTE_INTR_MODE_MSIX;
	else
		return -1;
	return 0;
}

RTE_EXPORT_SYMBOL(rte_eal_vfio_intr_mode)
enum rte_intr_mode
rte_eal_vfio_intr_mode(void)
{
	return ps.vfio_intr;
}

RTE_EXPORT_SYMBOL(rte_eal_create_uio_dev)
int
rte_eal_create_uio_dev(void)
{
	return (int)internal_config.create_uio_dev;
}

/* not an option, but like the two above a fact the EAL only reports */
RTE_EXPORT_SYMBOL(rte_eal_iopl_init)
int
rte_eal_iopl_init(void)
{
	return iopl(3) == 0 ? 0 : -1;
}

/* ---- options 22.11 has and this EAL only checks ---- */

static int
parse_syslog(const char *arg, struct internal_config *cfg)
{
	static const char *const names[] = {
		"auth", "cron", "daemon", "ftp", "kern", "lpr", "mail", "news", "syslog",
		"user", "uucp", "local0", "local1", "local2", "local3", "local4", "local5",
		"local6", "local7",
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(names); i++) {
		if (strcmp(arg, names[i]) == 0) {
			cfg->syslog_facility = (int)i;
			return 0;
		}
	}
	return -1;
}

/* 22.11: a power of two from 64 (vectors off) to 32768 */
static int
parse_simd_bitwidth(const char *arg)
{
	unsigned long long v;

	if (parse_uint(arg, 32768, &v) != 0 || v < 64 || !rte_is_power_of_2((uint32_t)v))
		return -1;
	return 0;
}

static int
parse_huge_worker_stack(const char *arg, struct internal_config *cfg)
{
	unsigned long long kb = 0;

	if (arg != NULL && parse_uint(arg, SIZE_MAX >> 10, &kb) != 0)
		return -1;
	ps.huge_worker_stack_given = true;
	cfg->huge_worker_stack_size = kb << 10;
	EAL_LOG(WARNING, "--huge-worker-stack is not supported: worker stacks stay normal");
	return 0;
}

/* a UUID: 8-4-4-4-12 hexadecimal digits */
static int
check_uuid(const char *arg)
{
	static const unsigned int groups[] = { 8, 4, 4, 4, 12 };
	unsigned int g, i;

	for (g = 0; g < RTE_DIM(groups); g++) {
		for (i = 0; i < groups[g]; i++)
			if (hex_value((unsigned char)*arg++) < 0)
				return -1;
		if (*arg != (g + 1 < RTE_DIM(groups) ? '-' : '\0'))
			return -1;
		arg++;
	}
	return 0;
}

/* --trace* are checked like 22.11 does, then ignored with one warning */
static int
parse_trace_option(int opt, const char *arg)
{
	static bool warned;
	uint64_t size;

	switch (opt) {
	case OPT_TRACE_BUF_SIZE_NUM:
		size = rte_str_to_size(arg);
		if (size == 0)
			return -1;
		break;
	case OPT_TRACE_MODE_NUM:
		if (strcmp(arg, "o") != 0 && strcmp(arg, "overwrite") != 0 &&
		    strcmp(arg, "d") != 0 && strcmp(arg, "discard") != 0)
			return -1;
		break;
	default:
		if (arg[0] == '\0')
			return -1;
		break;
	}
	if (!warned)
		EAL_LOG(WARNING, "Tracing is not supported: --trace options are ignored");
	warned = true;
	return 0;
}

static int
parse_compat_option(int opt, const char *arg, struct internal_config *cfg)
{
	switch (opt) {
	case 's':
	case 'S':
		EAL_LOG(ERR, "Service cores are not supported");
		return -1;
	case OPT_FORCE_MAX_SIMD_BITWIDTH_NUM:
		return parse_simd_bitwidth(arg);
	case OPT_HUGE_WORKER_STACK_NUM:
		return parse_huge_worker_stack(arg, cfg);
	case OPT_NO_HPET_NUM:
		cfg->no_hpet = 1;
		return 0;
	case OPT_SYSLOG_NUM:
		return parse_syslog(arg, cfg);
	case OPT_TELEMETRY_NUM:
		cfg->no_telemetry = 0;
		return 0;
	case OPT_VFIO_VF_TOKEN_NUM:
		return check_uuid(arg);
	case OPT_VMWARE_TSC_MAP_NUM:
		cfg->vmware_tsc_map = 1;
		return 0;
	default:
		return parse_trace_option(opt, arg);
	}
}

/* ---- the option loop ---- */

static const char *
option_name(int opt, char *buf, size_t len)
{
	const struct option *o;

	for (o = eal_long_options; o->name != NULL; o++) {
		if (o->val == opt) {
			snprintf(buf, len, "--%s", o->name);
			return buf;
		}
	}
	snprintf(buf, len, "-%c", opt);
	return buf;
}

/* @return 0, or -1 for a bad argument (the caller logs the option) */
static int
parse_one(int opt, const char *name, const char *arg, struct internal_config *cfg)
{
	unsigned long long v;

	switch (opt) {
	case 'c':
	case 'l':
	case OPT_LCORES_NUM:
		return parse_core_option(opt, name, arg);
	case OPT_MAIN_LCORE_NUM:
		return parse_main_lcore(arg);
	case 'm':
		return parse_memory(arg, cfg);
	case 'n':
		if (parse_uint(arg, UINT32_MAX, &v) != 0 || v == 0)
			return -1;
		cfg->force_nchannel = (unsigned int)v;
		return 0;
	case 'r':
		if (parse_uint(arg, 16, &v) != 0 || v == 0)
			return -1;
		cfg->force_nrank = (unsigned int)v;
		return 0;
	case 'a':
		ps.allow_given = true;
		return check_pci_addr(arg);
	case 'b':
		ps.block_given = true;
		return check_pci_addr(arg);
	case 'd':
		return check_driver_path(arg);
	case 'v':
	case OPT_VERSION_NUM:
		EAL_LOG(INFO, "RTE Version: '%s'", rte_version());
		return 0;
	case OPT_BASE_VIRTADDR_NUM:
		return parse_base_virtaddr(arg, cfg);
	case OPT_CREATE_UIO_DEV_NUM:
		cfg->create_uio_dev = 1;
		return 0;
	case OPT_FILE_PREFIX_NUM:
		return parse_file_prefix(arg, cfg);
	case OPT_HUGE_DIR_NUM:
		return set_string(&cfg->hugepage_dir, arg);
	case OPT_HUGE_UNLINK_NUM:
		return parse_huge_unlink(arg, cfg);
	case OPT_IN_MEMORY_NUM:
		/* in-memory implies no shared files at all */
		cfg->in_memory = 1;
		cfg->no_shconf = 1;
		return 0;
	case OPT_IOVA_MODE_NUM:
		return parse_iova_mode(arg, cfg);
	case OPT_LEGACY_MEM_NUM:
		cfg->legacy_mem = 1;
		return 0;
	case OPT_LOG_LEVEL_NUM:
		if (strcmp(arg, "help") == 0) {
			/* as 22.11: list the types and their levels, then stop */
			rte_log_dump(stdout);
			exit(EXIT_SUCCESS);
		}
		return eal_log_level_parse_arg(arg);
	case OPT_MATCH_ALLOCATIONS_NUM:
		cfg->match_allocations = 1;
		return 0;
	case OPT_MBUF_POOL_OPS_NAME_NUM:
		return set_string(&cfg->user_mbuf_pool_ops_name, arg);
	case OPT_NO_HUGE_NUM:
		cfg->no_hugetlbfs = 1;
		return 0;
	case OPT_NO_PCI_NUM:
		cfg->no_pci = 1;
		return 0;
	case OPT_NO_SHCONF_NUM:
		cfg->no_shconf = 1;
		return 0;
	case OPT_NO_TELEMETRY_NUM:
		cfg->no_telemetry = 1;
		return 0;
	case OPT_PROC_TYPE_NUM:
		return parse_proc_type(arg, cfg);
	case OPT_SINGLE_FILE_SEGMENTS_NUM:
		cfg->single_file_segments = 1;
		return 0;
	case OPT_SOCKET_LIMIT_NUM:
		cfg->force_socket_limits = 1;
		return parse_socket_values(arg, cfg->socket_limit);
	case OPT_SOCKET_MEM_NUM:
		cfg->force_sockets = 1;
		return parse_socket_values(arg, cfg->socket_mem);
	case OPT_VDEV_NUM:
		/* no virtual device bus here: accept the name, probe nothing */
		return arg[0] != '\0' ? 0 : -1;
	case OPT_VFIO_INTR_NUM:
		return parse_vfio_intr(arg);
	default:
		return parse_compat_option(opt, arg, cfg);
	}
}

static void
usage_and_hook(const char *prgname)
{
	rte_usage_hook_t hook = rte_set_application_usage_hook(NULL);

	rte_set_application_usage_hook(hook);
	eal_usage(prgname);
	if (hook != NULL)
		hook(prgname);
}

/* @return the number of arguments consumed, or -1 with rte_errno EINVAL */
static int
parse_all(int argc, char **argv, struct internal_config *cfg)
{
	const char *prgname = argc > 0 ? argv[0] : "dpdk";
	int opt, option_index;
	char name[32];

	while ((opt = getopt_long(argc, argv, eal_short_options, eal_long_options,
			&option_index)) != EOF) {
		if (opt == '?' || opt == ':') {
			EAL_LOG(ERR, "Unknown option or missing argument: '%s'", argv[optind - 1]);
			usage_and_hook(prgname);
			return -1;
		}
		if (opt == 'h' || opt == OPT_HELP_NUM) {
			usage_and_hook(prgname);
			exit(EXIT_SUCCESS);
		}
		option_name(opt, name, sizeof(name));
		if (parse_one(opt, name, optarg, cfg) != 0) {
			EAL_LOG(ERR, "Invalid argument for option %s: '%s'", name,
				optarg != NULL ? optarg : "");
			return -1;
		}
	}
	if (finish_lcores() != 0 || eal_check_common_options(cfg) != 0)
		return -1;
	if (argc == 0)
		return 0;
	/* the application's arguments start after ours, with the program name */
	argv[optind - 1] = RTE_PTR_UNQUAL(prgname);
	return optind - 1;
}

int
eal_parse_args(int argc, char **argv)
{
	int saved_opterr = opterr;
	int ret;

	plan_reset(&ps.plan);
	/* glibc: 0 restarts getopt fully, also after a half-parsed "-ab" cluster */
	optind = 0;
	opterr = 0;
	ret = parse_all(argc, argv, &internal_config);
	/* leave getopt as the application expects it */
	opterr = saved_opterr;
	optind = 1;
	if (ret < 0)
		rte_errno = EINVAL;
	return ret;
}

#define REFUSE_IF(cond, ...) do { \
	if (cond) { \
		EAL_LOG(ERR, __VA_ARGS__); \
		return -1; \
	} \
} while (0)

/*
 * Combinations that cannot work. --no-huge is legacy memory as far as
 * these rules go (as in 22.11): everything is mapped at init.
 */
int
eal_check_common_options(const struct internal_config *cfg)
{
	bool unlink_always = cfg->hugepage_unlink == HUGEPAGE_UNLINK_ALWAYS;
	bool legacy = cfg->legacy_mem || cfg->no_hugetlbfs;

	REFUSE_IF(ps.mem_given && cfg->force_sockets,
		"Options -m and --socket-mem cannot be specified at the same time");
	REFUSE_IF(cfg->no_hugetlbfs && cfg->force_sockets,
		"Option --socket-mem cannot be specified together with --no-huge");
	REFUSE_IF(cfg->no_hugetlbfs && unlink_always && !cfg->in_memory,
		"Option --huge-unlink cannot be specified together with --no-huge");
	REFUSE_IF(cfg->single_file_segments && unlink_always && !cfg->in_memory,
		"Option --single-file-segments is not compatible with --huge-unlink");
	REFUSE_IF(cfg->in_memory && cfg->hugepage_unlink == HUGEPAGE_UNLINK_NEVER,
		"Option --in-memory is not compatible with --huge-unlink=never");
	REFUSE_IF(cfg->in_memory && legacy,
		"Option --in-memory is not compatible with %s",
		cfg->legacy_mem ? "--legacy-mem" : "--no-huge");
	REFUSE_IF(cfg->match_allocations && legacy,
		"Option --match-allocations is not compatible with %s",
		cfg->legacy_mem ? "--legacy-mem" : "--no-huge");
	REFUSE_IF(cfg->process_type == RTE_PROC_SECONDARY && cfg->no_shconf,
		"Option --proc-type=secondary is not compatible with %s",
		cfg->in_memory ? "--in-memory" : "--no-shconf");
	REFUSE_IF(ps.allow_given && ps.block_given,
		"Options allow (-a) and block (-b) cannot be used at the same time");
	REFUSE_IF(cfg->no_hugetlbfs && ps.huge_worker_stack_given,
		"Option --huge-worker-stack cannot be specified together with --no-huge");
	/* 22.11 only warns here: the limit is simply not enforced */
	if (cfg->force_socket_limits && legacy)
		EAL_LOG(ERR, "Option --socket-limit is only supported in non-legacy memory mode; "
			"ignored");
	return 0;
}

void
eal_usage(const char *prgname)
{
	printf("\nUsage: %s [options]\n\n"
	       "EAL common options:\n"
	       "  -c COREMASK         Hexadecimal bitmask of lcores to run on\n"
	       "  -l CORELIST         List of lcores to run on (e.g. 0-3,5)\n"
	       "  --lcores MAP        lcore to CPU map, e.g. 0-3,4@5,(6,7)@(0-1)\n"
	       "                      (-c, -l and --lcores exclude each other)\n"
	       "  --main-lcore ID     lcore used as main\n"
	       "  -n CHANNELS         Number of memory channels\n"
	       "  -r RANKS            Number of memory ranks (1-16)\n"
	       "  -m MB               Memory to preallocate at startup\n"
	       "  -a, --allow PCI     Add a PCI device to the allow list\n"
	       "  -b, --block PCI     Add a PCI device to the block list\n"
	       "  --vdev DEV          Add a virtual device (accepted, not probed)\n"
	       "  -d PATH             Driver plugin (not supported: warns)\n"
	       "  --proc-type TYPE    primary|secondary|auto\n"
	       "  --file-prefix NAME  Prefix of hugepage files and runtime dir\n"
	       "  --base-virtaddr HEX Base virtual address of memory reservations\n"
	       "  --iova-mode MODE    pa|va\n"
	       "  --log-level LEVEL   LEVEL, GLOB:LEVEL or REGEX,LEVEL\n"
	       "  --no-pci            Disable PCI\n"
	       "  --no-huge           Use anonymous 4K memory instead of hugepages\n"
	       "  --no-shconf         No shared files (no secondary processes)\n"
	       "  --in-memory         No files at all, hugepages through memfd\n"
	       "  --huge-dir DIR      Use only this hugetlbfs mount\n"
	       "  --huge-unlink[=existing|always|never]\n"
	       "                      When to unlink hugepage files\n"
	       "  --socket-mem MB,..  Memory to preallocate per socket\n"
	       "  --socket-limit MB,..Cap of memory per socket (0 = no cap)\n"
	       "  --legacy-mem        Map all hugepages at init, never free\n"
	       "  --single-file-segments\n"
	       "                      One hugepage file per memseg list\n"
	       "  --match-allocations Free hugepages only as they were allocated\n"
	       "  --vfio-intr MODE    legacy|msi|msix\n"
	       "  --create-uio-dev    Create /dev/uioX (reported, not acted on)\n"
	       "  --syslog FACILITY, --no-hpet, --vmware-tsc-map, --telemetry,\n"
	       "  --force-max-simd-bitwidth N, --vfio-vf-token UUID, --trace*,\n"
	       "  --huge-worker-stack[=KB]\n"
	       "                      Accepted as in DPDK 22.11, checked, not acted on\n"
	       "  -h, --help          This help\n"
	       "  -v, --version       Print the version\n\n", prgname);
}
