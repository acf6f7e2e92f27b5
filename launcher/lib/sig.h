/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig: image signatures in cosign's format, as cosign and
 * containers/image write them, verified with a public key.
 *
 * A signature signs a payload (JSON, "simple signing"): which image
 * reference it is for and the digest of the manifest it vouches for.
 * Verifying reads, in this order, and stops at the first failure: the
 * signature over the payload's exact bytes; then the payload, strictly;
 * then the manifest's digest, over its exact bytes; then the reference.
 * Nothing of the payload is believed before its signature holds.
 */
#ifndef BRIG_SIG_H
#define BRIG_SIG_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* The media type of a cosign simple-signing payload. */
#define BRIG_SIG_MEDIA_TYPE "application/vnd.dev.cosign.simplesigning.v1+json"
/* critical.type of every cosign payload. */
#define BRIG_SIG_TYPE "cosign container image signature"
/* Largest signature file or payload read: cosign's are some 1 KiB. */
#define BRIG_SIG_SIZE_MAX (256U << 10)

/* One stored signature: the payload's bytes and the signature over them. */
struct brig_sig {
	unsigned char *payload;
	size_t payload_len;
	unsigned char *signature;	/* DER ECDSA, or Ed25519's 64 bytes */
	size_t signature_len;
};

/* A payload's claims, once its signature holds. */
struct brig_sig_payload {
	char *docker_reference;		/* critical.identity.docker-reference */
	char *manifest_digest;		/* critical.image.docker-manifest-digest */
};

/* A public key: ECDSA P-256 or Ed25519 (PEM, "PUBLIC KEY"). */
struct brig_sig_key;

/*
 * A signature as containers/image's dir: layout stores it (signature-N: a
 * 0x00 byte, "sigstore-json\n", then JSON with mimeType, the payload in
 * base64 and the dev.cosignproject.cosign/signature annotation).
 */
int brig_sig_parse(const void *data, size_t len, const char *name, struct brig_sig **out,
		   struct brig_error **err);
int brig_sig_load(const char *path, struct brig_sig **out, struct brig_error **err);
void brig_sig_free(struct brig_sig **sig);

int brig_sig_key_load(const char *path, struct brig_sig_key **out, struct brig_error **err);
void brig_sig_key_free(struct brig_sig_key **key);

/*
 * The payload's claims, read strictly: the fields cosign writes and no
 * other in "critical", no key twice. For brig_sig_verify(), and for
 * inspecting a signature one does not trust yet.
 */
int brig_sig_payload_parse(const void *data, size_t len, struct brig_sig_payload **out,
			   struct brig_error **err);
void brig_sig_payload_free(struct brig_sig_payload **payload);

/*
 * Verifies @sig with @key for the manifest @manifest (@manifest_len bytes,
 * exactly as stored) and the image reference @identity. 0 with the claims
 * in *@out (if @out), or -1 with *err naming what failed.
 */
int brig_sig_verify(const struct brig_sig *sig, const struct brig_sig_key *key,
		    const void *manifest, size_t manifest_len, const char *identity,
		    struct brig_sig_payload **out, struct brig_error **err);
/* The same up to the reference, which the caller checks (a trust policy's rule): *@out set. */
int brig_sig_verify_claims(const struct brig_sig *sig, const struct brig_sig_key *key,
			   const void *manifest, size_t manifest_len,
			   struct brig_sig_payload **out, struct brig_error **err);

/*
 * cosign's signatures as a signature manifest in an image's OCI layout, as
 * cosign keeps them beside an image in a registry: the manifest tagged
 * sha256-HEX.sig (HEX: the image manifest's digest), each layer a payload
 * (BRIG_SIG_MEDIA_TYPE) with its signature in the layer's
 * dev.cosignproject.cosign/signature annotation. *@n is 0 if there is none.
 */
struct brig_image;
int brig_image_signatures(const struct brig_image *img, struct brig_sig ***out, size_t *n,
			  struct brig_error **err);
void brig_sigs_free(struct brig_sig ***sigs, size_t n);

/*
 * Adds @sig to @img's signature manifest (made if need be, as cosign adds a
 * signature to an image's .sig): blobs first, then index.json replaced
 * whole (written aside, renamed), so a crash leaves the old index or the new.
 */
int brig_image_add_signature(const struct brig_image *img, const struct brig_sig *sig,
			     struct brig_error **err);

/* A private key: ECDSA P-256 or Ed25519, PEM, PKCS#8 encrypted with a password. */
struct brig_sig_private_key;

/*
 * Makes an ECDSA P-256 key pair: the private key at @private_path (mode
 * 0600, encrypted with @password: AES-256 in PKCS#8), the public one at
 * @public_path. Neither file may exist already.
 */
int brig_sig_keygen(const char *private_path, const char *public_path, const char *password,
		    struct brig_error **err);
int brig_sig_private_key_load(const char *path, const char *password,
			      struct brig_sig_private_key **out, struct brig_error **err);
void brig_sig_private_key_free(struct brig_sig_private_key **key);

/* cosign's payload for @reference and @manifest_digest, in *@out (*@len bytes). */
int brig_sig_payload_make(const char *reference, const char *manifest_digest, char **out,
			  size_t *len, struct brig_error **err);
/* A signature of the @len bytes @payload with @key. */
int brig_sig_sign(const struct brig_sig_private_key *key, const void *payload, size_t len,
		  struct brig_sig **out, struct brig_error **err);

/* Standard base64 (@what, for errors), strictly: its alphabet, padded to 4. */
int brig_base64_decode(const char *text, const char *what, unsigned char **out,
		       size_t *out_len, struct brig_error **err);

/* Whether @digest is "sha256:" and 64 lowercase hex digits: the one algorithm read. */
bool brig_is_sha256_digest(const char *digest);

/* "sha256:" and the hex digest of @len bytes at @data, in @out (72 bytes). */
int brig_sha256_digest(const void *data, size_t len, char out[72], struct brig_error **err);

#endif /* BRIG_SIG_H */
