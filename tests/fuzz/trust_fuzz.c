// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the bytes as a trust policy (containers-policy.json(5),
 * brig_trust_policy_parse) and, if it is read, each scope looked up for a
 * few images and every signedIdentity rule tried. Errors are fine; a crash
 * or a leak is a finding.
 */
#include <stdint.h>
#include <stdlib.h>

#include "lib/trust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const scopes[][2] = {
		{ "oci", "/srv/images/nginx:1" }, { "oci", "/" }, { "oci", "" },
		{ "docker", "a.b.example.com/ns/app:1" }, { "docker", "registry/app@sha256:00" },
		{ "docker", "" }, { "dir", "/x" },
	};
	struct brig_sig_payload claims = {
		.docker_reference = (char *)"registry/app:1", .manifest_digest = (char *)"sha256:00",
	};
	struct brig_trust_policy *p = NULL;
	struct brig_error *err = NULL;
	size_t i, j;

	if (brig_trust_policy_parse((const char *)data, size, "fuzz", &p, &err)) {
		brig_error_free(&err);
		return 0;
	}
	for (i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
		const struct brig_trust_reqs *s = brig_trust_policy_for(p, scopes[i][0], scopes[i][1]);

		for (j = 0; s && j < s->n; j++) {
			if (s->reqs[j].type != BRIG_TRUST_SIGNED)
				continue;
			brig_trust_identity_ok(&s->reqs[j], NULL, &claims, &err);
			brig_error_free(&err);
			brig_trust_identity_ok(&s->reqs[j], scopes[i][1], &claims, &err);
			brig_error_free(&err);
		}
	}
	brig_trust_policy_free(&p);
	return 0;
}
