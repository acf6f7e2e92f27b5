// SPDX-License-Identifier: GPL-2.0
/*
 * brig-runtime: a runc-compatible OCI runtime that runs containers under
 * brig.ko, for podman (through conmon), containerd's runc shim (and so
 * Docker and Kubernetes). See docs/brig-runtime.8 and
 * docs/runtime-callers.md for what the callers rely on. A thin front end:
 * the command line, the bundle lowered into a container spec
 * (lib/oci.h), the engine that creates it (engine/engine.h), and the
 * record a container leaves in --root (lib/oci_state.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <seccomp.h>

#include "engine/engine.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/image.h"
#include "lib/layer.h"
#include "lib/names.h"
#include "lib/nl.h"
#include "lib/oci.h"
#include "lib/oci_state.h"
#include "lib/policy.h"
#include "lib/trust.h"

/* The global options, before the command. */
struct runtime {
	const char *root;
	const char *log;	/* --log FILE: errors appended there too */
	bool log_json;		/* --log-format json */
	const char *policy;	/* --policy FILE: pinned for every container */
	char **argv;		/* the command line, to run again from a sealed copy */
};

static const char *prog = "brig-runtime";

/* ---- errors, as runc gives them */

/*
 * Prints the error on stderr and, with --log, as a log line (JSON: level,
 * msg, time, as containerd's shim and podman parse it); returns 1, runc's
 * exit status for a failure, or docker's 126 or 127 for a program that
 * cannot run or is not there.
 */
static int fail(const struct runtime *rt, struct brig_error **err)
{
	char msg[2048], when[96];
	struct timespec now;
	FILE *log;
	int code;

	if ((*err)->errnum)
		snprintf(msg, sizeof(msg), "%s: %s", (*err)->msg, strerror((*err)->errnum));
	else
		snprintf(msg, sizeof(msg), "%s", (*err)->msg);
	fprintf(stderr, "%s: %s\n", prog, msg);
	if (rt->log && (log = fopen(rt->log, "ae"))) {
		clock_gettime(CLOCK_REALTIME, &now);
		brig_oci_timestamp(&now, when, sizeof(when));
		if (rt->log_json) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "level", json_object_new_string("error"));
			json_object_object_add(o, "msg", json_object_new_string(msg));
			json_object_object_add(o, "time", json_object_new_string(when));
			fprintf(log, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
			json_object_put(o);
		} else {
			fprintf(log, "time=\"%s\" level=error msg=\"%s\"\n", when, msg);
		}
		fclose(log);
	}
	code = (*err)->exit_code == BRIG_EXIT_CANNOT_RUN || (*err)->exit_code == BRIG_EXIT_NOT_FOUND ?
	       (*err)->exit_code : 1;
	brig_error_free(err);
	return code;
}

static int __attribute__((format(printf, 2, 3))) usage_error(struct brig_error **err,
							      const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return brig_error_make(err, 0, "%s (see `%s --help`)", msg, prog);
}

/* ---- options: runc's, as --flag value or --flag=value */

struct option_def {
	const char *name;	/* "--bundle"; "-b" a short one */
	const char *alias;
	bool takes_value;
};

/*
 * Whether argv[*i] is @def: *value gets its value (the next word, or after
 * '='), *i moves past it. -1 with *err if the value is missing.
 */
static int match_option(char **argv, int argc, int *i, const struct option_def *def,
			const char **value, struct brig_error **err)
{
	const char *arg = argv[*i];
	const char *names[] = { def->name, def->alias };

	for (size_t k = 0; k < 2; k++) {
		size_t n;

		if (!names[k])
			continue;
		n = strlen(names[k]);
		if (strncmp(arg, names[k], n))
			continue;
		/* runc's flags take one dash too (-bundle, as Go's flag package). */
		if (arg[n] == '=' && def->takes_value) {
			*value = arg + n + 1;
			return 1;
		}
		if (arg[n])
			continue;
		if (!def->takes_value) {
			*value = "true";
			return 1;
		}
		if (*i + 1 >= argc)
			return usage_error(err, "%s needs a value", names[k]);
		*value = argv[++*i];
		return 1;
	}
	return 0;
}

/*
 * Parses the options @defs before the first other word: values[k] for
 * defs[k] (NULL if not given). Returns the index of the first operand, or
 * -1 with *err set.
 */
static int parse_options(int argc, char **argv, const struct option_def *defs, size_t n_defs,
			 const char **values, struct brig_error **err)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		size_t k;
		int got = 0;

		if (!strcmp(argv[i], "--"))
			return i + 1;
		for (k = 0; k < n_defs && !got; k++) {
			const char *alt = NULL;
			struct option_def one_dash = defs[k];

			got = match_option(argv, argc, &i, &defs[k], &values[k], err);
			if (got || !defs[k].name[1] || defs[k].name[1] != '-')
				continue;
			/* -bundle for --bundle */
			one_dash.name = defs[k].name + 1;
			one_dash.alias = NULL;
			got = match_option(argv, argc, &i, &one_dash, &alt, err);
			if (got > 0)
				values[k] = alt;
		}
		if (got < 0)
			return -1;
		if (!got)
			return usage_error(err, "%s: unknown option %s", argv[0], argv[i]);
	}
	return i;
}

static bool flag_set(const char *value)
{
	return value && strcmp(value, "false") && strcmp(value, "0");
}

/* ---- containers */

static int state_of(const struct runtime *rt, const char *id, struct brig_oci_state *st,
		    struct brig_error **err)
{
	return brig_oci_state_load(rt->root, id, st, err);
}

/* Writes @pid to @path atomically, without a newline (runc's; go-runc's Atoi wants none). */
static int write_pid_file(const char *path, pid_t pid, struct brig_error **err)
{
	char tmp[4200], text[32];
	const char *slash = strrchr(path, '/');
	int fd, n;

	if (slash)
		snprintf(tmp, sizeof(tmp), "%.*s/.%s", (int)(slash - path), path, slash + 1);
	else
		snprintf(tmp, sizeof(tmp), ".%s", path);
	n = snprintf(text, sizeof(text), "%d", pid);
	/* Never through a link someone left at the temporary name. */
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, text, n) != n || close(fd) || rename(tmp, path)) {
		int e = errno;

		if (fd >= 0)
			unlink(tmp);
		return brig_error_make(err, e, "pid file `%s`", path);
	}
	return 0;
}

/* Removes ROOT/ID and what it holds (files only: the runtime makes no folder in it). */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(d), e->d_name, 0);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* The container's seccomp filter, for its execs: ROOT/ID/seccomp.bpf. */
static int save_seccomp(struct brig_oci_state *st, const struct engine_process *proc,
			struct brig_error **err)
{
	char path[4200];
	size_t len = proc->seccomp.len * sizeof(*proc->seccomp.filter);
	int fd;

	st->seccomp_len = proc->seccomp.filter ? proc->seccomp.len : 0;
	st->seccomp_flags = proc->seccomp_flags;
	if (!st->seccomp_len)
		return 0;
	snprintf(path, sizeof(path), "%s/seccomp.bpf", st->dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, proc->seccomp.filter, len) != (ssize_t)len || close(fd)) {
		if (fd >= 0)
			close(fd);
		return brig_error_make(err, errno, "writing `%s`", path);
	}
	return 0;
}

/* Reads it back for an exec: a missing or changed filter is refused, not run without. */
static int load_seccomp(const struct brig_oci_state *st, struct engine_process *proc,
			struct brig_error **err)
{
	char path[4200];
	size_t len = (size_t)st->seccomp_len * sizeof(*proc->seccomp.filter);
	int fd;
	struct stat sb;

	proc->seccomp_flags = st->seccomp_flags;
	if (!st->seccomp_len)
		return 0;
	snprintf(path, sizeof(path), "%s/seccomp.bpf", st->dir);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &sb) || (size_t)sb.st_size != len) {
		if (fd >= 0)
			close(fd);
		return brig_error_make(err, 0, "`%s` is missing or changed: refusing to exec without the container's seccomp filter",
				       path);
	}
	proc->seccomp.filter = malloc(len);
	if (!proc->seccomp.filter || read(fd, proc->seccomp.filter, len) != (ssize_t)len) {
		close(fd);
		return brig_error_make(err, errno, "reading `%s`", path);
	}
	close(fd);
	proc->seccomp.len = (unsigned short)st->seccomp_len;
	return 0;
}

/* --root and its missing parents (containerd gives /run/containerd/runc/NAMESPACE). */
static int make_root(const char *root)
{
	char path[4096];

	if (strlen(root) >= sizeof(path) || root[0] != '/') {
		errno = EINVAL;
		return -1;
	}
	strcpy(path, root);
	for (char *c = path + 1; *c; c++) {
		if (*c != '/')
			continue;
		*c = '\0';
		if (mkdir(path, 0711) && errno != EEXIST)
			return -1;
		*c = '/';
	}
	return mkdir(path, 0700) && errno != EEXIST ? -1 : 0;
}

struct create_args {
	const char *id;
	const char *bundle;
	const char *pid_file;
	const char *console_socket;
	int preserve_fds;
};

/*
 * The bundle's image (BRIG_OCI_IMAGE_ANNOTATION) as its root, trusted first
 * as launch trusts one: the config's process is the bundle's own.
 */
static int image_root(struct brig_container_spec *spec, struct brig_error **err)
{
	const char *trust = getenv("BRIG_CONTENT_TRUST");
	struct brig_image *img = NULL;
	int ret;

	if (brig_image_open_ref(spec->image, &img, err))
		return -1;
	ret = brig_trust_check_image(img, spec->trust_required || (trust && !strcmp(trust, "1")),
				     err) ||
	      brig_spec_image_root(spec, img, brig_layer_cache_dir(), err) ? -1 : 0;
	brig_image_free(&img);
	return ret;
}

/*
 * create: the container made and registered, its init held on the exec
 * FIFO; *st its record. Nothing is left on failure.
 */
static int create(const struct runtime *rt, const struct create_args *a,
		  struct brig_oci_state *st, struct brig_error **err)
{
	struct brig_container_spec *spec __attribute__((cleanup(brig_spec_freep))) = NULL;
	struct brig_oci_options opt = { .id = a->id, .policy = rt->policy };
	struct engine_hold hold = {
		.console_socket = a->console_socket, .preserve_fds = a->preserve_fds,
	};
	struct engine_process proc;
	char fifo[4200], ns[64], *bundle brig_cleanup_free = NULL;
	struct stat nst;
	pid_t pid = -1;
	uint32_t id = 0;

	memset(st, 0, sizeof(*st));
	if (!brig_oci_id_valid(a->id))
		return brig_error_make(err, 0, "invalid container ID format: `%s`", a->id);
	for (int fd = 3; fd < 3 + a->preserve_fds; fd++)
		if (fcntl(fd, F_GETFD) < 0)
			return brig_error_make(err, errno, "--preserve-fds %d: no fd %d",
					       a->preserve_fds, fd);
	bundle = realpath(a->bundle, NULL);
	if (!bundle)
		return brig_error_make(err, errno, "bundle `%s`", a->bundle);
	if (brig_spec_from_oci(bundle, &opt, &spec, err) || (spec->image && image_root(spec, err)))
		return -1;
	/* runc's fix for CVE-2019-5736, where the container could write this binary. */
	if (!engine_binary_out_of_reach(spec) && engine_reexec_sealed(rt->argv, err))
		return -1;
	if (spec->process.terminal && !a->console_socket)
		return brig_error_make(err, 0, "cannot allocate tty if %s will detach without setting console socket",
				       prog);
	if (!spec->process.terminal && a->console_socket)
		return brig_error_make(err, 0, "cannot use console socket if %s will not detach or allocate tty",
				       prog);
	if (make_root(rt->root))
		return brig_error_make(err, errno, "--root `%s`", rt->root);
	snprintf(st->id, sizeof(st->id), "%s", a->id);
	if (brig_oci_state_dir(rt->root, a->id, st->dir, sizeof(st->dir)))
		return brig_error_make(err, errno, "--root `%s`", rt->root);
	if (mkdir(st->dir, 0700))
		return errno == EEXIST ?
		       brig_error_make(err, 0, "container with given ID already exists") :
		       brig_error_make(err, errno, "making `%s`", st->dir);
	snprintf(fifo, sizeof(fifo), "%s/exec.fifo", st->dir);
	hold.exec_fifo = fifo;
	/*
	 * Writable by the container's user, whoever it maps to on the host
	 * (runc's 0622): only through the init's O_PATH fd, the folder is
	 * root's alone.
	 */
	if (mkfifo(fifo, 0600) || chmod(fifo, 0622)) {
		brig_error_make(err, errno, "making `%s`", fifo);
		goto undo;
	}
	if (engine_process_from_spec(spec, NULL, brig_strv_copy(spec->process.env),
				     spec->process.terminal, &proc, err))
		goto undo;
	if (save_seccomp(st, &proc, err) || engine_create(spec, &proc, &hold, &pid, &id, err)) {
		engine_process_release(&proc);
		goto undo;
	}
	engine_process_release(&proc);
	st->uid = spec->process.uid;
	st->gid = spec->process.gid;
	st->caps = spec->process.caps;
	st->no_new_privs = spec->process.no_new_privs;
	st->apparmor_profile = brig_steal(&spec->process.apparmor_profile);
	snprintf(st->bundle, sizeof(st->bundle), "%s", bundle);
	snprintf(st->rootfs, sizeof(st->rootfs), "%s", spec->rootfs);
	st->pid = pid;
	st->start_time = brig_proc_start_time(pid);
	st->brig_id = id;
	snprintf(ns, sizeof(ns), "/proc/%d/ns/pid", pid);
	st->pidns_ino = stat(ns, &nst) ? 0 : nst.st_ino;
	clock_gettime(CLOCK_REALTIME, &st->created);
	st->annotations = brig_steal(&spec->annotations);
	st->cgroup = brig_steal(&spec->cgroup.path);
	st->poststart = brig_steal(&spec->hooks[BRIG_HOOK_POSTSTART]);
	st->n_poststart = spec->n_hooks[BRIG_HOOK_POSTSTART];
	spec->n_hooks[BRIG_HOOK_POSTSTART] = 0;
	st->poststop = brig_steal(&spec->hooks[BRIG_HOOK_POSTSTOP]);
	st->n_poststop = spec->n_hooks[BRIG_HOOK_POSTSTOP];
	spec->n_hooks[BRIG_HOOK_POSTSTOP] = 0;
	if (!st->start_time) {
		brig_error_make(err, 0, "the container's init exited during create");
		goto undo;
	}
	if (brig_oci_state_save(st, err) || (a->pid_file && write_pid_file(a->pid_file, pid, err)))
		goto undo;
	return 0;
undo:
	if (pid > 0)
		kill(pid, SIGKILL);
	remove_dir(st->dir);
	brig_oci_state_release(st);
	return -1;
}

/* Waits up to @ms for the process @pid (not ours) to exit; whether it did. */
static bool wait_gone(const struct brig_oci_state *st, int ms)
{
	int pidfd = syscall(SYS_pidfd_open, st->pid, 0);
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	bool gone;

	if (pidfd < 0)
		return brig_oci_status(st) == BRIG_OCI_STOPPED;
	/* A pidfd of a zombie, or of an exited child, polls readable. */
	gone = brig_oci_status(st) == BRIG_OCI_STOPPED || poll(&pfd, 1, ms) > 0;
	close(pidfd);
	return gone || brig_oci_status(st) == BRIG_OCI_STOPPED;
}

/* Signals the init, checked to be the one we created (its start time). */
static int signal_init(const struct brig_oci_state *st, int sig, struct brig_error **err)
{
	int pidfd = syscall(SYS_pidfd_open, st->pid, 0), ret;

	if (pidfd < 0 || brig_proc_start_time(st->pid) != st->start_time) {
		if (pidfd >= 0)
			close(pidfd);
		return brig_error_make(err, 0, "container not running");
	}
	ret = syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
	close(pidfd);
	if (ret)
		return errno == ESRCH ? brig_error_make(err, 0, "container not running") :
		       brig_error_make(err, errno, "signalling the container");
	return 0;
}

/* Every process of the container: those in its pid namespace. *n of them. */
static pid_t *container_pids(const struct brig_oci_state *st, size_t *n)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t *pids = NULL;

	*n = 0;
	while (d && (e = readdir(d))) {
		char path[300];
		struct stat s;
		pid_t *more;
		long pid = strtol(e->d_name, NULL, 10);

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/ns/pid", pid);
		if (stat(path, &s) || s.st_ino != st->pidns_ino)
			continue;
		more = realloc(pids, (*n + 1) * sizeof(*pids));
		if (!more)
			break;
		pids = more;
		pids[(*n)++] = (pid_t)pid;
	}
	if (d)
		closedir(d);
	return pids;
}

/* A signal by number, name or SIG-name (runc's kill takes each). */
static int parse_signal(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s && !*end)
		return n > 0 && n < NSIG ? (int)n : -1;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (int sig = 1; sig < NSIG; sig++) {
		const char *name = sigabbrev_np(sig);

		if (name && !strcasecmp(s, name))
			return sig;
	}
	return -1;
}

/* Runs kept hooks (poststart, poststop): one that fails is warned of, the rest still run. */
static void run_kept_hooks(const struct brig_hook *hooks, size_t n, const char *point,
			   const struct brig_oci_state *st, enum brig_oci_status status)
{
	struct brig_error *ignored = NULL;
	char *state = n ? brig_oci_state_json(st, status, false) : NULL;

	for (size_t i = 0; state && i < n; i++) {
		if (engine_hook_run(&hooks[i], point, state, &ignored)) {
			fprintf(stderr, "%s: warning: %s\n", prog, ignored->msg);
			brig_error_free(&ignored);
		}
	}
	free(state);
}

/* delete: what the container leaves, once it is stopped; poststop hooks last. */
static void destroy(struct brig_oci_state *st)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	struct brig_container_info info;
	struct brig_error *ignored = NULL;
	char name[BRIG_NAME_MAX];

	/* brig.ko lets go as the last task goes; a registration left is ours to end. */
	brig_oci_kernel_name(st->id, name, sizeof(name));
	if (!brig_nl_open(&nl, &ignored) && !brig_nl_get(nl, st->brig_id, NULL, &info, &ignored) &&
	    !strcmp(info.name, name) && info.init_pid == (uint32_t)st->pid)
		brig_nl_unregister(nl, st->brig_id, NULL, &ignored);
	brig_error_free(&ignored);
	/* What cannot be removed is said; the rest still goes, the record last. */
	if (st->cgroup && engine_cgroup_remove(st->cgroup, &ignored)) {
		fprintf(stderr, "%s: warning: %s\n", prog, ignored->msg);
		brig_error_free(&ignored);
	}
	/* runtime-spec: a failing poststop hook is logged and the rest still run. */
	run_kept_hooks(st->poststop, st->n_poststop, "poststop", st, BRIG_OCI_STOPPED);
	remove_dir(st->dir);
}

/* ---- commands */

/*
 * create's options, run's first ones. --no-pivot: pivot_root always (a
 * rootfs on the initramfs needs its own mount, not chroot); --no-new-keyring:
 * the session keyring is the caller's, as runc's with the flag.
 */
static const struct option_def create_defs[] = {
	{ "--bundle", "-b", true }, { "--pid-file", NULL, true },
	{ "--console-socket", NULL, true }, { "--no-pivot", NULL, false },
	{ "--no-new-keyring", NULL, false }, { "--preserve-fds", NULL, true },
};
#define N_CREATE_DEFS (sizeof(create_defs) / sizeof(create_defs[0]))

/* @a from create's options' values @v and the operands from @first. */
static int create_args_from(const char **v, int argc, char **argv, int first,
			    struct create_args *a, struct brig_error **err)
{
	char *end;
	long n;

	if (first < 0)
		return -1;
	if (first != argc - 1)
		return usage_error(err, "%s: expected one container ID", argv[0]);
	*a = (struct create_args){
		.id = argv[first], .bundle = v[0] ? v[0] : ".", .pid_file = v[1],
		.console_socket = v[2],
	};
	if (!v[5])
		return 0;
	n = strtol(v[5], &end, 10);
	if (*end || n < 0 || n > 1000)
		return usage_error(err, "--preserve-fds takes a number, not `%s`", v[5]);
	a->preserve_fds = (int)n;
	return 0;
}

static int cmd_create(const struct runtime *rt, int argc, char **argv, struct brig_error **err)
{
	const char *v[N_CREATE_DEFS] = { 0 };
	struct create_args a;
	struct brig_oci_state st;
	int first = parse_options(argc, argv, create_defs, N_CREATE_DEFS, v, err);

	if (create_args_from(v, argc, argv, first, &a, err) || create(rt, &a, &st, err))
		return -1;
	brig_oci_state_release(&st);
	return 0;
}

/* start: the held init let go, then poststart hooks. */
static int start(struct brig_oci_state *st, struct brig_error **err)
{
	char fifo[4200], byte;
	int fd;

	switch (brig_oci_status(st)) {
	case BRIG_OCI_RUNNING:
		return brig_error_make(err, 0, "cannot start an already running container");
	case BRIG_OCI_STOPPED:
		return brig_error_make(err, 0, "cannot start a container that has stopped");
	case BRIG_OCI_CREATED:
		break;
	}
	snprintf(fifo, sizeof(fifo), "%s/exec.fifo", st->dir);
	fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return brig_error_make(err, errno, "opening `%s`", fifo);
	/* The init writes once its open returns; it may be dying instead. */
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 100) > 0 || (pfd.revents & POLLIN)) {
			n = read(fd, &byte, 1);
			if (n == 1)
				break;
		}
		if (brig_oci_status(st) == BRIG_OCI_STOPPED) {
			close(fd);
			return brig_error_make(err, 0, "cannot start a container that has stopped");
		}
		/* Another start took it. */
		if (access(fifo, F_OK)) {
			close(fd);
			return brig_error_make(err, 0, "cannot start an already running container");
		}
	}
	close(fd);
	unlink(fifo);
	/* runtime-spec: a poststart hook that fails is warned of; the container runs on. */
	run_kept_hooks(st->poststart, st->n_poststart, "poststart", st, BRIG_OCI_RUNNING);
	return 0;
}

static int cmd_start(const struct runtime *rt, int argc, char **argv, struct brig_error **err)
{
	struct brig_oci_state st;
	int ret;

	if (argc != 2)
		return usage_error(err, "start: expected one container ID");
	if (state_of(rt, argv[1], &st, err))
		return -1;
	ret = start(&st, err);
	brig_oci_state_release(&st);
	return ret;
}

static int cmd_state(const struct runtime *rt, int argc, char **argv, struct brig_error **err)
{
	struct brig_oci_state st;
	char *json;

	if (argc != 2)
		return usage_error(err, "state: expected one container ID");
	if (state_of(rt, argv[1], &st, err))
		return -1;
	json = brig_oci_state_json(&st, brig_oci_status(&st), true);
	brig_oci_state_release(&st);
	if (!json)
		return brig_error_make(err, ENOMEM, "state");
	puts(json);
	free(json);
	return 0;
}

static int cmd_kill(const struct runtime *rt, int argc, char **argv, struct brig_error **err)
{
	static const struct option_def defs[] = { { "--all", "-a", false } };
	const char *v[1] = { 0 };
	struct brig_oci_state st;
	int first = parse_options(argc, argv, defs, 1, v, err), sig = SIGTERM, ret = 0;

	if (first < 0)
		return -1;
	if (first != argc - 1 && first != argc - 2)
		return usage_error(err, "kill: expected a container ID and a signal");
	if (first == argc - 2 && (sig = parse_signal(argv[argc - 1])) < 0)
		return brig_error_make(err, 0, "unknown signal \"%s\"", argv[argc - 1]);
	if (state_of(rt, argv[first], &st, err))
		return -1;
	if (brig_oci_status(&st) == BRIG_OCI_STOPPED) {
		ret = flag_set(v[0]) ? 0 : brig_error_make(err, 0, "container not running");
	} else if (flag_set(v[0])) {
		size_t n;
		pid_t *pids = container_pids(&st, &n);

		/* The init first: SIGKILL to it ends the whole namespace. */
		ret = signal_init(&st, sig, err);
		for (size_t i = 0; !ret && i < n; i++)
			if (pids[i] != st.pid)
				kill(pids[i], sig);
		free(pids);
	} else {
		ret = signal_init(&st, sig, err);
	}
	brig_oci_state_release(&st);
	return ret;
}

static int cmd_delete(const struct runtime *rt, int argc, char **argv, struct brig_error **err)
{
	static const struct option_def defs[] = { { "--force", "-f", false } };
	const char *v[1] = { 0 };
	struct brig_oci_state st;
	int first = parse_options(argc, argv, defs, 1, v, err);
	bool force = flag_set(v[0]);
	enum brig_oci_status status;

	if (first < 0)
		return -1;
	if (first != argc - 1)
		return usage_error(err, "delete: expected one container ID");
	if (state_of(rt, argv[first], &st, err)) {
		char dir[4200];

		/* As runc: -f on a missing one is done; a half-made record goes too. */
		if (force && strstr((*err)->msg, "does not exist")) {
			brig_error_free(err);
			if (!brig_oci_state_dir(rt->root, argv[first], dir, sizeof(dir)) &&
			    brig_oci_id_valid(argv[first]))
				remove_dir(dir);
			return 0;
		}
		return -1;
	}
	status = brig_oci_status(&st);
	if (status == BRIG_OCI_RUNNING && !force) {
		brig_oci_state_release(&st);
		return brig_error_make(err, 0, "cannot delete container %s that is not stopped: running",
				       argv[first]);
	}
	if (status != BRIG_OCI_STOPPED) {
		/* A created one is killed (containerd relies on it); -f kills a running one. */
		if (signal_init(&st, SIGKILL, err) && brig_oci_status(&st) != BRIG_OCI_STOPPED) {
			brig_oci_state_release(&st);
			return -1;
		}
		brig_error_free(err);
		if (!wait_gone(&st, 10000)) {
			brig_oci_state_release(&st);
			return brig_error_make(err, 0, "container init still running");
		}
	}
	destroy(&st);
	brig_oci_state_release(&st);
	return 0;
}

static int cmd_ps(const struct runtime *rt, int argc, char **argv, struct brig_error **err)
{
	static const struct option_def defs[] = { { "--format", "-f", true } };
	const char *v[1] = { 0 };
	struct brig_oci_state st;
	int first = parse_options(argc, argv, defs, 1, v, err);
	const char *format;
	pid_t *pids;
	size_t n;

	if (first < 0)
		return -1;
	if (first >= argc)
		return usage_error(err, "ps: expected a container ID");
	format = v[0] ? v[0] : "table";
	if (strcmp(format, "json") && strcmp(format, "table"))
		return brig_error_make(err, 0, "invalid format option");
	if (state_of(rt, argv[first], &st, err))
		return -1;
	pids = brig_oci_status(&st) == BRIG_OCI_STOPPED ? NULL : container_pids(&st, &n);
	if (!pids)
		n = 0;
	if (!strcmp(format, "json")) {
		fputc('[', stdout);
		for (size_t i = 0; i < n; i++)
			printf("%s%d", i ? "," : "", pids[i]);
		fputs("]\n", stdout);
	} else {
		puts("PID   CMD");
		for (size_t i = 0; i < n; i++) {
			char path[64], cmd[256] = "";
			FILE *f;

			snprintf(path, sizeof(path), "/proc/%d/comm", pids[i]);
			f = fopen(path, "re");
			if (f && fgets(cmd, sizeof(cmd), f))
				cmd[strcspn(cmd, "\n")] = '\0';
			if (f)
				fclose(f);
			printf("%-5d %s\n", pids[i], cmd);
		}
	}
	free(pids);
	brig_oci_state_release(&st);
	return 0;
}

/*
 * run: create, start, and wait for the container as its parent (a child
 * subreaper, so that the init is ours to reap), then delete; its exit code.
 */
static int cmd_run(const struct runtime *rt, int argc, char **argv, struct brig_error **err)
{
	struct option_def defs[N_CREATE_DEFS + 2] = {
		[N_CREATE_DEFS] = { "--detach", "-d", false },
		[N_CREATE_DEFS + 1] = { "--keep", NULL, false },
	};
	const char *v[N_CREATE_DEFS + 2] = { 0 };
	struct create_args a;
	struct brig_oci_state st;
	int first, status = 0, code;

	memcpy(defs, create_defs, sizeof(create_defs));
	first = parse_options(argc, argv, defs, N_CREATE_DEFS + 2, v, err);
	if (create_args_from(v, argc, argv, first, &a, err))
		return -1;
	if (!flag_set(v[6]) && prctl(PR_SET_CHILD_SUBREAPER, 1))
		return brig_error_make(err, errno, "PR_SET_CHILD_SUBREAPER");
	if (create(rt, &a, &st, err))
		return -1;
	if (start(&st, err)) {
		kill(st.pid, SIGKILL);
		waitpid(st.pid, NULL, 0);
		destroy(&st);
		brig_oci_state_release(&st);
		return -1;
	}
	if (flag_set(v[6])) {
		brig_oci_state_release(&st);
		return 0;
	}
	while (waitpid(st.pid, &status, 0) < 0 && errno == EINTR)
		;
	code = exit_code_of(status);
	if (!flag_set(v[7]))
		destroy(&st);
	brig_oci_state_release(&st);
	return code;
}

/* "UID[:GID]" */
static int parse_user(const char *s, uid_t *uid, gid_t *gid)
{
	char *end;
	unsigned long u = strtoul(s, &end, 10), g;

	if (end == s || (*end && *end != ':') || u >= UINT32_MAX)
		return -1;
	*uid = (uid_t)u;
	if (*end == ':') {
		g = strtoul(end + 1, &end, 10);
		if (*end || g >= UINT32_MAX)
			return -1;
		*gid = (gid_t)g;
	}
	return 0;
}

/*
 * exec: a process in the running container, from --process FILE (an OCI
 * process, as conmon and containerd's shim write it) or the command line;
 * the container's seccomp filter, cgroup and namespaces.
 */
static int cmd_exec(const struct runtime *rt, int argc, char **argv, struct brig_error **err)
{
	struct brig_container_spec *from __attribute__((cleanup(brig_spec_freep))) = NULL;
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	struct engine_exec how = { 0 };
	struct engine_process proc = { .umask = -1, .owns_env = true };
	const char *process = NULL, *pid_file = NULL, *cwd = NULL, *apparmor = NULL;
	char **env = NULL, **args;
	bool tty = false, nnp = false, has_user = false;
	uid_t uid = 0;
	gid_t gid = 0;
	uint64_t caps_add = 0;
	struct brig_container_info info;
	struct brig_oci_state st;
	char name[BRIG_NAME_MAX];
	int i, code = -1;
	pid_t pid = -1;

	/* The joiner runs this binary in the container until its execve. */
	if (engine_reexec_sealed(rt->argv, err))
		return -1;
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		static const char *const valued[] = {
			"--process", "-p", "--pid-file", "--console-socket", "--cwd", "--env", "-e",
			"--user", "-u", "--cap", "-c", "--apparmor", "--preserve-fds",
			"--process-label", "--additional-gids", "-g", "--cgroup", NULL,
		};
		char *a = argv[i], *eq = strchr(a, '='), name[64];
		const char *value = NULL;
		bool takes = false;

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		snprintf(name, sizeof(name), "%.*s", eq ? (int)(eq - a) : (int)strlen(a), a);
		for (const char *const *v = valued; *v; v++)
			if (!strcmp(name, *v) || (name[1] != '-' && name[0] == '-' && !strcmp(name, *v + 1)))
				takes = true;
		if (takes) {
			if (eq)
				value = eq + 1;
			else if (i + 1 < argc)
				value = argv[++i];
			else
				return usage_error(err, "exec: %s needs a value", name);
		}
		if (!strcmp(name, "--process") || !strcmp(name, "-p"))
			process = value;
		else if (!strcmp(name, "--pid-file"))
			pid_file = value;
		else if (!strcmp(name, "--console-socket"))
			how.console_socket = value;
		else if (!strcmp(name, "--cwd"))
			cwd = value;
		else if (!strcmp(name, "--env") || !strcmp(name, "-e"))
			brig_env_set(&env, value, true);
		else if (!strcmp(name, "--user") || !strcmp(name, "-u")) {
			if (parse_user(value, &uid, &gid))
				return usage_error(err, "exec: --user takes UID[:GID], not `%s`", value);
			has_user = true;
		} else if (!strcmp(name, "--cap") || !strcmp(name, "-c")) {
			int cap = brig_cap_from_name(value);

			if (cap < 0)
				return brig_error_make(err, 0, "unknown capability \"%s\"", value);
			caps_add |= 1ULL << cap;
		} else if (!strcmp(name, "--apparmor"))
			apparmor = value;
		else if (!strcmp(name, "--preserve-fds")) {
			if (strcmp(value, "0"))
				return brig_error_make(err, 0, "exec: --preserve-fds is not supported");
		} else if (!strcmp(name, "--detach") || !strcmp(name, "-d"))
			how.detach = true;
		else if (!strcmp(name, "--tty") || !strcmp(name, "-t"))
			tty = true;
		else if (!strcmp(name, "--no-new-privs"))
			nnp = true;
		else if (!strcmp(name, "--ignore-paused"))
			;
		else if (takes)
			return brig_error_make(err, 0, "exec: %s is not supported", name);
		else
			return usage_error(err, "exec: unknown option %s", a);
	}
	if (i >= argc)
		return usage_error(err, "exec: expected a container ID");
	if (state_of(rt, argv[i], &st, err))
		goto out;
	if (brig_oci_status(&st) == BRIG_OCI_STOPPED) {
		brig_error_make(err, 0, "cannot exec in a stopped container");
		goto out;
	}
	if (process) {
		if (i + 1 < argc) {
			brig_error_make(err, 0, "exec: --process and a command: give one");
			goto out;
		}
		if (brig_oci_process_load(process, &from, err))
			goto out;
		proc.argv = from->process.argv;
		proc.env = brig_strv_copy(from->process.env);
		proc.workdir = from->process.cwd;
		proc.uid = from->process.uid;
		proc.gid = from->process.gid;
		proc.n_groups = from->process.n_groups;
		memcpy(proc.groups, from->process.groups, sizeof(proc.groups));
		proc.caps = from->process.caps;
		proc.no_new_privs = from->process.no_new_privs;
		proc.n_rlimits = from->process.n_rlimits;
		memcpy(proc.rlimits, from->process.rlimits, sizeof(proc.rlimits));
		proc.umask = from->process.umask;
		proc.apparmor_profile = from->process.apparmor_profile;
		tty = tty || from->process.terminal;
		/* Never more than the container's: its bounding set caps every set. */
		proc.caps.bounding &= st.caps.bounding;
		proc.caps.effective &= st.caps.bounding;
		proc.caps.permitted &= st.caps.bounding;
		proc.caps.inheritable &= st.caps.bounding;
		proc.caps.ambient &= st.caps.bounding;
	} else {
		args = argv + i + 1;
		if (!*args) {
			brig_error_make(err, 0, "exec: a command or --process is required");
			goto out;
		}
		proc.argv = args;
		proc.env = brig_strv_copy((char *[]){ "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
						 NULL });
		for (size_t k = 0; env && env[k]; k++)
			brig_env_set(&proc.env, env[k], true);
		proc.workdir = cwd ? cwd : "/";
		proc.uid = has_user ? uid : st.uid;
		proc.gid = has_user ? gid : st.gid;
		proc.caps = st.caps;
		/* --cap: within the container's bounding set, its ceiling. */
		proc.caps.effective |= caps_add & st.caps.bounding;
		proc.caps.permitted |= caps_add & st.caps.bounding;
		proc.no_new_privs = nnp;
		proc.apparmor_profile = apparmor;
	}
	proc.tty = tty;
	/* What the container had, the exec has: no_new_privs, its AppArmor profile. */
	proc.no_new_privs = proc.no_new_privs || st.no_new_privs;
	if (!proc.apparmor_profile)
		proc.apparmor_profile = st.apparmor_profile;
	if (tty && !how.console_socket && how.detach) {
		brig_error_make(err, 0, "cannot allocate tty if %s will detach without setting console socket",
				prog);
		goto out;
	}
	if (load_seccomp(&st, &proc, err))
		goto out;
	how.cgroup = st.cgroup;
	if (brig_nl_open(&nl, err) || brig_nl_get(nl, st.brig_id, NULL, &info, err))
		goto out;
	brig_oci_kernel_name(st.id, name, sizeof(name));
	if (info.init_pid != (uint32_t)st.pid || strcmp(info.name, name)) {
		brig_error_make(err, 0, "container %s is not the one brig.ko holds as id %u", st.id,
				st.brig_id);
		goto out;
	}
	code = engine_exec_process(&info, &proc, &how, &pid, err);
	if (code >= 0 && how.detach && pid_file && write_pid_file(pid_file, pid, err))
		code = -1;
out:
	engine_process_release(&proc);
	brig_strv_free(env);
	brig_oci_state_release(&st);
	return code;
}

static int cmd_features(const struct runtime *rt, int argc, char **argv, struct brig_error **err)
{
	const struct scmp_version *sv = seccomp_version();

	(void)rt;
	(void)argv;
	if (argc != 1)
		return usage_error(err, "features: takes no argument");
	printf("{\n"
	       "    \"ociVersionMin\": \"1.0.0\",\n"
	       "    \"ociVersionMax\": \"%s\",\n"
	       "    \"hooks\": [\"prestart\", \"createRuntime\", \"createContainer\", \"startContainer\", \"poststart\", \"poststop\"],\n"
	       "    \"mountOptions\": [\"async\", \"atime\", \"bind\", \"defaults\", \"dev\", \"diratime\", \"dirsync\", \"exec\", \"mand\", \"noatime\", \"nodev\", \"nodiratime\", \"noexec\", \"nomand\", \"norelatime\", \"nostrictatime\", \"nosuid\", \"private\", \"rbind\", \"relatime\", \"rprivate\", \"rshared\", \"rslave\", \"runbindable\", \"ro\", \"rw\", \"shared\", \"slave\", \"strictatime\", \"suid\", \"sync\", \"unbindable\"],\n"
	       "    \"linux\": {\n"
	       "        \"namespaces\": [\"cgroup\", \"ipc\", \"mount\", \"network\", \"pid\", \"user\", \"uts\"],\n"
	       "        \"capabilities\": [",
	       BRIG_OCI_VERSION);
	for (int cap = 0; cap < BRIG_CAPS_COUNT; cap++)
		printf("%s\"CAP_%s\"", cap ? ", " : "", brig_cap_name(cap));
	printf("],\n"
	       "        \"cgroup\": { \"v1\": false, \"v2\": true, \"systemd\": false, \"systemdUser\": false },\n"
	       "        \"seccomp\": {\n"
	       "            \"enabled\": true,\n"
	       "            \"actions\": [\"SCMP_ACT_ALLOW\", \"SCMP_ACT_ERRNO\", \"SCMP_ACT_KILL\", \"SCMP_ACT_KILL_PROCESS\", \"SCMP_ACT_KILL_THREAD\", \"SCMP_ACT_LOG\", \"SCMP_ACT_TRACE\", \"SCMP_ACT_TRAP\"],\n"
	       "            \"operators\": [\"SCMP_CMP_EQ\", \"SCMP_CMP_GE\", \"SCMP_CMP_GT\", \"SCMP_CMP_LE\", \"SCMP_CMP_LT\", \"SCMP_CMP_MASKED_EQ\", \"SCMP_CMP_NE\"],\n"
	       "            \"archs\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X32\"]\n"
	       "        },\n"
	       "        \"apparmor\": { \"enabled\": false },\n"
	       "        \"selinux\": { \"enabled\": false }\n"
	       "    },\n"
	       "    \"annotations\": {\n"
	       "        \"org.brig.runtime.version\": \"%s\",\n"
	       "        \"org.brig.policy\": \"a .pol whose file and socket rules brig.ko enforces\",\n"
	       "        \"io.github.seccomp.libseccomp.version\": \"%u.%u.%u\"\n"
	       "    }\n"
	       "}\n", BRIG_VERSION, sv->major, sv->minor, sv->micro);
	return 0;
}

/* spec: a config.json to start from, as runc's (refusing to overwrite one). */
static int cmd_spec(const struct runtime *rt, int argc, char **argv, struct brig_error **err)
{
	static const struct option_def defs[] = {
		{ "--bundle", "-b", true }, { "--rootless", NULL, false },
	};
	const char *v[2] = { 0 };
	int first = parse_options(argc, argv, defs, 2, v, err), fd;
	char path[4200], user[512] = "";
	const char *text;

	(void)rt;
	if (first < 0)
		return -1;
	if (first != argc)
		return usage_error(err, "spec: takes no argument");
	snprintf(path, sizeof(path), "%s/config.json", v[0] ? v[0] : ".");
	if (flag_set(v[1]))
		snprintf(user, sizeof(user),
			 ",\n\t\t\t{ \"type\": \"user\" }\n\t\t],\n"
			 "\t\t\"uidMappings\": [ { \"containerID\": 0, \"hostID\": %u, \"size\": 1 } ],\n"
			 "\t\t\"gidMappings\": [ { \"containerID\": 0, \"hostID\": %u, \"size\": 1 } ]",
			 getuid(), getgid());
	text = brig_oci_default_config();
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno == EEXIST ?
		       brig_error_make(err, 0, "File %s exists. Remove it first", path) :
		       brig_error_make(err, errno, "writing `%s`", path);
	dprintf(fd, text, *user ? user : "\n\t\t]");
	close(fd);
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [GLOBAL OPTIONS] COMMAND [OPTIONS] ID\n"
		"\n"
		"An OCI runtime, runc's command line, that runs containers under brig.ko:\n"
		"for podman (--runtime), containerd's runc shim (BinaryName), Docker and\n"
		"Kubernetes. A .pol named by --policy or the annotation org.brig.policy\n"
		"adds brig's file and socket rules.\n"
		"\n"
		"Commands:\n"
		"  create [--bundle DIR] [--pid-file FILE] [--console-socket SOCKET]\n"
		"         [--preserve-fds N] [--no-pivot] [--no-new-keyring] ID\n"
		"  start ID          let a created container's process run\n"
		"  run [create's options] [--detach] [--keep] ID\n"
		"  state ID          runtime-spec state JSON\n"
		"  kill [--all] ID [SIGNAL]\n"
		"  delete [--force] ID\n"
		"  exec [--process FILE] [--detach] [--pid-file FILE] [--tty]\n"
		"       [--console-socket SOCKET] [--cwd DIR] [--env NAME=VALUE]... [--user UID[:GID]]\n"
		"       [--cap CAP]... [--no-new-privs] ID [COMMAND [ARG...]]\n"
		"  ps [--format table|json] ID\n"
		"  spec [--bundle DIR] [--rootless]\n"
		"  features\n"
		"\n"
		"Global options:\n"
		"  --root DIR           state directory (default " BRIG_OCI_ROOT ")\n"
		"  --log FILE           errors there too; --log-format text|json\n"
		"  --policy FILE        a .pol for every container (pins the annotation)\n"
		"  --systemd-cgroup     refused: brig manages cgroup v2 paths itself\n"
		"  --version, --help\n", prog);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(const struct runtime *rt, int argc, char **argv,
			   struct brig_error **err);
	} commands[] = {
		{ "create", cmd_create }, { "start", cmd_start }, { "state", cmd_state },
		{ "kill", cmd_kill }, { "delete", cmd_delete }, { "ps", cmd_ps },
		{ "run", cmd_run }, { "features", cmd_features }, { "spec", cmd_spec },
		{ "exec", cmd_exec },
	};
	static const struct option_def globals[] = {
		{ "--root", NULL, true }, { "--log", NULL, true }, { "--log-format", NULL, true },
		{ "--policy", NULL, true }, { "--systemd-cgroup", NULL, false },
		{ "--debug", NULL, false }, { "--rootless", NULL, true },
		{ "--criu", NULL, true }, { "--version", "-v", false }, { "--help", "-h", false },
	};
	const char *v[10] = { 0 };
	struct runtime rt = { .root = BRIG_OCI_ROOT, .argv = argv };
	struct brig_error *err = NULL;
	int first, ret;

	engine_prog = prog;
	first = parse_options(argc, argv, globals, 10, v, &err);
	if (first < 0)
		return fail(&rt, &err);
	if (v[0])
		rt.root = v[0];
	rt.log = v[1];
	if (v[2] && strcmp(v[2], "json") && strcmp(v[2], "text")) {
		brig_error_make(&err, 0, "--log-format is text or json, not `%s`", v[2]);
		return fail(&rt, &err);
	}
	rt.log_json = v[2] && !strcmp(v[2], "json");
	rt.policy = v[3];
	if (flag_set(v[9])) {
		usage(stdout);
		return 0;
	}
	if (flag_set(v[8])) {
		const struct scmp_version *sv = seccomp_version();

		printf("%s version %s\nspec: %s\nlibseccomp: %u.%u.%u\n", prog, BRIG_VERSION,
		       BRIG_OCI_VERSION, sv->major, sv->minor, sv->micro);
		return 0;
	}
	if (flag_set(v[4])) {
		brig_error_make(&err, 0, "--systemd-cgroup is not supported: give cgroupsPath as a cgroup v2 path (podman: --cgroup-manager=cgroupfs; containerd: SystemdCgroup = false)");
		return fail(&rt, &err);
	}
	if (v[6] && strcmp(v[6], "false") && strcmp(v[6], "auto")) {
		brig_error_make(&err, 0, "--rootless %s: brig-runtime runs as root", v[6]);
		return fail(&rt, &err);
	}
	if (first >= argc) {
		usage(stderr);
		return 1;
	}
	if (rt.policy && rt.policy[0] != '/') {
		brig_error_make(&err, 0, "--policy %s: an absolute path is required", rt.policy);
		return fail(&rt, &err);
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[first], commands[i].name))
			continue;
		ret = commands[i].run(&rt, argc - first, argv + first, &err);
		if (ret < 0)
			return fail(&rt, &err);
		return ret;
	}
	if (!strcmp(argv[first], "pause") || !strcmp(argv[first], "resume") ||
	    !strcmp(argv[first], "update") || !strcmp(argv[first], "checkpoint") ||
	    !strcmp(argv[first], "restore"))
		brig_error_make(&err, 0, "%s is not supported by %s", argv[first], prog);
	else
		brig_error_make(&err, 0, "unknown command `%s` (see `%s --help`)", argv[first], prog);
	return fail(&rt, &err);
}
