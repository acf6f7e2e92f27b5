// SPDX-License-Identifier: GPL-2.0
/*
 * Events: one message on the "events" multicast group per denial (or, in
 * complain mode, per would-be denial), with the container, the task and
 * what it tried; and one kernel log line in AppArmor's style.
 *
 *   test process: listener (a client of its own, in the events group)
 *    `-- box init (container: default caps, pids max 2, deny network raw)
 */
#include <sched.h>
#include <netinet/in.h>
#include <sys/klog.h>

#include "common.h"

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
	int n, i;

	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 's'));
	snprintf(want, sizeof(want),
		 "brig: DENIED op=socket container=events pid=%d comm=event_test family=inet type=raw",
		 self->box.pid);
	/* Logged from the work that sends the event: allow it a moment. */
	for (i = 0; i < 500; i++) {
		n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof(log) - 1);
		ASSERT_LE(0, n);
		log[n] = '\0';
		if (strstr(log, want))
			break;
		usleep(10000);
	}
	EXPECT_NE(NULL, strstr(log, want)) TH_LOG("no line \"%s\"", want);
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

TEST_HARNESS_MAIN
