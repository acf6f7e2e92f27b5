// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the glob -> DFA compiler against the reference matcher
 * (tests/host/glob_ref.h). The input is lines:
 *
 *   rwX /a/{b,c}/x*     a rule: letters of BRIG_PERM_LETTERS it denies
 *                       (lower case) and audits (upper case), a blank, a glob
 *   /a/b/c              a path (any other line that starts with '/')
 *
 * The rules that brig_glob_check() accepts are compiled into one DFA, and
 * for every path the DFA's permissions must be the reference's, summed over
 * the rules that match; a glob it refuses must not compile. A difference
 * traps. The input is kept small (rules, lengths, stars, alternatives) for
 * the reference's backtracking and the DFA's size: a glob set that needs
 * more than BRIG_DFA_STATES_MAX states, or more than BRIG_DFA_WORK_MAX steps
 * to build, meets the compiler's documented limits, not a finding.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <brig.h>

#include "lib/dfa.h"
#include "glob_ref.h"

#define RULES_MAX	8
#define PATHS_MAX	16
#define GLOB_LEN_MAX	40	/* < GLOB_REF_TOKENS */
#define PATH_LEN_MAX	16
/* Over all the rules: '*', and what branches ('?', '[', '{', ','). */
#define STARS_MAX	8
#define BRANCHES_MAX	12

struct input {
	char globs[RULES_MAX][GLOB_LEN_MAX + 1];
	struct brig_file_rule rules[RULES_MAX];
	size_t n_rules;
	char paths[PATHS_MAX][PATH_LEN_MAX + 1];
	size_t n_paths;
	unsigned int stars, branches;
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t letter_bit(char c)
{
	const char *l = strchr(BRIG_PERM_LETTERS, c);

	return c && l ? 1U << (l - BRIG_PERM_LETTERS) : 0;
}

/* "LETTERS GLOB": false if the line is no rule, or too much for the reference. */
static bool add_rule(struct input *in, const char *line, size_t len)
{
	const char *blank = memchr(line, ' ', len), *g;
	struct brig_file_rule *r = &in->rules[in->n_rules];
	size_t i, glen;

	if (!blank || in->n_rules == RULES_MAX)
		return false;
	g = blank + 1;
	glen = line + len - g;
	if (glen > GLOB_LEN_MAX)
		return false;
	for (i = 0; i < glen; i++) {
		in->stars += g[i] == '*';
		in->branches += !!strchr("?[{,", g[i]);
	}
	if (in->stars > STARS_MAX || in->branches > BRANCHES_MAX)
		return false;
	memcpy(in->globs[in->n_rules], g, glen);
	in->globs[in->n_rules][glen] = '\0';
	*r = (struct brig_file_rule){ .glob = in->globs[in->n_rules] };
	for (; line < blank; line++) {
		r->deny |= letter_bit(*line);
		r->audit |= letter_bit(*line - 'A' + 'a') * (*line >= 'A' && *line <= 'Z');
	}
	in->n_rules++;
	return true;
}

static bool decode(struct input *in, const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;

	if (memchr(data, '\0', size))
		return false;	/* globs and paths are C strings */
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t len = (nl ? nl : end) - p;

		if (len && p[0] == '/') {
			if (len > PATH_LEN_MAX || in->n_paths == PATHS_MAX)
				return false;
			memcpy(in->paths[in->n_paths], p, len);
			in->paths[in->n_paths++][len] = '\0';
		} else if (len && !add_rule(in, p, len)) {
			return false;
		}
		p += len + 1;
	}
	return in->n_rules && in->n_paths;
}

/* A glob that brig_glob_check() refuses must not compile either. */
static void refused_alone(const struct brig_file_rule *rule)
{
	struct brig_error *err = NULL;
	struct brig_dfa *dfa = NULL;

	if (!brig_dfa_compile(rule, 1, &dfa, &err)) {
		fprintf(stderr, "glob `%s`: refused by brig_glob_check, compiled\n", rule->glob);
		__builtin_trap();
	}
	brig_error_free(&err);
}

static void compare(const struct input *in, const struct brig_file_rule *rules,
		    size_t n, const struct brig_dfa *dfa)
{
	const uint32_t mask = BRIG_PERM_ALL | BRIG_PERM_ALL << BRIG_DFA_AUDIT_SHIFT;
	size_t i, r;

	for (i = 0; i < in->n_paths; i++) {
		const char *path = in->paths[i];
		uint32_t want = 0, got;

		for (r = 0; r < n; r++) {
			if (glob_ref_match(rules[r].glob, path))
				want |= rules[r].deny | rules[r].audit << BRIG_DFA_AUDIT_SHIFT;
		}
		got = brig_dfa_match(dfa, path, strlen(path)) & mask;
		if (got == want)
			continue;
		fprintf(stderr, "path `%s`: dfa %#x, reference %#x; rules:\n", path, got, want);
		for (r = 0; r < n; r++)
			fprintf(stderr, "  `%s` deny %#x audit %#x\n", rules[r].glob,
				rules[r].deny, rules[r].audit);
		__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct brig_file_rule valid[RULES_MAX];
	struct brig_error *err = NULL;
	struct brig_dfa *dfa = NULL;
	struct input in = { 0 };
	size_t i, n = 0, len;
	const char *why;
	void *blob;

	if (!decode(&in, data, size))
		return -1;
	for (i = 0; i < in.n_rules; i++) {
		if (brig_glob_check(in.rules[i].glob, &len, &why) < 0)
			refused_alone(&in.rules[i]);
		else
			valid[n++] = in.rules[i];
	}
	if (brig_dfa_compile(valid, n, &dfa, &err) < 0) {
		/* The compiler's two documented bounds are no findings. */
		if (!strstr(err->msg, "DFA states") && !strstr(err->msg, "too costly to compile")) {
			fprintf(stderr, "valid globs do not compile: %s\n", err->msg);
			__builtin_trap();
		}
		brig_error_free(&err);
		return 0;
	}
	compare(&in, valid, n, dfa);
	if (!brig_dfa_serialize(dfa, &blob, &len, &err))
		free(blob);
	brig_error_free(&err);
	brig_dfa_free(dfa);
	return 0;
}
