// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: every allocation the lowering (a policy into a container
 * spec) makes is made to fail in turn, and each must come back as an error,
 * with nothing leaked (LeakSanitizer checks at exit: make check runs the
 * host tests in the ASan build). The parser and
 * the DFA compiler abort on ENOMEM by design, so the policy is parsed with
 * no failure injected and has no file rules.
 *
 * The test is linked with --wrap for malloc, calloc, realloc and strdup
 * (Makefile), so libbrig's calls come here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/policy.h"
#include "lib/spec.h"
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

int main(void)
{
	struct brig_error *err = NULL;
	struct brig_container_spec *spec = NULL;
	struct brig_pol *pol = NULL;
	long n, failures = 0;
	bool all_errors = true;

	if (brig_pol_parse_text(policy, "/p/web.pol", &pol, &err) < 0) {
		ok(false, "the policy parses: %s", err->msg);
		return tap_done();
	}
	for (n = 0; n < 10000; n++) {
		int ret;

		calls = 0;
		fail_at = n;
		ret = brig_spec_from_pol(pol, &spec, &err);
		fail_at = -1;
		if (calls <= n) {
			/* Every allocation has failed once: this run made them all. */
			ok(ret == 0 && spec && !strcmp(spec->name, "web") &&
			   spec->n_mounts == 2 && spec->n_devices == 1,
			   "with no allocation failing, the spec is whole");
			brig_spec_free(spec);
			break;
		}
		failures++;
		if (ret == 0 || !err || !err->msg[0] || spec)
			all_errors = false;
		brig_spec_free(spec);
		spec = NULL;
		brig_error_free(&err);
	}
	ok(failures > 10, "%ld allocations of the lowering can fail", failures);
	ok(all_errors, "each failure comes back as an error, and no spec");
	brig_pol_free(pol);
	return tap_done();
}
