/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * LD_PRELOAD helper of eal_flags_mp_autotest, built next to dpdk-test and
 * never installed. Before main() of the process it is preloaded into, it
 * occupies [$DPDK_TEST_VA_SHIM_ADDR, + $DPDK_TEST_VA_SHIM_LEN), so that an
 * EAL secondary finds part of the primary's layout taken, as ASLR or a
 * large library can make happen by chance. It says on stderr whether it
 * got the range, so that the test knows the conflict is the one it made.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static void __attribute__((constructor))
va_shim_occupy(void)
{
	const char *addr = getenv("DPDK_TEST_VA_SHIM_ADDR");
	const char *len = getenv("DPDK_TEST_VA_SHIM_LEN");
	void *want, *va;
	size_t sz;

	if (addr == NULL || len == NULL)
		return;
	want = (void *)(uintptr_t)strtoull(addr, NULL, 0);
	sz = (size_t)strtoull(len, NULL, 0);
	/* NOREPLACE: taking over a mapping of the process would crash it, not test the EAL */
	va = mmap(want, sz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
		MAP_FIXED_NOREPLACE, -1, 0);
	if (va == want) {
		fprintf(stderr, "va_shim: occupied [%p, %p)\n", want, (char *)want + sz);
		return;
	}
	fprintf(stderr, "va_shim: cannot occupy %p: %s\n", want,
		va == MAP_FAILED ? strerror(errno) : "the kernel moved the mapping");
	if (va != MAP_FAILED)
		munmap(va, sz);
}
