/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig's rules, inside: what rules_load.c (the YAML), rules_cond.c (the
 * conditions) and rules_alert.c (outputs and alerts) share.
 */
#ifndef BRIG_RULES_PRIVATE_H
#define BRIG_RULES_PRIVATE_H

#include <stdint.h>

#include "rules.h"

/* Where a scalar's text begins in its file, for FILE:LINE:COL. */
struct rules_where {
	size_t file;		/* index in brig_rules.files */
	size_t offset;		/* the byte its content starts at */
	bool exact;		/* its bytes are the file's (no escapes): a place in it can be found */
};

enum cond_kind { COND_AND, COND_OR, COND_NOT, COND_CMP, COND_MACRO };

enum cond_cmp {
	CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE,
	CMP_CONTAINS, CMP_ICONTAINS, CMP_STARTSWITH, CMP_ENDSWITH, CMP_GLOB, CMP_PMATCH,
	CMP_IN, CMP_EXISTS,
};

struct rules_macro;

/*
 * A condition's tree. AND and OR take all the terms of a chain (a or b or
 * c), so that only parentheses, not and macros make it deeper; its height
 * is bound by BRIG_RULES_DEPTH_MAX. Macros are shared: a COND_MACRO node
 * points at the macro's own tree.
 */
struct cond {
	enum cond_kind kind;
	unsigned int height;		/* 1 for a comparison */
	struct cond **kids;		/* AND, OR: two or more; NOT: one */
	size_t n_kids;
	struct rules_macro *macro;	/* COND_MACRO */
	int field;			/* COND_CMP: event_fields.h's */
	enum cond_cmp cmp;
	size_t n_values;		/* one, or IN's and PMATCH's items; EXISTS: none */
	char **values;
	int64_t *numbers;		/* a number field's values, parsed */
};

struct rules_list {
	char *name;
	char **items;
	size_t n_items;
	struct rules_where where;
	bool expanding;		/* being expanded: a list that names itself */
};

struct rules_macro {
	char *name;
	char *condition;
	struct rules_where where;
	struct cond *cond;
	enum { MACRO_NEW, MACRO_COMPILING, MACRO_DONE } state;
	/* Its value for the event being matched (brig_rules.epoch): each macro once an event. */
	unsigned long epoch;
	bool value;
};

/* An output: literal text and %fields, in turn; field -1 ends with literal alone. */
struct output_part {
	char *literal;
	int field;
};

struct brig_rule {
	char *name;
	char *condition;
	char *output;
	struct rules_where condition_where, output_where;
	struct cond *cond;
	struct output_part *parts;
	size_t n_parts;
	enum brig_rule_priority priority;
	char *tags[BRIG_RULES_TAGS_MAX];
	size_t n_tags;
	enum brig_rule_action action;
	bool enabled;
	bool all_fields;	/* its alerts' output_fields: every field (brig_rules_events()) */
};

struct rules_file {
	char *name;
	char *text;
	size_t len;
	size_t *lines;		/* where each line starts */
	size_t n_lines;
};

struct brig_rules {
	struct rules_file *files;
	size_t n_files;
	struct rules_list *lists;
	size_t n_lists;
	struct rules_macro *macros;
	size_t n_macros;
	struct brig_rule *rules;
	size_t n_rules;
	size_t n_items;		/* of all lists */
	size_t n_expanded;	/* items of all conditions (BRIG_RULES_EXPANDED_MAX) */
	size_t bytes;		/* copied (BRIG_RULES_BYTES_MAX) */
	unsigned int macro_depth;	/* macros being compiled, one inside another */
	unsigned long epoch;	/* counts the events matched */
	/* The event being matched: each field extracted once (have: 1 there, 2 absent). */
	const struct brig_event *ev;
	unsigned char *have;
	struct brig_field_value *values;
};

/*
 * "FILE:LINE:COL: what" for the byte @at of the scalar @value, which
 * begins at @where: returns -1.
 */
int rules_error(struct brig_error **err, const struct brig_rules *r,
		const struct rules_where *where, const char *value, size_t at,
		const char *fmt, ...) __attribute__((format(printf, 6, 7)));

struct rules_list *rules_find_list(struct brig_rules *r, const char *name);
struct rules_macro *rules_find_macro(struct brig_rules *r, const char *name);

/* rules_cond.c: @text (from @where) compiled into *out. */
int cond_compile(struct brig_rules *r, const char *text, const struct rules_where *where,
		 struct cond **out, struct brig_error **err);
bool cond_eval(struct brig_rules *r, const struct cond *c);
void cond_free(struct cond *c);
/* The event's @field, extracted once per event (brig_rules_match() sets r->ev); NULL if none. */
const struct brig_field_value *rules_field(struct brig_rules *r, int field);

/* rules_alert.c: a rule's output compiled into its parts. */
int output_compile(struct brig_rules *r, struct brig_rule *rule, struct brig_error **err);

#endif /* BRIG_RULES_PRIVATE_H */
