// SPDX-License-Identifier: GPL-2.0
/*
 * The trust policy (launcher/lib/trust.c), in containers-policy.json(5)'s
 * format: a policy as podman's users write one is read, each scope is found
 * by the most specific match, requirements brig cannot check are kept as
 * never holding, identity rules match as containers/image's do, and each
 * malformed policy is refused by name.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/trust.h"
#include "tap.h"

static const char policy_text[] =
	"{\"default\":[{\"type\":\"reject\"}],\"transports\":{"
	"\"oci\":{\"/srv/images\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"/etc/brig/cosign.pub\","
	"\"signedIdentity\":{\"type\":\"exactReference\",\"dockerReference\":\"registry.example/nginx:1\"}}],"
	"\"/srv/images/nginx:1\":[{\"type\":\"insecureAcceptAnything\"}],"
	"\"/srv/repo\":[{\"type\":\"sigstoreSigned\",\"keyPaths\":[\"/a.pub\",\"/b.pub\"],"
	"\"signedIdentity\":{\"type\":\"exactRepository\",\"dockerRepository\":\"registry.example/nginx\"}}]},"
	"\"docker\":{\"registry.example/app\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"/k.pub\","
	"\"signedIdentity\":{\"type\":\"matchRepository\"}}],"
	"\"*.example.com\":[{\"type\":\"reject\"}],"
	"\"registry.redhat.io\":[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyPath\":\"/etc/pki/rh\"}],"
	"\"quay.io/keyless\":[{\"type\":\"sigstoreSigned\",\"fulcio\":{\"caPath\":\"/ca\"},"
	"\"rekorPublicKeyPath\":\"/rekor.pub\"}]},"
	"\"docker-daemon\":{\"\":[{\"type\":\"insecureAcceptAnything\"}]}}}";

static struct brig_trust_policy *parse(const char *text, char **msg)
{
	struct brig_trust_policy *p = NULL;
	struct brig_error *err = NULL;

	*msg = NULL;
	if (brig_trust_policy_parse(text, strlen(text), "policy.json", &p, &err)) {
		*msg = strdup(err->msg);
		brig_error_free(&err);
	}
	return p;
}

/* The first requirement for @transport and @scope: its type, or -1. */
static int first(const struct brig_trust_policy *p, const char *transport, const char *scope,
		 const char **at)
{
	const struct brig_trust_reqs *s = brig_trust_policy_for(p, transport, scope);

	*at = s ? s->scope : "(none)";
	return s && s->n ? (int)s->reqs[0].type : -1;
}

static void lookups(const struct brig_trust_policy *p)
{
	static const struct {
		const char *transport, *scope, *expect;
		int type;
	} cases[] = {
		{ "oci", "/srv/images/nginx:1", "/srv/images/nginx:1", BRIG_TRUST_ACCEPT },
		{ "oci", "/srv/images/nginx:2", "/srv/images", BRIG_TRUST_SIGNED },
		{ "oci", "/srv/images/sub/dir", "/srv/images", BRIG_TRUST_SIGNED },
		{ "oci", "/srv/imagesx", "", BRIG_TRUST_REJECT },
		{ "oci", "/elsewhere", "", BRIG_TRUST_REJECT },
		{ "docker", "registry.example/app:1", "registry.example/app", BRIG_TRUST_SIGNED },
		{ "docker", "registry.example/app@sha256:00", "registry.example/app", BRIG_TRUST_SIGNED },
		{ "docker", "registry.example/apps:1", "", BRIG_TRUST_REJECT },
		{ "docker", "a.b.example.com/x/y:1", "*.example.com", BRIG_TRUST_REJECT },
		{ "docker", "registry.redhat.io/ubi9:latest", "registry.redhat.io", BRIG_TRUST_UNCHECKABLE },
		{ "docker", "quay.io/keyless/app", "quay.io/keyless", BRIG_TRUST_UNCHECKABLE },
		{ "docker-daemon", "anything", "", BRIG_TRUST_ACCEPT },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *at;
		int type = first(p, cases[i].transport, cases[i].scope, &at);

		ok(type == cases[i].type && !strcmp(at, cases[i].expect),
		   "scope: %s %s: %s's requirement (%d), wants %s's (%d)", cases[i].transport,
		   cases[i].scope, at, type, cases[i].expect, cases[i].type);
	}
}

static void identities(const struct brig_trust_policy *p)
{
	const struct brig_trust_reqs *exact = brig_trust_policy_for(p, "oci", "/srv/images/x");
	const struct brig_trust_reqs *repo = brig_trust_policy_for(p, "oci", "/srv/repo");
	const struct brig_trust_reqs *match = brig_trust_policy_for(p, "docker", "registry.example/app");
	struct brig_sig_payload claims = { .manifest_digest = (char *)"sha256:00" };
	struct brig_error *err = NULL;

	ok(exact->reqs[0].key_paths && !strcmp(exact->reqs[0].key_paths[0], "/etc/brig/cosign.pub") &&
	   !exact->reqs[0].key_paths[1] && repo->reqs[0].key_paths[1] &&
	   !strcmp(repo->reqs[0].key_paths[1], "/b.pub"), "keys: keyPath and keyPaths");
	claims.docker_reference = (char *)"registry.example/nginx:1";
	ok(!brig_trust_identity_ok(&exact->reqs[0], NULL, &claims, &err),
	   "exactReference: the reference named holds, with no image reference");
	claims.docker_reference = (char *)"registry.example/nginx:2";
	ok(brig_trust_identity_ok(&exact->reqs[0], NULL, &claims, &err) &&
	   strstr(err->msg, "the policy wants registry.example/nginx:1"),
	   "exactReference: another tag is refused: %s", err ? err->msg : "held");
	brig_error_free(&err);
	ok(!brig_trust_identity_ok(&repo->reqs[0], NULL, &claims, &err),
	   "exactRepository: any tag of the repository holds");
	claims.docker_reference = (char *)"registry.example/nginxx:2";
	ok(brig_trust_identity_ok(&repo->reqs[0], NULL, &claims, &err),
	   "exactRepository: another repository is refused: %s", err ? err->msg : "held");
	brig_error_free(&err);
	claims.docker_reference = (char *)"registry.example/app:2";
	ok(!brig_trust_identity_ok(&match->reqs[0], "registry.example/app:1", &claims, &err),
	   "matchRepository: another tag of the image's repository holds");
	ok(brig_trust_identity_ok(&match->reqs[0], NULL, &claims, &err) &&
	   strstr(err->msg, "needs exactReference"),
	   "matchRepository without an image reference is refused: %s", err ? err->msg : "held");
	brig_error_free(&err);
	ok(brig_trust_identity_ok(&(struct brig_trust_req){ .identity = BRIG_ID_MATCH_REPO_DIGEST_OR_EXACT },
				  "registry.example/app:1", &claims, &err),
	   "matchRepoDigestOrExact: another tag is refused for a tagged image: %s",
	   err ? err->msg : "held");
	brig_error_free(&err);
	ok(!brig_trust_identity_ok(&(struct brig_trust_req){ .identity = BRIG_ID_MATCH_REPO_DIGEST_OR_EXACT },
				   "registry.example/app@sha256:00", &claims, &err),
	   "matchRepoDigestOrExact: any signature of the repository, for an image by digest");
}

static void malformed(void)
{
	static const struct {
		const char *why, *text, *expect;
	} cases[] = {
		{ "no default", "{\"transports\":{}}", "no \"default\"" },
		{ "an empty default", "{\"default\":[]}", "non-empty array" },
		{ "a field more", "{\"default\":[{\"type\":\"reject\"}],\"x\":1}", "unknown field \"x\"" },
		{ "an unknown type", "{\"default\":[{\"type\":\"maybe\"}]}", "unknown requirement type \"maybe\"" },
		{ "reject with a field more", "{\"default\":[{\"type\":\"reject\",\"keyPath\":\"/k\"}]}",
		  "unknown field \"keyPath\"" },
		{ "two key sources", "{\"default\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"/k\","
		  "\"keyPaths\":[\"/j\"]}]}", "exactly one of" },
		{ "no key", "{\"default\":[{\"type\":\"sigstoreSigned\"}]}", "exactly one of" },
		{ "a field sigstoreSigned does not have", "{\"default\":[{\"type\":\"sigstoreSigned\","
		  "\"keyPath\":\"/k\",\"keyId\":\"x\"}]}", "unknown field \"keyId\"" },
		{ "an unknown identity", "{\"default\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"/k\","
		  "\"signedIdentity\":{\"type\":\"matchAnything\"}}]}", "unknown type \"matchAnything\"" },
		{ "exactReference with no reference", "{\"default\":[{\"type\":\"sigstoreSigned\","
		  "\"keyPath\":\"/k\",\"signedIdentity\":{\"type\":\"exactReference\"}}]}",
		  "needs dockerReference" },
		{ "a key twice", "{\"default\":[{\"type\":\"reject\"}],\"default\":[{\"type\":"
		  "\"insecureAcceptAnything\"}]}", "a key is repeated" },
		{ "transports not an object", "{\"default\":[{\"type\":\"reject\"}],\"transports\":[]}",
		  "transports: expected an object" },
		{ "a scope with no requirement", "{\"default\":[{\"type\":\"reject\"}],\"transports\":"
		  "{\"oci\":{\"/srv\":[]}}}", "transports.oci[\"/srv\"]: expected a non-empty array" },
		{ "not JSON", "{\"default\":[{\"type\":'reject'}]}", "invalid JSON" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *msg;
		struct brig_trust_policy *p = parse(cases[i].text, &msg);

		ok(!p && msg && strstr(msg, cases[i].expect), "refused: %s: %s", cases[i].why,
		   msg ? msg : "read");
		brig_trust_policy_free(&p);
		free(msg);
	}
}

int main(void)
{
	char *msg;
	struct brig_trust_policy *p = parse(policy_text, &msg);

	ok(p != NULL, "a policy as podman's users write one: %s", msg ? msg : "read");
	free(msg);
	if (p) {
		lookups(p);
		identities(p);
	}
	brig_trust_policy_free(&p);
	malformed();
	return tap_done();
}
