// SPDX-License-Identifier: GPL-2.0
/*
 * The container's root filesystem, from inside its mount namespace (see
 * setup.h). Paths inside the root are resolved with
 * openat2(RESOLVE_IN_ROOT) and mounted on through /proc/self/fd, as runc
 * does, so that a symbolic link in the image cannot send a mount outside
 * it; binds are cloned with open_tree and attached with move_mount.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/openat2.h>

#include "lib/cleanup.h"
#include "setup.h"

/* Docker's defaults (moby's oci/defaults.go); a '*' matches each CPU's. */
static const char *const masked_paths[] = {
	"/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys",
	"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
	"/proc/sched_debug", "/proc/scsi", "/sys/firmware",
	"/sys/devices/virtual/powercap", "/sys/devices/system/cpu/cpu*/thermal_throttle",
};

static const char *const readonly_paths[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

static const char *const default_devices[] = {
	"null", "zero", "full", "random", "urandom", "tty",
};

/* How a path in the container's root is made and opened. */
enum {
	IN_ROOT_FILE = 1 << 0,		/* made as an empty file, not a directory */
	/*
	 * Symbolic links on the way are followed, inside the root: for the
	 * policy's own mounts, as Docker's volumes. brig's own (/proc, /sys,
	 * /dev) never go through one (CVE-2019-16884, CVE-2023-28642).
	 */
	IN_ROOT_FOLLOW = 1 << 1,
	IN_ROOT_RO = 1 << 2,		/* a bind mount, read-only */
};

/* Opens @path inside @root (O_PATH), or -1 with errno. */
static int open_in_root(int root, const char *path, unsigned int how_flags)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS |
			   (how_flags & IN_ROOT_FOLLOW ? 0 : RESOLVE_NO_SYMLINKS),
	};

	return syscall(SYS_openat2, root, path, &how, sizeof(how));
}

/*
 * Opens @path inside @root, first making it (a directory, or an empty file
 * with IN_ROOT_FILE) and its missing parents.
 */
static int make_in_root(int root, const char *path, unsigned int how,
			struct brig_error **err)
{
	char *parent brig_cleanup_free = NULL, *leaf;
	int dir brig_cleanup_close = -1;
	int fd, ret;

	fd = open_in_root(root, path, how);
	if (fd >= 0 || errno != ENOENT)
		goto out;
	parent = strdup(path);
	if (!parent)
		return brig_error_make(err, ENOMEM, "%s", path);
	leaf = strrchr(parent, '/');
	if (!leaf || !leaf[1])
		return brig_error_make(err, EINVAL, "cannot make `%s` in the container", path);
	*leaf++ = '\0';
	dir = make_in_root(root, *parent ? parent : "/", how & IN_ROOT_FOLLOW, err);
	if (dir < 0)
		return -1;
	if (how & IN_ROOT_FILE) {
		ret = openat(dir, leaf, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
		if (ret >= 0)
			close(ret);
	} else {
		ret = mkdirat(dir, leaf, 0755);
	}
	if (ret < 0 && errno != EEXIST)
		return brig_error_make(err, errno, "making `%s` in the container", path);
	fd = open_in_root(root, path, how);
out:
	if (fd < 0 && errno == ELOOP)
		return brig_error_make(err, errno, "`%s` in the container goes through a symbolic link",
				       path);
	if (fd < 0)
		return brig_error_make(err, errno, "opening `%s` in the container", path);
	return fd;
}

static const char *fd_path(int fd, char buf[32])
{
	snprintf(buf, 32, "/proc/self/fd/%d", fd);
	return buf;
}

/* Mounts on @inside (made if missing) in the container's root. */
static int mount_inside(int root, const char *inside, unsigned int how, const char *src,
			const char *fstype, unsigned long flags, const char *data,
			struct brig_error **err)
{
	int fd brig_cleanup_close = make_in_root(root, inside, how, err);
	char buf[32];

	if (fd < 0)
		return -1;
	if (mount(src, fd_path(fd, buf), fstype, flags, data))
		return brig_error_make(err, errno, "mounting %s on `%s`",
				       fstype ? fstype : src, inside);
	return 0;
}

/*
 * Makes the mount @fd is the root of, and every mount below it, read-only
 * (with @extra MOUNT_ATTR_* too): a submount must not be the way to write.
 */
static int readonly_tree(int fd, uint64_t extra, const char *what, struct brig_error **err)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY | extra };

	if (mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)))
		return brig_error_make(err, errno, "making `%s` read-only", what);
	return 0;
}

/*
 * Binds @host (and the mounts below it) on @inside, made if missing. The
 * tree is cloned detached and, with IN_ROOT_RO, made read-only before it
 * is attached: there is no moment, and no second lookup of @inside, where
 * it is writable.
 */
static int bind_inside(int root, const char *host, const char *inside, unsigned int how,
		       struct brig_error **err)
{
	int tree brig_cleanup_close = -1, fd brig_cleanup_close = -1;
	struct stat st;

	tree = open_tree(AT_FDCWD, host, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (tree < 0 || fstat(tree, &st))
		return brig_error_make(err, errno, "bind mount source `%s`", host);
	fd = make_in_root(root, inside, how | (S_ISDIR(st.st_mode) ? 0 : IN_ROOT_FILE), err);
	if (fd < 0)
		return -1;
	if ((how & IN_ROOT_RO) && readonly_tree(tree, 0, inside, err))
		return -1;
	if (move_mount(tree, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH))
		return brig_error_make(err, errno, "bind mounting `%s` on `%s`", host, inside);
	return 0;
}

static int setup_dev(int root, const struct brig_container_spec *spec, struct brig_error **err)
{
	static const char *const links[][2] = {
		{ "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" },
		{ "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
		{ "pts/ptmx", "ptmx" },
	};
	char host[PATH_MAX], inside[PATH_MAX];
	size_t i;
	int dev brig_cleanup_close = -1;

	if (spec->host_dev)
		return bind_inside(root, "/dev", "/dev", 0, err);
	if (mount_inside(root, "/dev", 0, "tmpfs", "tmpfs", MS_NOSUID | MS_STRICTATIME,
			 "mode=755,size=65536k", err) ||
	    mount_inside(root, "/dev/pts", 0, "devpts", "devpts", MS_NOSUID | MS_NOEXEC,
			 "newinstance,ptmxmode=0666,mode=0620", err) ||
	    mount_inside(root, "/dev/shm", 0, "shm", "tmpfs",
			 MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k", err))
		return -1;
	if ((spec->namespaces & BRIG_NS_IPC) &&
	    mount_inside(root, "/dev/mqueue", 0, "mqueue", "mqueue",
			 MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, err))
		return -1;
	/* Device nodes cannot be made in a user namespace: the host's are bound. */
	for (i = 0; i < sizeof(default_devices) / sizeof(default_devices[0]); i++) {
		snprintf(host, sizeof(host), "/dev/%s", default_devices[i]);
		if (bind_inside(root, host, host, 0, err))
			return -1;
	}
	for (i = 0; i < spec->n_devices; i++) {
		const struct brig_device_node *d = &spec->devices[i];

		snprintf(inside, sizeof(inside), "%s", d->inside ? d->inside : d->host);
		if (bind_inside(root, d->host, inside, 0, err))
			return brig_error_wrap(err, "device %s", d->host);
	}
	dev = open_in_root(root, "/dev", 0);
	if (dev < 0)
		return brig_error_make(err, errno, "opening /dev in the container");
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		if (symlinkat(links[i][0], dev, links[i][1]) && errno != EEXIST)
			return brig_error_make(err, errno, "making /dev/%s", links[i][1]);
	}
	return 0;
}

/* Masks @path: an empty read-only tmpfs on a directory, the host's /dev/null on a file. */
static int mask_path(int root, const char *path, struct brig_error **err)
{
	int fd brig_cleanup_close = open_in_root(root, path, 0);
	char buf[32];
	struct stat st;
	int ret;

	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0 || fstat(fd, &st))
		return brig_error_make(err, errno, "masking `%s`", path);
	/* The host's /dev/null: the container's own may be anything (CVE-2025-31133). */
	if (S_ISDIR(st.st_mode))
		ret = mount("tmpfs", fd_path(fd, buf), "tmpfs", MS_RDONLY, "size=0");
	else
		ret = mount("/dev/null", fd_path(fd, buf), NULL, MS_BIND, NULL);
	if (ret)
		return brig_error_make(err, errno, "masking `%s`", path);
	return 0;
}

/* Makes @path (and the mounts below it) read-only, nosuid, nodev and noexec. */
static int readonly_path(int root, const char *path, struct brig_error **err)
{
	int fd brig_cleanup_close = open_in_root(root, path, 0);
	int tree brig_cleanup_close = -1;

	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd >= 0)
		tree = open_tree(fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE |
				 AT_EMPTY_PATH);
	if (tree < 0)
		return brig_error_make(err, errno, "binding `%s`", path);
	if (readonly_tree(tree, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
			  path, err))
		return -1;
	if (move_mount(tree, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH))
		return brig_error_make(err, errno, "binding `%s`", path);
	return 0;
}

/* @s with glob(3)'s special characters escaped, into @buf. */
static int glob_escape(char *buf, size_t len, const char *s)
{
	size_t n = 0;

	for (; *s; s++) {
		if (n + 3 > len)
			return -1;
		if (strchr("*?[]\\", *s))
			buf[n++] = '\\';
		buf[n++] = *s;
	}
	buf[n] = '\0';
	return 0;
}

/* Docker's masked paths read empty; its read-only ones cannot be written. */
static int setup_docker_paths(int root, const char *rootfs, struct brig_error **err)
{
	size_t i, j, skip = strlen(rootfs);

	for (i = 0; i < sizeof(masked_paths) / sizeof(masked_paths[0]); i++) {
		char pattern[PATH_MAX];
		glob_t g;
		int ret;

		if (!strchr(masked_paths[i], '*')) {
			if (mask_path(root, masked_paths[i], err))
				return -1;
			continue;
		}
		/* The container's /sys is at ROOTFS/sys: expand there, ROOTFS taken literally. */
		if (glob_escape(pattern, sizeof(pattern), rootfs) ||
		    strlen(pattern) + strlen(masked_paths[i]) >= sizeof(pattern))
			return brig_error_make(err, ENAMETOOLONG, "masking `%s`", masked_paths[i]);
		strcat(pattern, masked_paths[i]);
		ret = glob(pattern, GLOB_NOSORT, NULL, &g);
		if (ret && ret != GLOB_NOMATCH)
			return brig_error_make(err, ENOMEM, "masking `%s`", masked_paths[i]);
		for (j = 0; !ret && j < g.gl_pathc; j++) {
			if (mask_path(root, g.gl_pathv[j] + skip, err)) {
				globfree(&g);
				return -1;
			}
		}
		if (!ret)
			globfree(&g);
	}
	for (i = 0; i < sizeof(readonly_paths) / sizeof(readonly_paths[0]); i++)
		if (readonly_path(root, readonly_paths[i], err))
			return -1;
	return 0;
}

/* Writes the spec's sysctls, through the container's /proc, in its namespaces. */
static int write_sysctls(int root, const struct brig_container_spec *spec,
			 struct brig_error **err)
{
	struct open_how how = {
		.flags = O_WRONLY | O_TRUNC | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	size_t i;

	for (i = 0; i < spec->n_sysctls; i++) {
		const struct brig_sysctl *s = &spec->sysctls[i];
		size_t len = strlen(s->value);
		int fd brig_cleanup_close = -1;
		char path[PATH_MAX], *c;

		snprintf(path, sizeof(path), "/proc/sys/%s", s->name);
		for (c = path + 10; *c; c++)
			if (*c == '.')
				*c = '/';
		fd = syscall(SYS_openat2, root, path, &how, sizeof(how));
		if (fd < 0 || write(fd, s->value, len) != (ssize_t)len)
			return brig_error_make(err, errno, "sysctl %s=%s", s->name, s->value);
	}
	return 0;
}

static int setup_mounts(int root, const struct brig_container_spec *spec, struct brig_error **err)
{
	unsigned long sys_flags = MS_NOSUID | MS_NOEXEC | MS_NODEV |
				  (spec->sys_writable ? 0 : MS_RDONLY);
	size_t i;
	int ret;

	if (mount_inside(root, "/proc", 0, "proc", "proc",
			 MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL, err) ||
	    write_sysctls(root, spec, err))
		return -1;
	/*
	 * sysfs anew where the kernel allows it: with a network namespace of
	 * the container's own, or with no user namespace (then debugfs,
	 * tracefs, bpffs and cgroups below the host's stay out). In a user
	 * namespace sharing the host's network, the host's is bound, read-only
	 * in every mount below it (the kernel binds its locked submounts too).
	 */
	ret = (spec->namespaces & (BRIG_NS_NET | BRIG_NS_USER)) != BRIG_NS_USER ?
	      mount_inside(root, "/sys", 0, "sysfs", "sysfs", sys_flags, NULL, err) :
	      bind_inside(root, "/sys", "/sys", spec->sys_writable ? 0 : IN_ROOT_RO, err);
	if (ret || setup_dev(root, spec, err))
		return -1;
	for (i = 0; i < spec->n_mounts; i++) {
		const struct brig_mount *m = &spec->mounts[i];
		char data[64] = "mode=755";

		if (m->tmpfs) {
			if (m->size)
				snprintf(data, sizeof(data), "mode=755,size=%llu",
					 (unsigned long long)m->size);
			ret = mount_inside(root, m->inside, IN_ROOT_FOLLOW, "tmpfs", "tmpfs",
					   MS_NOSUID | MS_NODEV, data, err);
		} else {
			ret = bind_inside(root, m->host, m->inside,
					  IN_ROOT_FOLLOW | (m->readonly ? IN_ROOT_RO : 0), err);
		}
		if (ret)
			return -1;
	}
	return spec->docker_paths ? setup_docker_paths(root, spec->rootfs, err) : 0;
}

/*
 * readonly-rootfs: the mount points made first, while the root can still be
 * written: the policy's mounts go on a read-only tree.
 */
static int make_mountpoints(int root, const struct brig_container_spec *spec,
			    struct brig_error **err)
{
	static const char *const ours[] = { "/proc", "/sys", "/dev" };
	size_t i;

	for (i = 0; i < sizeof(ours) / sizeof(ours[0]); i++) {
		int fd brig_cleanup_close = make_in_root(root, ours[i], 0, err);

		if (fd < 0)
			return -1;
	}
	for (i = 0; i < spec->n_mounts; i++) {
		const struct brig_mount *m = &spec->mounts[i];
		unsigned int how = IN_ROOT_FOLLOW;
		int fd brig_cleanup_close = -1;
		struct stat st;

		if (!m->tmpfs && !stat(m->host, &st) && !S_ISDIR(st.st_mode))
			how |= IN_ROOT_FILE;
		fd = make_in_root(root, m->inside, how, err);
		if (fd < 0)
			return -1;
	}
	return 0;
}

int setup_rootfs(const struct brig_container_spec *spec, struct brig_error **err)
{
	int root brig_cleanup_close = -1, tree brig_cleanup_close = -1;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return brig_error_make(err, errno, "making mounts private");
	root = open(spec->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	tree = open_tree(AT_FDCWD, spec->rootfs, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (root < 0 || tree < 0)
		return brig_error_make(err, errno, "rootfs `%s`", spec->rootfs);
	/* Read-only with every mount below it, before anything is mounted on it. */
	if (spec->readonly_rootfs &&
	    (make_mountpoints(root, spec, err) || readonly_tree(tree, 0, spec->rootfs, err)))
		return -1;
	if (move_mount(tree, "", AT_FDCWD, spec->rootfs, MOVE_MOUNT_F_EMPTY_PATH))
		return brig_error_make(err, errno, "rootfs `%s`", spec->rootfs);
	brig_closep(&root);
	root = open(spec->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return brig_error_make(err, errno, "rootfs `%s`", spec->rootfs);
	if (setup_mounts(root, spec, err))
		return -1;
	brig_closep(&root);
	/* pivot_root(".", "."): the old root stacks under the new one, then goes. */
	if (chdir(spec->rootfs) || syscall(SYS_pivot_root, ".", "."))
		return brig_error_make(err, errno, "pivot_root into `%s`", spec->rootfs);
	if (mount(NULL, ".", NULL, MS_REC | MS_SLAVE, NULL) || umount2(".", MNT_DETACH) ||
	    chdir("/"))
		return brig_error_make(err, errno, "detaching the old root");
	return 0;
}
