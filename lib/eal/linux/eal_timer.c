/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * TSC frequency. CPUID leaf 0x15 gives it exactly where the CPU reports
 * it; otherwise it is measured against CLOCK_MONOTONIC_RAW over a short
 * busy window (both clocks are read back to back, so a few milliseconds
 * give better than 0.1% accuracy without DPDK's 100 ms sleep).
 */

#include <cpuid.h>
#include <inttypes.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>

#include "eal_export.h"
#include "eal_log.h"
#include "eal_private.h"

#define CALIBRATION_NS (5 * 1000 * 1000ULL)

static uint64_t eal_tsc_hz;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t
tsc_hz_from_cpuid(void)
{
	unsigned int a, b, c, d;

	if (__get_cpuid_max(0, NULL) < 0x15)
		return 0;
	__cpuid(0x15, a, b, c, d);
	if (a == 0 || b == 0 || c == 0)
		return 0;
	return (uint64_t)c * b / a;
}

static uint64_t
tsc_hz_measured(void)
{
	uint64_t ns0, ns1, tsc0, tsc1;

	ns0 = now_ns();
	tsc0 = rte_rdtsc_precise();
	do {
		ns1 = now_ns();
		tsc1 = rte_rdtsc_precise();
	} while (ns1 - ns0 < CALIBRATION_NS);
	return (tsc1 - tsc0) * 1000000000ULL / (ns1 - ns0);
}

int
rte_eal_timer_init(void)
{
	if (eal_tsc_hz != 0)
		return 0;
	eal_tsc_hz = tsc_hz_from_cpuid();
	if (eal_tsc_hz == 0)
		eal_tsc_hz = tsc_hz_measured();
	EAL_LOG(DEBUG, "TSC frequency is ~%" PRIu64 " KHz", eal_tsc_hz / 1000);
	return 0;
}

RTE_EXPORT_SYMBOL(rte_get_tsc_hz)
uint64_t
rte_get_tsc_hz(void)
{
	return eal_tsc_hz;
}

RTE_EXPORT_SYMBOL(rte_delay_us_block)
void
rte_delay_us_block(unsigned int us)
{
	uint64_t start = rte_get_timer_cycles();
	uint64_t ticks = (uint64_t)us * rte_get_timer_hz() / 1000000;

	if (eal_tsc_hz == 0) {
		rte_delay_us_sleep(us);
		return;
	}
	while (rte_get_timer_cycles() - start < ticks)
		rte_pause();
}

RTE_EXPORT_SYMBOL(rte_delay_us_sleep)
void
rte_delay_us_sleep(unsigned int us)
{
	struct timespec ts = {
		.tv_sec = us / 1000000,
		.tv_nsec = (long)(us % 1000000) * 1000,
	};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}
