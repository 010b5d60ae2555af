/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_STRING_FNS_H_
#define _RTE_STRING_FNS_H_

/**
 * @file
 * String helpers missing from the C library.
 */

#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include <rte_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Split @p string in place at @p delim into at most @p maxtokens tokens.
 *
 * @return the number of tokens, or -1 (errno EINVAL) on bad arguments.
 */
int rte_strsplit(char *string, int stringlen, char **tokens, int maxtokens, char delim);

/**
 * Copy @p src into @p dst of @p size bytes, always NUL-terminating
 * (when size > 0).
 *
 * @return strlen(src): a value >= @p size means the copy was truncated.
 */
static inline size_t
rte_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size != 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/**
 * Append @p src to @p dst of @p size bytes, always NUL-terminating.
 *
 * @return the length of the string it tried to create.
 */
static inline size_t
rte_strlcat(char *dst, const char *src, size_t size)
{
	size_t l = strnlen(dst, size);

	if (l < size)
		return l + rte_strlcpy(&dst[l], src, size - l);
	return l + strlen(src);
}

#if !defined(__GLIBC__) || !__GLIBC_PREREQ(2, 38)
#define strlcpy(dst, src, size) rte_strlcpy(dst, src, size)
#define strlcat(dst, src, size) rte_strlcat(dst, src, size)
#endif

/**
 * Copy @p src into @p dst of @p dsize bytes.
 *
 * @return the number of bytes copied, or -E2BIG if @p src was truncated.
 */
ssize_t rte_strscpy(char *dst, const char *src, size_t dsize);

/** @return @p src with leading and trailing white space removed, in place. */
char *rte_str_skip_leading_spaces(const char *src);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_STRING_FNS_H_ */
