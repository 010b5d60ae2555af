/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Source-compatibility probe for rte_eal.h, rte_lcore.h and rte_launch.h:
 * written against DPDK 22.11, built against it and against this EAL by
 * devtools/compat-check.sh, whose outputs must match. Run it with EAL
 * options (--no-huge --no-pci, a file prefix and an lcore set).
 * Worker results are collected first and printed by the main lcore, so
 * the output does not depend on scheduling.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_per_lcore.h>

struct worker_seen {
	unsigned int lcore_id;
	int index;
	unsigned int socket;
	int on_own_cpus;
	int tid_ok;
	unsigned int per_lcore;
};

static struct worker_seen seen[RTE_MAX_LCORE];
static RTE_DEFINE_PER_LCORE(unsigned int, per_lcore_value);
static volatile int release;

static int
record(void *arg)
{
	unsigned int id = rte_lcore_id();
	rte_cpuset_t cpus = rte_lcore_cpuset(id);

	RTE_PER_LCORE(per_lcore_value) = id * 10;
	seen[id].lcore_id = id;
	seen[id].index = rte_lcore_index(-1);
	seen[id].socket = rte_socket_id();
	seen[id].on_own_cpus = CPU_ISSET(sched_getcpu(), &cpus);
	seen[id].tid_ok = rte_gettid() == (int)gettid();
	seen[id].per_lcore = RTE_PER_LCORE(per_lcore_value);
	return (int)(uintptr_t)arg + (int)id;
}

static int
spin(void *arg)
{
	while (!__atomic_load_n(&release, __ATOMIC_ACQUIRE))
		sched_yield();
	return (int)(uintptr_t)arg;
}

static void
print_cpus(unsigned int lcore)
{
	rte_cpuset_t cpus = rte_lcore_cpuset(lcore);
	unsigned int cpu;

	printf(" cpus");
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &cpus))
			printf(" %u", cpu);
}

static void
print_lcores(void)
{
	unsigned int i;

	printf("main %u count %u sockets %u socket0 %d\n", rte_get_main_lcore(),
		rte_lcore_count(), rte_socket_count(), rte_socket_id_by_idx(0));
	rte_errno = 0;
	i = (unsigned int)rte_socket_id_by_idx(99);
	printf("socket_id_by_idx(99) %d rte_errno %d\n", (int)i, rte_errno);
	for (i = 0; i < RTE_MAX_LCORE; i++) {
		if (rte_eal_lcore_role(i) == ROLE_OFF)
			continue;
		printf("lcore %u role %d enabled %d index %d socket %u", i,
			(int)rte_eal_lcore_role(i), rte_lcore_is_enabled(i), rte_lcore_index((int)i),
			rte_lcore_to_socket_id(i));
		print_cpus(i);
		printf("\n");
	}
	printf("role(MAX) %d has_role(MAX) %d enabled(MAX) %d\n",
		(int)rte_eal_lcore_role(RTE_MAX_LCORE),
		rte_lcore_has_role(RTE_MAX_LCORE, ROLE_RTE), rte_lcore_is_enabled(RTE_MAX_LCORE));
	printf("walk:");
	RTE_LCORE_FOREACH(i)
		printf(" %u", i);
	printf(" | workers:");
	RTE_LCORE_FOREACH_WORKER(i)
		printf(" %u", i);
	printf("\nnext(main,1,0) %u next(main,0,1) %u next(MAX-1,0,0) %u next(MAX-1,0,1) %u\n",
		rte_get_next_lcore(rte_get_main_lcore(), 1, 0),
		rte_get_next_lcore(rte_get_main_lcore(), 0, 1),
		rte_get_next_lcore(RTE_MAX_LCORE - 1, 0, 0),
		rte_get_next_lcore(RTE_MAX_LCORE - 1, 0, 1));
	printf("main thread: lcore_id %u index %d socket %u\n", rte_lcore_id(),
		rte_lcore_index(-1), rte_socket_id());
}

static void
print_launches(void)
{
	unsigned int i, first = RTE_MAX_LCORE;
	int ret;

	RTE_LCORE_FOREACH_WORKER(i) {
		int before = (int)rte_eal_get_lcore_state(i), waited;

		ret = rte_eal_remote_launch(record, (void *)(uintptr_t)1000, i);
		waited = rte_eal_wait_lcore(i);
		printf("lcore %u state before %d launch %d wait %d state after %d\n", i, before,
			ret, waited, (int)rte_eal_get_lcore_state(i));
		printf("  seen: id %u index %d socket %u own cpus %d tid %d per_lcore %u\n",
			seen[i].lcore_id, seen[i].index, seen[i].socket, seen[i].on_own_cpus,
			seen[i].tid_ok, seen[i].per_lcore);
		if (first == RTE_MAX_LCORE)
			first = i;
	}
	printf("wait on idle lcore: %d\n", first < RTE_MAX_LCORE ? rte_eal_wait_lcore(first) : -1);
	ret = rte_eal_mp_remote_launch(record, (void *)(uintptr_t)2000, CALL_MAIN);
	rte_eal_mp_wait_lcore();
	printf("mp launch CALL_MAIN %d, main saw index %d per_lcore %u\n", ret,
		seen[rte_get_main_lcore()].index, seen[rte_get_main_lcore()].per_lcore);
	RTE_LCORE_FOREACH_WORKER(i)
		printf("  lcore %u wait after mp %d\n", i, rte_eal_wait_lcore(i));
	ret = rte_eal_mp_remote_launch(record, (void *)(uintptr_t)3000, SKIP_MAIN);
	rte_eal_mp_wait_lcore();
	printf("mp launch SKIP_MAIN %d\n", ret);
	if (first == RTE_MAX_LCORE)
		return;
	release = 0;
	ret = rte_eal_remote_launch(spin, (void *)(uintptr_t)7, first);
	{
		int state = (int)rte_eal_get_lcore_state(first);
		int again = rte_eal_remote_launch(spin, NULL, first);
		int mp = rte_eal_mp_remote_launch(spin, NULL, SKIP_MAIN);

		printf("busy: launch %d state %d relaunch %d mp %d\n", ret, state, again, mp);
	}
	__atomic_store_n(&release, 1, __ATOMIC_RELEASE);
	printf("busy: wait %d\n", rte_eal_wait_lcore(first));
}

/* init; the usage text a refusal may print is not part of the API */
/* ---- lcore callbacks and non-EAL threads ---- */

static unsigned int cb_inits, cb_uninits, cb_last;
static int refuse_from = RTE_MAX_LCORE;

static int
cb_init(unsigned int lcore_id, void *arg)
{
	if ((int)lcore_id >= refuse_from)
		return -1;
	cb_inits++;
	cb_last = lcore_id + (unsigned int)(uintptr_t)arg;
	return 0;
}

static void
cb_uninit(unsigned int lcore_id, void *arg)
{
	cb_uninits++;
	cb_last = lcore_id + (unsigned int)(uintptr_t)arg;
}

static int
count_lcore(unsigned int lcore_id, void *arg)
{
	unsigned int *n = arg;

	(void)lcore_id;
	(*n)++;
	return 0;
}

struct thread_seen {
	int reg, errno_reg, index;
	unsigned int id, role_ok, count_inside, inits_inside, iterated;
	unsigned int id_after;
};

static void *
non_eal_thread(void *arg)
{
	struct thread_seen *t = arg;

	t->reg = rte_thread_register();
	t->errno_reg = t->reg < 0 ? rte_errno : 0;
	t->id = rte_lcore_id();
	t->index = rte_lcore_index(-1);
	t->role_ok = t->id < RTE_MAX_LCORE && rte_lcore_has_role(t->id, ROLE_NON_EAL) == 1;
	t->count_inside = rte_lcore_count();
	rte_lcore_iterate(count_lcore, &t->iterated);
	t->inits_inside = cb_inits;
	rte_thread_unregister();
	t->id_after = rte_lcore_id();
	return NULL;
}

static void
print_non_eal(void)
{
	struct thread_seen t;
	pthread_t th;
	void *h, *h2;

	h = rte_lcore_callback_register("compat", cb_init, cb_uninit, (void *)(uintptr_t)1000);
	printf("callback: handle %d inits %u last %u\n", h != NULL, cb_inits, cb_last);
	refuse_from = (int)rte_get_main_lcore() + 1;
	h2 = rte_lcore_callback_register("refusing", cb_init, cb_uninit, NULL);
	printf("refused callback: handle %d inits %u uninits %u\n", h2 != NULL, cb_inits,
		cb_uninits);
	refuse_from = RTE_MAX_LCORE;
	memset(&t, 0, sizeof(t));
	pthread_create(&th, NULL, non_eal_thread, &t);
	pthread_join(th, NULL);
	printf("non-EAL thread: register %d (errno %d) index %d role %u count %u (outside %u) "
		"inits %u, after unregister id %u\n", t.reg, t.errno_reg, t.index, t.role_ok,
		t.count_inside, rte_lcore_count(), t.inits_inside, t.id_after);
	printf("callback: uninits %u\n", cb_uninits);
	printf("rte_lcore_iterate() with a non-EAL lcore: %u lcores\n", t.iterated);
	rte_lcore_callback_unregister(h);
	printf("unregistered: uninits %u\n", cb_uninits);
	printf("main thread registers: %d, id %u\n", rte_thread_register(), rte_lcore_id());
}

static int
run_init(int argc, char **argv, const char *what)
{
	int out = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY), ret;

	fflush(stdout);
	dup2(null, STDOUT_FILENO);
	ret = rte_eal_init(argc, argv);
	fflush(stdout);
	dup2(out, STDOUT_FILENO);
	close(out);
	close(null);

	printf("%s: ret %d rte_errno %d (%s)\n", what, ret < 0 ? ret : 0,
		ret < 0 ? rte_errno : 0, ret < 0 ? rte_strerror(rte_errno) : "-");
	return ret;
}

int
main(int argc, char **argv)
{
	char *bad[] = { argv[0], (char *)(uintptr_t)"--lcores", (char *)(uintptr_t)"0@(", NULL };
	char *again[] = { argv[0], NULL };
	char *nolcore[] = { argv[0], (char *)(uintptr_t)"-l", (char *)(uintptr_t)"127", NULL };
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	run_init(3, bad, "init with a bad --lcores");
	run_init(3, nolcore, "init with an absent CPU");
	ret = run_init(argc, argv, "init");
	if (ret < 0)
		return 1;
	printf("consumed %d\n", ret);
	run_init(1, again, "second init");
	printf("proc %d hugepages %d pci %d iova %d uio %d vfio_intr %d pool_ops %s\n",
		(int)rte_eal_process_type(), rte_eal_has_hugepages(), rte_eal_has_pci(),
		(int)rte_eal_iova_mode(), rte_eal_create_uio_dev(), (int)rte_eal_vfio_intr_mode(),
		rte_eal_mbuf_user_pool_ops() ? rte_eal_mbuf_user_pool_ops() : "(null)");
	printf("runtime dir %s\n", rte_eal_get_runtime_dir());
	printf("primary alive (self) %d, other %d\n", rte_eal_primary_proc_alive(NULL),
		rte_eal_primary_proc_alive("/nonexistent/config"));
	printf("gettid %d\n", rte_gettid() == rte_sys_gettid());
	print_lcores();
	print_launches();
	print_non_eal();
	printf("cleanup %d\n", rte_eal_cleanup());
	ret = rte_eal_cleanup();
	printf("cleanup again %d rte_errno %d\n", ret, rte_errno);
	run_init(1, again, "init after cleanup");
	return 0;
}
