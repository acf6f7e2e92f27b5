// SPDX-License-Identifier: GPL-2.0
/*
 * The glob -> DFA compiler against a deliberately simple reference
 * (glob_ref.h: brace expansion, then a backtracking matcher per glob),
 * permissions summed over every rule that matches. They must agree on
 * 100,000 random (rule set, path) pairs, over a small alphabet so that
 * globs and paths collide often.
 * Prints TAP.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <brig.h>

#include "lib/dfa.h"
#include "glob_ref.h"
#include "tap.h"

/* ---- random rules and paths ---- */

static const char path_chars[] = "ab./*";

static void random_tokens(char *out, size_t *len, int n, int depth)
{
	static const char *const simple[] = {
		"a", "b", ".", "/", "a", "b", "/", "?", "[ab]", "[^a]", "[a-b]",
		"\\*", "*", "**",
	};
	bool last_star = false;
	int i, k;

	for (i = 0; i < n; i++) {
		int pick = rand() % 16;

		if (pick < 14) {
			const char *t = simple[pick];

			if (t[0] == '*' && last_star)
				t = "a";
			last_star = t[0] == '*';
			*len += sprintf(out + *len, "%s", t);
		} else if (depth < 2) {
			int alts = 1 + rand() % 3;

			out[(*len)++] = '{';
			for (k = 0; k < alts; k++) {
				if (k)
					out[(*len)++] = ',';
				random_tokens(out, len, rand() % 3, depth + 1);
			}
			out[(*len)++] = '}';
			last_star = false;
		}
	}
	out[*len] = '\0';
}

static void random_glob(char *out)
{
	size_t len = 1;

	out[0] = '/';
	random_tokens(out, &len, 1 + rand() % 6, 0);
}

static void random_path(char *out)
{
	int n = rand() % 11, i;

	out[0] = '/';
	for (i = 1; i <= n; i++)
		out[i] = path_chars[rand() % (sizeof(path_chars) - 1)];
	out[n + 1] = '\0';
}

/*
 * Whether @dfa's BRIG_DFA_DENY_BELOW bits are where the definition puts
 * them, computed the slow way: a pass over every state until none changes.
 */
static bool deny_below_as_defined(const struct brig_dfa *dfa)
{
	uint32_t n = dfa->n_states, k = dfa->n_classes, s, c;
	bool *below = calloc(n, sizeof(*below)), changed = true, same = true;

	while (changed) {
		changed = false;
		for (s = 1; s < n; s++) {
			for (c = 0; c < k && !below[s]; c++) {
				uint32_t to = dfa->next[s * k + c];

				if ((dfa->accept[to] & BRIG_PERM_ALL) || below[to])
					below[s] = changed = true;
			}
		}
	}
	for (s = 0; s < n; s++)
		same &= below[s] == !!(dfa->accept[s] & BRIG_DFA_DENY_BELOW);
	free(below);
	return same;
}

static void against_the_reference(void)
{
	char globs[8][512], path[16];
	struct brig_file_rule rules[8];
	int set, n, r, i, mismatches = 0, pairs = 0, below_wrong = 0;

	srand(20261128);
	for (set = 0; set < 1000; set++) {
		struct brig_error *err = NULL;
		struct brig_dfa *dfa;

		n = 1 + rand() % 8;
		for (r = 0; r < n; r++) {
			random_glob(globs[r]);
			rules[r].glob = globs[r];
			rules[r].deny = rand() & BRIG_PERM_ALL;
			rules[r].audit = rand() & BRIG_PERM_ALL;
		}
		if (brig_dfa_compile(rules, n, &dfa, &err) < 0) {
			ok(false, "compiling rule set %d: %s", set, err->msg);
			brig_error_free(&err);
			return;
		}
		below_wrong += !deny_below_as_defined(dfa);
		for (i = 0; i < 100; i++, pairs++) {
			uint32_t want = 0, got;

			random_path(path);
			for (r = 0; r < n; r++) {
				if (glob_ref_match(globs[r], path))
					want |= rules[r].deny | rules[r].audit << 16;
			}
			got = brig_dfa_match(dfa, path, strlen(path)) &
			      (BRIG_PERM_ALL | BRIG_PERM_ALL << 16);
			if (got != want && mismatches++ < 5) {
				printf("# path %s: dfa %#x, reference %#x; rules:\n", path, got, want);
				for (r = 0; r < n; r++)
					printf("#   %s deny %#x audit %#x\n", globs[r],
					       rules[r].deny, rules[r].audit);
			}
		}
		brig_dfa_free(dfa);
	}
	ok(!mismatches, "DFA and reference agree on %d random (rule set, path) pairs (%d differ)",
	   pairs, mismatches);
	ok(!below_wrong, "DENY_BELOW is where a pass to a fixpoint puts it, in %d random DFAs "
	   "(%d differ)", set, below_wrong);
}

/* ---- fixed cases ---- */

static uint32_t states_of(const char *const *globs, int n)
{
	struct brig_file_rule rules[8];
	struct brig_error *err = NULL;
	struct brig_dfa *dfa;
	uint32_t states;
	int i;

	for (i = 0; i < n; i++)
		rules[i] = (struct brig_file_rule){ globs[i], BRIG_PERM_WRITE, 0 };
	if (brig_dfa_compile(rules, n, &dfa, &err) < 0) {
		brig_error_free(&err);
		return 0;
	}
	states = dfa->n_states;
	brig_dfa_free(dfa);
	return states;
}

static void minimal(void)
{
	static const char *const a[] = { "/a" }, *const aa[] = { "/a", "/a" },
		*const alt[] = { "/{a,a}" }, *const any[] = { "/**" },
		*const two[] = { "/**", "/a/**" };

	/* dead, start, "/", "/a" */
	ok(states_of(a, 1) == 4, "`/a` is 4 states");
	ok(states_of(aa, 2) == 4, "the same rule twice is still 4 states");
	ok(states_of(alt, 1) == 4, "`/{a,a}` is 4 states");
	/* dead, start, "/..." */
	ok(states_of(any, 1) == 3, "`/**` is 3 states");
	/* a rule inside another with the same permissions adds nothing */
	ok(states_of(two, 2) == 3, "`/a/**` under `/**`, same permissions, adds no state");
}

static void letters_and_directories(void)
{
	struct brig_file_rule rules[] = {
		{ "/bin/**", BRIG_PERM_WRITE | BRIG_PERM_LINK, 0 },
		{ "/bin/sh", BRIG_PERM_ALL, 0 },
		{ "/**", 0, BRIG_PERM_WRITE },
		{ "/tmp/*/", BRIG_PERM_READ, 0 },
	};
	struct brig_error *err = NULL;
	struct brig_dfa *dfa;

	if (brig_dfa_compile(rules, 4, &dfa, &err) < 0) {
		ok(false, "compile: %s", err->msg);
		brig_error_free(&err);
		return;
	}
#define M(p) (brig_dfa_match(dfa, p, strlen(p)) & ~BRIG_DFA_DENY_BELOW)
	ok(M("/bin/ls") == (BRIG_PERM_WRITE | BRIG_PERM_LINK | BRIG_PERM_WRITE << 16),
	   "permissions of all matching rules add up, audit beside deny");
	ok(M("/bin/sh") == (BRIG_PERM_ALL | BRIG_PERM_WRITE << 16), "`/bin/sh` gets every letter");
	ok(M("/etc/passwd") == BRIG_PERM_WRITE << 16, "audit-only path");
	ok((M("/tmp/x/") & 0xffff) == BRIG_PERM_READ, "a trailing '/' matches a directory");
	ok((M("/tmp/x") & 0xffff) == 0, "... and not a file");
	ok((M("/tmp/x/y/") & 0xffff) == 0, "`*` stops at '/'");
	ok(brig_dfa_match(dfa, "/usr/", 5) & BRIG_DFA_DENY_BELOW ? false : true,
	   "no deny rule below /usr/: not marked");
	ok(brig_dfa_match(dfa, "/tmp/", 5) & BRIG_DFA_DENY_BELOW,
	   "a deny rule below /tmp/: marked (renaming it would move what it covers)");
	ok(brig_dfa_match(dfa, "/", 1) & BRIG_DFA_DENY_BELOW, "... and so is /");
#undef M
	brig_dfa_free(dfa);
}

static void glob_errors(void)
{
	static const struct {
		const char *glob;
		size_t offset;
		const char *why;
	} cases[] = {
		{ "bin/**", 0, "starts with '/'" },
		{ "/a/[bc", 3, "unterminated character set" },
		{ "/a/{b,c", 3, "unterminated '{'" },
		{ "/a}", 2, "'}' without '{'" },
		{ "/a\\", 3, "at the end" },
		{ "/a/***", 5, "'***'" },
		{ "/[a/]", 3, "never matches '/'" },
		{ "/[z-a]", 4, "bad range" },
	};
	size_t i, offset;
	const char *why;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool refused = brig_glob_check(cases[i].glob, &offset, &why) < 0;

		ok(refused && offset == cases[i].offset && strstr(why, cases[i].why),
		   "`%s` is refused at %zu: %s", cases[i].glob, cases[i].offset,
		   cases[i].why);
		if (refused && (offset != cases[i].offset || !strstr(why, cases[i].why)))
			printf("#   got offset %zu: %s\n", offset, why);
	}
}

static void ten_thousand_rules(void)
{
	static const char *const dirs[] = { "logs", "tmp", "cache", "run" };
	static char globs[10000][64];
	static struct brig_file_rule rules[10000];
	struct brig_error *err = NULL;
	struct brig_dfa *dfa;
	size_t bytes = 0;
	void *blob;
	int i;

	/* Irregular names, so that the DFA cannot fold them into arithmetic. */
	for (i = 0; i < 10000; i++) {
		snprintf(globs[i], sizeof(globs[i]), "/srv/%08x/%s/**",
			 (unsigned int)i * 2654435761U, dirs[i % 4]);
		rules[i] = (struct brig_file_rule){ globs[i], 1U << (i % 7), 0 };
	}
	if (brig_dfa_compile(rules, 10000, &dfa, &err) < 0 ||
	    brig_dfa_serialize(dfa, &blob, &bytes, &err) < 0) {
		ok(false, "10,000 rules compile: %s", err->msg);
		brig_error_free(&err);
		return;
	}
	printf("# 10,000 rules: %u DFA states, %u input classes, %zu bytes\n",
	       dfa->n_states, dfa->n_classes, bytes);
	snprintf(globs[0], sizeof(globs[0]), "/srv/%08x/%s/x",
		 4242U * 2654435761U, dirs[4242 % 4]);
	ok((brig_dfa_match(dfa, globs[0], strlen(globs[0])) & BRIG_PERM_ALL) ==
	   1U << (4242 % 7),
	   "10,000 rules compile, and match");
	free(blob);
	brig_dfa_free(dfa);
}

static void serialized(void)
{
	struct brig_file_rule rule = { "/x", BRIG_PERM_EXEC, 0 };
	struct brig_error *err = NULL;
	struct brig_dfa_header hdr;
	struct brig_dfa *dfa;
	size_t len;
	void *blob;

	if (brig_dfa_compile(&rule, 1, &dfa, &err) < 0 ||
	    brig_dfa_serialize(dfa, &blob, &len, &err) < 0) {
		ok(false, "serialize: %s", err->msg);
		brig_error_free(&err);
		return;
	}
	memcpy(&hdr, blob, sizeof(hdr));
	ok(hdr.magic == BRIG_DFA_MAGIC && hdr.version == BRIG_DFA_VERSION &&
	   hdr.n_states == dfa->n_states && hdr.n_classes == dfa->n_classes &&
	   len == sizeof(hdr) + 256 + 4 * (dfa->n_states +
					   (size_t)dfa->n_states * dfa->n_classes),
	   "the blob has the documented layout");
	free(blob);
	brig_dfa_free(dfa);
}

/*
 * A glob the DFA would take minutes to build (pol_fuzz found it): refused
 * with a reason, at BRIG_DFA_WORK_MAX, in a quarter of a second.
 */
static void too_costly(const char *root)
{
	char path[4096], line[8192], *glob, *end;
	struct brig_error *err = NULL;
	struct brig_dfa *dfa = NULL;
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/pol/costly-glob-after-double-star.pol",
		 root);
	f = fopen(path, "r");
	if (!f || !fgets(line, sizeof(line), f) || !fgets(line, sizeof(line), f)) {
		ok(false, "reading %s", path);
		if (f)
			fclose(f);
		return;
	}
	fclose(f);
	/* Its second line: "deny GLOB LETTERS". */
	glob = line + strlen("deny ");
	end = strrchr(glob, ' ');
	if (end)
		*end = '\0';
	ret = brig_dfa_compile(&(struct brig_file_rule){ glob, BRIG_PERM_WRITE, 0 }, 1,
			       &dfa, &err);
	ok(ret < 0 && strstr(err->msg, "too costly to compile"),
	   "a glob too costly to compile is refused: %s", ret < 0 ? err->msg : "compiled");
	brig_error_free(&err);
	brig_dfa_free(dfa);
}

int main(int argc, char **argv)
{
	too_costly(argc > 1 ? argv[1] : ".");
	minimal();
	letters_and_directories();
	glob_errors();
	serialized();
	against_the_reference();
	ten_thousand_rules();
	return tap_done();
}
