/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _COMPAT_H_
#define _COMPAT_H_

/*
 * Shared by the compatibility probes: errno values by name, so that both
 * builds of a probe print the same text for the same error.
 */

#include <errno.h>

#include <rte_errno.h>

static inline const char *
errname(int e)
{
	switch (e) {
	case 0: return "0";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EEXIST: return "EEXIST";
	case ENOSPC: return "ENOSPC";
	case ENOTSUP: return "ENOTSUP";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case ENOMEM: return "ENOMEM";
	case EBUSY: return "EBUSY";
	case EPERM: return "EPERM";
	case ENODEV: return "ENODEV";
	case E_RTE_NO_CONFIG: return "E_RTE_NO_CONFIG";
	case E_RTE_SECONDARY: return "E_RTE_SECONDARY";
	default: return "other";
	}
}

#endif /* _COMPAT_H_ */
