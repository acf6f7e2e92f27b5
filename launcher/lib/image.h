/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig: OCI image layouts on disk (image-spec's image-layout.md): the
 * index, a manifest chosen by tag, its config and its layers' descriptors.
 * Every blob read is checked against its descriptor (size, then sha256)
 * before a byte of it is parsed; layers are checked where they are
 * unpacked. Descriptors name sha256 digests only, whose hex is the blob's
 * file name under blobs/sha256: nothing else can name a path.
 */
#ifndef BRIG_IMAGE_H
#define BRIG_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Largest index, manifest or config read: each is JSON of some KiB. */
#define BRIG_IMAGE_DOC_MAX (4U << 20)
/* Layers in one manifest (Docker's own limit is 127). */
#define BRIG_IMAGE_LAYERS_MAX 128

#define BRIG_MEDIA_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define BRIG_MEDIA_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define BRIG_MEDIA_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define BRIG_MEDIA_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define BRIG_MEDIA_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"

/* How a layer's tar is stored. */
enum brig_layer_compression {
	BRIG_LAYER_TAR,
	BRIG_LAYER_GZIP,
	BRIG_LAYER_ZSTD,
};

/* A content descriptor: what a blob must be. */
struct brig_descriptor {
	char *media_type;
	char digest[72];	/* "sha256:" and 64 lowercase hex digits */
	int64_t size;
	enum brig_layer_compression compression;	/* layers only */
};

/* An image in a layout, as its manifest and config describe it. */
struct brig_image {
	char *layout;				/* the layout's directory */
	char *tag;				/* org.opencontainers.image.ref.name, or NULL */
	struct brig_descriptor manifest;
	unsigned char *manifest_bytes;		/* as stored: what a signature names */
	size_t manifest_len;
	struct brig_descriptor config;
	struct brig_descriptor *layers;		/* lowest first */
	size_t n_layers;
	char **diff_ids;			/* the config's rootfs.diff_ids, one a layer */
	/* The config's defaults, each NULL if it has none. */
	char *os, *architecture;
	char **entrypoint, **cmd, **env;
	char *working_dir, *user;
};

/*
 * Opens the image @tag (NULL: the layout's only manifest) of the layout in
 * the directory @layout: oci-layout's version, index.json, the manifest
 * (through a nested index, the one for this machine's platform), the
 * config. 0 with *out, or -1 with *err naming the file and what is wrong.
 */
int brig_image_open(const char *layout, const char *tag, struct brig_image **out,
		    struct brig_error **err);
void brig_image_free(struct brig_image **img);

/* The same for LAYOUT[:TAG] (the tag after the last ':' past the last '/'). */
int brig_image_open_ref(const char *ref, struct brig_image **out, struct brig_error **err);

/*
 * The manifest descriptor @img's layout tags @tag in its index.json, in
 * *@out (*@found false if none does, which is no error).
 */
int brig_image_tagged(const struct brig_image *img, const char *tag, struct brig_descriptor *out,
		      bool *found, struct brig_error **err);

/*
 * The blob of @desc (a @what, for errors), whole, once its size and sha256
 * are its descriptor's; at most BRIG_IMAGE_DOC_MAX bytes.
 */
int brig_image_read_blob(const struct brig_image *img, const struct brig_descriptor *desc,
			 const char *what, unsigned char **out, size_t *len, struct brig_error **err);

/* The file of @desc's blob in @img's layout, in @buf (@len bytes). */
int brig_image_blob_path(const struct brig_image *img, const struct brig_descriptor *desc,
			 char *buf, size_t len, struct brig_error **err);

#endif /* BRIG_IMAGE_H */
