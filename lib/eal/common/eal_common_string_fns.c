/* SPDX-License-Identifier: BSD-3-Clause */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_string_fns.h>

#include "eal_export.h"

RTE_EXPORT_SYMBOL(rte_strsplit)
int
rte_strsplit(char *string, int stringlen, char **tokens, int maxtokens, char delim)
{
	int i, tok = 0;
	int tokstart = 1;

	if (string == NULL || tokens == NULL || stringlen <= 0 || maxtokens <= 0) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < stringlen; i++) {
		if (string[i] == '\0' || tok >= maxtokens)
			break;
		if (tokstart) {
			tokstart = 0;
			tokens[tok++] = &string[i];
		}
		if (string[i] == delim) {
			string[i] = '\0';
			tokstart = 1;
		}
	}
	return tok;
}

RTE_EXPORT_SYMBOL(rte_strscpy)
ssize_t
rte_strscpy(char *dst, const char *src, size_t dsize)
{
	size_t n;

	if (dsize == 0)
		return -E2BIG;
	n = strnlen(src, dsize);
	if (n == dsize) {
		memcpy(dst, src, dsize - 1);
		dst[dsize - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, n + 1);
	return (ssize_t)n;
}

RTE_EXPORT_SYMBOL(rte_str_skip_leading_spaces)
char *
rte_str_skip_leading_spaces(const char *src)
{
	while (isspace((unsigned char)*src))
		src++;
	return RTE_PTR_UNQUAL(src);
}

RTE_EXPORT_SYMBOL(rte_str_to_size)
uint64_t
rte_str_to_size(const char *str)
{
	char *endptr;
	unsigned long long size;

	while (isspace((unsigned char)*str))
		str++;
	if (*str == '-')
		return 0;
	errno = 0;
	size = strtoull(str, &endptr, 0);
	if (errno != 0)
		return 0;
	if (*endptr == ' ')
		endptr++;
	switch (*endptr) {
	case 'G': case 'g':
		size *= 1024; /* fall through */
	case 'M': case 'm':
		size *= 1024; /* fall through */
	case 'K': case 'k':
		size *= 1024; /* fall through */
	default:
		break;
	}
	return size;
}
