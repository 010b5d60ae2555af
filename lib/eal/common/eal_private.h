/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _EAL_PRIVATE_H_
#define _EAL_PRIVATE_H_

/*
 * Functions and state shared by the EAL's own files. Convention inside the
 * EAL: internal functions return 0 or a negative errno value (or -1 where
 * stated); public functions convert that once to -1/NULL + rte_errno.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <pthread.h>

#include <rte_lcore.h>
#include <rte_launch.h>
#include <rte_memory.h>

/* State of one lcore (process-local). */
struct lcore_config {
	pthread_t thread_id;       /* thread running this lcore */
	int pipe_main2worker[2];   /* main -> worker: "run f" */
	int pipe_worker2main[2];   /* worker -> main: "ack" */
	lcore_function_t *volatile f; /* function to run */
	void *volatile arg;        /* its argument */
	volatile int ret;          /* its return value */
	volatile enum rte_lcore_state_t state;
	unsigned int socket_id;    /* NUMA socket of the lcore's CPUs */
	unsigned int core_id;      /* core id of the first CPU */
	int core_index;            /* index among enabled lcores, -1 if off */
	uint8_t core_role;         /* enum rte_lcore_role_t */
	rte_cpuset_t cpuset;       /* CPUs the thread may run on */
};

extern struct lcore_config lcore_config[RTE_MAX_LCORE];

struct rte_mem_config;
struct internal_config;
struct hugepage_info;

/* Global EAL state of this process. */
struct rte_config {
	uint32_t main_lcore;        /* id of the main lcore */
	uint32_t lcore_count;       /* enabled lcores */
	uint32_t numa_node_count;   /* distinct sockets of detected CPUs */
	uint32_t numa_nodes[RTE_MAX_NUMA_NODES]; /* their ids, ascending */
	uint32_t service_lcore_count;
	enum rte_lcore_role_t lcore_role[RTE_MAX_LCORE];
	enum rte_proc_type_t process_type; /* resolved role */
	enum rte_iova_mode iova_mode;      /* resolved IOVA mode */
	struct rte_mem_config *mem_config; /* the shared config, mapped */
};

struct rte_config *rte_eal_get_configuration(void);

/* --- lcores and CPUs (eal_common_lcore.c, linux/eal_lcore.c) --- */

/* Detect CPUs and their sockets; fill lcore_config and numa nodes. */
int rte_eal_cpu_init(void);
/* @return 1 if CPU @p lcore_id exists on this system. */
int eal_cpu_detected(unsigned int lcore_id);
/* @return the socket of CPU @p lcore_id (0 if unknown). */
unsigned int eal_cpu_socket_id(unsigned int lcore_id);
/* @return the socket of a CPU set: that of its CPUs, or SOCKET_ID_ANY if they differ. */
unsigned int eal_cpuset_socket_id(const rte_cpuset_t *cpus);
/* @return the core id of CPU @p lcore_id. */
unsigned int eal_cpu_core_id(unsigned int lcore_id);
/* @return the sysfs root, overridable for tests ("/sys" normally). */
const char *eal_sysfs_root(void);

/* --- threads (eal_common_launch.c, linux/eal_thread.c) --- */

/* Start one pinned thread per enabled worker lcore. */
int eal_threads_init(void);
/* Stop every worker thread (rte_eal_cleanup()). */
void eal_threads_cleanup(void);
/* Pin the calling thread to @p cpuset; also sets _lcore_id/_cpuset. */
int eal_thread_set_affinity(unsigned int lcore_id);
/* Format a CPU set for logs. */
int eal_thread_dump_affinity(rte_cpuset_t *cpuset, char *str, unsigned int size);

/* --- timer (linux/eal_timer.c) --- */
int rte_eal_timer_init(void);

/* --- VA reservation (eal_common_memory.c) --- */

#define EAL_VIRTUAL_AREA_ADDR_IS_HINT (1 << 0) /* another address is fine */
#define EAL_VIRTUAL_AREA_ALLOW_SHRINK (1 << 1) /* retry with less on failure */
#define EAL_VIRTUAL_AREA_UNMAP (1 << 2)        /* probe only: unmap again */

/*
 * Reserve PROT_READ anonymous address space as a placeholder for later
 * MAP_FIXED mappings.
 *
 * @param requested_addr  exact address (or hint with ADDR_IS_HINT); NULL:
 *                        use the running base hint
 * @param size            in: wanted size; out: size obtained (ALLOW_SHRINK)
 * @param page_sz         alignment of the result
 * @param flags           EAL_VIRTUAL_AREA_*
 * @param reserve_flags   extra mmap flags
 * @return the address, or NULL with rte_errno set.
 */
void *eal_get_virtual_area(void *requested_addr, size_t *size, size_t page_sz,
		int flags, int reserve_flags);

/* @return the base of VA reservations (--base-virtaddr or the default). */
uint64_t eal_get_baseaddr(void);

/* --- memseg lists (eal_common_memory.c) --- */

/*
 * Make the lock of @p arr (just created, not yet shared) crash-safe for all
 * processes that attach it: for arrays in the EAL's shared config only, as
 * it relies on the config's process slots.
 */
void eal_fbarray_make_robust(struct rte_fbarray *arr);

/*
 * Set up @p msl with a new fbarray of @p n_segs memsegs named @p name and
 * the list's page size, socket and VA length (base_va stays NULL until
 * eal_memseg_list_alloc()). @return 0 or -errno.
 */
int eal_memseg_list_init_named(struct rte_memseg_list *msl, const char *name,
		uint64_t page_sz, int n_segs, int socket_id, bool heap);
/* Same, named "memseg-<page_sz kB>k-<socket_id>-<type_msl_idx>". */
int eal_memseg_list_init(struct rte_memseg_list *msl, uint64_t page_sz, int n_segs,
		int socket_id, int type_msl_idx, bool heap);
/*
 * Reserve the VA window of @p msl: exactly at msl->base_va when set (a
 * secondary), else from the running base hint. @return 0 or -errno.
 */
int eal_memseg_list_alloc(struct rte_memseg_list *msl, int reserve_flags);
/* Record @p n_segs already-mapped pages from @p addr as used memsegs. */
void eal_memseg_list_populate(struct rte_memseg_list *msl, void *addr, int n_segs);
/*
 * Undo init + alloc: unmap the whole VA window (pages included) and
 * destroy (@p destroy) or detach the fbarray; the slot becomes unused.
 */
void eal_memseg_list_release(struct rte_memseg_list *msl, bool destroy);
/*
 * Create an external list over [@p va, @p va + @p len) with every page
 * used; IOVAs from @p iova_addrs (NULL: RTE_BAD_IOVA). The fbarray is named
 * "<name_prefix>_<va>". Caller holds the hotplug lock for writing.
 * @return the list, or NULL with rte_errno EINVAL, EEXIST, ENOSPC or ENOMEM.
 */
struct rte_memseg_list *eal_memseg_list_create_external(void *va, size_t len,
		const rte_iova_t iova_addrs[], unsigned int n_pages, size_t page_sz,
		const char *name_prefix, int socket_id, bool heap);
/* @return the external list with exactly this base and length, or NULL. */
struct rte_memseg_list *eal_memseg_list_find_external(const void *va, size_t len);
/* Destroy an external list (the memory itself is the owner's). @return 0 or -errno. */
int eal_memseg_list_destroy_external(struct rte_memseg_list *msl);

/* --- dynamic-mode helpers (eal_common_dynmem.c) --- */

/*
 * Primary: create and reserve every memseg list, one memory type per
 * (page size, socket), sized as the build-time limits allow.
 * @return 0 or -errno (lists created so far are left for the caller).
 */
int eal_dynmem_memseg_lists_init(void);
/*
 * Turn -m / --socket-mem into pages: @p used[i].num_pages[s] = pages of
 * size hugepage_info[i] to take on socket s, largest pages first.
 * @return 0, or -ENOMEM (logged) when the free pages cannot cover it.
 */
int eal_dynmem_calc_num_pages_per_socket(struct hugepage_info *used);
/* Primary, dynamic mode: preallocate and pin -m/--socket-mem; set limits. */
int eal_dynmem_hugepage_init(void);

/* --- memory init (eal_common_memory.c, linux/eal_memory.c) --- */

/* Create (primary) or attach (secondary) the memseg lists and map memory. */
int rte_eal_memory_init(void);
/* Memseg list creation / attach (OS part). */
int rte_eal_memseg_init(void);
/* Primary: preallocate (dynamic) or map everything (legacy). */
int rte_eal_hugepage_init(void);
/* Secondary: map what the primary has. */
int rte_eal_hugepage_attach(void);
/* Unmap and release every page this process maps (rte_eal_cleanup()). */
void rte_eal_memory_detach(void);
/* @return 1 if physical addresses can be read from pagemap. */
int eal_phys_addrs_available(void);

/* --- hugepage discovery (linux/eal_hugepage_info.c) --- */

/* Primary: find page sizes, mounts and free counts; lock and clean hugedirs. */
int eal_hugepage_info_init(void);
/* Secondary: read what the primary found. */
int eal_hugepage_info_read(void);
/* Release the hugedir locks taken by eal_hugepage_info_init(). */
void eal_hugedirs_unlock(void);

/* --- memzones and heaps --- */
int rte_eal_memzone_init(void);
/* Destroy (primary) or detach (secondary) the memzone table; safe if never set up. */
void rte_eal_memzone_cleanup(void);
int rte_eal_malloc_heap_init(void);
void rte_eal_malloc_heap_cleanup(void);

/* --- shared config (linux/eal.c, eal_common_mcfg.c) --- */

/* Wait for the primary to finish init (secondary). */
void eal_mcfg_wait_complete(void);
/* @return 0 if the shared config was written by a compatible version. */
int eal_mcfg_check_version(void);
/* Primary: record version, flags and its own address in the shared config. */
void eal_mcfg_update_internal(void);
/*
 * Secondary, before adopting the primary's flags: @return -1 (logged) if
 * this process's command line asked for --legacy-mem or
 * --single-file-segments while the primary runs without it, else 0.
 */
int eal_mcfg_check_mode(void);
/* @return CLOCK_MONOTONIC in ns: for waits bounded in wall time, not in sleep steps. */
uint64_t eal_mono_ns(void);
/* Secondary: adopt the primary's legacy/single-file flags. */
void eal_mcfg_update_from_internal(void);
/* Mark init complete in the shared config. */
void eal_mcfg_complete(void);

/* --- IPC (eal_common_proc.c) --- */
int rte_mp_channel_init(void);
void rte_mp_channel_cleanup(void);

/* --- options (eal_common_options.c) --- */

/* Parse the EAL arguments; @return how many were consumed or -1. */
int eal_parse_args(int argc, char **argv);
/* Check the parsed options agree with each other; @return 0 or -1. */
int eal_check_common_options(const struct internal_config *cfg);
/* Resolve --proc-type=auto; create the runtime dir. */
int eal_create_runtime_dir(void);
/* Remove this process's runtime files that the mode does not keep. */
void eal_clean_runtime_dir(void);
/* Print EAL usage. */
void eal_usage(const char *prgname);
/* Free what option parsing allocated. */
int eal_cleanup_config(struct internal_config *cfg);

/* @return the system page size. */
size_t rte_mem_page_size(void);

#endif /* _EAL_PRIVATE_H_ */
