// SPDX-License-Identifier: GPL-2.0
/*
 * What launch must not let through, in either direction, each tried as a
 * user (or an attacker) would (launch.h's world):
 *
 *   the caller's terminal     a pty of its own devpts, no TIOCSTI on it
 *                             (the caller's own: cve_test)
 *   capabilities              Docker's sets: none for a non-root user, no ambient
 *   read-only                 recursive: submounts of /sys, binds, the rootfs
 *   the caller's process      signals, mask and umask reset; dies with launch
 *   the joining process       non-dumpable, a sealed binary, the state's limits
 *   Docker's defaults         masked paths, ENOSYS for unknown system calls
 */
#include <sys/mount.h>

#include "launch.h"

static const char *const files[][2] = {
	{ "default.pol", "name box\nrootfs rootfs\n" },
	{ "user.pol", "name box\nrootfs rootfs\nuser 1000:1001\n" },
	/* No network namespace: sysfs anew, or in a user namespace the host's, bound. */
	{ "hostsys.pol", "name box\nrootfs rootfs\nnamespaces pid mount uts ipc\n" },
	{ "usersys.pol", "name box\nrootfs rootfs\nnamespaces user pid mount uts ipc\n" },
	{ "robind.pol", "name box\nrootfs rootfs\nmount bind /tmp/lt/data /data ro\n" },
	{ "roroot.pol", "name box\nrootfs rootfs\nreadonly-rootfs\n" },
	{ "limits.pol", "name box\nrootfs rootfs\nrlimit nofile 64\n" },
	{ "sysctl.pol", "name box\nrootfs rootfs\nsysctl net.ipv4.ip_forward 1\n" },
	{ "privileged.pol", "name box\nrootfs rootfs\nprivileged\n" },
};

LAUNCH_FIXTURE(isolation, files)

/* Waits until container @name holds @tasks tasks; 0, or -1 after 15 s. */
static int wait_tasks(struct brig_nl *nl, const char *name, uint32_t tasks)
{
	struct brig_container_info info;
	struct brig_error *err = NULL;
	int i;

	for (i = 0; i < 300; i++) {
		if (!brig_nl_get(nl, 0, name, &info, &err) && info.tasks == tasks)
			return 0;
		brig_error_free(&err);
		usleep(50000);
	}
	return -1;
}

/*
 * With -t the terminal is the container's own, where the kernel would let
 * TIOCSTI through: the default seccomp profile refuses it, TIOCLINUX, and
 * TIOCSTI with bits set above the 32 the kernel reads.
 */
TEST_F_TIMEOUT(isolation, default_seccomp_refuses_tiocsti_on_its_own_tty, 300)
{
	EXPECT_EQ(0, on_terminal("-t --policy " TOP "/default.pol -- sysprobe tiocsti tiocsti_high "
				 "tioclinux", self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "tiocsti: EPERM")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "tiocsti_high: EPERM")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "tioclinux: EPERM")) TH_LOG("%s", self->out);
}

/*
 * -t: the terminal is one of the container's own devpts, so that `tty`
 * names it inside; /dev/console is it, as runc makes it; and stdin's EOF
 * reaches the container through it.
 */
TEST_F_TIMEOUT(isolation, tty_is_the_containers_own, 300)
{
	EXPECT_EQ(3, on_terminal("-t --policy " TOP "/default.pol -- sh -c '"
				 "tty; stat -c %t:%T /dev/console; exit 3'", self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "/dev/pts/0\r\n88:0")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, "echo hi | timeout 120 " LAUNCH " -t --policy " TOP "/default.pol -- cat"));
	EXPECT_NE(NULL, strstr(self->out, "hi")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, LAUNCH " -d --policy " TOP "/default.pol -- sleep 1000"));
	EXPECT_EQ(0, on_terminal("exec -t box -- tty", self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "/dev/pts/")) TH_LOG("%s", self->out);
	EXPECT_EQ(NULL, strstr(self->out, "not a tty")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, "echo hi | timeout 120 " LAUNCH " exec -t box -- cat"));
	EXPECT_NE(NULL, strstr(self->out, "hi")) TH_LOG("%s", self->out);
}

/* Docker's: root has the set, another user none; nobody inheritable or ambient ones. */
TEST_F_TIMEOUT(isolation, capabilities_are_dockers_for_root_and_other_users, 300)
{
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/user.pol -- grep Cap /proc/self/status"));
	EXPECT_EQ(0, status_hex(self->out, "CapInh:")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, status_hex(self->out, "CapPrm:")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, status_hex(self->out, "CapEff:"));
	EXPECT_EQ(0, status_hex(self->out, "CapAmb:"));
	EXPECT_EQ(DOCKER_DEFAULT_CAPS, status_hex(self->out, "CapBnd:"));
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/default.pol -- grep Cap /proc/self/status"));
	EXPECT_EQ(0, status_hex(self->out, "CapInh:")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, status_hex(self->out, "CapAmb:"));
	EXPECT_EQ(DOCKER_DEFAULT_CAPS, status_hex(self->out, "CapEff:"));
	ASSERT_EQ(0, sh(self, LAUNCH " -d --policy " TOP "/user.pol -- sleep 1000"));
	ASSERT_EQ(0, sh(self, LAUNCH " exec box -- grep Cap /proc/self/status"));
	EXPECT_EQ(0, status_hex(self->out, "CapEff:")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, status_hex(self->out, "CapAmb:"));
}

/*
 * Without a network namespace of its own a container gets no way to write
 * the host's /sys, nor the mounts below it (with no user namespace either,
 * it could make a cgroup on the host): with no user namespace a read-only
 * sysfs of its own, without the host's debugfs or cgroups; in one, the
 * host's, bound read-only in every mount below it.
 */
TEST_F_TIMEOUT(isolation, host_sys_is_read_only_in_every_submount, 300)
{
	struct stat st;
	bool mounted = stat("/sys/fs/cgroup/cgroup.procs", &st) == 0;
	const char *const pols[] = { TOP "/hostsys.pol", TOP "/usersys.pol" };

	if (!mounted)
		ASSERT_EQ(0, mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL));
	for (size_t i = 0; i < 2; i++) {
		EXPECT_EQ(0, sh(self, LAUNCH " --policy %s -- sh -c '"
				"mkdir /sys/fs/cgroup/brig-escape || echo cgroup-refused; "
				"ls -A /sys/kernel/debug | wc -l'", pols[i]));
		EXPECT_NE(NULL, strstr(self->out, "cgroup-refused\n")) TH_LOG("%s: %s", pols[i], self->out);
		EXPECT_EQ(-1, stat("/sys/fs/cgroup/brig-escape", &st));
		/* No user namespace: the host's debugfs is not there to read. */
		if (i == 0)
			EXPECT_NE(NULL, strstr(self->out, "cgroup-refused\n0\n"))
				TH_LOG("%s: %s", pols[i], self->out);
	}
	rmdir("/sys/fs/cgroup/brig-escape");
	if (!mounted)
		EXPECT_EQ(0, umount("/sys/fs/cgroup"));
}

/* `mount bind … ro` and readonly-rootfs hold in the mounts below them. */
TEST_F_TIMEOUT(isolation, read_only_binds_and_rootfs_hold_below, 300)
{
	struct stat st;

	ASSERT_EQ(0, system("mkdir -p " TOP "/data/sub " TOP "/rootfs/mnt && "
			    "mount -t tmpfs tmpfs " TOP "/data/sub && "
			    "mount -t tmpfs tmpfs " TOP "/rootfs/mnt"));
	EXPECT_EQ(0, sh(self, LAUNCH " --policy " TOP "/robind.pol -- sh -c '"
			"echo x > /data/f || echo data-ro; echo x > /data/sub/f || echo sub-ro'"));
	EXPECT_NE(NULL, strstr(self->out, "data-ro")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "sub-ro")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, LAUNCH " --policy " TOP "/roroot.pol -- sh -c '"
			"touch /x || echo root-ro; touch /mnt/x || echo mnt-ro; "
			"echo x > /dev/shm/x && echo shm-rw; echo x > /dev/null && echo null-rw'"));
	EXPECT_NE(NULL, strstr(self->out, "root-ro")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "mnt-ro")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "shm-rw")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "null-rw")) TH_LOG("%s", self->out);
	EXPECT_EQ(-1, stat(TOP "/data/sub/f", &st));
	EXPECT_EQ(-1, stat(TOP "/rootfs/mnt/x", &st));
	system("umount " TOP "/data/sub " TOP "/rootfs/mnt");
}

/* What the caller ignores, blocks or masks off is not the container's. */
TEST_F_TIMEOUT(isolation, signals_mask_and_umask_are_reset, 300)
{
	ASSERT_EQ(0, sh(self, "trap '' TERM USR1; umask 077; exec " LAUNCH " --policy " TOP
			"/default.pol -- sh -c 'grep -E \"SigIgn|SigBlk\" /proc/self/status; umask'"));
	EXPECT_NE(NULL, strstr(self->out, "SigBlk:\t0000000000000000")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "SigIgn:\t0000000000000000")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "0022")) TH_LOG("%s", self->out);
	/* -e NAME passes the caller's on, as docker run: set or not at all. */
	ASSERT_EQ(0, sh(self, "GREETING=hi; export GREETING; unset NOPE; exec " LAUNCH " -e GREETING "
			"-e NOPE --policy " TOP "/default.pol -- sh -c 'echo $GREETING ${NOPE-unset}'"));
	EXPECT_STREQ("hi unset\n", self->out);
	ASSERT_EQ(0, sh(self, LAUNCH " -d --policy " TOP "/limits.pol -- sleep 1000"));
	/* launch exec: the state's rlimits, Docker's umask, not the caller's. */
	ASSERT_EQ(0, sh(self, "trap '' TERM; umask 077; ulimit -n 512; exec " LAUNCH
			" exec box -- sh -c 'grep SigIgn /proc/self/status; umask; ulimit -n'"));
	EXPECT_NE(NULL, strstr(self->out, "SigIgn:\t0000000000000000\n0022\n64\n"))
		TH_LOG("%s", self->out);
}

/* A killed launch takes its container with it, and launch exec its process. */
TEST_F_TIMEOUT(isolation, the_container_dies_with_launch, 300)
{
	pid_t pid = spawn("--policy " TOP "/default.pol -- sleep 1000");

	ASSERT_LT(0, wait_running(self->nl, "box"));
	kill(pid, SIGKILL);
	EXPECT_EQ(128 + SIGKILL, exit_status(pid));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	ASSERT_EQ(0, sh(self, LAUNCH " -d --policy " TOP "/default.pol -- sleep 1000"));
	ASSERT_EQ(0, wait_tasks(self->nl, "box", 1));
	pid = spawn("exec box -- sleep 1000");
	ASSERT_EQ(0, wait_tasks(self->nl, "box", 2));
	kill(pid, SIGKILL);
	EXPECT_EQ(128 + SIGKILL, exit_status(pid));
	EXPECT_EQ(0, wait_tasks(self->nl, "box", 1));
}

/*
 * moby's current masked paths, ENOSYS for a system call no libseccomp
 * knows, Docker's network sysctls (for the groups the user namespace maps)
 * and the policy's; privileged as --privileged: /sys writable.
 */
TEST_F_TIMEOUT(isolation, dockers_current_defaults, 300)
{
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/default.pol -- sh -c '"
			"wc -c < /proc/interrupts; sysprobe nr_1000; "
			"cat /proc/sys/net/ipv4/ping_group_range /proc/sys/net/ipv4/ip_unprivileged_port_start'"));
	EXPECT_EQ(0, strncmp(self->out, "0\n", 2)) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "nr_1000: ENOSYS\n0\t65535\n0\n")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/sysctl.pol -- cat /proc/sys/net/ipv4/ip_forward"))
		TH_LOG("%s", self->out);
	EXPECT_STREQ("1\n", self->out);
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/privileged.pol -- grep \" /sys \" /proc/mounts"));
	EXPECT_NE(NULL, strstr(self->out, " rw,")) TH_LOG("%s", self->out);
}

TEST_HARNESS_MAIN
