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

/* The nodes every container's fresh /dev has (runc's), bound from the host's. */
static const char *const default_devices[] = {
	"null", "zero", "full", "random", "urandom", "tty",
};

/* How a path in the container's root is made and opened. */
enum {
	IN_ROOT_FILE = 1 << 0,		/* made as an empty file, not a directory */
	IN_ROOT_FOLLOW = 1 << 1,	/* symbolic links followed, inside the root */
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
	/* It is there, and leads nowhere: a link is not followed to make what it names. */
	if (fd < 0 && errno == ENOENT)
		return brig_error_make(err, 0, "`%s` in the container is a symbolic link to nothing in the root",
				       path);
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

/* MS_* flags as mount_setattr's MOUNT_ATTR_*. */
static void mount_attrs(unsigned long flags, struct mount_attr *attr)
{
	static const struct {
		unsigned long ms;
		uint64_t attr;
	} map[] = {
		{ MS_RDONLY, MOUNT_ATTR_RDONLY }, { MS_NOSUID, MOUNT_ATTR_NOSUID },
		{ MS_NODEV, MOUNT_ATTR_NODEV }, { MS_NOEXEC, MOUNT_ATTR_NOEXEC },
		{ MS_NODIRATIME, MOUNT_ATTR_NODIRATIME },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (flags & map[i].ms)
			attr->attr_set |= map[i].attr;
	if (flags & (MS_NOATIME | MS_STRICTATIME | MS_RELATIME)) {
		attr->attr_clr |= MOUNT_ATTR__ATIME;
		attr->attr_set |= flags & MS_NOATIME ? MOUNT_ATTR_NOATIME :
				  flags & MS_STRICTATIME ? MOUNT_ATTR_STRICTATIME : MOUNT_ATTR_RELATIME;
	}
}

/*
 * Gives the mount @fd is the root of, and every mount below it, @flags
 * (MS_RDONLY, MS_NOSUID, ...): a submount must not be the way to write.
 */
static int tree_attrs(int fd, unsigned long flags, const char *what, struct brig_error **err)
{
	struct mount_attr attr = { 0 };

	mount_attrs(flags, &attr);
	if (!attr.attr_set && !attr.attr_clr)
		return 0;
	if (mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)))
		return brig_error_make(err, errno, "making `%s` %s", what,
				       flags & MS_RDONLY ? "read-only" : "nosuid, nodev or noexec");
	return 0;
}

/*
 * Binds @host (with the mounts below it if @recursive) on @inside, made if
 * missing. The tree is cloned detached and given @flags (MS_RDONLY, ...)
 * before it is attached: there is no moment, and no second lookup of
 * @inside, where it is writable.
 */
static int bind_inside(int root, const char *host, const char *inside, unsigned int how,
		       bool recursive, unsigned long flags, struct brig_error **err)
{
	int tree brig_cleanup_close = -1, fd brig_cleanup_close = -1;
	struct stat st;

	tree = open_tree(AT_FDCWD, host, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
			 (recursive ? AT_RECURSIVE : 0));
	if (tree < 0 || fstat(tree, &st))
		return brig_error_make(err, errno, "bind mount source `%s`", host);
	fd = make_in_root(root, inside, how | (S_ISDIR(st.st_mode) ? 0 : IN_ROOT_FILE), err);
	if (fd < 0)
		return -1;
	if (tree_attrs(tree, flags, inside, err))
		return -1;
	if (move_mount(tree, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH))
		return brig_error_make(err, errno, "bind mounting `%s` on `%s`", host, inside);
	return 0;
}

/*
 * A /dev that is not the host's: the default nodes and the spec's devices,
 * bound from the host's (nodes cannot be made in a user namespace), and
 * the links runc makes.
 */
static int populate_dev(int root, const struct brig_container_spec *spec,
			struct brig_error **err)
{
	static const char *const links[][2] = {
		{ "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" },
		{ "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
		{ "pts/ptmx", "ptmx" },
	};
	char host[PATH_MAX], inside[PATH_MAX];
	size_t i;
	int dev brig_cleanup_close = -1;

	for (i = 0; i < sizeof(default_devices) / sizeof(default_devices[0]); i++) {
		snprintf(host, sizeof(host), "/dev/%s", default_devices[i]);
		if (bind_inside(root, host, host, 0, false, 0, err))
			return -1;
	}
	for (i = 0; i < spec->n_devices; i++) {
		const struct brig_device_node *d = &spec->devices[i];

		snprintf(inside, sizeof(inside), "%s", d->inside ? d->inside : d->host);
		if (bind_inside(root, d->host, inside, 0, false, 0, err))
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
	if (tree_attrs(tree, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, path, err))
		return -1;
	if (move_mount(tree, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH))
		return brig_error_make(err, errno, "binding `%s`", path);
	return 0;
}

/* The spec's read-only paths, then its masked ones (runc's order). */
static int setup_paths(int root, const struct brig_container_spec *spec,
		       struct brig_error **err)
{
	size_t i;

	for (i = 0; spec->readonly_paths && spec->readonly_paths[i]; i++)
		if (readonly_path(root, spec->readonly_paths[i], err))
			return -1;
	for (i = 0; spec->masked_paths && spec->masked_paths[i]; i++)
		if (mask_path(root, spec->masked_paths[i], err))
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

/*
 * One mount of the spec's. sysfs is refused in a user namespace on
 * another's network, and cgroup2 in one without its own cgroup namespace:
 * the host's is bound instead, with the same flags, as runc does (and the
 * kernel keeps its locked submounts with it).
 */
static int mount_one(int root, const struct brig_container_spec *spec,
		     const struct brig_mount *m, struct brig_error **err)
{
	unsigned int how = m->follow ? IN_ROOT_FOLLOW : 0;
	int fd brig_cleanup_close = -1;
	char buf[32];

	if (brig_mount_is_bind(m)) {
		if (bind_inside(root, m->source, m->destination, how, m->recursive, m->flags, err))
			return -1;
	} else {
		fd = make_in_root(root, m->destination, how, err);
		if (fd < 0)
			return -1;
		/* OCI's "cgroup" on a cgroup v2 host (runc's reading): cgroup2. */
		bool cgroup = !strcmp(m->type, "cgroup") || !strcmp(m->type, "cgroup2");
		const char *type = cgroup ? "cgroup2" : m->type;
		const char *host = cgroup ? "/sys/fs/cgroup" : "/sys";

		if (mount(cgroup ? "cgroup2" : m->source, fd_path(fd, buf), type, m->flags,
			  cgroup ? NULL : m->data)) {
			if (errno != EPERM || (strcmp(type, "sysfs") && !cgroup) ||
			    !(spec->namespaces & BRIG_NS_USER))
				return brig_error_make(err, errno, "mounting %s on `%s`", m->type,
						       m->destination);
			if (bind_inside(root, host, m->destination, how, true, m->flags, err))
				return -1;
		}
		brig_closep(&fd);
	}
	if (!m->propagation)
		return 0;
	fd = open_in_root(root, m->destination, how);
	if (fd < 0 || mount(NULL, fd_path(fd, buf), NULL, m->propagation, NULL))
		return brig_error_make(err, errno, "propagation of `%s`", m->destination);
	return 0;
}

/* The spec's mounts in order, a fresh /dev populated, sysctls, paths. */
static int setup_mounts(int root, const struct brig_container_spec *spec, struct brig_error **err)
{
	size_t i;

	for (i = 0; i < spec->n_mounts; i++)
		if (mount_one(root, spec, &spec->mounts[i], err))
			return -1;
	if (!brig_spec_dev_bind(spec) && populate_dev(root, spec, err))
		return -1;
	if (write_sysctls(root, spec, err))
		return -1;
	return setup_paths(root, spec, err);
}

/*
 * readonly-rootfs: the mount points made first, while the root can still be
 * written: the spec's mounts go on a read-only tree.
 */
static int make_mountpoints(int root, const struct brig_container_spec *spec,
			    struct brig_error **err)
{
	for (size_t i = 0; i < spec->n_mounts; i++) {
		const struct brig_mount *m = &spec->mounts[i];
		unsigned int how = m->follow ? IN_ROOT_FOLLOW : 0;
		int fd brig_cleanup_close = -1;
		struct stat st;

		if (brig_mount_is_bind(m) && !stat(m->source, &st) && !S_ISDIR(st.st_mode))
			how |= IN_ROOT_FILE;
		fd = make_in_root(root, m->destination, how, err);
		if (fd < 0)
			return -1;
	}
	return 0;
}

int setup_rootfs(const struct brig_container_spec *spec, int image_root,
		 int (*before_pivot)(void *arg, struct brig_error **err), void *arg,
		 struct brig_error **err)
{
	unsigned long propagation = spec->rootfs_propagation ? spec->rootfs_propagation :
				    MS_REC | MS_PRIVATE;
	int root brig_cleanup_close = -1, tree brig_cleanup_close = -1;

	if (mount(NULL, "/", NULL, propagation, NULL))
		return brig_error_make(err, errno, "setting the propagation of the mounts");
	if (image_root >= 0) {
		tree = dup(image_root);
		root = openat(image_root, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	} else {
		root = open(spec->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
		tree = open_tree(AT_FDCWD, spec->rootfs,
				 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	}
	if (root < 0 || tree < 0)
		return brig_error_make(err, errno, "rootfs `%s`", spec->rootfs);
	/* Read-only with every mount below it, before anything is mounted on it. */
	if (spec->readonly_rootfs &&
	    (make_mountpoints(root, spec, err) || tree_attrs(tree, MS_RDONLY, spec->rootfs, err)))
		return -1;
	if (move_mount(tree, "", AT_FDCWD, spec->rootfs, MOVE_MOUNT_F_EMPTY_PATH))
		return brig_error_make(err, errno, "rootfs `%s`", spec->rootfs);
	brig_closep(&root);
	root = open(spec->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return brig_error_make(err, errno, "rootfs `%s`", spec->rootfs);
	if (setup_mounts(root, spec, err))
		return -1;
	if (before_pivot && before_pivot(arg, err))
		return -1;
	/* pivot_root(".", "."): the old root stacks under the new one, then goes. */
	if (fchdir(root) || syscall(SYS_pivot_root, ".", "."))
		return brig_error_make(err, errno, "pivot_root into `%s`", spec->rootfs);
	if (mount(NULL, ".", NULL, MS_REC | MS_SLAVE, NULL) || umount2(".", MNT_DETACH) ||
	    chdir("/"))
		return brig_error_make(err, errno, "detaching the old root");
	return 0;
}
