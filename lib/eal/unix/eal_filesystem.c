/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The runtime directory: /var/run/dpdk/<prefix> for root, else
 * $XDG_RUNTIME_DIR/dpdk/<prefix> or /tmp/dpdk/<prefix>. Each level is
 * created 0700; an existing level must be a real directory (not a link)
 * owned by us, so a directory planted by another user is refused.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_string_fns.h>

#include "eal_export.h"
#include "eal_filesystem.h"
#include "eal_internal_cfg.h"
#include "eal_log.h"

static char runtime_dir[PATH_MAX];
static char config_path[PATH_MAX];
static char hugepage_info_path[PATH_MAX];
static char hugepage_data_path[PATH_MAX];
static char mp_socket_path[PATH_MAX];

static int
make_private_dir(const char *path)
{
	struct stat st;

	if (mkdir(path, 0700) == 0)
		return 0;
	if (errno != EEXIST) {
		EAL_LOG(ERR, "Cannot create directory '%s': %s", path, strerror(errno));
		return -errno;
	}
	if (lstat(path, &st) != 0)
		return -errno;
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid()) {
		EAL_LOG(ERR, "'%s' exists but is not a directory owned by uid %u",
			path, (unsigned int)geteuid());
		return -EPERM;
	}
	return 0;
}

static const char *
runtime_base(void)
{
	const char *xdg;

	if (geteuid() == 0)
		return "/var/run";
	xdg = getenv("XDG_RUNTIME_DIR");
	return xdg != NULL && xdg[0] != '\0' ? xdg : "/tmp";
}

static int
set_path(char *buf, const char *leaf)
{
	int n = snprintf(buf, PATH_MAX, "%s/%s", runtime_dir, leaf);

	return n < 0 || n >= PATH_MAX ? -ENAMETOOLONG : 0;
}

int
eal_create_runtime_dir_for(const char *prefix)
{
	char base[PATH_MAX];
	int ret;

	if (snprintf(base, sizeof(base), "%s/dpdk", runtime_base()) >= (int)sizeof(base) ||
	    snprintf(runtime_dir, sizeof(runtime_dir), "%s/%s", base, prefix) >=
			(int)sizeof(runtime_dir)) {
		EAL_LOG(ERR, "Runtime directory path is too long");
		return -ENAMETOOLONG;
	}
	ret = make_private_dir(base);
	if (ret == 0)
		ret = make_private_dir(runtime_dir);
	if (ret != 0) {
		runtime_dir[0] = '\0';
		return ret;
	}
	if (set_path(config_path, "config") != 0 ||
	    set_path(hugepage_info_path, "hugepage_info") != 0 ||
	    set_path(hugepage_data_path, "hugepage_data") != 0 ||
	    set_path(mp_socket_path, "mp_socket") != 0) {
		EAL_LOG(ERR, "Runtime directory path is too long");
		runtime_dir[0] = '\0';
		return -ENAMETOOLONG;
	}
	return 0;
}

const char *
eal_get_runtime_dir(void)
{
	return runtime_dir;
}

RTE_EXPORT_SYMBOL(rte_eal_get_runtime_dir)
const char *
rte_eal_get_runtime_dir(void)
{
	return runtime_dir;
}

const char *
eal_runtime_config_path(void)
{
	return config_path;
}

const char *
eal_hugepage_info_path(void)
{
	return hugepage_info_path;
}

const char *
eal_hugepage_data_path(void)
{
	return hugepage_data_path;
}

const char *
eal_mp_socket_path(void)
{
	return mp_socket_path;
}

int
eal_get_fbarray_path(char *buf, size_t buflen, const char *name)
{
	return snprintf(buf, buflen, "%s/fbarray_%s", runtime_dir, name);
}

const char *
eal_get_hugefile_prefix(void)
{
	const char *p = eal_get_internal_configuration()->hugefile_prefix;

	return p != NULL ? p : HUGEFILE_PREFIX_DEFAULT;
}

const char *
eal_get_hugefile_path(char *buf, size_t buflen, const char *hugedir, int f_id)
{
	int n = snprintf(buf, buflen, "%s/%smap_%d", hugedir, eal_get_hugefile_prefix(), f_id);

	return n < 0 || (size_t)n >= buflen ? NULL : buf;
}
