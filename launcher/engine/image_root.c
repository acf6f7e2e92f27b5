// SPDX-License-Identifier: GPL-2.0
/*
 * An image's container root: an overlay of its unpacked layers (read-only;
 * their owners already shifted into the container's user namespace, see
 * layer.h), over a fresh upper and work directory
 * on a tmpfs of its own, which the container's writes go to and which goes
 * with it. A helper makes it in a mount namespace of its own, so nothing is
 * ever mounted in the host's; it comes back as a detached mount (fsmount)
 * that the container attaches as its root (setup_rootfs).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "engine.h"
#include "lib/cleanup.h"
#include "lib/image.h"

/* lowerdir=, "N:" for each layer, topmost first: within a page (the mount data's bound). */
#define LOWERDIR_MAX (BRIG_IMAGE_LAYERS_MAX * 5)

/* The container's root, outside (its map's 0), or the host's. */
static void mapped_root(const struct brig_container_spec *spec, uid_t *uid, gid_t *gid)
{
	*uid = 0;
	*gid = 0;
	if (!(spec->namespaces & BRIG_NS_USER))
		return;
	for (size_t i = 0; i < spec->n_uidmap; i++)
		if (spec->uidmap[i].inside == 0)
			*uid = spec->uidmap[i].outside;
	for (size_t i = 0; i < spec->n_gidmap; i++)
		if (spec->gidmap[i].inside == 0)
			*gid = spec->gidmap[i].outside;
}

/* In the helper's own mount namespace, under @scratch (the image's mount point). */
static int make_overlay(const struct brig_container_spec *spec, int *out,
			struct brig_error **err)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
	char lowerdir[LOWERDIR_MAX] = "", name[16];
	int layer[BRIG_IMAGE_LAYERS_MAX], fs brig_cleanup_close = -1;
	size_t n = 0, i;
	uid_t uid;
	gid_t gid;

	while (spec->image_layers[n])
		n++;
	if (!n || n > BRIG_IMAGE_LAYERS_MAX)
		return brig_error_make(err, 0, "an image of %zu layers", n);
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return brig_error_make(err, errno, "a mount namespace for the image's root");
	/* The layers, taken before the scratch tmpfs covers the mount point. */
	for (i = 0; i < n; i++) {
		layer[i] = open_tree(AT_FDCWD, spec->image_layers[i],
				     OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (layer[i] < 0 || mount_setattr(layer[i], "", AT_EMPTY_PATH, &attr, sizeof(attr)))
			return brig_error_make(err, errno, "layer %s", spec->image_layers[i]);
	}
	mapped_root(spec, &uid, &gid);
	if (mount("tmpfs", spec->rootfs, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700") ||
	    chdir(spec->rootfs) || mkdir("upper", 0755) || mkdir("work", 0700) ||
	    chown("upper", uid, gid))
		return brig_error_make(err, errno, "the container's upper directory");
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%zu", i);
		if (mkdir(name, 0700) ||
		    move_mount(layer[i], "", AT_FDCWD, name, MOVE_MOUNT_F_EMPTY_PATH))
			return brig_error_make(err, errno, "layer %s", spec->image_layers[i]);
		close(layer[i]);
	}
	/* Relative to this directory; overlayfs wants the topmost first. */
	for (i = n; i-- > 0;) {
		size_t len = strlen(lowerdir);

		snprintf(lowerdir + len, sizeof(lowerdir) - len, "%s%zu", len ? ":" : "", i);
	}
	fs = fsopen("overlay", FSOPEN_CLOEXEC);
	if (fs < 0 || fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir", lowerdir, 0) ||
	    fsconfig(fs, FSCONFIG_SET_STRING, "upperdir", "upper", 0) ||
	    fsconfig(fs, FSCONFIG_SET_STRING, "workdir", "work", 0) ||
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		return brig_error_make(err, errno, "mounting the image's overlay");
	/* nodev: a device node in a layer is no way around brig.ko's device rules. */
	*out = fsmount(fs, FSMOUNT_CLOEXEC, spec->privileged ? 0 : MOUNT_ATTR_NODEV);
	if (*out < 0)
		return brig_error_make(err, errno, "mounting the image's overlay");
	return 0;
}

int engine_image_root(const struct brig_container_spec *spec, struct brig_error **err)
{
	int sv[2], root = -1, got, status;
	pid_t helper;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return brig_error_make(err, errno, "socketpair");
	helper = fork();
	if (helper < 0) {
		close(sv[0]);
		close(sv[1]);
		return brig_error_make(err, errno, "fork");
	}
	if (helper == 0) {
		struct brig_error *e = NULL;
		int made = -1;
		char msg[1100];

		close(sv[0]);
		if (make_overlay(spec, &made, &e)) {
			snprintf(msg, sizeof(msg), "E%d %d %s", BRIG_EXIT_FAILURE, e->errnum, e->msg);
			send(sv[1], msg, strlen(msg), MSG_NOSIGNAL);
			_exit(1);
		}
		_exit(send_fd(sv[1], 'I', made) ? 1 : 0);
	}
	close(sv[1]);
	got = recv_fd(sv[0], 'I', &root, err);
	close(sv[0]);
	while (waitpid(helper, &status, 0) < 0 && errno == EINTR)
		;
	if (got <= 0 || root < 0) {
		if (root >= 0)
			close(root);
		return got ? -1 : brig_error_make(err, 0, "making the image's root: the helper died");
	}
	return root;
}
