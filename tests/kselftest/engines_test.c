// SPDX-License-Identifier: GPL-2.0
/*
 * The engines people run, on brig-runtime, in the VM: Debian's podman 4.3
 * (through conmon 2.1) and containerd 1.6 (ctr, through its runc v2 shim),
 * from the engines image (scripts/rootfs engines) in a chroot at
 * /srv/engines. Their own commands, their exit codes and output; brig.ko
 * registers every container; --pids-limit is its exact ceiling; a .pol
 * named by an annotation refuses the seed's intruder; nothing is left.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "kselftest_harness.h"
#include "launch.h"

#define E "/srv/engines"
/*
 * A command in the engines' world: a mount namespace whose root is the
 * image, pivoted into as a host's root is (brig-runtime refuses a chroot).
 */
#define IN_E "/tmp/in-engines "
#define PODMAN IN_E "podman --runtime /usr/local/bin/brig-runtime "
#define CTR IN_E "ctr "
#define CTR_RUN CTR "run --runc-binary /usr/local/bin/brig-runtime "

/* What podman needs on a host without systemd: cgroupfs, events to a file, no network. */
static const char containers_conf[] =
	"[containers]\n"
	"netns = \"none\"\n"
	"[engine]\n"
	"cgroup_manager = \"cgroupfs\"\n"
	"events_logger = \"file\"\n"
	"runtime_supports_json = [\"brig-runtime\"]\n";

FIXTURE(engines) {
	struct brig_nl *nl;
	char out[16384];
};

#define sh(self, ...) brig_sh((self)->out, sizeof((self)->out), __VA_ARGS__)

#define NEED_ENGINES() do {							\
		if (!self->nl)							\
			SKIP(return, "no engines image at " E " (scripts/vm --disk engines)"); \
	} while (0)

FIXTURE_SETUP(engines)
{
	struct statfs fs;
	FILE *f;

	/* Without the image (the debug kernel's boot), each test skips: NEED_ENGINES(). */
	if (access(E "/usr/bin/podman", X_OK))
		return;
	if (statfs("/sys/fs/cgroup", &fs) || fs.f_type != CGROUP2_SUPER_MAGIC)
		ASSERT_EQ(0, mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL));
	/* Once per boot: the chroot's kernel filesystems, its state in memory, the tools. */
	if (access(E "/proc/self", F_OK))
		ASSERT_EQ(0, system(
			"for d in proc sys dev; do mount --rbind /$d " E "/$d || exit 1; done && "
			"for d in run tmp var/lib/containers var/lib/containerd; do "
			"mount -t tmpfs tmpfs " E "/$d || exit 1; done && "
			"mkdir -p " E "/usr/local/bin " E "/rootfs/busybox " E "/rootfs/nginx " E "/etc/brig && "
			"cp /usr/bin/brig-runtime /usr/bin/brigctl " E "/usr/local/bin/ && "
			"cp /examples/nginx.pol " E "/etc/brig/ && "
			/*
			 * The root filesystems through overlays of their own: what the
			 * engines' containers write as the host's root stays out of
			 * /srv, which later tests use with user namespaces.
			 */
			"for r in rootfs:busybox nginx:nginx; do "
			"mkdir -p /run/engines/${r#*:}/up /run/engines/${r#*:}/work && "
			"mount -t overlay overlay -o lowerdir=/srv/${r%:*},upperdir=/run/engines/${r#*:}/up,"
			"workdir=/run/engines/${r#*:}/work " E "/rootfs/${r#*:} || exit 1; done"));
	f = fopen("/tmp/in-engines", "w");
	ASSERT_NE(NULL, f);
	fputs("#!/bin/sh\nexec unshare -m --propagation private sh -c "
	      "'cd " E " && mkdir -p .oldroot && pivot_root . .oldroot && umount -l /.oldroot && "
	      "cd / && exec \"$@\"' in-engines \"$@\"\n", f);
	fclose(f);
	ASSERT_EQ(0, chmod("/tmp/in-engines", 0755));
	f = fopen(E "/etc/containers/containers.conf", "w");
	ASSERT_NE(NULL, f);
	fputs(containers_conf, f);
	fclose(f);
	/* The image must carry every library brig-runtime links (scripts/rootfs engines). */
	ASSERT_EQ(0, sh(self, IN_E "/usr/local/bin/brig-runtime --version")) {
		TH_LOG("brig-runtime cannot run in the engines image: %s", self->out);
	}
	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
}

FIXTURE_TEARDOWN(engines)
{
	if (!self->nl)
		return;
	sh(self, PODMAN "rm -af -t 0");
	sh(self, "kill -KILL $(pidof containerd-shim-runc-v2 containerd) 2>/dev/null; true");
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

/* The container brig.ko knows by @name (podman's short id, or ctr's), or false. */
static bool registered(FIXTURE_DATA(engines) *self, const char *name,
		       struct brig_container_info *info)
{
	struct brig_error *err = NULL;
	bool yes = !brig_nl_get(self->nl, 0, name, info, &err);

	brig_error_free(&err);
	return yes;
}

/* podman's 12-digit id of @name, into @id. */
static const char *podman_id(FIXTURE_DATA(engines) *self, const char *name, char id[16])
{
	id[0] = '\0';
	if (!sh(self, PODMAN "inspect --format '{{.Id}}' %s", name))
		snprintf(id, 16, "%.12s", self->out);
	return id;
}

/* Nothing left of brig-runtime's: no container registered, no record. */
static bool nothing_left(FIXTURE_DATA(engines) *self)
{
	return !brig_wait_no_container(self->nl) &&
	       !sh(self, "test -z \"$(ls " E "/run/brig-runtime 2>/dev/null)\" && "
		   "test -z \"$(ls " E "/run/containerd/runc/default 2>/dev/null)\"");
}

TEST_F_TIMEOUT(engines, podman_run_gives_the_output_and_exit_code, 300)
{
	NEED_ENGINES();
	EXPECT_EQ(7, sh(self, PODMAN "run --rm --rootfs /rootfs/busybox sh -c 'echo hello from brig; exit 7'"));
	EXPECT_NE(NULL, strstr(self->out, "hello from brig")) TH_LOG("%s", self->out);
	/* podman run's own codes: 127 for a missing program, as with runc. */
	EXPECT_EQ(127, sh(self, PODMAN "run --rm --rootfs /rootfs/busybox nosuchprogram"));
	EXPECT_NE(NULL, strstr(self->out, "executable file not found in $PATH")) TH_LOG("%s", self->out);
	EXPECT_TRUE(nothing_left(self));
}

TEST_F_TIMEOUT(engines, podman_exec_stop_rm, 300)
{
	struct brig_container_info info;
	char id[16];

	NEED_ENGINES();
	ASSERT_EQ(0, sh(self, PODMAN "run -d --name web --rootfs /rootfs/busybox sleep 1000"))
		TH_LOG("%s", self->out);
	ASSERT_TRUE(registered(self, podman_id(self, "web", id), &info)) TH_LOG("%s not registered", id);
	/* podman's default capabilities are the mask. */
	EXPECT_EQ(0, info.policy.caps & CAP_BIT(CAP_NET_RAW));
	EXPECT_NE(0, info.policy.caps & CAP_BIT(CAP_CHOWN));
	EXPECT_EQ(0, sh(self, PODMAN "exec web sh -c 'echo in the container; cat /proc/1/comm; ls /'"));
	EXPECT_NE(NULL, strstr(self->out, "in the container\nsleep\n")) TH_LOG("%s", self->out);
	/* The container's root, not the engines' (brig's tests and examples are there). */
	EXPECT_EQ(NULL, strstr(self->out, "examples")) TH_LOG("%s", self->out);
	EXPECT_EQ(5, sh(self, PODMAN "exec web sh -c 'exit 5'"));
	EXPECT_EQ(0, sh(self, PODMAN "ps --format '{{.Names}} {{.Status}}'"));
	EXPECT_NE(NULL, strstr(self->out, "web Up")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, PODMAN "stop -t 1 web")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, PODMAN "ps -a --format '{{.Names}} {{.Status}}'"));
	EXPECT_NE(NULL, strstr(self->out, "web Exited (137)")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, PODMAN "rm web")) TH_LOG("%s", self->out);
	EXPECT_TRUE(nothing_left(self));
}

TEST_F_TIMEOUT(engines, podman_pids_limit_is_brigs_exact_ceiling, 300)
{
	struct brig_container_info info;
	char id[16];

	NEED_ENGINES();
	ASSERT_EQ(0, sh(self, PODMAN "run -d --name bomb --pids-limit 6 --rootfs /rootfs/busybox sleep 1000"))
		TH_LOG("%s", self->out);
	ASSERT_TRUE(registered(self, podman_id(self, "bomb", id), &info));
	EXPECT_EQ(6, info.policy.pids_max);
	sh(self, PODMAN "exec bomb sh -c 'for i in 1 2 3 4 5 6 7 8; do sleep 1000 & done; wait'");
	ASSERT_TRUE(registered(self, id, &info));
	EXPECT_GE(6, info.tasks);
	EXPECT_LT(0, info.denials[BRIG_KIND_TASK]);
	EXPECT_EQ(0, sh(self, PODMAN "rm -f -t 0 bomb"));
	EXPECT_TRUE(nothing_left(self));
}

/* The seed's session, on podman: nginx.pol named by an annotation. */
TEST_F_TIMEOUT(engines, podman_with_nginx_pol_refuses_the_seeds_intruder, 300)
{
	struct brig_container_info info;
	char id[16];

	NEED_ENGINES();
	/*
	 * NET_RAW added and ICMP echo sockets closed (ping_group_range): only
	 * brig.ko stands between ping and its raw socket.
	 */
	ASSERT_EQ(0, sh(self, PODMAN "run -d --name web --cap-add NET_RAW "
			"--sysctl net.ipv4.ping_group_range='1 0' "
			"--annotation org.brig.policy=nginx --rootfs /rootfs/nginx "
			"/usr/sbin/nginx -g 'daemon off;'")) TH_LOG("%s", self->out);
	ASSERT_TRUE(registered(self, podman_id(self, "web", id), &info));
	EXPECT_NE(0, info.policy.dfa_states) TH_LOG("no file rules from nginx.pol");
	for (int i = 0; i < 50 && sh(self, PODMAN "exec web bash -c 'exec 3<>/dev/tcp/127.0.0.1/80'"); i++)
		usleep(200000);
	EXPECT_EQ(0, sh(self, PODMAN "exec web bash -c 'exec 3<>/dev/tcp/127.0.0.1/80; "
			"printf \"GET / HTTP/1.0\\r\\n\\r\\n\" >&3; cat <&3'"));
	EXPECT_NE(NULL, strstr(self->out, "HTTP/1.1 200 OK")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "<title>Welcome to nginx!</title>")) TH_LOG("%s", self->out);
	EXPECT_NE(0, sh(self, PODMAN "exec web ping -c 1 127.0.0.1"));
	EXPECT_NE(NULL, strstr(self->out, "ping: socket: Permission denied")) TH_LOG("%s", self->out);
	EXPECT_EQ(126, sh(self, PODMAN "exec web top -bn1"));
	EXPECT_NE(NULL, strstr(self->out, "ermission denied")) TH_LOG("%s", self->out);
	EXPECT_NE(0, sh(self, PODMAN "exec web touch /root/thing"));
	EXPECT_NE(NULL, strstr(self->out, "Permission denied")) TH_LOG("%s", self->out);
	EXPECT_NE(0, access(E "/rootfs/nginx/root/thing", F_OK));
	EXPECT_EQ(126, sh(self, PODMAN "exec web sh -c true"));
	ASSERT_TRUE(registered(self, id, &info));
	EXPECT_LT(0, info.denials[BRIG_KIND_FILE]);
	EXPECT_EQ(0, sh(self, PODMAN "exec web bash -c 'exec 3<>/dev/tcp/127.0.0.1/80; "
			"printf \"GET / HTTP/1.0\\r\\n\\r\\n\" >&3; head -1 <&3'"));
	EXPECT_NE(NULL, strstr(self->out, "200 OK")) TH_LOG("nginx no longer serves: %s", self->out);
	EXPECT_EQ(0, sh(self, PODMAN "rm -f -t 1 web"));
	EXPECT_TRUE(nothing_left(self));
}

/* A runtime in a chroot would leave the tree above in its containers' mount namespace. */
TEST_F_TIMEOUT(engines, a_chrooted_runtime_is_refused, 300)
{
	NEED_ENGINES();
	EXPECT_EQ(1, sh(self, "chroot " E " /usr/local/bin/brig-runtime run --bundle /nonexistent x; "
			"mkdir -p " E "/tmp/cb && cp -a /srv/rootfs " E "/tmp/cb/rootfs && "
			"chroot " E " /usr/local/bin/brig-runtime spec --bundle /tmp/cb && "
			"sed -i 's/\"terminal\": true/\"terminal\": false/' " E "/tmp/cb/config.json && "
			"chroot " E " /usr/local/bin/brig-runtime run --bundle /tmp/cb x"));
	EXPECT_NE(NULL, strstr(self->out, "brig-runtime runs in a chroot: a container's mount namespace would keep the tree above it"))
		TH_LOG("%s", self->out);
	EXPECT_TRUE(nothing_left(self));
}

TEST_F_TIMEOUT(engines, containerd_ctr_runs_on_brig, 300)
{
	struct brig_container_info info;

	NEED_ENGINES();
	ASSERT_EQ(0, sh(self, IN_E "sh -c 'containerd > /tmp/containerd.log 2>&1 &'"));
	for (int i = 0; i < 100 && sh(self, CTR "version"); i++)
		usleep(100000);
	ASSERT_EQ(0, sh(self, CTR "version")) TH_LOG("containerd does not answer: %s", self->out);
	EXPECT_EQ(4, sh(self, CTR_RUN "--rm --rootfs /rootfs/busybox c1 sh -c 'echo hello from ctr; exit 4'"));
	EXPECT_NE(NULL, strstr(self->out, "hello from ctr")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, CTR_RUN "-d --rootfs /rootfs/busybox c2 sleep 1000")) TH_LOG("%s", self->out);
	ASSERT_TRUE(registered(self, "c2", &info));
	EXPECT_EQ(0, sh(self, CTR "task exec --exec-id e1 c2 sh -c 'echo exec in ctr; exit 3'; test $? = 3"))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "exec in ctr")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, CTR "task ps c2"));
	EXPECT_NE(NULL, strstr(self->out, "PID")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, CTR "task kill -s KILL c2"));
	for (int i = 0; i < 50 && sh(self, CTR "task ls | grep -q 'c2.*STOPPED'"); i++)
		usleep(100000);
	EXPECT_EQ(0, sh(self, CTR "task delete c2")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, CTR "container delete c2")) TH_LOG("%s", self->out);
	EXPECT_TRUE(nothing_left(self));
}

TEST_HARNESS_MAIN
