/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by brig's kselftests. They run as root inside the test VM,
 * where brig.ko sits at /lib/brig/brig.ko (or $BRIG_KO) and is not loaded.
 */
#ifndef BRIG_TESTS_COMMON_H
#define BRIG_TESTS_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

/*
 * Every test unloads brig.ko, whose exit waits for an rcu_tasks grace
 * period: on the debug kernel under emulation one can take 30 s by itself
 * (seen in make check), the harness's whole default.
 */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 120

#include <brig.h>
#include "lib/nl.h"
#include "lib/policy.h"

#ifndef finit_module
static inline int finit_module(int fd, const char *params, int flags)
{
	return syscall(__NR_finit_module, fd, params, flags);
}
#endif

#ifndef delete_module
static inline int delete_module(const char *name, unsigned int flags)
{
	return syscall(__NR_delete_module, name, flags);
}
#endif

static inline const char *brig_ko_path(void)
{
	const char *path = getenv("BRIG_KO");

	return path ? path : "/lib/brig/brig.ko";
}

/* Returns 0 or -errno. */
static inline int brig_load(void)
{
	int fd, ret = 0;

	fd = open(brig_ko_path(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (finit_module(fd, "", 0))
		ret = -errno;
	close(fd);
	return ret;
}

/* Returns 0 or -errno. */
static inline int brig_unload(void)
{
	return delete_module("brig", O_NONBLOCK) ? -errno : 0;
}

/* 0 if unloading is refused as it must be while a container lives; else -errno. */
static inline int brig_unload_refused(void)
{
	int ret = brig_unload();

	return ret == -EWOULDBLOCK ? 0 : ret ? ret : -EBUSY;
}

static inline int brig_loaded(void)
{
	return access("/sys/module/brig", F_OK) == 0;
}

static inline int brig_count_one(const struct brig_container_info *info,
				 void *arg)
{
	(void)info;
	++*(int *)arg;
	return 0;
}

/* Opens a client; returns NULL and logs the reason on failure. */
static inline struct brig_nl *brig_open(struct __test_metadata *const _metadata)
{
	struct brig_error *err = NULL;
	struct brig_nl *nl = NULL;

	if (brig_nl_open(&nl, &err) < 0) {
		TH_LOG("brig_nl_open: %s", err->msg);
		brig_error_free(&err);
		return NULL;
	}
	return nl;
}

/* Fails the test with the library's message when @call fails. */
#define ASSERT_BRIG_OK(call, err) do {					\
	int __ret = (call);						\
	ASSERT_EQ(0, __ret) TH_LOG("%s: %s", #call,			\
				   (err) ? (err)->msg : "?");		\
} while (0)

#define CAP_BIT(cap) (1ULL << (cap))
/* Docker's default capabilities, as `caps` starts from. */
#define DOCKER_DEFAULT_CAPS BRIG_DOCKER_DEFAULT_CAPS

/*
 * A box: a process that is the init of a new pid namespace, registered as a
 * container, and that runs commands sent over a pipe:
 *
 *   test process --cmd byte--> box init: fn(cmd, arg) --int result--> test
 *
 * fn runs inside the container, confined; its result is usually 0 or -errno.
 */
typedef int (*brig_box_fn)(int cmd, void *arg);

/* A box keeps the fds from here up: how a test hands it an open file. */
#define BRIG_BOX_FD_KEEP 900

struct brig_box {
	pid_t pid;		/* the box's init, as the test sees it */
	uint32_t id;		/* container id */
	int cmd_fd;
	int res_fd;
};

#ifndef CLONE_NEWPID
#define CLONE_NEWPID 0x20000000
#endif

static inline void brig_box_serve(int cmd_fd, int res_fd, brig_box_fn fn,
				  void *arg, int (*setup)(void *), void *setup_arg)
{
	char cmd;
	int ready = setup ? setup(setup_arg) : 0;

	/* Say we are ready (or why not), then wait to be registered. */
	if (write(res_fd, &ready, sizeof(ready)) != sizeof(ready) || ready)
		_exit(2);
	if (read(cmd_fd, &cmd, 1) != 1)
		_exit(3);
	while (read(cmd_fd, &cmd, 1) == 1) {
		int res = fn(cmd, arg);

		if (write(res_fd, &res, sizeof(res)) != sizeof(res))
			_exit(4);
	}
	_exit(0);
}

/*
 * Starts a box; extra_flags adds namespaces to CLONE_NEWPID; @setup, if
 * not NULL, runs in the box before it is registered (0 or -errno). Returns
 * 0 or -1 with *err set (the box is gone again).
 */
static inline int brig_box_start_setup(struct brig_nl *nl, struct brig_box *box,
				       const char *name,
				       const struct brig_policy_spec *policy,
				       int (*setup)(void *), void *setup_arg,
				       brig_box_fn fn, void *arg,
				       unsigned long extra_flags,
				       struct brig_error **err)
{
	int cmd[2], res[2], ready;

	if (pipe2(cmd, O_CLOEXEC) || pipe2(res, O_CLOEXEC))
		return brig_error_make(err, errno, "pipe");
	box->pid = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD | extra_flags,
			   NULL, NULL, NULL, 0);
	if (box->pid < 0)
		return brig_error_make(err, errno, "clone");
	if (box->pid == 0) {
		int fd;

		/*
		 * Keep only our pipe ends, so that other boxes' see EOF, and
		 * the fds from BRIG_BOX_FD_KEEP up, which a test hands in.
		 */
		for (fd = 3; fd < BRIG_BOX_FD_KEEP; fd++) {
			if (fd != cmd[0] && fd != res[1])
				close(fd);
		}
		brig_box_serve(cmd[0], res[1], fn, arg, setup, setup_arg);
	}
	close(cmd[0]);
	close(res[1]);
	box->cmd_fd = cmd[1];
	box->res_fd = res[0];
	if (read(box->res_fd, &ready, sizeof(ready)) != sizeof(ready) || ready) {
		waitpid(box->pid, NULL, 0);
		close(box->cmd_fd);
		close(box->res_fd);
		return brig_error_make(err, ready < 0 ? -ready : 0,
				       "setting the box up");
	}
	if (brig_nl_register(nl, box->pid, name, policy, &box->id, err) < 0) {
		kill(box->pid, SIGKILL);
		waitpid(box->pid, NULL, 0);
		close(box->cmd_fd);
		close(box->res_fd);
		return -1;
	}
	if (write(box->cmd_fd, "g", 1) != 1)
		return brig_error_make(err, errno, "starting the box");
	return 0;
}

static inline int brig_box_start(struct brig_nl *nl, struct brig_box *box,
				 const char *name,
				 const struct brig_policy_spec *policy,
				 brig_box_fn fn, void *arg,
				 unsigned long extra_flags,
				 struct brig_error **err)
{
	return brig_box_start_setup(nl, box, name, policy, NULL, NULL, fn, arg,
				    extra_flags, err);
}

/* A box that does nothing when asked: only its container matters. */
static inline int brig_box_idle(int cmd, void *arg)
{
	(void)cmd;
	(void)arg;
	return 0;
}

/* Runs one command in the box; returns fn's result (INT_MIN if the box died). */
static inline int brig_box_do(struct brig_box *box, char cmd)
{
	int res;

	if (write(box->cmd_fd, &cmd, 1) != 1 ||
	    read(box->res_fd, &res, sizeof(res)) != sizeof(res))
		return INT_MIN;
	return res;
}

/* Ends the box; returns its wait status. */
static inline int brig_box_stop(struct brig_box *box)
{
	int status = -1;

	close(box->cmd_fd);
	close(box->res_fd);
	waitpid(box->pid, &status, 0);
	return status;
}

/* Waits (up to 20 s) until container @id is unregistered. */
static inline int brig_wait_gone(struct brig_nl *nl, uint32_t id)
{
	struct brig_container_info info;
	struct brig_error *err = NULL;
	int i;

	for (i = 0; i < 2000; i++) {
		if (brig_nl_get(nl, id, NULL, &info, &err) < 0) {
			i = err->errnum == ENOENT ? 0 : -1;
			brig_error_free(&err);
			return i;
		}
		usleep(10000);
	}
	return -1;
}

/* Waits (up to 20 s) until no container is registered. */
static inline int brig_wait_no_container(struct brig_nl *nl)
{
	struct brig_error *err = NULL;
	int i, n;

	for (i = 0; i < 2000; i++) {
		n = 0;
		if (brig_nl_dump(nl, brig_count_one, &n, &err) < 0) {
			brig_error_free(&err);
			return -1;
		}
		if (!n)
			return 0;
		usleep(10000);
	}
	return -1;
}

/* The number in environment variable @name (long runs scale with it), or @fallback. */
static inline unsigned long brig_env_number(const char *name, unsigned long fallback)
{
	const char *s = getenv(name);

	return s && *s ? strtoul(s, NULL, 0) : fallback;
}

/* Logs each hook of @info that skipped calls; returns their sum. */
#define brig_log_hook_misses(info) ({					\
	const struct brig_container_info *__info = (info);		\
	size_t __h;							\
									\
	for (__h = 0; __h < __info->n_hooks; __h++)			\
		if (__info->hooks[__h].misses)				\
			TH_LOG("hook %s missed %llu calls",		\
			       __info->hooks[__h].name,			\
			       (unsigned long long)__info->hooks[__h].misses); \
	__info->hook_misses;						\
})

/* The whole kernel log into @buf (NUL-terminated): its length, or -1. */
static inline int brig_klog_read(char *buf, size_t size)
{
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, size - 1);

	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* Whether @fd has something to read within @ms milliseconds. */
static inline bool brig_readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

/*
 * Runs a shell command line as a user would; its output, stdout and stderr,
 * in @out. Returns its exit status, or -1.
 */
static inline int brig_sh(char *out, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline int brig_sh(char *out, size_t len, const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	FILE *p;
	size_t n;
	int status;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Copies @from to @to (made with @mode); 0 or -errno. */
static inline int brig_copy_file(const char *from, const char *to, mode_t mode)
{
	int in = open(from, O_RDONLY | O_CLOEXEC), out, ret = 0;
	char buf[65536];
	ssize_t n;

	if (in < 0)
		return -errno;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (out < 0) {
		ret = -errno;
		close(in);
		return ret;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, n) != n) {
			ret = -EIO;
			break;
		}
	}
	if (n < 0)
		ret = -errno;
	close(in);
	close(out);
	return ret;
}

/*
 * Waits (10 s at most each) for the next event of @kind from container @id
 * on @listener, skipping others; 0 with *ev filled, or -1.
 */
static inline int brig_next_event_of(struct brig_nl *listener, uint32_t id,
				     uint32_t kind, struct brig_event_info *ev)
{
	struct brig_error *err = NULL;
	int i;

	for (i = 0; i < 100; i++) {
		if (brig_nl_next_event(listener, ev, 10000, &err) <= 0) {
			brig_error_free(&err);
			return -1;
		}
		if (ev->id == id && ev->kind == kind)
			return 0;
	}
	return -1;
}

/* renameat2(2) from the working directory; 0 or -errno. */
static inline int brig_rename2(const char *from, const char *to,
			       unsigned int flags)
{
	return syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, flags) ? -errno : 0;
}

/*
 * Sets @path's inode flags to what they are, as chattr does: -EACCES if
 * refused, 0 otherwise (a file system without flags is no refusal).
 */
static inline int brig_set_flags(const char *path)
{
	int fd = open(path, O_RDONLY), flags = 0, ret = 0;

	if (fd < 0)
		return -errno;
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 &&
	    ioctl(fd, FS_IOC_SETFLAGS, &flags))
		ret = -errno;
	close(fd);
	return ret == -EACCES ? ret : 0;
}

#endif /* BRIG_TESTS_COMMON_H */
