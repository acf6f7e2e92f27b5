/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The engine: starts a container from a container spec (lib/spec.h) and
 * joins running ones, whatever front end made the spec. One file per
 * object:
 *
 *   run.c      clone into namespaces, maps, registration, supervision
 *   exec.c     joining a running container (launch exec)
 *   state.c    the run directory, /run/brig/NAME: what exec needs
 *   network.c  published ports, through pasta
 *   relay.c    the pty and the signals between caller and container
 *   process.c  the child's report and its confinement order
 *   rootfs.c   the child's root filesystem: mounts, /dev, masked paths, pivot_root
 *   setup.c    the child's process: signals, rlimits, fds, user, caps, seccomp, exec
 *   sealed.c   the engine's binary, run from a sealed copy
 *
 * The launch order is design.md's, with one refinement: the container is
 * registered with brig.ko after its root is set up (a container with file
 * rules may not pivot_root) and after the capability sets are in place (the
 * module's mask would refuse CAP_SETUID to a `caps drop ALL` container), but
 * before no_new_privs, seccomp and execve: before any code of its own runs.
 *
 *   launcher                          container init (clone3 into namespaces)
 *   write uid/gid maps      -- 'M' -->  become root of the user namespace
 *                                       mounts, pivot_root, hostname, rlimits,
 *                                       fds, workdir, user, capabilities
 *   register with brig.ko   <-- 'R' --
 *   write /run/brig/NAME    -- 'G' -->  no_new_privs, seccomp, execve
 *   EOF: running            <-- EOF --  (or 'E': why exec failed)
 *   forward signals, relay the tty, wait; exit with the container's status
 */
#ifndef BRIG_ENGINE_H
#define BRIG_ENGINE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <termios.h>
#include <linux/filter.h>

#include "lib/error.h"
#include "lib/nl.h"
#include "lib/record.h"
#include "lib/spec.h"

#define STATE_DIR BRIG_RUN_DIR

/* What a container runs with, and what `launch exec` needs to join it. */
struct engine_process {
	char **argv;
	char **env;
	const char *workdir;
	uid_t uid;
	gid_t gid;
	gid_t groups[BRIG_GROUPS_MAX];
	size_t n_groups;
	struct brig_caps caps;
	struct brig_rlimit rlimits[BRIG_RLIMITS_MAX];
	size_t n_rlimits;
	bool no_new_privs;
	struct sock_fprog seccomp;	/* .filter NULL: unconfined */
	uint32_t seccomp_flags;
	bool tty;
	bool owns_env;		/* engine_process_release() frees env */
	const char *exec_path;	/* the program, once looked up; NULL: by PATH at execve */
	int umask;		/* -1: Docker's, 0022 */
	const char *apparmor_profile;	/* exec'd under it; NULL: none */
};

/*
 * The container's first process from @spec: @argv (NULL: the spec's) with
 * @env, which it takes, and the seccomp filter built for its capabilities.
 * Release it with engine_process_release(), on failure too.
 */
int engine_process_from_spec(const struct brig_container_spec *spec, char **argv, char **env,
			     bool tty, struct engine_process *proc, struct brig_error **err);
void engine_process_release(struct engine_process *proc);

/* ---- sealed.c */

/*
 * Runs the program again from a sealed memfd copy of its binary, with
 * @argv, unless it runs from one already (CVE-2019-5736). Returns 0 in
 * the copy, -1 with *err set if it cannot.
 */
int engine_reexec_sealed(char **argv, struct brig_error **err);

/*
 * Whether @spec's container, made anew, can write no file of this binary's
 * owner and group: then it needs no sealed copy (see sealed.c).
 */
bool engine_binary_out_of_reach(const struct brig_container_spec *spec);

/* ---- run.c */

/* How engine_run() runs a container. */
enum engine_flags {
	/* -d: return once it runs, printing its id; a monitor supervises it and keeps its record. */
	ENGINE_DETACH = 1 << 0,
	/* --rm: no record is kept once it exited. */
	ENGINE_REMOVE = 1 << 1,
};

/*
 * Starts @spec's container running @proc and supervises it, as @flags say.
 * Returns the container's exit code, or -1 with *err set.
 */
int engine_run(const struct brig_container_spec *spec, struct engine_process *proc,
	       unsigned int flags, struct brig_error **err);

/* How engine_create() leaves a container: made, held before its process runs. */
struct engine_hold {
	/* A FIFO the init opens for writing, blocking there until `start` reads it. */
	const char *exec_fifo;
	/* A terminal: the pty master goes to this AF_UNIX socket (SCM_RIGHTS). */
	const char *console_socket;
	int preserve_fds;	/* fds 3 to 3 + N - 1 passed on to the container */
};

/*
 * Makes @spec's container to run @proc, registered with brig.ko, and
 * returns with its init held (engine_hold) and reparented to our caller's
 * subreaper once we exit: *init and *id set. 0, or -1 with *err set and
 * nothing left.
 */
int engine_create(const struct brig_container_spec *spec, struct engine_process *proc,
		  const struct engine_hold *hold, pid_t *init, uint32_t *id,
		  struct brig_error **err);

/* The namespaces: the spec's bit, the clone flag, /proc/PID/ns's name. */
struct engine_namespace {
	uint32_t brig;
	int type;
	const char *name;
};
/* Every namespace a spec names (enum brig_ns), one bit each. */
#define N_NAMESPACES 8
_Static_assert(BRIG_NS_ALL == (1 << N_NAMESPACES) - 1, "a namespace for every bit");
/* User first: exec joins in this order, and the user namespace grants the rest. */
extern const struct engine_namespace engine_namespaces[N_NAMESPACES];

/* ---- network.c */

/* pasta, forwarding a container's published ports; pasta -1: none runs. */
struct network {
	pid_t pasta;
	int pidfd;
};

/*
 * What publishing @spec's ports needs from the host, checked before anything
 * starts: /dev/net/tun, and host ports pasta may bind. 0, or -1 with *err set.
 */
int network_check(const struct brig_container_spec *spec, struct brig_error **err);
/*
 * Forwards @spec's published ports into the network namespace of @init
 * (whose user namespace has its maps), ready when this returns 0. No
 * published port: nothing runs. -1 with *err set (pasta's own words).
 */
int network_start(const struct brig_container_spec *spec, pid_t init, struct network *net,
		  struct brig_error **err);
/* Stops what network_start() started, and waits for it. */
void network_stop(struct network *net);

/* ---- cgroup.c */

/*
 * Makes @cg's cgroup v2 (its folders, the controllers enabled, its
 * limits): an fd of it for CLONE_INTO_CGROUP, or -1 with *err set.
 */
int engine_cgroup_make(const struct brig_cgroup *cg, struct brig_error **err);
/* Moves the calling process into the cgroup v2 at @path. */
int engine_cgroup_join(const char *path, struct brig_error **err);
/* Removes the cgroup at @path once its tasks are gone. */
int engine_cgroup_remove(const char *path, struct brig_error **err);

/* ---- hooks.c */

/* runtime-spec's names of the hook points. */
extern const char *const engine_hook_names[BRIG_HOOK_POINTS];
/*
 * Runs @h with @state (runtime-spec's state JSON) on its stdin and waits,
 * killing it after its timeout. 0 if it exited 0, else -1 with *err set.
 */
int engine_hook_run(const struct brig_hook *h, const char *point, const char *state,
		    struct brig_error **err);
/* runtime-spec's state JSON of @spec's container, for hooks: a string to free, or NULL. */
char *engine_hook_state(const struct brig_container_spec *spec, pid_t pid, const char *status);
/* Runs @spec's hooks of @point in order, stopping at the first that fails. */
int engine_hooks_run(const struct brig_container_spec *spec, enum brig_hook_point point,
		     const char *state, struct brig_error **err);

/* ---- exec.c */

/* How engine_exec_process() runs a process in a running container. */
struct engine_exec {
	/* Return once it runs (its pid set); our caller's subreaper reaps it. */
	bool detach;
	const char *console_socket;	/* detached with a tty: the pty master goes there */
	const char *cgroup;	/* the container's cgroup v2 path, joined first; NULL: none */
};

/*
 * Runs @proc in the running container @info (joining its namespaces
 * through a pidfd of its init, confined as engine.h says). Its exit code;
 * detached, 0 and *pid set. -1 with *err set.
 */
int engine_exec_process(const struct brig_container_info *info, struct engine_process *proc,
			const struct engine_exec *how, pid_t *pid, struct brig_error **err);

/*
 * Runs @argv in the running container @name, with the state launch saved
 * for it and @env (NAME=VALUE, @n_env of them) over its environment; a pty
 * with @tty. Returns the process's exit code, or -1 with *err set.
 */
int engine_exec(const char *name, char **argv, char **env, int n_env, bool tty,
		struct brig_error **err);

/* ---- state.c */

void state_path(char *buf, size_t len, const char *name, const char *file);
/*
 * Holds the name @name for this launch (an flock on /run/brig/NAME.lock),
 * refusing it while another launch holds it: the fd, or -1. state_unlock()
 * lets go, once all under the name is settled.
 */
int state_lock(const char *name, struct brig_error **err);
void state_unlock(const char *name, int fd);
int write_file(const char *path, const void *data, size_t len, struct brig_error **err);
int state_dir(const char *name, struct brig_error **err);
int state_save(const char *name, uint32_t id, pid_t init,
	       const struct engine_process *proc, struct brig_error **err);
void state_remove(const char *name);
int state_load(const char *name, pid_t init, struct engine_process *proc,
	       struct brig_error **err);

/* ---- relay.c */

struct relay {
	int master;		/* -1: no tty */
	int in;			/* what feeds the tty; -1 none */
	int out;		/* where its output goes */
	bool raw;		/* `in` was put in raw mode */
	struct termios saved;
};

/*
 * A pty of the devpts instance at /dev/pts of the current mount namespace
 * (the container's): in the container after its /dev is made, or in the
 * joiner after it entered the mount namespace.
 */
int open_container_pty(int *master, int *slave, struct brig_error **err);
/*
 * Sends the pty master @master to the console socket at @path (runc's
 * protocol: one message, the name "/dev/ptmx", the fd by SCM_RIGHTS).
 */
int send_console(const char *path, int master, struct brig_error **err);
/* Gives @master the window size of the terminal @from, if it is one. */
void pty_size_from(int master, int from);
/* In a process that leads its session: @slave as its controlling terminal and 0-2. */
int attach_pty(int slave, struct brig_error **err);
/* Blocks the signals supervise() takes from a signalfd. */
int block_signals(void);
int exit_code_of(int status);
/*
 * Forwards signals to the process the pidfd @target names (-1: to @child),
 * relays the pty, and waits for @child; its exit code (128 + N for a
 * signal, as docker run).
 */
int supervise(pid_t child, int target, struct relay *r);

/* ---- process.c */

/* The root of @spec's image (spec->image_layers): a detached overlay mount, its fd; or -1. */
int engine_image_root(const struct brig_container_spec *spec, struct brig_error **err);

/* The front end's name, for what the container's init reports on its own stderr. */
extern const char *engine_prog;

/* Sends "E<exit code> <errno> <message>" and exits: the child's one way out. */
void __attribute__((noreturn)) child_fail(int fd, struct brig_error **err);
/* Waits for @want ('R', ...) from the child: 1 got it, 0 EOF, -1 an error message. */
int recv_sync(int fd, char want, char *msg, size_t len, struct brig_error **err);
int send_sync(int fd, char c);
/* Sends @c with the file @passed (SCM_RIGHTS). */
int send_fd(int fd, char c, int passed);
/* Waits for @want with a file: 1 and *passed set, 0 EOF, -1 an error message. */
int recv_fd(int fd, char want, int *passed, struct brig_error **err);
/* Before the capabilities go: without no_new_privs, a filter needs CAP_SYS_ADMIN. */
int confine_early(const struct engine_process *proc, struct brig_error **err);
/* Last before execve: no_new_privs, then the seccomp filter. */
int confine_late(const struct engine_process *proc, struct brig_error **err);

#endif /* BRIG_ENGINE_H */
