// SPDX-License-Identifier: GPL-2.0
/*
 * Mounts: a box with CAP_SYS_ADMIN in its mask and a mount namespace of its
 * own tries every way to change its mount tree, or to make a mount: each is
 * refused with EPERM and a MOUNT event unless the policy has
 * BRIG_POLICY_F_MOUNT (`allow mount`), with which each works.
 *
 *   box (CLONE_NEWPID | CLONE_NEWNS; set up before it is registered)
 *    |  / made rprivate, a tmpfs on /tmp/mt holding:
 *    |    a/ b/ c/ d/ src/   empty directories
 *    |    pre/ pre2/         tmpfs mounts
 *    |    root/              a tmpfs mount with old/ in it, for pivot_root
 *    |  fs_fd: fsopen("tmpfs") + FSCONFIG_CMD_CREATE, for fsmount
 *    |  tree_fd: open_tree(/tmp/mt/src, OPEN_TREE_CLONE), for move_mount
 *    `-- child per action, in a mount namespace of its own (unshare), so
 *        that what an allowed action changes is gone with it; fsopen and
 *        open_tree also from 32-bit code (int $0x80)
 *
 * Also: tests/kselftest/nginx.pol's rules hold when the container also has
 * CAP_SYS_ADMIN (a tmpfs over /bin is refused), and with `allow mount` a
 * container with file rules still may not pivot_root (file.c's rule).
 */
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>

#include "common.h"
#include "lib/dfa.h"

#define MT "/tmp/mt"

static int fs_fd = -1, tree_fd = -1;

static int box_setup(void *arg)
{
	static const char *const dirs[] = {
		MT "/a", MT "/b", MT "/c", MT "/d", MT "/src", MT "/pre", MT "/pre2",
		MT "/root",
	};
	size_t i;

	(void)arg;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    (mkdir(MT, 0755) && errno != EEXIST) ||
	    mount("mt", MT, "tmpfs", 0, NULL))
		return -errno;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (mkdir(dirs[i], 0755))
			return -errno;
	}
	if (mount("pre", MT "/pre", "tmpfs", 0, NULL) ||
	    mount("pre2", MT "/pre2", "tmpfs", 0, NULL) ||
	    mount("root", MT "/root", "tmpfs", 0, NULL) ||
	    mkdir(MT "/root/old", 0755))
		return -errno;
	fs_fd = fsopen("tmpfs", 0);
	if (fs_fd < 0 || fsconfig(fs_fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		return -errno;
	tree_fd = open_tree(AT_FDCWD, MT "/src", OPEN_TREE_CLONE);
	if (tree_fd < 0)
		return -errno;
	return 0;
}

static int fail(void)
{
	return -errno;
}

static int keep(int fd)
{
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/*
 * A 32-bit system call from this 64-bit program: int $0x80 enters the
 * kernel's ia32 entry (__ia32_sys_*), with its own numbers and pointers
 * below 4 GiB.
 */
static long int80(long nr, long a, long b, long c)
{
	long ret;

	asm volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c)
		     : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

#define NR32_OPEN_TREE 428	/* the same numbers as x86-64's, for these */
#define NR32_FSOPEN 430

/* @s copied below 4 GiB, for int80(). */
static long low(const char *s)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

	if (p == MAP_FAILED)
		return 0;
	strcpy(p, s);
	return (long)p;
}

static int keep32(long ret)
{
	if (ret < 0)
		return ret;
	close(ret);
	return 0;
}

static int action(int cmd)
{
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };

	switch (cmd) {
	case 'T':
		return mount("none", MT "/a", "tmpfs", 0, NULL) ? fail() : 0;
	case 'B':
		return mount(MT "/src", MT "/b", NULL, MS_BIND, NULL) ? fail() : 0;
	case 'R':
		return mount(NULL, MT "/pre", NULL, MS_REMOUNT | MS_RDONLY, NULL) ? fail() : 0;
	case 'M':
		return mount(MT "/pre", MT "/c", NULL, MS_MOVE, NULL) ? fail() : 0;
	case 'P':
		return mount(NULL, MT "/pre", NULL, MS_SHARED, NULL) ? fail() : 0;
	case 'U':
		return umount2(MT "/pre2", 0) ? fail() : 0;
	case 'V':
		if (chdir(MT "/root"))
			return fail();
		return syscall(SYS_pivot_root, ".", "old") ? fail() : 0;
	case 'F':
		return keep(fsopen("tmpfs", 0));
	case 'm':
		return keep(fsmount(fs_fd, 0, 0));
	case 'p':
		return keep(fspick(AT_FDCWD, MT "/pre", 0));
	case 'o':
		return keep(open_tree(AT_FDCWD, MT "/src", OPEN_TREE_CLONE));
	case 'O':
		return keep(open_tree(AT_FDCWD, MT "/src", 0));
	case 'v':
		return move_mount(tree_fd, "", AT_FDCWD, MT "/d", MOVE_MOUNT_F_EMPTY_PATH) ?
		       fail() : 0;
	case 'a':
		return mount_setattr(AT_FDCWD, MT "/pre", 0, &ro, sizeof(ro)) ? fail() : 0;
	case 'I':
		return keep32(int80(NR32_FSOPEN, low("tmpfs"), 0, 0));
	case 'J':
		return keep32(int80(NR32_OPEN_TREE, AT_FDCWD, low(MT "/src"), OPEN_TREE_CLONE));
	case 'b':	/* nginx.pol: a tmpfs over its write-protected /bin */
		return mount("none", "/bin", "tmpfs", 0, NULL) ? fail() : 0;
	}
	return -EINVAL;
}

/* Runs @cmd in a child with a mount namespace of its own; 0 or -errno. */
static int box_actions(int cmd, void *arg)
{
	int status;
	pid_t pid;

	(void)arg;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (unshare(CLONE_NEWNS))
			_exit(255);
		_exit(-action(cmd));
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return INT_MIN;
	return -WEXITSTATUS(status);
}

FIXTURE(mount) {
	struct brig_nl *nl, *listener;
	struct brig_box box;
	bool started;
};

FIXTURE_VARIANT(mount) {
	uint32_t flags;
	int expect;	/* what each mount operation gives */
};

/* Docker's AppArmor `deny mount`: brig's default. */
FIXTURE_VARIANT_ADD(mount, refused) {
	.flags = 0, .expect = -EPERM,
};

/* `allow mount` */
FIXTURE_VARIANT_ADD(mount, allowed) {
	.flags = BRIG_POLICY_F_MOUNT, .expect = 0,
};

FIXTURE_SETUP(mount)
{
	struct brig_policy_spec policy = {
		.caps = DOCKER_DEFAULT_CAPS | CAP_BIT(CAP_SYS_ADMIN),
		.flags = variant->flags,
	};
	struct brig_error *err = NULL;

	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
	self->listener = brig_open(_metadata);
	ASSERT_NE(NULL, self->listener);
	ASSERT_BRIG_OK(brig_nl_subscribe(self->listener, &err), err);
	ASSERT_BRIG_OK(brig_box_start_setup(self->nl, &self->box, "mounts", &policy,
					    box_setup, NULL, box_actions, NULL,
					    CLONE_NEWNS, &err), err);
	self->started = true;
}

FIXTURE_TEARDOWN(mount)
{
	if (self->started)
		EXPECT_EQ(0, brig_box_stop(&self->box));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->listener);
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

/* Runs @cmd; refused, it must have sent a MOUNT event for @op on @path. */
static void try_op(struct __test_metadata *const _metadata, FIXTURE_DATA(mount) * self,
		   const FIXTURE_VARIANT(mount) * variant, char cmd, const char *op,
		   const char *path)
{
	struct brig_container_info info;
	struct brig_error *err = NULL;
	struct brig_event_info ev;

	EXPECT_EQ(variant->expect, brig_box_do(&self->box, cmd)) TH_LOG("%s", op);
	ASSERT_BRIG_OK(brig_nl_get(self->nl, self->box.id, NULL, &info, &err), err);
	if (!variant->expect) {
		EXPECT_EQ(0, info.denials[BRIG_KIND_MOUNT]);
		return;
	}
	EXPECT_EQ(1, info.denials[BRIG_KIND_MOUNT]);
	ASSERT_EQ(0, brig_next_event_of(self->listener, self->box.id, BRIG_KIND_MOUNT, &ev));
	EXPECT_STREQ(op, ev.op);
	EXPECT_STREQ(path, ev.path);
	EXPECT_EQ(BRIG_VERDICT_DENIED, ev.verdict);
}

#define MOUNT_TEST(name, cmd, op, path)				\
	TEST_F_TIMEOUT(mount, name, 120)			\
	{							\
		try_op(_metadata, self, variant, cmd, op, path);	\
	}

MOUNT_TEST(new_tmpfs, 'T', "mount", MT "/a")
MOUNT_TEST(bind, 'B', "bind", MT "/b")
MOUNT_TEST(remount_read_only, 'R', "remount", MT "/pre")
MOUNT_TEST(move, 'M', "move", MT "/c")
MOUNT_TEST(propagation, 'P', "propagation", MT "/pre")
MOUNT_TEST(umount, 'U', "umount", MT "/pre2")
MOUNT_TEST(pivot_root, 'V', "pivot_root", MT "/root")
MOUNT_TEST(fsopen, 'F', "fsopen", "")
MOUNT_TEST(fsmount, 'm', "fsmount", "")
MOUNT_TEST(fspick, 'p', "fspick", "")
MOUNT_TEST(open_tree_clone, 'o', "open_tree", "")
MOUNT_TEST(move_mount, 'v', "move_mount", MT "/d")
MOUNT_TEST(mount_setattr, 'a', "mount_setattr", "")
/* The same, from 32-bit code: the ia32 entries. */
MOUNT_TEST(fsopen_ia32, 'I', "fsopen", "")
MOUNT_TEST(open_tree_clone_ia32, 'J', "open_tree", "")

/* open_tree without OPEN_TREE_CLONE opens a path, as O_PATH does: allowed. */
TEST_F_TIMEOUT(mount, open_tree_without_clone_is_an_open, 120)
{
	EXPECT_EQ(0, brig_box_do(&self->box, 'O'));
}

/* The same box's tasks outside the container are not confined. */
TEST_F_TIMEOUT(mount, tasks_outside_are_not_confined, 120)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		      mount("none", "/tmp", "tmpfs", 0, NULL) ? 1 : 0);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* Box setup for the tests below: a mount namespace, private. */
static int private_ns(void *arg)
{
	(void)arg;
	return mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ? -errno : 0;
}

/*
 * tests/kselftest/nginx.pol, with CAP_SYS_ADMIN added (which voids its rules: the
 * test insists): its write-protected /bin cannot be covered by a tmpfs.
 */
TEST(nginx_rules_hold_against_a_tmpfs_over_bin)
{
	struct brig_nl *nl, *listener;
	struct brig_policy_spec policy;
	struct brig_error *err = NULL;
	struct brig_event_info ev;
	struct brig_pol *pol;
	struct brig_box box;

	ASSERT_BRIG_OK(brig_pol_parse_file("/tests/nginx.pol", &pol, &err), err);
	ASSERT_BRIG_OK(brig_kernel_policy_from_pol(pol, &policy, &err), err);
	brig_pol_free(pol);
	EXPECT_EQ(0, policy.flags & BRIG_POLICY_F_MOUNT);
	policy.caps |= CAP_BIT(CAP_SYS_ADMIN);
	/* libbrig refuses it, as launch would, unless insisted on. */
	ASSERT_EQ(0, brig_load());
	nl = brig_open(_metadata);
	ASSERT_NE(NULL, nl);
	listener = brig_open(_metadata);
	ASSERT_NE(NULL, listener);
	ASSERT_BRIG_OK(brig_nl_subscribe(listener, &err), err);
	EXPECT_EQ(-1, brig_box_start_setup(nl, &box, "nginx", &policy, private_ns, NULL,
					   box_actions, NULL, CLONE_NEWNS, &err));
	ASSERT_NE(NULL, err);
	EXPECT_NE(NULL, strstr(err->msg, "SYS_ADMIN")) TH_LOG("%s", err->msg);
	EXPECT_NE(NULL, strstr(err->msg, "--unsafe-caps")) TH_LOG("%s", err->msg);
	brig_error_free(&err);
	policy.unsafe_caps = true;
	ASSERT_BRIG_OK(brig_box_start_setup(nl, &box, "nginx", &policy, private_ns, NULL,
					    box_actions, NULL, CLONE_NEWNS, &err), err);
	EXPECT_EQ(-EPERM, brig_box_do(&box, 'b'));
	ASSERT_EQ(0, brig_next_event_of(listener, box.id, BRIG_KIND_MOUNT, &ev));
	EXPECT_STREQ("mount", ev.op);
	EXPECT_STREQ("/bin", ev.path);
	EXPECT_EQ(0, brig_box_stop(&box));
	EXPECT_EQ(0, brig_wait_no_container(nl));
	brig_policy_spec_release(&policy);
	brig_nl_close(listener);
	brig_nl_close(nl);
	EXPECT_EQ(0, brig_unload());
}

/* `allow mount` with file rules: pivot_root stays refused, as a file event. */
TEST(allow_mount_keeps_pivot_root_refused_with_file_rules)
{
	static const struct brig_file_rule rule = { "/nothing/here", BRIG_PERM_READ, 0 };
	struct brig_policy_spec policy = {
		.caps = DOCKER_DEFAULT_CAPS | CAP_BIT(CAP_SYS_ADMIN),
		.flags = BRIG_POLICY_F_MOUNT, .unsafe_caps = true,
	};
	struct brig_error *err = NULL;
	struct brig_nl *nl, *listener;
	struct brig_event_info ev;
	struct brig_dfa *dfa;
	struct brig_box box;
	void *blob;

	ASSERT_BRIG_OK(brig_dfa_compile(&rule, 1, &dfa, &err), err);
	ASSERT_BRIG_OK(brig_dfa_serialize(dfa, &blob, &policy.dfa_len, &err), err);
	brig_dfa_free(dfa);
	policy.dfa = blob;
	ASSERT_EQ(0, brig_load());
	nl = brig_open(_metadata);
	ASSERT_NE(NULL, nl);
	listener = brig_open(_metadata);
	ASSERT_NE(NULL, listener);
	ASSERT_BRIG_OK(brig_nl_subscribe(listener, &err), err);
	ASSERT_BRIG_OK(brig_box_start_setup(nl, &box, "pivot", &policy, box_setup, NULL,
					    box_actions, NULL, CLONE_NEWNS, &err), err);
	/* A mount is allowed, pivot_root is not: it would rename every rule. */
	EXPECT_EQ(0, brig_box_do(&box, 'T'));
	EXPECT_EQ(-EPERM, brig_box_do(&box, 'V'));
	ASSERT_EQ(0, brig_next_event_of(listener, box.id, BRIG_KIND_FILE, &ev));
	EXPECT_STREQ("pivot_root", ev.op);
	EXPECT_EQ(0, brig_box_stop(&box));
	EXPECT_EQ(0, brig_wait_no_container(nl));
	free(blob);
	brig_nl_close(listener);
	brig_nl_close(nl);
	EXPECT_EQ(0, brig_unload());
}

TEST_HARNESS_MAIN
