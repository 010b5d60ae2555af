/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _EAL_INTERNAL_CFG_H_
#define _EAL_INTERNAL_CFG_H_

/*
 * Per-process configuration: what the command line asked for plus what
 * hugepage discovery found. Never shared; the primary publishes the parts a
 * secondary must agree with (legacy mode, single-file segments) in the
 * shared mem_config.
 */

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_eal.h>
#include <rte_config.h>

#define MAX_HUGEPAGE_SIZES 3 /* most page sizes the EAL uses at once */

/* default --no-huge memory when -m is not given */
#define MEMSIZE_IF_NO_HUGE_PAGE (64ULL * 1024 * 1024)

/* default hugepage file prefix and runtime dir name */
#define HUGEFILE_PREFIX_DEFAULT "rte"

/* One hugepage size found on the system. */
struct hugepage_info {
	uint64_t hugepage_sz;                     /* page size in bytes */
	char hugedir[PATH_MAX];                   /* hugetlbfs mount, "" if none */
	uint32_t num_pages[RTE_MAX_NUMA_NODES];   /* free pages per socket */
	int lock_descriptor;                      /* fd of hugedir, flocked during init */
};

/* --huge-unlink modes */
enum hugepage_unlink_mode {
	HUGEPAGE_UNLINK_NEVER,    /* keep and reuse files: pages may be dirty */
	HUGEPAGE_UNLINK_EXISTING, /* default: remove stale files, keep ours while mapped */
	HUGEPAGE_UNLINK_ALWAYS,   /* unlink every file right after creating it */
};

struct internal_config {
	volatile size_t memory;                 /* -m, in bytes (0 = not given) */
	volatile unsigned int force_nchannel;   /* -n */
	volatile unsigned int force_nrank;      /* -r */
	volatile unsigned int no_hugetlbfs;     /* --no-huge */
	enum hugepage_unlink_mode hugepage_unlink; /* --huge-unlink[=mode] */
	bool hugepage_unlink_given;             /* --huge-unlink appeared */
	volatile unsigned int no_pci;           /* --no-pci */
	volatile unsigned int no_hpet;          /* unused, kept for symmetry */
	volatile unsigned int vmware_tsc_map;   /* unused */
	volatile unsigned int no_shconf;        /* --no-shconf */
	volatile unsigned int in_memory;        /* --in-memory */
	volatile unsigned int create_uio_dev;   /* unused */
	volatile enum rte_proc_type_t process_type; /* --proc-type */
	volatile unsigned int force_sockets;    /* --socket-mem given */
	volatile uint64_t socket_mem[RTE_MAX_NUMA_NODES]; /* --socket-mem, bytes */
	volatile unsigned int force_socket_limits; /* --socket-limit given */
	volatile uint64_t socket_limit[RTE_MAX_NUMA_NODES]; /* --socket-limit, bytes */
	uintptr_t base_virtaddr;                /* --base-virtaddr, 0 = default */
	volatile unsigned int legacy_mem;       /* --legacy-mem */
	volatile unsigned int match_allocations; /* --match-allocations */
	volatile unsigned int single_file_segments; /* --single-file-segments */
	volatile int syslog_facility;           /* unused */
	volatile enum rte_iova_mode iova_mode;  /* --iova-mode (DC = decide) */
	char *hugefile_prefix;                  /* --file-prefix */
	char *hugepage_dir;                     /* --huge-dir */
	char *user_mbuf_pool_ops_name;          /* --mbuf-pool-ops-name */
	unsigned int num_hugepage_sizes;        /* entries of hugepage_info */
	struct hugepage_info hugepage_info[MAX_HUGEPAGE_SIZES];
	volatile unsigned int init_complete;    /* rte_eal_init() finished */
	unsigned int no_telemetry;              /* unused */
	uint64_t huge_worker_stack_size;        /* unused */
};

/* The configuration of this process. */
struct internal_config *eal_get_internal_configuration(void);

/* Reset @p cfg to defaults. */
void eal_reset_internal_config(struct internal_config *cfg);

#endif /* _EAL_INTERNAL_CFG_H_ */
