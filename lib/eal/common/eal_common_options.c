/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The EAL command line. Parsing fills internal_config and the lcore
 * table; eal_check_common_options() then refuses combinations that cannot
 * work together. Every refusal names the option and sets rte_errno, and
 * nothing is created on disk before parsing succeeded.
 */

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const char eal_short_options[] = "a:b:c:d:hl:m:n:r:v";

static const struct option eal_long_options[] = {
	{"allow", required_argument, NULL, 'a'},
	{"base-virtaddr", required_argument, NULL, OPT_BASE_VIRTADDR_NUM},
	{"block", required_argument, NULL, 'b'},
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
	{NULL, 0, NULL, 0},
};

static struct internal_config internal_config;
static int main_lcore_given;
static int lcores_given;
static int allow_given, block_given;

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
	main_lcore_given = 0;
	lcores_given = 0;
	allow_given = 0;
	block_given = 0;
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

/* strict unsigned decimal; @return 0 or -1 */
static int
parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || !isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Mark the lcores in @p set enabled (each on its own CPU), all others off. */
static void
apply_lcore_set(const bool *set)
{
	struct rte_config *config = rte_eal_get_configuration();
	unsigned int i, count = 0;

	for (i = 0; i < RTE_MAX_LCORE; i++) {
		if (!set[i]) {
			config->lcore_role[i] = ROLE_OFF;
			lcore_config[i].core_index = -1;
			continue;
		}
		config->lcore_role[i] = ROLE_RTE;
		lcore_config[i].core_index = (int)count++;
		CPU_ZERO(&lcore_config[i].cpuset);
		CPU_SET(i, &lcore_config[i].cpuset);
		lcore_config[i].socket_id = eal_cpu_socket_id(i);
	}
	config->lcore_count = count;
}

/* "0-3,5" -> set; @return 0 or -1 */
static int
parse_corelist(const char *list, bool *set)
{
	const char *p = list;

	memset(set, 0, sizeof(bool) * RTE_MAX_LCORE);
	if (*p == '\0')
		return -1;
	while (*p != '\0') {
		char *end;
		unsigned long lo, hi, i;

		if (!isdigit((unsigned char)*p))
			return -1;
		lo = strtoul(p, &end, 10);
		hi = lo;
		if (*end == '-') {
			p = end + 1;
			if (!isdigit((unsigned char)*p))
				return -1;
			hi = strtoul(p, &end, 10);
		}
		if (lo > hi || hi >= RTE_MAX_LCORE)
			return -1;
		for (i = lo; i <= hi; i++)
			set[i] = true;
		if (*end == ',' && end[1] != '\0')
			end++;
		else if (*end != '\0')
			return -1;
		p = end;
	}
	return 0;
}

static int
check_lcores_detected(const bool *set)
{
	unsigned int i, n = 0;

	for (i = 0; i < RTE_MAX_LCORE; i++) {
		if (!set[i])
			continue;
		if (!eal_cpu_detected(i)) {
			EAL_LOG(ERR, "lcore %u unavailable", i);
			return -1;
		}
		n++;
	}
	return n > 0 ? 0 : -1;
}

static int
parse_coremask_to_set(const char *mask, bool *set)
{
	int cores[RTE_MAX_LCORE];
	unsigned int i;

	if (rte_eal_parse_coremask(mask, cores) != 0)
		return -1;
	for (i = 0; i < RTE_MAX_LCORE; i++)
		set[i] = cores[i] >= 0;
	return 0;
}

RTE_EXPORT_SYMBOL(rte_eal_parse_coremask)
int
rte_eal_parse_coremask(const char *coremask, int *cores)
{
	size_t len;
	int idx = 0, i, j, order = 0;

	for (i = 0; i < RTE_MAX_LCORE; i++)
		cores[i] = -1;
	while (isblank((unsigned char)*coremask))
		coremask++;
	if (coremask[0] == '0' && (coremask[1] == 'x' || coremask[1] == 'X'))
		coremask += 2;
	len = strlen(coremask);
	while (len > 0 && isblank((unsigned char)coremask[len - 1]))
		len--;
	if (len == 0)
		return -1;
	for (i = (int)len - 1; i >= 0; i--, idx += 4) {
		int c = coremask[i], val;

		if (!isxdigit(c))
			return -1;
		val = isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
		for (j = 0; j < 4; j++) {
			if (!(val & (1 << j)))
				continue;
			if (idx + j >= RTE_MAX_LCORE)
				return -1;
			cores[idx + j] = order++;
		}
	}
	return order > 0 ? 0 : -1;
}

/* "--lcores" subset: comma-separated lcore ids or ranges, each optionally
 * "@cpu" or "@(cpus)", and "(lcores)@(cpus)" groups. */
static int
parse_lcores(const char *arg, bool *set)
{
	char buf[1024];
	char *p, *save = NULL, *tok;

	if (strlen(arg) >= sizeof(buf))
		return -1;
	/* split on commas outside parentheses */
	strcpy(buf, arg);
	memset(set, 0, sizeof(bool) * RTE_MAX_LCORE);
	for (p = buf; *p != '\0'; p++) {
		if (*p == '(') {
			char *close = strchr(p, ')');

			if (close == NULL)
				return -1;
			for (; p < close; p++)
				if (*p == ',')
					*p = ';';
		}
	}
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		char *at = strchr(tok, '@');
		char ids[512], *q;
		bool group[RTE_MAX_LCORE];
		unsigned int i;

		if (at != NULL)
			*at = '\0';
		snprintf(ids, sizeof(ids), "%s", tok[0] == '(' ? tok + 1 : tok);
		q = strchr(ids, ')');
		if (q != NULL)
			*q = '\0';
		for (q = ids; *q != '\0'; q++)
			if (*q == ';')
				*q = ',';
		if (parse_corelist(ids, group) != 0)
			return -1;
		for (i = 0; i < RTE_MAX_LCORE; i++)
			set[i] = set[i] || group[i];
	}
	return 0;
}

/* "--socket-mem 1024,0": @return 0 or -1, values in bytes */
static int
parse_socket_values(const char *arg, volatile uint64_t *out)
{
	const char *p = arg;
	unsigned int n = 0;

	if (arg[0] == '\0' || !isdigit((unsigned char)arg[strlen(arg) - 1]))
		return -1;
	while (*p != '\0') {
		char *end;
		unsigned long long v;

		if (n == RTE_MAX_NUMA_NODES || !isdigit((unsigned char)*p))
			return -1;
		errno = 0;
		v = strtoull(p, &end, 10);
		if (errno != 0 || v > (UINT64_MAX >> 20))
			return -1;
		out[n++] = v << 20;
		if (*end == ',')
			end++;
		else if (*end != '\0')
			return -1;
		p = end;
	}
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
parse_proc_type(const char *arg, struct internal_config *cfg)
{
	if (strcmp(arg, "primary") == 0)
		cfg->process_type = RTE_PROC_PRIMARY;
	else if (strcmp(arg, "secondary") == 0)
		cfg->process_type = RTE_PROC_SECONDARY;
	else if (strcmp(arg, "auto") == 0)
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

/* PCI address: [domain:]bus:devid.function, optional ",key=value" args */
static int
check_pci_addr(const char *arg)
{
	unsigned int dom, bus, dev, fn;
	char tail;

	if (sscanf(arg, "%x:%x:%x.%x%c", &dom, &bus, &dev, &fn, &tail) >= 4) {
		if (sscanf(arg, "%x:%x:%x.%x%c", &dom, &bus, &dev, &fn, &tail) == 5 && tail != ',')
			return -1;
	} else if (sscanf(arg, "%x:%x.%x%c", &bus, &dev, &fn, &tail) >= 3) {
		if (sscanf(arg, "%x:%x.%x%c", &bus, &dev, &fn, &tail) == 4 && tail != ',')
			return -1;
		dom = 0;
	} else {
		return -1;
	}
	if (dom > 0xffff || bus > 0xff || dev > 0x1f || fn > 0x7)
		return -1;
	return 0;
}

static int
set_string(char **dst, const char *arg, const char *opt)
{
	if (arg == NULL || arg[0] == '\0') {
		EAL_LOG(ERR, "Option %s needs a non-empty argument", opt);
		return -1;
	}
	free(*dst);
	*dst = strdup(arg);
	return *dst == NULL ? -1 : 0;
}

static int
parse_file_prefix(const char *arg, struct internal_config *cfg)
{
	if (arg[0] == '\0' || strchr(arg, '%') != NULL || strchr(arg, '/') != NULL) {
		EAL_LOG(ERR, "Invalid --file-prefix '%s': must be non-empty, without '%%' or '/'",
			arg);
		return -1;
	}
	return set_string(&cfg->hugefile_prefix, arg, "--file-prefix");
}

static int
parse_base_virtaddr(const char *arg, struct internal_config *cfg)
{
	char *end;
	unsigned long long addr;

	errno = 0;
	addr = strtoull(arg, &end, 16);
	if (errno != 0 || arg[0] == '\0' || *end != '\0' || addr == 0)
		return -1;
	/* keep the hint aligned for the largest page size we might map */
	cfg->base_virtaddr = RTE_ALIGN_CEIL((uintptr_t)addr, (uintptr_t)RTE_PGSIZE_16M);
	return 0;
}

/* @return 0, or -1 for a bad argument; opt names the option for the log */
static int
parse_one(int opt, const char *arg, struct internal_config *cfg, bool *lcore_set)
{
	unsigned long long v;

	switch (opt) {
	case 'l':
		lcores_given = 1;
		return parse_corelist(arg, lcore_set) == 0 ? check_lcores_detected(lcore_set) : -1;
	case 'c':
		lcores_given = 1;
		return parse_coremask_to_set(arg, lcore_set) == 0 ?
			check_lcores_detected(lcore_set) : -1;
	case OPT_LCORES_NUM:
		lcores_given = 1;
		return parse_lcores(arg, lcore_set) == 0 ? check_lcores_detected(lcore_set) : -1;
	case OPT_MAIN_LCORE_NUM:
		if (parse_uint(arg, RTE_MAX_LCORE - 1, &v) != 0)
			return -1;
		rte_eal_get_configuration()->main_lcore = (uint32_t)v;
		main_lcore_given = 1;
		return 0;
	case 'm':
		if (parse_uint(arg, SIZE_MAX >> 20, &v) != 0 || v == 0)
			return -1;
		cfg->memory = (size_t)v << 20;
		return 0;
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
		allow_given = 1;
		return check_pci_addr(arg);
	case 'b':
		block_given = 1;
		return check_pci_addr(arg);
	case 'd':
		return 0; /* driver plugins are not loaded by this EAL */
	case 'v':
	case OPT_VERSION_NUM:
		EAL_LOG(INFO, "RTE Version: '%s'", rte_version());
		return 0;
	case OPT_BASE_VIRTADDR_NUM:
		return parse_base_virtaddr(arg, cfg);
	case OPT_FILE_PREFIX_NUM:
		return parse_file_prefix(arg, cfg);
	case OPT_HUGE_DIR_NUM:
		return set_string(&cfg->hugepage_dir, arg, "--huge-dir");
	case OPT_HUGE_UNLINK_NUM:
		return parse_huge_unlink(arg, cfg);
	case OPT_IN_MEMORY_NUM:
		cfg->in_memory = 1;
		cfg->no_shconf = 1;
		return 0;
	case OPT_IOVA_MODE_NUM:
		return parse_iova_mode(arg, cfg);
	case OPT_LEGACY_MEM_NUM:
		cfg->legacy_mem = 1;
		return 0;
	case OPT_LOG_LEVEL_NUM:
		return eal_log_level_parse_arg(arg);
	case OPT_MATCH_ALLOCATIONS_NUM:
		cfg->match_allocations = 1;
		return 0;
	case OPT_MBUF_POOL_OPS_NAME_NUM:
		return set_string(&cfg->user_mbuf_pool_ops_name, arg, "--mbuf-pool-ops-name");
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
		return arg[0] != '\0' ? 0 : -1;
	case OPT_VFIO_INTR_NUM:
		return strcmp(arg, "legacy") == 0 || strcmp(arg, "msi") == 0 ||
			strcmp(arg, "msix") == 0 ? 0 : -1;
	default:
		return -1;
	}
}

static const char *
option_name(int opt, char *buf, size_t len)
{
	const struct option *o;

	for (o = eal_long_options; o->name != NULL; o++)
		if (o->val == opt)
			return o->name;
	snprintf(buf, len, "-%c", opt);
	return buf;
}

static int
finish_lcores(const bool *lcore_set)
{
	struct rte_config *config = rte_eal_get_configuration();
	unsigned int i;

	if (lcores_given)
		apply_lcore_set(lcore_set);
	if (!main_lcore_given) {
		for (i = 0; i < RTE_MAX_LCORE; i++)
			if (config->lcore_role[i] == ROLE_RTE)
				break;
		config->main_lcore = i;
	}
	if (config->main_lcore >= RTE_MAX_LCORE ||
	    config->lcore_role[config->main_lcore] != ROLE_RTE) {
		EAL_LOG(ERR, "Main lcore %u is not among the enabled lcores", config->main_lcore);
		return -1;
	}
	return 0;
}

int
eal_parse_args(int argc, char **argv)
{
	struct internal_config *cfg = &internal_config;
	static bool lcore_set[RTE_MAX_LCORE];
	const char *prgname = argc > 0 ? argv[0] : "dpdk";
	int opt, option_index, ret;
	char namebuf[4];

	optind = 1;
	opterr = 0;
	memset(lcore_set, 0, sizeof(lcore_set));
	while ((opt = getopt_long(argc, argv, eal_short_options, eal_long_options,
			&option_index)) != EOF) {
		if (opt == '?') {
			EAL_LOG(ERR, "Unknown or incomplete option '%s'", argv[optind - 1]);
			eal_usage(prgname);
			goto einval;
		}
		if (opt == 'h' || opt == OPT_HELP_NUM) {
			eal_usage(prgname);
			exit(EXIT_SUCCESS);
		}
		if (parse_one(opt, optarg, cfg, lcore_set) != 0) {
			EAL_LOG(ERR, "Invalid argument for option %s: '%s'",
				option_name(opt, namebuf, sizeof(namebuf)),
				optarg != NULL ? optarg : "");
			goto einval;
		}
	}
	if (finish_lcores(lcore_set) != 0 || eal_check_common_options(cfg) != 0)
		goto einval;
	if (optind >= 0)
		argv[optind - 1] = RTE_PTR_UNQUAL(prgname);
	ret = optind - 1;
	optind = 1;
	return ret;
einval:
	optind = 1;
	rte_errno = EINVAL;
	return -1;
}

static bool
any_nonzero(const volatile uint64_t *v)
{
	unsigned int i;

	for (i = 0; i < RTE_MAX_NUMA_NODES; i++)
		if (v[i] != 0)
			return true;
	return false;
}

#define CONFLICT(cond, msg) do { \
	if (cond) { \
		EAL_LOG(ERR, msg); \
		return -1; \
	} \
} while (0)

int
eal_check_common_options(const struct internal_config *cfg)
{
	bool unlink_always = cfg->hugepage_unlink == HUGEPAGE_UNLINK_ALWAYS;

	CONFLICT(cfg->memory != 0 && cfg->force_sockets,
		"Options -m and --socket-mem cannot be specified at the same time");
	CONFLICT(cfg->no_hugetlbfs && cfg->force_sockets,
		"Option --socket-mem cannot be specified together with --no-huge");
	CONFLICT(cfg->no_hugetlbfs && cfg->hugepage_unlink_given && !cfg->in_memory,
		"Option --huge-unlink cannot be specified together with --no-huge");
	CONFLICT(cfg->single_file_segments && unlink_always && !cfg->in_memory,
		"Option --single-file-segments is not compatible with --huge-unlink");
	CONFLICT(cfg->in_memory && cfg->hugepage_unlink == HUGEPAGE_UNLINK_NEVER,
		"Option --huge-unlink=never is not compatible with --in-memory");
	CONFLICT(cfg->legacy_mem && cfg->in_memory,
		"Option --legacy-mem is not compatible with --in-memory");
	CONFLICT(cfg->legacy_mem && cfg->match_allocations,
		"Option --legacy-mem is not compatible with --match-allocations");
	CONFLICT(cfg->no_hugetlbfs && cfg->match_allocations,
		"Option --no-huge is not compatible with --match-allocations");
	CONFLICT(cfg->force_socket_limits && cfg->legacy_mem,
		"Option --socket-limit is only supported in non-legacy memory mode");
	CONFLICT(cfg->force_socket_limits && cfg->no_hugetlbfs,
		"Option --socket-limit cannot be specified together with --no-huge");
	CONFLICT(cfg->force_sockets && !any_nonzero(cfg->socket_mem) && cfg->legacy_mem,
		"Option --socket-mem with only zeros requests no memory in legacy mode");
	CONFLICT(cfg->process_type == RTE_PROC_SECONDARY && cfg->no_shconf,
		"A secondary process cannot run with --no-shconf or --in-memory");
	CONFLICT(allow_given && block_given,
		"Options allow (-a) and block (-b) cannot be used at the same time");
	return 0;
}

void
eal_usage(const char *prgname)
{
	printf("\nUsage: %s [options]\n\n"
	       "EAL common options:\n"
	       "  -c COREMASK         Hexadecimal bitmask of cores to run on\n"
	       "  -l CORELIST         List of cores to run on (e.g. 0-3,5)\n"
	       "  --lcores MAP        lcore to CPU map\n"
	       "  --main-lcore ID     Core ID used as main\n"
	       "  -n CHANNELS         Number of memory channels\n"
	       "  -r RANKS            Number of memory ranks\n"
	       "  -m MB               Memory to preallocate at startup\n"
	       "  -a, --allow PCI     Add a PCI device to the allow list\n"
	       "  -b, --block PCI     Add a PCI device to the block list\n"
	       "  --vdev DEV          Add a virtual device\n"
	       "  --proc-type TYPE    primary|secondary|auto\n"
	       "  --file-prefix NAME  Prefix of hugepage files and runtime dir\n"
	       "  --base-virtaddr HEX Base virtual address of memory reservations\n"
	       "  --iova-mode MODE    pa|va\n"
	       "  --log-level LEVEL   Global, 'glob:level' or 'regex,level'\n"
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
	       "  -h, --help          This help\n"
	       "  -v, --version       Print the version\n\n", prgname);
}
