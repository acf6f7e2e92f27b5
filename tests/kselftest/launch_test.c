// SPDX-License-Identifier: GPL-2.0
/*
 * launch and brigctl as a user runs them (/usr/bin/launch, /usr/bin/brigctl),
 * on a busybox root filesystem owned by uid 100000 (/tmp/lt/rootfs, with
 * the static /bin/sysprobe added):
 * capability sets, fds, the uid map, masked paths, the default seccomp
 * profile, exit codes and signals, launch exec, and brigctl's commands
 * against launched containers.
 */
#include "launch.h"

/* nginx.pol's: CHOWN DAC_OVERRIDE SETGID SETUID NET_BIND_SERVICE */
#define NGINX_CAPS (CAP_BIT(CAP_CHOWN) | CAP_BIT(CAP_DAC_OVERRIDE) | CAP_BIT(CAP_SETGID) | \
		    CAP_BIT(CAP_SETUID) | CAP_BIT(CAP_NET_BIND_SERVICE))

static const char *const policies[][2] = {
	{ "default.pol", "name box\nrootfs rootfs\n" },
	{ "systime.pol", "name systime\nrootfs rootfs\ncaps drop ALL\ncaps add SYS_TIME\n" },
	{ "loose.pol", "name loose\nrootfs rootfs\nseccomp unconfined\n" },
	{ "noraw.pol", "name box\nrootfs rootfs\ndeny network raw\n" },
	{ "device.pol", "name box\nrootfs rootfs\ndevice /dev/zero:/dev/myzero:r\n" },
	{ "statements.pol", "name box\nrootfs rootfs\nreadonly-rootfs\nhostname inner\n"
	  "workdir /tmp\nenv GREETING=hello\nrlimit nofile 64\n"
	  "mount tmpfs /scratch size=1048576\nmount bind /tmp/lt/data /data ro\n"
	  "seccomp nomkdir.json\nno-new-privileges off\n" },
	{ "nomkdir.json", "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": "
	  "[\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38}]}" },
	{ "user.pol", "name box\nrootfs rootfs\nuser 1000:1001\n" },
	/* No user namespace: MKNOD (Docker's default) makes real device nodes. */
	{ "nouserns.pol", "name box\nrootfs rootfs\nnamespaces pid mount uts ipc net\n" },
	{ "privileged.pol", "name box\nrootfs rootfs\nprivileged\n" },
	{ "hostnet.pol", "name box\nrootfs rootfs\nnetwork host\n" },
	{ "data/file", "data\n" },
};

LAUNCH_FIXTURE(launch, policies)

TEST_F_TIMEOUT(launch, capabilities_are_dockers_by_default, 300)
{
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/default.pol -- grep Cap /proc/self/status"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(DOCKER_DEFAULT_CAPS, status_hex(self->out, "CapBnd:")) TH_LOG("%s", self->out);
	EXPECT_EQ(DOCKER_DEFAULT_CAPS, status_hex(self->out, "CapEff:"));
	EXPECT_EQ(DOCKER_DEFAULT_CAPS, status_hex(self->out, "CapPrm:"));
}

TEST_F_TIMEOUT(launch, caps_drop_all_add_sys_time_is_sys_time_alone, 300)
{
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/systime.pol -- grep Cap /proc/self/status"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(CAP_BIT(CAP_SYS_TIME), status_hex(self->out, "CapBnd:")) TH_LOG("%s", self->out);
	EXPECT_EQ(CAP_BIT(CAP_SYS_TIME), status_hex(self->out, "CapEff:"));
	/* Docker's: no ambient capabilities, whatever the set. */
	EXPECT_EQ(0, status_hex(self->out, "CapAmb:"));
}

/* -d prints the id; the init holds 0-2 only; its root is uid 100000 outside. */
TEST_F_TIMEOUT(launch, detached_init_has_fds_0_to_2_and_uid_100000, 300)
{
	struct brig_container_info info;
	struct brig_error *err = NULL;
	char path[64], fds[64] = "";
	struct dirent *d;
	struct stat st;
	DIR *dir;
	FILE *f;
	unsigned int inside, outside, count;

	ASSERT_EQ(0, sh(self, LAUNCH " -d --policy " TOP "/default.pol -- sleep 1000")) TH_LOG("%s", self->out);
	ASSERT_BRIG_OK(brig_nl_get(self->nl, 0, "box", &info, &err), err);
	EXPECT_EQ(info.id, strtoul(self->out, NULL, 10)) TH_LOG("printed: %s", self->out);
	snprintf(path, sizeof(path), "/proc/%u/fd", info.init_pid);
	dir = opendir(path);
	ASSERT_NE(NULL, dir);
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.')
			snprintf(fds + strlen(fds), sizeof(fds) - strlen(fds), "%.8s ", d->d_name);
	closedir(dir);
	EXPECT_STREQ("0 1 2 ", fds);
	snprintf(path, sizeof(path), "/proc/%u/uid_map", info.init_pid);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(3, fscanf(f, "%u %u %u", &inside, &outside, &count));
	fclose(f);
	EXPECT_EQ(0, inside);
	EXPECT_EQ(100000, outside);
	EXPECT_EQ(65536, count);
	snprintf(path, sizeof(path), "/proc/%u", info.init_pid);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(100000, st.st_uid);
	EXPECT_EQ(0, sh(self, LAUNCH " exec box -- id -u"));
	EXPECT_STREQ("0\n", self->out);
	EXPECT_EQ(0, sh(self, BRIGCTL " stop box -t 1"));
}

/*
 * As docker keeps a container until `docker rm`: a detached one's output and
 * exit status outlive it (brigctl logs, ps -a), its name stays taken until
 * brigctl rm, and its run directory goes with it. --rm keeps nothing.
 */
TEST_F_TIMEOUT(launch, detached_containers_are_kept_until_rm, 300)
{
	ASSERT_EQ(0, sh(self, LAUNCH " -d --policy " TOP "/default.pol -- sh -c "
			"'echo out; echo err >&2; until [ -e /tmp/go ]; do sleep 1; done; exit 7'"))
		TH_LOG("%s", self->out);
	ASSERT_LT(0, wait_running(self->nl, "box"));
	EXPECT_EQ(0, sh(self, BRIGCTL " ps"));
	EXPECT_NE(NULL, strstr(self->out, " Up ")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, "touch " TOP "/rootfs/tmp/go"));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	EXPECT_EQ(0, sh(self, BRIGCTL " logs box"));
	EXPECT_STREQ("out\nerr\n", self->out);
	EXPECT_EQ(0, sh(self, BRIGCTL " ps"));
	EXPECT_EQ(NULL, strstr(self->out, "box")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, BRIGCTL " ps -a"));
	EXPECT_NE(NULL, strstr(self->out, "Exited (7) ")) TH_LOG("%s", self->out);
	EXPECT_NE(0, access("/run/brig/box", F_OK)) TH_LOG("the run directory is left");
	EXPECT_NE(0, access("/run/brig/box.lock", F_OK)) TH_LOG("the name's lock is left");
	/* The name is taken, for -d and without it. */
	EXPECT_EQ(125, sh(self, LAUNCH " --policy " TOP "/default.pol -- true"));
	EXPECT_NE(NULL, strstr(self->out, "the name `box` is taken by a kept container (brigctl ps -a): remove it with `brigctl rm box`"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, BRIGCTL " rm box"));
	EXPECT_STREQ("box\n", self->out);
	EXPECT_NE(0, sh(self, BRIGCTL " logs box"));
	EXPECT_NE(NULL, strstr(self->out, "no such container: box")) TH_LOG("%s", self->out);
	EXPECT_NE(0, sh(self, BRIGCTL " rm box"));

	/* A running one is removed only with -f, which stops it. */
	ASSERT_EQ(0, sh(self, LAUNCH " -d --policy " TOP "/default.pol -- sleep 1000"));
	ASSERT_LT(0, wait_running(self->nl, "box"));
	EXPECT_NE(0, sh(self, BRIGCTL " rm box"));
	EXPECT_NE(NULL, strstr(self->out, "container `box` is running: stop it first"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, BRIGCTL " rm -f box")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	EXPECT_EQ(0, sh(self, BRIGCTL " ps -a"));
	EXPECT_EQ(NULL, strstr(self->out, "box")) TH_LOG("%s", self->out);

	/* logs -f follows the output as it comes, and returns when the container exits. */
	ASSERT_EQ(0, sh(self, LAUNCH " -d --policy " TOP "/default.pol -- sh -c "
			"'echo first; sleep 2; echo second'"));
	EXPECT_EQ(0, sh(self, "timeout 30 " BRIGCTL " logs -f box")) TH_LOG("%s", self->out);
	EXPECT_STREQ("first\nsecond\n", self->out);
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	EXPECT_EQ(0, sh(self, BRIGCTL " ps -a"));
	EXPECT_NE(NULL, strstr(self->out, "Exited (0) ")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, BRIGCTL " rm box"));

	/* A start that fails keeps nothing either. */
	EXPECT_EQ(127, sh(self, LAUNCH " -d --policy " TOP "/default.pol -- /no/such/program"));
	EXPECT_EQ(0, sh(self, BRIGCTL " ps -a"));
	EXPECT_EQ(NULL, strstr(self->out, "box")) TH_LOG("%s", self->out);

	/* --rm: nothing is kept. */
	ASSERT_EQ(0, sh(self, LAUNCH " -d --rm --policy " TOP "/default.pol -- true"));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	usleep(200000);
	EXPECT_EQ(0, sh(self, BRIGCTL " ps -a"));
	EXPECT_EQ(NULL, strstr(self->out, "box")) TH_LOG("%s", self->out);
	EXPECT_NE(0, access("/var/lib/brig/box", F_OK));
}

/* network host: the host's network namespace, as docker run --network host; private: its own. */
TEST_F_TIMEOUT(launch, network_host_is_the_hosts_namespace, 300)
{
	char host[64] = "";
	ssize_t n = readlink("/proc/self/ns/net", host, sizeof(host) - 1);

	ASSERT_LT(0, n);
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/hostnet.pol -- readlink /proc/self/ns/net"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(0, strncmp(self->out, host, n)) TH_LOG("inside %s, the host's %s", self->out, host);
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/default.pol -- readlink /proc/self/ns/net"))
		TH_LOG("%s", self->out);
	EXPECT_NE(0, strncmp(self->out, host, n)) TH_LOG("a private network is the host's: %s", host);
	/* Publishing needs a network of its own. */
	EXPECT_EQ(125, sh(self, LAUNCH " --policy " TOP "/hostnet.pol -p 8080:80 -- true"));
	EXPECT_NE(NULL, strstr(self->out, "the container is on the host's network")) TH_LOG("%s", self->out);
}

TEST_F_TIMEOUT(launch, masked_paths_read_empty_or_fail, 300)
{
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/default.pol -- sh -c '"
			"wc -c < /proc/kcore; ls /sys/firmware | wc -l; cat /proc/keys | wc -c; "
			"echo b > /proc/sysrq-trigger || echo sysrq-refused; "
			"echo 1 > /proc/sys/kernel/ns_last_pid || echo sys-refused'"));
	EXPECT_EQ(0, strncmp(self->out, "0\n0\n0\n", 6)) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "sysrq-refused")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "sys-refused"));
	EXPECT_NE(NULL, strstr(self->out, "Read-only file system"));
}

/* The policy's other statements, each seen from inside. */
TEST_F_TIMEOUT(launch, statements_take_effect, 300)
{
	const char *head = "inner\n/tmp\nhello\n64\nx\ndata\n";

	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/statements.pol -- sh -c '"
			"hostname; pwd; echo $GREETING; ulimit -n; echo x > /scratch/f && cat /scratch/f; "
			"cat /data/file; echo y > /data/file || echo data-ro; "
			"touch /newfile || echo root-ro; mkdir /scratch/d || echo mkdir-refused; "
			"grep NoNewPrivs /proc/self/status'")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, strncmp(self->out, head, strlen(head))) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "data-ro"));
	EXPECT_NE(NULL, strstr(self->out, "root-ro"));
	EXPECT_NE(NULL, strstr(self->out, "Function not implemented\nmkdir-refused")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "NoNewPrivs:\t0"));
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/user.pol -e GREETING=hi -- sh -c 'id -u; id -g; echo $HOME $GREETING'"));
	EXPECT_STREQ("1000\n1001\n/ hi\n", self->out);
}

/* privileged: every capability, no seccomp, the host's devices, and a warning. */
TEST_F_TIMEOUT(launch, privileged_is_dockers_privileged, 300)
{
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/privileged.pol -- sh -c '"
			"grep -E \"CapEff|Seccomp:\" /proc/self/status; ls /dev/ttyS1'"));
	EXPECT_NE(NULL, strstr(self->out, "is privileged")) TH_LOG("%s", self->out);
	EXPECT_EQ(BRIG_ALL_CAPS, status_hex(self->out, "CapEff:")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "Seccomp:\t0"));
	EXPECT_NE(NULL, strstr(self->out, "/dev/ttyS1"));
}

/*
 * `device HOST:INSIDE:r`: there, readable, and brig.ko refuses writes with
 * EPERM, as Docker's device cgroup does (the line's r holds for 1:5, one of
 * Docker's defaults).
 */
TEST_F_TIMEOUT(launch, device_lines_bind_with_their_letters, 300)
{
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/device.pol -- sh -c '"
			"head -c 3 /dev/myzero | wc -c; echo x > /dev/myzero || echo write-refused; "
			"echo x > /dev/null && echo null-writable'"));
	EXPECT_EQ(0, strncmp(self->out, "3\n", 2)) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "Operation not permitted\nwrite-refused")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "null-writable"));
}

/*
 * Docker's default devices open in the default container; a node made for
 * the kernel log (c 1:11) does not, EPERM as with Docker's device cgroup.
 * The node is made in /dev, launch's tmpfs: the rootfs lies on the VM's
 * /tmp, which is nodev.
 */
TEST_F_TIMEOUT(launch, default_devices_open_and_made_nodes_do_not, 300)
{
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/default.pol -- sh -c '"
			"echo x > /dev/null && for d in zero full random urandom; do head -c 2 /dev/$d; done"
			" | wc -c; ls /dev/pts/ptmx'")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, strncmp(self->out, "8\n", 2)) TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/nouserns.pol -- sh -c '"
			"mknod /dev/kmsg c 1 11 && echo made; head -c 1 /dev/kmsg || echo refused; "
			"echo x > /dev/null && echo null-writable'")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "made\n")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "Operation not permitted\nrefused")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "null-writable"));
}

TEST_F_TIMEOUT(launch, default_seccomp_refuses_unshare_keyctl_kexec_load, 300)
{
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/default.pol -- sh -c '"
			"sysprobe unshare keyctl kexec_load socket_vsock; grep Seccomp: /proc/self/status'"));
	EXPECT_NE(NULL, strstr(self->out, "unshare: EPERM\nkeyctl: EPERM\nkexec_load: EPERM\n"
			       "socket_vsock: EPERM\n")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "Seccomp:\t2"));
	/* The same calls unconfined: unshare and keyctl go through. */
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/loose.pol -- sh -c '"
			"sysprobe unshare keyctl; grep Seccomp: /proc/self/status'"));
	EXPECT_NE(NULL, strstr(self->out, "unshare: ok\nkeyctl: ok\n")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "Seccomp:\t0"));
}

TEST_F_TIMEOUT(launch, exit_codes_are_docker_runs, 300)
{
	EXPECT_EQ(7, sh(self, LAUNCH " --policy " TOP "/default.pol -- sh -c 'exit 7'"));
	EXPECT_EQ(127, sh(self, LAUNCH " --policy " TOP "/default.pol -- nosuch"));
	EXPECT_NE(NULL, strstr(self->out, "launch: exec: \"nosuch\": executable file not found in $PATH"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(127, sh(self, LAUNCH " --policy " TOP "/default.pol -- /no/such"));
	EXPECT_EQ(126, sh(self, LAUNCH " --policy " TOP "/default.pol -- /etc/passwd"));
	EXPECT_NE(NULL, strstr(self->out, "launch: exec: \"/etc/passwd\": Permission denied"))
		TH_LOG("%s", self->out);
	/* A file rule's x: sh cannot run in nginx.pol. */
	EXPECT_EQ(126, sh(self, LAUNCH " " NGINX " -- /bin/sh"));
	EXPECT_EQ(125, sh(self, LAUNCH " --policy " TOP "/nosuch.pol"));
	EXPECT_EQ(125, sh(self, LAUNCH " --policy " TOP "/default.pol --rootfs /nonexistent -- true"));
	EXPECT_NE(NULL, strstr(self->out, "--rootfs `/nonexistent`: No such file or directory"));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
}

TEST_F_TIMEOUT(launch, signals_are_forwarded_and_kill_is_128_plus_9, 300)
{
	pid_t pid = spawn("--policy " TOP "/default.pol -- sh -c 'trap \"exit 42\" TERM; "
			  "while :; do sleep 0.1; done'");
	struct brig_error *err = NULL;
	int n = 0, i, j, status = 0;
	bool exited = false;

	ASSERT_LT(0, wait_running(self->nl, "box"));
	usleep(300000);		/* the trap is set */
	/*
	 * Until it is, pid 1 ignores TERM (on the debug kernel, 300 ms may not
	 * do): send it again every 2 s until launch returns.
	 */
	for (i = 0; i < 100 && !exited; i++) {
		kill(pid, SIGTERM);
		for (j = 0; j < 20 && !exited; j++) {
			exited = waitpid(pid, &status, WNOHANG) == pid;
			if (!exited)
				usleep(100000);
		}
	}
	ASSERT_TRUE(exited);
	EXPECT_EQ(42, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	/* When launch returns, the name is free again. */
	ASSERT_BRIG_OK(brig_nl_dump(self->nl, brig_count_one, &n, &err), err);
	EXPECT_EQ(0, n);

	/* pid 1 without a handler ignores TERM: brigctl stop ends it with KILL. */
	pid = spawn("--policy " TOP "/default.pol -- sleep 1000");
	ASSERT_LT(0, wait_running(self->nl, "box"));
	EXPECT_EQ(0, sh(self, BRIGCTL " stop box -t 1"));
	EXPECT_EQ(128 + SIGKILL, exit_status(pid));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
}

TEST_F_TIMEOUT(launch, exec_lands_inside_and_confined, 300)
{
	struct stat st;

	ASSERT_EQ(0, sh(self, LAUNCH " -d " NGINX " -- sleep 1000")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, LAUNCH " exec nginx -- /bin/busybox sh -c '"
			"hostname; tr \"\\0\" \" \" < /proc/1/cmdline; echo; grep -E \"Cap|Seccomp:|NoNewPrivs\" /proc/self/status'"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(0, strncmp(self->out, "web\nsleep 1000 \n", 16)) TH_LOG("%s", self->out);
	EXPECT_EQ(NGINX_CAPS, status_hex(self->out, "CapEff:")) TH_LOG("%s", self->out);
	EXPECT_EQ(NGINX_CAPS, status_hex(self->out, "CapBnd:"));
	EXPECT_NE(NULL, strstr(self->out, "Seccomp:\t2"));
	EXPECT_NE(NULL, strstr(self->out, "NoNewPrivs:\t1"));
	/* The policy holds: no sh, no file in /root, no raw socket. */
	EXPECT_EQ(126, sh(self, LAUNCH " exec nginx -- /bin/sh -c true"));
	EXPECT_NE(0, sh(self, LAUNCH " exec nginx -- /bin/busybox touch /root/thing"));
	EXPECT_NE(NULL, strstr(self->out, "touch: /root/thing: Permission denied")) TH_LOG("%s", self->out);
	EXPECT_EQ(-1, stat(TOP "/rootfs/root/thing", &st));
	EXPECT_NE(0, sh(self, LAUNCH " exec nginx -- ping -c 1 127.0.0.1"));
	EXPECT_NE(NULL, strstr(self->out, "Permission denied")) TH_LOG("%s", self->out);
	EXPECT_EQ(3, sh(self, LAUNCH " exec nginx -- /bin/busybox sh -c 'exit 3'"));
	EXPECT_EQ(127, sh(self, LAUNCH " exec nginx -- nosuch"));
	EXPECT_EQ(125, sh(self, LAUNCH " exec nosuch -- true"));
	EXPECT_NE(NULL, strstr(self->out, "no such container")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, BRIGCTL " stop nginx -t 1"));
}

TEST_F_TIMEOUT(launch, brigctl_ps_inspect_events_update_stop, 300)
{
	char line[1024] = "";
	int pid, fds[2], i;
	pid_t events;
	FILE *in;

	ASSERT_EQ(0, sh(self, LAUNCH " -d --policy " TOP "/default.pol -- sleep 1000"));
	pid = wait_running(self->nl, "box");
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, sh(self, BRIGCTL " ps"));
	EXPECT_NE(NULL, strstr(self->out, " box ")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, BRIGCTL " inspect box"));
	snprintf(line, sizeof(line), "\"InitPid\":%d,", pid);
	EXPECT_NE(NULL, strstr(self->out, line)) TH_LOG("%s", self->out);
	/* Mounts refused, Docker's devices listed. */
	EXPECT_NE(NULL, strstr(self->out, "\"Mount\":false")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "\"c 1:3 rw\"")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "\"c 136:* rw\"")) TH_LOG("%s", self->out);
	/* Docker's capabilities include NET_RAW: ping works... */
	EXPECT_EQ(0, sh(self, LAUNCH " exec box -- ping -c 1 127.0.0.1")) TH_LOG("%s", self->out);
	/* ...until the policy is replaced live, which events reports. */
	ASSERT_EQ(0, sh(self, BRIGCTL " update box --policy " TOP "/noraw.pol")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, pipe(fds));
	events = fork();
	if (events == 0) {
		dup2(fds[1], 1);
		execl(BRIGCTL, "brigctl", "events", "box", NULL);
		_exit(127);
	}
	close(fds[1]);
	/* brigctl joins the group at its own pace: try until it reports one. */
	for (i = 0; i < 20; i++) {
		EXPECT_NE(0, sh(self, LAUNCH " exec box -- ping -c 1 127.0.0.1"));
		EXPECT_NE(NULL, strstr(self->out, "Permission denied")) TH_LOG("%s", self->out);
		if (brig_readable(fds[0], 1000))
			break;
	}
	in = fdopen(fds[0], "r");
	EXPECT_NE(NULL, fgets(line, sizeof(line), in));
	kill(events, SIGTERM);
	waitpid(events, NULL, 0);
	fclose(in);
	EXPECT_NE(NULL, strstr(line, "DENIED")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, "raw")) TH_LOG("%s", line);
	EXPECT_EQ(0, sh(self, BRIGCTL " stop box -t 1"));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	EXPECT_EQ(125, sh(self, BRIGCTL " inspect box"));
}

TEST_F_TIMEOUT(launch, tty_gives_a_terminal_of_the_callers_size, 300)
{
	const char *probe = "sh -c '[ -t 0 ] && [ -t 1 ] && echo interactive; stty size; exit 5'";
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "-t --policy " TOP "/default.pol -- %s", probe);
	EXPECT_EQ(5, on_terminal(cmd, self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "interactive")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "33 77")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, brig_wait_no_container(self->nl));
	ASSERT_EQ(0, sh(self, LAUNCH " -d --policy " TOP "/default.pol -- sleep 1000"));
	snprintf(cmd, sizeof(cmd), "exec -t box -- %s", probe);
	EXPECT_EQ(5, on_terminal(cmd, self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "interactive")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "33 77")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, BRIGCTL " stop box -t 1"));
}

TEST_F_TIMEOUT(launch, without_the_module_says_how_to_load_it, 300)
{
	ASSERT_EQ(0, brig_unload());
	EXPECT_EQ(125, sh(self, LAUNCH " --policy " TOP "/default.pol -- true"));
	EXPECT_NE(NULL, strstr(self->out, "not loaded: load it with `modprobe brig`"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(125, sh(self, LAUNCH " exec box -- true"));
	EXPECT_NE(NULL, strstr(self->out, "not loaded: load it with `modprobe brig`"));
	ASSERT_EQ(0, brig_load());
	brig_nl_close(self->nl);	/* the family is registered anew */
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
}

TEST_HARNESS_MAIN
