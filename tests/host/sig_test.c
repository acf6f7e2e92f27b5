// SPDX-License-Identifier: GPL-2.0
/*
 * Image signatures (launcher/lib/sig.c): a real cosign signature
 * (../shared/data/cosign-dir-img) verifies with its key and identity and
 * with nothing else; signatures made here, ECDSA P-256 and Ed25519, over
 * payloads and signature files each wrong in one way, are refused, each
 * with its reason, and in the order sig.h gives.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "lib/image.h"
#include "lib/sig.h"
#include "tap.h"

#define IDENTITY "192.168.64.2:5000/cosign-signed-single-sample"

static char dir[] = "/tmp/brig-sig-test.XXXXXX";

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0;

	*len = 0;
	if (!f)
		return NULL;
	if (getdelim(&buf, &cap, EOF, f) < 0)
		*len = 0;
	else
		*len = ftell(f);
	fclose(f);
	return buf;
}

/* A new key of @type (EVP_PKEY_EC: P-256), its public half in @dir/@name. */
static EVP_PKEY *new_key(int type, const char *name, char *path, size_t len)
{
	EVP_PKEY *k = type == EVP_PKEY_EC ? EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256") :
					    EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	FILE *f;

	snprintf(path, len, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!k || !f || !PEM_write_PUBKEY(f, k)) {
		if (f)
			fclose(f);
		EVP_PKEY_free(k);
		return NULL;
	}
	fclose(f);
	return k;
}

static char *base64(const unsigned char *data, size_t len)
{
	char *out = malloc(4 * ((len + 2) / 3) + 1);

	if (out)
		EVP_EncodeBlock((unsigned char *)out, data, len);
	return out;
}

/*
 * A signature file as containers/image writes it, around @payload signed
 * by @key; @json_fmt (with %s for the payload and the signature, in base64)
 * makes its JSON, or NULL for the usual one. In *@len.
 */
static char *make_sig(EVP_PKEY *key, const char *payload, const char *json_fmt, size_t *len)
{
	static const char usual[] = "{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\","
		"\"payload\":\"%s\",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"%s\"}}";
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char sig[256];
	size_t sig_len = sizeof(sig);
	char *p64 = NULL, *s64 = NULL, *out = NULL;
	int n;

	if (ctx && EVP_DigestSignInit(ctx, NULL, EVP_PKEY_get_base_id(key) == EVP_PKEY_EC ?
				      EVP_sha256() : NULL, NULL, key) == 1 &&
	    EVP_DigestSign(ctx, sig, &sig_len, (const unsigned char *)payload,
			   strlen(payload)) == 1 &&
	    (p64 = base64((const unsigned char *)payload, strlen(payload))) &&
	    (s64 = base64(sig, sig_len))) {
		n = snprintf(NULL, 0, json_fmt ? json_fmt : usual, p64, s64);
		out = malloc(15 + n + 1);
		if (out) {
			memcpy(out, "\0sigstore-json\n", 15);
			snprintf(out + 15, n + 1, json_fmt ? json_fmt : usual, p64, s64);
			*len = 15 + n;
		}
	}
	EVP_MD_CTX_free(ctx);
	free(p64);
	free(s64);
	return out;
}

/* Parses and verifies @data against @manifest and @identity: the error, or NULL. */
static char *check(const char *data, size_t len, const struct brig_sig_key *key,
		   const char *manifest, size_t manifest_len, const char *identity)
{
	struct brig_error *err = NULL;
	struct brig_sig *sig = NULL;
	char *msg;

	if (!brig_sig_parse(data, len, "sig", &sig, &err) &&
	    !brig_sig_verify(sig, key, manifest, manifest_len, identity, NULL, &err)) {
		brig_sig_free(&sig);
		return NULL;
	}
	brig_sig_free(&sig);
	msg = strdup(err ? err->msg : "?");
	brig_error_free(&err);
	return msg;
}

static void refused(const char *why, char *msg, const char *expect)
{
	ok(msg && strstr(msg, expect), "refused: %s: %s", why, msg ? msg : "(verified)");
	free(msg);
}

static void fixture_refuses(const char *why, const struct brig_sig *sig,
			    const struct brig_sig_key *key, const char *manifest, size_t len,
			    const char *identity, const char *expect)
{
	struct brig_error *err = NULL;
	int ret = brig_sig_verify(sig, key, manifest, len, identity, NULL, &err);

	ok(ret && strstr(err->msg, expect), "cosign fixture: %s: %s", why,
	   ret ? err->msg : "verified");
	brig_error_free(&err);
}

static void cosign_fixture(const char *top)
{
	char path[512], other[600];
	struct brig_error *err = NULL;
	struct brig_sig_key *key = NULL, *wrong = NULL;
	struct brig_sig_payload *claims = NULL;
	struct brig_sig *sig = NULL;
	char digest[72];
	size_t len;
	char *manifest;
	EVP_PKEY *k;

	snprintf(path, sizeof(path), "%s/../shared/data/cosign-dir-img/manifest.json", top);
	manifest = slurp(path, &len);
	snprintf(path, sizeof(path), "%s/../shared/data/cosign-dir-img/cosign.pub", top);
	if (!manifest || brig_sig_key_load(path, &key, &err)) {
		ok(false, "cosign fixture: loading: %s", err ? err->msg : path);
		brig_error_free(&err);
		free(manifest);
		return;
	}
	snprintf(path, sizeof(path), "%s/../shared/data/cosign-dir-img/signature-1", top);
	ok(!brig_sig_load(path, &sig, &err) &&
	   !brig_sig_verify(sig, key, manifest, len, IDENTITY, &claims, &err) &&
	   !brig_sha256_digest(manifest, len, digest, &err) &&
	   !strcmp(claims->manifest_digest, digest) && !strcmp(claims->docker_reference, IDENTITY),
	   "cosign fixture: verifies with its key and identity: %s", err ? err->msg : digest);
	brig_error_free(&err);
	brig_sig_payload_free(&claims);
	if (!sig) {
		free(manifest);
		brig_sig_key_free(&key);
		return;
	}
	k = new_key(EVP_PKEY_EC, "other.pub", other, sizeof(other));
	if (!k || brig_sig_key_load(other, &wrong, &err)) {
		ok(false, "cosign fixture: another key: %s", err ? err->msg : "keygen");
		brig_error_free(&err);
	} else {
		fixture_refuses("another key", sig, wrong, manifest, len, IDENTITY, "does not verify");
	}
	manifest[len / 2] ^= 1;
	fixture_refuses("one manifest byte changed", sig, key, manifest, len, IDENTITY,
			"not this one");
	manifest[len / 2] ^= 1;
	fixture_refuses("another identity", sig, key, manifest, len, IDENTITY "x",
			"is for " IDENTITY ", not " IDENTITY "x");
	sig->payload[sig->payload_len - 3] ^= 1;
	fixture_refuses("one payload byte changed", sig, key, manifest, len, IDENTITY,
			"does not verify");
	EVP_PKEY_free(k);
	brig_sig_key_free(&wrong);
	brig_sig_key_free(&key);
	brig_sig_free(&sig);
	free(manifest);
}

/* Signatures made here, with each kind of key; then wrong in one way each. */
static void made_here(int type, const char *kind)
{
	static const char manifest[] = "{\"schemaVersion\":2}";
	char path[600], digest[72], payload[1024], bad[1024], *data;
	struct brig_error *err = NULL;
	struct brig_sig_key *key = NULL;
	EVP_PKEY *k = new_key(type, "made.pub", path, sizeof(path));
	size_t len = 0;

	if (!k || brig_sig_key_load(path, &key, &err) ||
	    brig_sha256_digest(manifest, strlen(manifest), digest, &err)) {
		ok(false, "%s: a key: %s", kind, err ? err->msg : "keygen");
		brig_error_free(&err);
		EVP_PKEY_free(k);
		return;
	}
	snprintf(payload, sizeof(payload), "{\"critical\":{\"identity\":{\"docker-reference\":"
		 "\"registry.example/app:1\"},\"image\":{\"docker-manifest-digest\":\"%s\"},"
		 "\"type\":\"cosign container image signature\"},\"optional\":{\"creator\":\"t\","
		 "\"timestamp\":1}}", digest);
	data = make_sig(k, payload, NULL, &len);
	ok(data && !check(data, len, key, manifest, strlen(manifest), "registry.example/app:1"),
	   "%s: a signature made here verifies", kind);
	free(data);

#define PAYLOAD_REFUSED(why, expect, ...) do { \
		snprintf(bad, sizeof(bad), __VA_ARGS__); \
		data = make_sig(k, bad, NULL, &len); \
		refused(why, data ? check(data, len, key, manifest, strlen(manifest), \
					  "registry.example/app:1") : NULL, expect); \
		free(data); \
	} while (0)
#define CRIT_ID "\"identity\":{\"docker-reference\":\"registry.example/app:1\"}"
#define CRIT_TYPE "\"type\":\"cosign container image signature\""
	PAYLOAD_REFUSED("no optional", "no field \"optional\"",
			"{\"critical\":{" CRIT_ID ",\"image\":{\"docker-manifest-digest\":\"%s\"},"
			CRIT_TYPE "}}", digest);
	PAYLOAD_REFUSED("a field more in critical", "critical: unknown field \"extra\"",
			"{\"critical\":{" CRIT_ID ",\"image\":{\"docker-manifest-digest\":\"%s\"},"
			CRIT_TYPE ",\"extra\":1},\"optional\":null}", digest);
	PAYLOAD_REFUSED("a field more at the top", "unknown field \"x\"",
			"{\"critical\":{" CRIT_ID ",\"image\":{\"docker-manifest-digest\":\"%s\"},"
			CRIT_TYPE "},\"optional\":null,\"x\":1}", digest);
	PAYLOAD_REFUSED("another type", "critical.type is \"atomic container signature\"",
			"{\"critical\":{" CRIT_ID ",\"image\":{\"docker-manifest-digest\":\"%s\"},"
			"\"type\":\"atomic container signature\"},\"optional\":null}", digest);
	PAYLOAD_REFUSED("a digest of another algorithm", "is not sha256:",
			"{\"critical\":{" CRIT_ID ",\"image\":{\"docker-manifest-digest\":\"sha512:%s\"},"
			CRIT_TYPE "},\"optional\":null}", digest + 7);
	PAYLOAD_REFUSED("two identities", "a key is repeated",
			"{\"critical\":{\"identity\":{\"docker-reference\":\"registry.example/app:1\","
			"\"docker-reference\":\"evil/app:1\"},\"image\":{\"docker-manifest-digest\":\"%s\"},"
			CRIT_TYPE "},\"optional\":null}", digest);
	PAYLOAD_REFUSED("an escaped key", "a key is repeated or escaped",
			"{\"critical\":{\"identity\":{\"docker-referenc\\u0065\":\"registry.example/app:1\"},"
			"\"image\":{\"docker-manifest-digest\":\"%s\"}," CRIT_TYPE "},\"optional\":null}",
			digest);
	PAYLOAD_REFUSED("a timestamp that is a string", "optional.timestamp: expected an integer",
			"{\"critical\":{" CRIT_ID ",\"image\":{\"docker-manifest-digest\":\"%s\"},"
			CRIT_TYPE "},\"optional\":{\"timestamp\":\"1\"}}", digest);
	PAYLOAD_REFUSED("text after the payload", "invalid JSON",
			"{\"critical\":{" CRIT_ID ",\"image\":{\"docker-manifest-digest\":\"%s\"},"
			CRIT_TYPE "},\"optional\":null} {}", digest);
	PAYLOAD_REFUSED("a signature for another manifest", "not this one",
			"{\"critical\":{" CRIT_ID ",\"image\":{\"docker-manifest-digest\":\"sha256:%064d\"},"
			CRIT_TYPE "},\"optional\":null}", 0);

#define FILE_REFUSED(why, expect, fmt) do { \
		data = make_sig(k, payload, fmt, &len); \
		refused(why, data ? check(data, len, key, manifest, strlen(manifest), \
					  "registry.example/app:1") : NULL, expect); \
		free(data); \
	} while (0)
	FILE_REFUSED("another mimeType", "mimeType \"text/plain\"",
		     "{\"mimeType\":\"text/plain\",\"payload\":\"%s\",\"annotations\":"
		     "{\"dev.cosignproject.cosign/signature\":\"%s\"}}");
	FILE_REFUSED("no signature annotation", "no dev.cosignproject.cosign/signature",
		     "{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\","
		     "\"payload\":\"%s\",\"annotations\":{\"other\":\"%s\"}}");
	FILE_REFUSED("a field more", "unknown field \"extra\"",
		     "{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\","
		     "\"payload\":\"%s\",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"%s\"},"
		     "\"extra\":1}");
	FILE_REFUSED("two payloads", "a key is repeated",
		     "{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\","
		     "\"payload\":\"%s\",\"payload\":\"e30=\",\"annotations\":"
		     "{\"dev.cosignproject.cosign/signature\":\"%s\"}}");
	FILE_REFUSED("a payload not in base64", "payload: not base64",
		     "{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\","
		     "\"payload\":\"*%s\",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"%s\"}}");
	data = make_sig(k, payload, NULL, &len);
	refused("no sigstore header", data ? check(data + 1, len - 1, key, manifest,
						    strlen(manifest), "registry.example/app:1") : NULL,
		"not a sigstore signature");
	refused("cut short", data ? check(data, len - 2, key, manifest, strlen(manifest),
					  "registry.example/app:1") : NULL, "invalid JSON");
	free(data);
	/* The signature is read first: a bad payload badly signed says the signature. */
	data = make_sig(k, "{not json", NULL, &len);
	if (data)	/* a character of the signature's base64, before its padding */
		data[len - 7] = data[len - 7] == 'A' ? 'B' : 'A';
	refused("a malformed payload, badly signed", data ? check(data, len, key, manifest,
		strlen(manifest), "registry.example/app:1") : NULL, "does not verify");
	free(data);
	brig_sig_key_free(&key);
	EVP_PKEY_free(k);
}

/* @text as a blob of the layout @l; its digest in @digest. */
static void put_blob(const char *l, const char *text, size_t len, char digest[72])
{
	struct brig_error *err = NULL;
	char path[800];
	FILE *f;

	if (brig_sha256_digest(text, len, digest, &err)) {
		brig_error_free(&err);
		return;
	}
	snprintf(path, sizeof(path), "%s/blobs/sha256/%s", l, digest + 7);
	f = fopen(path, "w");
	if (f) {
		fwrite(text, 1, len, f);
		fclose(f);
	}
}

/*
 * A layout with one image and, if @payload_fmt, its signature manifest
 * tagged sha256-HEX.sig: one layer signed by @key over the payload
 * @payload_fmt makes of the image manifest's digest, and a layer of another
 * kind. The signature payload blob's digest in @payload_digest.
 */
static void signed_layout(const char *l, EVP_PKEY *key, const char *payload_fmt,
			  char payload_digest[72])
{
	char config[72], manifest[72], sigman[72], path[800], text[4096], payload[1024], *sig64 = NULL;
	unsigned char sig[256];
	size_t sig_len = sizeof(sig);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const char *cfg = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
			  "\"diff_ids\":[]}}";
	FILE *f;

	mkdir(l, 0755);
	snprintf(path, sizeof(path), "%s/blobs", l);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/blobs/sha256", l);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/oci-layout", l);
	f = fopen(path, "w");
	if (f) {
		fputs("{\"imageLayoutVersion\":\"1.0.0\"}", f);
		fclose(f);
	}
	put_blob(l, cfg, strlen(cfg), config);
	snprintf(text, sizeof(text), "{\"schemaVersion\":2,\"mediaType\":\"" BRIG_MEDIA_OCI_MANIFEST "\","
		 "\"config\":{\"mediaType\":\"" BRIG_MEDIA_OCI_CONFIG "\",\"digest\":\"%s\",\"size\":%zu},"
		 "\"layers\":[]}", config, strlen(cfg));
	put_blob(l, text, strlen(text), manifest);
	snprintf(path, sizeof(path), "{\"mediaType\":\"" BRIG_MEDIA_OCI_MANIFEST "\",\"digest\":\"%s\","
		 "\"size\":%zu,\"annotations\":{\"org.opencontainers.image.ref.name\":\"1\"}}", manifest,
		 strlen(text));
	if (payload_fmt) {
		snprintf(payload, sizeof(payload), payload_fmt, manifest);
		put_blob(l, payload, strlen(payload), payload_digest);
		if (ctx && EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key) == 1 &&
		    EVP_DigestSign(ctx, sig, &sig_len, (unsigned char *)payload, strlen(payload)) == 1)
			sig64 = base64(sig, sig_len);
		snprintf(text, sizeof(text), "{\"schemaVersion\":2,\"mediaType\":\"" BRIG_MEDIA_OCI_MANIFEST "\","
			 "\"config\":{\"mediaType\":\"" BRIG_MEDIA_OCI_CONFIG "\",\"digest\":\"%s\",\"size\":%zu},"
			 "\"layers\":[{\"mediaType\":\"application/vnd.in-toto+json\",\"digest\":\"%s\",\"size\":1},"
			 "{\"mediaType\":\"" BRIG_SIG_MEDIA_TYPE "\",\"digest\":\"%s\",\"size\":%zu,"
			 "\"annotations\":{\"dev.cosignproject.cosign/signature\":\"%s\"}}]}", config, strlen(cfg),
			 config, payload_digest, strlen(payload), sig64 ? sig64 : "");
		put_blob(l, text, strlen(text), sigman);
		snprintf(path + strlen(path), sizeof(path) - strlen(path),
			 ",{\"mediaType\":\"" BRIG_MEDIA_OCI_MANIFEST "\",\"digest\":\"%s\",\"size\":%zu,"
			 "\"annotations\":{\"org.opencontainers.image.ref.name\":\"sha256-%s.sig\"}}",
			 sigman, strlen(text), manifest + 7);
	}
	snprintf(text, sizeof(text), "{\"schemaVersion\":2,\"manifests\":[%s]}", path);
	snprintf(path, sizeof(path), "%s/index.json", l);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	free(sig64);
	EVP_MD_CTX_free(ctx);
}

/* The layout's signatures, verified with @key: the error, or NULL. */
static char *layout_check(const char *l, const struct brig_sig_key *key, size_t *n)
{
	struct brig_error *err = NULL;
	struct brig_image *img = NULL;
	struct brig_sig **sigs = NULL;
	char ref[700], *msg = NULL;

	*n = 0;
	snprintf(ref, sizeof(ref), "%s:1", l);
	if (!brig_image_open_ref(ref, &img, &err) && !brig_image_signatures(img, &sigs, n, &err) &&
	    (!*n || !brig_sig_verify(sigs[0], key, img->manifest_bytes, img->manifest_len,
				     "registry.example/app:1", NULL, &err)))
		msg = NULL;
	else
		msg = strdup(err ? err->msg : "?");
	brig_error_free(&err);
	brig_sigs_free(&sigs, *n);
	brig_image_free(&img);
	return msg;
}

/* brigctl beside this test's build (build/X/launcher/brigctl for build/X/tests/host). */
static char brigctl[700];

/* Runs brigctl with @args: its exit status, its output (both streams) in @out. */
static int run_brigctl(const char *args, char *out, size_t len)
{
	char cmd[2200];
	size_t got = 0;
	FILE *p;
	int status;

	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", brigctl, args);
	out[0] = '\0';
	p = popen(cmd, "r");
	if (!p)
		return -1;
	got = fread(out, 1, len - 1, p);
	out[got] = '\0';
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* keygen, then sign (twice) the layout that had no signature, then verify. */
static void brigctl_sign(void)
{
	char args[1600], out[4096], path[800];
	struct stat st;
	int rc;

	setenv("BRIG_PASSWORD", "correct horse", 1);
	snprintf(args, sizeof(args), "trust keygen %s/k", dir);
	rc = run_brigctl(args, out, sizeof(out));
	snprintf(path, sizeof(path), "%s/k.key", dir);
	ok(rc == 0 && !stat(path, &st) && (st.st_mode & 0777) == 0600 && strstr(out, "k.pub"),
	   "brigctl trust keygen: k.key (0600) and k.pub: exit %d: %s", rc, out);
	rc = run_brigctl(args, out, sizeof(out));
	ok(rc == 125 && strstr(out, "it exists"), "brigctl trust keygen: never over a key: exit %d: %s",
	   rc, out);
	snprintf(args, sizeof(args), "trust sign --key %s/k.key --identity registry.example/app:1 "
		 "%s/unsigned:1", dir, dir);
	rc = run_brigctl(args, out, sizeof(out));
	ok(rc == 0 && strstr(out, "unsigned:1: signed sha256:"), "brigctl trust sign: exit %d: %s", rc, out);
	snprintf(args, sizeof(args), "trust sign --key %s/k.key --identity registry.example/app:2 "
		 "%s/unsigned:1", dir, dir);
	rc = run_brigctl(args, out, sizeof(out));
	ok(rc == 0, "brigctl trust sign: a second signature: exit %d: %s", rc, out);
	snprintf(args, sizeof(args), "trust verify --key %s/k.pub --identity registry.example/app:2 "
		 "%s/unsigned:1", dir, dir);
	rc = run_brigctl(args, out, sizeof(out));
	ok(rc == 0 && strstr(out, "signed for registry.example/app:2"),
	   "brigctl trust verify: what sign signed, the second of two: exit %d: %s", rc, out);
	snprintf(args, sizeof(args), "trust inspect %s/unsigned", dir);
	rc = run_brigctl(args, out, sizeof(out));
	ok(rc == 0 && strstr(out, "registry.example/app:1") && strstr(out, "registry.example/app:2"),
	   "brigctl trust inspect: both signatures, the layout's only image (its .sig not counted): "
	   "exit %d: %s", rc, out);
	setenv("BRIG_PASSWORD", "wrong horse", 1);
	snprintf(args, sizeof(args), "trust sign --key %s/k.key --identity registry.example/app:3 "
		 "%s/unsigned:1", dir, dir);
	rc = run_brigctl(args, out, sizeof(out));
	ok(rc == 125 && strstr(out, "a wrong password?"), "brigctl trust sign: a wrong password: "
	   "exit %d: %s", rc, out);
	unsetenv("BRIG_PASSWORD");
}

/* `brigctl trust` on the layouts signatures_in_a_layout() made. */
static void brigctl_trust(const char *key_path)
{
	char args[1600], out[4096];
	int rc;

	if (access(brigctl, X_OK)) {
		ok(false, "brigctl trust: no %s", brigctl);
		return;
	}
	snprintf(args, sizeof(args), "trust verify --key %s --identity registry.example/app:1 %s/signed:1",
		 key_path, dir);
	rc = run_brigctl(args, out, sizeof(out));
	ok(rc == 0 && strstr(out, "signed:1: verified: sha256:") && strstr(out, "signed for registry.example/app:1"),
	   "brigctl trust verify: a signed image: exit %d: %s", rc, out);
	snprintf(args, sizeof(args), "trust verify --key %s --identity registry.example/app:2 %s/signed:1",
		 key_path, dir);
	rc = run_brigctl(args, out, sizeof(out));
	ok(rc == 125 && strstr(out, "no signature verifies: signature 1: the signature is for "
			       "registry.example/app:1, not registry.example/app:2"),
	   "brigctl trust verify: another identity: exit %d: %s", rc, out);
	snprintf(args, sizeof(args), "trust verify --key %s --identity registry.example/app:1 %s/unsigned:1",
		 key_path, dir);
	rc = run_brigctl(args, out, sizeof(out));
	ok(rc == 125 && strstr(out, "no signature (no sha256-"), "brigctl trust verify: an unsigned "
	   "image: exit %d: %s", rc, out);
	snprintf(args, sizeof(args), "trust verify --key %s --identity registry.example/app:1 %s/other:1",
		 key_path, dir);
	rc = run_brigctl(args, out, sizeof(out));
	ok(rc == 125 && strstr(out, "not this one"), "brigctl trust verify: a signature for another "
	   "manifest: exit %d: %s", rc, out);
	snprintf(args, sizeof(args), "trust inspect %s/other:1", dir);
	rc = run_brigctl(args, out, sizeof(out));
	ok(rc == 0 && strstr(out, "\"DockerReference\":\"registry.example/app:1\"") &&
	   strstr(out, "\"ForThisManifest\":false") && strstr(out, "\"Verified\":false"),
	   "brigctl trust inspect: who signed what, unverified: exit %d: %s", rc, out);
	rc = run_brigctl("trust verify --identity x /nowhere", out, sizeof(out));
	ok(rc == 125 && strstr(out, "usage: brigctl trust verify"), "brigctl trust verify: no key: "
	   "exit %d: %s", rc, out);
	brigctl_sign();
}

static void signatures_in_a_layout(void)
{
	static const char good[] = "{\"critical\":{\"identity\":{\"docker-reference\":\"registry.example/app:1\"},"
		"\"image\":{\"docker-manifest-digest\":\"%s\"},\"type\":\"cosign container image signature\"},"
		"\"optional\":null}";
	char l[700], key_path[700], payload[72], path[800], *msg;
	struct brig_error *err = NULL;
	struct brig_sig_key *key = NULL;
	EVP_PKEY *k = new_key(EVP_PKEY_EC, "layout.pub", key_path, sizeof(key_path));
	size_t n;

	if (!k || brig_sig_key_load(key_path, &key, &err)) {
		ok(false, "layout: a key: %s", err ? err->msg : "keygen");
		brig_error_free(&err);
		EVP_PKEY_free(k);
		return;
	}
	snprintf(l, sizeof(l), "%s/signed", dir);
	signed_layout(l, k, good, payload);
	msg = layout_check(l, key, &n);
	ok(!msg && n == 1, "layout: the signature manifest sha256-HEX.sig verifies (%zu signature, "
	   "the other layer skipped): %s", n, msg ? msg : "verified");
	free(msg);
	snprintf(l, sizeof(l), "%s/unsigned", dir);
	signed_layout(l, k, NULL, payload);
	msg = layout_check(l, key, &n);
	ok(!msg && n == 0, "layout: no signature manifest, no signature: %s", msg ? msg : "none");
	free(msg);
	snprintf(l, sizeof(l), "%s/tampered", dir);
	signed_layout(l, k, good, payload);
	snprintf(path, sizeof(path), "%s/blobs/sha256/%s", l, payload + 7);
	{
		FILE *f = fopen(path, "r+");

		if (f) {
			fputc('[', f);
			fclose(f);
		}
	}
	refused("layout: a changed payload blob", layout_check(l, key, &n), "its content is");
	snprintf(l, sizeof(l), "%s/other", dir);
	signed_layout(l, k, "{\"critical\":{\"identity\":{\"docker-reference\":\"registry.example/app:1\"},"
		      "\"image\":{\"docker-manifest-digest\":\"sha256:%.0s" "0000000000000000000000000000000000000000000000000000000000000000\"},"
		      "\"type\":\"cosign container image signature\"},\"optional\":null}", payload);
	refused("layout: a signature for another digest", layout_check(l, key, &n), "not this one");
	brigctl_trust(key_path);
	brig_sig_key_free(&key);
	EVP_PKEY_free(k);
}

int main(int argc, char **argv)
{
	const char *top = argc > 1 ? argv[1] : ".";
	char cmd[64];

	snprintf(brigctl, sizeof(brigctl), "%.*s/../../launcher/brigctl",
		 (int)(strrchr(argv[0], '/') ? strrchr(argv[0], '/') - argv[0] : 1),
		 strrchr(argv[0], '/') ? argv[0] : ".");
	if (!mkdtemp(dir)) {
		ok(false, "mkdtemp");
		return tap_done();
	}
	cosign_fixture(top);
	made_here(EVP_PKEY_EC, "ECDSA P-256");
	made_here(EVP_PKEY_ED25519, "Ed25519");
	signatures_in_a_layout();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		diag("could not remove %s", dir);
	return tap_done();
}
