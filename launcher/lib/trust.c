// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: the trust policy (trust.h), read as containers/image reads
 * policy.json: unknown fields refused, every requirement array non-empty.
 */
#include <errno.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "cleanup.h"
#include "fileio.h"
#include "image.h"
#include "json_locate.h"
#include "spec.h"
#include "trust.h"

/* Largest policy file read. */
#define TRUST_POLICY_MAX (1U << 20)

static int only_fields(json_object *obj, const char *where, const char *const *keys,
		       struct brig_error **err)
{
	json_object_object_foreach(obj, key, value) {
		const char *const *k;

		(void)value;
		for (k = keys; *k && strcmp(*k, key); k++)
			;
		if (!*k)
			return brig_error_make(err, 0, "%s: unknown field \"%s\"", where, key);
	}
	return 0;
}

static const char *string_of(json_object *obj, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}

static int parse_identity(json_object *id, const char *where, struct brig_trust_req *req,
			  struct brig_error **err)
{
	static const struct {
		const char *name, *value_key;
		enum brig_trust_identity id;
	} kinds[] = {
		{ "matchRepoDigestOrExact", NULL, BRIG_ID_MATCH_REPO_DIGEST_OR_EXACT },
		{ "matchExact", NULL, BRIG_ID_MATCH_EXACT },
		{ "matchRepository", NULL, BRIG_ID_MATCH_REPOSITORY },
		{ "exactReference", "dockerReference", BRIG_ID_EXACT_REFERENCE },
		{ "exactRepository", "dockerRepository", BRIG_ID_EXACT_REPOSITORY },
	};
	const char *type = string_of(id, "type"), *value;
	size_t i;

	if (!json_object_is_type(id, json_type_object) || !type)
		return brig_error_make(err, 0, "%s: signedIdentity: expected an object with a type", where);
	if (!strcmp(type, "remapIdentity")) {
		req->type = BRIG_TRUST_UNCHECKABLE;
		req->why = "a remapIdentity signedIdentity";
		return 0;
	}
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]) && strcmp(type, kinds[i].name); i++)
		;
	if (i == sizeof(kinds) / sizeof(kinds[0]))
		return brig_error_make(err, 0, "%s: signedIdentity: unknown type \"%s\"", where, type);
	if (only_fields(id, where, (const char *const[]){ "type", kinds[i].value_key, NULL }, err))
		return -1;
	req->identity = kinds[i].id;
	if (!kinds[i].value_key)
		return 0;
	value = string_of(id, kinds[i].value_key);
	if (!value || !*value)
		return brig_error_make(err, 0, "%s: signedIdentity %s needs %s", where, type,
				       kinds[i].value_key);
	req->identity_value = strdup(value);
	return req->identity_value ? 0 : brig_error_make(err, ENOMEM, "%s", where);
}

static int parse_signed(json_object *r, const char *where, struct brig_trust_req *req,
			struct brig_error **err)
{
	static const char *const keys[] = {
		"type", "keyPath", "keyPaths", "keyData", "keyDatas", "fulcio", "rekorPublicKeyPath",
		"rekorPublicKeyPaths", "rekorPublicKeyData", "rekorPublicKeyDatas", "pki",
		"signedIdentity", NULL,
	};
	json_object *v;
	int sources = 0;
	size_t i;

	if (only_fields(r, where, keys, err))
		return -1;
	req->type = BRIG_TRUST_SIGNED;
	if (json_object_object_get_ex(r, "keyPath", &v)) {
		sources++;
		if (!json_object_is_type(v, json_type_string) || !*json_object_get_string(v))
			return brig_error_make(err, 0, "%s: keyPath: expected a path", where);
		req->key_paths = calloc(2, sizeof(char *));
		if (!req->key_paths || !(req->key_paths[0] = strdup(json_object_get_string(v))))
			return brig_error_make(err, ENOMEM, "%s", where);
	}
	if (json_object_object_get_ex(r, "keyPaths", &v)) {
		size_t n = json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;

		if (sources++)
			return brig_error_make(err, 0, "%s: sigstoreSigned needs exactly one of keyPath, "
					       "keyPaths, keyData, keyDatas, fulcio or pki", where);
		if (!n)
			return brig_error_make(err, 0, "%s: keyPaths: expected paths", where);
		req->key_paths = calloc(n + 1, sizeof(char *));
		if (!req->key_paths)
			return brig_error_make(err, ENOMEM, "%s", where);
		for (i = 0; i < n; i++) {
			json_object *e = json_object_array_get_idx(v, i);

			if (!json_object_is_type(e, json_type_string) || !*json_object_get_string(e))
				return brig_error_make(err, 0, "%s: keyPaths[%zu]: expected a path", where, i);
			req->key_paths[i] = strdup(json_object_get_string(e));
			if (!req->key_paths[i])
				return brig_error_make(err, ENOMEM, "%s", where);
		}
	}
	for (i = 0; keys[i]; i++)
		if (strcmp(keys[i], "type") && strcmp(keys[i], "keyPath") &&
		    strcmp(keys[i], "keyPaths") && strcmp(keys[i], "signedIdentity") &&
		    json_object_object_get_ex(r, keys[i], NULL)) {
			/* Read, never satisfied: keys inline, keyless (Fulcio, Rekor), PKI. */
			req->type = BRIG_TRUST_UNCHECKABLE;
			req->why = !strncmp(keys[i], "key", 3) ? "keys given inline (keyData)" :
				   "keyless signing (Fulcio, Rekor or PKI)";
			sources += !strncmp(keys[i], "key", 3) || !strcmp(keys[i], "fulcio") ||
				   !strcmp(keys[i], "pki");
		}
	if (sources != 1)
		return brig_error_make(err, 0, "%s: sigstoreSigned needs exactly one of keyPath, keyPaths, "
				       "keyData, keyDatas, fulcio or pki", where);
	if (json_object_object_get_ex(r, "signedIdentity", &v))
		return parse_identity(v, where, req, err);
	return 0;
}

static int parse_req(json_object *r, const char *where, struct brig_trust_req *req,
		     struct brig_error **err)
{
	const char *type = json_object_is_type(r, json_type_object) ? string_of(r, "type") : NULL;

	if (!type)
		return brig_error_make(err, 0, "%s: expected a requirement (an object with a type)", where);
	if (!strcmp(type, "insecureAcceptAnything") || !strcmp(type, "reject")) {
		req->type = type[0] == 'r' ? BRIG_TRUST_REJECT : BRIG_TRUST_ACCEPT;
		return only_fields(r, where, (const char *const[]){ "type", NULL }, err);
	}
	if (!strcmp(type, "sigstoreSigned"))
		return parse_signed(r, where, req, err);
	if (!strcmp(type, "signedBy")) {
		/* GPG: its fields are containers/image's business; it never holds here. */
		req->type = BRIG_TRUST_UNCHECKABLE;
		req->why = "a GPG signature (signedBy)";
		return 0;
	}
	return brig_error_make(err, 0, "%s: unknown requirement type \"%s\"", where, type);
}

static int parse_reqs(json_object *arr, const char *where, const char *transport,
		      const char *scope, struct brig_trust_policy *p, struct brig_error **err)
{
	struct brig_trust_reqs *s, *more;
	size_t i, n;
	char at[512];

	n = json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
	if (!n)
		return brig_error_make(err, 0, "%s: expected a non-empty array of requirements", where);
	more = realloc(p->scopes, (p->n_scopes + 1) * sizeof(*more));
	if (!more)
		return brig_error_make(err, ENOMEM, "%s", where);
	p->scopes = more;
	s = &p->scopes[p->n_scopes++];
	memset(s, 0, sizeof(*s));
	if ((transport && !(s->transport = strdup(transport))) || !(s->scope = strdup(scope)) ||
	    !(s->reqs = calloc(n, sizeof(*s->reqs))))
		return brig_error_make(err, ENOMEM, "%s", where);
	s->n = n;
	for (i = 0; i < n; i++) {
		snprintf(at, sizeof(at), "%s[%zu]", where, i);
		if (parse_req(json_object_array_get_idx(arr, i), at, &s->reqs[i], err))
			return -1;
	}
	return 0;
}

int brig_trust_policy_parse(const char *text, size_t len, const char *name,
			    struct brig_trust_policy **out, struct brig_error **err)
{
	json_object *doc brig_cleanup_json = NULL;
	struct brig_trust_policy *p;
	json_object *v;
	char where[512];

	if (brig_json_parse_signed(text, len, name, &doc, err))
		return -1;
	if (!json_object_is_type(doc, json_type_object))
		return brig_error_make(err, 0, "%s: expected an object", name);
	if (only_fields(doc, name, (const char *const[]){ "default", "transports", NULL }, err))
		return -1;
	p = calloc(1, sizeof(*p));
	if (!p)
		return brig_error_make(err, ENOMEM, "%s", name);
	snprintf(where, sizeof(where), "%s: default", name);
	if (!json_object_object_get_ex(doc, "default", &v)) {
		brig_error_make(err, 0, "%s: no \"default\" requirements", name);
		goto fail;
	}
	if (parse_reqs(v, where, NULL, "", p, err))
		goto fail;
	if (json_object_object_get_ex(doc, "transports", &v)) {
		if (!json_object_is_type(v, json_type_object)) {
			brig_error_make(err, 0, "%s: transports: expected an object", name);
			goto fail;
		}
		json_object_object_foreach(v, transport, scopes) {
			if (!json_object_is_type(scopes, json_type_object)) {
				brig_error_make(err, 0, "%s: transports.%s: expected an object of scopes",
						name, transport);
				goto fail;
			}
			json_object_object_foreach(scopes, scope, reqs) {
				snprintf(where, sizeof(where), "%s: transports.%s[\"%s\"]", name, transport,
					 scope);
				if (parse_reqs(reqs, where, transport, scope, p, err))
					goto fail;
			}
		}
	}
	*out = p;
	return 0;
fail:
	brig_trust_policy_free(&p);
	return -1;
}

int brig_trust_policy_load(const char *path, struct brig_trust_policy **out,
			   struct brig_error **err)
{
	unsigned char *text brig_cleanup_free = NULL;
	size_t len = 0;

	if (brig_read_file_max(path, "trust policy", TRUST_POLICY_MAX, false, &text, &len, err))
		return -1;
	return brig_trust_policy_parse((const char *)text, len, path, out, err);
}

void brig_trust_policy_free(struct brig_trust_policy **policy)
{
	struct brig_trust_policy *p = *policy;
	size_t i, j;

	if (!p)
		return;
	for (i = 0; i < p->n_scopes; i++) {
		for (j = 0; p->scopes[i].reqs && j < p->scopes[i].n; j++) {
			brig_strv_free(p->scopes[i].reqs[j].key_paths);
			free(p->scopes[i].reqs[j].identity_value);
		}
		free(p->scopes[i].reqs);
		free(p->scopes[i].transport);
		free(p->scopes[i].scope);
	}
	free(p->scopes);
	free(p);
	*policy = NULL;
}

static const struct brig_trust_reqs *scope_named(const struct brig_trust_policy *policy,
						 const char *transport, const char *scope, size_t len)
{
	size_t i;

	for (i = 0; i < policy->n_scopes; i++) {
		const struct brig_trust_reqs *s = &policy->scopes[i];

		if (s->transport && !strcmp(s->transport, transport) && strlen(s->scope) == len &&
		    !strncmp(s->scope, scope, len))
			return s;
	}
	return NULL;
}

/* @ref without its tag or digest: its repository. */
static size_t repository_len(const char *ref)
{
	const char *at = strchr(ref, '@'), *slash = strrchr(ref, '/'), *colon;

	if (at)
		return at - ref;
	colon = strrchr(ref, ':');
	return colon && (!slash || colon > slash) ? (size_t)(colon - ref) : strlen(ref);
}

/* An OCI layout's scope, PATH[:TAG], without its tag. */
static size_t path_len(const char *scope)
{
	const char *slash = strrchr(scope, '/'), *colon = strrchr(scope, ':');

	return colon && (!slash || colon > slash) ? (size_t)(colon - scope) : strlen(scope);
}

const struct brig_trust_reqs *brig_trust_policy_for(const struct brig_trust_policy *policy,
						     const char *transport, const char *scope)
{
	bool docker = !strcmp(transport, "docker");
	const struct brig_trust_reqs *s;
	size_t len = strlen(scope), host, i;
	char wildcard[256];

	if ((s = scope_named(policy, transport, scope, len)))
		return s;
	/* Then what contains it, most specific first: up to each '/' from the end. */
	len = docker ? repository_len(scope) : path_len(scope);
	while (len) {
		if ((s = scope_named(policy, transport, scope, len)))
			return s;
		while (len && scope[--len] != '/')
			;
	}
	if (!docker && scope[0] == '/' && (s = scope_named(policy, transport, "/", 1)))
		return s;
	/* A registry's wildcard scopes: *.example.com for a.b.example.com. */
	host = strcspn(scope, "/");
	for (i = 0; docker && i < host; i++) {
		if (scope[i] != '.')
			continue;
		snprintf(wildcard, sizeof(wildcard), "*%.*s", (int)(host - i), scope + i);
		if ((s = scope_named(policy, transport, wildcard, strlen(wildcard))))
			return s;
	}
	if ((s = scope_named(policy, transport, "", 0)))
		return s;
	return policy->n_scopes ? &policy->scopes[0] : NULL;
}

int brig_trust_identity_ok(const struct brig_trust_req *req, const char *ref,
			   const struct brig_sig_payload *claims, struct brig_error **err)
{
	const char *signed_ref = claims->docker_reference;
	size_t repo = repository_len(signed_ref);

	switch (req->identity) {
	case BRIG_ID_EXACT_REFERENCE:
		if (!strcmp(signed_ref, req->identity_value))
			return 0;
		return brig_error_make(err, 0, "the signature is for %s, and the policy wants %s",
				       signed_ref, req->identity_value);
	case BRIG_ID_EXACT_REPOSITORY:
		if (strlen(req->identity_value) == repo && !strncmp(signed_ref, req->identity_value, repo))
			return 0;
		return brig_error_make(err, 0, "the signature is for %s, not a reference in "
				       "repository %s", signed_ref, req->identity_value);
	default:
		break;
	}
	if (!ref)
		return brig_error_make(err, 0, "the image has no reference to match the signature's "
				       "(%s) against: the policy needs exactReference or exactRepository",
				       signed_ref);
	if (!strcmp(signed_ref, ref))
		return 0;
	if (req->identity == BRIG_ID_MATCH_REPOSITORY ||
	    (req->identity == BRIG_ID_MATCH_REPO_DIGEST_OR_EXACT && strchr(ref, '@')))
		if (repository_len(ref) == repo && !strncmp(ref, signed_ref, repo))
			return 0;
	return brig_error_make(err, 0, "the signature is for %s, not %s", signed_ref, ref);
}

/* Whether one signature of @sigs, by one key of @req's, holds for @img. */
static int signed_ok(const struct brig_trust_req *req, const struct brig_image *img,
		     struct brig_sig **sigs, size_t n, FILE *why)
{
	for (size_t k = 0; req->key_paths && req->key_paths[k]; k++) {
		struct brig_sig_key *key = NULL;
		struct brig_error *e = NULL;

		if (brig_sig_key_load(req->key_paths[k], &key, &e)) {
			fprintf(why, "; key %s: %s", req->key_paths[k], e->msg);
			brig_error_free(&e);
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			struct brig_sig_payload *claims = NULL;

			if (!brig_sig_verify_claims(sigs[i], key, img->manifest_bytes, img->manifest_len,
						    &claims, &e) &&
			    !brig_trust_identity_ok(req, NULL, claims, &e)) {
				brig_sig_payload_free(&claims);
				brig_sig_key_free(&key);
				return 0;
			}
			brig_sig_payload_free(&claims);
			fprintf(why, "; signature %zu with key %s: %s", i + 1, req->key_paths[k], e->msg);
			brig_error_free(&e);
		}
		brig_sig_key_free(&key);
	}
	return -1;
}

int brig_trust_check(const struct brig_trust_policy *policy, const char *policy_path,
		     const struct brig_image *img, bool signature_required, struct brig_error **err)
{
	const struct brig_trust_reqs *reqs;
	struct brig_sig **sigs = NULL;
	char *scope = NULL, *reasons = NULL;
	size_t n = 0, len = 0, i;
	bool verified = false;
	FILE *why = NULL;
	int ret = -1;

	if (img->tag ? asprintf(&scope, "%s:%s", img->layout, img->tag) < 0 :
		       !(scope = strdup(img->layout))) {
		scope = NULL;
		return brig_error_make(err, ENOMEM, "trust");
	}
	reqs = brig_trust_policy_for(policy, "oci", scope);
	if (!reqs || !reqs->n) {
		brig_error_make(err, 0, "image %s: the trust policy %s has no requirement for it "
				"(no \"default\")", scope, policy_path);
		goto out;
	}
	if (brig_image_signatures(img, &sigs, &n, err))
		goto out;
	why = open_memstream(&reasons, &len);
	if (!why) {
		brig_error_make(err, ENOMEM, "trust");
		goto out;
	}
	for (i = 0; i < reqs->n; i++) {
		const struct brig_trust_req *req = &reqs->reqs[i];

		switch (req->type) {
		case BRIG_TRUST_ACCEPT:
			continue;
		case BRIG_TRUST_REJECT:
			fprintf(why, ": rejected by the policy");
			break;
		case BRIG_TRUST_UNCHECKABLE:
			fprintf(why, ": the policy requires %s, which brig cannot check", req->why);
			break;
		case BRIG_TRUST_SIGNED:
			if (!n) {
				fprintf(why, ": not signed (no sha256-%s.sig in the layout)",
					img->manifest.digest + 7);
				break;
			}
			if (!signed_ok(req, img, sigs, n, why)) {
				verified = true;
				continue;
			}
			break;
		}
		goto refused;
	}
	if (signature_required && !verified) {
		fprintf(why, ": content trust is required, and the policy accepts it unsigned "
			"(insecureAcceptAnything)");
		goto refused;
	}
	ret = 0;
	goto out;
refused:
	fclose(why);
	why = NULL;
	brig_error_make(err, 0, "image %s (manifest %s) refused by the trust policy %s%s", scope,
			img->manifest.digest, policy_path, reasons ? reasons : "");
out:
	if (why)
		fclose(why);
	free(reasons);
	free(scope);
	brig_sigs_free(&sigs, n);
	return ret;
}

int brig_trust_check_image(const struct brig_image *img, bool required, struct brig_error **err)
{
	const char *path = getenv("BRIG_TRUST_POLICY");
	struct brig_trust_policy *policy = NULL;
	struct stat st;
	int ret;

	if (!path || !*path)
		path = BRIG_TRUST_POLICY;
	/* lstat: a link that leads nowhere is a policy that cannot be read, not none. */
	if (lstat(path, &st) && errno == ENOENT) {
		if (!required)
			return 0;
		return brig_error_make(err, 0, "image %s: content trust is required, and there is no trust policy %s",
				       img->layout, path);
	}
	if (brig_trust_policy_load(path, &policy, err))
		return -1;
	ret = brig_trust_check(policy, path, img, required, err);
	brig_trust_policy_free(&policy);
	return ret;
}
