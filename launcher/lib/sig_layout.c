// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: cosign signature manifests in an OCI image layout (sig.h). The
 * manifest and each payload are blobs, read only once their digests hold;
 * nothing in them is believed before brig_sig_verify().
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "cleanup.h"
#include "fileio.h"
#include "image.h"
#include "json_locate.h"
#include "sig.h"

#define SIGNATURE_ANNOTATION "dev.cosignproject.cosign/signature"

void brig_sigs_free(struct brig_sig ***sigs, size_t n)
{
	size_t i;

	for (i = 0; *sigs && i < n; i++)
		brig_sig_free(&(*sigs)[i]);
	free(*sigs);
	*sigs = NULL;
}

/* One layer of the signature manifest: its payload blob and annotation. */
static int layer_sig(const struct brig_image *img, json_object *layer, const char *where,
		     struct brig_sig **out, struct brig_error **err)
{
	json_object *v, *annotations;
	struct brig_descriptor desc = { 0 };
	const char *digest, *sig64;
	struct brig_sig *sig;
	int ret;

	if (!json_object_object_get_ex(layer, "digest", &v) || !json_object_is_type(v, json_type_string) ||
	    !brig_is_sha256_digest(digest = json_object_get_string(v)) ||
	    !json_object_object_get_ex(layer, "size", &v) || !json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) < 0 || json_object_get_int64(v) > BRIG_SIG_SIZE_MAX)
		return brig_error_make(err, 0, "%s: expected a sha256 digest and a size of at most %u",
				       where, BRIG_SIG_SIZE_MAX);
	memcpy(desc.digest, digest, 72);
	desc.size = json_object_get_int64(v);
	if (!json_object_object_get_ex(layer, "annotations", &annotations) ||
	    !json_object_object_get_ex(annotations, SIGNATURE_ANNOTATION, &v) ||
	    !json_object_is_type(v, json_type_string))
		return brig_error_make(err, 0, "%s: no " SIGNATURE_ANNOTATION " annotation", where);
	sig64 = json_object_get_string(v);
	sig = calloc(1, sizeof(*sig));
	if (!sig)
		return brig_error_make(err, ENOMEM, "%s", where);
	ret = brig_image_read_blob(img, &desc, "signature payload", &sig->payload, &sig->payload_len,
				   err) ||
	      brig_base64_decode(sig64, SIGNATURE_ANNOTATION, &sig->signature, &sig->signature_len, err);
	if (ret) {
		brig_sig_free(&sig);
		return brig_error_wrap(err, "%s", where);
	}
	*out = sig;
	return 0;
}

int brig_image_signatures(const struct brig_image *img, struct brig_sig ***out, size_t *n,
			  struct brig_error **err)
{
	unsigned char *data brig_cleanup_free = NULL;
	json_object *doc brig_cleanup_json = NULL;
	struct brig_descriptor desc = { 0 };
	struct brig_sig **sigs = NULL;
	json_object *layers;
	char tag[80], where[192];
	size_t len = 0, i, count;
	bool found;

	*out = NULL;
	*n = 0;
	snprintf(tag, sizeof(tag), "sha256-%s.sig", img->manifest.digest + 7);
	if (brig_image_tagged(img, tag, &desc, &found, err))
		return -1;
	if (!found)
		return 0;
	snprintf(where, sizeof(where), "signature manifest %s (%s)", desc.digest, tag);
	if (brig_image_read_blob(img, &desc, "signature manifest", &data, &len, err) ||
	    brig_json_parse_signed(data, len, where, &doc, err)) {
		free(desc.media_type);
		return -1;
	}
	free(desc.media_type);
	if (!json_object_is_type(doc, json_type_object) ||
	    !json_object_object_get_ex(doc, "layers", &layers) ||
	    !json_object_is_type(layers, json_type_array))
		return brig_error_make(err, 0, "%s: no \"layers\" array", where);
	count = json_object_array_length(layers);
	if (count > BRIG_IMAGE_LAYERS_MAX)
		return brig_error_make(err, E2BIG, "%s: %zu signatures, more than %u", where, count,
				       BRIG_IMAGE_LAYERS_MAX);
	sigs = calloc(count ? count : 1, sizeof(*sigs));
	if (!sigs)
		return brig_error_make(err, ENOMEM, "%s", where);
	for (i = 0; i < count; i++) {
		json_object *layer = json_object_array_get_idx(layers, i), *v;
		char at[224];

		/* Layers of other kinds (an attestation's) are not signatures. */
		if (!json_object_is_type(layer, json_type_object) ||
		    !json_object_object_get_ex(layer, "mediaType", &v) ||
		    !json_object_is_type(v, json_type_string) ||
		    strcmp(json_object_get_string(v), BRIG_SIG_MEDIA_TYPE))
			continue;
		snprintf(at, sizeof(at), "%s: layers[%zu]", where, i);
		if (layer_sig(img, layer, at, &sigs[*n], err)) {
			brig_sigs_free(&sigs, *n);
			*n = 0;
			return -1;
		}
		++*n;
	}
	*out = sigs;
	return 0;
}

/* Writes @len bytes at @data to @path whole or not at all: aside, then renamed. */
static int write_whole(const char *path, const void *data, size_t len, struct brig_error **err)
{
	char tmp[4200];
	FILE *f;
	bool ok;

	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, getpid());
	f = fopen(tmp, "wxe");
	if (!f)
		return brig_error_make(err, errno, "writing `%s`", tmp);
	ok = fwrite(data, 1, len, f) == len;
	ok = !fflush(f) && !fsync(fileno(f)) && ok;
	if (fclose(f) || !ok || rename(tmp, path)) {
		int e = errno;

		unlink(tmp);
		return brig_error_make(err, e ? e : EIO, "writing `%s`", path);
	}
	return 0;
}

/* @data as a blob of @img's layout; its descriptor's digest in @digest. */
static int write_blob(const struct brig_image *img, const void *data, size_t len, char digest[72],
		      struct brig_error **err)
{
	char path[4096];

	if (brig_sha256_digest(data, len, digest, err))
		return -1;
	snprintf(path, sizeof(path), "%s/blobs/sha256/%s", img->layout, digest + 7);
	return write_whole(path, data, len, err);
}

static json_object *descriptor(const char *media_type, const char *digest, size_t size)
{
	json_object *d = json_object_new_object();

	json_object_object_add(d, "mediaType", json_object_new_string(media_type));
	json_object_object_add(d, "digest", json_object_new_string(digest));
	json_object_object_add(d, "size", json_object_new_int64(size));
	return d;
}

/* The layers of @img's signature manifest so far (a new array if it has none). */
static int existing_layers(const struct brig_image *img, const char *tag, json_object **out,
			   struct brig_error **err)
{
	unsigned char *data brig_cleanup_free = NULL;
	json_object *doc brig_cleanup_json = NULL;
	struct brig_descriptor desc = { 0 };
	json_object *layers;
	size_t len = 0;
	bool found;
	int ret;

	if (brig_image_tagged(img, tag, &desc, &found, err))
		return -1;
	if (!found) {
		*out = json_object_new_array();
		return 0;
	}
	ret = brig_image_read_blob(img, &desc, "signature manifest", &data, &len, err) ||
	      brig_json_parse_signed(data, len, tag, &doc, err);
	free(desc.media_type);
	if (ret)
		return -1;
	if (!json_object_object_get_ex(doc, "layers", &layers) ||
	    !json_object_is_type(layers, json_type_array))
		return brig_error_make(err, 0, "%s: no \"layers\" array", tag);
	*out = json_object_get(layers);
	return 0;
}

/* index.json with the entry tagged @tag (if any) replaced by @entry. */
static int replace_in_index(const struct brig_image *img, const char *tag, json_object *entry,
			    struct brig_error **err)
{
	unsigned char *data brig_cleanup_free = NULL;
	json_object *doc brig_cleanup_json = NULL;
	json_object *manifests, *kept;
	char path[4096];
	const char *text;
	size_t len = 0, i;

	snprintf(path, sizeof(path), "%s/index.json", img->layout);
	if (brig_read_file_max(path, "image index", BRIG_IMAGE_DOC_MAX, true, &data, &len, err) ||
	    brig_json_parse_signed(data, len, path, &doc, err))
		return -1;
	if (!json_object_object_get_ex(doc, "manifests", &manifests) ||
	    !json_object_is_type(manifests, json_type_array))
		return brig_error_make(err, 0, "%s: no \"manifests\" array", path);
	kept = json_object_new_array();
	for (i = 0; i < json_object_array_length(manifests); i++) {
		json_object *m = json_object_array_get_idx(manifests, i), *a, *name;

		if (json_object_object_get_ex(m, "annotations", &a) &&
		    json_object_object_get_ex(a, "org.opencontainers.image.ref.name", &name) &&
		    json_object_is_type(name, json_type_string) && !strcmp(json_object_get_string(name), tag))
			continue;
		json_object_array_add(kept, json_object_get(m));
	}
	json_object_array_add(kept, json_object_get(entry));
	json_object_object_add(doc, "manifests", kept);
	text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	return write_whole(path, text, strlen(text), err);
}

int brig_image_add_signature(const struct brig_image *img, const struct brig_sig *sig,
			     struct brig_error **err)
{
	json_object *layers brig_cleanup_json = NULL;
	json_object *manifest brig_cleanup_json = NULL;
	json_object *config brig_cleanup_json = NULL;
	json_object *entry brig_cleanup_json = NULL;
	json_object *layer, *annotations, *ids, *rootfs;
	char tag[80], payload[72], config_digest[72], manifest_digest[72], *sig64;
	const char *text, *config_text;
	size_t i;

	snprintf(tag, sizeof(tag), "sha256-%s.sig", img->manifest.digest + 7);
	sig64 = malloc(4 * ((sig->signature_len + 2) / 3) + 1);
	if (!sig64)
		return brig_error_make(err, ENOMEM, "signing");
	EVP_EncodeBlock((unsigned char *)sig64, sig->signature, sig->signature_len);
	if (existing_layers(img, tag, &layers, err) ||
	    write_blob(img, sig->payload, sig->payload_len, payload, err)) {
		free(sig64);
		return -1;
	}
	layer = descriptor(BRIG_SIG_MEDIA_TYPE, payload, sig->payload_len);
	annotations = json_object_new_object();
	json_object_object_add(annotations, SIGNATURE_ANNOTATION, json_object_new_string(sig64));
	free(sig64);
	json_object_object_add(layer, "annotations", annotations);
	json_object_array_add(layers, layer);
	/* A config as an image's, its diff_ids the payloads. */
	config = json_object_new_object();
	ids = json_object_new_array();
	for (i = 0; i < json_object_array_length(layers); i++) {
		json_object *d;

		if (json_object_object_get_ex(json_object_array_get_idx(layers, i), "digest", &d))
			json_object_array_add(ids, json_object_get(d));
	}
	rootfs = json_object_new_object();
	json_object_object_add(rootfs, "type", json_object_new_string("layers"));
	json_object_object_add(rootfs, "diff_ids", ids);
	json_object_object_add(config, "architecture", json_object_new_string(""));
	json_object_object_add(config, "os", json_object_new_string(""));
	json_object_object_add(config, "rootfs", rootfs);
	config_text = json_object_to_json_string_ext(config, JSON_C_TO_STRING_PLAIN);
	if (write_blob(img, config_text, strlen(config_text), config_digest, err))
		return -1;
	manifest = json_object_new_object();
	json_object_object_add(manifest, "schemaVersion", json_object_new_int(2));
	json_object_object_add(manifest, "mediaType", json_object_new_string(BRIG_MEDIA_OCI_MANIFEST));
	json_object_object_add(manifest, "config", descriptor(BRIG_MEDIA_OCI_CONFIG, config_digest,
							      strlen(config_text)));
	json_object_object_add(manifest, "layers", json_object_get(layers));
	text = json_object_to_json_string_ext(manifest, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (write_blob(img, text, strlen(text), manifest_digest, err))
		return -1;
	entry = descriptor(BRIG_MEDIA_OCI_MANIFEST, manifest_digest, strlen(text));
	annotations = json_object_new_object();
	json_object_object_add(annotations, "org.opencontainers.image.ref.name", json_object_new_string(tag));
	json_object_object_add(entry, "annotations", annotations);
	return replace_in_index(img, tag, entry, err);
}
