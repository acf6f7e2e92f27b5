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
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/keyctl.h>

static long probe(const char *name)
{
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

int main(int argc, char **argv)
{
	int i;

	if (argc == 2 && !strcmp(argv[1], "snoop"))
		return snoop();
	for (i = 1; i < argc; i++) {
		long ret = probe(argv[i]);

		if (ret == -2) {
			fprintf(stderr, "sysprobe: unknown probe %s\n", argv[i]);
			return 2;
		}
		printf("%s: %s\n", argv[i], ret < 0 ? strerrorname_np(errno) : "ok");
	}
	return 0;
}
