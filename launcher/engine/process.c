// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's process: how the child reports to the launcher (engine.h's
 * protocol), and the order it confines itself in before execve.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "engine.h"
#include "lib/seccomp.h"
#include "setup.h"

const char *engine_prog = "launch";

/* Sends "E<exit code> <errno> <message>" and exits: the child's one way out. */
void __attribute__((noreturn)) child_fail(int fd, struct brig_error **err)
{
	char msg[1024];
	int n = snprintf(msg, sizeof(msg), "E%d %d %s", (*err)->exit_code,
			 (*err)->errnum, (*err)->msg);

	if (n > 0 && send(fd, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1,
			  MSG_NOSIGNAL) < 0)
		brig_error_report(stderr, engine_prog, err);
	_exit((*err)->exit_code);
}

/* Turns a child's "E..." message back into an error; returns -1. */
static int child_error(const char *msg, struct brig_error **err)
{
	int code = BRIG_EXIT_FAILURE, errnum = 0, off = 0;

	if (sscanf(msg, "E%d %d %n", &code, &errnum, &off) < 2 || !off)
		return brig_error_make(err, 0, "container setup failed: %s", msg);
	brig_error_make(err, errnum, "%s", msg + off);
	(*err)->exit_code = code;
	return -1;
}

/* Waits for @want ('R', ...) from the child: 1 got it, 0 EOF, -1 an error message. */
int recv_sync(int fd, char want, char *msg, size_t len, struct brig_error **err)
{
	ssize_t n;

	do
		n = recv(fd, msg, len - 1, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return brig_error_make(err, errno, "waiting for the container");
	msg[n] = '\0';
	if (n == 0)
		return 0;
	if (msg[0] == want)
		return 1;
	return child_error(msg, err);
}

int send_sync(int fd, char c)
{
	return send(fd, &c, 1, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

int send_fd(int fd, char c, int passed)
{
	char control[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control, .msg_controllen = sizeof(control),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &passed, sizeof(int));
	return sendmsg(fd, &msg, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

int recv_fd(int fd, char want, int *passed, struct brig_error **err)
{
	char control[CMSG_SPACE(sizeof(int))], buf[1100];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) - 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control, .msg_controllen = sizeof(control),
	};
	struct cmsghdr *cmsg;
	ssize_t n;

	*passed = -1;
	do
		n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return brig_error_make(err, errno, "waiting for the container");
	if (n == 0)
		return 0;
	buf[n] = '\0';
	/* Exactly one fd is taken; any other that came is closed, not kept. */
	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		size_t i, count;

		if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < count; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));
			if (*passed < 0 && count == 1)
				*passed = fd;
			else
				close(fd);
		}
	}
	if (buf[0] == want && *passed >= 0 && n == 1)
		return 1;
	if (*passed >= 0)
		close(*passed);
	*passed = -1;
	if (buf[0] == want || msg.msg_flags & MSG_CTRUNC)
		return brig_error_make(err, EPROTO, "the container sent a bad terminal");
	return child_error(buf, err);
}

/* Before the capabilities go: without no_new_privs, a filter needs CAP_SYS_ADMIN. */
int confine_early(const struct engine_process *proc, struct brig_error **err)
{
	return proc->no_new_privs ? 0 : setup_seccomp(&proc->seccomp, proc->seccomp_flags, err);
}

/* AppArmor's profile for the next execve, as runc sets it. */
static int apparmor_onexec(const char *profile, struct brig_error **err)
{
	static const char *const files[] = { "/proc/self/attr/apparmor/exec",
					     "/proc/self/attr/exec" };
	char text[512];
	int n = snprintf(text, sizeof(text), "exec %s", profile);
	struct statfs fs;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int fd = open(files[i], O_WRONLY | O_CLOEXEC);

		if (fd < 0 && errno == ENOENT)
			continue;
		/* A /proc that is not procfs (a mount over it) would swallow the profile. */
		if (fd >= 0 && (fstatfs(fd, &fs) || fs.f_type != PROC_SUPER_MAGIC)) {
			close(fd);
			return brig_error_make(err, 0, "AppArmor profile `%s`: %s is not procfs's",
					       profile, files[i]);
		}
		if (fd >= 0 && write(fd, text, (size_t)n) == n) {
			close(fd);
			return 0;
		}
		if (fd >= 0)
			close(fd);
		return brig_error_make(err, errno, "AppArmor profile `%s`", profile);
	}
	return brig_error_make(err, ENOENT, "AppArmor profile `%s`: no /proc/self/attr/exec", profile);
}

/* Last before execve: the AppArmor profile, no_new_privs, then the seccomp filter. */
int confine_late(const struct engine_process *proc, struct brig_error **err)
{
	if (proc->apparmor_profile && apparmor_onexec(proc->apparmor_profile, err))
		return -1;
	if (!proc->no_new_privs)
		return 0;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return brig_error_make(err, errno, "setting no_new_privs");
	return setup_seccomp(&proc->seccomp, proc->seccomp_flags, err);
}

int engine_process_from_spec(const struct brig_container_spec *spec, char **argv, char **env,
			     bool tty, struct engine_process *proc, struct brig_error **err)
{
	*proc = (struct engine_process){
		.argv = argv ? argv : spec->process.argv, .env = env,
		.workdir = spec->process.cwd, .uid = spec->process.uid,
		.gid = spec->process.gid, .caps = spec->process.caps,
		.no_new_privs = spec->process.no_new_privs, .tty = tty,
		.owns_env = true, .n_rlimits = spec->process.n_rlimits,
		.n_groups = spec->process.n_groups, .umask = spec->process.umask,
		.apparmor_profile = spec->process.apparmor_profile,
	};
	memcpy(proc->rlimits, spec->process.rlimits, sizeof(proc->rlimits));
	memcpy(proc->groups, spec->process.groups, sizeof(proc->groups));
	if (!spec->seccomp)
		return 0;
	/* Warnings (names libseccomp does not know) only for a profile of the user's. */
	proc->seccomp_flags = spec->seccomp->flags;
	/* Docker's conditions on capabilities are of the container's, its bounding set. */
	return brig_sc_compile(spec->seccomp, proc->caps.bounding, brig_kernel_version(),
			       spec->seccomp_owned ? stderr : NULL, &proc->seccomp, err);
}

void engine_process_release(struct engine_process *proc)
{
	free(proc->seccomp.filter);
	proc->seccomp.filter = NULL;
	if (proc->owns_env)
		brig_strv_free(proc->env);
	proc->env = NULL;
}
