/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig: the trust policy, in containers/image's policy.json format
 * (containers-policy.json(5), as podman reads /etc/containers/policy.json):
 * per transport and scope, requirements that must all hold for an image
 * to run: insecureAcceptAnything, reject, or sigstoreSigned (cosign keys,
 * a signedIdentity rule). The most specific scope wins; "default" is for
 * everything else. Requirements brig cannot check (GPG's signedBy, keyless
 * fulcio, keys given inline) are read, so that podman's own file is, but
 * never hold: a policy never means less than it says.
 */
#ifndef BRIG_TRUST_H
#define BRIG_TRUST_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "sig.h"

enum brig_trust_type {
	BRIG_TRUST_ACCEPT,	/* insecureAcceptAnything */
	BRIG_TRUST_REJECT,	/* reject */
	BRIG_TRUST_SIGNED,	/* sigstoreSigned */
	BRIG_TRUST_UNCHECKABLE,	/* one brig cannot check: never holds */
};

/* signedIdentity: what the signature's docker-reference must be. */
enum brig_trust_identity {
	BRIG_ID_MATCH_REPO_DIGEST_OR_EXACT,	/* the default */
	BRIG_ID_MATCH_EXACT,
	BRIG_ID_MATCH_REPOSITORY,
	BRIG_ID_EXACT_REFERENCE,
	BRIG_ID_EXACT_REPOSITORY,
};

struct brig_trust_req {
	enum brig_trust_type type;
	char **key_paths;		/* sigstoreSigned: keyPath or keyPaths */
	enum brig_trust_identity identity;
	char *identity_value;		/* dockerReference or dockerRepository */
	const char *why;		/* BRIG_TRUST_UNCHECKABLE: what it is */
};

/* One scope's requirements, all of which must hold. */
struct brig_trust_reqs {
	char *transport;		/* NULL: "default" */
	char *scope;
	struct brig_trust_req *reqs;
	size_t n;
};

struct brig_trust_policy {
	struct brig_trust_reqs *scopes;	/* "default" first */
	size_t n_scopes;
};

/* Reads @path strictly: every field known, every requirement checkable. */
int brig_trust_policy_load(const char *path, struct brig_trust_policy **out,
			   struct brig_error **err);
int brig_trust_policy_parse(const char *text, size_t len, const char *name,
			    struct brig_trust_policy **out, struct brig_error **err);
void brig_trust_policy_free(struct brig_trust_policy **policy);

/*
 * The requirements for @scope in @transport: the scope named exactly, then
 * the longest that contains it (a path's parent directories for "oci", a
 * reference's repository, namespaces and registry for "docker"), then the
 * transport's "", then "default". NULL if none applies.
 */
const struct brig_trust_reqs *brig_trust_policy_for(const struct brig_trust_policy *policy,
						     const char *transport, const char *scope);

/*
 * Whether @claims (a verified signature's payload) satisfy @req's identity
 * rule for the image @ref (its docker reference, NULL if it has none, as an
 * OCI layout's image); 0, or -1 with *err saying why not.
 */
int brig_trust_identity_ok(const struct brig_trust_req *req, const char *ref,
			   const struct brig_sig_payload *claims, struct brig_error **err);

/* brig's trust policy, in containers-policy.json(5)'s format; $BRIG_TRUST_POLICY overrides. */
#define BRIG_TRUST_POLICY "/etc/brig/policy.json"

struct brig_image;

/*
 * Whether @policy (read from @policy_path) lets the OCI layout image @img
 * run: every requirement of its scope holds, and with
 * @signature_required (content trust) one of them is a signature that
 * verified. 0, or -1 with *err naming the image, and each key and
 * signature with what failed.
 */
int brig_trust_check(const struct brig_trust_policy *policy, const char *policy_path,
		     const struct brig_image *img, bool signature_required, struct brig_error **err);

/*
 * brig_trust_check() with the trust policy in use ($BRIG_TRUST_POLICY, else
 * BRIG_TRUST_POLICY), where it exists; with @required (content trust),
 * where it does not, a refusal.
 */
int brig_trust_check_image(const struct brig_image *img, bool required, struct brig_error **err);

#endif /* BRIG_TRUST_H */
