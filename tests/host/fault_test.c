// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: every allocation that the lowering (a policy into a
 * container spec), the seccomp JSON loader, the filter's export, the trust
 * policy's reading and a signature's make is made to fail in turn, and each must come back as an error, with nothing
 * leaked (LeakSanitizer checks at exit: make check runs the host tests in
 * the ASan build). The parser and the DFA compiler abort on ENOMEM by
 * design, so the policy is parsed with no failure injected and has no file
 * rules. Allocations inside json-c and libseccomp are theirs, not failed.
 *
 * The test is linked with --wrap for malloc, calloc, realloc and strdup
 * (Makefile), so libbrig's calls come here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/policy.h"
#include "lib/seccomp.h"
#include "lib/sig.h"
#include "lib/spec.h"
#include "lib/trust.h"
#include "tap.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);

static long fail_at = -1, calls;

static bool fail_now(void)
{
	if (fail_at < 0 || calls++ != fail_at)
		return false;
	errno = ENOMEM;
	return true;
}

void *__wrap_malloc(size_t n)
{
	return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	return fail_now() ? NULL : __real_strdup(s);
}

static const char policy[] =
	"name web\nrootfs /srv/web\ncommand /bin/sh -c \"exec web\"\nenv A=1\nenv B=2\n"
	"hostname web1\nmount bind /srv/data /data ro\nmount tmpfs /tmp size=1024\n"
	"device /dev/null:/dev/n2:r\ncaps drop NET_RAW\nrlimit nofile 1024\n";

/* Every key the loader reads, so that each of its allocations is made. */
static const char profile[] =
	"{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1,\n"
	"  \"archMap\": [ { \"architecture\": \"SCMP_ARCH_X86_64\",\n"
	"                 \"subArchitectures\": [ \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\" ] } ],\n"
	"  \"syscalls\": [\n"
	"    { \"names\": [ \"read\", \"write\" ], \"action\": \"SCMP_ACT_ALLOW\" },\n"
	"    { \"name\": \"personality\", \"action\": \"SCMP_ACT_ALLOW\",\n"
	"      \"args\": [ { \"index\": 0, \"value\": 8, \"op\": \"SCMP_CMP_EQ\" } ] },\n"
	"    { \"names\": [ \"bpf\" ], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"      \"includes\": { \"caps\": [ \"CAP_SYS_ADMIN\" ], \"arches\": [ \"amd64\" ] },\n"
	"      \"excludes\": { \"arches\": [ \"x32\" ] } } ] }\n";

/*
 * Runs @run with each allocation failing in turn, until a run makes no more
 * than those before it. Returns how many could fail; *all_errors is false
 * if one of them did not come back as an error.
 */
static long fail_each(const char *what, int (*run)(void *arg), void *arg,
		      bool *all_errors)
{
	long n;

	*all_errors = true;
	for (n = 0; n < 100000; n++) {
		int ret;

		calls = 0;
		fail_at = n;
		ret = run(arg);
		fail_at = -1;
		if (calls <= n) {
			/* Every allocation has failed once: this run made them all. */
			ok(ret == 0, "%s succeeds with no allocation failing", what);
			return n;
		}
		if (ret == 0)
			*all_errors = false;
	}
	return n;
}

static int lower(void *arg)
{
	struct brig_container_spec *spec = NULL;
	struct brig_error *err = NULL;
	int ret = brig_spec_from_pol(arg, &spec, &err);

	if (ret == 0 && (!spec || strcmp(spec->name, "web") || spec->n_mounts != 2 ||
			 spec->n_devices != 1))
		ret = -1;	/* not whole */
	if (ret < 0 && (!err || !err->msg[0] || spec))
		ret = 0;	/* failed without an error, or left a spec */
	brig_spec_free(spec);
	brig_error_free(&err);
	return ret;
}

static int load_profile(void *arg)
{
	struct brig_sc_profile *p = NULL;
	struct brig_error *err = NULL;
	int ret = brig_sc_profile_load(arg, &p, &err);

	if (ret == 0 && (!p || p->n_rules != 3))
		ret = -1;
	if (ret < 0 && (!err || !err->msg[0] || p))
		ret = 0;
	brig_sc_profile_free(p);
	brig_error_free(&err);
	return ret;
}

static int export_filter(void *arg)
{
	scmp_filter_ctx ctx brig_cleanup_seccomp = NULL;
	struct sock_fprog prog = { 0 };
	struct brig_error *err = NULL;
	long at = fail_at;
	int ret;

	/* Only the export's allocations are counted and failed. */
	fail_at = -1;
	ret = brig_sc_build(arg, 0, BRIG_KERNEL(6, 1), NULL, &ctx, &err);
	fail_at = at;
	calls = 0;
	if (ret == 0)
		ret = brig_sc_export(ctx, arg, &prog, &err);
	if (ret == 0 && (!prog.filter || !prog.len))
		ret = -1;
	if (ret < 0 && (!err || !err->msg[0]))
		ret = 0;
	free(prog.filter);
	brig_error_free(&err);
	return ret;
}

/* Every kind of requirement and identity, and scopes in two transports. */
static const char trust_policy[] =
	"{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"oci\":{\"/srv\":[{\"type\":"
	"\"sigstoreSigned\",\"keyPaths\":[\"/a.pub\",\"/b.pub\"],\"signedIdentity\":{\"type\":"
	"\"exactReference\",\"dockerReference\":\"r/app:1\"}}],\"/srv/x\":[{\"type\":"
	"\"insecureAcceptAnything\"}]},\"docker\":{\"r\":[{\"type\":\"signedBy\",\"keyType\":"
	"\"GPGKeys\"}],\"q\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"/k.pub\"}]}}}";

static int parse_trust(void *arg)
{
	struct brig_trust_policy *p = NULL;
	struct brig_error *err = NULL;
	int ret = brig_trust_policy_parse(arg, strlen(arg), "policy.json", &p, &err);

	if (ret == 0 && (!p || p->n_scopes != 5))
		ret = -1;
	if (ret < 0 && (!err || !err->msg[0] || p))
		ret = 0;
	brig_trust_policy_free(&p);
	brig_error_free(&err);
	return ret;
}

/* A signature file (its payload and signature are base64 of any bytes) and its payload. */
static const char sig_file[] =
	"\0sigstore-json\n{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\","
	"\"payload\":\"eyJjcml0aWNhbCI6eyJpZGVudGl0eSI6eyJkb2NrZXItcmVmZXJlbmNlIjoiciJ9LCJpbWFnZSI6eyJkb2NrZXIt"
	"bWFuaWZlc3QtZGlnZXN0Ijoic2hhMjU2OjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw"
	"MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAifSwidHlwZSI6ImNvc2lnbiBjb250YWluZXIgaW1hZ2Ugc2lnbmF0dXJl"
	"In0sIm9wdGlvbmFsIjpudWxsfQ==\",\"annotations\":{\"dev.cosignproject.cosign/signature\":"
	"\"AAEC\"}}";

static int parse_sig(void *arg)
{
	struct brig_sig_payload *claims = NULL;
	struct brig_error *err = NULL;
	struct brig_sig *sig = NULL;
	int ret;

	(void)arg;
	ret = brig_sig_parse(sig_file, sizeof(sig_file) - 1, "signature-1", &sig, &err);
	if (ret == 0)
		ret = brig_sig_payload_parse(sig->payload, sig->payload_len, &claims, &err);
	if (ret == 0 && (!claims || strcmp(claims->docker_reference, "r") || sig->signature_len != 3))
		ret = -1;
	if (ret < 0 && (!err || !err->msg[0] || claims))
		ret = 0;
	brig_sig_payload_free(&claims);
	brig_sig_free(&sig);
	brig_error_free(&err);
	return ret;
}

int main(void)
{
	char path[] = "/tmp/brig-fault-XXXXXX";
	struct brig_error *err = NULL;
	struct brig_pol *pol = NULL;
	bool all_errors;
	long n;
	int fd;

	if (brig_pol_parse_text(policy, "/p/web.pol", &pol, &err) < 0) {
		ok(false, "the policy parses: %s", err->msg);
		return tap_done();
	}
	n = fail_each("the lowering", lower, pol, &all_errors);
	ok(n > 10, "%ld allocations of the lowering can fail", n);
	ok(all_errors, "... each comes back as an error, and no spec");
	brig_pol_free(pol);

	fd = mkstemp(path);
	if (fd < 0 || write(fd, profile, strlen(profile)) != (ssize_t)strlen(profile)) {
		ok(false, "writing %s", path);
		return tap_done();
	}
	close(fd);
	n = fail_each("the seccomp loader", load_profile, path, &all_errors);
	ok(n > 10, "%ld allocations of the seccomp loader can fail", n);
	ok(all_errors, "... each comes back as an error, and no profile");
	unlink(path);

	n = fail_each("the export", export_filter, (void *)brig_sc_docker_default(), &all_errors);
	ok(n >= 1, "%ld allocations of the filter's export can fail", n);
	ok(all_errors, "... and comes back as an error");

	n = fail_each("the trust policy", parse_trust, (void *)trust_policy, &all_errors);
	ok(n > 10, "%ld allocations of the trust policy's reading can fail", n);
	ok(all_errors, "... each comes back as an error, and no policy");
	n = fail_each("a signature", parse_sig, NULL, &all_errors);
	ok(n > 5, "%ld allocations of a signature's and its payload's reading can fail", n);
	ok(all_errors, "... each comes back as an error, and no claims");
	return tap_done();
}
