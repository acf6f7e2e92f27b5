// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's exec: a process in a running container, joining its
 * namespaces and taking the confinement launch saved in its state.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "engine.h"
#include "lib/cleanup.h"
#include "setup.h"

/* Opens init's namespaces that differ from ours (fd -1 for the same). */
static int open_namespaces(pid_t init, int fds[N_NAMESPACES], struct brig_error **err)
{
	for (size_t i = 0; i < N_NAMESPACES; i++) {
		char path[64], self[64];
		struct stat a, b;

		snprintf(path, sizeof(path), "/proc/%d/ns/%s", init, engine_namespaces[i].name);
		snprintf(self, sizeof(self), "/proc/self/ns/%s", engine_namespaces[i].name);
		fds[i] = -1;
		if (stat(path, &a))
			return brig_error_make(err, errno, "container namespace %s", path);
		if (!stat(self, &b) && a.st_ino == b.st_ino && a.st_dev == b.st_dev)
			continue;
		fds[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0)
			return brig_error_make(err, errno, "opening %s", path);
	}
	return 0;
}

/*
 * The joiner: enters the namespaces and takes the container's user and
 * capabilities outside the container (so that brig.ko's mask does not apply
 * yet), then forks the process that runs inside: the pid namespace takes
 * only children. Never returns.
 */
static void __attribute__((noreturn)) exec_joiner(int fds[N_NAMESPACES], struct engine_process *proc,
						 int report, int slave, const sigset_t *mask)
{
	struct brig_error *err = NULL;
	bool user = fds[0] >= 0;
	int status;
	pid_t pid;

	for (size_t i = 0; i < N_NAMESPACES && !err; i++)
		if (fds[i] >= 0 && setns(fds[i], engine_namespaces[i].type))
			brig_error_make(&err, errno, "joining the container's %s namespace",
					engine_namespaces[i].name);
	if (!err && user && (setresgid(0, 0, 0) || setresuid(0, 0, 0)))
		brig_error_make(&err, errno, "becoming root of the user namespace");
	if (err || setup_workdir(proc->workdir, &err) || confine_early(proc, &err) ||
	    setup_user_caps(proc->uid, proc->gid, proc->caps, &err))
		child_fail(report, &err);
	pid = fork();
	if (pid < 0) {
		brig_error_make(&err, errno, "starting a process in the container%s",
				errno == EAGAIN ? " (at its task ceiling?)" : "");
		child_fail(report, &err);
	}
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, mask, NULL);
		if ((slave >= 0 && attach_pty(slave, &err)) || setup_close_fds(report, &err))
			child_fail(report, &err);
		if (!confine_late(proc, &err))
			setup_exec(proc->argv, proc->env, &err);
		child_fail(3, &err);
	}
	/* The launcher signals the process itself: tell it the pid. */
	dprintf(report, "P%d", pid);
	close(report);
	if (slave >= 0)
		close(slave);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	_exit(exit_code_of(status));
}

int engine_exec(const char *name, char **argv, char **env, int n_env, bool tty,
		struct brig_error **err)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	struct engine_process proc = { .argv = argv, .tty = tty };
	struct relay r = { .master = -1, .in = -1, .out = STDOUT_FILENO };
	struct brig_container_info info;
	int fds[N_NAMESPACES], report[2] = { -1, -1 }, slave = -1, code = -1, i;
	pid_t joiner, target = -1;
	char msg[1100];
	sigset_t mask;

	for (size_t j = 0; j < N_NAMESPACES; j++)
		fds[j] = -1;
	if (brig_nl_open(&nl, err) || brig_nl_get(nl, 0, name, &info, err) ||
	    state_load(name, info.init_pid, &proc, err) ||
	    open_namespaces(info.init_pid, fds, err))
		goto out;
	for (i = 0; i < n_env; i++)
		brig_env_set(&proc.env, env[i], true);
	if (tty)
		brig_env_set(&proc.env, "TERM=xterm", false);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, report)) {
		brig_error_make(err, errno, "socketpair");
		goto out;
	}
	if (tty) {
		if (open_pty(&r.master, &slave, err))
			goto out;
		r.in = STDIN_FILENO;
	}
	if (block_signals(&mask)) {
		brig_error_make(err, errno, "sigprocmask");
		goto out;
	}
	if (fds[0] >= 0 && geteuid() == 0)
		setgroups(0, NULL);
	joiner = fork();
	if (joiner < 0) {
		brig_error_make(err, errno, "fork");
		goto out;
	}
	if (joiner == 0) {
		close(report[0]);
		exec_joiner(fds, &proc, report[1], slave, &mask);
	}
	brig_closep(&report[1]);
	brig_closep(&slave);
	/* "P<pid>", then EOF once it runs, or "E..." why it did not. */
	while (recv_sync(report[0], 'P', msg, sizeof(msg), err) == 1)
		target = atoi(msg + 1);
	if (*err) {
		waitpid(joiner, NULL, 0);
		goto out;
	}
	code = supervise(joiner, target > 0 ? target : joiner, &r);
out:
	for (size_t j = 0; j < N_NAMESPACES; j++)
		brig_closep(&fds[j]);
	brig_closep(&report[0]);
	brig_closep(&report[1]);
	brig_closep(&slave);
	brig_closep(&r.master);
	brig_strv_free(proc.env);
	free((char *)proc.workdir);
	free(proc.seccomp.filter);
	return code;
}
