// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's hooks: runtime-spec's programs run at points of a
 * container's life, each given the container's state on its stdin.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "engine.h"
#include "lib/cleanup.h"
#include "lib/oci.h"

const char *const engine_hook_names[BRIG_HOOK_POINTS] = {
	[BRIG_HOOK_PRESTART] = "prestart", [BRIG_HOOK_CREATE_RUNTIME] = "createRuntime",
	[BRIG_HOOK_CREATE_CONTAINER] = "createContainer",
	[BRIG_HOOK_START_CONTAINER] = "startContainer",
	[BRIG_HOOK_POSTSTART] = "poststart", [BRIG_HOOK_POSTSTOP] = "poststop",
};

char *engine_hook_state(const struct brig_container_spec *spec, pid_t pid, const char *status)
{
	json_object *o brig_cleanup_json = json_object_new_object();

	json_object_object_add(o, "ociVersion", json_object_new_string(BRIG_OCI_SPEC_VERSION));
	json_object_object_add(o, "id", json_object_new_string(spec->id ? spec->id : spec->name));
	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(o, "pid", json_object_new_int(pid));
	json_object_object_add(o, "bundle", json_object_new_string(spec->bundle ? spec->bundle : ""));
	if (spec->annotations)
		json_object_object_add(o, "annotations", json_tokener_parse(spec->annotations));
	return strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						     JSON_C_TO_STRING_NOSLASHESCAPE));
}

static void __attribute__((noreturn)) hook_child(const struct brig_hook *h, int in)
{
	char *none[] = { NULL }, *argv0[] = { h->path, NULL };
	sigset_t all;

	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	if (dup2(in, STDIN_FILENO) < 0)
		_exit(127);
	/* Its output is the runtime's: the caller's log gets it. */
	syscall(SYS_close_range, 3, ~0U, 0);
	execve(h->path, h->args && h->args[0] ? h->args : argv0, h->env ? h->env : none);
	fprintf(stderr, "hook %s: %s\n", h->path, strerror(errno));
	_exit(127);
}

int engine_hook_run(const struct brig_hook *h, const char *point, const char *state,
		    struct brig_error **err)
{
	int in[2], status = 0, pidfd brig_cleanup_close = -1;
	size_t len = strlen(state), off = 0;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC))
		return brig_error_make(err, errno, "%s hook %s", point, h->path);
	pid = fork();
	if (pid < 0) {
		close(in[0]);
		close(in[1]);
		return brig_error_make(err, errno, "%s hook %s", point, h->path);
	}
	if (pid == 0) {
		close(in[1]);
		hook_child(h, in[0]);
	}
	close(in[0]);
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	/*
	 * The whole state, however large (Kubernetes' annotations), unless the
	 * hook exits or stops reading for as long as its timeout (10 s without).
	 */
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	while (off < len) {
		struct pollfd pfd[2] = { { .fd = in[1], .events = POLLOUT },
					 { .fd = pidfd, .events = POLLIN } };
		ssize_t n;

		if (poll(pfd, pidfd >= 0 ? 2 : 1, (h->timeout > 0 ? h->timeout : 10) * 1000) <= 0 ||
		    (pfd[1].revents & POLLIN))
			break;
		n = write(in[1], state + off, len - off);
		if (n < 0 && errno == EAGAIN)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(in[1]);
	if (pidfd >= 0 && h->timeout > 0) {
		struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
		int ready;

		do
			ready = poll(&pfd, 1, h->timeout * 1000);
		while (ready < 0 && errno == EINTR);
		if (ready == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return brig_error_make(err, ETIMEDOUT, "%s hook %s: timed out after %d s",
					       point, h->path, h->timeout);
		}
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	if (WIFSIGNALED(status))
		return brig_error_make(err, 0, "%s hook %s: killed by signal %d", point, h->path,
				       WTERMSIG(status));
	return brig_error_make(err, 0, "%s hook %s: exit status %d", point, h->path,
			       WEXITSTATUS(status));
}

int engine_hooks_run(const struct brig_container_spec *spec, enum brig_hook_point point,
		     const char *state, struct brig_error **err)
{
	for (size_t i = 0; i < spec->n_hooks[point]; i++)
		if (engine_hook_run(&spec->hooks[point][i], engine_hook_names[point], state, err))
			return -1;
	return 0;
}
