/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig, inside the .pol parser: what policy.c (the words, errors, the
 * checks across statements) and pol_statements.c (one handler per
 * statement) share. Not for use outside them.
 */
#ifndef BRIG_POL_PARSE_H
#define BRIG_POL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "policy.h"

/* Statements of the language, at most (one bit each in parser.seen). */
#define POL_STATEMENTS_MAX 32

struct word {
	char *text;
	int line, col;
};

struct parser {
	const char *file;
	char *dir;		/* the file's folder */
	struct brig_pol *pol;
	struct brig_error **err;
	unsigned int seen;	/* statements that may appear once, by index */
	struct word first[POL_STATEMENTS_MAX];	/* where each was first (no text) */
	unsigned int stmt;	/* the current statement's index */
	struct word sysctl_at[BRIG_SYSCTLS_MAX];	/* where each sysctl is (no text) */
	bool host_network;	/* `network host` */
	struct word *w;		/* the current statement */
	size_t n;
};

/* One statement of the language. */
struct pol_statement {
	const char *keyword;
	bool once;		/* may appear once */
	size_t min_args, max_args;	/* checked when @usage is set */
	const char *usage;	/* NULL: the handler checks its own arguments */
	int (*handler)(struct parser *p);
};

/* The handlers in pol_rules.c. */
int pol_st_caps(struct parser *p);
int pol_st_deny(struct parser *p);
int pol_st_audit(struct parser *p);

/* The statement @keyword names, or NULL. */
const struct pol_statement *pol_statement_find(const char *keyword);
/* The keyword @word is likely a typo of, or NULL. */
const char *pol_statement_nearest(const char *word);
/* Edit distance, any case, for "did you mean"; SIZE_MAX for long words. */
size_t pol_distance(const char *a, const char *b);
unsigned int pol_statement_index(const struct pol_statement *st);

/* Makes "FILE:LINE:COL: message" at @w (or at column @col of its line). */
int pol_err(struct parser *p, const struct word *w, int col_offset,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Refuses the current statement if it came before (a once-only one). */
int pol_once(struct parser *p);
/* Refuses fewer than @min or more than @max arguments, with @usage. */
int pol_want_args(struct parser *p, size_t min, size_t max, const char *usage);
int pol_u64(struct parser *p, const struct word *w, uint64_t max, uint64_t *out);
int pol_u32(struct parser *p, const struct word *w, uint32_t max, uint32_t *out);
/* Relative paths in a policy are relative to its folder. */
char *pol_from_dir(struct parser *p, const char *path);
/* Out of memory aborts, as in the rest of the parser. */
char *pol_strdup(const char *s);
void *pol_realloc(void *ptr, size_t size);
char **pol_append_arg(char **list, const char *s);

#endif /* BRIG_POL_PARSE_H */
