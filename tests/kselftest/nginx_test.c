// SPDX-License-Identifier: GPL-2.0
/*
 * The seed's story, for real, as `make demo` tells it: Debian's nginx
 * (scripts/rootfs nginx; /srv/nginx in the VM, scripts/vm --disk nginx)
 * under examples/nginx.pol (/examples/nginx.pol), started with
 * `launch -d -p 8080:80`:
 *   - it answers 200 through the published port, from outside the container;
 *   - the intruder's ping, top, touch ~/thing and sh, each run by bash from
 *     `launch exec`, are refused in their own words, no file appears, and
 *     nginx still serves after each; every refusal is in `brigctl events`;
 *   - a default container's capabilities are Docker's (CapEff a80425fb),
 *     `caps drop ALL` + `caps add SYS_TIME` leaves SYS_TIME alone;
 *   - a fork bomb stops at the ceiling and the host goes on answering;
 *   - after `brigctl stop` nothing is left: no pasta, no interface, no
 *     run directory, no registration.
 * Without the disk, or without tun (the debug kernel) for the published
 * port, the tests that need them skip.
 */
#include "launch.h"

#define ROOT "/srv/nginx"
#define POL "/examples/nginx.pol"
#define RUN_NGINX LAUNCH " -d --policy " POL " --rootfs " ROOT " -p 8080:80"
/* busybox wget crashes with -T: timeout bounds it. */
#define FETCH "timeout 10 wget -S -O - http://127.0.0.1:8080/"
#define EXEC_BASH LAUNCH " exec nginx -- bash -c "
#define EVENTS "/tmp/nginx-events"
#define STATE_DIR_NGINX "/run/brig/nginx"

FIXTURE(nginx) {
	struct brig_nl *nl;
	char out[16384];
	pid_t events;		/* brigctl events nginx > EVENTS, or 0 */
};

FIXTURE_SETUP(nginx)
{
	if (access(ROOT "/usr/sbin/nginx", X_OK))
		SKIP(return, "no " ROOT ": the VM needs Debian's nginx root (scripts/vm --disk nginx)");
	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
}

FIXTURE_TEARDOWN(nginx)
{
	if (!self->nl)
		return;
	system(BRIGCTL " rm -f nginx bomb >/dev/null 2>&1");
	if (self->events > 0) {
		kill(self->events, SIGTERM);
		waitpid(self->events, NULL, 0);
	}
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

/* pasta needs tun, which the debug kernel lacks. */
#define NEED_TUN() do {								\
		if (access("/dev/net/tun", R_OK | W_OK))			\
			SKIP(return, "no /dev/net/tun on this kernel: pasta cannot publish"); \
	} while (0)

/* Fetches the page through the published port, retrying while nginx starts. */
static int fetch(char *out, size_t len)
{
	for (int i = 0; i < 100; i++) {
		if (!brig_sh(out, len, FETCH) && strstr(out, "200 OK"))
			return 0;
		usleep(100000);
	}
	return -1;
}

/* Starts nginx, detached, with port 8080 published, and waits until it answers. */
static int start_nginx(struct __test_metadata *const _metadata, FIXTURE_DATA(nginx) *self)
{
	int rc = brig_sh(self->out, sizeof(self->out), RUN_NGINX);

	if (rc) {
		TH_LOG("launch: %d: %s", rc, self->out);
		return -1;
	}
	if (fetch(self->out, sizeof(self->out))) {
		TH_LOG("no 200 from nginx: %s", self->out);
		return -1;
	}
	return 0;
}

/* `brigctl events nginx` into EVENTS, from now on. */
static void follow_events(FIXTURE_DATA(nginx) *self)
{
	unlink(EVENTS);
	self->events = fork();
	if (self->events == 0) {
		int fd = open(EVENTS, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(fd, 1);
		dup2(fd, 2);
		execl(BRIGCTL, "brigctl", "events", "nginx", NULL);
		_exit(127);
	}
	/* Subscribed before anything happens. */
	usleep(500000);
}

static void read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, len - 1, f) : 0;

	buf[n] = '\0';
	if (f)
		fclose(f);
}

TEST_F_TIMEOUT(nginx, serves_its_page_through_the_published_port, 300)
{
	NEED_TUN();
	ASSERT_EQ(0, start_nginx(_metadata, self));
	EXPECT_NE(NULL, strstr(self->out, "HTTP/1.1 200 OK")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "<title>Welcome to nginx!</title>")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "Server: nginx/")) TH_LOG("%s", self->out);
	/* The container's own view: nginx is its init, as the policy's command. */
	ASSERT_EQ(0, sh(self, EXEC_BASH "'read -r c < /proc/1/cmdline; echo \"$c\"'"))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "nginx")) TH_LOG("%s", self->out);
}

TEST_F_TIMEOUT(nginx, the_intruders_attempts_are_refused_and_nginx_serves_on, 300)
{
	static const struct {
		const char *what, *cmd, *message, *event;
		int code;
	} attempts[] = {
		{ "ping: its raw socket", "'ping -c 1 -W 1 127.0.0.1'",
		  "ping: socket: Permission denied", "socket", 2 },
		{ "top", "'top -b -n 1'", "/usr/bin/top: Permission denied", "/usr/bin/top", 126 },
		{ "touch ~/thing", "'touch ~/thing'",
		  "touch: cannot touch '/root/thing': Permission denied", "/root/thing", 1 },
		{ "sh", "'sh -c \"echo a shell\"'", "/usr/bin/sh: Permission denied",
		  "/usr/bin/dash", 126 },
	};
	char events[16384];

	NEED_TUN();
	follow_events(self);
	ASSERT_EQ(0, start_nginx(_metadata, self));
	for (size_t i = 0; i < sizeof(attempts) / sizeof(attempts[0]); i++) {
		int rc = sh(self, EXEC_BASH "%s", attempts[i].cmd);

		EXPECT_EQ(attempts[i].code, rc) TH_LOG("%s: %s", attempts[i].what, self->out);
		EXPECT_NE(NULL, strstr(self->out, attempts[i].message))
			TH_LOG("%s: %s", attempts[i].what, self->out);
		EXPECT_EQ(0, fetch(self->out, sizeof(self->out)))
			TH_LOG("nginx after %s: %s", attempts[i].what, self->out);
	}
	/* No file appeared, in the container's root or seen from inside. */
	EXPECT_NE(0, access(ROOT "/root/thing", F_OK));
	EXPECT_EQ(0, sh(self, EXEC_BASH "'test ! -e /root/thing'")) TH_LOG("%s", self->out);
	/* And bash itself, what the intruder holds, still runs. */
	EXPECT_EQ(0, sh(self, EXEC_BASH "'echo still here'")) TH_LOG("%s", self->out);
	usleep(500000);
	read_file(EVENTS, events, sizeof(events));
	for (size_t i = 0; i < sizeof(attempts) / sizeof(attempts[0]); i++) {
		EXPECT_NE(NULL, strstr(events, attempts[i].event))
			TH_LOG("no event for %s in:\n%s", attempts[i].what, events);
	}
}

TEST_F_TIMEOUT(nginx, capability_sets_are_the_seeds, 300)
{
	ASSERT_EQ(0, sh(self, LAUNCH " --policy /examples/default.pol --rootfs " ROOT
			" -- cat /proc/self/status")) TH_LOG("%s", self->out);
	EXPECT_EQ(0xa80425fbULL, status_hex(self->out, "CapEff:")) TH_LOG("%s", self->out);
	EXPECT_EQ(0xa80425fbULL, status_hex(self->out, "CapBnd:"));
	ASSERT_EQ(0, sh(self, LAUNCH " --policy /examples/sys-time.pol --rootfs " ROOT
			" -- cat /proc/self/status")) TH_LOG("%s", self->out);
	EXPECT_EQ(CAP_BIT(CAP_SYS_TIME), status_hex(self->out, "CapEff:")) TH_LOG("%s", self->out);
	EXPECT_EQ(CAP_BIT(CAP_SYS_TIME), status_hex(self->out, "CapBnd:"));
}

/* nginx.pol's `pids max 64`: a fork bomb in it stops there; the host answers. */
TEST_F_TIMEOUT(nginx, a_fork_bomb_stops_at_the_ceiling, 300)
{
	struct brig_container_info info;
	struct brig_error *err = NULL;
	uint32_t most = 0;

	ASSERT_EQ(0, sh(self, LAUNCH " -d --policy " POL " --rootfs " ROOT)) TH_LOG("%s", self->out);
	ASSERT_LT(0, wait_running(self->nl, "nginx"));
	ASSERT_EQ(0, sh(self, "(" EXEC_BASH "'b() { b | b & }; b' > /dev/null 2>&1 &)"));
	/*
	 * Watch until the ceiling has refused a fork, or 120 s: the debug
	 * kernel under emulation takes many seconds to fork 64 bashes.
	 */
	for (int i = 0; i < 1200; i++) {
		ASSERT_EQ(0, brig_nl_get(self->nl, 0, "nginx", &info, &err));
		if (info.tasks > most)
			most = info.tasks;
		if (most == 64 && info.denials[BRIG_KIND_TASK] > 0)
			break;
		usleep(100000);
	}
	EXPECT_EQ(64, most) TH_LOG("the bomb reached %u tasks", most);
	EXPECT_LT(0, info.denials[BRIG_KIND_TASK]) TH_LOG("no fork was refused at the ceiling");
	/* The host, meanwhile, runs what it is asked to. */
	EXPECT_EQ(0, sh(self, "echo responsive")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, BRIGCTL " ps")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "nginx")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, BRIGCTL " stop nginx -t 1")) TH_LOG("%s", self->out);
}

TEST_F_TIMEOUT(nginx, nothing_is_left_after_brigctl_stop, 300)
{
	char links_before[4096], links_after[4096];
	struct brig_container_info info;
	struct brig_error *err = NULL;

	NEED_TUN();
	ASSERT_EQ(0, brig_sh(links_before, sizeof(links_before), "ip -o link | cut -d: -f2"));
	ASSERT_EQ(0, start_nginx(_metadata, self));
	ASSERT_EQ(0, sh(self, "pidof passt.avx2 passt pasta")) TH_LOG("no pasta runs: %s", self->out);
	ASSERT_EQ(0, access(STATE_DIR_NGINX, F_OK));
	ASSERT_EQ(0, sh(self, BRIGCTL " stop nginx -t 2")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	EXPECT_NE(0, brig_nl_get(self->nl, 0, "nginx", &info, &err));
	brig_error_free(&err);
	EXPECT_NE(0, sh(self, "pidof passt.avx2 passt pasta")) TH_LOG("pasta is left: %s", self->out);
	EXPECT_NE(0, access(STATE_DIR_NGINX, F_OK)) TH_LOG("the run directory is left");
	EXPECT_NE(0, access(STATE_DIR_NGINX ".lock", F_OK)) TH_LOG("the name's lock is left");
	ASSERT_EQ(0, brig_sh(links_after, sizeof(links_after), "ip -o link | cut -d: -f2"));
	EXPECT_STREQ(links_before, links_after);
	/* Nothing listens on the port any more. */
	EXPECT_NE(0, sh(self, FETCH));
}

/* A host port below 1024 needs a privilege pasta does not hold: refused, in words. */
TEST_F_TIMEOUT(nginx, a_privileged_host_port_is_refused_in_words, 300)
{
	NEED_TUN();
	EXPECT_EQ(125, sh(self, LAUNCH " -d --policy " POL " --rootfs " ROOT " -p 80:80"));
	EXPECT_NE(NULL, strstr(self->out, "cannot publish host port 80: ports below 1024 (net.ipv4.ip_unprivileged_port_start)"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	EXPECT_EQ(0, sh(self, BRIGCTL " ps -a"));
	EXPECT_EQ(NULL, strstr(self->out, "nginx")) TH_LOG("%s", self->out);
}

/* A host port in use: pasta's own words, and nothing started or kept. */
TEST_F_TIMEOUT(nginx, a_port_in_use_is_refused_and_leaves_nothing, 300)
{
	pid_t holder;

	NEED_TUN();
	holder = fork();
	if (holder == 0) {
		execlp("nc", "nc", "-l", "-p", "8080", NULL);
		_exit(127);
	}
	usleep(500000);
	EXPECT_EQ(125, sh(self, RUN_NGINX));
	EXPECT_NE(NULL, strstr(self->out, "publishing ports: pasta exited (1): Failed to bind any port for '-t 8080:80'"))
		TH_LOG("%s", self->out);
	kill(holder, SIGKILL);
	waitpid(holder, NULL, 0);
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	EXPECT_EQ(0, sh(self, BRIGCTL " ps -a"));
	EXPECT_EQ(NULL, strstr(self->out, "nginx")) TH_LOG("%s", self->out);
	EXPECT_NE(0, sh(self, "pidof passt.avx2 passt pasta")) TH_LOG("pasta is left: %s", self->out);
	EXPECT_NE(0, access(STATE_DIR_NGINX, F_OK));
}

TEST_HARNESS_MAIN
