// SPDX-License-Identifier: GPL-2.0
/*
 * Device nodes: a box without a user namespace holds CAP_MKNOD, as a Docker
 * container does, and makes nodes for the kernel log, memory and a disk.
 * With BRIG_POLICY_F_DEVICES only the policy's devices open, and only for
 * their letters; the rest fails with EPERM and a DEVICE event, as Docker's
 * device cgroup refuses them. Without the flag (old clients) nothing is
 * checked: the same opens work, which is the attack.
 *
 *   /tmp/dt/            a tmpfs without nodev (the VM's /tmp has it); the
 *                       nodes are made by the box, after it is registered
 *   |-- kmsg            c 1:11   on no list
 *   |-- mem             c 1:1    on no list
 *   |-- disk            b 7:0    (loop0) on no list
 *   |-- null            c 1:3    listed rw
 *   |-- zero            c 1:5    listed r
 *   `-- tty             c 5:0    in Docker's list (any minor of 136 too)
 *
 * The box's mask is Docker's default set plus SYS_RAWIO and SYSLOG, so that
 * /dev/mem's and /dev/kmsg's own capability checks pass and brig.ko is what
 * refuses them.
 */
#include <sys/mount.h>
#include <sys/sysmacros.h>

#include "common.h"

#define DIR "/tmp/dt"
#define BOX_CAPS (DOCKER_DEFAULT_CAPS | CAP_BIT(CAP_SYS_RAWIO) | CAP_BIT(CAP_SYSLOG))

static const struct node {
	const char *name;
	mode_t type;
	unsigned int major, minor;
} nodes[] = {
	{ "kmsg", S_IFCHR, 1, 11 }, { "mem", S_IFCHR, 1, 1 },
	{ "disk", S_IFBLK, 7, 0 }, { "null", S_IFCHR, 1, 3 },
	{ "zero", S_IFCHR, 1, 5 },
};

static int try_open(const char *name, int flags)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), DIR "/%s", name);
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* Makes the nodes (in the box: CAP_MKNOD, no user namespace). */
static int make_nodes(void)
{
	char path[64];
	size_t i;

	for (i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		snprintf(path, sizeof(path), DIR "/%s", nodes[i].name);
		unlink(path);
		if (mknod(path, nodes[i].type | 0600, makedev(nodes[i].major, nodes[i].minor)))
			return -errno;
	}
	return 0;
}

static int box_actions(int cmd, void *arg)
{
	(void)arg;
	switch (cmd) {
	case 'n': return make_nodes();
	case 'k': return try_open("kmsg", O_RDONLY | O_NONBLOCK);
	case 'm': return try_open("mem", O_RDONLY);
	case 'd': return try_open("disk", O_RDONLY);
	case 'i': return try_open("mem", O_ACCMODE);	/* "ioctl only" */
	case 'N': return try_open("null", O_RDWR);
	case 'z': return try_open("zero", O_RDONLY);
	case 'Z': return try_open("zero", O_WRONLY);
	case 't': return try_open("zero", O_RDONLY | O_PATH);
	}
	return -EINVAL;
}

FIXTURE(device) {
	struct brig_nl *nl, *listener;
	struct brig_box box;
	bool started;
};

FIXTURE_VARIANT(device) {
	uint32_t flags;
	uint32_t mode;
	int unlisted;	/* what opening a node on no list gives */
	int zero_write;	/* O_WRONLY on the r-only entry */
};

/* Docker's way: only the listed devices. */
FIXTURE_VARIANT_ADD(device, listed_only) {
	.flags = BRIG_POLICY_F_DEVICES, .unlisted = -EPERM, .zero_write = -EPERM,
};

/* No flag, as an old client sends: no device check (the attack works). */
FIXTURE_VARIANT_ADD(device, no_flag) {
	.flags = 0, .unlisted = 0, .zero_write = 0,
};

/* Complain mode: reported, not refused. */
FIXTURE_VARIANT_ADD(device, complain) {
	.flags = BRIG_POLICY_F_DEVICES, .mode = BRIG_MODE_COMPLAIN,
	.unlisted = 0, .zero_write = 0,
};

FIXTURE_SETUP(device)
{
	struct brig_policy_spec policy = {
		.caps = BOX_CAPS,
		.mode = variant->mode, .flags = variant->flags,
		.n_devices = 3,
		.devices = {
			{ BRIG_DEVICE_CHAR, 1, 3, BRIG_PERM_READ | BRIG_PERM_WRITE },
			{ BRIG_DEVICE_CHAR, 1, 5, BRIG_PERM_READ },
			{ BRIG_DEVICE_CHAR, 136, BRIG_DEVICE_ANY, BRIG_PERM_READ | BRIG_PERM_WRITE },
		},
	};
	struct brig_error *err = NULL;

	ASSERT_EQ(0, system("umount " DIR " 2>/dev/null; rm -rf " DIR " && mkdir " DIR));
	ASSERT_EQ(0, mount("dt", DIR, "tmpfs", 0, "mode=755")) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
	self->listener = brig_open(_metadata);
	ASSERT_NE(NULL, self->listener);
	ASSERT_BRIG_OK(brig_nl_subscribe(self->listener, &err), err);
	ASSERT_BRIG_OK(brig_box_start(self->nl, &self->box, "devices", &policy,
				      box_actions, NULL, 0, &err), err);
	self->started = true;
	/* mknod itself is allowed: CAP_MKNOD, and no file rule. */
	ASSERT_EQ(0, brig_box_do(&self->box, 'n'));
}

FIXTURE_TEARDOWN(device)
{
	if (self->started)
		EXPECT_EQ(0, brig_box_stop(&self->box));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->listener);
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
	umount(DIR);
}

/* The next DEVICE event names @name, @dev, and the letters. */
static void expect_event(struct __test_metadata *const _metadata,
			 FIXTURE_DATA(device) * self, const FIXTURE_VARIANT(device) * variant,
			 const char *name, uint32_t type, dev_t dev, uint32_t requested,
			 uint32_t denied)
{
	struct brig_event_info ev;
	char path[64];

	if (!variant->flags)
		return;
	snprintf(path, sizeof(path), DIR "/%s", name);
	ASSERT_EQ(0, brig_next_event_of(self->listener, self->box.id,
					BRIG_KIND_DEVICE, &ev));
	EXPECT_STREQ(path, ev.path);
	EXPECT_STREQ("open", ev.op);
	EXPECT_EQ(type, ev.dev_type);
	EXPECT_EQ(major(dev), major(ev.dev));
	EXPECT_EQ(minor(dev), minor(ev.dev));
	EXPECT_EQ(requested, ev.requested);
	EXPECT_EQ(denied, ev.denied);
	EXPECT_EQ(variant->mode == BRIG_MODE_COMPLAIN ? BRIG_VERDICT_ALLOWED :
		  BRIG_VERDICT_DENIED, ev.verdict);
}

TEST_F_TIMEOUT(device, kernel_log_node_refused, 120)
{
	EXPECT_EQ(variant->unlisted, brig_box_do(&self->box, 'k'));
	expect_event(_metadata, self, variant, "kmsg", BRIG_DEVICE_CHAR,
		     makedev(1, 11), BRIG_PERM_READ, BRIG_PERM_READ);
}

TEST_F_TIMEOUT(device, memory_node_refused, 120)
{
	EXPECT_EQ(variant->unlisted, brig_box_do(&self->box, 'm'));
	expect_event(_metadata, self, variant, "mem", BRIG_DEVICE_CHAR,
		     makedev(1, 1), BRIG_PERM_READ, BRIG_PERM_READ);
}

TEST_F_TIMEOUT(device, disk_node_refused, 120)
{
	EXPECT_EQ(variant->unlisted, brig_box_do(&self->box, 'd'));
	expect_event(_metadata, self, variant, "disk", BRIG_DEVICE_BLOCK,
		     makedev(7, 0), BRIG_PERM_READ, BRIG_PERM_READ);
}

/* O_ACCMODE opens for ioctl only: the kernel checks it as rw, and so do we. */
TEST_F_TIMEOUT(device, ioctl_only_open_refused, 120)
{
	EXPECT_EQ(variant->unlisted, brig_box_do(&self->box, 'i'));
	expect_event(_metadata, self, variant, "mem", BRIG_DEVICE_CHAR, makedev(1, 1),
		     BRIG_PERM_READ | BRIG_PERM_WRITE, BRIG_PERM_READ | BRIG_PERM_WRITE);
}

TEST_F_TIMEOUT(device, listed_devices_open, 120)
{
	EXPECT_EQ(0, brig_box_do(&self->box, 'N'));
	EXPECT_EQ(0, brig_box_do(&self->box, 'z'));
	/* O_PATH opens no device. */
	EXPECT_EQ(0, brig_box_do(&self->box, 't'));
}

TEST_F_TIMEOUT(device, access_letters_hold, 120)
{
	EXPECT_EQ(variant->zero_write, brig_box_do(&self->box, 'Z'));
	expect_event(_metadata, self, variant, "zero", BRIG_DEVICE_CHAR,
		     makedev(1, 5), BRIG_PERM_WRITE, BRIG_PERM_WRITE);
}

TEST_F_TIMEOUT(device, denials_are_counted_and_shown, 120)
{
	struct brig_container_info info;
	struct brig_error *err = NULL;

	brig_box_do(&self->box, 'k');
	brig_box_do(&self->box, 'Z');
	ASSERT_BRIG_OK(brig_nl_get(self->nl, self->box.id, NULL, &info, &err), err);
	EXPECT_EQ(variant->flags ? 2 : 0, info.denials[BRIG_KIND_DEVICE]);
	EXPECT_EQ(variant->flags, info.policy.flags);
	ASSERT_EQ(3, info.policy.n_devices);
	EXPECT_EQ(BRIG_DEVICE_CHAR, info.policy.devices[1].type);
	EXPECT_EQ(1, info.policy.devices[1].major);
	EXPECT_EQ(5, info.policy.devices[1].minor);
	EXPECT_EQ(BRIG_PERM_READ, info.policy.devices[1].access);
	EXPECT_EQ(136, info.policy.devices[2].major);
	EXPECT_EQ(BRIG_DEVICE_ANY, info.policy.devices[2].minor);
}

/* A live update adds a device: it opens at once. */
TEST_F_TIMEOUT(device, live_update_exposes_a_device, 120)
{
	struct brig_policy_spec policy = {
		.caps = BOX_CAPS,
		.mode = variant->mode, .flags = variant->flags, .n_devices = 1,
		.devices = { { BRIG_DEVICE_CHAR, 1, 11, BRIG_PERM_READ } },
	};
	struct brig_error *err = NULL;

	if (!variant->flags || variant->mode == BRIG_MODE_COMPLAIN)
		SKIP(return, "needs a variant that refuses");
	ASSERT_EQ(-EPERM, brig_box_do(&self->box, 'k'));
	ASSERT_BRIG_OK(brig_nl_set_policy(self->nl, self->box.id, NULL, &policy, &err), err);
	EXPECT_EQ(0, brig_box_do(&self->box, 'k'));
	EXPECT_EQ(-EPERM, brig_box_do(&self->box, 'N'));
}

TEST_HARNESS_MAIN
