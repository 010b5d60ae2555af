/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _EAL_EXPORT_H_
#define _EAL_EXPORT_H_

/*
 * RTE_EXPORT_SYMBOL(name) marks a function or variable as part of the
 * library's ABI. The marker expands to nothing; the build scans the
 * sources for it and writes the linker version script, so that nothing
 * unmarked leaves the shared library.
 */
#define RTE_EXPORT_SYMBOL(name)

#endif /* _EAL_EXPORT_H_ */
