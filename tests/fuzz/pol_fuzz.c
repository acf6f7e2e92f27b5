// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the bytes as a .pol policy, parsed and lowered as `brigctl
 * check` does (brig_spec_from_pol: the kernel policy, the DFA built and
 * serialized, a seccomp profile loaded), then summarised as it prints it.
 * Errors are fine; a crash, a leak or a hang is a finding.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/policy.h"
#include "lib/spec.h"
#include "lib/views.h"

/* Relative paths in the policy resolve against a folder that is not there. */
#define POL_PATH "/nonexistent/brig-fuzz/fuzz.pol"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What `brigctl check` prints: the summary, and the voiding warning. */
static void summarise(const char *name, const struct brig_policy_spec *kernel)
{
	static FILE *null;
	char why[1024];

	if (!null && !(null = fopen("/dev/null", "we")))
		abort();
	brig_policy_summary(null, name, kernel);
	brig_voiding_describe(brig_spec_voiding_caps(kernel), why, sizeof(why));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct brig_container_spec *spec = NULL;
	struct brig_error *err = NULL;
	struct brig_pol *pol = NULL;
	char *text;

	/* brig_pol_parse_file() refuses a NUL byte before the parser sees it. */
	if (memchr(data, '\0', size))
		return -1;
	text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	if (!brig_pol_parse_text(text, POL_PATH, &pol, &err) &&
	    !brig_spec_from_pol(pol, &spec, &err)) {
		summarise(pol->name, &spec->kernel);
		brig_spec_free(spec);
	}
	brig_error_free(&err);
	brig_pol_free(pol);
	free(text);
	return 0;
}
