/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tests that run launch and brigctl as a user runs them share
 * (launch_test, isolation_test, cve_test): the tools' paths, a world in
 * /tmp/lt (a busybox root filesystem owned by uid 100000, with the static
 * /bin/sysprobe added, and the test's files beside it), and helpers to run,
 * wait for and read containers.
 */
#ifndef BRIG_TESTS_LAUNCH_H
#define BRIG_TESTS_LAUNCH_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "common.h"

#define LAUNCH "/usr/bin/launch"
#define BRIGCTL "/usr/bin/brigctl"
#define TOP "/tmp/lt"
#define NGINX "--policy /tests/nginx.pol --rootfs " TOP "/rootfs"

/*
 * Makes /tmp/lt afresh: the root filesystem and, for each of @files,
 * the file named by its first string, holding its second.
 */
static inline int launch_world(const char *const files[][2], size_t n)
{
	size_t i;

	if (system("rm -rf " TOP " && mkdir -p " TOP "/data && cp -a /srv/rootfs " TOP "/rootfs && "
		   "cp /tests/sysprobe " TOP "/rootfs/bin/ && "
		   "chown -R 100000:100000 " TOP "/rootfs"))
		return -1;
	for (i = 0; i < n; i++) {
		char path[128];
		FILE *f;

		snprintf(path, sizeof(path), TOP "/%s", files[i][0]);
		f = fopen(path, "w");
		if (!f)
			return -1;
		fputs(files[i][1], f);
		fclose(f);
	}
	return 0;
}

/*
 * The fixture of a launch test file: the world of @files (an array), brig.ko
 * loaded, a netlink client; torn down, whatever a failed test left running
 * is stopped, what a detached one left removed, and the module unloaded.
 */
#define LAUNCH_FIXTURE(name, files)						\
	FIXTURE(name) {								\
		struct brig_nl *nl;						\
		char out[16384];						\
	};									\
	FIXTURE_SETUP(name)							\
	{									\
		ASSERT_EQ(0, launch_world(files, sizeof(files) / sizeof(files[0]))); \
		ASSERT_EQ(0, brig_load());					\
		self->nl = brig_open(_metadata);				\
		ASSERT_NE(NULL, self->nl);					\
	}									\
	FIXTURE_TEARDOWN(name)							\
	{									\
		system(BRIGCTL " rm -f box nginx >/dev/null 2>&1");		\
		EXPECT_EQ(0, brig_wait_no_container(self->nl));			\
		brig_nl_close(self->nl);					\
		EXPECT_EQ(0, brig_unload());					\
	}

/* Runs a shell command line; its output in the fixture's out. */
#define sh(self, ...) brig_sh((self)->out, sizeof((self)->out), __VA_ARGS__)

/* The value of "Field:" in /proc/.../status text, as hex. */
static inline unsigned long long status_hex(const char *text, const char *field)
{
	const char *p = strstr(text, field);

	return p ? strtoull(p + strlen(field), NULL, 16) : ~0ULL;
}

/* Waits until a container @name runs; its init pid, or -1. */
static inline int wait_running(struct brig_nl *nl, const char *name)
{
	struct brig_container_info info;
	struct brig_error *err = NULL;
	int i;

	for (i = 0; i < 300; i++) {
		if (!brig_nl_get(nl, 0, name, &info, &err) && info.tasks > 0)
			return info.init_pid;
		brig_error_free(&err);
		usleep(50000);
	}
	return -1;
}

/* Starts launch with @args in the background; its pid. */
static inline pid_t spawn(const char *args)
{
	pid_t pid = fork();

	if (pid == 0) {
		char cmd[512];
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 1);
		snprintf(cmd, sizeof(cmd), "exec " LAUNCH " %s", args);
		execl("/bin/sh", "sh", "-c", cmd, NULL);
		_exit(127);
	}
	return pid;
}

static inline int exit_status(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * Runs launch @args on a terminal of 33 rows and 77 columns, as from a
 * shell; what it printed in @out.
 */
static inline int on_terminal(const char *args, char *out, size_t len)
{
	struct winsize ws = { .ws_row = 33, .ws_col = 77 };
	int master = posix_openpt(O_RDWR | O_NOCTTY), status;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	if (master < 0 || grantpt(master) || unlockpt(master) ||
	    ioctl(master, TIOCSWINSZ, &ws))
		return -1;
	pid = fork();
	if (pid == 0) {
		int slave = open(ptsname(master), O_RDWR);
		char cmd[512];

		setsid();
		ioctl(slave, TIOCSCTTY, 0);
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		snprintf(cmd, sizeof(cmd), "exec " LAUNCH " %s", args);
		execl("/bin/sh", "sh", "-c", cmd, NULL);
		_exit(127);
	}
	/* Until the terminal's last writer is gone (EIO). */
	while (got < len - 1 && (n = read(master, out + got, len - 1 - got)) > 0)
		got += n;
	out[got] = '\0';
	close(master);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#endif /* BRIG_TESTS_LAUNCH_H */
