/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_EAL_H_
#define _RTE_EAL_H_

/**
 * @file
 * EAL initialisation, process roles and the multi-process IPC channel.
 */

#include <stdint.h>
#include <stdbool.h>
#include <time.h>
#include <sched.h>

#include <rte_config.h>
#include <rte_compat.h>
#include <rte_per_lcore.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Value of the shared config's magic once the primary finished init. */
#define RTE_MAGIC 19820526

/** Role of this process among the processes sharing one --file-prefix. */
enum rte_proc_type_t {
	RTE_PROC_AUTO = -1,  /**< decide at init: secondary if a primary runs */
	RTE_PROC_PRIMARY = 0, /**< owns the shared memory */
	RTE_PROC_SECONDARY,  /**< attaches to a primary's memory */
	RTE_PROC_INVALID
};

/** @return the role of this process. */
enum rte_proc_type_t rte_eal_process_type(void);

/**
 * Initialise the EAL: parse the EAL options in @p argv, set up memory,
 * lcores and (unless disabled) the multi-process channel.
 *
 * @return the number of arguments consumed (the application's own options
 *   start after them), or -1 with rte_errno set:
 *   EACCES (no permission / no hugepages), EAGAIN (resource busy), EALREADY
 *   (already initialised), EFAULT (config corrupt), EINVAL (bad option),
 *   ENOMEM (not enough memory), ENODEV (heap init failed), ENOTSUP,
 *   EPROTO (bus/IPC failure), ENOEXEC (a service failed).
 */
int rte_eal_init(int argc, char **argv);

/**
 * Release what rte_eal_init() set up: worker threads, memory (pages not
 * kept by the mode are unmapped and their files removed), IPC.
 *
 * @return 0, or -1 with rte_errno EALREADY if the EAL is not initialised.
 */
int rte_eal_cleanup(void);

/**
 * Check whether a primary process is running for a config file.
 *
 * @param config_file_path
 *   Path of the shared config file, or NULL for this process's prefix.
 * @return 1 if a primary holds it, 0 otherwise.
 */
int rte_eal_primary_proc_alive(const char *config_file_path);

/**
 * Disable the multi-process channel for the rest of this process's life.
 *
 * @return true if IPC is now disabled (a primary with no secondaries
 *   attached), false otherwise.
 */
bool rte_mp_disable(void);

#define RTE_MP_MAX_FD_NUM 8     /**< most fds one message carries */
#define RTE_MP_MAX_NAME_LEN 64  /**< longest action name */
#define RTE_MP_MAX_PARAM_LEN 256 /**< largest payload */

/** One IPC message. */
struct rte_mp_msg {
	char name[RTE_MP_MAX_NAME_LEN]; /**< action name */
	int len_param;                  /**< bytes used in param */
	int num_fds;                    /**< fds carried */
	uint8_t param[RTE_MP_MAX_PARAM_LEN]; /**< payload */
	int fds[RTE_MP_MAX_FD_NUM];    /**< file descriptors */
};

/** Replies gathered by a request. */
struct rte_mp_reply {
	int nb_sent;      /**< peers the request went to */
	int nb_received;  /**< replies received */
	struct rte_mp_msg *msgs; /**< the replies; the caller frees it */
};

/**
 * Handler of an IPC action. It must answer a request with rte_mp_reply(),
 * even on error, and must not allocate memory.
 */
typedef int (*rte_mp_t)(const struct rte_mp_msg *msg, const void *peer);

/** Called with all the replies to an asynchronous request. */
typedef int (*rte_mp_async_reply_t)(const struct rte_mp_msg *request,
		const struct rte_mp_reply *reply);

/**
 * Register the handler of IPC messages named @p name.
 *
 * @return 0, or -1 with rte_errno: EEXIST (already registered), EINVAL
 *   (bad name), ENOMEM, ENOTSUP (IPC disabled).
 */
int rte_mp_action_register(const char *name, rte_mp_t action);

/** Remove the handler of @p name. */
void rte_mp_action_unregister(const char *name);

/**
 * Send @p msg to the peers without waiting for an answer (primary: to every
 * secondary; secondary: to the primary).
 *
 * @return 0, or -1 with rte_errno set.
 */
int rte_mp_sendmsg(struct rte_mp_msg *msg);

/**
 * Send a request and wait up to @p ts for every reply.
 *
 * @return 0 if sent (check reply->nb_received), -1 with rte_errno on error.
 *   The caller frees reply->msgs.
 */
int rte_mp_request_sync(struct rte_mp_msg *req, struct rte_mp_reply *reply,
		const struct timespec *ts);

/**
 * Send a request; @p clb runs once every reply arrived or @p ts expired.
 *
 * @return 0, or -1 with rte_errno set.
 */
int rte_mp_request_async(struct rte_mp_msg *req, const struct timespec *ts,
		rte_mp_async_reply_t clb);

/**
 * Answer the request that came from @p peer.
 *
 * @return 0, or -1 with rte_errno set.
 */
int rte_mp_reply(struct rte_mp_msg *msg, const char *peer);

/** Hook printing the application's own usage after the EAL's. */
typedef void (*rte_usage_hook_t)(const char *prgname);

/** Set the usage hook; @return the previous one. */
rte_usage_hook_t rte_set_application_usage_hook(rte_usage_hook_t usage_func);

/** @return 1 if the EAL runs on hugepages (not --no-huge). */
int rte_eal_has_hugepages(void);

/** @return 1 if PCI devices are probed (not --no-pci). */
int rte_eal_has_pci(void);

/** @return non-zero if --create-uio-dev was given. */
int rte_eal_create_uio_dev(void);

/**
 * Ask for I/O port access (iopl(3)), for drivers that use port I/O.
 *
 * @return 0 on success, -1 without the privilege.
 */
int rte_eal_iopl_init(void);

/** Interrupt mode of VFIO devices (--vfio-intr). */
enum rte_intr_mode {
	RTE_INTR_MODE_NONE = 0, /**< not given: the driver chooses */
	RTE_INTR_MODE_LEGACY,   /**< INTx */
	RTE_INTR_MODE_MSI,
	RTE_INTR_MODE_MSIX
};

/** @return the mode given with --vfio-intr, RTE_INTR_MODE_NONE if none. */
enum rte_intr_mode rte_eal_vfio_intr_mode(void);

/** @return the kernel thread id of the caller. */
int rte_sys_gettid(void);

RTE_DECLARE_PER_LCORE(int, _thread_id);

/** @return the caller's thread id (cached per thread). */
static inline int
rte_gettid(void)
{
	if (RTE_PER_LCORE(_thread_id) == -1)
		RTE_PER_LCORE(_thread_id) = rte_sys_gettid();
	return RTE_PER_LCORE(_thread_id);
}

/** @return the base of the EAL's VA reservations. */
uint64_t rte_eal_get_baseaddr(void);

/** IOVA mode: what devices put on the bus as DMA addresses. */
enum rte_iova_mode {
	RTE_IOVA_DC = 0,        /**< not decided */
	RTE_IOVA_PA = (1 << 0), /**< physical addresses */
	RTE_IOVA_VA = (1 << 1)  /**< virtual addresses */
};

/** @return the IOVA mode chosen at init. */
enum rte_iova_mode rte_eal_iova_mode(void);

/** @return the mbuf pool ops name given with --mbuf-pool-ops-name, or NULL. */
const char *rte_eal_mbuf_user_pool_ops(void);

/** @return the runtime directory of this process's prefix. */
const char *rte_eal_get_runtime_dir(void);

/**
 * Parse a hexadecimal core mask into @p cores (RTE_MAX_LCORE entries):
 * cores[i] is the order of core i in the mask, -1 if absent.
 *
 * @return 0, or -1 if the mask is invalid.
 */
int rte_eal_parse_coremask(const char *coremask, int *cores);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_EAL_H_ */
