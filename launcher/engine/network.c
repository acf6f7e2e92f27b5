// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's network: a private network namespace has loopback only
 * (setup.c brings it up); its published ports are forwarded in by pasta,
 * from Debian's passt package, as podman does (docs/architecture.md says
 * why pasta). pasta runs as the child of the process that supervises the
 * container, from the container's start to its end:
 *
 *   - in the container's user namespace, as its root (the host uid the
 *     container's root already is), never as the host's root: a container
 *     without a user namespace publishes nothing (network_check());
 *   - with only the published ports forwarded (-t/-u), none of the host's
 *     ports forwarded in (-T none -U none) and the gateway address not
 *     mapped to the host's loopback (--no-map-gw);
 *   - with nothing of launch's caller's (fds 0-4 only, default signals, a
 *     fixed environment), in a session of its own, killed with its parent;
 *   - its messages in /run/brig/NAME/network.log; ready once it wrote its
 *     pid (-P) to a pipe of ours; the namespace passed as a file (fd 3).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "engine.h"
#include "lib/cleanup.h"

/* How long pasta may take to start; under emulation it takes a second or two. */
#define PASTA_START_MS 30000
/* How long it may take to go once asked to. */
#define PASTA_STOP_MS 5000
/* pasta's argv: fixed options, two per published port, the namespace, NULL. */
#define PASTA_ARGS_MAX (24 + 2 * BRIG_PUBLISH_MAX)

/* The host uid (or gid) the container's root is; -1 if its map has none. */
static uid_t container_root(const struct brig_container_spec *spec, bool gid)
{
	const struct brig_idmap *map = gid ? spec->gidmap : spec->uidmap;
	size_t n = gid ? spec->n_gidmap : spec->n_uidmap;

	for (size_t i = 0; i < n; i++)
		if (map[i].inside == 0)
			return map[i].outside;
	return (uid_t)-1;
}

int network_check(const struct brig_container_spec *spec, struct brig_error **err)
{
	FILE *f;
	unsigned int start = 1024;
	struct stat st;

	if (!spec->n_publish)
		return 0;
	/* pasta runs as the container's root, never as the host's. */
	if (!(spec->namespaces & BRIG_NS_USER))
		return brig_error_make(err, 0,
			"%s: published ports need a user namespace: pasta runs as the container's root, never as the host's",
			spec->source);
	/* udev makes it 0666; a bare devtmpfs leaves it the host root's alone. */
	if (stat("/dev/net/tun", &st) || (st.st_mode & 0006) != 0006)
		return brig_error_make(err, 0,
			"publishing ports: pasta needs /dev/net/tun, readable and writable by everyone as udev makes it (modprobe tun; chmod 0666 /dev/net/tun)");
	/* pasta holds no capability on the host: said here, rather than by its bind(). */
	f = fopen("/proc/sys/net/ipv4/ip_unprivileged_port_start", "re");
	if (f) {
		if (fscanf(f, "%u", &start) != 1)
			start = 1024;
		fclose(f);
	}
	for (size_t i = 0; i < spec->n_publish; i++)
		if (spec->publish[i].host_port < start)
			return brig_error_make(err, 0,
				"cannot publish host port %u: ports below %u (net.ipv4.ip_unprivileged_port_start) need a privilege on the host that pasta, running as the container's root, does not hold; publish a port from %u up (-p 8080:80)",
				spec->publish[i].host_port, start, start);
	return 0;
}

/* Where Debian's passt puts pasta, and where a build from source does. */
static const char *const pasta_paths[] = { "/usr/bin/pasta", "/usr/local/bin/pasta" };

/*
 * In the forked child: becomes the container's root and runs pasta, with
 * nothing of the caller's: no fd but 0-4, default signal dispositions, an
 * environment of its own. @parent is the supervisor's pid.
 */
static void __attribute__((noreturn)) exec_pasta(pid_t parent, pid_t init, char **argv,
						  int log, int netns, int ready)
{
	static char *const env[] = { "PATH=/usr/bin:/bin", NULL };
	char path[64];
	sigset_t all;
	int null, fd;

	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	/* The terminal's ^C is the container's to get, not pasta's: a session of its own. */
	setsid();
	/* Out of the way of 0-4 first, so that no dup2() below closes another's. */
	null = fcntl(open("/dev/null", O_RDWR | O_CLOEXEC), F_DUPFD_CLOEXEC, 10);
	log = fcntl(log, F_DUPFD_CLOEXEC, 10);
	netns = fcntl(netns, F_DUPFD_CLOEXEC, 10);
	ready = fcntl(ready, F_DUPFD_CLOEXEC, 10);
	if (null < 0 || log < 0 || netns < 0 || ready < 0 || dup2(null, 0) < 0 ||
	    dup2(log, 1) < 0 || dup2(log, 2) < 0 || dup2(netns, 3) < 0 || dup2(ready, 4) < 0 ||
	    syscall(SYS_close_range, 5, ~0U, 0))
		_exit(BRIG_EXIT_FAILURE);
	snprintf(path, sizeof(path), "/proc/%d/ns/user", init);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWUSER) || setresgid(0, 0, 0) || setresuid(0, 0, 0)) {
		fprintf(stderr, "launch: joining the container's user namespace: %s\n",
			strerror(errno));
		_exit(BRIG_EXIT_FAILURE);
	}
	/* Set last: a change of credentials clears it. pasta goes with its supervisor. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(BRIG_EXIT_FAILURE);
	for (size_t i = 0; i < sizeof(pasta_paths) / sizeof(pasta_paths[0]); i++)
		execve(pasta_paths[i], argv, env);
	fprintf(stderr, "launch: no pasta in /usr/bin or /usr/local/bin: install Debian's passt package\n");
	_exit(BRIG_EXIT_NOT_FOUND);
}

/* The last line pasta wrote to @log, for the error. */
static void last_line(int log, char *buf, size_t len)
{
	off_t size = lseek(log, 0, SEEK_END);
	off_t from = size > (off_t)len - 1 ? size - ((off_t)len - 1) : 0;
	ssize_t n = pread(log, buf, len - 1, from);
	char *end, *start;

	buf[n > 0 ? n : 0] = '\0';
	end = buf + strlen(buf);
	while (end > buf && end[-1] == '\n')
		*--end = '\0';
	start = strrchr(buf, '\n');
	if (start)
		memmove(buf, start + 1, strlen(start + 1) + 1);
	if (!*buf)
		snprintf(buf, len, "it said nothing");
}

/* Waits for pasta to be ready (1), to exit (0, *status set) or @ms to pass (-1). */
static int wait_ready(int ready, int pidfd, int ms, int *status, pid_t pid)
{
	struct pollfd fds[2] = {
		{ .fd = ready, .events = POLLIN }, { .fd = pidfd, .events = POLLIN },
	};
	char buf[32];

	for (;;) {
		int n = poll(fds, 2, ms);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		if ((fds[0].revents & POLLIN) && read(ready, buf, sizeof(buf)) > 0)
			return 1;
		if (fds[1].revents) {
			waitpid(pid, status, 0);
			return 0;
		}
		if (fds[0].revents & (POLLHUP | POLLERR))
			fds[0].fd = -1;
	}
}

int network_start(const struct brig_container_spec *spec, pid_t init, struct network *net,
		  struct brig_error **err)
{
	char *argv[PASTA_ARGS_MAX], ports[BRIG_PUBLISH_MAX][32], log_path[512], path[64];
	char why[512];
	int ready_r brig_cleanup_close = -1, ready_w brig_cleanup_close = -1;
	int log brig_cleanup_close = -1, netns brig_cleanup_close = -1, ready[2];
	bool tcp = false, udp = false;
	size_t n = 0;
	int status = 0, got;
	pid_t parent;
	uid_t root = container_root(spec, false);
	gid_t root_gid = container_root(spec, true);

	*net = (struct network){ .pasta = -1, .pidfd = -1 };
	if (!spec->n_publish)
		return 0;
	if (root == (uid_t)-1 || root_gid == (gid_t)-1)
		return brig_error_make(err, 0, "publishing ports: the user namespace maps no root");
	state_path(log_path, sizeof(log_path), spec->name, "network.log");
	log = open(log_path, O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
	if (log < 0)
		return brig_error_make(err, errno, "opening `%s`", log_path);
	/* pasta reopens the pipe by its /proc path (-P), as the container's root. */
	if (pipe2(ready, O_CLOEXEC))
		return brig_error_make(err, errno, "publishing ports: a pipe for pasta");
	ready_r = ready[0];
	ready_w = ready[1];
	if (fchown(ready_w, root, root_gid))
		return brig_error_make(err, errno, "publishing ports: a pipe for pasta");

	argv[n++] = "pasta";
	argv[n++] = "--config-net";
	argv[n++] = "--quiet";
	argv[n++] = "--foreground";
	argv[n++] = "--runas";
	argv[n++] = "0";
	argv[n++] = "--no-map-gw";
	argv[n++] = "-P";
	argv[n++] = "/proc/self/fd/4";
	for (size_t i = 0; i < spec->n_publish; i++) {
		const struct brig_publish *p = &spec->publish[i];

		snprintf(ports[i], sizeof(ports[i]), "%u:%u", p->host_port, p->port);
		argv[n++] = p->udp ? "-u" : "-t";
		argv[n++] = ports[i];
		tcp |= !p->udp;
		udp |= p->udp;
	}
	/* pasta's default forwards every port bound on either side: none but these. */
	if (!tcp) {
		argv[n++] = "-t";
		argv[n++] = "none";
	}
	if (!udp) {
		argv[n++] = "-u";
		argv[n++] = "none";
	}
	argv[n++] = "-T";
	argv[n++] = "none";
	argv[n++] = "-U";
	argv[n++] = "none";
	/*
	 * The namespace as a file of its own, opened here: pasta has fewer
	 * capabilities than the container, so the kernel would not let it
	 * open /proc/PID/ns/net (ptrace's rule).
	 */
	snprintf(path, sizeof(path), "/proc/%d/ns/net", init);
	netns = open(path, O_RDONLY | O_CLOEXEC);
	if (netns < 0)
		return brig_error_make(err, errno, "publishing ports: opening `%s`", path);
	argv[n++] = "--netns";
	argv[n++] = "/proc/self/fd/3";
	argv[n++] = "--netns-only";
	argv[n] = NULL;

	parent = getpid();
	net->pasta = fork();
	if (net->pasta < 0)
		return brig_error_make(err, errno, "publishing ports: fork");
	if (net->pasta == 0)
		exec_pasta(parent, init, argv, log, netns, ready_w);
	brig_closep(&ready_w);
	net->pidfd = (int)syscall(SYS_pidfd_open, net->pasta, 0);
	if (net->pidfd < 0) {
		brig_error_make(err, errno, "publishing ports: pidfd_open");
		network_stop(net);
		return -1;
	}
	got = wait_ready(ready_r, net->pidfd, PASTA_START_MS, &status, net->pasta);
	if (got == 1)
		return 0;
	last_line(log, why, sizeof(why));
	if (got == 0)
		net->pasta = -1;	/* reaped already */
	network_stop(net);
	return got == 0 ?
	       brig_error_make(err, 0, "publishing ports: pasta exited (%d): %s",
			       exit_code_of(status), why) :
	       brig_error_make(err, 0, "publishing ports: pasta did not start within %d s: %s",
			       PASTA_START_MS / 1000, why);
}

void network_stop(struct network *net)
{
	struct pollfd fd = { .fd = net->pidfd, .events = POLLIN };

	if (net->pasta > 0) {
		kill(net->pasta, SIGTERM);
		if (net->pidfd < 0 || poll(&fd, 1, PASTA_STOP_MS) <= 0)
			kill(net->pasta, SIGKILL);
		waitpid(net->pasta, NULL, 0);
	}
	if (net->pidfd >= 0)
		close(net->pidfd);
	*net = (struct network){ .pasta = -1, .pidfd = -1 };
}
