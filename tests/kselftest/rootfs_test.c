// SPDX-License-Identifier: GPL-2.0
/*
 * tests/kselftest/nginx.pol (in the VM: /tests/nginx.pol) in a container with a busybox root
 * filesystem, as a person would try them: `touch /root/thing` fails and
 * leaves no file, `sh` and `/usr/bin/top` cannot run, `/bin/ls` runs. The
 * same on an overlayfs root, which the test (outside) mounts: there, an
 * append to a file of the lower layer copies it up with the mounter's
 * credentials, which is no business of the container's mask (it works, with
 * no capability event, under nginx.pol's mask and Docker's default one),
 * while the container's own capability checks still meet the mask.
 *
 *   /tmp/rfs            busybox tree (applets are links to /bin/busybox)
 *   |-- bin/sh          a copy of busybox, not a link: rules match the
 *   |-- bin/ls          file reached
 *   |-- usr/bin/top
 *   `-- root/
 *   /tmp/ovl/{upper,work,merged}   overlay of /tmp/rfs (variant "overlay")
 *
 * The box makes a mount namespace, pivot_roots into the root filesystem,
 * and only then is registered: a container with file rules may not change
 * its root.
 */
#include <sched.h>
#include <sys/mount.h>
#include <sys/xattr.h>

#include "common.h"
#include "lib/policy.h"

#define NGINX_POL "/tests/nginx.pol"

static int enter_root(void *arg)
{
	const char *root = arg;

	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount(root, root, NULL, MS_BIND | MS_REC, NULL) ||
	    chdir(root) || syscall(SYS_pivot_root, ".", ".") ||
	    umount2(".", MNT_DETACH) || chdir("/"))
		return -errno;
	return 0;
}

/* Runs argv in a child, output discarded; 0 if it exited 0, else -errno. */
static int run(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execv(argv[0], argv);
		_exit(errno);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? -WEXITSTATUS(status) : -ECHILD;
}

static int box_actions(int cmd, void *arg)
{
	char *touch[] = { "/bin/touch", "/root/thing", NULL };
	char *sh[] = { "/bin/sh", "-c", "exit 0", NULL };
	char *top[] = { "/usr/bin/top", "-b", "-n", "1", NULL };
	char *ls[] = { "/bin/ls", "-d", "/", NULL };

	int fd;

	(void)arg;
	switch (cmd) {
	case 'a':	/* append to a file of the image: a copy-up on overlay */
		fd = open("/etc/passwd", O_WRONLY | O_APPEND | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		if (write(fd, "\n", 1) != 1) {
			close(fd);
			return -EIO;
		}
		close(fd);
		return 0;
	case 'x':	/* a trusted.* attribute: CAP_SYS_ADMIN, not in the mask */
		return setxattr("/etc/passwd", "trusted.brig", "1", 1, 0) ?
		       -errno : 0;
	case 't':
		return run(touch);
	case 's':
		return run(sh);
	case 'T':
		return run(top);
	case 'l':
		return run(ls);
	}
	return -EINVAL;
}

FIXTURE(rootfs) {
	struct brig_nl *nl;
	struct brig_box box;
	char root[64];
};

FIXTURE_VARIANT(rootfs) {
	bool overlay;
	uint64_t caps;	/* 0: nginx.pol's */
};

FIXTURE_VARIANT_ADD(rootfs, plain) {
	.overlay = false,
};

FIXTURE_VARIANT_ADD(rootfs, overlay) {
	.overlay = true,
};

/* An image as Docker runs it: overlay root, Docker's default capabilities. */
FIXTURE_VARIANT_ADD(rootfs, overlay_docker_caps) {
	.overlay = true,
	.caps = DOCKER_DEFAULT_CAPS,
};

FIXTURE_SETUP(rootfs)
{
	struct brig_policy_spec policy;
	struct brig_error *err = NULL;
	struct brig_pol *pol;

	ASSERT_EQ(0, system("umount /tmp/ovl/merged 2>/dev/null; rm -rf /tmp/rfs /tmp/ovl && "
			    "cp -a /srv/rootfs /tmp/rfs && mkdir -p /tmp/rfs/root && "
			    "rm -f /tmp/rfs/bin/sh /tmp/rfs/bin/ls /tmp/rfs/usr/bin/top"));
	ASSERT_EQ(0, brig_copy_file("/bin/busybox", "/tmp/rfs/bin/sh", 0755));
	ASSERT_EQ(0, brig_copy_file("/bin/busybox", "/tmp/rfs/bin/ls", 0755));
	ASSERT_EQ(0, brig_copy_file("/bin/busybox", "/tmp/rfs/usr/bin/top", 0755));
	snprintf(self->root, sizeof(self->root), "/tmp/rfs");
	if (variant->overlay) {
		ASSERT_EQ(0, system("mkdir -p /tmp/ovl/upper /tmp/ovl/work /tmp/ovl/merged"));
		ASSERT_EQ(0, mount("overlay", "/tmp/ovl/merged", "overlay", 0,
				   "lowerdir=/tmp/rfs,upperdir=/tmp/ovl/upper,workdir=/tmp/ovl/work"))
			TH_LOG("overlay: %s", strerror(errno));
		snprintf(self->root, sizeof(self->root), "/tmp/ovl/merged");
	}

	/* What brig.ko enforces for tests/kselftest/nginx.pol: caps, ceiling, network, files. */
	ASSERT_BRIG_OK(brig_pol_parse_file(NGINX_POL, &pol, &err), err);
	ASSERT_BRIG_OK(brig_kernel_policy_from_pol(pol, &policy, &err), err);
	ASSERT_LT(0, policy.dfa_states);
	brig_pol_free(pol);
	if (variant->caps)
		policy.caps = variant->caps;
	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
	ASSERT_BRIG_OK(brig_box_start_setup(self->nl, &self->box, "nginx", &policy,
					    enter_root, self->root, box_actions,
					    NULL, 0, &err), err);
	brig_policy_spec_release(&policy);
}

FIXTURE_TEARDOWN(rootfs)
{
	EXPECT_EQ(0, brig_box_stop(&self->box));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
	if (variant->overlay)
		umount("/tmp/ovl/merged");
}

TEST_F_TIMEOUT(rootfs, touch_root_thing_fails_and_leaves_no_file, 300)
{
	char path[128];
	struct stat st;

	EXPECT_EQ(-1, brig_box_do(&self->box, 't'));	/* touch exits 1 */
	snprintf(path, sizeof(path), "%s/root/thing", self->root);
	EXPECT_EQ(-1, stat(path, &st)) TH_LOG("%s exists", path);
}

TEST_F_TIMEOUT(rootfs, sh_cannot_run, 300)
{
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 's'));
}

TEST_F_TIMEOUT(rootfs, top_cannot_run, 300)
{
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 'T'));
}

TEST_F_TIMEOUT(rootfs, ls_runs, 300)
{
	EXPECT_EQ(0, brig_box_do(&self->box, 'l'));
}

static uint64_t cap_denials(struct __test_metadata *const _metadata,
			    FIXTURE_DATA(rootfs) *self)
{
	struct brig_container_info info = { 0 };
	struct brig_error *err = NULL;

	if (brig_nl_get(self->nl, self->box.id, NULL, &info, &err) < 0) {
		TH_LOG("brig_nl_get: %s", err->msg);
		brig_error_free(&err);
		return UINT64_MAX;
	}
	return info.denials[BRIG_KIND_CAP];
}

TEST_F_TIMEOUT(rootfs, append_to_an_image_file_works_without_a_cap_event, 300)
{
	EXPECT_EQ(0, brig_box_do(&self->box, 'a'));
	EXPECT_EQ(0, cap_denials(_metadata, self));
}

TEST_F_TIMEOUT(rootfs, the_mask_still_holds_for_the_task, 300)
{
	EXPECT_EQ(-EPERM, brig_box_do(&self->box, 'x'));
	EXPECT_LE(1, cap_denials(_metadata, self));
}

TEST_HARNESS_MAIN
