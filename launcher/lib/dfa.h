/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig: file rules (AppArmor-style globs with permission letters)
 * compiled to one minimal DFA, the form brig.ko matches paths with.
 *
 * Globs are absolute paths: `*` any run of characters but '/', `**` any run,
 * `?` one character but '/', `[abc]` `[a-z]` `[^abc]` one character of a set
 * (never '/'), `{a,b}` alternatives (nestable), `\` escapes the next
 * character. Directories are matched with a trailing '/', so a glob that ends
 * in '/' matches directories only.
 */
#ifndef BRIG_DFA_H
#define BRIG_DFA_H

#include <stddef.h>
#include <stdint.h>

#include <brig.h>

#include "error.h"

/* One rule: a glob, and the BRIG_PERM_* bits it denies and audits. */
struct brig_file_rule {
	const char *glob;
	uint32_t deny;
	uint32_t audit;
};

/* A compiled DFA; state 0 is dead, state 1 the start. */
struct brig_dfa {
	uint32_t n_states;
	uint32_t n_classes;
	uint8_t classes[BRIG_DFA_CLASSES];	/* byte -> input class */
	uint32_t *accept;	/* per state: deny | audit << 16 | DENY_BELOW */
	uint32_t *next;		/* [state * n_classes + class] -> state */
};

/*
 * Checks one glob. Returns 0, or -1 with *offset at the offending character
 * and *why saying what is wrong (a static string).
 */
int brig_glob_check(const char *glob, size_t *offset, const char **why);

/*
 * The compiler's own bound, besides the module's BRIG_DFA_STATES_MAX: NFA
 * states visited while determinizing, some 0.25 s of work. 10,000 ordinary
 * rules take some 7 million; a glob of thousands of characters after `**`
 * takes hundreds of millions, and is refused rather than compiled for
 * minutes.
 */
#define BRIG_DFA_WORK_MAX (1ULL << 25)

/* Compiles @rules into one minimal DFA. */
int brig_dfa_compile(const struct brig_file_rule *rules, size_t n_rules,
		     struct brig_dfa **out, struct brig_error **err);

/*
 * The permissions @path gets: deny bits | audit bits << 16, and
 * BRIG_DFA_DENY_BELOW if a longer path through it is denied something.
 */
uint32_t brig_dfa_match(const struct brig_dfa *dfa, const char *path,
			size_t len);

/* The blob of uapi/brig.h's DFA format; free() it. */
int brig_dfa_serialize(const struct brig_dfa *dfa, void **blob, size_t *len,
		       struct brig_error **err);

void brig_dfa_free(struct brig_dfa *dfa);

#endif /* BRIG_DFA_H */
