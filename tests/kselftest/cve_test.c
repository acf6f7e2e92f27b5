// SPDX-License-Identifier: GPL-2.0
/*
 * runc's CVE history as escapes tried against launch, one test per class
 * that applies to it (launch.h's world). Each attempts the escape the CVE
 * describes and must fail:
 *
 *   CVE-2019-5736   overwriting the runtime's binary through /proc/PID/exe
 *   CVE-2016-9962   a container taking the joining process's files
 *   CVE-2024-21626  a file descriptor of the host's leaked into the container
 *   CVE-2019-16884, CVE-2023-28642   /proc (or /dev) a symbolic link in the image
 *   CVE-2019-19921, CVE-2021-30465   a mount target swapped for a symbolic link
 *   CVE-2025-31133  the masking /dev/null replaced by a symbolic link
 *   CVE-2025-52565  /dev/console a symbolic link at the pty's bind
 *   TIOCSTI         typing into the caller's terminal
 */
#include <stdio.h>
#include <sys/mount.h>
#include <linux/fs.h>

#include "launch.h"

static const char *const files[][2] = {
	{ "default.pol", "name box\nrootfs rootfs\n" },
	{ "ptrace.pol", "name box\nrootfs rootfs\ncaps add SYS_PTRACE\n" },
	{ "leak.pol", "name box\nrootfs rootfs\nworkdir /proc/self/fd/42\n" },
	{ "bind.pol", "name box\nrootfs rootfs\nmount bind /tmp/lt/data /data\n" },
	{ "data/file", "data\n" },
};

LAUNCH_FIXTURE(cve, files)

/* A child of @parent, or 0. */
static pid_t child_of(pid_t parent)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t found = 0;

	while (d && !found && (e = readdir(d))) {
		char path[300], stat[512], *p;
		int fd, ppid;
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, stat, sizeof(stat) - 1);
		close(fd);
		stat[n > 0 ? n : 0] = '\0';
		p = strrchr(stat, ')');
		if (p && sscanf(p + 1, " %*c %d", &ppid) == 1 && ppid == parent)
			found = atoi(e->d_name);
	}
	if (d)
		closedir(d);
	return found;
}

/*
 * CVE-2019-5736: the joining process runs launch's image inside the
 * container until its execve. That image is a sealed memfd copy: it cannot
 * be written, and the host's binary is not behind it; the joiner is not
 * dumpable, so the container cannot even name it.
 */
TEST_F_TIMEOUT(cve, cve_2019_5736_the_runtime_binary_is_out_of_reach, 300)
{
	char path[64], link[256] = "";
	pid_t exec, joiner = 0;
	struct stat before, after, st;
	int fd, i;

	ASSERT_EQ(0, stat(LAUNCH, &before));
	ASSERT_EQ(0, sh(self, LAUNCH " -d --policy " TOP "/default.pol -- sleep 1000"));
	exec = spawn("exec box -- sleep 30");
	for (i = 0; i < 200 && !joiner; i++) {
		usleep(50000);
		joiner = child_of(exec);
	}
	ASSERT_LT(0, joiner);
	snprintf(path, sizeof(path), "/proc/%d/exe", joiner);
	ASSERT_LT(0, readlink(path, link, sizeof(link) - 1));
	EXPECT_EQ(0, strncmp(link, "/memfd:brig-launch", 18)) TH_LOG("%s", link);
	fd = open(path, O_WRONLY);
	EXPECT_TRUE(fd < 0 || write(fd, "x", 1) < 0);
	if (fd >= 0)
		close(fd);
	/* Not dumpable: its /proc/PID/fd is root's, not the container root's (100000). */
	snprintf(path, sizeof(path), "/proc/%d/fd", joiner);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0, st.st_uid);
	kill(exec, SIGKILL);
	exit_status(exec);
	ASSERT_EQ(0, stat(LAUNCH, &after));
	EXPECT_EQ(before.st_size, after.st_size);
	EXPECT_EQ(before.st_mtime, after.st_mtime);
}

/*
 * CVE-2016-9962 and the attack of CVE-2019-5736 from inside: a container
 * process that may ptrace (SYS_PTRACE) watches for launch exec's process
 * and tries its binary and its files, while launch exec runs 20 times.
 */
TEST_F_TIMEOUT(cve, cve_2016_9962_the_joining_process_cannot_be_reached, 300)
{
	int i;

	ASSERT_EQ(0, sh(self, LAUNCH " -d --policy " TOP "/ptrace.pol -- sysprobe snoop"));
	for (i = 0; i < 20; i++)
		EXPECT_EQ(0, sh(self, LAUNCH " exec box -- true")) TH_LOG("%s", self->out);
	/* What it saw is the container's log. */
	EXPECT_EQ(0, sh(self, BRIGCTL " stop box -t 1"));
	ASSERT_EQ(0, sh(self, BRIGCTL " logs box"));
	EXPECT_NE(NULL, strstr(self->out, "snoop: watching")) TH_LOG("%s", self->out);
	EXPECT_EQ(NULL, strstr(self->out, "snoop: got")) TH_LOG("%s", self->out);
}

/*
 * CVE-2024-21626: a directory fd of the host's, open in the caller, must not
 * reach the container, as an fd or as a working directory.
 */
TEST_F_TIMEOUT(cve, cve_2024_21626_no_host_fd_reaches_the_container, 300)
{
	ASSERT_EQ(0, sh(self, "exec 42</ && exec " LAUNCH " --policy " TOP "/default.pol -- "
			"sh -c 'ls /proc/self/fd | tr \"\\n\" \" \"'"));
	EXPECT_STREQ("0 1 2 3 ", self->out);
	EXPECT_EQ(125, sh(self, "exec 42</ && exec " LAUNCH " --policy " TOP "/leak.pol -- ls"));
	EXPECT_NE(NULL, strstr(self->out, "workdir `/proc/self/fd/42`")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, LAUNCH " -d --policy " TOP "/default.pol -- sleep 1000"));
	ASSERT_EQ(0, sh(self, "exec 42</ && exec " LAUNCH " exec box -- "
			"sh -c 'ls /proc/self/fd | tr \"\\n\" \" \"'"));
	EXPECT_STREQ("0 1 2 3 ", self->out);
}

/*
 * CVE-2019-16884, CVE-2023-28642: an image whose /proc (or /dev) is a
 * symbolic link would have procfs mounted elsewhere; launch refuses it.
 */
TEST_F_TIMEOUT(cve, cve_2019_16884_proc_or_dev_a_symlink_is_refused, 300)
{
	ASSERT_EQ(0, system("rm -rf " TOP "/rootfs/proc && ln -s tmp " TOP "/rootfs/proc"));
	EXPECT_EQ(125, sh(self, LAUNCH " --policy " TOP "/default.pol -- true"));
	EXPECT_NE(NULL, strstr(self->out, "`/proc` in the container goes through a symbolic link"))
		TH_LOG("%s", self->out);
	ASSERT_EQ(0, system("rm " TOP "/rootfs/proc && mkdir " TOP "/rootfs/proc && "
			    "rm -rf " TOP "/rootfs/dev && ln -s tmp " TOP "/rootfs/dev"));
	EXPECT_EQ(125, sh(self, LAUNCH " --policy " TOP "/default.pol -- true"));
	EXPECT_NE(NULL, strstr(self->out, "`/dev` in the container goes through a symbolic link"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
}

/*
 * CVE-2019-19921, CVE-2021-30465: a mount target that is a symbolic link
 * out of the root lands inside it; one swapped for such a link while
 * launch mounts (a host process exchanging the two, as fast as it can)
 * lands inside it or fails, and the host's mounts never change.
 */
TEST_F_TIMEOUT(cve, cve_2021_30465_mount_targets_stay_in_the_root, 300)
{
	char mounts_before[8192], mounts_after[8192];
	pid_t swapper;
	int i, lands = 0;

	ASSERT_EQ(0, system("mkdir -p " TOP "/rootfs/real && ln -s /etc " TOP "/rootfs/data"));
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/bind.pol -- cat /etc/file"));
	EXPECT_STREQ("data\n", self->out);
	ASSERT_EQ(0, brig_sh(mounts_before, sizeof(mounts_before), "cat /proc/self/mounts"));
	ASSERT_EQ(0, system("rm " TOP "/rootfs/data && mkdir " TOP "/rootfs/data && "
			    "ln -s / " TOP "/rootfs/evil"));
	swapper = fork();
	if (swapper == 0) {
		for (;;)
			brig_rename2(TOP "/rootfs/data", TOP "/rootfs/evil", RENAME_EXCHANGE);
	}
	/*
	 * Where the exchange wins, the bind lands on the container's own root
	 * (the link's "/", resolved in the root): its command is then not
	 * there (127), or the file is not (1). Never outside it.
	 */
	for (i = 0; i < 10; i++) {
		int ret = sh(self, LAUNCH " --policy " TOP "/bind.pol -- cat /data/file");

		EXPECT_TRUE(ret == 0 || ret == 1 || ret == 125 || ret == 127)
			TH_LOG("%d: %s", ret, self->out);
		lands += ret == 0 && !strcmp(self->out, "data\n");
	}
	kill(swapper, SIGKILL);
	waitpid(swapper, NULL, 0);
	ASSERT_EQ(0, brig_sh(mounts_after, sizeof(mounts_after), "cat /proc/self/mounts"));
	EXPECT_STREQ(mounts_before, mounts_after);
	TH_LOG("%d of 10 launches found the bind at /data", lands);
}

/*
 * CVE-2025-31133: the image's /dev/null a symbolic link to a sysctl; masking
 * binds the host's /dev/null, so the masked paths still read empty and the
 * sysctl stays read-only.
 */
TEST_F_TIMEOUT(cve, cve_2025_31133_masking_is_not_redirected, 300)
{
	ASSERT_EQ(0, system("rm -f " TOP "/rootfs/dev/null && "
			    "ln -s ../proc/sys/kernel/core_pattern " TOP "/rootfs/dev/null"));
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/default.pol -- sh -c '"
			"wc -c < /proc/kcore; echo x > /proc/sys/kernel/core_pattern || echo sys-ro'"));
	EXPECT_EQ(0, strncmp(self->out, "0\n", 2)) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "sys-ro")) TH_LOG("%s", self->out);
}

/*
 * CVE-2025-52565: the image's /dev/console a symbolic link to
 * /proc/sysrq-trigger when the pty is bound on it: launch's /dev is its
 * own, so the console is the pty and sysrq-trigger stays read-only.
 */
TEST_F_TIMEOUT(cve, cve_2025_52565_the_console_is_the_pty, 300)
{
	ASSERT_EQ(0, system("ln -sf /proc/sysrq-trigger " TOP "/rootfs/dev/console"));
	EXPECT_EQ(0, on_terminal("-t --policy " TOP "/default.pol -- sh -c '"
				 "stat -c %t:%T /dev/console; echo h > /proc/sysrq-trigger || echo sysrq-ro'",
				 self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "88:0")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "sysrq-ro")) TH_LOG("%s", self->out);
}

/*
 * TIOCSTI: without -t the container keeps no terminal of the caller's; it
 * leads a session of its own, so TIOCSTI on the caller's terminal fails (on
 * 6.1 it would type a command line into the shell that ran launch), from
 * launch and from launch exec.
 */
TEST_F_TIMEOUT(cve, tiocsti_cannot_type_into_the_callers_terminal, 300)
{
	EXPECT_EQ(0, on_terminal("--policy " TOP "/default.pol -- sysprobe session tiocsti",
				 self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "session: ok")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "tiocsti: EPERM")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, LAUNCH " -d --policy " TOP "/default.pol -- sleep 1000"));
	EXPECT_EQ(0, on_terminal("exec box -- sysprobe session tiocsti", self->out,
				 sizeof(self->out))) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "session: ok")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "tiocsti: EPERM")) TH_LOG("%s", self->out);
}

TEST_HARNESS_MAIN
