// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's run: a container from its spec, into new namespaces with
 * clone3, its maps written, its ports published (network.c), registered
 * with brig.ko at the point engine.h describes, then supervised until it
 * exits (or from a monitor, detached).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/sched.h>

#include "engine.h"
#include "lib/cleanup.h"
#include "lib/record.h"
#include "setup.h"

/*
 * The namespaces: the policy's bit, the clone flag, /proc/PID/ns's name.
 * User first: launch exec joins in this order, and the user namespace
 * grants the rights to join the rest.
 */
const struct engine_namespace engine_namespaces[] = {
	{ BRIG_NS_USER, CLONE_NEWUSER, "user" }, { BRIG_NS_MOUNT, CLONE_NEWNS, "mnt" },
	{ BRIG_NS_NET, CLONE_NEWNET, "net" }, { BRIG_NS_UTS, CLONE_NEWUTS, "uts" },
	{ BRIG_NS_IPC, CLONE_NEWIPC, "ipc" }, { BRIG_NS_CGROUP, CLONE_NEWCGROUP, "cgroup" },
	{ BRIG_NS_TIME, CLONE_NEWTIME, "time" }, { BRIG_NS_PID, CLONE_NEWPID, "pid" },
};
_Static_assert(sizeof(engine_namespaces) / sizeof(engine_namespaces[0]) == N_NAMESPACES,
	       "one entry for every namespace");

struct container {
	const struct brig_container_spec *spec;
	struct engine_process proc;
	unsigned int flags;	/* ENGINE_* */
	const struct engine_hold *hold;	/* engine_create(): held for `start`; else NULL */
	int fifo;		/* held: an O_PATH fd of hold->exec_fifo, else -1 */
	pid_t init;		/* held: made */
	uint32_t id;
	struct brig_record record;	/* -d */
	int sync[2];		/* [0] the launcher's end, [1] the container's */
	int out;		/* -d: the log, else -1 */
	int null;		/* -d: /dev/null, else -1 */
	int image_root;		/* an image's root (engine_image_root), else -1 */
};

static uint64_t clone_flags(uint32_t ns)
{
	/* pid and mount are always new. */
	uint64_t flags = CLONE_NEWPID | CLONE_NEWNS;

	for (size_t i = 0; i < N_NAMESPACES; i++)
		if (ns & engine_namespaces[i].brig)
			flags |= engine_namespaces[i].type;
	return flags;
}

/*
 * -t: the container's terminal, from its own devpts (so that `tty` names
 * it inside), bound on /dev/console as runc does, its master sent to the
 * launcher.
 */
static int container_terminal(const struct brig_container_spec *spec, int sock,
			      struct brig_error **err)
{
	int master brig_cleanup_close = -1, slave brig_cleanup_close = -1;
	int console brig_cleanup_close = -1;
	char from[32], to[32];

	if (open_container_pty(&master, &slave, err))
		return -1;
	if (!brig_spec_dev_bind(spec)) {
		/* launch's fresh /dev: no code of the container's ran there (CVE-2025-52565). */
		console = open("/dev/console", O_CREAT | O_EXCL | O_NOFOLLOW | O_RDONLY | O_CLOEXEC,
			       0600);
		snprintf(from, sizeof(from), "/proc/self/fd/%d", slave);
		snprintf(to, sizeof(to), "/proc/self/fd/%d", console);
		if (console < 0 || mount(from, to, NULL, MS_BIND, NULL))
			return brig_error_make(err, errno, "making /dev/console");
	}
	if (send_fd(sock, 'T', master))
		return brig_error_make(err, errno, "passing the terminal on");
	return attach_pty(slave, err);
}

/*
 * Held (engine_create()): the program is looked up now, so that create
 * fails for a missing one as runc's does; EOF on @sync tells the runtime
 * the container is created; then the init waits in the exec FIFO's open
 * until `start` opens its other end.
 */
static int hold_until_start(struct engine_process *proc, int sync, int fifo,
			    struct brig_error **err)
{
	char path[32];
	int fd;

	if (setup_lookup(proc, err))
		return -1;
	close(sync);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fifo);
	do
		fd = open(path, O_WRONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	/* The runtime has gone: its errors go to the container's stderr now. */
	if (fd < 0 || write(fd, "0", 1) != 1)
		return brig_error_make(err, errno, "waiting for start");
	close(fd);
	close(fifo);
	return 0;
}

/* Whether @spec has hooks that run before pivot_root. */
static bool early_hooks(const struct brig_container_spec *spec)
{
	return spec->n_hooks[BRIG_HOOK_PRESTART] || spec->n_hooks[BRIG_HOOK_CREATE_RUNTIME] ||
	       spec->n_hooks[BRIG_HOOK_CREATE_CONTAINER];
}

/*
 * Before pivot_root, in the container's namespaces: the runtime runs
 * prestart and createRuntime hooks ('H', answered "H<pid>"), then the
 * createContainer ones run here (their paths the runtime's).
 */
static int before_pivot(void *arg, struct brig_error **err)
{
	struct container *c = arg;
	char msg[32], *state;
	int ret;

	if (!early_hooks(c->spec))
		return 0;
	if (send_sync(c->sync[1], 'H'))
		return brig_error_make(err, errno, "hooks");
	ret = recv_sync(c->sync[1], 'H', msg, sizeof(msg), err);
	if (ret != 1)
		_exit(BRIG_EXIT_FAILURE);	/* the runtime is gone, or said why */
	c->init = (pid_t)atoi(msg + 1);
	state = engine_hook_state(c->spec, c->init, "creating");
	if (!state)
		return brig_error_make(err, ENOMEM, "hooks");
	ret = engine_hooks_run(c->spec, BRIG_HOOK_CREATE_CONTAINER, state, err);
	free(state);
	return ret;
}

/* Held, once started: startContainer hooks, in the container, before its process. */
static int start_hooks(struct container *c, struct brig_error **err)
{
	char *state;
	int ret;

	if (!c->spec->n_hooks[BRIG_HOOK_START_CONTAINER])
		return 0;
	state = engine_hook_state(c->spec, c->init, "created");
	if (!state)
		return brig_error_make(err, ENOMEM, "hooks");
	ret = engine_hooks_run(c->spec, BRIG_HOOK_START_CONTAINER, state, err);
	free(state);
	return ret;
}

/* The container's init until execve; never returns. */
static void __attribute__((noreturn)) container_init(struct container *c)
{
	const struct brig_container_spec *spec = c->spec;
	int preserve = c->hold ? c->hold->preserve_fds : 0;
	int fd = c->sync[1], keep[2] = { c->sync[1], c->fifo };
	struct brig_error *err = NULL;
	char msg[32];

	close(c->sync[0]);
	setup_inherited(&err);
	if (c->proc.umask >= 0)
		umask((mode_t)c->proc.umask);
	if (recv_sync(fd, 'M', msg, sizeof(msg), &err) != 1)
		_exit(BRIG_EXIT_FAILURE);	/* the launcher is gone */
	if (!err && (spec->namespaces & BRIG_NS_USER) &&
	    (setresgid(0, 0, 0) || setresuid(0, 0, 0)))
		brig_error_make(&err, errno, "becoming root of the user namespace");
	/* A session of its own: the caller's terminal is not the container's to use. */
	if (!err && setsid() < 0)
		brig_error_make(&err, errno, "starting a session");
	/* -d: no input, output to the log (or the pty, which the launcher logs). */
	if (!err && c->out >= 0 && !c->proc.tty &&
	    (dup2(c->null, 0) < 0 || dup2(c->out, 1) < 0 || dup2(c->out, 2) < 0))
		brig_error_make(&err, errno, "redirecting output");
	/* Without one given (an OCI config may give none), the host's name is kept. */
	if (!err && (spec->namespaces & BRIG_NS_UTS) && spec->hostname &&
	    sethostname(spec->hostname, strlen(spec->hostname)))
		brig_error_make(&err, errno, "setting the hostname");
	if (!err && (spec->namespaces & BRIG_NS_NET))
		setup_loopback(&err);
	if (err || setup_rootfs(spec, c->image_root, before_pivot, c, &err) ||
	    (c->proc.tty && container_terminal(spec, fd, &err)) ||
	    setup_rlimits(c->proc.rlimits, c->proc.n_rlimits, &err) ||
	    setup_keep_fds(preserve, keep, c->hold ? 2 : 1, &err))
		child_fail(fd, &err);
	fd = 3 + preserve;
	if (setup_workdir(c->proc.workdir, &err) || confine_early(&c->proc, &err) ||
	    setup_user_caps(&c->proc, &err))
		child_fail(fd, &err);
	/*
	 * Until execve, nothing may trace the init or open its /proc files
	 * (its FIFO, a created container's unconfined state): set after the
	 * credentials changed, which resets it.
	 */
	if (prctl(PR_SET_DUMPABLE, 0)) {
		brig_error_make(&err, errno, "PR_SET_DUMPABLE");
		child_fail(fd, &err);
	}
	/*
	 * The container dies with its launcher (or monitor). Set last: a
	 * change of credentials clears it. The handshake below notices a
	 * launcher that died before. A held one outlives the runtime that
	 * made it: its caller (conmon, containerd's shim) reaps it.
	 */
	if (!c->hold && prctl(PR_SET_PDEATHSIG, SIGKILL)) {
		brig_error_make(&err, errno, "PR_SET_PDEATHSIG");
		child_fail(fd, &err);
	}
	/* brig.ko's rules hold from here: the launcher registers us now. */
	if (send_sync(fd, 'R') || recv_sync(fd, 'G', msg, sizeof(msg), &err) != 1)
		_exit(BRIG_EXIT_FAILURE);
	c->init = (pid_t)atoi(msg + 1);
	if (c->hold && (hold_until_start(&c->proc, fd, fd + 1, &err) || start_hooks(c, &err)))
		child_fail(fd, &err);
	if (!confine_late(&c->proc, &err))
		setup_exec(&c->proc, &err);
	child_fail(fd, &err);
}

/* Sends @c with @pid after it ("G1234"). */
static int send_text(int fd, char c, pid_t pid)
{
	char msg[32];
	int n = snprintf(msg, sizeof(msg), "%c%d", c, pid);

	return send(fd, msg, (size_t)n, MSG_NOSIGNAL) == n ? 0 : -1;
}

/* The runtime's hooks before pivot_root: prestart, then createRuntime. */
static int run_early_hooks(const struct brig_container_spec *spec, pid_t pid,
			   struct brig_error **err)
{
	char *state = engine_hook_state(spec, pid, "creating");
	int ret;

	if (!state)
		return brig_error_make(err, ENOMEM, "hooks");
	ret = engine_hooks_run(spec, BRIG_HOOK_PRESTART, state, err) ||
	      engine_hooks_run(spec, BRIG_HOOK_CREATE_RUNTIME, state, err) ? -1 : 0;
	free(state);
	return ret;
}

/* The namespaces @spec joins by path (enum brig_ns bits). */
static uint32_t joined(const struct brig_container_spec *spec)
{
	uint32_t ns = 0;

	for (size_t i = 0; i < N_NAMESPACES; i++)
		if (spec->ns_paths[brig_ns_index(engine_namespaces[i].brig)])
			ns |= engine_namespaces[i].brig;
	return ns;
}

/* Joins @spec's namespaces by path, the user namespace first: it grants the rest. */
static int join_namespaces(const struct brig_container_spec *spec, struct brig_error **err)
{
	for (size_t i = 0; i < N_NAMESPACES; i++) {
		const char *path = spec->ns_paths[brig_ns_index(engine_namespaces[i].brig)];
		int fd brig_cleanup_close = -1;

		if (!path)
			continue;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setns(fd, engine_namespaces[i].type))
			return brig_error_make(err, errno, "joining the %s namespace `%s`",
					       engine_namespaces[i].name, path);
	}
	return 0;
}

/*
 * The container's init, cloned into its new namespaces: by us, or, where
 * it joins some by path (a pod's), by a child that joined them first and
 * clones it as our child (CLONE_PARENT), so that this process keeps its
 * own. Its pid, or -1 with *err set.
 */
static pid_t clone_container(struct container *c, struct clone_args *args,
			     struct brig_error **err)
{
	int report[2], status, e = 0;
	pid_t pid, joiner;

	if (!joined(c->spec)) {
		pid = syscall(SYS_clone3, args, sizeof(*args));
		if (pid == 0)
			container_init(c);
		if (pid < 0)
			return brig_error_make(err, errno,
					       "creating the container's namespaces (clone3)");
		return pid;
	}
	if (pipe2(report, O_CLOEXEC))
		return brig_error_make(err, errno, "pipe");
	joiner = fork();
	if (joiner < 0) {
		close(report[0]);
		close(report[1]);
		return brig_error_make(err, errno, "fork");
	}
	if (joiner == 0) {
		struct brig_error *why = NULL;

		close(report[0]);
		/* clone3 takes no exit signal with CLONE_PARENT: the joiner's, SIGCHLD, is used. */
		args->flags |= CLONE_PARENT;
		args->exit_signal = 0;
		if (join_namespaces(c->spec, &why)) {
			brig_error_report(stderr, engine_prog, &why);
			_exit(1);
		}
		pid = syscall(SYS_clone3, args, sizeof(*args));
		if (pid == 0)
			container_init(c);
		e = pid < 0 ? errno : 0;
		if (write(report[1], pid < 0 ? (void *)&e : (void *)&pid, sizeof(pid)) < 0)
			_exit(1);
		_exit(pid < 0 ? 2 : 0);
	}
	close(report[1]);
	pid = -1;
	if (read(report[0], &pid, sizeof(pid)) != sizeof(pid))
		pid = -1;
	close(report[0]);
	while (waitpid(joiner, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 1)
		return brig_error_make(err, 0, "joining the container's namespaces failed");
	if (WEXITSTATUS(status) == 2)
		return brig_error_make(err, pid, "creating the container's namespaces (clone3)");
	if (pid <= 0)
		return brig_error_make(err, EPROTO, "the joiner sent no pid");
	return pid;
}

static int write_proc(pid_t pid, const char *file, const char *text, struct brig_error **err)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	return write_file(path, text, strlen(text), err);
}

static int write_maps(pid_t pid, const struct brig_container_spec *spec,
		      struct brig_error **err)
{
	char uid[BRIG_IDMAP_MAX * 40] = "", gid[BRIG_IDMAP_MAX * 40] = "";
	size_t i, n = 0;

	for (i = 0; i < spec->n_uidmap; i++)
		n += snprintf(uid + n, sizeof(uid) - n, "%u %u %u\n", spec->uidmap[i].inside,
			      spec->uidmap[i].outside, spec->uidmap[i].count);
	for (i = 0, n = 0; i < spec->n_gidmap; i++)
		n += snprintf(gid + n, sizeof(gid) - n, "%u %u %u\n", spec->gidmap[i].inside,
			      spec->gidmap[i].outside, spec->gidmap[i].count);
	/*
	 * As runc: a launcher without privilege must deny setgroups before it
	 * maps a group (the kernel's rule, CVE-2014-8989); as root, the
	 * container is born with no supplementary group and may set those its
	 * map holds (initgroups: nginx's workers become www-data).
	 */
	if ((geteuid() != 0 && write_proc(pid, "setgroups", "deny", err)) ||
	    write_proc(pid, "uid_map", uid, err) || write_proc(pid, "gid_map", gid, err))
		return brig_error_wrap(err, "user namespace maps");
	return 0;
}

/*
 * After the container (and its pasta): its run directory goes, a detached
 * one's record says how it ended (or goes, with --rm or if it never ran),
 * and its registration goes last, at once (brig.ko would let go when its
 * last task is freed, a moment after init is reaped): once brigctl stop sees
 * it gone, everything else is done.
 */
static void forget(struct brig_nl *nl, struct container *c, uint32_t id, int code)
{
	struct brig_error *err = NULL;

	state_remove(c->spec->name);
	/* A start that failed (code -1) leaves nothing: launch said why. */
	if ((c->flags & ENGINE_DETACH) && ((c->flags & ENGINE_REMOVE) || code < 0)) {
		brig_record_remove(c->spec->name, &err);
	} else if (c->flags & ENGINE_DETACH) {
		c->record.exited = true;
		c->record.finished = time(NULL);
		c->record.exit_code = code;
		brig_record_save(&c->record, &err);
	}
	brig_error_free(&err);
	if (id && brig_nl_unregister(nl, id, NULL, &err))
		brig_error_free(&err);
}

/*
 * Starts the container and supervises it. @status_fd (-d) gets the id once
 * it runs. Returns the exit code.
 */
static int run_container(struct brig_nl *nl, struct container *c, int status_fd,
			 struct brig_error **err)
{
	const struct brig_container_spec *spec = c->spec;
	struct clone_args args = { .exit_signal = SIGCHLD };
	struct relay r = { .master = -1, .in = -1, .out = STDOUT_FILENO };
	struct network net = { .pasta = -1, .pidfd = -1 };
	/* Ours until the child has its copies; closed on every way out. */
	int ours brig_cleanup_close = -1, theirs brig_cleanup_close = -1;
	int master brig_cleanup_close = -1, cgroup brig_cleanup_close = -1;
	int image_root brig_cleanup_close = -1;
	struct brig_error *ignored = NULL;
	char msg[1100];
	uint32_t id = 0;
	pid_t pid;
	int got, code;

	if (spec->image_layers) {
		image_root = engine_image_root(spec, err);
		if (image_root < 0)
			return -1;
	}
	/* The child's copy is its own: it attaches the root, then closes it. */
	c->image_root = image_root;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, c->sync))
		return brig_error_make(err, errno, "socketpair");
	ours = c->sync[0];
	theirs = c->sync[1];
	if (c->proc.tty)
		r.in = c->out >= 0 ? -1 : STDIN_FILENO;
	if (c->out >= 0)
		r.out = c->out;
	if (block_signals())
		return brig_error_make(err, errno, "sigprocmask");
	/* The container is born with no supplementary group of the caller's. */
	if ((spec->namespaces & BRIG_NS_USER) && geteuid() == 0 && setgroups(0, NULL))
		return brig_error_make(err, errno, "clearing the supplementary groups");
	args.flags = clone_flags(spec->namespaces & ~joined(spec));
	if (spec->cgroup.path) {
		cgroup = engine_cgroup_make(&spec->cgroup, err);
		if (cgroup < 0)
			return -1;
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = (uint64_t)cgroup;
	}
	pid = clone_container(c, &args, err);
	if (pid < 0) {
		if (cgroup >= 0)
			engine_cgroup_remove(spec->cgroup.path, &ignored);
		brig_error_free(&ignored);
		return -1;
	}
	brig_closep(&theirs);
	brig_closep(&cgroup);
	brig_closep(&image_root);
	if ((spec->namespaces & ~joined(spec) & BRIG_NS_USER) && write_maps(pid, spec, err))
		goto kill;
	/* From the host: lowering it needs CAP_SYS_RESOURCE there; its children inherit it. */
	if (spec->process.set_oom_score_adj) {
		char adj[16];

		snprintf(adj, sizeof(adj), "%d", spec->process.oom_score_adj);
		if (write_proc(pid, "oom_score_adj", adj, err))
			goto kill;
	}
	if (send_sync(ours, 'M')) {
		brig_error_make(err, errno, "starting the container");
		goto kill;
	}
	/* The child's order: 'H' before pivot_root (hooks), 'T' (a terminal), 'R'. */
	got = early_hooks(spec) ? recv_sync(ours, 'H', msg, sizeof(msg), err) : 1;
	if (got > 0 && early_hooks(spec) &&
	    (run_early_hooks(spec, pid, err) || send_text(ours, 'H', pid))) {
		if (!*err)
			brig_error_make(err, errno, "hooks");
		goto kill;
	}
	if (got > 0 && c->proc.tty)
		got = recv_fd(ours, 'T', &master, err);
	if (got > 0 && master >= 0 && c->hold) {
		/* The caller's console socket takes the master; the caller relays it. */
		if (send_console(c->hold->console_socket, master, err))
			goto kill;
		brig_closep(&master);
	} else if (got > 0 && master >= 0) {
		r.master = master;
		pty_size_from(master, STDIN_FILENO);
	}
	if (got > 0)
		got = recv_sync(ours, 'R', msg, sizeof(msg), err);
	if (got <= 0) {
		if (!got)
			brig_error_make(err, 0, "the container exited during setup");
		goto kill;
	}
	/* Before the container's own code runs: its ports are there when it starts. */
	if (network_start(spec, pid, &net, err))
		goto kill;
	if (brig_nl_register(nl, pid, spec->name, &spec->kernel, &id, err)) {
		brig_error_wrap(err, "registering container `%s` with brig.ko", spec->name);
		goto kill;
	}
	if (c->flags & ENGINE_DETACH) {
		c->record.id = id;
		if (brig_record_save(&c->record, err))
			goto kill;
	}
	if ((!c->hold && state_save(spec->name, id, pid, &c->proc, err)) ||
	    send_text(ours, 'G', pid)) {
		if (!*err)
			brig_error_make(err, errno, "starting the container");
		goto kill;
	}
	got = recv_sync(ours, 'G', msg, sizeof(msg), err);
	brig_closep(&ours);
	if (c->hold) {
		/* EOF: held in the FIFO's open. An error: the init exits by itself. */
		if (got < 0) {
			waitpid(pid, NULL, 0);
			if (id && brig_nl_unregister(nl, id, NULL, &ignored))
				brig_error_free(&ignored);
			if (spec->cgroup.path && engine_cgroup_remove(spec->cgroup.path, &ignored))
				brig_error_free(&ignored);
			return -1;
		}
		c->init = pid;
		c->id = id;
		return 0;
	}
	if (got < 0) {
		/* exec failed: 126 or 127, and the container is gone. */
		waitpid(pid, NULL, 0);
		code = -1;
	} else {
		if (status_fd >= 0) {
			/* Detached: the asking process prints the id and returns; let go of its terminal. */
			dprintf(status_fd, "%u\n", id);
			close(status_fd);
			dup2(c->null, STDIN_FILENO);
			dup2(c->null, STDOUT_FILENO);
			dup2(c->null, STDERR_FILENO);
		}
		code = supervise(pid, -1, &r);
	}
	network_stop(&net);
	forget(nl, c, id, code);
	return code;

kill:
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	network_stop(&net);
	if (spec->cgroup.path && engine_cgroup_remove(spec->cgroup.path, &ignored))
		brig_error_free(&ignored);
	if (c->hold) {
		if (id && brig_nl_unregister(nl, id, NULL, &ignored))
			brig_error_free(&ignored);
		return -1;
	}
	forget(nl, c, id, -1);
	return -1;
}

/*
 * -d: the process that was asked waits until the container runs, prints
 * its id and returns; its child goes on as the container's monitor. Returns
 * the status fd in the monitor, -1 without -d; exits in the asking process.
 */
static int detach(void)
{
	int p[2], status;
	char id[32];
	ssize_t n;
	pid_t monitor;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	monitor = fork();
	if (monitor < 0)
		return -1;
	if (monitor == 0) {
		close(p[0]);
		setsid();
		return p[1];
	}
	close(p[1]);
	n = read(p[0], id, sizeof(id) - 1);
	if (n > 0) {
		id[n] = '\0';
		fputs(id, stdout);
		exit(0);
	}
	/* The monitor failed and said why on stderr. */
	waitpid(monitor, &status, 0);
	exit(WIFEXITED(status) ? WEXITSTATUS(status) : BRIG_EXIT_FAILURE);
}

/*
 * A container made from inside a chroot would have, in its mount
 * namespace, the tree the chroot hides above its root: a process of it
 * with CAP_SYS_CHROOT climbs out to it, and a joiner's setns() lands there.
 * Refused where it can be told (our mount namespace is pid 1's).
 */
static int check_not_chrooted(struct brig_error **err)
{
	struct stat ours, init, root, init_root;

	if (stat("/proc/self/ns/mnt", &ours) || stat("/proc/1/ns/mnt", &init) ||
	    ours.st_ino != init.st_ino || ours.st_dev != init.st_dev)
		return 0;
	if (stat("/", &root) || stat("/proc/1/root/", &init_root))
		return 0;
	if (root.st_dev != init_root.st_dev || root.st_ino != init_root.st_ino)
		return brig_error_make(err, 0, "%s runs in a chroot: a container's mount namespace would keep the tree above it; run it from the root of a mount namespace (pivot_root), as podman and containerd are",
				       engine_prog);
	return 0;
}

int engine_create(const struct brig_container_spec *spec, struct engine_process *proc,
		  const struct engine_hold *hold, pid_t *init, uint32_t *id,
		  struct brig_error **err)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	struct container c = { .spec = spec, .proc = *proc, .hold = hold, .out = -1, .null = -1,
			       .image_root = -1 };
	struct brig_container_info info;
	int fifo brig_cleanup_close = -1;

	if (brig_nl_open(&nl, err))
		return -1;
	if (!brig_nl_get(nl, 0, spec->name, &info, err))
		return brig_error_make(err, 0, "container with given ID already exists (%s is registered with brig.ko, id %u)",
				       spec->name, info.id);
	brig_error_free(err);
	if (network_check(spec, err) || check_not_chrooted(err))
		return -1;
	/* O_PATH: opened for writing only by the init, after it is set up. */
	fifo = open(hold->exec_fifo, O_PATH | O_CLOEXEC);
	if (fifo < 0)
		return brig_error_make(err, errno, "exec FIFO `%s`", hold->exec_fifo);
	c.fifo = fifo;
	if (run_container(nl, &c, -1, err))
		return -1;
	*init = c.init;
	*id = c.id;
	return 0;
}

int engine_run(const struct brig_container_spec *spec, struct engine_process *proc,
	       unsigned int flags, struct brig_error **err)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	struct container c = { .spec = spec, .proc = *proc, .flags = flags, .out = -1, .null = -1,
			       .fifo = -1, .image_root = -1 };
	struct brig_container_info info;
	int code = -1, status_fd = -1, lock;
	bool started = false;

	if (brig_nl_open(&nl, err))
		return -1;
	if (!brig_nl_get(nl, 0, spec->name, &info, err))
		return brig_error_make(err, 0, "a container named `%s` is already running (id %u)",
				       spec->name, info.id);
	brig_error_free(err);
	if (network_check(spec, err) || check_not_chrooted(err))
		return -1;
	/* From here, what is made or removed under the name is this launch's. */
	lock = state_lock(spec->name, err);
	if (lock < 0)
		return -1;
	/* As docker's: a kept container's name is taken until `brigctl rm`. */
	if (brig_record_name_free(spec->name, err))
		goto out;
	if (spec->privileged)
		fprintf(stderr, "launch: warning: %s is privileged: every capability, the host's devices, no seccomp, no file or network rules\n",
			spec->source);
	if (state_dir(spec->name, err))
		goto out;
	if (flags & ENGINE_DETACH) {
		c.out = brig_record_create(spec->name, err);
		if (c.out < 0)
			goto out;
		snprintf(c.record.name, sizeof(c.record.name), "%s", spec->name);
		snprintf(c.record.source, sizeof(c.record.source), "%s", spec->source);
		brig_record_set_command(&c.record, proc->argv);
		c.record.started = time(NULL);
		c.null = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (c.null < 0) {
			brig_error_make(err, errno, "opening /dev/null");
			goto out;
		}
		status_fd = detach();
		if (status_fd < 0) {
			brig_error_make(err, errno, "detaching");
			goto out;
		}
	}
	code = run_container(nl, &c, status_fd, err);
	started = true;
out:
	/* run_container() cleans up after itself; before it, this does. */
	if (!started) {
		struct brig_error *ignored = NULL;

		state_remove(spec->name);
		if (c.out >= 0 && brig_record_remove(spec->name, &ignored))
			brig_error_free(&ignored);
	}
	if (c.out >= 0)
		close(c.out);
	if (c.null >= 0)
		close(c.null);
	state_unlock(spec->name, lock);
	return code;
}
