// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: OCI image layouts (image.h). Documents are read as
 * image-spec says: fields it does not define are ignored, but none may
 * appear twice (brig_json_parse_signed), and each blob's size and sha256
 * are its descriptor's before it is parsed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <json-c/json.h>

#include "cleanup.h"
#include "fileio.h"
#include "image.h"
#include "json_locate.h"
#include "sig.h"
#include "spec.h"

#define REF_NAME "org.opencontainers.image.ref.name"

/* The string @key of @obj: NULL if absent, -1 (with *err) if not a string. */
static int opt_string(json_object *obj, const char *where, const char *key, const char **out,
		      struct brig_error **err)
{
	json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(obj, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return brig_error_make(err, 0, "%s: %s: expected a string", where, key);
	*out = json_object_get_string(v);
	return 0;
}

/* The array of strings @key of @obj, as a NULL-terminated list (NULL if absent or null). */
static int opt_strings(json_object *obj, const char *where, const char *key, char ***out,
		       struct brig_error **err)
{
	json_object *v;
	size_t i, n;
	char **list;

	*out = NULL;
	if (!json_object_object_get_ex(obj, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_array))
		return brig_error_make(err, 0, "%s: %s: expected an array of strings", where, key);
	n = json_object_array_length(v);
	list = calloc(n + 1, sizeof(*list));
	if (!list)
		return brig_error_make(err, ENOMEM, "%s", where);
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(v, i);

		if (!json_object_is_type(e, json_type_string) ||
		    !(list[i] = strdup(json_object_get_string(e)))) {
			brig_strv_free(list);
			return brig_error_make(err, json_object_is_type(e, json_type_string) ? ENOMEM : 0,
					       "%s: %s[%zu]: expected a string", where, key, i);
		}
	}
	*out = list;
	return 0;
}

/* A descriptor: mediaType, digest (sha256 only) and size, at @where. */
static int parse_descriptor(json_object *obj, const char *where, struct brig_descriptor *out,
			    struct brig_error **err)
{
	const char *media, *digest;
	json_object *size;

	if (!json_object_is_type(obj, json_type_object))
		return brig_error_make(err, 0, "%s: expected a descriptor (an object)", where);
	if (opt_string(obj, where, "mediaType", &media, err) ||
	    opt_string(obj, where, "digest", &digest, err))
		return -1;
	if (!media || !digest || !json_object_object_get_ex(obj, "size", &size))
		return brig_error_make(err, 0, "%s: a descriptor needs mediaType, digest and size",
				       where);
	if (!brig_is_sha256_digest(digest))
		return brig_error_make(err, 0, "%s: digest \"%s\" is not sha256: and 64 lowercase "
				       "hex digits (the only algorithm taken)", where, digest);
	if (!json_object_is_type(size, json_type_int) || json_object_get_int64(size) < 0)
		return brig_error_make(err, 0, "%s: size: expected a count of bytes", where);
	out->media_type = strdup(media);
	if (!out->media_type)
		return brig_error_make(err, ENOMEM, "%s", where);
	memcpy(out->digest, digest, 72);
	out->size = json_object_get_int64(size);
	return 0;
}

int brig_image_blob_path(const struct brig_image *img, const struct brig_descriptor *desc,
			 char *buf, size_t len, struct brig_error **err)
{
	/* The digest's format (checked when it was read) keeps the path in blobs/sha256. */
	if ((size_t)snprintf(buf, len, "%s/blobs/sha256/%s", img->layout, desc->digest + 7) >= len)
		return brig_error_make(err, ENAMETOOLONG, "%s: blob path", img->layout);
	return 0;
}

int brig_image_read_blob(const struct brig_image *img, const struct brig_descriptor *desc,
			 const char *what, unsigned char **out, size_t *len, struct brig_error **err)
{
	unsigned char *data brig_cleanup_free = NULL;
	char path[4096], digest[72];

	if (desc->size > BRIG_IMAGE_DOC_MAX)
		return brig_error_make(err, EFBIG, "%s %s: %lld bytes, more than %u", what,
				       desc->digest, (long long)desc->size, BRIG_IMAGE_DOC_MAX);
	if (brig_image_blob_path(img, desc, path, sizeof(path), err) ||
	    brig_read_file_max(path, what, BRIG_IMAGE_DOC_MAX, true, &data, len, err))
		return -1;
	if ((int64_t)*len != desc->size)
		return brig_error_make(err, 0, "%s `%s`: %zu bytes, not the %lld its descriptor says",
				       what, path, *len, (long long)desc->size);
	if (brig_sha256_digest(data, *len, digest, err))
		return -1;
	if (strcmp(digest, desc->digest))
		return brig_error_make(err, 0, "%s `%s`: its content is %s, not %s: refused", what,
				       path, digest, desc->digest);
	*out = brig_steal(&data);
	return 0;
}

/* This machine's architecture in image-spec's words (GOARCH). */
static const char *host_arch(void)
{
	static const char *const map[][2] = {
		{ "x86_64", "amd64" }, { "aarch64", "arm64" }, { "i686", "386" },
		{ "armv7l", "arm" }, { "ppc64le", "ppc64le" }, { "s390x", "s390x" },
		{ "riscv64", "riscv64" },
	};
	static struct utsname u;
	size_t i;

	if (!u.machine[0] && uname(&u))
		return "";
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(u.machine, map[i][0]))
			return map[i][1];
	return u.machine;
}

/* A tag cosign gives what it keeps beside an image: sha256-HEX.sig, .att, .sbom. */
static bool is_cosign_tag(const char *name)
{
	char digest[72];
	const char *dot = strrchr(name, '.');

	if (strncmp(name, "sha256-", 7) || !dot || dot - name != 7 + 64 ||
	    (strcmp(dot, ".sig") && strcmp(dot, ".att") && strcmp(dot, ".sbom")))
		return false;
	snprintf(digest, sizeof(digest), "sha256:%.64s", name + 7);
	return brig_is_sha256_digest(digest);
}

/*
 * The manifest descriptor of @index (a document named @where) for @tag,
 * or the only one if @tag is NULL (signatures beside it not counted); in a
 * nested index, this platform's.
 */
static int pick_manifest(json_object *index, const char *where, const char *tag,
			 bool nested, struct brig_descriptor *out, struct brig_error **err)
{
	json_object *manifests, *found = NULL;
	size_t i, n, matches = 0;
	char at[128];

	if (!json_object_is_type(index, json_type_object) ||
	    !json_object_object_get_ex(index, "manifests", &manifests) ||
	    !json_object_is_type(manifests, json_type_array))
		return brig_error_make(err, 0, "%s: no \"manifests\" array", where);
	n = json_object_array_length(manifests);
	for (i = 0; i < n; i++) {
		json_object *m = json_object_array_get_idx(manifests, i), *annotations, *platform;
		const char *name = NULL, *os = NULL, *arch = NULL;

		snprintf(at, sizeof(at), "%s: manifests[%zu]", where, i);
		if (!json_object_is_type(m, json_type_object))
			return brig_error_make(err, 0, "%s: expected a descriptor", at);
		if (json_object_object_get_ex(m, "annotations", &annotations)) {
			if (!json_object_is_type(annotations, json_type_object))
				return brig_error_make(err, 0, "%s: annotations: expected an object", at);
			if (opt_string(annotations, at, REF_NAME, &name, err))
				return -1;
		}
		if (nested) {
			if (!json_object_object_get_ex(m, "platform", &platform))
				continue;
			if (opt_string(platform, at, "os", &os, err) ||
			    opt_string(platform, at, "architecture", &arch, err))
				return -1;
			if (!os || !arch || strcmp(os, "linux") || strcmp(arch, host_arch()))
				continue;
		} else if (tag ? !name || strcmp(name, tag) : name && is_cosign_tag(name)) {
			continue;
		}
		matches++;
		if (!found)
			found = m;
	}
	if (!found)
		return brig_error_make(err, ENOENT, nested ? "%s: no manifest for linux/%s" :
				       tag ? "%s: no image tagged `%s`" : "%s: no manifest",
				       where, nested ? host_arch() : tag);
	if (matches > 1)
		return brig_error_make(err, 0, nested ? "%s: %zu manifests for linux/%s: which one is unclear" :
				       tag ? "%s: %zu images tagged `%s`" :
				       "%s: %zu images and no tag given: name one (LAYOUT:TAG)",
				       where, matches, nested ? host_arch() : tag);
	snprintf(at, sizeof(at), "%s: the manifest", where);
	return parse_descriptor(found, at, out, err);
}

static int parse_manifest(struct brig_image *img, json_object *m, struct brig_error **err)
{
	json_object *layers, *v;
	const char *media;
	char where[64];
	size_t i;

	if (!json_object_is_type(m, json_type_object))
		return brig_error_make(err, 0, "manifest %s: expected an object", img->manifest.digest);
	if (!json_object_object_get_ex(m, "schemaVersion", &v) || !json_object_is_type(v, json_type_int) ||
	    json_object_get_int(v) != 2)
		return brig_error_make(err, 0, "manifest %s: schemaVersion is not 2", img->manifest.digest);
	if (opt_string(m, "manifest", "mediaType", &media, err))
		return -1;
	if (media && strcmp(media, img->manifest.media_type))
		return brig_error_make(err, 0, "manifest %s: mediaType %s, not its descriptor's %s",
				       img->manifest.digest, media, img->manifest.media_type);
	if (!json_object_object_get_ex(m, "config", &v) ||
	    parse_descriptor(v, "manifest: config", &img->config, err))
		return brig_error_wrap(err, "manifest %s", img->manifest.digest);
	if (strcmp(img->config.media_type, BRIG_MEDIA_OCI_CONFIG) &&
	    strcmp(img->config.media_type, BRIG_MEDIA_DOCKER_CONFIG))
		return brig_error_make(err, 0, "manifest %s: config of media type %s: not an image's",
				       img->manifest.digest, img->config.media_type);
	if (!json_object_object_get_ex(m, "layers", &layers) ||
	    !json_object_is_type(layers, json_type_array))
		return brig_error_make(err, 0, "manifest %s: no \"layers\" array", img->manifest.digest);
	img->n_layers = json_object_array_length(layers);
	if (img->n_layers > BRIG_IMAGE_LAYERS_MAX)
		return brig_error_make(err, E2BIG, "manifest %s: %zu layers, more than %u",
				       img->manifest.digest, img->n_layers, BRIG_IMAGE_LAYERS_MAX);
	img->layers = calloc(img->n_layers ? img->n_layers : 1, sizeof(*img->layers));
	if (!img->layers)
		return brig_error_make(err, ENOMEM, "manifest");
	for (i = 0; i < img->n_layers; i++) {
		struct brig_descriptor *l = &img->layers[i];
		const char *t;

		snprintf(where, sizeof(where), "manifest: layers[%zu]", i);
		if (parse_descriptor(json_object_array_get_idx(layers, i), where, l, err))
			return brig_error_wrap(err, "manifest %s", img->manifest.digest);
		t = l->media_type;
		if (!strcmp(t, "application/vnd.oci.image.layer.v1.tar") ||
		    !strcmp(t, "application/vnd.docker.image.rootfs.diff.tar"))
			l->compression = BRIG_LAYER_TAR;
		else if (!strcmp(t, "application/vnd.oci.image.layer.v1.tar+gzip") ||
			 !strcmp(t, "application/vnd.docker.image.rootfs.diff.tar.gzip"))
			l->compression = BRIG_LAYER_GZIP;
		else if (!strcmp(t, "application/vnd.oci.image.layer.v1.tar+zstd"))
			l->compression = BRIG_LAYER_ZSTD;
		else
			return brig_error_make(err, 0, "manifest %s: %s: media type %s is not a layer "
					       "brig can unpack (tar, tar+gzip, tar+zstd)",
					       img->manifest.digest, where, t);
	}
	return 0;
}

static int parse_config(struct brig_image *img, json_object *c, struct brig_error **err)
{
	json_object *conf = NULL, *rootfs;
	const char *s;
	char **list = NULL;
	size_t n;

	if (!json_object_is_type(c, json_type_object))
		return brig_error_make(err, 0, "config %s: expected an object", img->config.digest);
	if (opt_string(c, "config", "os", &s, err) || (s && !(img->os = strdup(s))) ||
	    opt_string(c, "config", "architecture", &s, err) ||
	    (s && !(img->architecture = strdup(s))))
		return brig_error_wrap(err, "config %s", img->config.digest);
	if (!img->os || !img->architecture)
		return brig_error_make(err, 0, "config %s: no os or architecture", img->config.digest);
	if (json_object_object_get_ex(c, "config", &conf) && conf) {
		if (!json_object_is_type(conf, json_type_object))
			return brig_error_make(err, 0, "config %s: config: expected an object",
					       img->config.digest);
		if (opt_strings(conf, "config.config", "Entrypoint", &img->entrypoint, err) ||
		    opt_strings(conf, "config.config", "Cmd", &img->cmd, err) ||
		    opt_strings(conf, "config.config", "Env", &img->env, err) ||
		    opt_string(conf, "config.config", "WorkingDir", &s, err) ||
		    (s && *s && !(img->working_dir = strdup(s))) ||
		    opt_string(conf, "config.config", "User", &s, err) ||
		    (s && *s && !(img->user = strdup(s))))
			return brig_error_wrap(err, "config %s", img->config.digest);
	}
	if (!json_object_object_get_ex(c, "rootfs", &rootfs) ||
	    !json_object_is_type(rootfs, json_type_object))
		return brig_error_make(err, 0, "config %s: no rootfs object", img->config.digest);
	if (opt_string(rootfs, "config.rootfs", "type", &s, err) ||
	    opt_strings(rootfs, "config.rootfs", "diff_ids", &list, err))
		return brig_error_wrap(err, "config %s", img->config.digest);
	img->diff_ids = list;
	if (!s || strcmp(s, "layers") || !list)
		return brig_error_make(err, 0, "config %s: rootfs: expected type \"layers\" and "
				       "diff_ids", img->config.digest);
	for (n = 0; list[n]; n++)
		if (!brig_is_sha256_digest(list[n]))
			return brig_error_make(err, 0, "config %s: rootfs.diff_ids[%zu] \"%s\" is not a "
					       "sha256 digest", img->config.digest, n, list[n]);
	if (n != img->n_layers)
		return brig_error_make(err, 0, "config %s: %zu diff_ids for the manifest's %zu layers",
				       img->config.digest, n, img->n_layers);
	return 0;
}

static int open_layout(struct brig_image *img, const char *tag, struct brig_error **err)
{
	unsigned char *data brig_cleanup_free = NULL;
	json_object *doc brig_cleanup_json = NULL;
	json_object *v;
	char path[4096];
	size_t len;
	int depth;

	snprintf(path, sizeof(path), "%s/oci-layout", img->layout);
	if (brig_read_file_max(path, "OCI layout file", 4096, true, &data, &len, err) ||
	    brig_json_parse_signed(data, len, path, &doc, err))
		return brig_error_wrap(err, "`%s` is not an OCI image layout", img->layout);
	if (!json_object_is_type(doc, json_type_object) ||
	    !json_object_object_get_ex(doc, "imageLayoutVersion", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), "1.0.0"))
		return brig_error_make(err, 0, "%s: imageLayoutVersion is not \"1.0.0\"", path);
	json_object_put(doc);
	doc = NULL;
	free(data);
	data = NULL;
	snprintf(path, sizeof(path), "%s/index.json", img->layout);
	if (brig_read_file_max(path, "image index", BRIG_IMAGE_DOC_MAX, true, &data, &len, err) ||
	    brig_json_parse_signed(data, len, path, &doc, err) ||
	    pick_manifest(doc, path, tag, false, &img->manifest, err))
		return -1;
	/* An index may point at an index (one per platform): one level, as registries do. */
	for (depth = 0;; depth++) {
		json_object_put(doc);
		doc = NULL;
		free(img->manifest_bytes);
		img->manifest_bytes = NULL;
		snprintf(path, sizeof(path), "manifest %s", img->manifest.digest);
		if (brig_image_read_blob(img, &img->manifest, "manifest", &img->manifest_bytes,
			      &img->manifest_len, err) ||
		    brig_json_parse_signed(img->manifest_bytes, img->manifest_len, path, &doc, err))
			return -1;
		if (strcmp(img->manifest.media_type, BRIG_MEDIA_OCI_INDEX))
			break;
		if (depth)
			return brig_error_make(err, 0, "index %s: an index inside an index inside "
					       "index.json: not followed", img->manifest.digest);
		snprintf(path, sizeof(path), "index %s", img->manifest.digest);
		free(img->manifest.media_type);
		img->manifest.media_type = NULL;
		if (pick_manifest(doc, path, tag, true, &img->manifest, err))
			return -1;
	}
	if (strcmp(img->manifest.media_type, BRIG_MEDIA_OCI_MANIFEST) &&
	    strcmp(img->manifest.media_type, BRIG_MEDIA_DOCKER_MANIFEST))
		return brig_error_make(err, 0, "%s: media type %s is not an image manifest",
				       img->manifest.digest, img->manifest.media_type);
	if (parse_manifest(img, doc, err))
		return -1;
	json_object_put(doc);
	doc = NULL;
	free(data);
	data = NULL;
	snprintf(path, sizeof(path), "config %s", img->config.digest);
	return brig_image_read_blob(img, &img->config, "config", &data, &len, err) ||
	       brig_json_parse_signed(data, len, path, &doc, err) ||
	       parse_config(img, doc, err) ? -1 : 0;
}

int brig_image_tagged(const struct brig_image *img, const char *tag, struct brig_descriptor *out,
		      bool *found, struct brig_error **err)
{
	unsigned char *data brig_cleanup_free = NULL;
	json_object *doc brig_cleanup_json = NULL;
	struct brig_error *none = NULL;
	char path[4096];
	size_t len = 0;

	*found = false;
	snprintf(path, sizeof(path), "%s/index.json", img->layout);
	if (brig_read_file_max(path, "image index", BRIG_IMAGE_DOC_MAX, true, &data, &len, err) ||
	    brig_json_parse_signed(data, len, path, &doc, err))
		return -1;
	if (!pick_manifest(doc, path, tag, false, out, &none)) {
		*found = true;
		return 0;
	}
	/* Absent is an answer; anything else wrong with the index is an error. */
	if (none->errnum == ENOENT) {
		brig_error_free(&none);
		return 0;
	}
	*err = none;
	return -1;
}

int brig_image_open_ref(const char *ref, struct brig_image **out, struct brig_error **err)
{
	const char *slash = strrchr(ref, '/'), *colon = strrchr(ref, ':');
	char *layout;
	int ret;

	if (!colon || (slash && colon < slash))
		return brig_image_open(ref, NULL, out, err);
	layout = strndup(ref, colon - ref);
	if (!layout)
		return brig_error_make(err, ENOMEM, "%s", ref);
	ret = colon[1] ? brig_image_open(layout, colon + 1, out, err) :
	      brig_error_make(err, 0, "image `%s`: an empty tag after ':'", ref);
	free(layout);
	return ret;
}

int brig_image_open(const char *layout, const char *tag, struct brig_image **out,
		    struct brig_error **err)
{
	struct brig_image *img = calloc(1, sizeof(*img));

	if (!img || (tag && !(img->tag = strdup(tag)))) {
		brig_image_free(&img);
		return brig_error_make(err, ENOMEM, "%s", layout);
	}
	/* Its one name, no link or "..": what the trust policy's scopes are matched against. */
	img->layout = realpath(layout, NULL);
	if (!img->layout) {
		brig_error_make(err, errno, "image `%s` is not an OCI image layout", layout);
		brig_image_free(&img);
		return -1;
	}
	if (open_layout(img, tag, err)) {
		brig_image_free(&img);
		return brig_error_wrap(err, "image `%s%s%s`", layout, tag ? ":" : "", tag ? tag : "");
	}
	*out = img;
	return 0;
}

void brig_image_free(struct brig_image **img)
{
	struct brig_image *i = *img;
	size_t n;

	if (!i)
		return;
	free(i->layout);
	free(i->tag);
	free(i->manifest.media_type);
	free(i->manifest_bytes);
	free(i->config.media_type);
	for (n = 0; i->layers && n < i->n_layers; n++)
		free(i->layers[n].media_type);
	free(i->layers);
	brig_strv_free(i->diff_ids);
	free(i->os);
	free(i->architecture);
	brig_strv_free(i->entrypoint);
	brig_strv_free(i->cmd);
	brig_strv_free(i->env);
	free(i->working_dir);
	free(i->user);
	free(i);
	*img = NULL;
}
