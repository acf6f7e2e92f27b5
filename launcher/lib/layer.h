/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig: the layer cache. Each layer of an image is unpacked once, into
 * a directory of the cache named by the layer blob's digest, in overlayfs's
 * form (an OCI whiteout .wh.NAME becomes a 0:0 character device NAME, an
 * opaque directory's .wh..wh..opq the xattr trusted.overlay.opaque "y"),
 * so that a container's root is an overlay of those directories.
 *
 * A layer is checked before a byte of it is parsed (its blob's size and
 * sha256, read once whole), and again while it is unpacked (the blob's
 * sha256 and the uncompressed tar's, the config's diff_id): a blob changed
 * between the two reads is refused too. It is unpacked into .tmp-HEX-PID
 * and renamed into place only once both hold and it is on disk, so a name
 * under sha256/ is always a whole layer; what a crash leaves in .tmp-* is
 * removed by the next unpack. One unpack at a time (a lock on the cache's
 * .lock file).
 *
 * For a container with a user namespace, a layer is unpacked with its
 * owners shifted through the namespace's maps (as containers/storage does
 * without idmapped mounts, which tmpfs lacks before 6.3): the image's root
 * is the container's. Each set of maps has its own copy, sha256/HEX.MAPS
 * (MAPS: 16 hex digits of the maps' sha256); the image's own owners are
 * sha256/HEX.
 */
#ifndef BRIG_LAYER_H
#define BRIG_LAYER_H

#include "error.h"
#include "image.h"
#include "spec.h"

/* The cache, as containers/storage keeps layers in /var/lib/containers. */
#define BRIG_LAYER_CACHE "/var/lib/brig/layers"

/*
 * The cache directory in use: $BRIG_LAYER_CACHE if set (tests), else
 * BRIG_LAYER_CACHE.
 */
const char *brig_layer_cache_dir(void);

/* A user namespace's maps, which the layers' owners are shifted through. */
struct brig_layer_owners {
	const struct brig_idmap *uid, *gid;
	size_t n_uid, n_gid;
};

/*
 * Every layer of @img in the cache @cache (made, 0700, if missing),
 * unpacked where it is not yet, owners shifted through @owners (NULL: kept). 0 with *@lowers the layers' directories,
 * NULL-terminated, lowest first; or -1 with *err naming the layer (its
 * index and digest) and what failed, with nothing of it left in the cache.
 */
int brig_layers_unpack(const struct brig_image *img, const char *cache,
		       const struct brig_layer_owners *owners, char ***lowers,
		       struct brig_error **err);

#endif /* BRIG_LAYER_H */
