// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the bytes as a signature file in containers/image's dir:
 * form (brig_sig_parse) and as a simple-signing payload
 * (brig_sig_payload_parse); a parsed signature is verified with a key of
 * each kind against the input as its manifest. Errors are fine; a crash
 * or a leak is a finding.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "lib/sig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A new key as the tools load one: through a PEM file. */
static struct brig_sig_key *new_key(EVP_PKEY *pkey)
{
	char path[] = "/tmp/brig-sig-fuzz.XXXXXX";
	struct brig_sig_key *key = NULL;
	struct brig_error *err = NULL;
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!pkey || !f || !PEM_write_PUBKEY(f, pkey) || fclose(f) ||
	    brig_sig_key_load(path, &key, &err))
		abort();
	unlink(path);
	EVP_PKEY_free(pkey);
	return key;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct brig_sig_key *ec, *ed;
	struct brig_sig_payload *payload = NULL;
	struct brig_error *err = NULL;
	struct brig_sig *sig = NULL;

	if (!ec) {
		ec = new_key(EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"));
		ed = new_key(EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"));
	}
	if (!brig_sig_parse(data, size, "fuzz", &sig, &err)) {
		brig_sig_verify(sig, ec, data, size, "fuzz", NULL, &err);
		brig_error_free(&err);
		brig_sig_verify(sig, ed, data, size, "fuzz", NULL, &err);
		brig_error_free(&err);
		if (!brig_sig_payload_parse(sig->payload, sig->payload_len, &payload, &err))
			brig_sig_payload_free(&payload);
		brig_sig_free(&sig);
	}
	brig_error_free(&err);
	if (!brig_sig_payload_parse(data, size, &payload, &err))
		brig_sig_payload_free(&payload);
	brig_error_free(&err);
	return 0;
}
