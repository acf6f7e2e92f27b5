// SPDX-License-Identifier: GPL-2.0
/*
 * sysprobe: tries system calls inside a container and prints, for each,
 * "NAME: ok" or "NAME: <errno name>". Static, so that it runs in any root
 * filesystem; launch_test copies it into the busybox one.
 *
 *   sysprobe unshare keyctl kexec_load socket_vsock
 *
 * Probes: unshare keyctl kexec_load socket_vsock; tiocsti, tiocsti_high
 * (the same command with bits above the 32 the kernel reads), tioclinux:
 * on stdin; nr_1000, a system call number no kernel has yet; session, ok
 * when the process leads its own session and process group.
 *
 *   sysprobe snoop
 *
 * Until killed, what a container would do to a process that joins it
 * (CVE-2019-5736, CVE-2016-9962): open every other process's
 * /proc/PID/exe for writing and reading, and its /proc/PID/fd/N. Prints
 * "snoop: watching", then "snoop: got PID WHAT" for each success, each
 * line as it happens.
 *
 *   sysprobe read:PATH write:PATH chown:PATH socket:FAMILY:TYPE fork:N sethostname ...
 *
 * Opens PATH for reading (O_RDONLY) or writing (O_WRONLY); gives it to uid
 * and gid 1 (CAP_CHOWN); creates a socket, FAMILY inet inet6 unix packet,
 * TYPE stream dgram raw (coexist_test, detect_test); forks N children that
 * wait, ok if all N came, the first fork's error if not (a task ceiling);
 * sets the hostname (CAP_SYS_ADMIN).
 *
 *   sysprobe aa-exec PROFILE -- PROGRAM [ARG...]
 *
 * Runs PROGRAM under AppArmor's PROFILE as runc does: "exec PROFILE" written
 * to /proc/self/attr/apparmor/exec (before 5.8: /proc/self/attr/exec), then
 * execve. Prints "aa-exec: <errno name>" and exits 126 if either fails.
 *
 *   sysprobe landlock DIR PROBE...
 *
 * Restricts itself with Landlock, reading and writing files allowed beneath
 * DIR only (no_new_privs set first), prints "landlock: ok" or why not, and
 * then tries the PROBEs.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <linux/keyctl.h>
#include <linux/landlock.h>

/* "socket:FAMILY:TYPE" */
static long probe_socket(const char *spec)
{
	static const struct { const char *name; int value; } families[] = {
		{ "inet", AF_INET }, { "inet6", AF_INET6 }, { "unix", AF_UNIX },
		{ "packet", AF_PACKET },
	}, types[] = {
		{ "stream", SOCK_STREAM }, { "dgram", SOCK_DGRAM }, { "raw", SOCK_RAW },
	};
	const char *type = strchr(spec, ':');
	size_t f, t;
	long fd;

	if (!type)
		return -2;
	for (f = 0; f < sizeof(families) / sizeof(families[0]); f++)
		if (!strncmp(spec, families[f].name, type - spec) &&
		    !families[f].name[type - spec])
			break;
	for (t = 0; t < sizeof(types) / sizeof(types[0]); t++)
		if (!strcmp(type + 1, types[t].name))
			break;
	if (f == sizeof(families) / sizeof(families[0]) || t == sizeof(types) / sizeof(types[0]))
		return -2;
	fd = socket(families[f].value, types[t].value, 0);
	if (fd >= 0)
		close(fd);
	return fd;
}

static long probe_open(const char *path, int flags)
{
	long fd = open(path, flags | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd;
}

/* "fork:N": N children that wait until their parent is done with them. */
static long probe_fork(const char *n)
{
	long want = strtol(n, NULL, 10), got = 0, err = 0;
	pid_t kids[256];

	if (want < 1 || want > 256)
		return -2;
	for (; got < want; got++) {
		kids[got] = fork();
		if (kids[got] == 0) {
			pause();
			_exit(0);
		}
		if (kids[got] < 0) {
			err = errno;
			break;
		}
	}
	for (long i = 0; i < got; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	errno = (int)err;
	return err ? -1 : 0;
}

static long probe(const char *name)
{
	if (!strncmp(name, "fork:", 5))
		return probe_fork(name + 5);
	if (!strcmp(name, "sethostname"))
		return sethostname("probe", 5);
	if (!strncmp(name, "read:", 5))
		return probe_open(name + 5, O_RDONLY);
	if (!strncmp(name, "write:", 6))
		return probe_open(name + 6, O_WRONLY);
	if (!strncmp(name, "chown:", 6))
		return chown(name + 6, 1, 1);
	if (!strncmp(name, "socket:", 7))
		return probe_socket(name + 7);
	if (!strcmp(name, "unshare"))
		return unshare(CLONE_NEWUSER);
	if (!strcmp(name, "keyctl"))
		return syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
	if (!strcmp(name, "kexec_load"))
		return syscall(SYS_kexec_load, 0, 0, NULL, 0);
	if (!strcmp(name, "socket_vsock"))
		return socket(40 /* AF_VSOCK */, SOCK_STREAM, 0);
	if (!strcmp(name, "tiocsti"))
		return ioctl(0, TIOCSTI, "#");
	if (!strcmp(name, "tiocsti_high"))
		return syscall(SYS_ioctl, 0, 0x100000000UL | TIOCSTI, "#");
	if (!strcmp(name, "tioclinux")) {
		char sub = 6;	/* TIOCL_GETSHIFTSTATE */

		return ioctl(0, TIOCLINUX, &sub);
	}
	if (!strcmp(name, "nr_1000"))
		return syscall(1000);
	if (!strcmp(name, "session")) {
		if (getsid(0) == getpid() && getpgrp() == getpid())
			return 0;
		errno = ESRCH;
		return -1;
	}
	errno = EINVAL;
	return -2;
}

/* Whether @path (a magic link) names launch's image. */
static int is_launch(const char *path)
{
	char link[256];
	ssize_t n = readlink(path, link, sizeof(link) - 1);

	link[n > 0 ? n : 0] = '\0';
	return n > 0 && strstr(link, "launch");
}

/*
 * Tries @pid's exe and fds once; how many it got of launch's process. What
 * is opened is checked after: the process may have run execve meanwhile,
 * and its own program is the container's, fair game.
 */
static int snoop_one(long pid)
{
	char exe[64], path[64], fd_link[64];
	int got = 0, fd, n;

	snprintf(exe, sizeof(exe), "/proc/%ld/exe", pid);
	fd = open(exe, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		snprintf(fd_link, sizeof(fd_link), "/proc/self/fd/%d", fd);
		if (is_launch(fd_link) && ++got)
			printf("snoop: got %ld exe for writing\n", pid);
		close(fd);
	}
	fd = open(exe, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		snprintf(fd_link, sizeof(fd_link), "/proc/self/fd/%d", fd);
		if (is_launch(fd_link) && ++got)
			printf("snoop: got %ld exe\n", pid);
		close(fd);
	}
	for (n = 0; n < 8; n++) {
		snprintf(path, sizeof(path), "/proc/%ld/fd/%d", pid, n);
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			continue;
		/* Still launch's image after the open: the fd was the joiner's. */
		if (is_launch(exe) && ++got)
			printf("snoop: got %ld fd %d\n", pid, n);
		close(fd);
	}
	return got;
}

static int snoop(void)
{
	long self = getpid();
	int got = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("snoop: watching\n");
	while (got < 10) {
		DIR *d = opendir("/proc");
		struct dirent *e;

		while (d && (e = readdir(d))) {
			long pid = strtol(e->d_name, NULL, 10);

			if (pid > 1 && pid != self)
				got += snoop_one(pid);
		}
		if (d)
			closedir(d);
	}
	return 0;
}

/* Writes "exec @profile" to the task's AppArmor exec attribute; -1 and errno. */
static int aa_exec_profile(const char *profile)
{
	static const char *const attrs[] = { "/proc/self/attr/apparmor/exec", "/proc/self/attr/exec" };
	char cmd[256];
	int len = snprintf(cmd, sizeof(cmd), "exec %s", profile);
	size_t i;

	if (len < 0 || (size_t)len >= sizeof(cmd)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		int fd = open(attrs[i], O_WRONLY | O_CLOEXEC);
		ssize_t n;

		if (fd < 0 && errno == ENOENT)
			continue;
		if (fd < 0)
			return -1;
		n = write(fd, cmd, len);
		close(fd);
		return n == len ? 0 : -1;
	}
	return -1;
}

static int aa_exec(int argc, char **argv)
{
	if (argc < 5 || strcmp(argv[3], "--")) {
		fprintf(stderr, "usage: sysprobe aa-exec PROFILE -- PROGRAM [ARG...]\n");
		return 2;
	}
	if (!aa_exec_profile(argv[2]))
		execvp(argv[4], argv + 4);
	printf("aa-exec: %s\n", strerrorname_np(errno));
	return 126;
}

/* Reading and writing files allowed beneath @dir only; -1 and errno. */
static int landlock(const char *dir)
{
	struct landlock_ruleset_attr ruleset = {
		.handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE,
	};
	struct landlock_path_beneath_attr beneath = {
		.allowed_access = ruleset.handled_access_fs,
	};
	int fd, err = -1;

	fd = syscall(SYS_landlock_create_ruleset, &ruleset, sizeof(ruleset), 0);
	if (fd < 0)
		return -1;
	beneath.parent_fd = open(dir, O_PATH | O_CLOEXEC);
	if (beneath.parent_fd >= 0 &&
	    !syscall(SYS_landlock_add_rule, fd, LANDLOCK_RULE_PATH_BENEATH, &beneath, 0) &&
	    !prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) &&
	    !syscall(SYS_landlock_restrict_self, fd, 0))
		err = 0;
	if (beneath.parent_fd >= 0)
		close(beneath.parent_fd);
	close(fd);
	return err;
}

int main(int argc, char **argv)
{
	int i = 1;

	if (argc == 2 && !strcmp(argv[1], "snoop"))
		return snoop();
	if (argc > 1 && !strcmp(argv[1], "aa-exec"))
		return aa_exec(argc, argv);
	if (argc > 2 && !strcmp(argv[1], "landlock")) {
		int ret = landlock(argv[2]);

		printf("landlock: %s\n", ret ? strerrorname_np(errno) : "ok");
		if (ret)
			return 1;
		i = 3;
	}
	for (; i < argc; i++) {
		long ret = probe(argv[i]);

		if (ret == -2) {
			fprintf(stderr, "sysprobe: unknown probe %s\n", argv[i]);
			return 2;
		}
		printf("%s: %s\n", argv[i], ret < 0 ? strerrorname_np(errno) : "ok");
	}
	return 0;
}
