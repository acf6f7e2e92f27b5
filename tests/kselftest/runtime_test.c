// SPDX-License-Identifier: GPL-2.0
/*
 * brig-runtime as runc's callers use it, in the VM: the runtime-spec
 * lifecycle and its MUSTs (create holds the init until start; state;
 * kill; delete; the errors in runc's words), the pid file, the console
 * socket, the hooks' order and the state they get, the task ceiling from
 * pids.limit, a cgroup, the brig policy of an annotation, and bad bundles
 * that leave nothing behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/vfs.h>
#include <sys/xattr.h>
#include <linux/magic.h>

#include "kselftest_harness.h"
#include "launch.h"

#define RT "/usr/bin/brig-runtime"
#define B "/tmp/rt"			/* the bundle */
#define ROOTFS B "/rootfs"
#define STATE "/run/brig-runtime"

/*
 * The config: %s the args (JSON strings), %s terminal, %s more of process,
 * %s more of the top level, %s more of linux.
 */
static const char config_fmt[] =
	"{ \"ociVersion\": \"1.0.2\",\n"
	"  \"process\": { \"terminal\": %s, \"user\": { \"uid\": 0, \"gid\": 0 },\n"
	"    \"args\": [ %s ], \"cwd\": \"/\",\n"
	"    \"env\": [ \"PATH=/bin:/sbin:/usr/bin\" ],\n"
	"    \"capabilities\": { \"bounding\": [ \"CAP_KILL\", \"CAP_CHOWN\", \"CAP_SETUID\", \"CAP_SETGID\" ],\n"
	"      \"effective\": [ \"CAP_KILL\", \"CAP_CHOWN\", \"CAP_SETUID\", \"CAP_SETGID\" ],\n"
	"      \"permitted\": [ \"CAP_KILL\", \"CAP_CHOWN\", \"CAP_SETUID\", \"CAP_SETGID\" ] },\n"
	"    \"noNewPrivileges\": true %s },\n"
	"  \"root\": { \"path\": \"rootfs\" },\n"
	"  \"hostname\": \"rt\",\n"
	"  \"mounts\": [\n"
	"    { \"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\" },\n"
	"    { \"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": [ \"nosuid\", \"mode=755\" ] },\n"
	"    { \"destination\": \"/dev/pts\", \"type\": \"devpts\", \"source\": \"devpts\",\n"
	"      \"options\": [ \"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\", \"mode=0620\" ] },\n"
	"    { \"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\", \"options\": [ \"ro\", \"nosuid\", \"nodev\", \"noexec\" ] }\n"
	"  ] %s,\n"
	"  \"linux\": {\n"
	"    \"namespaces\": [ { \"type\": \"pid\" }, { \"type\": \"mount\" }, { \"type\": \"ipc\" },\n"
	"                    { \"type\": \"uts\" }, { \"type\": \"network\" }, { \"type\": \"user\" } ],\n"
	"    \"uidMappings\": [ { \"containerID\": 0, \"hostID\": 100000, \"size\": 65536 } ],\n"
	"    \"gidMappings\": [ { \"containerID\": 0, \"hostID\": 100000, \"size\": 65536 } ],\n"
	"    \"maskedPaths\": [ \"/proc/kcore\" ], \"readonlyPaths\": [ \"/proc/sys\" ] %s\n"
	"  }\n"
	"}\n";

struct config {
	const char *args, *terminal, *process, *top, *linux_more;
};

static int write_config(const struct config *c)
{
	FILE *f = fopen(B "/config.json", "w");

	if (!f)
		return -1;
	fprintf(f, config_fmt, c->terminal ? c->terminal : "false",
		c->args ? c->args : "\"sleep\", \"1000\"", c->process ? c->process : "",
		c->top ? c->top : "", c->linux_more ? c->linux_more : "");
	return fclose(f);
}

FIXTURE(runtime) {
	struct brig_nl *nl;
	char out[16384];
};

FIXTURE_SETUP(runtime)
{
	struct statfs fs;

	/* The policy folder the annotation names policies in. */
	ASSERT_EQ(0, system("mkdir -p /etc/brig"));
	ASSERT_EQ(0, system("rm -rf " B " " STATE " && mkdir -p " B " && cp -a /srv/rootfs " ROOTFS
			    " && chown -R 100000:100000 " ROOTFS));
	if (statfs("/sys/fs/cgroup", &fs) || fs.f_type != CGROUP2_SUPER_MAGIC)
		ASSERT_EQ(0, mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL));
	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
	ASSERT_EQ(0, write_config(&(struct config){ 0 }));
}

FIXTURE_TEARDOWN(runtime)
{
	char ids[4096] = "";

	/* Whatever a failed test left: killed and deleted, as podman rm -f does. */
	if (!brig_sh(ids, sizeof(ids), "ls " STATE " 2>/dev/null")) {
		for (char *id = strtok(ids, "\n"); id; id = strtok(NULL, "\n"))
			brig_sh(self->out, sizeof(self->out), RT " delete --force %s", id);
	}
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

#define sh(self, ...) brig_sh((self)->out, sizeof((self)->out), __VA_ARGS__)

/*
 * brig-runtime @globals create @flags @id, as conmon runs it: the held
 * container keeps its stdio (B/ID.out here, not the pipe sh reads); the
 * runtime's own words in self->out.
 */
static int rt_create(FIXTURE_DATA(runtime) *self, const char *globals, const char *flags,
		     const char *id)
{
	return sh(self, RT " %s create --bundle " B " %s %s < /dev/null > " B "/%s.out 2>&1; rc=$?; cat "
		  B "/%s.out; exit $rc", globals, flags, id, id, id);
}

/* The value of "KEY": in the state JSON of @id (a string's or a number's), into @buf. */
static const char *state_field(FIXTURE_DATA(runtime) *self, const char *id, const char *key,
			       char *buf, size_t len)
{
	char pattern[64];
	const char *p;

	buf[0] = '\0';
	if (sh(self, RT " state %s", id))
		return buf;
	snprintf(pattern, sizeof(pattern), "\"%s\": ", key);
	p = strstr(self->out, pattern);
	if (!p)
		return buf;
	p += strlen(pattern);
	if (*p == '"')
		p++;
	snprintf(buf, len, "%.*s", (int)strcspn(p, "\",\n"), p);
	return buf;
}

static bool registered(FIXTURE_DATA(runtime) *self, const char *id,
		       struct brig_container_info *info)
{
	struct brig_error *err = NULL;
	bool yes = !brig_nl_get(self->nl, 0, id, info, &err);

	brig_error_free(&err);
	return yes;
}

/* Nothing of @id left: no record, no registration. */
static bool nothing_left(FIXTURE_DATA(runtime) *self, const char *id)
{
	struct brig_container_info info;
	char path[128];

	snprintf(path, sizeof(path), STATE "/%s", id);
	return access(path, F_OK) && !registered(self, id, &info);
}

TEST_F_TIMEOUT(runtime, create_holds_the_init_until_start, 120)
{
	struct brig_container_info info;
	char status[32], pid[32], file[64] = "";
	int fd;
	ssize_t n;

	ASSERT_EQ(0, write_config(&(struct config){
		.args = "\"sh\", \"-c\", \"echo started > /started; exec sleep 1000\"" }));
	ASSERT_EQ(0, rt_create(self, "", "--pid-file " B "/pid", "t1")) TH_LOG("%s", self->out);
	EXPECT_STREQ("", self->out) TH_LOG("create prints nothing, as runc");
	EXPECT_STREQ("created", state_field(self, "t1", "status", status, sizeof(status)));
	/* The pid file: the init's pid, decimal, no newline (go-runc parses it with Atoi). */
	fd = open(B "/pid", O_RDONLY);
	ASSERT_LE(0, fd);
	n = read(fd, file, sizeof(file) - 1);
	close(fd);
	ASSERT_LT(0, n);
	EXPECT_EQ(NULL, strchr(file, '\n'));
	EXPECT_STREQ(file, state_field(self, "t1", "pid", pid, sizeof(pid)));
	/* Registered before any of the container's own code ran, the mask the bounding set. */
	ASSERT_TRUE(registered(self, "t1", &info));
	EXPECT_EQ((uint32_t)atoi(file), info.init_pid);
	EXPECT_EQ(CAP_BIT(CAP_KILL) | CAP_BIT(CAP_CHOWN) | CAP_BIT(CAP_SETUID) | CAP_BIT(CAP_SETGID),
		  info.policy.caps);
	usleep(300000);
	EXPECT_NE(0, access(ROOTFS "/started", F_OK)) TH_LOG("the process ran before start");
	ASSERT_EQ(0, sh(self, RT " start t1")) TH_LOG("%s", self->out);
	for (int i = 0; i < 50 && access(ROOTFS "/started", F_OK); i++)
		usleep(100000);
	EXPECT_EQ(0, access(ROOTFS "/started", F_OK));
	EXPECT_STREQ("running", state_field(self, "t1", "status", status, sizeof(status)));
	EXPECT_EQ(0, sh(self, RT " ps --format json t1"));
	EXPECT_NE(NULL, strstr(self->out, file)) TH_LOG("ps: %s", self->out);
	EXPECT_EQ(0, sh(self, RT " kill t1 KILL")) TH_LOG("%s", self->out);
	for (int i = 0; i < 50 && strcmp(state_field(self, "t1", "status", status, sizeof(status)), "stopped"); i++)
		usleep(100000);
	EXPECT_STREQ("stopped", status);
	EXPECT_STREQ("0", state_field(self, "t1", "pid", pid, sizeof(pid)));
	EXPECT_EQ(0, sh(self, RT " delete t1")) TH_LOG("%s", self->out);
	EXPECT_TRUE(nothing_left(self, "t1"));
}

TEST_F_TIMEOUT(runtime, errors_are_runcs_words, 120)
{
	char status[32];

	EXPECT_EQ(1, sh(self, RT " state nosuch"));
	EXPECT_NE(NULL, strstr(self->out, "container does not exist")) TH_LOG("%s", self->out);
	EXPECT_EQ(1, sh(self, RT " start nosuch"));
	EXPECT_NE(NULL, strstr(self->out, "container does not exist"));
	EXPECT_EQ(1, sh(self, RT " kill nosuch 9"));
	EXPECT_NE(NULL, strstr(self->out, "container does not exist"));
	EXPECT_EQ(1, sh(self, RT " delete nosuch"));
	EXPECT_NE(NULL, strstr(self->out, "container does not exist"));
	EXPECT_EQ(0, sh(self, RT " delete --force nosuch")) TH_LOG("%s", self->out);

	ASSERT_EQ(0, rt_create(self, "", "", "t2")) TH_LOG("%s", self->out);
	EXPECT_EQ(1, rt_create(self, "", "", "t2"));
	EXPECT_NE(NULL, strstr(self->out, "container with given ID already exists")) TH_LOG("%s", self->out);
	EXPECT_EQ(1, sh(self, RT " kill t2 NOSUCHSIG"));
	EXPECT_NE(NULL, strstr(self->out, "unknown signal \"NOSUCHSIG\"")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, RT " start t2"));
	EXPECT_EQ(1, sh(self, RT " start t2"));
	EXPECT_NE(NULL, strstr(self->out, "cannot start an already running container")) TH_LOG("%s", self->out);
	EXPECT_EQ(1, sh(self, RT " delete t2"));
	EXPECT_NE(NULL, strstr(self->out, "cannot delete container t2 that is not stopped: running"))
		TH_LOG("%s", self->out);
	/* SIGTERM, runc's default: a pid namespace's init ignores what it does not handle. */
	EXPECT_EQ(0, sh(self, RT " kill t2"));
	EXPECT_EQ(0, sh(self, RT " kill t2 SIGKILL"));
	for (int i = 0; i < 50 && strcmp(state_field(self, "t2", "status", status, sizeof(status)),
					 "stopped"); i++)
		usleep(100000);
	EXPECT_EQ(1, sh(self, RT " kill t2 TERM"));
	EXPECT_NE(NULL, strstr(self->out, "container not running")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, RT " kill --all t2 TERM")) TH_LOG("--all on a stopped one: runc's success");
	EXPECT_EQ(1, sh(self, RT " start t2"));
	EXPECT_NE(NULL, strstr(self->out, "cannot start a container that has stopped"));
	EXPECT_EQ(0, sh(self, RT " delete t2"));
	EXPECT_TRUE(nothing_left(self, "t2"));
	/* Flags as podman and runc spell them. */
	EXPECT_EQ(1, rt_create(self, "--systemd-cgroup", "", "t3"));
	EXPECT_NE(NULL, strstr(self->out, "--systemd-cgroup is not supported")) TH_LOG("%s", self->out);
	EXPECT_EQ(1, rt_create(self, "", "--bogus", "t3"));
	EXPECT_NE(NULL, strstr(self->out, "unknown option --bogus")) TH_LOG("%s", self->out);
	EXPECT_TRUE(nothing_left(self, "t3"));
}

TEST_F_TIMEOUT(runtime, delete_kills_a_created_container_and_force_a_running_one, 120)
{
	struct brig_container_info info;
	char pid[32];
	int p;

	ASSERT_EQ(0, rt_create(self, "--log " B "/log.json --log-format=json", "", "t4"));
	p = atoi(state_field(self, "t4", "pid", pid, sizeof(pid)));
	ASSERT_LT(0, p);
	EXPECT_EQ(0, sh(self, RT " delete t4")) TH_LOG("%s", self->out);
	EXPECT_NE(0, kill(p, 0)) TH_LOG("the held init lives on");
	EXPECT_TRUE(nothing_left(self, "t4"));

	ASSERT_EQ(0, sh(self, RT " create -b=" B " t5 < /dev/null > /dev/null 2>&1 && " RT " start t5"));
	ASSERT_TRUE(registered(self, "t5", &info));
	EXPECT_EQ(0, sh(self, RT " delete --force t5")) TH_LOG("%s", self->out);
	EXPECT_TRUE(nothing_left(self, "t5"));
	/* Errors went to --log as JSON lines too. */
	EXPECT_EQ(1, sh(self, RT " --log " B "/log.json --log-format json state t5"));
	EXPECT_EQ(0, sh(self, "cat " B "/log.json"));
	EXPECT_NE(NULL, strstr(self->out, "{\"level\":\"error\",\"msg\":\"container does not exist\",\"time\":\""))
		TH_LOG("%s", self->out);
}

TEST_F_TIMEOUT(runtime, run_returns_the_exit_code, 120)
{
	ASSERT_EQ(0, write_config(&(struct config){ .args = "\"sh\", \"-c\", \"echo out; exit 3\"" }));
	EXPECT_EQ(3, sh(self, RT " run --bundle " B " t6"));
	EXPECT_NE(NULL, strstr(self->out, "out")) TH_LOG("%s", self->out);
	EXPECT_TRUE(nothing_left(self, "t6"));
}

/* An OCI image layout as the bundle's root (org.brig.image), its process the config's. */
TEST_F_TIMEOUT(runtime, an_image_annotation_gives_the_root, 180)
{
	static const char no_path[] =
		"sed -i 's/\"root\": { \"path\": \"rootfs\" }/\"root\": { \"readonly\": false }/' "
		B "/config.json";

	if (access("/srv/nginx-image/index.json", R_OK))
		SKIP(return, "no /srv/nginx-image (scripts/vm --disk nginx-image)");
	ASSERT_EQ(0, system("rm -rf " B "/img /tmp/rt-cache && cp -a /srv/nginx-image " B "/img"));
	ASSERT_EQ(0, write_config(&(struct config){
		.args = "\"sh\", \"-c\", \"cat /var/www/html/index.html; pwd; test -e /usr/bin/top || echo top-gone\"",
		.top = ", \"annotations\": { \"org.brig.image\": \"img:nginx\" }" }));
	ASSERT_EQ(0, system(no_path));
	EXPECT_EQ(0, sh(self, "BRIG_LAYER_CACHE=/tmp/rt-cache " RT " run --bundle " B " t20"))
		TH_LOG("%s", self->out);
	/* The image's files; the config's cwd, not the image's WorkingDir. */
	EXPECT_NE(NULL, strstr(self->out, "brig image\n/\ntop-gone")) TH_LOG("%s", self->out);
	EXPECT_TRUE(nothing_left(self, "t20"));
	/* A root.path beside it names two roots. */
	ASSERT_EQ(0, write_config(&(struct config){
		.top = ", \"annotations\": { \"org.brig.image\": \"img:nginx\" }" }));
	EXPECT_EQ(1, sh(self, "BRIG_LAYER_CACHE=/tmp/rt-cache " RT " run --bundle " B " t20"));
	EXPECT_NE(NULL, strstr(self->out, "no root.path with it")) TH_LOG("%s", self->out);
	/* Content trust with no trust policy: refused before anything runs. */
	ASSERT_EQ(0, write_config(&(struct config){
		.top = ", \"annotations\": { \"org.brig.image\": \"img:nginx\" }" }));
	ASSERT_EQ(0, system(no_path));
	EXPECT_EQ(1, sh(self, "BRIG_CONTENT_TRUST=1 BRIG_TRUST_POLICY=/tmp/none.json "
			"BRIG_LAYER_CACHE=/tmp/rt-cache " RT " run --bundle " B " t20"));
	EXPECT_NE(NULL, strstr(self->out, "no trust policy /tmp/none.json")) TH_LOG("%s", self->out);
	EXPECT_TRUE(nothing_left(self, "t20"));
}

TEST_F_TIMEOUT(runtime, a_missing_program_fails_create_and_leaves_nothing, 120)
{
	/* docker's 127 (runc says 1): podman run's own exit code is 127 for it. */
	ASSERT_EQ(0, write_config(&(struct config){ .args = "\"nosuchprogram\"" }));
	EXPECT_EQ(127, rt_create(self, "", "", "t7"));
	EXPECT_NE(NULL, strstr(self->out, "exec: \"nosuchprogram\": executable file not found in $PATH"))
		TH_LOG("%s", self->out);
	EXPECT_TRUE(nothing_left(self, "t7"));
}

/* A console socket as conmon's: one connection, the pty master by SCM_RIGHTS. */
TEST_F_TIMEOUT(runtime, the_console_socket_gets_the_pty_master, 120)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX, .sun_path = B "/console.sock" };
	char name[64] = "", control[CMSG_SPACE(sizeof(int))], buf[256] = "";
	struct iovec iov = { .iov_base = name, .iov_len = sizeof(name) - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
			      .msg_controllen = sizeof(control) };
	struct cmsghdr *cmsg;
	int sock, conn, master = -1;
	size_t got = 0;

	EXPECT_EQ(1, rt_create(self, "", "--console-socket " B "/x.sock", "t8"));
	EXPECT_NE(NULL, strstr(self->out, "cannot use console socket if brig-runtime will not detach or allocate tty"))
		TH_LOG("%s", self->out);
	ASSERT_EQ(0, write_config(&(struct config){ .terminal = "true",
		.args = "\"sh\", \"-c\", \"tty; echo on-the-pty; sleep 1000\"" }));
	EXPECT_EQ(1, rt_create(self, "", "", "t8"));
	EXPECT_NE(NULL, strstr(self->out, "cannot allocate tty if brig-runtime will detach without setting console socket"))
		TH_LOG("%s", self->out);
	EXPECT_TRUE(nothing_left(self, "t8"));

	sock = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_EQ(0, bind(sock, (struct sockaddr *)&addr, sizeof(addr)));
	ASSERT_EQ(0, listen(sock, 1));
	ASSERT_EQ(0, rt_create(self, "", "--console-socket " B "/console.sock", "t8"))
		TH_LOG("%s", self->out);
	conn = accept(sock, NULL, NULL);
	ASSERT_LE(0, conn);
	ASSERT_LT(0, recvmsg(conn, &msg, 0));
	EXPECT_STREQ("/dev/ptmx", name);
	cmsg = CMSG_FIRSTHDR(&msg);
	ASSERT_NE(NULL, cmsg);
	ASSERT_EQ(SCM_RIGHTS, cmsg->cmsg_type);
	ASSERT_EQ(CMSG_LEN(sizeof(int)), cmsg->cmsg_len);
	memcpy(&master, CMSG_DATA(cmsg), sizeof(int));
	EXPECT_TRUE(isatty(master));
	ASSERT_EQ(0, sh(self, RT " start t8"));
	while (got < sizeof(buf) - 1 && !strstr(buf, "on-the-pty")) {
		struct pollfd pfd = { .fd = master, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 10000) <= 0)
			break;
		n = read(master, buf + got, sizeof(buf) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	EXPECT_NE(NULL, strstr(buf, "/dev/pts/0")) TH_LOG("the container's terminal: %s", buf);
	EXPECT_NE(NULL, strstr(buf, "on-the-pty")) TH_LOG("%s", buf);
	close(master);
	close(conn);
	close(sock);
	EXPECT_EQ(0, sh(self, RT " delete --force t8"));
}

/* Each hook appends its name and the state it was given; they run in runtime-spec's order. */
TEST_F_TIMEOUT(runtime, hooks_run_in_order_with_the_state_on_stdin, 120)
{
	static const char hook[] = "#!/bin/sh\nread -r state\necho \"$1 $state\" >> \"$2\"\n";
	char pid[32], want[64];
	FILE *f;
	char top[2048];

	f = fopen(B "/hook", "w");
	ASSERT_NE(NULL, f);
	fputs(hook, f);
	fclose(f);
	ASSERT_EQ(0, system("chmod 755 " B "/hook && cp " B "/hook " ROOTFS "/hook && "
			    ": > " B "/hooks.log && chmod 666 " B "/hooks.log && "
			    "mkdir -p " ROOTFS "/log && : > " ROOTFS "/log/hooks.log && chown -R 100000:100000 " ROOTFS "/log"));
#define HOOK(name, log) "{ \"path\": \"" B "/hook\", \"args\": [ \"hook\", \"" name "\", \"" log "\" ] }"
	snprintf(top, sizeof(top), ", \"hooks\": { "
		 "\"prestart\": [ " HOOK("prestart", B "/hooks.log") " ], "
		 "\"createRuntime\": [ " HOOK("createRuntime", B "/hooks.log") " ], "
		 "\"createContainer\": [ " HOOK("createContainer", B "/hooks.log") " ], "
		 "\"startContainer\": [ { \"path\": \"/hook\", \"args\": [ \"hook\", \"startContainer\", \"/log/hooks.log\" ] } ], "
		 "\"poststart\": [ " HOOK("poststart", B "/hooks.log") " ], "
		 "\"poststop\": [ " HOOK("poststop", B "/hooks.log") " ] }, "
		 "\"annotations\": { \"org.example\": \"yes\" }");
	ASSERT_EQ(0, write_config(&(struct config){ .top = top }));
	ASSERT_EQ(0, rt_create(self, "", "", "t9")) TH_LOG("%s", self->out);
	state_field(self, "t9", "pid", pid, sizeof(pid));
	ASSERT_EQ(0, sh(self, "cat " B "/hooks.log"));
	EXPECT_EQ(0, strncmp(self->out, "prestart ", 9)) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "\ncreateRuntime ")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "\ncreateContainer ")) TH_LOG("%s", self->out);
	EXPECT_EQ(NULL, strstr(self->out, "poststart"));
	snprintf(want, sizeof(want), "\"status\":\"creating\",\"pid\":%s,", pid);
	EXPECT_NE(NULL, strstr(self->out, want)) TH_LOG("%s: %s", want, self->out);
	EXPECT_NE(NULL, strstr(self->out, "\"id\":\"t9\"")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "\"bundle\":\"" B "\"")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "\"annotations\":{\"org.example\":\"yes\"}")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, RT " start t9")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, "cat " B "/hooks.log"));
	EXPECT_NE(NULL, strstr(self->out, "\npoststart ")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "\"status\":\"running\"")) TH_LOG("%s", self->out);
	for (int i = 0; i < 50 && sh(self, "grep -q startContainer " ROOTFS "/log/hooks.log"); i++)
		usleep(100000);
	EXPECT_EQ(0, sh(self, "cat " ROOTFS "/log/hooks.log"));
	EXPECT_EQ(0, strncmp(self->out, "startContainer ", 15)) TH_LOG("in the container: %s", self->out);
	EXPECT_EQ(0, sh(self, RT " delete --force t9"));
	ASSERT_EQ(0, sh(self, "cat " B "/hooks.log"));
	EXPECT_NE(NULL, strstr(self->out, "\npoststop ")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "\"status\":\"stopped\"")) TH_LOG("%s", self->out);
	EXPECT_TRUE(nothing_left(self, "t9"));
}

TEST_F_TIMEOUT(runtime, a_failing_hook_fails_create_and_leaves_nothing, 120)
{
	ASSERT_EQ(0, write_config(&(struct config){
		.top = ", \"hooks\": { \"createRuntime\": [ { \"path\": \"/bin/false\" } ] }" }));
	EXPECT_EQ(1, rt_create(self, "", "", "t10"));
	EXPECT_NE(NULL, strstr(self->out, "createRuntime hook /bin/false: exit status 1")) TH_LOG("%s", self->out);
	EXPECT_TRUE(nothing_left(self, "t10"));
}

/* linux.resources.pids.limit is brig.ko's exact ceiling; the cgroup gets its limits too. */
TEST_F_TIMEOUT(runtime, pids_limit_is_the_exact_ceiling_and_the_cgroup_is_made, 180)
{
	struct brig_container_info info;
	char pid[32];

	ASSERT_EQ(0, write_config(&(struct config){
		.args = "\"sh\", \"-c\", \"(for i in 1 2 3 4 5 6 7 8; do sleep 1000 & done); exec sleep 1000\"",
		.linux_more = ", \"cgroupsPath\": \"/brigtest/t11\", \"resources\": { \"pids\": { \"limit\": 5 }, "
			      "\"memory\": { \"limit\": 67108864 }, \"cpu\": { \"shares\": 512 } }" }));
	ASSERT_EQ(0, rt_create(self, "", "", "t11")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, RT " start t11")) TH_LOG("%s", self->out);
	ASSERT_TRUE(registered(self, "t11", &info));
	EXPECT_EQ(5, info.policy.pids_max);
	/* The init, a subshell and three sleeps: the fourth is refused; the subshell goes. */
	for (int i = 0; i < 100 && (!info.denials[BRIG_KIND_TASK] || info.tasks != 4); i++) {
		usleep(100000);
		ASSERT_TRUE(registered(self, "t11", &info)) {
			sh(self, "cat " B "/t11.out");
			TH_LOG("the container is gone: %s", self->out);
		}
	}
	EXPECT_EQ(4, info.tasks);
	EXPECT_LT(0, info.denials[BRIG_KIND_TASK]);
	EXPECT_EQ(0, sh(self, "cat /sys/fs/cgroup/brigtest/t11/pids.max /sys/fs/cgroup/brigtest/t11/memory.max "
			      "/sys/fs/cgroup/brigtest/t11/cpu.weight"));
	EXPECT_STREQ("5\n67108864\n20\n", self->out);
	state_field(self, "t11", "pid", pid, sizeof(pid));
	EXPECT_EQ(0, sh(self, "grep -qx %s /sys/fs/cgroup/brigtest/t11/cgroup.procs", pid))
		TH_LOG("the init is not in its cgroup");
	EXPECT_EQ(0, sh(self, RT " delete --force t11")) TH_LOG("%s", self->out);
	EXPECT_NE(0, access("/sys/fs/cgroup/brigtest/t11", F_OK)) TH_LOG("the cgroup is left");
	EXPECT_TRUE(nothing_left(self, "t11"));
}

/* org.brig.policy: a .pol's file and socket rules on an OCI container. */
TEST_F_TIMEOUT(runtime, an_annotated_policy_is_enforced, 120)
{
	struct brig_container_info info;
	FILE *f = fopen("/etc/brig/web.pol", "w");

	ASSERT_NE(NULL, f);
	fputs("name web\ndeny /etc/passwd r\ndeny network raw\n", f);
	fclose(f);
	/* CAP_NET_RAW in the bounding set: only brig.ko stands between it and a raw socket. */
	ASSERT_EQ(0, write_config(&(struct config){
		.args = "\"sh\", \"-c\", \"cat /etc/passwd; echo cat=$?; ping -c1 -W1 127.0.0.1; echo ping=$?; exec sleep 1000\"",
		.top = ", \"annotations\": { \"org.brig.policy\": \"web\" }" }));
	ASSERT_EQ(0, system("sed -i 's/\\[ \"CAP_KILL\"/[ \"CAP_NET_RAW\", \"CAP_KILL\"/g' " B "/config.json"));
	ASSERT_EQ(0, rt_create(self, "", "", "t12")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, RT " start t12"));
	for (int i = 0; i < 100 && sh(self, "grep -q ping= " B "/t12.out"); i++)
		usleep(100000);
	EXPECT_EQ(0, sh(self, "cat " B "/t12.out"));
	EXPECT_NE(NULL, strstr(self->out, "cat=1")) TH_LOG("%s", self->out);
	EXPECT_EQ(NULL, strstr(self->out, "root:x:0")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "ping=1")) TH_LOG("%s", self->out);
	ASSERT_TRUE(registered(self, "t12", &info));
	EXPECT_LT(0, info.denials[BRIG_KIND_FILE]);
	EXPECT_LT(0, info.denials[BRIG_KIND_SOCKET]);
	EXPECT_NE(0, info.policy.caps & CAP_BIT(CAP_NET_RAW));
	EXPECT_EQ(0, sh(self, RT " delete --force t12"));
	/* Pinned by --policy, the annotation may not name another. */
	EXPECT_EQ(1, rt_create(self, "--policy /examples/default.pol", "", "t12"));
	EXPECT_NE(NULL, strstr(self->out, "the runtime's --policy /examples/default.pol is pinned"))
		TH_LOG("%s", self->out);
	EXPECT_TRUE(nothing_left(self, "t12"));
}

/*
 * exec joins the container: its namespaces, cgroup, brig policy and
 * seccomp filter; --process as conmon writes it; --detach with a pid file.
 */
TEST_F_TIMEOUT(runtime, exec_joins_the_container_with_its_confinement, 180)
{
	FILE *f = fopen("/etc/brig/web.pol", "w");
	char pid[32], file[32] = "";
	int fd;

	ASSERT_NE(NULL, f);
	fputs("name web\ndeny /etc/passwd r\n", f);
	fclose(f);
	ASSERT_EQ(0, write_config(&(struct config){
		.top = ", \"annotations\": { \"org.brig.policy\": \"web\" }",
		.linux_more = ", \"cgroupsPath\": \"/brigtest/t13\", \"seccomp\": { \"defaultAction\": \"SCMP_ACT_ALLOW\", "
			      "\"syscalls\": [ { \"names\": [ \"mkdir\", \"mkdirat\" ], \"action\": \"SCMP_ACT_ERRNO\" } ] }" }));
	ASSERT_EQ(0, rt_create(self, "", "", "t13")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, RT " start t13"));
	EXPECT_EQ(0, sh(self, RT " exec t13 hostname"));
	EXPECT_STREQ("rt\n", self->out);
	EXPECT_EQ(1, sh(self, RT " exec t13 cat /etc/passwd"));
	EXPECT_NE(NULL, strstr(self->out, "Permission denied")) TH_LOG("brig's rule: %s", self->out);
	EXPECT_EQ(1, sh(self, RT " exec t13 mkdir /tmp/x"));
	EXPECT_NE(NULL, strstr(self->out, "Operation not permitted")) TH_LOG("seccomp: %s", self->out);
	EXPECT_EQ(0, sh(self, RT " exec t13 cat /proc/self/cgroup"));
	EXPECT_NE(NULL, strstr(self->out, "0::/")) TH_LOG("%s", self->out);
	EXPECT_EQ(3, sh(self, RT " exec t13 sh -c 'exit 3'"));
	EXPECT_EQ(127, sh(self, RT " exec t13 nosuchprogram"));
	EXPECT_NE(NULL, strstr(self->out, "executable file not found in $PATH")) TH_LOG("%s", self->out);

	/* --process, as conmon and containerd's shim give it. */
	f = fopen(B "/process.json", "w");
	ASSERT_NE(NULL, f);
	fputs("{ \"args\": [ \"sh\", \"-c\", \"id; grep CapEff /proc/self/status\" ], \"cwd\": \"/tmp\", "
	      "\"env\": [ \"PATH=/bin\" ], \"user\": { \"uid\": 1000, \"gid\": 1000 }, "
	      "\"capabilities\": { \"bounding\": [ \"CAP_KILL\" ] }, \"noNewPrivileges\": true }", f);
	fclose(f);
	EXPECT_EQ(0, sh(self, RT " exec --process " B "/process.json t13")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "uid=1000 gid=1000")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "CapEff:\t0000000000000000")) TH_LOG("%s", self->out);

	/* --detach --pid-file: it runs on after exec returns; its pid in the file. */
	ASSERT_EQ(0, sh(self, RT " exec --detach --pid-file " B "/exec.pid t13 sleep 1000 < /dev/null > /dev/null 2>&1"))
		TH_LOG("%s", self->out);
	fd = open(B "/exec.pid", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, file, sizeof(file) - 1));
	close(fd);
	EXPECT_EQ(0, kill(atoi(file), 0)) TH_LOG("the detached process is gone");
	EXPECT_EQ(0, sh(self, RT " ps --format json t13"));
	EXPECT_NE(NULL, strstr(self->out, file)) TH_LOG("%s: %s", file, self->out);
	EXPECT_EQ(0, sh(self, "grep -qx %s /sys/fs/cgroup/brigtest/t13/cgroup.procs", file))
		TH_LOG("the exec'd process is outside the container's cgroup");

	/* Without the container's filter, exec refuses to run. */
	ASSERT_EQ(0, unlink(STATE "/t13/seccomp.bpf"));
	EXPECT_EQ(1, sh(self, RT " exec t13 true"));
	EXPECT_NE(NULL, strstr(self->out, "refusing to exec without the container's seccomp filter"))
		TH_LOG("%s", self->out);
	state_field(self, "t13", "pid", pid, sizeof(pid));
	EXPECT_EQ(0, sh(self, RT " kill t13 KILL"));
	for (int i = 0; i < 50 && !kill(atoi(pid), 0); i++)
		usleep(100000);
	EXPECT_EQ(1, sh(self, RT " exec t13 true"));
	EXPECT_NE(NULL, strstr(self->out, "cannot exec in a stopped container")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, RT " delete t13")) TH_LOG("%s", self->out);
	EXPECT_TRUE(nothing_left(self, "t13"));
}

/*
 * A pod: a second container joins the first's user, network and uts
 * namespaces by path (as Kubernetes' containers join the pause container's),
 * in a pid and mount namespace of its own; a pid namespace is not joined.
 */
TEST_F_TIMEOUT(runtime, a_pod_joins_namespaces_by_path, 180)
{
	char pid[32], more[512], a[64], b[64], path[64];
	struct brig_container_info info;
	struct stat sa, sb;
	int bpid;

	ASSERT_EQ(0, rt_create(self, "", "", "pause")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, RT " start pause"));
	state_field(self, "pause", "pid", pid, sizeof(pid));
	ASSERT_EQ(0, system("mkdir -p " B "/pod && cp " B "/config.json " B "/pod/ && ln -s ../rootfs " B "/pod/rootfs"));
	/* The same config, its namespaces by path. */
	ASSERT_EQ(0, write_config(&(struct config){
		.args = "\"sh\", \"-c\", \"hostname; exec sleep 1000\"" }));
	snprintf(more, sizeof(more),
		 "sed -e 's|{ \"type\": \"uts\" }, { \"type\": \"network\" }, { \"type\": \"user\" }|"
		 "{ \"type\": \"uts\", \"path\": \"/proc/%s/ns/uts\" }, { \"type\": \"network\", \"path\": \"/proc/%s/ns/net\" }, "
		 "{ \"type\": \"user\", \"path\": \"/proc/%s/ns/user\" }|' "
		 "-e '/uidMappings/d' -e '/gidMappings/d' -e 's/\"hostname\": \"rt\",//' " B "/config.json > " B "/pod/config.json",
		 pid, pid, pid);
	ASSERT_EQ(0, system(more));
	ASSERT_EQ(0, sh(self, RT " create --bundle " B "/pod web < /dev/null > " B "/web.out 2>&1; rc=$?; cat " B "/web.out; exit $rc"))
		TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, RT " start web"));
	bpid = atoi(state_field(self, "web", "pid", a, sizeof(a)));
	for (int i = 0; i < 50 && sh(self, "grep -q rt " B "/web.out"); i++)
		usleep(100000);
	EXPECT_EQ(0, sh(self, "cat " B "/web.out"));
	EXPECT_STREQ("rt\n", self->out) TH_LOG("the pod's hostname, by its uts namespace");
	static const char *const joined[] = { "net", "uts", "user" }, *const own[] = { "pid", "mnt" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(a, sizeof(a), "/proc/%s/ns/%s", pid, joined[i]);
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", bpid, joined[i]);
		ASSERT_EQ(0, stat(a, &sa));
		ASSERT_EQ(0, stat(path, &sb));
		EXPECT_EQ(sa.st_ino, sb.st_ino) TH_LOG("%s is not the pod's", joined[i]);
	}
	for (size_t i = 0; i < 2; i++) {
		snprintf(a, sizeof(a), "/proc/%s/ns/%s", pid, own[i]);
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", bpid, own[i]);
		ASSERT_EQ(0, stat(a, &sa));
		ASSERT_EQ(0, stat(path, &sb));
		EXPECT_NE(sa.st_ino, sb.st_ino) TH_LOG("%s is shared", own[i]);
	}
	/* Each is a container of brig.ko's, by its own pid namespace. */
	EXPECT_TRUE(registered(self, "web", &info));
	EXPECT_TRUE(registered(self, "pause", &info));
	snprintf(b, sizeof(b), "/proc/%s/ns/pid", pid);
	snprintf(more, sizeof(more), "sed -i 's|{ \"type\": \"pid\" }|{ \"type\": \"pid\", \"path\": \"%s\" }|' " B "/pod/config.json", b);
	ASSERT_EQ(0, system(more));
	EXPECT_EQ(1, sh(self, RT " create --bundle " B "/pod web2"));
	EXPECT_NE(NULL, strstr(self->out, "joining a pid namespace is not supported")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, RT " delete --force web && " RT " delete --force pause"));
	EXPECT_TRUE(nothing_left(self, "web"));
	EXPECT_TRUE(nothing_left(self, "pause"));
}

/*
 * CVE-2019-5736: a created container's init runs brig-runtime's image
 * until start. Where the container could write the binary (no user
 * namespace, or one that maps its owner), that image is a sealed memfd
 * copy; where its user namespace maps no owner of the binary, it is the
 * binary itself, which the container's root still cannot write.
 */
/*
 * An access ACL (the xattr's layout, linux/posix_acl_xattr.h) that lets
 * host uid 100000, the container's root, write the binary; the group bits
 * it sets (the mask, rw-) are those of a group the container does not map.
 */
static int grant_container_root_write(const char *path)
{
	struct { uint16_t tag, perm; uint32_t id; } entries[] = {
		{ 0x01, 7, -1 }, { 0x02, 6, 100000 }, { 0x04, 5, -1 }, { 0x10, 6, -1 }, { 0x20, 5, -1 },
	};
	char acl[4 + sizeof(entries)];
	uint32_t version = 2;

	memcpy(acl, &version, 4);
	memcpy(acl + 4, entries, sizeof(entries));
	return setxattr(path, "system.posix_acl_access", acl, sizeof(acl), 0);
}

TEST_F_TIMEOUT(runtime, the_binary_is_sealed_where_the_container_could_write_it, 240)
{
	static const struct {
		const char *id, *sed;	/* what changes in the config */
		bool sealed, acl;
	} cases[] = {
		{ "own-userns", "-e '/\"sysfs\"/s|$|, { \"destination\": \"/rt\", \"type\": \"bind\", "
		  "\"source\": \"" RT "\", \"options\": [ \"rbind\", \"rw\" ] }|'", false, false },
		{ "no-userns", "-e 's/, { \"type\": \"user\" }//' -e '/uidMappings/d' -e '/gidMappings/d'",
		  true, false },
		{ "maps-root", "-e '/uidMappings/s/\"hostID\": 100000/\"hostID\": 0/'", true, false },
		/* Its own user namespace, but an ACL gives its root write. */
		{ "acl", "-e ''", true, true },
	};
	char pid[32], path[64], link[256];
	struct stat before, after;

	ASSERT_EQ(0, stat(RT, &before));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ssize_t n;

		if (cases[i].acl && grant_container_root_write(RT)) {
			TH_LOG("acl: skipped, no ACL on " RT ": %s", strerror(errno));
			continue;
		}
		ASSERT_EQ(0, write_config(&(struct config){ 0 }));
		ASSERT_EQ(0, sh(self, "sed -i %s " B "/config.json", cases[i].sed));
		ASSERT_EQ(0, rt_create(self, "", "", cases[i].id)) TH_LOG("%s", self->out);
		snprintf(path, sizeof(path), "/proc/%s/exe",
			 state_field(self, cases[i].id, "pid", pid, sizeof(pid)));
		n = readlink(path, link, sizeof(link) - 1);
		ASSERT_LT(0, n);
		link[n] = '\0';
		if (cases[i].sealed) {
			EXPECT_EQ(0, strncmp(link, "/memfd:brig-launch", 18))
				TH_LOG("%s: %s", cases[i].id, link);
		} else {
			EXPECT_STREQ(RT, link) TH_LOG("%s", cases[i].id);
		}
		/* From inside, as the container's root: neither the init's image nor the binary. */
		EXPECT_NE(0, sh(self, RT " exec %s sh -c 'echo x >> /proc/1/exe'", cases[i].id));
		if (!cases[i].sealed) {
			EXPECT_EQ(0, sh(self, RT " exec %s cat /rt > /dev/null", cases[i].id))
				TH_LOG("%s", self->out);
			EXPECT_NE(0, sh(self, RT " exec %s sh -c 'echo x >> /rt'", cases[i].id));
			EXPECT_NE(NULL, strstr(self->out, "Permission denied")) TH_LOG("%s", self->out);
		}
		EXPECT_EQ(0, sh(self, RT " delete --force %s", cases[i].id)) TH_LOG("%s", self->out);
		if (cases[i].acl) {
			EXPECT_EQ(0, removexattr(RT, "system.posix_acl_access"));
			EXPECT_EQ(0, chmod(RT, before.st_mode & 07777));
		}
	}
	ASSERT_EQ(0, stat(RT, &after));
	EXPECT_EQ(before.st_size, after.st_size);
	EXPECT_EQ(before.st_mtime, after.st_mtime);
}

/* linux.devices: the host's node, bound in, and brig.ko lets it open. */
TEST_F_TIMEOUT(runtime, linux_devices_are_bound_and_allowed, 120)
{
	if (access("/dev/net/tun", F_OK))
		SKIP(return, "no /dev/net/tun on this kernel (module tun) to bind");
	ASSERT_EQ(0, write_config(&(struct config){
		.args = "\"sh\", \"-c\", \"ls -l /dev/net/tun && exec 3<> /dev/net/tun && echo opened\"",
		.linux_more = ", \"devices\": [ { \"type\": \"c\", \"path\": \"/dev/net/tun\", \"major\": 10, \"minor\": 200 } ]" }));
	EXPECT_EQ(0, sh(self, RT " run --bundle " B " dev1")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "opened")) TH_LOG("%s", self->out);
	/* Numbers that are not the host's node: refused before anything is made. */
	ASSERT_EQ(0, write_config(&(struct config){
		.linux_more = ", \"devices\": [ { \"type\": \"c\", \"path\": \"/dev/net/tun\", \"major\": 1, \"minor\": 1 } ]" }));
	EXPECT_EQ(1, rt_create(self, "", "", "dev2"));
	EXPECT_NE(NULL, strstr(self->out, "the host's `/dev/net/tun` is not character device 1:1")) TH_LOG("%s", self->out);
	EXPECT_TRUE(nothing_left(self, "dev1"));
	EXPECT_TRUE(nothing_left(self, "dev2"));
}

/*
 * What config.json asks of the process and its root, seen from inside:
 * oomScoreAdj, rlimits, umask, additional groups, the five capability sets
 * (ambient ones raised), a read-only root, masked and read-only paths, a
 * sysctl.
 */
TEST_F_TIMEOUT(runtime, the_config_is_honoured_inside, 120)
{
	ASSERT_EQ(0, write_config(&(struct config){
		.args = "\"sh\", \"-c\", \"cat /proc/self/oom_score_adj; ulimit -n; umask; id -G; "
			"grep -E 'Cap(Inh|Amb)' /proc/self/status; touch /x 2>&1; wc -c < /proc/kcore; "
			"echo 1 > /proc/sys/kernel/domainname 2>&1; cat /proc/sys/net/ipv4/ip_unprivileged_port_start\"",
		.process = ", \"oomScoreAdj\": 321, \"rlimits\": [ { \"type\": \"RLIMIT_NOFILE\", \"hard\": 77, \"soft\": 77 } ]",
		.linux_more = ", \"sysctl\": { \"net.ipv4.ip_unprivileged_port_start\": \"42\" }" }));
	/* The root read-only; groups and a umask; CAP_KILL inheritable and ambient too. */
	ASSERT_EQ(0, system("sed -i -e 's|\"root\": { \"path\": \"rootfs\" }|\"root\": { \"path\": \"rootfs\", \"readonly\": true }|' "
			    "-e 's|\"uid\": 0, \"gid\": 0 }|\"uid\": 0, \"gid\": 0, \"umask\": 23, \"additionalGids\": [ 10, 20 ] }|' "
			    "-e 's|\"permitted\": \\[|\"inheritable\": [ \"CAP_KILL\" ], \"ambient\": [ \"CAP_KILL\" ], \"permitted\": [|' "
			    B "/config.json"));
	EXPECT_EQ(0, sh(self, RT " run --bundle " B " cfg")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "321\n77\n0027\n0 10 20\n")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "CapInh:\t0000000000000020\nCapAmb:\t0000000000000020\n"))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "touch: /x: Read-only file system")) TH_LOG("the root is writable: %s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "can't create /proc/sys/kernel/domainname: Read-only file system"))
		TH_LOG("/proc/sys is writable: %s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "\n0\n")) TH_LOG("/proc/kcore is not masked: %s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "42\n")) TH_LOG("the sysctl: %s", self->out);
	EXPECT_TRUE(nothing_left(self, "cfg"));
}

/* Bad bundles: a clear error each, and nothing made. */
TEST_F_TIMEOUT(runtime, bad_bundles_are_refused_and_leave_nothing, 180)
{
	static const struct {
		const char *config, *want;
	} bad[] = {
		{ "", "invalid JSON" },
		{ "{ \"ociVersion\": \"0.9\" }", "unsupported ociVersion \"0.9\"" },
		{ "[]", "expected an object" },
		{ "{ \"ociVersion\": \"1.0.2\", \"root\": { \"path\": \"rootfs\" }, \"process\": { \"args\": [\"sh\"], \"cwd\": \"/\" }, "
		  "\"linux\": { \"namespaces\": [ { \"type\": \"mount\" }, { \"type\": \"pid\" }, { \"type\": \"bogus\" } ] } }",
		  "unknown namespace type \"bogus\"" },
		{ "{ \"ociVersion\": \"1.0.2\", \"root\": { \"path\": \"../../etc\" }, \"process\": { \"args\": [\"sh\"], \"cwd\": \"/\" }, "
		  "\"linux\": { \"namespaces\": [ { \"type\": \"mount\" }, { \"type\": \"pid\" } ] } }", NULL },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		FILE *f = fopen(B "/config.json", "w");

		ASSERT_NE(NULL, f);
		fputs(bad[i].config, f);
		fclose(f);
		EXPECT_NE(0, rt_create(self, "", "", "bad"));
		if (bad[i].want)
			EXPECT_NE(NULL, strstr(self->out, bad[i].want)) TH_LOG("%zu: %s", i, self->out);
		EXPECT_TRUE(nothing_left(self, "bad"));
	}
	EXPECT_EQ(0, unlink(B "/config.json"));
	EXPECT_EQ(1, rt_create(self, "", "", "bad"));
	EXPECT_NE(NULL, strstr(self->out, "config.json: No such file or directory")) TH_LOG("%s", self->out);
	EXPECT_TRUE(nothing_left(self, "bad"));

	/* A mount through a link that points out of the root stays in the root. */
	ASSERT_EQ(0, symlink("/../../../../tmp/outside", ROOTFS "/escape"));
	ASSERT_EQ(0, write_config(&(struct config){ .args = "\"true\"",
		.top = "" }));
	ASSERT_EQ(0, system("sed -i 's|\"mounts\": \\[|\"mounts\": [ { \"destination\": \"/escape/x\", \"type\": \"tmpfs\", \"source\": \"tmpfs\" },|' " B "/config.json"));
	EXPECT_EQ(1, sh(self, RT " run --bundle " B " esc"));
	EXPECT_NE(NULL, strstr(self->out, "`/escape` in the container is a symbolic link to nothing in the root"))
		TH_LOG("%s", self->out);
	EXPECT_NE(0, access("/tmp/outside", F_OK)) TH_LOG("a mount point was made outside the root");
	EXPECT_TRUE(nothing_left(self, "esc"));
	/* Where it leads to something in the root, the mount goes there: still inside. */
	ASSERT_EQ(0, system("mkdir " ROOTFS "/tmp/outside && chown 100000:100000 " ROOTFS "/tmp/outside"));
	EXPECT_EQ(0, sh(self, RT " run --bundle " B " esc")) TH_LOG("%s", self->out);
	EXPECT_NE(0, access("/tmp/outside", F_OK)) TH_LOG("a mount point was made outside the root");
	EXPECT_EQ(0, access(ROOTFS "/tmp/outside/x", F_OK)) TH_LOG("no mount point inside the root");
	EXPECT_TRUE(nothing_left(self, "esc"));
}

TEST_HARNESS_MAIN
