// SPDX-License-Identifier: GPL-2.0
/*
 * brigctl trust: content trust for OCI image layouts, cosign's signatures
 * (lib/sig.h) kept beside the image (sha256-HEX.sig).
 *
 *   brigctl trust keygen [PREFIX]                  PREFIX.key, PREFIX.pub (brig)
 *   brigctl trust sign --key FILE --identity REF LAYOUT[:TAG]
 *   brigctl trust verify --key FILE --identity REF LAYOUT[:TAG]
 *   brigctl trust inspect LAYOUT[:TAG]
 *
 * A private key's password is BRIG_PASSWORD's, as cosign reads
 * COSIGN_PASSWORD, or asked for on the terminal.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <json-c/json.h>

#include "brigctl.h"
#include "lib/image.h"
#include "lib/sig.h"

/* The password: BRIG_PASSWORD, or read from the terminal without echo (twice if @twice). */
static char *password(bool twice, struct brig_error **err)
{
	const char *env = getenv("BRIG_PASSWORD");
	char first[256] = "", again[256] = "";
	struct termios saved, quiet;
	FILE *tty;
	bool same;

	if (env)
		return strdup(env);
	tty = fopen("/dev/tty", "r+e");
	if (!tty || tcgetattr(fileno(tty), &saved)) {
		if (tty)
			fclose(tty);
		brig_error_make(err, 0, "no password: set BRIG_PASSWORD, or run on a terminal");
		return NULL;
	}
	quiet = saved;
	quiet.c_lflag &= ~ECHO;
	tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	fputs("Password for the private key: ", tty);
	if (!fgets(first, sizeof(first), tty))
		first[0] = '\0';
	if (twice) {
		fputs("\nAgain: ", tty);
		if (!fgets(again, sizeof(again), tty))
			again[0] = '\0';
	}
	fputs("\n", tty);
	tcsetattr(fileno(tty), TCSAFLUSH, &saved);
	fclose(tty);
	first[strcspn(first, "\n")] = '\0';
	again[strcspn(again, "\n")] = '\0';
	same = !twice || !strcmp(first, again);
	explicit_bzero(again, sizeof(again));
	if (!same) {
		explicit_bzero(first, sizeof(first));
		brig_error_make(err, 0, "the passwords differ");
		return NULL;
	}
	env = strdup(first);
	explicit_bzero(first, sizeof(first));
	return (char *)env;
}

static void forget(char **secret)
{
	if (*secret)
		explicit_bzero(*secret, strlen(*secret));
	free(*secret);
	*secret = NULL;
}

static int keygen(int argc, char **argv, struct brig_error **err)
{
	const char *prefix = argc == 2 ? argv[1] : "brig";
	char priv[4096], pub[4096], *pw;
	int ret;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
		return brig_error_make(err, 0, "usage: brigctl trust keygen [PREFIX]");
	snprintf(priv, sizeof(priv), "%s.key", prefix);
	snprintf(pub, sizeof(pub), "%s.pub", prefix);
	pw = password(true, err);
	if (!pw)
		return -1;
	ret = brig_sig_keygen(priv, pub, pw, err);
	forget(&pw);
	if (!ret)
		printf("Private key written to %s\nPublic key written to %s\n", priv, pub);
	return ret;
}

/* --key FILE --identity REF IMAGE, for sign and verify. */
static int key_identity_image(int argc, char **argv, const char *cmd, const char **key,
			      const char **identity, const char **ref, struct brig_error **err)
{
	int i;

	*key = *identity = *ref = NULL;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--key") && i + 1 < argc)
			*key = argv[++i];
		else if (!strcmp(argv[i], "--identity") && i + 1 < argc)
			*identity = argv[++i];
		else if (argv[i][0] != '-' && !*ref)
			*ref = argv[i];
		else
			return brig_error_make(err, 0, "brigctl trust %s: unexpected `%s`", cmd, argv[i]);
	}
	if (!*key || !*identity || !*ref)
		return brig_error_make(err, 0, "usage: brigctl trust %s --key FILE --identity REF "
				       "LAYOUT[:TAG]", cmd);
	return 0;
}

static int sign(int argc, char **argv, struct brig_error **err)
{
	const char *key_path, *identity, *ref;
	struct brig_sig_private_key *key = NULL;
	struct brig_image *img = NULL;
	struct brig_sig *sig = NULL;
	char *pw, *payload = NULL;
	size_t len = 0;
	int ret;

	if (key_identity_image(argc, argv, "sign", &key_path, &identity, &ref, err))
		return -1;
	if (brig_image_open_ref(ref, &img, err))
		return -1;
	pw = password(false, err);
	ret = !pw || brig_sig_private_key_load(key_path, pw, &key, err) ||
	      brig_sig_payload_make(identity, img->manifest.digest, &payload, &len, err) ||
	      brig_sig_sign(key, payload, len, &sig, err) || brig_image_add_signature(img, sig, err) ?
	      -1 : 0;
	forget(&pw);
	if (!ret)
		printf("%s: signed %s for %s\n", ref, img->manifest.digest, identity);
	free(payload);
	brig_sig_free(&sig);
	brig_sig_private_key_free(&key);
	brig_image_free(&img);
	return ret;
}

/* The image and its signatures, or -1. */
static int load(const char *ref, struct brig_image **img, struct brig_sig ***sigs, size_t *n,
		struct brig_error **err)
{
	if (brig_image_open_ref(ref, img, err))
		return -1;
	if (brig_image_signatures(*img, sigs, n, err)) {
		brig_image_free(img);
		return -1;
	}
	return 0;
}

static int verify(int argc, char **argv, struct brig_error **err)
{
	const char *key_path, *identity, *ref;
	struct brig_sig_key *key = NULL;
	struct brig_image *img = NULL;
	struct brig_sig **sigs = NULL;
	char *reasons = NULL;
	size_t n = 0, len = 0, i;
	FILE *why;
	int ret = -1;

	if (key_identity_image(argc, argv, "verify", &key_path, &identity, &ref, err) ||
	    brig_sig_key_load(key_path, &key, err))
		return -1;
	if (load(ref, &img, &sigs, &n, err))
		goto out;
	if (!n) {
		brig_error_make(err, 0, "%s: no signature (no sha256-%s.sig manifest in the layout)", ref,
				img->manifest.digest + 7);
		goto out;
	}
	why = open_memstream(&reasons, &len);
	for (i = 0; i < n; i++) {
		struct brig_sig_payload *claims = NULL;
		struct brig_error *e = NULL;

		if (!brig_sig_verify(sigs[i], key, img->manifest_bytes, img->manifest_len, identity,
				     &claims, &e)) {
			printf("%s: verified: %s, signed for %s with %s\n", ref, claims->manifest_digest,
			       claims->docker_reference, key_path);
			brig_sig_payload_free(&claims);
			ret = 0;
			break;
		}
		if (why)
			fprintf(why, "%ssignature %zu: %s", i ? "; " : "", i + 1, e->msg);
		brig_error_free(&e);
	}
	if (why)
		fclose(why);
	if (ret)
		brig_error_make(err, 0, "%s: no signature verifies: %s", ref, reasons ? reasons : "");
out:
	free(reasons);
	brig_sigs_free(&sigs, n);
	brig_image_free(&img);
	brig_sig_key_free(&key);
	return ret;
}

/* Who signed what: each signature's claims, which nothing here has verified. */
static int inspect(int argc, char **argv, struct brig_error **err)
{
	struct brig_image *img = NULL;
	struct brig_sig **sigs = NULL;
	json_object *o, *list;
	size_t n = 0, i;

	if (argc != 2)
		return brig_error_make(err, 0, "usage: brigctl trust inspect LAYOUT[:TAG]");
	if (load(argv[1], &img, &sigs, &n, err))
		return -1;
	o = json_object_new_object();
	list = json_object_new_array();
	json_object_object_add(o, "Image", json_object_new_string(argv[1]));
	json_object_object_add(o, "ManifestDigest", json_object_new_string(img->manifest.digest));
	for (i = 0; i < n; i++) {
		struct brig_sig_payload *claims = NULL;
		struct brig_error *e = NULL;
		json_object *s = json_object_new_object();

		if (!brig_sig_payload_parse(sigs[i]->payload, sigs[i]->payload_len, &claims, &e)) {
			json_object_object_add(s, "DockerReference",
					       json_object_new_string(claims->docker_reference));
			json_object_object_add(s, "ManifestDigest",
					       json_object_new_string(claims->manifest_digest));
			json_object_object_add(s, "ForThisManifest",
					       json_object_new_boolean(!strcmp(claims->manifest_digest,
									       img->manifest.digest)));
			brig_sig_payload_free(&claims);
		} else {
			json_object_object_add(s, "Error", json_object_new_string(e->msg));
			brig_error_free(&e);
		}
		json_object_array_add(list, s);
	}
	/* Claims, not facts: `brigctl trust verify` checks them against a key. */
	json_object_object_add(o, "Signatures", list);
	json_object_object_add(o, "Verified", json_object_new_boolean(0));
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	brig_sigs_free(&sigs, n);
	brig_image_free(&img);
	return 0;
}

int brigctl_trust(int argc, char **argv, struct brig_error **err)
{
	if (argc >= 2 && !strcmp(argv[1], "keygen"))
		return keygen(argc - 1, argv + 1, err);
	if (argc >= 2 && !strcmp(argv[1], "sign"))
		return sign(argc - 1, argv + 1, err);
	if (argc >= 2 && !strcmp(argv[1], "verify"))
		return verify(argc - 1, argv + 1, err);
	if (argc >= 2 && !strcmp(argv[1], "inspect"))
		return inspect(argc - 1, argv + 1, err);
	return brig_error_make(err, 0, "usage: brigctl trust keygen [PREFIX] | sign|verify --key FILE "
			       "--identity REF LAYOUT[:TAG] | inspect LAYOUT[:TAG]");
}
