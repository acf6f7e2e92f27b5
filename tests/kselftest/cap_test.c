// SPDX-License-Identifier: GPL-2.0
/*
 * The capability mask: a capability outside the policy's set fails with
 * EPERM for every task of the container, in any user namespace, including
 * one the container creates, and in nested pid namespaces.
 *
 *   test process
 *    `-- box init (container)            runs the actions below
 *         `-- helper (forked per action: unshare changes its caller)
 *              `-- [new user ns / new pid ns, depending on the action]
 */
#include <sched.h>
#include <netinet/in.h>
#include <sys/mount.h>

#include "common.h"

/* Runs @action in a child; returns its result (0 or -errno). */
static int in_child(int (*action)(void))
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(-action());
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return INT_MIN;
	return -WEXITSTATUS(status);
}

/* Needs CAP_SYS_ADMIN (over the initial user namespace). */
static int new_uts_ns(void)
{
	return unshare(CLONE_NEWUTS) ? -errno : 0;
}

/*
 * Root of a new user namespace has every capability there: without brig,
 * it can make a mount namespace and mount a tmpfs.
 */
static int mount_in_new_userns(void)
{
	if (unshare(CLONE_NEWUSER))
		return -errno;
	if (unshare(CLONE_NEWNS))
		return -errno;
	if (mount("none", "/tmp", "tmpfs", 0, NULL))
		return -errno;
	return 0;
}

/* The same CAP_SYS_ADMIN check, from a nested pid namespace. */
static int new_uts_ns_in_nested_pidns(void)
{
	int status;
	pid_t pid;

	if (unshare(CLONE_NEWPID))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(-new_uts_ns());
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -ECHILD;
	return -WEXITSTATUS(status);
}

/* Needs CAP_NET_RAW. */
static int raw_socket(void)
{
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int box_actions(int cmd, void *arg)
{
	(void)arg;
	switch (cmd) {
	case 'u':
		return in_child(new_uts_ns);
	case 'm':
		return in_child(mount_in_new_userns);
	case 'p':
		return in_child(new_uts_ns_in_nested_pidns);
	case 'r':
		return in_child(raw_socket);
	}
	return -EINVAL;
}

FIXTURE(cap) {
	struct brig_nl *nl;
	struct brig_box box;
	bool started;
};

FIXTURE_VARIANT(cap) {
	uint64_t caps;
	uint32_t mode;
	uint32_t flags;	/* BRIG_POLICY_F_MOUNT: the userns mount is allowed */
	/* What each action gives: 0 or -EPERM. */
	int uts, userns_mount, nested_pidns, raw;
};

/* Docker's default set: no CAP_SYS_ADMIN, CAP_NET_RAW allowed. */
FIXTURE_VARIANT_ADD(cap, docker_default) {
	.caps = DOCKER_DEFAULT_CAPS,
	.uts = -EPERM, .userns_mount = -EPERM, .nested_pidns = -EPERM, .raw = 0,
};

/* The positive control: with CAP_SYS_ADMIN every action works. */
FIXTURE_VARIANT_ADD(cap, with_sys_admin) {
	.caps = DOCKER_DEFAULT_CAPS | CAP_BIT(CAP_SYS_ADMIN),
	.flags = BRIG_POLICY_F_MOUNT,
	.uts = 0, .userns_mount = 0, .nested_pidns = 0, .raw = 0,
};

/* `caps drop ALL`: even CAP_NET_RAW is refused. */
FIXTURE_VARIANT_ADD(cap, drop_all) {
	.caps = 0,
	.uts = -EPERM, .userns_mount = -EPERM, .nested_pidns = -EPERM,
	.raw = -EPERM,
};

/* Complain mode refuses nothing. */
FIXTURE_VARIANT_ADD(cap, complain) {
	.caps = 0, .mode = BRIG_MODE_COMPLAIN,
	.uts = 0, .userns_mount = 0, .nested_pidns = 0, .raw = 0,
};

FIXTURE_SETUP(cap)
{
	struct brig_policy_spec policy = {
		.caps = variant->caps, .mode = variant->mode, .flags = variant->flags,
	};
	struct brig_error *err = NULL;

	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
	ASSERT_BRIG_OK(brig_box_start(self->nl, &self->box, "caps", &policy,
				      box_actions, NULL, 0, &err), err);
	self->started = true;
}

FIXTURE_TEARDOWN(cap)
{
	if (self->started)
		EXPECT_EQ(0, brig_box_stop(&self->box));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

TEST_F(cap, new_uts_namespace)
{
	EXPECT_EQ(variant->uts, brig_box_do(&self->box, 'u'));
}

TEST_F(cap, not_regained_through_a_nested_user_namespace)
{
	EXPECT_EQ(variant->userns_mount, brig_box_do(&self->box, 'm'));
}

TEST_F(cap, nested_pid_namespace_stays_confined)
{
	EXPECT_EQ(variant->nested_pidns, brig_box_do(&self->box, 'p'));
}

TEST_F(cap, raw_socket_needs_net_raw)
{
	EXPECT_EQ(variant->raw, brig_box_do(&self->box, 'r'));
}

TEST_F(cap, denials_are_counted)
{
	struct brig_container_info info;
	struct brig_error *err = NULL;
	uint64_t expected = 0;

	brig_box_do(&self->box, 'u');
	brig_box_do(&self->box, 'r');
	ASSERT_BRIG_OK(brig_nl_get(self->nl, self->box.id, NULL, &info, &err), err);
	expected += !(variant->caps & CAP_BIT(CAP_SYS_ADMIN));
	expected += !(variant->caps & CAP_BIT(CAP_NET_RAW));
	/* At least one check per refused action; the kernel may ask twice. */
	if (expected) {
		EXPECT_LE(expected, info.denials[BRIG_KIND_CAP]);
	} else {
		EXPECT_EQ(0, info.denials[BRIG_KIND_CAP]);
	}
}

TEST_F(cap, tasks_outside_are_not_confined)
{
	EXPECT_EQ(0, in_child(new_uts_ns));
}

TEST_F(cap, live_update_flips_a_denial)
{
	struct brig_policy_spec policy = { .caps = variant->caps };
	struct brig_error *err = NULL;

	if (variant->mode == BRIG_MODE_COMPLAIN || variant->uts == 0)
		SKIP(return, "needs a variant that refuses CAP_SYS_ADMIN");
	ASSERT_EQ(-EPERM, brig_box_do(&self->box, 'u'));
	policy.caps |= CAP_BIT(CAP_SYS_ADMIN);
	ASSERT_BRIG_OK(brig_nl_set_policy(self->nl, self->box.id, NULL,
					  &policy, &err), err);
	EXPECT_EQ(0, brig_box_do(&self->box, 'u'));
	policy.caps = variant->caps;
	ASSERT_BRIG_OK(brig_nl_set_policy(self->nl, 0, "caps", &policy, &err),
		       err);
	EXPECT_EQ(-EPERM, brig_box_do(&self->box, 'u'));
}

TEST_HARNESS_MAIN
