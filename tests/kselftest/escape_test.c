// SPDX-License-Identifier: GPL-2.0
/*
 * tests/kselftest/nginx.pol (in the VM: /tests/nginx.pol) against the ways around a
 * file rule, tried from inside the container as an intruder would: its
 * capabilities, its root filesystem, plain and on overlayfs.
 *
 *   /tmp/esc            busybox tree, pivot_root'ed into before registration
 *   |-- bin/sh          a copy of busybox: deny /bin/sh mrwklx
 *   |-- bin/ls          deny /bin/{anything} wl
 *   |-- root/           deny /root/{anything} wl
 *   `-- tmp/            free
 *   /tmp/esc-ovl/{upper,work,merged}   overlay of /tmp/esc (variant "overlay")
 */
#include <sched.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
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
	    umount2(".", MNT_DETACH) || chdir("/") ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		return -errno;
	return 0;
}

static int fail(void)
{
	return -errno;
}

static int touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT, 0644);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* A memfd with a copy of @path, run by execveat(AT_EMPTY_PATH); 0 if it ran. */
static int memfd_run(const char *path)
{
	char *argv[] = { "true", NULL }, *envp[] = { NULL }, buf[65536];
	int in = open(path, O_RDONLY), fd, status;
	ssize_t n;
	pid_t pid;

	fd = syscall(SYS_memfd_create, "x", 0);
	if (in < 0 || fd < 0)
		return -EIO;
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(fd, buf, n) != n)
			return -EIO;
	}
	pid = fork();
	if (pid == 0) {
		syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
		_exit(errno);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status) ? -WEXITSTATUS(status) : 0;
}

static int tmpfile_linked_at(const char *to)
{
	int fd = open("/tmp", O_TMPFILE | O_WRONLY, 0755), ret = 0;
	char p[64];

	if (fd < 0)
		return -errno;
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, p, AT_FDCWD, to, AT_SYMLINK_FOLLOW))
		ret = -errno;
	close(fd);
	return ret;
}



#define ACT(name, ...) static int name(void) { __VA_ARGS__ }

/* The issue's own example: /bin's write-protected tree would live at /f. */
ACT(exchange_file_with_bin,
    if (touch("/tmp/f")) return -EIO;
    return brig_rename2("/tmp/f", "/bin", RENAME_EXCHANGE);)
ACT(exchange_bin_with_file,
    if (touch("/tmp/f")) return -EIO;
    return brig_rename2("/bin", "/tmp/f", RENAME_EXCHANGE);)
ACT(exchange_file_with_sh,
    if (touch("/tmp/f")) return -EIO;
    return brig_rename2("/tmp/f", "/bin/sh", RENAME_EXCHANGE);)
ACT(exchange_root_with_dir,
    if (mkdir("/tmp/d", 0755) && errno != EEXIST) return -EIO;
    return brig_rename2("/tmp/d", "/root", RENAME_EXCHANGE);)
ACT(rename_bin_away, return rename("/bin", "/tmp/bin") ? fail() : 0;)
ACT(link_sh_elsewhere, return link("/bin/sh", "/tmp/sh") ? fail() : 0;)
ACT(tmpfile_linked_into_bin, return tmpfile_linked_at("/bin/new");)
ACT(tmpfile_linked_into_root, return tmpfile_linked_at("/root/thing");)
ACT(sh_copied_to_memfd_runs, return memfd_run("/bin/ls");)
ACT(xattr_on_a_binary,
    return setxattr("/bin/ls", "security.brig", "1", 1, 0) ? fail() : 0;)
ACT(chattr_on_a_binary, return brig_set_flags("/bin/ls");)
ACT(mmap_sh_exec,
    int fd = open("/bin/sh", O_PATH), ret = 0; void *p; char pp[64];
    if (fd < 0) return fail();
    snprintf(pp, sizeof(pp), "/proc/self/fd/%d", fd);
    ret = open(pp, O_RDONLY);
    if (ret < 0) { ret = -errno; close(fd); return ret; }
    p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, ret, 0);
    close(ret); close(fd);
    return p == MAP_FAILED ? -errno : 0;)
/* What stays allowed. */
ACT(exchange_in_tmp,
    if (touch("/tmp/a") || touch("/tmp/b")) return -EIO;
    return brig_rename2("/tmp/a", "/tmp/b", RENAME_EXCHANGE);)
ACT(tmpfile_linked_in_tmp, return tmpfile_linked_at("/tmp/made");)

struct action {
	const char *what;
	int (*run)(void);
	int expect;
};

static const struct action actions[] = {
#define A(name, expect) { #name, name, expect }
	A(exchange_file_with_bin, -EACCES), A(exchange_bin_with_file, -EACCES),
	A(exchange_file_with_sh, -EACCES), A(exchange_root_with_dir, -EACCES),
	A(rename_bin_away, -EACCES), A(link_sh_elsewhere, -EACCES),
	A(tmpfile_linked_into_bin, -EACCES), A(tmpfile_linked_into_root, -EACCES),
	A(sh_copied_to_memfd_runs, -EACCES), A(xattr_on_a_binary, -EACCES),
	A(chattr_on_a_binary, -EACCES), A(mmap_sh_exec, -EACCES),
	A(exchange_in_tmp, 0), A(tmpfile_linked_in_tmp, 0),
};
#define N_ACTIONS (sizeof(actions) / sizeof(actions[0]))

static int box_actions(int cmd, void *arg)
{
	int status;
	pid_t pid;

	(void)arg;
	if ((unsigned int)cmd >= N_ACTIONS)
		return -EINVAL;
	pid = fork();
	if (pid == 0)
		_exit(-actions[cmd].run());
	waitpid(pid, &status, 0);
	return -WEXITSTATUS(status);
}

FIXTURE(escape) {
	struct brig_nl *nl;
	struct brig_box box;
	char root[64];
};

FIXTURE_VARIANT(escape) {
	bool overlay;
};

FIXTURE_VARIANT_ADD(escape, plain) {
	.overlay = false,
};

FIXTURE_VARIANT_ADD(escape, overlay) {
	.overlay = true,
};

FIXTURE_SETUP(escape)
{
	struct brig_policy_spec policy;
	struct brig_error *err = NULL;
	struct brig_pol *pol;

	ASSERT_EQ(0, system("umount /tmp/esc-ovl/merged 2>/dev/null; rm -rf /tmp/esc /tmp/esc-ovl && "
			    "cp -a /srv/rootfs /tmp/esc && mkdir -p /tmp/esc/root /tmp/esc/tmp && "
			    "chmod 1777 /tmp/esc/tmp && rm -f /tmp/esc/bin/sh /tmp/esc/bin/ls"));
	ASSERT_EQ(0, brig_copy_file("/bin/busybox", "/tmp/esc/bin/sh", 0755));
	ASSERT_EQ(0, brig_copy_file("/bin/busybox", "/tmp/esc/bin/ls", 0755));
	snprintf(self->root, sizeof(self->root), "/tmp/esc");
	if (variant->overlay) {
		ASSERT_EQ(0, system("mkdir -p /tmp/esc-ovl/upper /tmp/esc-ovl/work /tmp/esc-ovl/merged"));
		ASSERT_EQ(0, mount("overlay", "/tmp/esc-ovl/merged", "overlay", 0,
				   "lowerdir=/tmp/esc,upperdir=/tmp/esc-ovl/upper,workdir=/tmp/esc-ovl/work"))
			TH_LOG("overlay: %s", strerror(errno));
		snprintf(self->root, sizeof(self->root), "/tmp/esc-ovl/merged");
	}
	ASSERT_BRIG_OK(brig_pol_parse_file(NGINX_POL, &pol, &err), err);
	ASSERT_BRIG_OK(brig_kernel_policy_from_pol(pol, &policy, &err), err);
	brig_pol_free(pol);
	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
	ASSERT_BRIG_OK(brig_box_start_setup(self->nl, &self->box, "nginx", &policy,
					    enter_root, self->root, box_actions,
					    NULL, 0, &err), err);
	brig_policy_spec_release(&policy);
}

FIXTURE_TEARDOWN(escape)
{
	EXPECT_EQ(0, brig_box_stop(&self->box));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
	if (variant->overlay)
		umount("/tmp/esc-ovl/merged");
}

TEST_F_TIMEOUT(escape, nginx_pol_holds_against_every_way_around, 600)
{
	char path[128];
	struct stat st;
	size_t i;

	for (i = 0; i < N_ACTIONS; i++) {
		const struct action *a = &actions[i];
		int res = brig_box_do(&self->box, (char)i);

		/* 6.1's overlayfs has no O_TMPFILE: nothing to walk around. */
		if (res == -EOPNOTSUPP && variant->overlay) {
			TH_LOG("%s: not supported here", a->what);
			continue;
		}
		EXPECT_EQ(a->expect, res) TH_LOG("%s", a->what ? a->what : "?");
	}
	/* /bin is still the directory it was. */
	snprintf(path, sizeof(path), "%s/bin/ls", self->root);
	EXPECT_EQ(0, stat(path, &st));
	snprintf(path, sizeof(path), "%s/root/thing", self->root);
	EXPECT_EQ(-1, stat(path, &st));
}

TEST_HARNESS_MAIN
