// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's exec: a process in a running container, joining its
 * namespaces and taking the confinement launch saved in its state.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "engine.h"
#include "lib/cleanup.h"
#include "setup.h"

/*
 * The container's init as a pidfd, checked to be the registered init, and
 * the namespaces of it that differ from ours, as setns() flags. A pid names
 * a process only while it lives; the pidfd names it until it is reaped, and
 * setns() through it can join no other.
 */
static int open_init(const struct brig_container_info *info, int *pidfd, int *flags,
		     struct brig_error **err)
{
	*flags = 0;
	*pidfd = syscall(SYS_pidfd_open, info->init_pid, 0);
	if (*pidfd < 0)
		return brig_error_make(err, errno == ESRCH ? 0 : errno,
				       "container `%s` is gone (pid %u)", info->name, info->init_pid);
	for (size_t i = 0; i < N_NAMESPACES; i++) {
		char path[64], self[64];
		struct stat a, b;

		snprintf(path, sizeof(path), "/proc/%u/ns/%s", info->init_pid,
			 engine_namespaces[i].name);
		snprintf(self, sizeof(self), "/proc/self/ns/%s", engine_namespaces[i].name);
		if (stat(path, &a))
			return brig_error_make(err, errno, "container namespace %s", path);
		if (engine_namespaces[i].type == CLONE_NEWPID && a.st_ino != info->pidns_ino)
			return brig_error_make(err, 0, "container `%s` is gone (pid %u is another process)",
					       info->name, info->init_pid);
		if (!stat(self, &b) && a.st_ino == b.st_ino && a.st_dev == b.st_dev)
			continue;
		*flags |= engine_namespaces[i].type;
	}
	/* Still alive after the checks: /proc/PID above was the pidfd's process. */
	if (syscall(SYS_pidfd_send_signal, *pidfd, 0, NULL, 0))
		return brig_error_make(err, 0, "container `%s` is gone (pid %u)",
				       info->name, info->init_pid);
	return 0;
}

/* Closes every fd above 2 but @a and @b. */
static int close_all_but(int a, int b)
{
	int lo = a < b ? a : b, hi = a < b ? b : a;

	if ((lo > 3 && syscall(SYS_close_range, 3, lo - 1, 0)) ||
	    (hi > lo + 1 && syscall(SYS_close_range, lo + 1, hi - 1, 0)) ||
	    syscall(SYS_close_range, hi + 1, ~0U, 0))
		return -1;
	return 0;
}

/* Whether the process behind @pidfd has exited: a pidfd turns readable then. */
static bool exited(int pidfd)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

	return poll(&pfd, 1, 0) != 0;
}

/*
 * The process inside: a child of the joiner, in the container's pid
 * namespace. Never returns.
 */
static void __attribute__((noreturn)) exec_inside(struct engine_process *proc, int report,
						 int slave, int joiner, bool detach)
{
	struct brig_error *err = NULL;

	/*
	 * It dies with the joiner, which dies with launch exec: no orphan
	 * inside. Detached, it outlives both: the caller's subreaper reaps it.
	 */
	if (setup_inherited(&err))
		child_fail(report, &err);
	if (proc->umask >= 0)
		umask((mode_t)proc->umask);
	if (!detach && (prctl(PR_SET_PDEATHSIG, SIGKILL) || exited(joiner))) {
		brig_error_make(&err, errno, "the joining process is gone");
		child_fail(report, &err);
	}
	if (setsid() < 0)
		brig_error_make(&err, errno, "starting a session");
	else if (slave >= 0)
		attach_pty(slave, &err);
	if (err || setup_close_fds(report, &err))
		child_fail(report, &err);
	if (!confine_late(proc, &err))
		setup_exec(proc, &err);
	child_fail(3, &err);
}

/*
 * The joiner: non-dumpable, so that nothing in the container can look into
 * it or take its files (CVE-2016-9962), it enters the namespaces through
 * the pidfd and takes the container's user and capabilities outside the
 * container (so that brig.ko's mask does not apply yet), then forks the
 * process that runs inside: the pid namespace takes only children. Never
 * returns.
 */
static void __attribute__((noreturn)) exec_joiner(int pidfd, int flags, struct engine_process *proc,
						 int report, pid_t launcher,
						 const struct engine_exec *how)
{
	struct brig_error *err = NULL;
	int self, child, status, master = -1, slave = -1;
	pid_t pid;

	if (prctl(PR_SET_DUMPABLE, 0))
		brig_error_make(&err, errno, "PR_SET_DUMPABLE");
	/* Into the container's cgroup first: what it forks is accounted there. */
	if (!err && how->cgroup)
		engine_cgroup_join(how->cgroup, &err);
	/* Nothing of launch exec's (its netlink socket) goes further than the pidfd and report. */
	if (!err && close_all_but(pidfd, report))
		brig_error_make(&err, errno, "closing inherited files");
	if (!err && setns(pidfd, flags))
		brig_error_make(&err, errno, "joining the container's namespaces");
	if (!err && (flags & CLONE_NEWUSER) && (setresgid(0, 0, 0) || setresuid(0, 0, 0)))
		brig_error_make(&err, errno, "becoming root of the user namespace");
	/* -t: a pty of the container's devpts, as its init has; the master to launch exec. */
	if (!err && proc->tty && !open_container_pty(&master, &slave, &err) &&
	    send_fd(report, 'T', master))
		brig_error_make(&err, errno, "passing the terminal on");
	if (master >= 0)
		close(master);
	/* rlimits while still root, which may raise a hard limit; the child inherits them. */
	if (err || setup_rlimits(proc->rlimits, proc->n_rlimits, &err) ||
	    setup_workdir(proc->workdir, &err) || confine_early(proc, &err) ||
	    setup_user_caps(proc, &err))
		child_fail(report, &err);
	/*
	 * Again after the credentials changed: that clears PDEATHSIG and sets
	 * dumpable to fs.suid_dumpable, which a host may have at 1. And
	 * launch exec must still be there.
	 */
	if (prctl(PR_SET_DUMPABLE, 0) || prctl(PR_GET_DUMPABLE) != 0) {
		brig_error_make(&err, errno, "PR_SET_DUMPABLE");
		child_fail(report, &err);
	}
	if (!how->detach && (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != launcher)) {
		brig_error_make(&err, errno, "launch exec is gone");
		child_fail(report, &err);
	}
	self = syscall(SYS_pidfd_open, getpid(), 0);
	if (self < 0) {
		brig_error_make(&err, errno, "pidfd_open");
		child_fail(report, &err);
	}
	pid = fork();
	if (pid < 0) {
		brig_error_make(&err, errno, "starting a process in the container%s",
				errno == EAGAIN ? " (at its task ceiling?)" : "");
		child_fail(report, &err);
	}
	if (pid == 0)
		exec_inside(proc, report, slave, self, how->detach);
	/*
	 * The launcher signals the process itself: a pidfd of it, which names
	 * it and no other even after it exits (a pid would not). Ours is its
	 * parent: nobody else reaps it first.
	 */
	child = syscall(SYS_pidfd_open, pid, 0);
	if (child < 0 || send_fd(report, 'P', child)) {
		kill(pid, SIGKILL);
		brig_error_make(&err, errno, "passing the process on");
		child_fail(report, &err);
	}
	close(child);
	close(report);
	if (slave >= 0)
		close(slave);
	if (how->detach)
		_exit(0);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	_exit(exit_code_of(status));
}

/* The pid of the process a pidfd names, from its fdinfo. */
static pid_t pidfd_pid(int pidfd)
{
	char path[64], line[128];
	pid_t pid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Pid: %d", &pid) == 1)
			break;
	if (f)
		fclose(f);
	return pid;
}

int engine_exec_process(const struct brig_container_info *info, struct engine_process *proc,
			const struct engine_exec *how, pid_t *pid, struct brig_error **err)
{
	struct relay r = { .master = -1, .in = -1, .out = STDOUT_FILENO };
	int pidfd brig_cleanup_close = -1, target brig_cleanup_close = -1;
	int report[2] = { -1, -1 }, flags, code = -1, got;
	pid_t joiner, launcher = getpid();
	char msg[1100];

	if (open_init(info, &pidfd, &flags, err))
		goto out;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, report)) {
		brig_error_make(err, errno, "socketpair");
		goto out;
	}
	if (proc->tty && !how->detach)
		r.in = STDIN_FILENO;
	if (block_signals()) {
		brig_error_make(err, errno, "sigprocmask");
		goto out;
	}
	if ((flags & CLONE_NEWUSER) && geteuid() == 0 && setgroups(0, NULL)) {
		brig_error_make(err, errno, "clearing the supplementary groups");
		goto out;
	}
	joiner = fork();
	if (joiner < 0) {
		brig_error_make(err, errno, "fork");
		goto out;
	}
	if (joiner == 0) {
		close(report[0]);
		exec_joiner(pidfd, flags, proc, report[1], launcher, how);
	}
	brig_closep(&report[1]);
	/*
	 * -t: "T" with the pty's master; then "P" with a pidfd of the process,
	 * then EOF once it runs, or "E..." why it did not.
	 */
	if (proc->tty) {
		if (recv_fd(report[0], 'T', &r.master, err) != 1) {
			if (!*err)
				brig_error_make(err, 0, "the joining process exited");
			waitpid(joiner, NULL, 0);
			goto out;
		}
		if (how->detach) {
			if (send_console(how->console_socket, r.master, err)) {
				kill(joiner, SIGKILL);
				waitpid(joiner, NULL, 0);
				goto out;
			}
			brig_closep(&r.master);
		} else {
			pty_size_from(r.master, STDIN_FILENO);
		}
	}
	got = recv_fd(report[0], 'P', &target, err);
	if (got > 0 && syscall(SYS_pidfd_send_signal, target, 0, NULL, 0) && errno != ESRCH)
		got = brig_error_make(err, EPROTO, "the joining process sent no pidfd");
	if (got > 0)
		got = recv_sync(report[0], '\0', msg, sizeof(msg), err);
	if (*err) {
		kill(joiner, SIGKILL);
		waitpid(joiner, NULL, 0);
		goto out;
	}
	if (how->detach) {
		/* It runs; the joiner has gone, and it is our caller's subreaper's to reap. */
		waitpid(joiner, NULL, 0);
		*pid = pidfd_pid(target);
		code = *pid > 0 ? 0 : brig_error_make(err, 0, "the process has already exited");
		goto out;
	}
	code = supervise(joiner, target, &r);
out:
	brig_closep(&report[0]);
	brig_closep(&report[1]);
	brig_closep(&r.master);
	return code;
}

int engine_exec(const char *name, char **argv, char **env, int n_env, bool tty,
		struct brig_error **err)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	struct engine_process proc = { .argv = argv, .tty = tty, .umask = -1 };
	struct brig_container_info info;
	int code = -1, i;

	if (brig_nl_open(&nl, err) || brig_nl_get(nl, 0, name, &info, err) ||
	    state_load(name, info.init_pid, &proc, err))
		goto out;
	for (i = 0; i < n_env; i++)
		brig_env_set(&proc.env, env[i], true);
	if (tty)
		brig_env_set(&proc.env, "TERM=xterm", false);
	code = engine_exec_process(&info, &proc, &(struct engine_exec){ 0 }, NULL, err);
out:
	brig_strv_free(proc.env);
	free((char *)proc.workdir);
	free(proc.seccomp.filter);
	return code;
}
