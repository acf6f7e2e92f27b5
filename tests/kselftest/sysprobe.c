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
 */
#include <errno.h>
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

int main(int argc, char **argv)
{
	int i;

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
