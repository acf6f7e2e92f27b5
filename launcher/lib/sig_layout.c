// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: cosign signature manifests in an OCI image layout (sig.h). The
 * manifest and each payload are blobs, read only once their digests hold;
 * nothing in them is believed before brig_sig_verify().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cleanup.h"
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
