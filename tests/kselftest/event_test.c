// SPDX-License-Identifier: GPL-2.0
/*
 * Events: one message on the "events" multicast group per denial (or, in
 * complain mode, per would-be denial), with the container, the task and
 * what it tried; and one kernel log line in AppArmor's style.
 *
 *   test process: listener (a client of its own, in the events group)
 *    `-- box init (container: default caps, pids max 2, deny network raw)
 *
 * Events that come faster than they can be sent are lost, and counted: the
 * count rides on the next event and a total is in every GET reply. Names the
 * container chooses (its commands, its paths) are printed as AppArmor prints
 * them, in the kernel log and by `brigctl events`: quoted if plain, in hex
 * otherwise, so that none can forge a field or a line:
 *
 *   /tmp/evn/           deny w on all below (fixture "names")
 *   |-- plain
 *   |-- x" pid=1 comm="forged         a quote and spaces
 *   `-- a\nbrig: DENIED op=open ...   a newline, then a whole forged line
 */
#include <sched.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "common.h"
#include "lib/dfa.h"
#include <json-c/json.h>

#define BRIGCTL "/usr/bin/brigctl"

static int box_actions(int cmd, void *arg)
{
	pid_t pid;
	int fd;

	(void)arg;
	switch (cmd) {
	case 's':
		fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
		if (fd < 0)
			return -errno;
		close(fd);
		return 0;
	case 'u':
		return unshare(CLONE_NEWUTS) ? -errno : 0;
	case 'S':
		/* A burst of denials, far more than a ring holds. */
		for (pid = 0; pid < 20000; pid++) {
			fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
			if (fd >= 0)
				close(fd);
		}
		return 0;
	case 'f':
		/* The second child passes pids max 2. */
		pid = fork();
		if (pid == 0) {
			pause();
			_exit(0);
		}
		pid = fork();
		if (pid == 0)
			_exit(0);
		fd = pid < 0 ? -errno : 0;
		kill(-1, SIGKILL);
		while (waitpid(-1, NULL, 0) > 0)
			;
		return fd;
	}
	return -EINVAL;
}

FIXTURE(events) {
	struct brig_nl *nl;
	struct brig_nl *listener;
	struct brig_box box;
};

FIXTURE_SETUP(events)
{
	struct brig_policy_spec policy = {
		.caps = DOCKER_DEFAULT_CAPS,
		.pids_max = 2,
		.n_socket_rules = 2,
		.socket_rules = { { 0, SOCK_RAW }, { AF_PACKET, 0 } },
	};
	struct brig_error *err = NULL;

	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
	self->listener = brig_open(_metadata);
	ASSERT_NE(NULL, self->listener);
	ASSERT_BRIG_OK(brig_nl_subscribe(self->listener, &err), err);
	ASSERT_BRIG_OK(brig_box_start(self->nl, &self->box, "events", &policy,
				      box_actions, NULL, 0, &err), err);
}

FIXTURE_TEARDOWN(events)
{
	EXPECT_EQ(0, brig_box_stop(&self->box));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->listener);
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

static int next_event(FIXTURE_DATA(events) *self, uint32_t kind,
		      struct brig_event_info *ev)
{
	return brig_next_event_of(self->listener, self->box.id, kind, ev);
}

static void expect_task_fields(struct __test_metadata *_metadata,
			       FIXTURE_DATA(events) *self,
			       const struct brig_event_info *ev)
{
	EXPECT_STREQ("events", ev->name);
	EXPECT_EQ((uint32_t)self->box.pid, ev->pid);
	EXPECT_STREQ("event_test", ev->comm);
}

TEST_F(events, socket_denial)
{
	struct brig_event_info ev;

	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 's'));
	ASSERT_EQ(0, next_event(self, BRIG_KIND_SOCKET, &ev));
	expect_task_fields(_metadata, self, &ev);
	EXPECT_EQ(BRIG_VERDICT_DENIED, ev.verdict);
	EXPECT_EQ(AF_INET, ev.family);
	EXPECT_EQ(SOCK_RAW, ev.type);
	EXPECT_EQ(IPPROTO_ICMP, ev.protocol);
}

TEST_F(events, capability_denial)
{
	struct brig_event_info ev;

	EXPECT_EQ(-EPERM, brig_box_do(&self->box, 'u'));
	ASSERT_EQ(0, next_event(self, BRIG_KIND_CAP, &ev));
	expect_task_fields(_metadata, self, &ev);
	EXPECT_EQ(BRIG_VERDICT_DENIED, ev.verdict);
	EXPECT_EQ(CAP_SYS_ADMIN, ev.cap);
}

TEST_F(events, ceiling_denial)
{
	struct brig_event_info ev;

	EXPECT_EQ(-EAGAIN, brig_box_do(&self->box, 'f'));
	ASSERT_EQ(0, next_event(self, BRIG_KIND_TASK, &ev));
	expect_task_fields(_metadata, self, &ev);
	EXPECT_EQ(BRIG_VERDICT_DENIED, ev.verdict);
	EXPECT_EQ(2, ev.pids_max);
}

TEST_F(events, complain_mode_reports_allowed)
{
	struct brig_policy_spec policy = {
		.mode = BRIG_MODE_COMPLAIN,
		.caps = DOCKER_DEFAULT_CAPS,
		.n_socket_rules = 1,
		.socket_rules = { { 0, SOCK_RAW } },
	};
	struct brig_error *err = NULL;
	struct brig_event_info ev;

	ASSERT_BRIG_OK(brig_nl_set_policy(self->nl, self->box.id, NULL,
					  &policy, &err), err);
	EXPECT_EQ(0, brig_box_do(&self->box, 's'));
	ASSERT_EQ(0, next_event(self, BRIG_KIND_SOCKET, &ev));
	EXPECT_EQ(BRIG_VERDICT_ALLOWED, ev.verdict);
}

TEST_F(events, kernel_log_line)
{
	static char log[1 << 20];
	char want[160];
	int i;

	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 's'));
	snprintf(want, sizeof(want),
		 "brig: DENIED op=socket container=events pid=%d comm=\"event_test\" family=inet type=raw",
		 self->box.pid);
	/* Logged from the work that sends the event: allow it a moment. */
	for (i = 0; i < 500; i++) {
		ASSERT_LE(0, brig_klog_read(log, sizeof(log)));
		if (strstr(log, want))
			break;
		usleep(10000);
	}
	EXPECT_NE(NULL, strstr(log, want)) TH_LOG("no line \"%s\"", want);
}

/* Spins on @cpu at real-time priority for @ms milliseconds. */
static pid_t spin_on(int cpu, int ms)
{
	struct sched_param sp = { .sched_priority = 1 };
	pid_t pid = fork();

	if (pid == 0) {
		struct timespec t0, t;
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
		sched_setscheduler(0, SCHED_FIFO, &sp);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do
			clock_gettime(CLOCK_MONOTONIC, &t);
		while ((t.tv_sec - t0.tv_sec) * 1000 +
		       (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
		_exit(0);
	}
	return pid;
}

/*
 * A burst of denials while the work that sends events cannot run: the box
 * at real-time priority on CPU 0, a spinner on each other CPU. The ring
 * overflows; the loss is in GET's EVENTS_LOST, on the next event sent (its
 * LOST), and in `brigctl events` (lost=N) and `brigctl inspect` (EventsLost).
 */
TEST_F_TIMEOUT(events, lost_events_reach_user_space, 300)
{
	struct sched_param sp = { .sched_priority = 1 };
	int ncpu = sysconf(_SC_NPROCESSORS_ONLN), cpu, round, fds[2], i, n;
	struct brig_container_info info;
	struct brig_error *err = NULL;
	struct brig_event_info ev;
	pid_t brigctl, spinners[64];
	bool seen_lost = false, seen_line = false;
	static char out[1 << 16];
	size_t len = 0;
	json_object *o, *v;
	cpu_set_t set;

	ASSERT_LE(ncpu, 64);
	ASSERT_EQ(0, pipe(fds));
	brigctl = fork();
	if (brigctl == 0) {
		dup2(fds[1], 1);
		execl(BRIGCTL, "brigctl", "events", "events", NULL);
		_exit(127);
	}
	close(fds[1]);
	/* brigctl joins the group at its own pace: deny until it reports one. */
	for (i = 0; i < 100; i++) {
		EXPECT_EQ(-EACCES, brig_box_do(&self->box, 's'));
		if (brig_readable(fds[0], 500))
			break;
	}
	ASSERT_GT(100, i);
	ASSERT_BRIG_OK(brig_nl_get(self->nl, self->box.id, NULL, &info, &err), err);
	EXPECT_EQ(0, info.events_lost);

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	ASSERT_EQ(0, sched_setaffinity(self->box.pid, sizeof(set), &set));
	ASSERT_EQ(0, sched_setscheduler(self->box.pid, SCHED_FIFO, &sp));
	for (round = 0; round < 5 && !info.events_lost; round++) {
		for (cpu = 1; cpu < ncpu; cpu++)
			spinners[cpu] = spin_on(cpu, 3000);
		usleep(100000);
		EXPECT_EQ(0, brig_box_do(&self->box, 'S'));
		for (cpu = 1; cpu < ncpu; cpu++)
			waitpid(spinners[cpu], NULL, 0);
		ASSERT_BRIG_OK(brig_nl_get(self->nl, self->box.id, NULL, &info,
					   &err), err);
	}
	sp.sched_priority = 0;
	sched_setscheduler(self->box.pid, SCHED_OTHER, &sp);
	ASSERT_LT(0, info.events_lost) TH_LOG("no event was lost in %d bursts", round);

	/* The first event sent after the loss carries it. */
	for (i = 0, n = 0; i < 1000 && n < 3 && !seen_lost; i++) {
		if (next_event(self, BRIG_KIND_SOCKET, &ev) == 0)
			seen_lost = ev.lost > 0;
		else
			n++;	/* a timeout, or our own socket overflowed */
	}
	EXPECT_TRUE(seen_lost);

	/* brigctl events says so on that event's line. */
	while (len < sizeof(out) - 1 && brig_readable(fds[0], 2000)) {
		ssize_t r = read(fds[0], out + len, sizeof(out) - 1 - len);

		if (r <= 0)
			break;
		len += r;
		out[len] = '\0';
		if (strstr(out, " lost=")) {
			seen_line = true;
			break;
		}
	}
	kill(brigctl, SIGTERM);
	waitpid(brigctl, NULL, 0);
	close(fds[0]);
	EXPECT_TRUE(seen_line) TH_LOG("no lost=N in:\n%.2000s", out);

	/* brigctl inspect shows the total. */
	n = brig_sh(out, sizeof(out), BRIGCTL " inspect events");
	ASSERT_EQ(0, n) TH_LOG("%s", out);
	o = json_tokener_parse(out);
	ASSERT_NE(NULL, o) TH_LOG("not JSON:\n%s", out);
	ASSERT_TRUE(json_object_object_get_ex(o, "EventsLost", &v));
	EXPECT_LE(info.events_lost, (uint64_t)json_object_get_int64(v));
	json_object_put(o);
}

TEST_F(events, listening_needs_cap_net_admin)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct __user_cap_header_struct hdr = {
			.version = _LINUX_CAPABILITY_VERSION_3,
		};
		struct __user_cap_data_struct data[2];
		struct brig_error *err = NULL;
		struct brig_nl *nl = NULL;

		if (syscall(SYS_capget, &hdr, data))
			_exit(2);
		data[0].effective &= ~(1U << CAP_NET_ADMIN);
		if (syscall(SYS_capset, &hdr, data) || brig_nl_open(&nl, &err) < 0)
			_exit(3);
		if (brig_nl_subscribe(nl, &err) == 0)
			_exit(1);
		_exit(strstr(err->msg, "CAP_NET_ADMIN") ? 0 : 4);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/*
 * Any task with CAP_NET_ADMIN in the network namespace may send to the
 * events group. What it sends is not brig.ko's, and libbrig (brigctl
 * events, whose rules may act) takes only what the kernel sends.
 */
TEST_F(events, an_event_not_from_the_kernel_is_not_taken)
{
	struct nl_sock *sk = nl_socket_alloc(), *raw = nl_socket_alloc();
	struct timeval tv = { .tv_sec = 10 };
	struct sockaddr_nl from;
	struct brig_event_info ev;
	unsigned char *buf = NULL;
	struct nl_msg *msg;
	struct nlattr *nest;
	int family, group, n;

	ASSERT_NE(NULL, sk);
	ASSERT_NE(NULL, raw);
	ASSERT_EQ(0, genl_connect(sk));
	ASSERT_EQ(0, genl_connect(raw));
	family = genl_ctrl_resolve(sk, BRIG_GENL_NAME);
	group = genl_ctrl_resolve_grp(sk, BRIG_GENL_NAME, BRIG_MCGRP_EVENTS);
	ASSERT_LT(0, family);
	ASSERT_LT(0, group);
	ASSERT_GT(32, group);
	/* A listener that takes whatever comes: the forgery does reach the group. */
	ASSERT_EQ(0, nl_socket_add_membership(raw, group));
	ASSERT_EQ(0, setsockopt(nl_socket_get_fd(raw), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	msg = nlmsg_alloc();
	ASSERT_NE(NULL, msg);
	ASSERT_NE(NULL, genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0,
				    BRIG_CMD_EVENT, BRIG_GENL_VERSION));
	nla_put_u32(msg, BRIG_A_ID, self->box.id);
	nla_put_string(msg, BRIG_A_NAME, "events");
	nest = nla_nest_start(msg, BRIG_A_EVENT);
	nla_put_u32(msg, BRIG_EVENT_A_KIND, BRIG_KIND_SOCKET);
	nla_put_u32(msg, BRIG_EVENT_A_VERDICT, BRIG_VERDICT_DENIED);
	nla_put_u32(msg, BRIG_EVENT_A_PID, 4242);
	nla_put_string(msg, BRIG_EVENT_A_COMM, "forged");
	nla_nest_end(msg, nest);
	/* To the group (and to the kernel, which has no such request). */
	nl_socket_disable_auto_ack(sk);
	nl_socket_set_peer_groups(sk, 1U << (group - 1));
	EXPECT_LT(0, nl_send_auto(sk, msg));
	nlmsg_free(msg);
	n = nl_recv(raw, &from, &buf, NULL);
	EXPECT_LT(0, n) TH_LOG("the forged event did not reach the group");
	EXPECT_EQ(nl_socket_get_local_port(sk), from.nl_pid);
	free(buf);
	nl_socket_free(raw);
	nl_socket_free(sk);

	/* Then a real one: it is the first the listener gets. */
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 's'));
	ASSERT_EQ(0, next_event(self, BRIG_KIND_SOCKET, &ev));
	EXPECT_EQ((uint32_t)self->box.pid, ev.pid);
	EXPECT_STREQ("event_test", ev.comm);
}

/* Names as the container chose them. */
#define EVN_DIR "/tmp/evn"
static const char plain_path[] = EVN_DIR "/plain";
static const char quote_path[] = EVN_DIR "/x\" pid=1 comm=\"forged";
static const char newline_path[] =
	EVN_DIR "/a\nbrig: DENIED op=open container=forged pid=1 comm=\"sh\"";
/* 15 bytes, the most a command name holds: a quote, a space, a newline. */
static const char forged_comm[] = "e\" pid=1\nbrig:";

static int try_write(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT, 0644);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int names_actions(int cmd, void *arg)
{
	int status;
	pid_t pid;

	(void)arg;
	switch (cmd) {
	case 'p':
		return try_write(plain_path);
	case 'q':
		return try_write(quote_path);
	case 'n':
		return try_write(newline_path);
	case 'c':
		/* A child, so that the box keeps its own name. */
		pid = fork();
		if (pid == 0) {
			prctl(PR_SET_NAME, forged_comm);
			_exit(-try_write(plain_path));
		}
		waitpid(pid, &status, 0);
		return -WEXITSTATUS(status);
	}
	return -EINVAL;
}

/* @s in uppercase hex, as AppArmor logs a name that is not plain. */
static void hex(const char *s, char *out)
{
	for (; *s; s++, out += 2)
		sprintf(out, "%02X", (unsigned char)*s);
}

FIXTURE(names) {
	struct brig_nl *nl;
	struct brig_box box;
	char quote_hex[256], newline_hex[256], comm_hex[64];
};

FIXTURE_SETUP(names)
{
	static const struct brig_file_rule rules[] = {
		{ EVN_DIR "/**", BRIG_PERM_WRITE | BRIG_PERM_APPEND, 0 },
	};
	struct brig_policy_spec policy = { .caps = DOCKER_DEFAULT_CAPS };
	struct brig_error *err = NULL;
	struct brig_dfa *dfa;
	void *blob;

	hex(quote_path, self->quote_hex);
	hex(newline_path, self->newline_hex);
	hex(forged_comm, self->comm_hex);
	mkdir(EVN_DIR, 0755);
	ASSERT_BRIG_OK(brig_dfa_compile(rules, 1, &dfa, &err), err);
	ASSERT_BRIG_OK(brig_dfa_serialize(dfa, &blob, &policy.dfa_len, &err), err);
	brig_dfa_free(dfa);
	policy.dfa = blob;
	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
	ASSERT_BRIG_OK(brig_box_start(self->nl, &self->box, "names", &policy,
				      names_actions, NULL, 0, &err), err);
	free(blob);
}

FIXTURE_TEARDOWN(names)
{
	EXPECT_EQ(0, brig_box_stop(&self->box));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

/* Whether the kernel log has each of @want[] (within 5 s), in @log. */
static bool log_has(char *log, size_t size, const char *const *want, int n)
{
	int i, j;

	for (i = 0; i < 500; i++) {
		if (brig_klog_read(log, size) < 0)
			return false;
		for (j = 0; j < n && strstr(log, want[j]); j++)
			;
		if (j == n)
			return true;
		usleep(10000);
	}
	return false;
}

TEST_F(names, kernel_log_lines_cannot_be_forged)
{
	static char log[1 << 20];
	char want[3][400];
	const char *const wants[] = { want[0], want[1], want[2] };

	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 'q'));
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 'n'));
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 'c'));
	snprintf(want[0], sizeof(want[0]), "container=names pid=%d comm=\"event_test\" name=%s requested=w denied=w",
		 self->box.pid, self->quote_hex);
	snprintf(want[1], sizeof(want[1]), "container=names pid=%d comm=\"event_test\" name=%s requested=w denied=w",
		 self->box.pid, self->newline_hex);
	snprintf(want[2], sizeof(want[2]), "comm=%s name=\"%s\" requested=w denied=w",
		 self->comm_hex, plain_path);
	EXPECT_TRUE(log_has(log, sizeof(log), wants, 3))
		TH_LOG("not all of:\n%s\n%s\n%s", want[0], want[1], want[2]);
	/* Nothing the names held reached the log as text. */
	EXPECT_EQ(NULL, strstr(log, "comm=\"forged")) TH_LOG("a forged field");
	EXPECT_EQ(NULL, strstr(log, "container=forged")) TH_LOG("a forged line");
	EXPECT_EQ(NULL, strstr(log, "pid=1\n")) TH_LOG("a forged comm line");
}

TEST_F_TIMEOUT(names, brigctl_events_lines_cannot_be_forged, 120)
{
	static char out[1 << 16];
	char want[3][400];
	size_t len = 0;
	int fds[2], i, found = 0;
	pid_t pid;

	snprintf(want[0], sizeof(want[0]), "comm=\"event_test\" name=%s requested=w denied=w\n",
		 self->quote_hex);
	snprintf(want[1], sizeof(want[1]), "comm=\"event_test\" name=%s requested=w denied=w\n",
		 self->newline_hex);
	snprintf(want[2], sizeof(want[2]), "comm=%s name=\"%s\" requested=w denied=w\n",
		 self->comm_hex, plain_path);
	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		execl(BRIGCTL, "brigctl", "events", "names", NULL);
		_exit(127);
	}
	close(fds[1]);
	for (i = 0; i < 100; i++) {
		EXPECT_EQ(-EACCES, brig_box_do(&self->box, 'p'));
		if (brig_readable(fds[0], 500))
			break;
	}
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 'q'));
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 'n'));
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 'c'));
	while (len < sizeof(out) - 1 && brig_readable(fds[0], 5000)) {
		ssize_t r = read(fds[0], out + len, sizeof(out) - 1 - len);

		if (r <= 0)
			break;
		len += r;
		out[len] = '\0';
		for (found = 0; found < 3 && strstr(out, want[found]); found++)
			;
		if (found == 3)
			break;
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	close(fds[0]);
	EXPECT_EQ(3, found) TH_LOG("not all of:\n%s%s%s in:\n%s", want[0],
				   want[1], want[2], out);
	EXPECT_EQ(NULL, strstr(out, "comm=\"forged")) TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "\nbrig:")) TH_LOG("%s", out);
	/* Every line is an event: it starts with its verdict. */
	for (i = 0; out[i]; i++) {
		if (i == 0 || out[i - 1] == '\n')
			EXPECT_EQ(0, strncmp(out + i, "DENIED ", 7)) TH_LOG("%s", out + i);
	}
}

/*
 * One vocabulary: for a denial of every kind, `brigctl events` prints the
 * line brig.ko logs (after "brig: "), byte for byte.
 */
#define VOC_DIR "/tmp/voc"

static int vocab_actions(int cmd, void *arg)
{
	struct timespec ts;
	int fd, ret;

	(void)arg;
	switch (cmd) {
	case 'c':	/* CAP_SYS_TIME is not in the mask */
		clock_gettime(CLOCK_REALTIME, &ts);
		return clock_settime(CLOCK_REALTIME, &ts) ? -errno : 0;
	case 'w':	/* a file rule */
		fd = open(VOC_DIR "/f", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		ret = fd < 0 ? -errno : 0;
		if (fd >= 0)
			close(fd);
		return ret;
	case 'm':	/* no BRIG_POLICY_F_MOUNT */
		return mount("none", VOC_DIR, "tmpfs", 0, NULL) ? -errno : 0;
	case 'd':	/* no device at all */
		fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		ret = fd < 0 ? -errno : 0;
		if (fd >= 0)
			close(fd);
		return ret;
	}
	return box_actions(cmd, arg);
}

FIXTURE(vocab) {
	struct brig_nl *nl;
	struct brig_box box;
};

FIXTURE_SETUP(vocab)
{
	static const struct brig_file_rule rules[] = {
		{ VOC_DIR "/**", BRIG_PERM_WRITE | BRIG_PERM_APPEND, 0 },
	};
	/* SYS_ADMIN to reach the mount hooks; it voids the file rule, hence unsafe_caps. */
	struct brig_policy_spec policy = {
		.caps = DOCKER_DEFAULT_CAPS | CAP_BIT(CAP_SYS_ADMIN),
		.pids_max = 2,
		.n_socket_rules = 1,
		.socket_rules = { { 0, SOCK_RAW } },
		.flags = BRIG_POLICY_F_DEVICES,
		.unsafe_caps = true,
	};
	struct brig_error *err = NULL;
	struct brig_dfa *dfa;
	void *blob;

	mkdir(VOC_DIR, 0755);
	ASSERT_BRIG_OK(brig_dfa_compile(rules, 1, &dfa, &err), err);
	ASSERT_BRIG_OK(brig_dfa_serialize(dfa, &blob, &policy.dfa_len, &err), err);
	brig_dfa_free(dfa);
	policy.dfa = blob;
	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
	ASSERT_BRIG_OK(brig_box_start(self->nl, &self->box, "vocab", &policy,
				      vocab_actions, NULL, 0, &err), err);
	free(blob);
}

FIXTURE_TEARDOWN(vocab)
{
	EXPECT_EQ(0, brig_box_stop(&self->box));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

TEST_F_TIMEOUT(vocab, brigctl_events_prints_the_kernel_log_line, 120)
{
	/* An action of each kind and a field only its line has. */
	static const struct { char cmd; const char *field; } kinds[] = {
		{ 'c', " capname=" }, { 's', " family=" }, { 'f', " pids_max=" },
		{ 'w', " requested=w" }, { 'm', "op=mount " }, { 'd', " dev=" },
	};
	static char out[1 << 16], log[1 << 20];
	char want[2200];
	size_t len = 0, k;
	int fds[2], i;
	pid_t brigctl;

	ASSERT_EQ(0, pipe(fds));
	brigctl = fork();
	if (brigctl == 0) {
		dup2(fds[1], 1);
		execl(BRIGCTL, "brigctl", "events", "vocab", NULL);
		_exit(127);
	}
	close(fds[1]);
	/* brigctl joins the group at its own pace: deny until it reports one. */
	for (i = 0; i < 100; i++) {
		EXPECT_EQ(-EACCES, brig_box_do(&self->box, 's'));
		if (brig_readable(fds[0], 500))
			break;
	}
	ASSERT_GT(100, i);
	/* Past the kernel log's rate limit (20 lines per 5 s), and its lines so far. */
	sleep(6);
	while (brig_readable(fds[0], 100) && read(fds[0], out, sizeof(out)) > 0)
		;
	for (k = 0; k < ARRAY_SIZE(kinds); k++)
		EXPECT_GT(0, brig_box_do(&self->box, kinds[k].cmd)) TH_LOG("%c", kinds[k].cmd);
	while (len < sizeof(out) - 1 && brig_readable(fds[0], 3000)) {
		ssize_t r = read(fds[0], out + len, sizeof(out) - 1 - len);

		if (r <= 0)
			break;
		len += r;
		out[len] = '\0';
		for (k = 0; k < ARRAY_SIZE(kinds) && strstr(out, kinds[k].field); k++)
			;
		if (k == ARRAY_SIZE(kinds) && out[len - 1] == '\n')
			break;
	}
	kill(brigctl, SIGTERM);
	waitpid(brigctl, NULL, 0);
	close(fds[0]);

	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		char *line = strstr(out, kinds[k].field), *end;

		ASSERT_NE(NULL, line) TH_LOG("no %s line from brigctl in:\n%s", kinds[k].field, out);
		while (line > out && line[-1] != '\n')
			line--;
		end = strchr(line, '\n');
		ASSERT_NE(NULL, end);
		snprintf(want, sizeof(want), "brig: %.*s\n", (int)(end - line), line);
		for (i = 0; i < 300; i++) {
			ASSERT_LE(0, brig_klog_read(log, sizeof(log)));
			if (strstr(log, want))
				break;
			usleep(10000);
		}
		EXPECT_NE(NULL, strstr(log, want)) TH_LOG("the kernel log has no line \"%s\"", want);
	}
}

TEST_HARNESS_MAIN
