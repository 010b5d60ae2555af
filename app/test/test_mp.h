/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _TEST_MP_H_
#define _TEST_MP_H_

/*
 * Helpers shared by the multi-process tests (test_mp.c). A child is
 * dpdk-test run again with the hidden command "mp_child_autotest" and
 * $MP_CHILD_ROLE naming what it does; roles starting with "mem_" are
 * implemented by mp_mem_child() in test_mp_mem.c, "crash_" ones by
 * mp_crash_child() in test_mp_crash.c.
 */

#include <stdbool.h>
#include <sys/types.h>

#define CHILD_WAIT_S 20 /* longest a test waits for a child */
/* the others carry on within this after a kill -9 (RELIABILITY R4) */
#define MP_RECOVERY_S 10

/* @return CLOCK_MONOTONIC in seconds. */
double now_s(void);

/* Wait until *v >= want or @p secs elapse. @return true if reached. */
bool wait_for(volatile int *v, int want, double secs);

/*
 * Start dpdk-test in @p role with --proc-type=@p proc_type and
 * --file-prefix=@p prefix (NULL: ours) plus one @p extra argument.
 * @return its pid or -1.
 */
pid_t spawn_child(const char *role, const char *proc_type, const char *prefix,
		const char *extra);

/* @return the exit status of @p pid, or -1 (killed, or still running after
 * @p secs: then it is killed). */
int wait_child(pid_t pid, double secs);

struct eal_shared_rwlock;
/* @return true if nobody claims or reads @p l (eal_shared_lock.h). */
bool shared_rwlock_idle(const struct eal_shared_rwlock *l);

/* Print the state of the shared memory hotplug lock (a watchdog's dump). */
void dump_hotplug_lock(void);

/* Child: tell the primary we are ready (bumps its ready_count). @return 0/-1. */
int child_say_ready(void);

/* Primary: ready messages received so far. */
extern volatile int ready_count;

/* Primary: count children's ready messages (register / unregister). */
int mp_ready_register(void);
void mp_ready_unregister(void);

/* Child side of the "mem_*" roles. */
int mp_mem_child(const char *role);

/* Child side of the "crash_*" roles (test_mp_crash.c). */
int mp_crash_child(const char *role);

/* Primary: create / remove the control memzone of the memory tests. */
int mp_mem_setup(void);
void mp_mem_teardown(void);

/*
 * Primary, RELIABILITY R4: @p iterations times, kill -9 a secondary that
 * grows the heap while another one does too, under a watchdog; prints the
 * worst time the primary and the other secondary needed to make progress
 * again. @return TEST_SUCCESS if that stayed under MP_RECOVERY_S, the heap
 * locks are crash-safe and no data read back wrong, else TEST_FAILED.
 */
int mp_kill_test(int iterations);

/*
 * Average microseconds of an allocation that grows the heap, made by the
 * primary or by a secondary (through the primary), with @p k_others other
 * idle secondaries to sync. @return -1 on failure.
 */
double mp_bench_growth_us(bool in_secondary, int k_others, int iters);

#endif /* _TEST_MP_H_ */
