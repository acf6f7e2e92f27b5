// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: cosign signatures in containers/image's dir: form, public keys,
 * and verification (sig.h), with OpenSSL's libcrypto.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "cleanup.h"
#include "fileio.h"
#include "json_locate.h"
#include "sig.h"

/* containers/image's dir: signature: a format byte, then its name. */
static const char sigstore_header[] = "\0sigstore-json\n";
#define SIGSTORE_HEADER_LEN (sizeof(sigstore_header) - 1)
#define SIGNATURE_ANNOTATION "dev.cosignproject.cosign/signature"

struct brig_sig_key {
	EVP_PKEY *pkey;
};

/* OpenSSL's reason for the last failure, for an error message. */
static const char *crypto_reason(void)
{
	unsigned long e = ERR_get_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	ERR_clear_error();
	return r ? r : "no reason given";
}

int brig_base64_decode(const char *text, const char *what, unsigned char **out,
			 size_t *out_len, struct brig_error **err)
{
	size_t len = strlen(text), pad = 0, i;
	unsigned char *buf;
	int n;

	if (!len || len % 4 || len > BRIG_SIG_SIZE_MAX)
		return brig_error_make(err, 0, "%s: not base64 (%zu characters)", what, len);
	while (pad < 2 && text[len - 1 - pad] == '=')
		pad++;
	for (i = 0; i < len - pad; i++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
			    text[i]) || !text[i])
			return brig_error_make(err, 0, "%s: not base64 (character %zu)", what, i + 1);
	buf = malloc(len / 4 * 3 + 1);
	if (!buf)
		return brig_error_make(err, ENOMEM, "%s", what);
	n = EVP_DecodeBlock(buf, (const unsigned char *)text, len);
	if (n < 0 || (size_t)n < pad) {
		free(buf);
		return brig_error_make(err, 0, "%s: not base64", what);
	}
	*out = buf;
	*out_len = n - pad;
	return 0;
}

void brig_sig_free(struct brig_sig **sig)
{
	if (!*sig)
		return;
	free((*sig)->payload);
	free((*sig)->signature);
	free(*sig);
	*sig = NULL;
}

int brig_sig_parse(const void *data, size_t len, const char *name, struct brig_sig **out,
		   struct brig_error **err)
{
	json_object *doc brig_cleanup_json = NULL;
	json_object *v, *annotations = NULL;
	const char *payload = NULL, *signature = NULL;
	bool typed = false;
	struct brig_sig *sig;

	if (len > BRIG_SIG_SIZE_MAX)
		return brig_error_make(err, EFBIG, "%s: %zu bytes, more than a signature's %u", name,
				       len, BRIG_SIG_SIZE_MAX);
	if (len < SIGSTORE_HEADER_LEN || memcmp(data, sigstore_header, SIGSTORE_HEADER_LEN))
		return brig_error_make(err, 0, "%s: not a sigstore signature (containers/image's "
				       "0x00 \"sigstore-json\" header)", name);
	if (brig_json_parse_signed((const char *)data + SIGSTORE_HEADER_LEN,
				   len - SIGSTORE_HEADER_LEN, name, &doc, err))
		return -1;
	if (!json_object_is_type(doc, json_type_object))
		return brig_error_make(err, 0, "%s: expected an object", name);
	json_object_object_foreach(doc, key, value) {
		if (!strcmp(key, "mimeType") && json_object_is_type(value, json_type_string)) {
			if (strcmp(json_object_get_string(value), BRIG_SIG_MEDIA_TYPE))
				return brig_error_make(err, 0, "%s: mimeType \"%s\" is not \""
						       BRIG_SIG_MEDIA_TYPE "\"", name,
						       json_object_get_string(value));
			typed = true;
		} else if (!strcmp(key, "payload") && json_object_is_type(value, json_type_string)) {
			payload = json_object_get_string(value);
		} else if (!strcmp(key, "annotations") &&
			   json_object_is_type(value, json_type_object)) {
			annotations = value;
		} else {
			return brig_error_make(err, 0, "%s: %s \"%s\"", name,
					       strcmp(key, "mimeType") && strcmp(key, "payload") &&
					       strcmp(key, "annotations") ? "unknown field" :
					       "wrong type for", key);
		}
	}
	if (!typed || !payload || !annotations)
		return brig_error_make(err, 0, "%s: no %s", name, !typed ? "mimeType" :
				       !payload ? "payload" : "annotations");
	/* Other annotations (a certificate, a bundle) are keyless signing's: not read. */
	json_object_object_foreach(annotations, akey, avalue) {
		(void)akey;
		if (!json_object_is_type(avalue, json_type_string))
			return brig_error_make(err, 0, "%s: annotations: \"%s\" is not a string",
					       name, akey);
	}
	if (json_object_object_get_ex(annotations, SIGNATURE_ANNOTATION, &v))
		signature = json_object_get_string(v);
	if (!signature)
		return brig_error_make(err, 0, "%s: no " SIGNATURE_ANNOTATION " annotation", name);
	sig = calloc(1, sizeof(*sig));
	if (!sig)
		return brig_error_make(err, ENOMEM, "%s", name);
	if (brig_base64_decode(payload, "payload", &sig->payload, &sig->payload_len, err) ||
	    brig_base64_decode(signature, SIGNATURE_ANNOTATION, &sig->signature, &sig->signature_len,
			  err)) {
		brig_sig_free(&sig);
		return brig_error_wrap(err, "%s", name);
	}
	*out = sig;
	return 0;
}

int brig_sig_load(const char *path, struct brig_sig **out, struct brig_error **err)
{
	unsigned char *data brig_cleanup_free = NULL;
	size_t len = 0;

	if (brig_read_file_max(path, "signature", BRIG_SIG_SIZE_MAX, false, &data, &len, err))
		return -1;
	return brig_sig_parse(data, len, path, out, err);
}

/* Whether @pkey is a key brig signs and verifies with: ECDSA P-256 or Ed25519. Frees it if not. */
static int key_taken(EVP_PKEY *pkey, const char *path, struct brig_error **err)
{
	int type = EVP_PKEY_get_base_id(pkey);
	char group[32] = "unknown";

	if (type == EVP_PKEY_ED25519 ||
	    (type == EVP_PKEY_EC && EVP_PKEY_get_group_name(pkey, group, sizeof(group), NULL) &&
	     !strcmp(group, "prime256v1")))
		return 0;
	EVP_PKEY_free(pkey);
	if (type == EVP_PKEY_EC)
		return brig_error_make(err, 0, "%s: an ECDSA key on curve %s: only P-256 is taken",
				       path, group);
	return brig_error_make(err, 0, "%s: a %s key: only ECDSA P-256 and Ed25519 are taken",
			       path, OBJ_nid2sn(type));
}

/*
 * The key in the PEM file @path: a public one, or with @password a private
 * one; then key_taken(). 0 with *@out, or -1.
 */
static int load_pkey(const char *path, const char *password, EVP_PKEY **out,
		     struct brig_error **err)
{
	FILE *f = fopen(path, "re");

	if (!f)
		return brig_error_make(err, errno, "opening %s key `%s`", password ? "private" : "public",
				       path);
	*out = password ? PEM_read_PrivateKey(f, NULL, NULL, (void *)password) :
			  PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	if (!*out)
		return brig_error_make(err, 0, password ?
				       "%s: cannot read the private key (a wrong password?): %s" :
				       "%s: not a PEM public key: %s", path, crypto_reason());
	return key_taken(*out, path, err);
}

int brig_sig_key_load(const char *path, struct brig_sig_key **out, struct brig_error **err)
{
	struct brig_sig_key *key;
	EVP_PKEY *pkey;

	if (load_pkey(path, NULL, &pkey, err))
		return -1;
	key = calloc(1, sizeof(*key));
	if (!key) {
		EVP_PKEY_free(pkey);
		return brig_error_make(err, ENOMEM, "%s", path);
	}
	key->pkey = pkey;
	*out = key;
	return 0;
}

void brig_sig_key_free(struct brig_sig_key **key)
{
	if (!*key)
		return;
	EVP_PKEY_free((*key)->pkey);
	free(*key);
	*key = NULL;
}

bool brig_is_sha256_digest(const char *digest)
{
	size_t i;

	if (strncmp(digest, "sha256:", 7) || strlen(digest) != 7 + 64)
		return false;
	for (i = 7; digest[i]; i++)
		if (!strchr("0123456789abcdef", digest[i]))
			return false;
	return true;
}

int brig_sha256_digest(const void *data, size_t len, char out[72], struct brig_error **err)
{
	unsigned char md[32];
	unsigned int n = 0, i;

	if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) || n != sizeof(md))
		return brig_error_make(err, 0, "sha256: %s", crypto_reason());
	memcpy(out, "sha256:", 7);
	for (i = 0; i < n; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
	return 0;
}

/* The signature over the payload's exact bytes: ECDSA with SHA-256, or Ed25519. */
static int verify_bytes(const struct brig_sig *sig, const struct brig_sig_key *key,
			struct brig_error **err)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ed25519 = EVP_PKEY_get_base_id(key->pkey) == EVP_PKEY_ED25519;
	int ok;

	if (!ctx)
		return brig_error_make(err, ENOMEM, "verifying the signature");
	ok = EVP_DigestVerifyInit(ctx, NULL, ed25519 ? NULL : EVP_sha256(), NULL, key->pkey) == 1 &&
	     EVP_DigestVerify(ctx, sig->signature, sig->signature_len, sig->payload,
			      sig->payload_len) == 1;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	if (!ok)
		return brig_error_make(err, 0, "the signature does not verify with this %s key",
				       ed25519 ? "Ed25519" : "ECDSA P-256");
	return 0;
}

int brig_sig_verify_claims(const struct brig_sig *sig, const struct brig_sig_key *key,
			   const void *manifest, size_t manifest_len,
			   struct brig_sig_payload **out, struct brig_error **err)
{
	struct brig_sig_payload *claims = NULL;
	char digest[72];

	if (verify_bytes(sig, key, err) ||
	    brig_sig_payload_parse(sig->payload, sig->payload_len, &claims, err))
		return -1;
	if (brig_sha256_digest(manifest, manifest_len, digest, err)) {
		brig_sig_payload_free(&claims);
		return -1;
	}
	if (strcmp(digest, claims->manifest_digest)) {
		brig_error_make(err, 0, "the signature is for manifest %s, not this one (%s)",
				claims->manifest_digest, digest);
		brig_sig_payload_free(&claims);
		return -1;
	}
	*out = claims;
	return 0;
}

int brig_sig_verify(const struct brig_sig *sig, const struct brig_sig_key *key,
		    const void *manifest, size_t manifest_len, const char *identity,
		    struct brig_sig_payload **out, struct brig_error **err)
{
	struct brig_sig_payload *claims = NULL;

	if (!identity || !*identity)
		return brig_error_make(err, EINVAL, "verifying a signature: no identity to expect");
	if (brig_sig_verify_claims(sig, key, manifest, manifest_len, &claims, err))
		return -1;
	if (strcmp(identity, claims->docker_reference)) {
		brig_error_make(err, 0, "the signature is for %s, not %s",
				claims->docker_reference, identity);
		brig_sig_payload_free(&claims);
		return -1;
	}
	if (out)
		*out = claims;
	else
		brig_sig_payload_free(&claims);
	return 0;
}

struct brig_sig_private_key {
	EVP_PKEY *pkey;
};

/* Writes @pkey at @path, exclusively, with @write; the file goes on failure. */
static int write_key(const char *path, mode_t mode, EVP_PKEY *pkey, const char *password,
		     struct brig_error **err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	int ok;

	if (!f) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		return brig_error_make(err, e, "writing `%s`%s", path, e == EEXIST ? ": it exists" : "");
	}
	ok = password ? PEM_write_PKCS8PrivateKey(f, pkey, EVP_aes_256_cbc(), NULL, 0, NULL,
						  (void *)password) : PEM_write_PUBKEY(f, pkey);
	if (fclose(f) || !ok) {
		unlink(path);
		return brig_error_make(err, EIO, "writing `%s`: %s", path, crypto_reason());
	}
	return 0;
}

int brig_sig_keygen(const char *private_path, const char *public_path, const char *password,
		    struct brig_error **err)
{
	EVP_PKEY *pkey;
	int ret;

	if (!password || !*password)
		return brig_error_make(err, EINVAL, "a private key needs a password");
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (!pkey)
		return brig_error_make(err, 0, "making a P-256 key: %s", crypto_reason());
	ret = write_key(private_path, 0600, pkey, password, err);
	if (!ret && write_key(public_path, 0644, pkey, NULL, err)) {
		unlink(private_path);
		ret = -1;
	}
	EVP_PKEY_free(pkey);
	return ret;
}

int brig_sig_private_key_load(const char *path, const char *password,
			      struct brig_sig_private_key **out, struct brig_error **err)
{
	struct brig_sig_private_key *key;
	EVP_PKEY *pkey;

	if (load_pkey(path, password ? password : "", &pkey, err))
		return -1;
	key = calloc(1, sizeof(*key));
	if (!key) {
		EVP_PKEY_free(pkey);
		return brig_error_make(err, ENOMEM, "%s", path);
	}
	key->pkey = pkey;
	*out = key;
	return 0;
}

void brig_sig_private_key_free(struct brig_sig_private_key **key)
{
	if (!*key)
		return;
	EVP_PKEY_free((*key)->pkey);
	free(*key);
	*key = NULL;
}

int brig_sig_payload_make(const char *reference, const char *manifest_digest, char **out,
			  size_t *len, struct brig_error **err)
{
	json_object *o = json_object_new_object(), *critical = json_object_new_object();
	json_object *identity = json_object_new_object(), *image = json_object_new_object();
	const char *text;

	if (!brig_is_sha256_digest(manifest_digest) || !*reference) {
		json_object_put(o);
		json_object_put(critical);
		json_object_put(identity);
		json_object_put(image);
		return brig_error_make(err, EINVAL, "a payload needs a reference and a sha256 digest");
	}
	json_object_object_add(identity, "docker-reference", json_object_new_string(reference));
	json_object_object_add(image, "docker-manifest-digest", json_object_new_string(manifest_digest));
	json_object_object_add(critical, "identity", identity);
	json_object_object_add(critical, "image", image);
	json_object_object_add(critical, "type", json_object_new_string(BRIG_SIG_TYPE));
	json_object_object_add(o, "critical", critical);
	json_object_object_add(o, "optional", NULL);
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	*out = text ? strdup(text) : NULL;
	json_object_put(o);
	if (!*out)
		return brig_error_make(err, ENOMEM, "a payload");
	*len = strlen(*out);
	return 0;
}

int brig_sig_sign(const struct brig_sig_private_key *key, const void *payload, size_t len,
		  struct brig_sig **out, struct brig_error **err)
{
	bool ed25519 = EVP_PKEY_get_base_id(key->pkey) == EVP_PKEY_ED25519;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	struct brig_sig *sig = calloc(1, sizeof(*sig));
	size_t sig_len = 0;
	int ok;

	ok = ctx && sig && (sig->payload = malloc(len ? len : 1)) &&
	     EVP_DigestSignInit(ctx, NULL, ed25519 ? NULL : EVP_sha256(), NULL, key->pkey) == 1 &&
	     EVP_DigestSign(ctx, NULL, &sig_len, payload, len) == 1 &&
	     (sig->signature = malloc(sig_len)) &&
	     EVP_DigestSign(ctx, sig->signature, &sig_len, payload, len) == 1;
	EVP_MD_CTX_free(ctx);
	if (!ok) {
		brig_sig_free(&sig);
		return brig_error_make(err, 0, "signing: %s", crypto_reason());
	}
	memcpy(sig->payload, payload, len);
	sig->payload_len = len;
	sig->signature_len = sig_len;
	*out = sig;
	return 0;
}
