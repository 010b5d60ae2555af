/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _EAL_FILESYSTEM_H_
#define _EAL_FILESYSTEM_H_

/*
 * Names of every file the EAL creates, in one place. Runtime files live in
 * the runtime dir (/var/run/dpdk/<prefix> for root); hugepage files in the
 * hugetlbfs mount as <prefix>map_<N>.
 */

#include <stddef.h>

/* Create the runtime dir (0700) for @p prefix; @return 0 or -errno. */
int eal_create_runtime_dir_for(const char *prefix);
/* @return the runtime dir ("" before it is set). */
const char *eal_get_runtime_dir(void);

/* <runtime>/config */
const char *eal_runtime_config_path(void);
/* <runtime>/hugepage_info */
const char *eal_hugepage_info_path(void);
/* <runtime>/hugepage_data (legacy page table for secondaries) */
const char *eal_hugepage_data_path(void);
/* <runtime>/mp_socket */
const char *eal_mp_socket_path(void);

/* Write "<runtime>/fbarray_<name>" into @p buf; @return snprintf's result. */
int eal_get_fbarray_path(char *buf, size_t buflen, const char *name);

/* Write "<hugedir>/<prefix>map_<f_id>" into @p buf; @return buf or NULL. */
const char *eal_get_hugefile_path(char *buf, size_t buflen, const char *hugedir, int f_id);

/* @return the hugefile prefix (--file-prefix). */
const char *eal_get_hugefile_prefix(void);

#endif /* _EAL_FILESYSTEM_H_ */
