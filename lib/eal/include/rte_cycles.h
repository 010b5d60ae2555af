/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_CYCLES_H_
#define _RTE_CYCLES_H_

/**
 * @file
 * Time stamp counter and delays. The TSC frequency is read from the CPU
 * (CPUID leaf 0x15) or measured against CLOCK_MONOTONIC_RAW at init.
 */

#include <stdint.h>
#include <rte_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @return the CPU time stamp counter. */
static inline uint64_t
rte_rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a" (lo), "=d" (hi));
	return ((uint64_t)hi << 32) | lo;
}

/** @return the TSC, ordered after all earlier loads and stores. */
static inline uint64_t
rte_rdtsc_precise(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return rte_rdtsc();
}

/** @return TSC cycles per second (0 before rte_eal_init()). */
uint64_t rte_get_tsc_hz(void);

/** @return the TSC. */
static inline uint64_t
rte_get_tsc_cycles(void)
{
	return rte_rdtsc();
}

/** @return the timer counter (the TSC on this platform). */
static inline uint64_t
rte_get_timer_cycles(void)
{
	return rte_get_tsc_cycles();
}

/** @return the timer frequency in Hz. */
static inline uint64_t
rte_get_timer_hz(void)
{
	return rte_get_tsc_hz();
}

/** Busy-wait @p us microseconds. */
void rte_delay_us_block(unsigned int us);

/** Sleep @p us microseconds (yields the CPU). */
void rte_delay_us_sleep(unsigned int us);

/** Wait @p us microseconds (busy-wait). */
static inline void
rte_delay_us(unsigned int us)
{
	rte_delay_us_block(us);
}

/** Wait @p ms milliseconds. */
static inline void
rte_delay_ms(unsigned int ms)
{
	rte_delay_us(ms * 1000);
}

#ifdef __cplusplus
}
#endif

#endif /* _RTE_CYCLES_H_ */
