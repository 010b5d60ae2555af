/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Source-compatibility probe for rte_errno.h and rte_log.h (see
 * eal_lcore.c). Log output goes to a stream of our own, read back and
 * printed, so both builds print the same bytes.
 */

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>

RTE_LOG_REGISTER(compat_logtype_static, compat.static, NOTICE);

static FILE *stream;

static void *
errno_in_thread(void *arg)
{
	int *out = arg;

	*out = rte_errno;
	rte_errno = EPERM;
	return NULL;
}

static void
print_errors(void)
{
	static const int codes[] = {
		0, EINVAL, ENOMEM, ENOSPC, EEXIST, ENOENT, E_RTE_SECONDARY, E_RTE_NO_CONFIG,
	};
	pthread_t t;
	unsigned int i;
	int other = -1;

	for (i = 0; i < RTE_DIM(codes); i++)
		printf("strerror(%d) '%s'\n", codes[i], rte_strerror(codes[i]));
	printf("RTE_MIN_ERRNO %d RTE_MAX_ERRNO %d\n", RTE_MIN_ERRNO, RTE_MAX_ERRNO);
	rte_errno = ENOEXEC;
	pthread_create(&t, NULL, errno_in_thread, &other);
	pthread_join(t, NULL);
	printf("rte_errno per thread: here %d, new thread saw %d\n", rte_errno, other);
}

/* print and forget what the log stream received */
static void
flush_stream(const char *what)
{
	char buf[512];
	size_t n;

	fflush(stream);
	rewind(stream);
	n = fread(buf, 1, sizeof(buf) - 1, stream);
	buf[n] = '\0';
	printf("%s: [%s]\n", what, buf);
	fclose(stream);
	stream = tmpfile();
	rte_openlog_stream(stream);
}

static int
vlog_helper(uint32_t level, uint32_t type, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = rte_vlog(level, type, fmt, ap);
	va_end(ap);
	return ret;
}

static void
print_logs(void)
{
	int a, a2, b, c, r1, r2, r3;

	stream = tmpfile();
	r1 = rte_openlog_stream(stream);
	printf("openlog %d same stream %d\n", r1, rte_log_get_stream() == stream);
	a = rte_log_register("compat.a");
	a2 = rte_log_register("compat.a");
	b = rte_log_register_type_and_pick_level("compat.b", RTE_LOG_WARNING);
	printf("register a %d again same %d, b %d\n", a >= RTE_LOGTYPE_FIRST_EXT_ID, a == a2,
		b >= RTE_LOGTYPE_FIRST_EXT_ID);
	printf("levels: a %d b %d static %d eal %d user1 %d\n", rte_log_get_level(a),
		rte_log_get_level(b), rte_log_get_level(compat_logtype_static),
		rte_log_get_level(RTE_LOGTYPE_EAL), rte_log_get_level(RTE_LOGTYPE_USER1));
	r1 = rte_log_set_level(100000, RTE_LOG_INFO);
	r2 = rte_log_set_level(a, RTE_LOG_MAX + 1);
	r3 = rte_log_set_level(a, RTE_LOG_DEBUG);
	printf("set_level bad type %d, bad level %d, ok %d -> %d\n", r1, r2, r3,
		rte_log_get_level(a));
	printf("get_level bad type %d\n", rte_log_get_level(100000));
	r1 = rte_log_set_level_pattern("compat.*", RTE_LOG_ERR);
	printf("pattern %d -> a %d b %d\n", r1, rte_log_get_level(a), rte_log_get_level(b));
	/* a pattern set through the API is not applied to later types */
	c = rte_log_register_type_and_pick_level("compat.c", RTE_LOG_INFO);
	printf("registered after the pattern: c %d\n", rte_log_get_level(c));
	r1 = rte_log_set_level_regexp("^compat\\.b$", RTE_LOG_DEBUG);
	r2 = rte_log_set_level_regexp("[", RTE_LOG_DEBUG);
	printf("regexp %d -> a %d b %d; bad regexp %d\n", r1, rte_log_get_level(a),
		rte_log_get_level(b), r2);
	r1 = rte_log_set_level_pattern("compat.*", RTE_LOG_MAX + 1);
	printf("pattern bad level %d\n", r1);

	rte_log_set_global_level(RTE_LOG_NOTICE);
	printf("global %u can_log: a err %d a info %d b debug %d\n", rte_log_get_global_level(),
		rte_log_can_log(a, RTE_LOG_ERR), rte_log_can_log(a, RTE_LOG_INFO),
		rte_log_can_log(b, RTE_LOG_DEBUG));
	r1 = rte_log(RTE_LOG_ERR, a, "hello %d\n", 42);
	printf("rte_log %d cur level %d cur type is a %d\n", r1, rte_log_cur_msg_loglevel(),
		rte_log_cur_msg_logtype() == a);
	r1 = rte_log(RTE_LOG_INFO, a, "filtered by the global level\n");
	rte_log_set_global_level(RTE_LOG_DEBUG);
	r2 = rte_log(RTE_LOG_INFO, a, "filtered by the type level\n");
	printf("filtered rte_log %d %d\n", r1, r2);
	RTE_LOG(ERR, USER1, "user1 %s\n", "line");
	RTE_LOG(DEBUG, USER1, "user1 debug, filtered\n");
	r1 = vlog_helper(RTE_LOG_EMERG, b, "via %s\n", "rte_vlog");
	printf("vlog %d\n", r1);
	flush_stream("stream");
	rte_log_set_level(RTE_LOGTYPE_USER1, RTE_LOG_DEBUG);
	RTE_LOG(DEBUG, USER1, "now shown\n");
	flush_stream("stream");
}

int
main(int argc, char **argv)
{
	int ret;

	print_errors();
	ret = rte_eal_init(argc, argv);
	printf("init %d\n", ret < 0 ? -1 : 0);
	if (ret < 0)
		return 1;
	print_logs();
	rte_eal_cleanup();
	return 0;
}
