// SPDX-License-Identifier: GPL-2.0
/*
 * The capability mask: a capability outside the policy's set fails with
 * EPERM for every task of the container, in any user namespace, including
 * one the container creates, and in nested pid namespaces; also where the
 * kernel asks cap_capable() directly (PR_SET_SECUREBITS, capset's
 * inheritable set, mmap below vm.mmap_min_addr), and through an io_uring
 * personality kept past a credential change.
 *
 *   test process
 *    `-- box init (container)            runs the actions below
 *         `-- helper (forked per action: unshare changes its caller)
 *              `-- [new user ns / new pid ns, depending on the action]
 */
#include <sched.h>
#include <netinet/in.h>
#include <linux/io_uring.h>
#include <linux/securebits.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/xattr.h>

#include "common.h"

/* The variant's mask, for the box (its copy of the test's memory). */
static uint64_t box_caps;

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

/* PR_SET_SECUREBITS as root of a new user namespace: CAP_SETPCAP there. */
static int securebits_in_new_userns(void)
{
	if (unshare(CLONE_NEWUSER))
		return -errno;
	return prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS, 0, 0, 0) ? -errno : 0;
}

static int capset_sets(uint64_t effective, uint64_t permitted,
		       uint64_t inheritable)
{
	struct __user_cap_header_struct head = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = {
		{ (uint32_t)effective, (uint32_t)permitted, (uint32_t)inheritable },
		{ effective >> 32, permitted >> 32, inheritable >> 32 },
	};

	return syscall(SYS_capset, &head, data) ? -errno : 0;
}

/*
 * In a new user namespace, drop CAP_SYS_ADMIN from the permitted set, then
 * make it inheritable again: beyond the permitted set, CAP_SETPCAP's.
 */
static int capset_inheritable_in_new_userns(void)
{
	uint64_t all = (1ULL << (CAP_LAST_CAP + 1)) - 1;
	uint64_t some = all & ~CAP_BIT(CAP_SYS_ADMIN);
	int ret;

	if (unshare(CLONE_NEWUSER))
		return -errno;
	ret = capset_sets(some, some, 0);
	if (ret)
		return ret == -EPERM ? -EIO : ret;	/* not the check tested */
	return capset_sets(some, some, CAP_BIT(CAP_SYS_ADMIN));
}

/* A fixed mapping at @addr, below vm.mmap_min_addr: CAP_SYS_RAWIO's. */
static int map_at(unsigned long addr)
{
	void *p = mmap((void *)addr, 4096, PROT_READ,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	if (p == MAP_FAILED)
		return -errno;
	munmap(p, 4096);
	return 0;
}

static int map_at_0(void)
{
	return map_at(0);
}

static int map_at_4096(void)
{
	return map_at(4096);
}

/*
 * An io_uring FSETXATTR of a trusted.* attribute (CAP_SYS_ADMIN), with a
 * personality: the request runs, in an io-wq worker, with the credential
 * the personality holds. With CAP_SETPCAP in the mask, the task drops its
 * bounding set to the mask first, as launch does, and changes its
 * credentials after registering the personality, which keeps the old one.
 * (Without, it cannot drop the bounding set, and a credential it kept would
 * not be judged: see docs/abi.md.) -ENOSYS: no io_uring here.
 */
static int io_uring_setxattr_as_old_self(void)
{
	static const char name[] = "trusted.brig", value[] = "1";
	struct io_uring_params params = { 0 };
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqe;
	unsigned int *sq_tail, *sq_array, *cq_head;
	void *sq, *cq;
	bool launched = box_caps & CAP_BIT(CAP_SETPCAP);
	int ring, personality, fd, cap;

	if (launched) {
		for (cap = 0; cap <= CAP_LAST_CAP; cap++) {
			if (!(box_caps & CAP_BIT(cap)) &&
			    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0))
				return -EIO;
		}
	}
	fd = open("/tmp/cap_test.xattr", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -EIO;
	ring = syscall(__NR_io_uring_setup, 4, &params);
	if (ring < 0)
		return errno == ENOSYS || errno == EPERM ? -ENOSYS : -EIO;
	personality = syscall(__NR_io_uring_register, ring,
			      IORING_REGISTER_PERSONALITY, NULL, 0);
	if (personality < 0)
		return -ENOSYS;
	/* A new credential for the task; the personality keeps the old one. */
	if (launched && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		return -EIO;
	sq = mmap(NULL, params.sq_off.array + params.sq_entries * sizeof(unsigned int),
		  PROT_READ | PROT_WRITE, MAP_SHARED, ring, IORING_OFF_SQ_RING);
	cq = mmap(NULL, params.cq_off.cqes + params.cq_entries * sizeof(*cqe),
		  PROT_READ | PROT_WRITE, MAP_SHARED, ring, IORING_OFF_CQ_RING);
	sqes = mmap(NULL, params.sq_entries * sizeof(*sqes),
		    PROT_READ | PROT_WRITE, MAP_SHARED, ring, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED)
		return -EIO;
	sq_tail = (unsigned int *)((char *)sq + params.sq_off.tail);
	sq_array = (unsigned int *)((char *)sq + params.sq_off.array);
	cq_head = (unsigned int *)((char *)cq + params.cq_off.head);
	memset(&sqes[0], 0, sizeof(sqes[0]));
	sqes[0].opcode = IORING_OP_FSETXATTR;
	sqes[0].fd = fd;
	sqes[0].addr = (uintptr_t)name;
	sqes[0].addr2 = (uintptr_t)value;
	sqes[0].len = sizeof(value) - 1;
	sqes[0].personality = personality;
	sq_array[0] = 0;
	__atomic_store_n(sq_tail, *sq_tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0) != 1)
		return -EIO;
	cqe = (struct io_uring_cqe *)((char *)cq + params.cq_off.cqes) +
	      (*cq_head & *(unsigned int *)((char *)cq + params.cq_off.ring_mask));
	return cqe->res;
}

static int box_actions(int cmd, void *arg)
{
	(void)arg;
	switch (cmd) {
	case 'b':
		return in_child(securebits_in_new_userns);
	case 'i':
		return in_child(capset_inheritable_in_new_userns);
	case '0':
		return in_child(map_at_0);
	case '4':
		return in_child(map_at_4096);
	case 'o':
		return in_child(io_uring_setxattr_as_old_self);
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
	int securebits, inheritable, low_mmap;
};

/* Docker's default set: no CAP_SYS_ADMIN, CAP_NET_RAW allowed. */
FIXTURE_VARIANT_ADD(cap, docker_default) {
	.caps = DOCKER_DEFAULT_CAPS,
	.uts = -EPERM, .userns_mount = -EPERM, .nested_pidns = -EPERM, .raw = 0,
	.securebits = 0, .inheritable = 0, .low_mmap = -EPERM,
};

/* The positive control: with CAP_SYS_ADMIN every action works. */
FIXTURE_VARIANT_ADD(cap, with_sys_admin) {
	.caps = DOCKER_DEFAULT_CAPS | CAP_BIT(CAP_SYS_ADMIN),
	.flags = BRIG_POLICY_F_MOUNT,
	.uts = 0, .userns_mount = 0, .nested_pidns = 0, .raw = 0,
	.securebits = 0, .inheritable = 0, .low_mmap = -EPERM,
};

/* Docker's default set without CAP_SETPCAP, with CAP_SYS_RAWIO. */
FIXTURE_VARIANT_ADD(cap, rawio_no_setpcap) {
	.caps = (DOCKER_DEFAULT_CAPS & ~CAP_BIT(CAP_SETPCAP)) |
		CAP_BIT(CAP_SYS_RAWIO),
	.uts = -EPERM, .userns_mount = -EPERM, .nested_pidns = -EPERM, .raw = 0,
	.securebits = -EPERM, .inheritable = -EPERM, .low_mmap = 0,
};

/* `caps drop ALL`: even CAP_NET_RAW is refused. */
FIXTURE_VARIANT_ADD(cap, drop_all) {
	.caps = 0,
	.uts = -EPERM, .userns_mount = -EPERM, .nested_pidns = -EPERM,
	.raw = -EPERM,
	.securebits = -EPERM, .inheritable = -EPERM, .low_mmap = -EPERM,
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

	box_caps = variant->caps;
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

/* cap_task_prctl() asks cap_capable() itself, not security_capable(). */
TEST_F(cap, securebits_in_a_nested_user_namespace)
{
	EXPECT_EQ(variant->securebits, brig_box_do(&self->box, 'b'));
}

/* So does capset's check of the inheritable set. */
TEST_F(cap, inheritable_beyond_permitted_in_a_nested_user_namespace)
{
	EXPECT_EQ(variant->inheritable, brig_box_do(&self->box, 'i'));
}

/* And cap_mmap_addr(): root maps page 0 only with CAP_SYS_RAWIO. */
TEST_F(cap, map_below_mmap_min_addr)
{
	unsigned long min = 0;
	FILE *f = fopen("/proc/sys/vm/mmap_min_addr", "r");

	ASSERT_NE(NULL, f);
	ASSERT_EQ(1, fscanf(f, "%lu", &min));
	fclose(f);
	if (min == 0)
		SKIP(return, "vm.mmap_min_addr is 0");
	EXPECT_EQ(variant->low_mmap, brig_box_do(&self->box, '0'));
	if (min > 4096)
		EXPECT_EQ(variant->low_mmap, brig_box_do(&self->box, '4'));
}

/*
 * A credential the task kept (an io_uring personality) is still the
 * container's, after the task moved on to a new one.
 */
TEST_F(cap, io_uring_personality_kept_past_a_credential_change)
{
	int want = (variant->caps & CAP_BIT(CAP_SYS_ADMIN)) ||
		   variant->mode == BRIG_MODE_COMPLAIN ? 0 : -EPERM;
	int ret = brig_box_do(&self->box, 'o');

	if (ret == -ENOSYS)
		SKIP(return, "no io_uring in this kernel");
	EXPECT_EQ(want, ret);
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
