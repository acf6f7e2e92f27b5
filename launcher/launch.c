// SPDX-License-Identifier: GPL-2.0
/*
 * launch: start a container confined by a brig policy, or run a command in
 * one (launch exec). See docs/launch.1.
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
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/sched.h>

#include <json-c/json.h>

#include "lib/error.h"
#include "lib/nl.h"
#include "lib/policy.h"
#include "lib/spec.h"
#include "lib/seccomp.h"
#include "setup.h"

#define STATE_DIR "/run/brig"

struct launch_options {
	const char *policy;
	const char *rootfs;
	const char *name;
	bool detach;
	bool tty;
	bool unsafe_caps;	/* register even if the caps void the file rules */
	int n_env;
	char **env;		/* NAME=VALUE, pointing into argv */
	char **command;		/* after the options, NULL-terminated; may be empty */
};

/* What a container runs with, and what `launch exec` needs to join it. */
struct launch_process {
	char **argv;
	char **env;
	const char *workdir;
	uid_t uid;
	gid_t gid;
	uint64_t caps;
	bool no_new_privs;
	struct sock_fprog seccomp;	/* .filter NULL: unconfined */
	uint32_t seccomp_flags;
	bool tty;
};

/* The signals the launcher passes on, as docker run's signal proxy does. */
static const int forwarded[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGCONT, SIGWINCH,
};

static void usage(FILE *out)
{
	fputs("Usage: launch --policy FILE [OPTIONS] [--] [COMMAND [ARG...]]\n"
	      "       launch exec [-t] [-e NAME=VALUE]... NAME [--] COMMAND [ARG...]\n"
	      "\n"
	      "Start a container confined by the brig policy FILE, or run another\n"
	      "command inside the running container NAME.\n"
	      "\n"
	      "Options:\n"
	      "  -p, --policy FILE      the .pol policy to apply (required)\n"
	      "      --rootfs DIR       root filesystem (overrides the policy's rootfs)\n"
	      "      --name NAME        container name (overrides the policy's name)\n"
	      "  -d, --detach           run in the background and print the container id;\n"
	      "                         output goes to " STATE_DIR "/NAME/log\n"
	      "  -t, --tty              allocate a pseudo-terminal\n"
	      "  -e, --env NAME=VALUE   set an environment variable (repeatable)\n"
	      "      --unsafe-caps      run even if the policy's capabilities void its\n"
	      "                         own file rules (see launch(1))\n"
	      "  -h, --help             show this help\n"
	      "\n"
	      "Exit status: the container's (128+N when killed by signal N); 125 if\n"
	      "launch itself fails, 126 if the command cannot be run, 127 if it is\n"
	      "not found, as docker run. See launch(1).\n", out);
}

static int parse_options(int argc, char **argv, bool exec, struct launch_options *opt,
			 struct brig_error **err)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "rootfs", required_argument, NULL, 'r' },
		{ "name", required_argument, NULL, 'n' },
		{ "detach", no_argument, NULL, 'd' },
		{ "tty", no_argument, NULL, 't' },
		{ "env", required_argument, NULL, 'e' },
		{ "unsafe-caps", no_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct option exec_longopts[] = {
		{ "tty", no_argument, NULL, 't' },
		{ "env", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opt->env = calloc(argc, sizeof(*opt->env));
	if (!opt->env)
		return brig_error_make(err, ENOMEM, "options");
	/* '+': stop at the first non-option, so COMMAND's own flags are its own. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, exec ? "+:te:h" : "+:p:dte:h",
				exec ? exec_longopts : longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			opt->policy = optarg;
			break;
		case 'r':
			opt->rootfs = optarg;
			break;
		case 'n':
			opt->name = optarg;
			break;
		case 'd':
			opt->detach = true;
			break;
		case 't':
			opt->tty = true;
			break;
		case 'U':
			opt->unsafe_caps = true;
			break;
		case 'e':
			if (!strchr(optarg, '=') || optarg[0] == '=')
				return brig_error_make(err, 0,
					"invalid --env `%s`: expected NAME=VALUE", optarg);
			opt->env[opt->n_env++] = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case ':':
			return brig_error_make(err, 0, "option `%s` needs a value",
					       argv[optind - 1]);
		default:
			return brig_error_make(err, 0, "unknown option `%s`",
					       argv[optind - 1]);
		}
	}
	if (exec) {
		if (optind >= argc)
			return brig_error_make(err, 0, "usage: launch exec [-t] NAME [--] COMMAND [ARG...]");
		opt->name = argv[optind++];
		if (optind < argc && !strcmp(argv[optind], "--"))
			optind++;
		if (optind >= argc)
			return brig_error_make(err, 0, "launch exec %s: no command given", opt->name);
	} else if (!opt->policy) {
		return brig_error_make(err, 0, "no policy: --policy FILE is required");
	}
	if (opt->name && !brig_pol_name_valid(opt->name))
		return brig_error_make(err, 0,
			"invalid name `%s`: expected [A-Za-z0-9][A-Za-z0-9_.-], at most %d characters",
			opt->name, BRIG_NAME_MAX - 1);
	opt->command = argv + optind;
	return 0;
}

/* ---- environment ---------------------------------------------------------- */

static void env_free(char **env)
{
	for (size_t i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
}

/* The policy's env, then -e, then docker's defaults where neither set them. */
static char **make_env(const struct brig_container_spec *spec,
		       const struct launch_options *opt)
{
	char **env = NULL, hostname[128];
	int ret = 0, i;

	snprintf(hostname, sizeof(hostname), "HOSTNAME=%s", spec->hostname);
	for (i = 0; spec->process.env && spec->process.env[i]; i++)
		ret |= brig_env_set(&env, spec->process.env[i], true);
	for (i = 0; i < opt->n_env; i++)
		ret |= brig_env_set(&env, opt->env[i], true);
	ret |= brig_env_set(&env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", false);
	ret |= brig_env_set(&env, hostname, false);
	ret |= brig_env_set(&env, spec->process.uid ? "HOME=/" : "HOME=/root", false);
	if (opt->tty)
		ret |= brig_env_set(&env, "TERM=xterm", false);
	if (ret) {
		env_free(env);
		return NULL;
	}
	return env;
}

/* ---- the child's report ----------------------------------------------------- */

/* Sends "E<exit code> <errno> <message>" and exits: the child's one way out. */
static void __attribute__((noreturn)) child_fail(int fd, struct brig_error **err)
{
	char msg[1024];
	int n = snprintf(msg, sizeof(msg), "E%d %d %s", (*err)->exit_code,
			 (*err)->errnum, (*err)->msg);

	if (n > 0 && send(fd, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1,
			  MSG_NOSIGNAL) < 0)
		brig_error_report(stderr, "launch", err);
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
static int recv_sync(int fd, char want, char *msg, size_t len, struct brig_error **err)
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

static int send_sync(int fd, char c)
{
	return send(fd, &c, 1, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

/* ---- terminals and signals -------------------------------------------------- */

struct relay {
	int master;		/* -1: no tty */
	int in;			/* what feeds the tty; -1 none */
	int out;		/* where its output goes */
	bool raw;		/* `in` was put in raw mode */
	struct termios saved;
};

static int open_pty(int *master, int *slave, struct brig_error **err)
{
	struct winsize ws;

	*master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*master < 0 || grantpt(*master) || unlockpt(*master))
		return brig_error_make(err, errno, "allocating a pseudo-terminal");
	*slave = open(ptsname(*master), O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0)
		return brig_error_make(err, errno, "opening the pseudo-terminal");
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
		ioctl(*master, TIOCSWINSZ, &ws);
	return 0;
}

/* The child side: a session of its own with the pty as controlling terminal. */
static int attach_pty(int slave, struct brig_error **err)
{
	if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) ||
	    dup2(slave, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0)
		return brig_error_make(err, errno, "attaching the pseudo-terminal");
	return 0;
}

static void relay_start(struct relay *r)
{
	struct termios raw;

	if (r->master < 0 || r->in < 0 || tcgetattr(r->in, &r->saved))
		return;
	raw = r->saved;
	cfmakeraw(&raw);
	r->raw = tcsetattr(r->in, TCSANOW, &raw) == 0;
}

static void relay_stop(struct relay *r)
{
	if (r->raw)
		tcsetattr(r->in, TCSANOW, &r->saved);
	r->raw = false;
}

/* Copies what is ready from @from to @to; false at EOF or error. */
static bool copy_some(int from, int to)
{
	char buf[4096];
	ssize_t n = read(from, buf, sizeof(buf)), off = 0;

	if (n <= 0)
		return n < 0 && (errno == EINTR || errno == EAGAIN);
	while (off < n) {
		ssize_t w = write(to, buf + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return true;	/* a gone reader must not stop the container */
		off += w;
	}
	return true;
}

/* The signals supervise() reads: the forwarded ones and SIGCHLD. */
static void supervised_signals(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(set, forwarded[i]);
	sigaddset(set, SIGCHLD);
}

static int block_signals(sigset_t *old)
{
	sigset_t set;

	supervised_signals(&set);
	sigaddset(&set, SIGPIPE);
	return sigprocmask(SIG_BLOCK, &set, old);
}

static int exit_code_of(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/*
 * Until @child exits: forward signals to @target (the container's process)
 * and relay the tty. Returns the exit code @child's status makes.
 */
static int supervise(pid_t child, pid_t target, struct relay *r)
{
	sigset_t set;
	struct pollfd fds[3];
	int sfd, status, code = -1;

	supervised_signals(&set);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	relay_start(r);
	while (code < 0) {
		int n = 0;

		fds[n++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		if (r->master >= 0)
			fds[n++] = (struct pollfd){ .fd = r->master, .events = POLLIN };
		if (r->master >= 0 && r->in >= 0)
			fds[n++] = (struct pollfd){ .fd = r->in, .events = POLLIN };
		if (poll(fds, n, sfd < 0 ? 100 : -1) < 0 && errno != EINTR)
			break;
		if (sfd >= 0 && fds[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) == sizeof(si) && si.ssi_signo != SIGCHLD) {
				if (si.ssi_signo == SIGWINCH && r->master >= 0 && r->in >= 0) {
					struct winsize ws;

					if (ioctl(r->in, TIOCGWINSZ, &ws) == 0)
						ioctl(r->master, TIOCSWINSZ, &ws);
				}
				kill(target, si.ssi_signo);
			}
		}
		if (r->master >= 0 && fds[1].revents & (POLLIN | POLLHUP))
			copy_some(r->master, r->out);
		if (n == 3 && fds[2].revents & (POLLIN | POLLHUP) && !copy_some(r->in, r->master))
			r->in = -1;	/* stdin closed: stop reading it */
		if (waitpid(child, &status, WNOHANG) == child)
			code = exit_code_of(status);
	}
	if (code < 0 && waitpid(child, &status, 0) == child)
		code = exit_code_of(status);
	/* What the container wrote last is still in the pty. */
	if (r->master >= 0) {
		fcntl(r->master, F_SETFL, O_NONBLOCK);
		for (;;) {
			errno = 0;
			if (!copy_some(r->master, r->out) || errno == EAGAIN)
				break;
		}
	}
	relay_stop(r);
	if (sfd >= 0)
		close(sfd);
	return code < 0 ? BRIG_EXIT_FAILURE : code;
}

/* Before the capabilities go: without no_new_privs, a filter needs CAP_SYS_ADMIN. */
static int confine_early(const struct launch_process *proc, struct brig_error **err)
{
	return proc->no_new_privs ? 0 : setup_seccomp(&proc->seccomp, proc->seccomp_flags, err);
}

/* Last before execve: no_new_privs, then the seccomp filter. */
static int confine_late(const struct launch_process *proc, struct brig_error **err)
{
	if (!proc->no_new_privs)
		return 0;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return brig_error_make(err, errno, "setting no_new_privs");
	return setup_seccomp(&proc->seccomp, proc->seccomp_flags, err);
}

/* ---- state for launch exec ---------------------------------------------------- */

static void state_path(char *buf, size_t len, const char *name, const char *file)
{
	snprintf(buf, len, STATE_DIR "/%s%s%s", name, file ? "/" : "", file ? file : "");
}

static int write_file(const char *path, const void *data, size_t len, struct brig_error **err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		return brig_error_make(err, errno, "writing `%s`", path);
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return brig_error_make(err, errno, "writing `%s`", path);
	}
	close(fd);
	return 0;
}

static int state_dir(const char *name, struct brig_error **err)
{
	char dir[PATH_MAX];

	state_path(dir, sizeof(dir), name, NULL);
	if ((mkdir(STATE_DIR, 0700) && errno != EEXIST) || (mkdir(dir, 0700) && errno != EEXIST))
		return brig_error_make(err, errno, "making `%s`", dir);
	return 0;
}

static int state_save(const char *name, uint32_t id, pid_t init,
		      const struct launch_process *proc, struct brig_error **err)
{
	struct json_object *o = json_object_new_object(), *env = json_object_new_array();
	char path[PATH_MAX];
	const char *text;
	int ret;

	for (size_t i = 0; proc->env[i]; i++)
		json_object_array_add(env, json_object_new_string(proc->env[i]));
	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "init_pid", json_object_new_int64(init));
	json_object_object_add(o, "uid", json_object_new_int64(proc->uid));
	json_object_object_add(o, "gid", json_object_new_int64(proc->gid));
	json_object_object_add(o, "caps", json_object_new_uint64(proc->caps));
	json_object_object_add(o, "no_new_privileges", json_object_new_boolean(proc->no_new_privs));
	json_object_object_add(o, "seccomp_flags", json_object_new_int64(proc->seccomp_flags));
	json_object_object_add(o, "workdir", json_object_new_string(proc->workdir));
	json_object_object_add(o, "env", env);
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
	state_path(path, sizeof(path), name, "seccomp.bpf");
	unlink(path);
	ret = proc->seccomp.filter ?
	      write_file(path, proc->seccomp.filter,
			 proc->seccomp.len * sizeof(*proc->seccomp.filter), err) : 0;
	state_path(path, sizeof(path), name, "state.json");
	if (!ret)
		ret = write_file(path, text, strlen(text), err);
	json_object_put(o);
	return ret;
}

static void state_remove(const char *name)
{
	char path[PATH_MAX];

	state_path(path, sizeof(path), name, "state.json");
	unlink(path);
	state_path(path, sizeof(path), name, "seccomp.bpf");
	unlink(path);
}

static int state_load(const char *name, pid_t init, struct launch_process *proc,
		      struct brig_error **err)
{
	char path[PATH_MAX];
	struct json_object *o, *v;
	struct stat st;
	int fd;

	state_path(path, sizeof(path), name, "state.json");
	o = json_object_from_file(path);
	if (!o || !json_object_object_get_ex(o, "init_pid", &v) ||
	    json_object_get_int64(v) != init) {
		json_object_put(o);
		return brig_error_make(err, 0,
			"container `%s` was not started by launch on this machine (no %s)", name, path);
	}
	if (json_object_object_get_ex(o, "uid", &v))
		proc->uid = json_object_get_int64(v);
	if (json_object_object_get_ex(o, "gid", &v))
		proc->gid = json_object_get_int64(v);
	if (json_object_object_get_ex(o, "caps", &v))
		proc->caps = json_object_get_uint64(v);
	if (json_object_object_get_ex(o, "no_new_privileges", &v))
		proc->no_new_privs = json_object_get_boolean(v);
	if (json_object_object_get_ex(o, "seccomp_flags", &v))
		proc->seccomp_flags = json_object_get_int64(v);
	if (json_object_object_get_ex(o, "workdir", &v))
		proc->workdir = strdup(json_object_get_string(v));
	if (json_object_object_get_ex(o, "env", &v)) {
		for (size_t i = 0; i < json_object_array_length(v); i++)
			brig_env_set(&proc->env, json_object_get_string(
					json_object_array_get_idx(v, i)), true);
	}
	json_object_put(o);
	if (!proc->workdir || !proc->env)
		return brig_error_make(err, 0, "%s is incomplete", path);
	state_path(path, sizeof(path), name, "seccomp.bpf");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : brig_error_make(err, errno, "opening `%s`", path);
	if (fstat(fd, &st) || st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) ||
	    !(proc->seccomp.filter = malloc(st.st_size)) ||
	    read(fd, proc->seccomp.filter, st.st_size) != st.st_size) {
		close(fd);
		return brig_error_make(err, EIO, "reading `%s`", path);
	}
	close(fd);
	proc->seccomp.len = st.st_size / sizeof(struct sock_filter);
	return 0;
}

/* ---- launch ------------------------------------------------------------------ */

struct container {
	const struct brig_container_spec *spec;
	struct launch_process proc;
	int sync[2];		/* [0] the launcher's end, [1] the container's */
	int slave;		/* pty, -1 none */
	int out;		/* -d: the log, else -1 */
	int null;		/* -d: /dev/null, else -1 */
	sigset_t sigmask;	/* the launcher's, restored in the container */
};

/*
 * The namespaces: the policy's bit, the clone flag, /proc/PID/ns's name.
 * User first: launch exec joins in this order, and the user namespace
 * grants the rights to join the rest.
 */
static const struct {
	uint32_t brig;
	int type;
	const char *name;
} namespaces[] = {
	{ BRIG_NS_USER, CLONE_NEWUSER, "user" }, { BRIG_NS_MOUNT, CLONE_NEWNS, "mnt" },
	{ BRIG_NS_NET, CLONE_NEWNET, "net" }, { BRIG_NS_UTS, CLONE_NEWUTS, "uts" },
	{ BRIG_NS_IPC, CLONE_NEWIPC, "ipc" }, { BRIG_NS_CGROUP, CLONE_NEWCGROUP, "cgroup" },
	{ BRIG_NS_TIME, CLONE_NEWTIME, "time" }, { BRIG_NS_PID, CLONE_NEWPID, "pid" },
};

#define N_NAMESPACES (sizeof(namespaces) / sizeof(namespaces[0]))

static uint64_t clone_flags(uint32_t ns)
{
	/* pid and mount are always new. */
	uint64_t flags = CLONE_NEWPID | CLONE_NEWNS;

	for (size_t i = 0; i < N_NAMESPACES; i++)
		if (ns & namespaces[i].brig)
			flags |= namespaces[i].type;
	return flags;
}

/* The container's init until execve; never returns. */
static void __attribute__((noreturn)) container_init(struct container *c)
{
	const struct brig_container_spec *spec = c->spec;
	struct brig_error *err = NULL;
	char msg[16];
	int fd = c->sync[1];

	close(c->sync[0]);
	sigprocmask(SIG_SETMASK, &c->sigmask, NULL);
	if (recv_sync(fd, 'M', msg, sizeof(msg), &err) != 1)
		_exit(BRIG_EXIT_FAILURE);	/* the launcher is gone */
	if ((spec->namespaces & BRIG_NS_USER) && (setresgid(0, 0, 0) || setresuid(0, 0, 0)))
		brig_error_make(&err, errno, "becoming root of the user namespace");
	if (!err && c->slave >= 0)
		attach_pty(c->slave, &err);
	/* -d: no input, output to the log (or the pty, which the launcher logs). */
	if (!err && c->out >= 0 && c->slave < 0 &&
	    (dup2(c->null, 0) < 0 || dup2(c->out, 1) < 0 || dup2(c->out, 2) < 0))
		brig_error_make(&err, errno, "redirecting output");
	if (!err && (spec->namespaces & BRIG_NS_UTS) &&
	    sethostname(spec->hostname, strlen(spec->hostname)))
		brig_error_make(&err, errno, "setting the hostname");
	if (!err && (spec->namespaces & BRIG_NS_NET))
		setup_loopback(&err);
	if (err || setup_rootfs(spec, &err) || setup_rlimits(spec, &err) ||
	    setup_close_fds(fd, &err))
		child_fail(fd, &err);
	fd = 3;
	if (setup_workdir(c->proc.workdir, &err) || confine_early(&c->proc, &err) ||
	    setup_user_caps(c->proc.uid, c->proc.gid, c->proc.caps, &err))
		child_fail(fd, &err);
	/* brig.ko's rules hold from here: the launcher registers us now. */
	if (send_sync(fd, 'R') || recv_sync(fd, 'G', msg, sizeof(msg), &err) != 1)
		_exit(BRIG_EXIT_FAILURE);
	if (!confine_late(&c->proc, &err))
		setup_exec(c->proc.argv, c->proc.env, &err);
	child_fail(fd, &err);
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
	if (write_proc(pid, "setgroups", "deny", err) ||
	    write_proc(pid, "uid_map", uid, err) || write_proc(pid, "gid_map", gid, err))
		return brig_error_wrap(err, "user namespace maps");
	return 0;
}

/*
 * After the container: its state goes, and its registration at once (brig.ko
 * would let go when its last task is freed, a moment after init is reaped:
 * the name is free for the next launch when this one returns).
 */
static void forget(struct brig_nl *nl, const char *name, uint32_t id)
{
	struct brig_error *err = NULL;

	state_remove(name);
	if (brig_nl_unregister(nl, id, NULL, &err))
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
	char msg[1100];
	uint32_t id = 0;
	pid_t pid;
	int got, code;

	c->slave = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, c->sync))
		return brig_error_make(err, errno, "socketpair");
	if (c->proc.tty && open_pty(&r.master, &c->slave, err))
		return -1;
	if (c->proc.tty)
		r.in = c->out >= 0 ? -1 : STDIN_FILENO;
	if (c->out >= 0)
		r.out = c->out;
	if (block_signals(&c->sigmask))
		return brig_error_make(err, errno, "sigprocmask");
	/* Where setgroups is denied, the container keeps the groups it is born with. */
	if ((spec->namespaces & BRIG_NS_USER) && geteuid() == 0)
		setgroups(0, NULL);
	args.flags = clone_flags(spec->namespaces);
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0)
		return brig_error_make(err, errno, "creating the container's namespaces (clone3)");
	if (pid == 0)
		container_init(c);
	close(c->sync[1]);
	if (c->slave >= 0)
		close(c->slave);
	if ((spec->namespaces & BRIG_NS_USER) && write_maps(pid, spec, err))
		goto kill;
	if (send_sync(c->sync[0], 'M')) {
		brig_error_make(err, errno, "starting the container");
		goto kill;
	}
	got = recv_sync(c->sync[0], 'R', msg, sizeof(msg), err);
	if (got <= 0) {
		if (!got)
			brig_error_make(err, 0, "the container exited during setup");
		goto kill;
	}
	if (brig_nl_register(nl, pid, spec->name, &spec->kernel, &id, err)) {
		brig_error_wrap(err, "registering container `%s` with brig.ko", spec->name);
		goto kill;
	}
	if (state_save(spec->name, id, pid, &c->proc, err) || send_sync(c->sync[0], 'G')) {
		if (!*err)
			brig_error_make(err, errno, "starting the container");
		goto kill;
	}
	got = recv_sync(c->sync[0], 'G', msg, sizeof(msg), err);
	close(c->sync[0]);
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
		code = supervise(pid, pid, &r);
	}
	forget(nl, spec->name, id);
	return code;

kill:
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(c->sync[0]);
	if (id)
		forget(nl, spec->name, id);
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

static int open_log(const char *name, struct brig_error **err)
{
	char path[PATH_MAX];
	int fd;

	if (state_dir(name, err))
		return -1;
	state_path(path, sizeof(path), name, "log");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return brig_error_make(err, errno, "opening `%s`", path);
	return fd;
}

/* What the container will need from the host, checked before anything starts. */
static int check_host_paths(const struct brig_container_spec *spec, struct brig_error **err)
{
	struct stat st;
	size_t i;

	if (stat(spec->rootfs, &st))
		return brig_error_make(err, errno, "root filesystem `%s`", spec->rootfs);
	if (!S_ISDIR(st.st_mode))
		return brig_error_make(err, ENOTDIR, "root filesystem `%s`", spec->rootfs);
	for (i = 0; i < spec->n_mounts; i++)
		if (!spec->mounts[i].tmpfs && stat(spec->mounts[i].host, &st))
			return brig_error_make(err, errno, "%s: mount bind `%s`", spec->source,
					       spec->mounts[i].host);
	for (i = 0; i < spec->n_devices; i++) {
		if (stat(spec->devices[i].host, &st))
			return brig_error_make(err, errno, "%s: device `%s`", spec->source,
					       spec->devices[i].host);
		if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
			return brig_error_make(err, 0, "%s: device `%s` is not a device node",
					       spec->source, spec->devices[i].host);
	}
	return 0;
}

/* The command line's choices over the policy's: --rootfs, --name. */
static int apply_options(struct brig_container_spec *spec, const struct launch_options *opt,
			 struct brig_error **err)
{
	if (opt->rootfs) {
		char *abs = realpath(opt->rootfs, NULL);

		if (!abs)
			return brig_error_make(err, errno, "--rootfs `%s`", opt->rootfs);
		free(spec->rootfs);
		spec->rootfs = abs;
	}
	if (opt->name && brig_spec_set_string(&spec->name, opt->name))
		return brig_error_make(err, ENOMEM, "--name");
	if (!spec->rootfs)
		return brig_error_make(err, 0, "%s: no root filesystem: give `rootfs DIR` or --rootfs DIR",
				       spec->source);
	return 0;
}

static int launch(const struct launch_options *opt, struct brig_error **err)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	struct brig_container_spec *spec __attribute__((cleanup(brig_spec_freep))) = NULL;
	struct container c = { .out = -1, .null = -1 };
	struct brig_container_info info;
	scmp_filter_ctx ctx = NULL;
	int code = -1, status_fd = -1;

	{
		struct brig_pol *pol;
		int ret;

		if (brig_pol_parse_file(opt->policy, &pol, err))
			return -1;
		ret = brig_spec_from_pol(pol, &spec, err);
		brig_pol_free(pol);
		if (ret)
			return -1;
	}
	c.spec = spec;
	if (apply_options(spec, opt, err) || check_host_paths(spec, err))
		goto out;
	c.proc = (struct launch_process){
		.argv = opt->command[0] ? opt->command : spec->process.argv,
		.env = make_env(spec, opt), .workdir = spec->process.cwd,
		.uid = spec->process.uid, .gid = spec->process.gid, .caps = spec->process.caps,
		.no_new_privs = spec->process.no_new_privs, .tty = opt->tty,
	};
	if (!c.proc.env) {
		brig_error_make(err, ENOMEM, "environment");
		goto out;
	}
	if (brig_spec_voiding_caps(&spec->kernel)) {
		char why[1024];

		brig_voiding_describe(brig_spec_voiding_caps(&spec->kernel), why, sizeof(why));
		fprintf(stderr, "launch: WARNING: %s: the capabilities void the policy's own file rules: %s\n",
			spec->source, why);
		if (!opt->unsafe_caps) {
			brig_error_make(err, 0, "%s: refusing a policy that voids its own rules; drop those capabilities, or insist with --unsafe-caps",
					spec->source);
			goto out;
		}
		spec->kernel.unsafe_caps = true;
	}
	if (spec->seccomp) {
		c.proc.seccomp_flags = spec->seccomp->flags;
		if (brig_sc_build(spec->seccomp, c.proc.caps, brig_kernel_version(),
				  spec->seccomp_owned ? stderr : NULL, &ctx, err) ||
		    brig_sc_export(ctx, &c.proc.seccomp, err))
			goto out;
	}
	if (brig_nl_open(&nl, err))
		goto out;
	if (!brig_nl_get(nl, 0, spec->name, &info, err)) {
		brig_error_make(err, 0, "a container named `%s` is already running (id %u)",
				spec->name, info.id);
		goto out;
	}
	brig_error_free(err);
	if (spec->privileged)
		fprintf(stderr, "launch: warning: %s is privileged: every capability, the host's devices, no seccomp, no file or network rules\n",
			spec->source);
	if (opt->detach) {
		c.out = open_log(spec->name, err);
		if (c.out < 0)
			goto out;
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
	} else if (state_dir(spec->name, err)) {
		goto out;
	}
	code = run_container(nl, &c, status_fd, err);
out:
	if (c.out >= 0)
		close(c.out);
	if (c.null >= 0)
		close(c.null);
	seccomp_release(ctx);
	free(c.proc.seccomp.filter);
	env_free(c.proc.env);
	return code;
}

/* ---- launch exec ----------------------------------------------------------------- */

/* Opens init's namespaces that differ from ours (fd -1 for the same). */
static int open_namespaces(pid_t init, int fds[N_NAMESPACES], struct brig_error **err)
{
	for (size_t i = 0; i < N_NAMESPACES; i++) {
		char path[64], self[64];
		struct stat a, b;

		snprintf(path, sizeof(path), "/proc/%d/ns/%s", init, namespaces[i].name);
		snprintf(self, sizeof(self), "/proc/self/ns/%s", namespaces[i].name);
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
static void __attribute__((noreturn)) exec_joiner(int fds[N_NAMESPACES], struct launch_process *proc,
						 int report, int slave, const sigset_t *mask)
{
	struct brig_error *err = NULL;
	bool user = fds[0] >= 0;
	int status;
	pid_t pid;

	for (size_t i = 0; i < N_NAMESPACES && !err; i++)
		if (fds[i] >= 0 && setns(fds[i], namespaces[i].type))
			brig_error_make(&err, errno, "joining the container's %s namespace",
					namespaces[i].name);
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

static int launch_exec(const struct launch_options *opt, struct brig_error **err)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	struct launch_process proc = { .argv = opt->command, .tty = opt->tty };
	struct relay r = { .master = -1, .in = -1, .out = STDOUT_FILENO };
	struct brig_container_info info;
	int fds[N_NAMESPACES], report[2] = { -1, -1 }, slave = -1, code = -1, i;
	pid_t joiner, target = -1;
	char msg[1100];
	sigset_t mask;

	for (size_t j = 0; j < N_NAMESPACES; j++)
		fds[j] = -1;
	if (brig_nl_open(&nl, err) || brig_nl_get(nl, 0, opt->name, &info, err) ||
	    state_load(opt->name, info.init_pid, &proc, err) ||
	    open_namespaces(info.init_pid, fds, err))
		goto out;
	for (i = 0; i < opt->n_env; i++)
		brig_env_set(&proc.env, opt->env[i], true);
	if (opt->tty)
		brig_env_set(&proc.env, "TERM=xterm", false);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, report)) {
		brig_error_make(err, errno, "socketpair");
		goto out;
	}
	if (opt->tty) {
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
	close(report[1]);
	report[1] = -1;
	if (slave >= 0)
		close(slave);
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
		if (fds[j] >= 0)
			close(fds[j]);
	if (report[0] >= 0)
		close(report[0]);
	env_free(proc.env);
	free((char *)proc.workdir);
	free(proc.seccomp.filter);
	return code;
}

int main(int argc, char **argv)
{
	struct launch_options opt = { 0 };
	struct brig_error *err = NULL;
	bool exec = argc > 1 && !strcmp(argv[1], "exec");
	int code;

	if (parse_options(argc - exec, argv + exec, exec, &opt, &err) < 0) {
		brig_error_report(stderr, "launch", &err);
		fputs("Try `launch --help`.\n", stderr);
		free(opt.env);
		return BRIG_EXIT_FAILURE;
	}
	code = exec ? launch_exec(&opt, &err) : launch(&opt, &err);
	free(opt.env);
	if (code < 0)
		return brig_error_report(stderr, "launch", &err);
	return code;
}
