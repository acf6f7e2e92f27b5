// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: an image as a container's root (spec.h's brig_spec_use_image):
 * the layers' directories and the image config's defaults, under what the
 * policy and the command line said, in docker run's order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "image.h"
#include "layer.h"
#include "spec.h"

/* The config's User: UID or UID:GID. Names would need the image's passwd. */
static int image_user(const struct brig_image *img, uid_t *uid, gid_t *gid,
		      struct brig_error **err)
{
	unsigned long u, g;
	char *end;

	errno = 0;
	u = strtoul(img->user, &end, 10);
	g = u;
	if (*end == ':' && end[1])
		g = strtoul(end + 1, &end, 10);
	if (errno || *end || end == img->user || !*img->user || u >= (uid_t)-1 || g >= (gid_t)-1)
		return brig_error_make(err, 0, "%s: the config's User \"%s\" is not UID[:GID]; "
				       "brig reads numbers only: give `user UID[:GID]` in the policy",
				       img->layout, img->user);
	*uid = u;
	*gid = g;
	return 0;
}

/* @a then @b, both lists (either NULL), as one new list. */
static char **concat(char *const *a, char *const *b)
{
	size_t na = 0, nb = 0;
	char **out;

	while (a && a[na])
		na++;
	while (b && b[nb])
		nb++;
	out = calloc(na + nb + 1, sizeof(*out));
	for (size_t i = 0; out && i < na + nb; i++) {
		out[i] = strdup(i < na ? a[i] : b[i - na]);
		if (!out[i]) {
			brig_strv_free(out);
			return NULL;
		}
	}
	return out;
}

int brig_spec_image_root(struct brig_container_spec *spec, const struct brig_image *img,
			 const char *cache, struct brig_error **err)
{
	struct brig_layer_owners owners = {
		.uid = spec->uidmap, .n_uid = spec->n_uidmap,
		.gid = spec->gidmap, .n_gid = spec->n_gidmap,
	};
	char **lowers = NULL, *mountpoint;
	struct stat st;

	/* Empty, and only ever mounted on inside a container's mount namespace. */
	if ((mkdir(BRIG_IMAGE_MOUNTPOINT, 0755) && errno != EEXIST) ||
	    lstat(BRIG_IMAGE_MOUNTPOINT, &st))
		return brig_error_make(err, errno, "making %s", BRIG_IMAGE_MOUNTPOINT);
	if (!S_ISDIR(st.st_mode) || st.st_uid || (st.st_mode & 022))
		return brig_error_make(err, 0, "%s is not a directory only root may write",
				       BRIG_IMAGE_MOUNTPOINT);
	mountpoint = strdup(BRIG_IMAGE_MOUNTPOINT);
	if (!mountpoint)
		return brig_error_make(err, ENOMEM, "%s", img->layout);
	if (brig_layers_unpack(img, cache, spec->namespaces & BRIG_NS_USER ? &owners : NULL,
			       &lowers, err)) {
		free(mountpoint);
		return -1;
	}
	brig_strv_free(spec->image_layers);
	spec->image_layers = lowers;
	free(spec->rootfs);
	spec->rootfs = mountpoint;
	return 0;
}

int brig_spec_use_image(struct brig_container_spec *spec, const struct brig_image *img,
			const char *cache, char *const *entrypoint, char *const *args,
			struct brig_error **err)
{
	struct brig_process *proc = &spec->process;
	char **argv;

	if (!(spec->said & BRIG_SAID_USER) && img->user && *img->user) {
		if (image_user(img, &proc->uid, &proc->gid, err))
			return -1;
		/* Docker's capabilities are a non-root user's: none effective. */
		proc->caps = brig_caps_docker(proc->caps.bounding, proc->uid);
	}
	if (!(spec->said & BRIG_SAID_WORKDIR) && img->working_dir && *img->working_dir &&
	    brig_spec_set_string(&proc->cwd, img->working_dir))
		return brig_error_make(err, ENOMEM, "%s", img->layout);
	for (size_t i = 0; img->env && img->env[i]; i++) {
		if (!strchr(img->env[i], '='))
			return brig_error_make(err, 0, "%s: the config's Env \"%s\" is not NAME=VALUE",
					       img->layout, img->env[i]);
		if (brig_env_set(&proc->env, img->env[i], false))
			return brig_error_make(err, ENOMEM, "%s", img->layout);
	}
	if (!args || !args[0])
		args = spec->said & BRIG_SAID_COMMAND ? proc->argv : img->cmd;
	argv = concat(entrypoint ? entrypoint : img->entrypoint, args);
	if (!argv)
		return brig_error_make(err, ENOMEM, "%s", img->layout);
	if (!argv[0]) {
		free(argv);
		return brig_error_make(err, 0, "%s: no command: the image has no Entrypoint or Cmd, "
				       "and none was given", img->layout);
	}
	/* The defaults settled, the layers last: a refusal above unpacks nothing. */
	if (brig_spec_image_root(spec, img, cache, err)) {
		brig_strv_free(argv);
		return -1;
	}
	brig_strv_free(proc->argv);
	proc->argv = argv;
	return 0;
}
