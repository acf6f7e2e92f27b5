// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: cosign's simple-signing payload, read as strictly as
 * containers/image reads it (sig.h): exactly "critical" and "optional" at
 * the top; in "critical" exactly "identity", "image" and "type", each with
 * exactly its one field; no key twice anywhere.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cleanup.h"
#include "json_locate.h"
#include "sig.h"

#define WHAT "signature payload"

/* @obj is an object with exactly the @n keys @keys. */
static int exact_fields(const json_object *obj, const char *where, const char *const *keys,
			size_t n, struct brig_error **err)
{
	size_t i;

	if (!json_object_is_type(obj, json_type_object))
		return brig_error_make(err, 0, WHAT ": %s: expected an object", where);
	json_object_object_foreach((json_object *)obj, key, value) {
		(void)value;
		for (i = 0; i < n && strcmp(key, keys[i]); i++)
			;
		if (i == n)
			return brig_error_make(err, 0, WHAT ": %s: unknown field \"%s\"", where, key);
	}
	for (i = 0; i < n; i++)
		if (!json_object_object_get_ex(obj, keys[i], NULL))
			return brig_error_make(err, 0, WHAT ": %s: no field \"%s\"", where, keys[i]);
	return 0;
}

/* The string field @key of the object @obj, which has it. */
static const char *string_field(const json_object *obj, const char *where, const char *key,
				struct brig_error **err)
{
	json_object *v = json_object_object_get(obj, key);

	if (!json_object_is_type(v, json_type_string)) {
		brig_error_make(err, 0, WHAT ": %s.%s: expected a string", where, key);
		return NULL;
	}
	return json_object_get_string(v);
}

static int check_optional(const json_object *opt, struct brig_error **err)
{
	json_object *v;

	if (!opt)
		return 0;	/* null */
	if (!json_object_is_type(opt, json_type_object))
		return brig_error_make(err, 0, WHAT ": optional: expected an object or null");
	if (json_object_object_get_ex(opt, "creator", &v) && !json_object_is_type(v, json_type_string))
		return brig_error_make(err, 0, WHAT ": optional.creator: expected a string");
	if (json_object_object_get_ex(opt, "timestamp", &v) && !json_object_is_type(v, json_type_int))
		return brig_error_make(err, 0, WHAT ": optional.timestamp: expected an integer");
	return 0;
}

int brig_sig_payload_parse(const void *data, size_t len, struct brig_sig_payload **out,
			   struct brig_error **err)
{
	static const char *const top[] = { "critical", "optional" };
	static const char *const critical_keys[] = { "identity", "image", "type" };
	static const char *const identity_keys[] = { "docker-reference" };
	static const char *const image_keys[] = { "docker-manifest-digest" };
	json_object *doc brig_cleanup_json = NULL;
	json_object *critical;
	const char *type, *ref, *digest;
	struct brig_sig_payload *p;

	if (len > BRIG_SIG_SIZE_MAX)
		return brig_error_make(err, EFBIG, WHAT ": %zu bytes, more than %u", len,
				       BRIG_SIG_SIZE_MAX);
	if (brig_json_parse_signed(data, len, WHAT, &doc, err) ||
	    exact_fields(doc, "the payload", top, 2, err))
		return -1;
	critical = json_object_object_get(doc, "critical");
	if (exact_fields(critical, "critical", critical_keys, 3, err) ||
	    exact_fields(json_object_object_get(critical, "identity"), "critical.identity",
			 identity_keys, 1, err) ||
	    exact_fields(json_object_object_get(critical, "image"), "critical.image",
			 image_keys, 1, err) ||
	    check_optional(json_object_object_get(doc, "optional"), err))
		return -1;
	type = string_field(critical, "critical", "type", err);
	ref = type ? string_field(json_object_object_get(critical, "identity"), "critical.identity",
				  "docker-reference", err) : NULL;
	digest = ref ? string_field(json_object_object_get(critical, "image"), "critical.image",
				    "docker-manifest-digest", err) : NULL;
	if (!digest)
		return -1;
	if (strcmp(type, BRIG_SIG_TYPE))
		return brig_error_make(err, 0, WHAT ": critical.type is \"%s\", not \"" BRIG_SIG_TYPE "\"",
				       type);
	if (!*ref)
		return brig_error_make(err, 0, WHAT ": critical.identity.docker-reference is empty");
	if (!brig_is_sha256_digest(digest))
		return brig_error_make(err, 0, WHAT ": critical.image.docker-manifest-digest \"%s\" is "
				       "not sha256: and 64 lowercase hex digits", digest);
	p = calloc(1, sizeof(*p));
	if (!p || !(p->docker_reference = strdup(ref)) || !(p->manifest_digest = strdup(digest))) {
		brig_sig_payload_free(&p);
		return brig_error_make(err, ENOMEM, WHAT);
	}
	*out = p;
	return 0;
}

void brig_sig_payload_free(struct brig_sig_payload **payload)
{
	if (!*payload)
		return;
	free((*payload)->docker_reference);
	free((*payload)->manifest_digest);
	free(*payload);
	*payload = NULL;
}
