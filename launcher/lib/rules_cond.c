// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig's rules: conditions, Falco's filter syntax, parsed by recursive
 * descent into a tree (rules_private.h) that is typed as it is built: a
 * field compared with what its type cannot hold is an error at load, not a
 * rule that never fires. As in Falco, a comparison with a field the event
 * does not have is false (so is its !=), and `exists` asks for it.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules_private.h"

enum tok { T_END, T_LPAREN, T_RPAREN, T_COMMA, T_OP, T_WORD, T_STRING };

struct parser {
	struct brig_rules *r;
	const char *text;
	const struct rules_where *where;
	struct brig_error **err;
	size_t pos;		/* the next byte to read */
	size_t at;		/* where the last token began */
	enum tok tok;
	char *word;		/* the last T_OP, T_WORD or T_STRING's text, owned */
	unsigned int depth;	/* of parentheses and not, while parsing */
};

static int fail(struct parser *p, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct parser *p, size_t at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return rules_error(p->err, p->r, p->where, p->text, at, "%s", msg);
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool stops_word(char c, bool value)
{
	return !c || blank(c) || c == '(' || c == ')' || c == ',' || c == '"' || c == '\'' ||
	       (!value && (c == '=' || c == '<' || c == '>' || c == '!'));
}

/*
 * The next token. A value (@value) is a quoted string or a run of
 * anything but blanks, parentheses and commas (Falco's `evt.dir = <`); a
 * word elsewhere also stops at an operator (`proc.name=sh`).
 */
static int lex(struct parser *p, bool value)
{
	const char *s = p->text;
	size_t start, n;
	char *w;

	free(p->word);
	p->word = NULL;
	while (blank(s[p->pos]))
		p->pos++;
	p->at = start = p->pos;
	switch (s[p->pos]) {
	case '\0':
		p->tok = T_END;
		return 0;
	case '(':
		p->pos++;
		p->tok = T_LPAREN;
		return 0;
	case ')':
		p->pos++;
		p->tok = T_RPAREN;
		return 0;
	case ',':
		p->pos++;
		p->tok = T_COMMA;
		return 0;
	case '"':
	case '\'':
		/* The closing quote first: what is allocated is the string's size. */
		for (n = start + 1; s[n] && s[n] != s[start]; n++)
			if (s[start] == '"' && s[n] == '\\' && (s[n + 1] == '"' || s[n + 1] == '\\'))
				n++;
		if (!s[n])
			return fail(p, start, "a string without its closing %c", s[start]);
		w = malloc(n - start);
		if (!w)
			return brig_error_make(p->err, ENOMEM, "rules");
		n = 0;
		for (p->pos++; s[p->pos] != s[start]; p->pos++) {
			/* Double quotes take \" and \\, as Falco's do. */
			if (s[start] == '"' && s[p->pos] == '\\' &&
			    (s[p->pos + 1] == '"' || s[p->pos + 1] == '\\'))
				p->pos++;
			w[n++] = s[p->pos];
		}
		w[n] = '\0';
		p->pos++;
		p->word = w;
		p->tok = T_STRING;
		return 0;
	}
	if (!value && strchr("=<>!", s[p->pos])) {
		p->pos += (s[p->pos + 1] == '=') ? 2 : 1;
		p->tok = T_OP;
	} else {
		while (!stops_word(s[p->pos], value))
			p->pos++;
		if (p->pos == start)
			return fail(p, start, "unexpected `%c`", s[start]);
		p->tok = T_WORD;
	}
	p->word = strndup(s + start, p->pos - start);
	return p->word ? 0 : brig_error_make(p->err, ENOMEM, "rules");
}

static bool is_word(const struct parser *p, const char *w)
{
	return p->tok == T_WORD && !strcmp(p->word, w);
}

/* What the last token was, for messages. */
static const char *shown(const struct parser *p)
{
	switch (p->tok) {
	case T_END:
		return "the end";
	case T_LPAREN:
		return "`(`";
	case T_RPAREN:
		return "`)`";
	case T_COMMA:
		return "`,`";
	default:
		return p->word;
	}
}

void cond_free(struct cond *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_kids; i++)
		cond_free(c->kids[i]);
	free(c->kids);
	for (size_t i = 0; i < c->n_values; i++)
		free(c->values[i]);
	free(c->values);
	free(c->numbers);
	free(c);
}

static struct cond *new_cond(struct parser *p, enum cond_kind kind)
{
	struct cond *c = calloc(1, sizeof(*c));

	if (!c) {
		brig_error_make(p->err, ENOMEM, "rules");
		return NULL;
	}
	c->kind = kind;
	c->height = 1;
	return c;
}

/* Adds @kid under @c (which takes it, or frees it on failure); NULL adds nothing. */
static int add_kid(struct parser *p, struct cond *c, struct cond *kid)
{
	struct cond **grown;

	if (!kid)
		return 0;
	grown = realloc(c->kids, (c->n_kids + 1) * sizeof(*grown));
	if (!grown) {
		cond_free(kid);
		return brig_error_make(p->err, ENOMEM, "rules");
	}
	c->kids = grown;
	c->kids[c->n_kids++] = kid;
	if (kid->height + 1 > c->height)
		c->height = kid->height + 1;
	return 0;
}

static int add_value(struct parser *p, struct cond *c, const char *v)
{
	char **grown;

	size_t len = strlen(v) + 1;

	if (c->n_values >= BRIG_RULES_ITEMS_MAX)
		return fail(p, p->at, "too many items (at most %d)", BRIG_RULES_ITEMS_MAX);
	/* Lists named in many conditions, or in one another, expand each time: bounded in all. */
	if (p->r->n_expanded >= BRIG_RULES_EXPANDED_MAX || len > BRIG_RULES_BYTES_MAX - p->r->bytes)
		return fail(p, p->at, "the conditions' lists expand to too much (at most %d items "
			    "and %d MiB in all)", BRIG_RULES_EXPANDED_MAX, BRIG_RULES_BYTES_MAX >> 20);
	p->r->n_expanded++;
	p->r->bytes += len;
	grown = realloc(c->values, (c->n_values + 1) * sizeof(*grown));
	if (!grown)
		return brig_error_make(p->err, ENOMEM, "rules");
	c->values = grown;
	c->values[c->n_values] = strdup(v);
	if (!c->values[c->n_values])
		return brig_error_make(p->err, ENOMEM, "rules");
	c->n_values++;
	return 0;
}

/* An item of `in (...)`: a list's name stands for its items, lists in it too. */
static int add_item(struct parser *p, struct cond *c, const char *item, bool quoted,
		    unsigned int depth)
{
	struct rules_list *list = quoted ? NULL : rules_find_list(p->r, item);
	int ret = 0;

	if (!list)
		return add_value(p, c, item);
	/* Empty lists that name one another add nothing, and still cost a visit each. */
	if (++p->r->n_expanded > BRIG_RULES_EXPANDED_MAX)
		return fail(p, p->at, "the conditions' lists expand to too much (at most %d items "
			    "and %d MiB in all)", BRIG_RULES_EXPANDED_MAX, BRIG_RULES_BYTES_MAX >> 20);
	if (list->expanding)
		return fail(p, p->at, "list `%s` names itself", item);
	if (depth >= BRIG_RULES_DEPTH_MAX)
		return fail(p, p->at, "lists nested too deeply (at most %d)", BRIG_RULES_DEPTH_MAX);
	list->expanding = true;
	for (size_t i = 0; !ret && i < list->n_items; i++)
		ret = add_item(p, c, list->items[i], false, depth + 1);
	list->expanding = false;
	return ret;
}

static const struct {
	const char *name;
	enum cond_cmp cmp;
} ops[] = {
	{ "=", CMP_EQ }, { "==", CMP_EQ }, { "!=", CMP_NE }, { "<", CMP_LT }, { "<=", CMP_LE },
	{ ">", CMP_GT }, { ">=", CMP_GE }, { "contains", CMP_CONTAINS },
	{ "icontains", CMP_ICONTAINS }, { "startswith", CMP_STARTSWITH },
	{ "endswith", CMP_ENDSWITH }, { "glob", CMP_GLOB }, { "pmatch", CMP_PMATCH },
	{ "in", CMP_IN }, { "exists", CMP_EXISTS },
};

static const char *cmp_name(enum cond_cmp cmp)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].cmp == cmp)
			return ops[i].name;
	return "?";
}

static bool op_of(const char *w, enum cond_cmp *cmp)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(w, ops[i].name)) {
			*cmp = ops[i].cmp;
			return true;
		}
	return false;
}

/* What each type of field may be compared with. */
static bool op_fits(enum brig_field_type type, enum cond_cmp cmp)
{
	switch (type) {
	case BRIG_FIELD_NUMBER:
		return cmp <= CMP_GE || cmp == CMP_IN || cmp == CMP_EXISTS;
	case BRIG_FIELD_BOOL:
		return cmp == CMP_EQ || cmp == CMP_NE || cmp == CMP_EXISTS;
	case BRIG_FIELD_STRING:
		return cmp < CMP_LT || cmp > CMP_GE;
	}
	return false;
}

/* A number field's values as numbers, a boolean's as 0 or 1: checked here, once. */
static int typed_values(struct parser *p, struct cond *c, size_t at)
{
	enum brig_field_type type = brig_event_field_type(c->field);
	const char *name = brig_event_field_name(c->field);

	if (type == BRIG_FIELD_STRING || !c->n_values)
		return 0;
	c->numbers = calloc(c->n_values, sizeof(*c->numbers));
	if (!c->numbers)
		return brig_error_make(p->err, ENOMEM, "rules");
	for (size_t i = 0; i < c->n_values; i++) {
		const char *v = c->values[i];
		char *end;

		if (type == BRIG_FIELD_BOOL) {
			if (strcmp(v, "true") && strcmp(v, "false"))
				return fail(p, at, "`%s` is true or false, not `%s`", name, v);
			c->numbers[i] = !strcmp(v, "true");
			continue;
		}
		errno = 0;
		c->numbers[i] = strtoll(v, &end, 0);
		if (errno || end == v || *end)
			return fail(p, at, "`%s` is a number, not `%s`", name, v);
	}
	return 0;
}

static int parse_or(struct parser *p, struct cond **out);

static int parse_comparison(struct parser *p, int field, struct cond **out)
{
	const char *name = brig_event_field_name(field);
	struct cond *c;
	size_t at;
	bool quoted;

	if (lex(p, false))
		return -1;
	at = p->at;
	c = new_cond(p, COND_CMP);
	if (!c)
		return -1;
	c->field = field;
	*out = c;
	if ((p->tok != T_OP && p->tok != T_WORD) || !op_of(p->word, &c->cmp))
		return fail(p, at, "an operator after `%s`, not %s", name, shown(p));
	if (!op_fits(brig_event_field_type(field), c->cmp))
		return fail(p, at, "`%s` does not take `%s` (it is a %s)", name, p->word,
			    brig_event_field_type(field) == BRIG_FIELD_NUMBER ? "number" :
			    brig_event_field_type(field) == BRIG_FIELD_BOOL ? "boolean" : "string");
	if (c->cmp == CMP_EXISTS)
		return lex(p, false);
	if (c->cmp != CMP_IN && c->cmp != CMP_PMATCH) {
		if (lex(p, true))
			return -1;
		if (p->tok != T_WORD && p->tok != T_STRING)
			return fail(p, p->at, "a value after `%s %s`, not %s", name,
				    cmp_name(c->cmp), shown(p));
		if (add_value(p, c, p->word))
			return -1;
		at = p->at;
		return typed_values(p, c, at) || lex(p, false);
	}
	if (lex(p, false))
		return -1;
	if (p->tok != T_LPAREN)
		return fail(p, p->at, "`(` after `%s %s`, not %s", name,
			    c->cmp == CMP_IN ? "in" : "pmatch", shown(p));
	at = p->at;
	for (;;) {
		if (lex(p, true))
			return -1;
		if (p->tok == T_RPAREN && !c->n_values)
			break;
		if (p->tok != T_WORD && p->tok != T_STRING)
			return fail(p, p->at, "an item, not %s", shown(p));
		quoted = p->tok == T_STRING;
		if (add_item(p, c, p->word, quoted, 0) || lex(p, true))
			return -1;
		if (p->tok == T_RPAREN)
			break;
		if (p->tok != T_COMMA)
			return fail(p, p->at, "`,` or `)` between items, not %s", shown(p));
	}
	return typed_values(p, c, at) || lex(p, false);
}

/* A macro's tree, compiled the first time it is named. */
static int use_macro(struct parser *p, struct rules_macro *m, struct cond **out)
{
	struct cond *c;
	size_t at = p->at;

	if (m->state == MACRO_COMPILING)
		return fail(p, at, "macro `%s` uses itself", m->name);
	if (m->state == MACRO_NEW) {
		/* Bounded before it recurses: a chain of macros is a chain of calls here. */
		if (p->r->macro_depth >= BRIG_RULES_DEPTH_MAX)
			return fail(p, at, "macros nested too deeply with `%s` (at most %d)", m->name,
				    BRIG_RULES_DEPTH_MAX);
		m->state = MACRO_COMPILING;
		p->r->macro_depth++;
		if (cond_compile(p->r, m->condition, &m->where, &m->cond, p->err)) {
			p->r->macro_depth--;
			return -1;
		}
		p->r->macro_depth--;
		m->state = MACRO_DONE;
	}
	c = new_cond(p, COND_MACRO);
	if (!c)
		return -1;
	c->macro = m;
	c->height = m->cond->height + 1;
	*out = c;
	if (c->height > BRIG_RULES_DEPTH_MAX)
		return fail(p, at, "nested too deeply with macro `%s` (at most %d)", m->name,
			    BRIG_RULES_DEPTH_MAX);
	return lex(p, false);
}

static int parse_primary(struct parser *p, struct cond **out)
{
	struct rules_macro *m;
	int field;

	if (p->tok == T_LPAREN) {
		size_t at = p->at;

		if (++p->depth > BRIG_RULES_DEPTH_MAX)
			return fail(p, at, "nested too deeply (at most %d)", BRIG_RULES_DEPTH_MAX);
		if (lex(p, false) || parse_or(p, out))
			return -1;
		if (p->tok != T_RPAREN)
			return fail(p, p->at, "`)` to close the `(`, not %s", shown(p));
		p->depth--;
		return lex(p, false);
	}
	if (p->tok != T_WORD)
		return fail(p, p->at, "a field, a macro, `not` or `(`, not %s", shown(p));
	field = brig_event_field_find(p->word);
	if (field >= 0)
		return parse_comparison(p, field, out);
	m = rules_find_macro(p->r, p->word);
	if (m)
		return use_macro(p, m, out);
	if (strchr(p->word, '.'))
		return fail(p, p->at, "no field `%s` in brig's events (brigctl(8) lists them)",
			    p->word);
	return fail(p, p->at, "no macro `%s`", p->word);
}

/*
 * Each parse_*() leaves in *out what it built, whole or not: on an error
 * the caller frees it.
 */
static int parse_not(struct parser *p, struct cond **out)
{
	struct cond *c, *kid = NULL;
	int ret;

	if (!is_word(p, "not"))
		return parse_primary(p, out);
	if (++p->depth > BRIG_RULES_DEPTH_MAX)
		return fail(p, p->at, "nested too deeply (at most %d)", BRIG_RULES_DEPTH_MAX);
	c = new_cond(p, COND_NOT);
	*out = c;
	if (!c || lex(p, false))
		return -1;
	ret = parse_not(p, &kid);
	if (add_kid(p, c, kid) || ret)
		return -1;
	p->depth--;
	return 0;
}

/* A chain of @word (and, or) between terms of @next, as one node. */
static int parse_chain(struct parser *p, struct cond **out, const char *word,
		       enum cond_kind kind, int (*next)(struct parser *, struct cond **))
{
	struct cond *first = NULL, *chain, *kid;
	int ret;

	ret = next(p, &first);
	*out = first;
	if (ret || !is_word(p, word))
		return ret;
	chain = new_cond(p, kind);
	if (!chain)
		return -1;
	*out = chain;
	if (add_kid(p, chain, first))
		return -1;
	while (is_word(p, word)) {
		kid = NULL;
		if (lex(p, false))
			return -1;
		ret = next(p, &kid);
		if (add_kid(p, chain, kid) || ret)
			return -1;
	}
	return 0;
}

static int parse_and(struct parser *p, struct cond **out)
{
	return parse_chain(p, out, "and", COND_AND, parse_not);
}

static int parse_or(struct parser *p, struct cond **out)
{
	return parse_chain(p, out, "or", COND_OR, parse_and);
}

int cond_compile(struct brig_rules *r, const char *text, const struct rules_where *where,
		 struct cond **out, struct brig_error **err)
{
	struct parser p = { .r = r, .text = text, .where = where, .err = err };
	struct cond *c = NULL;
	int ret;

	ret = lex(&p, false);
	if (!ret && p.tok == T_END)
		ret = fail(&p, p.at, "an empty condition");
	if (!ret)
		ret = parse_or(&p, &c);
	if (!ret && p.tok != T_END)
		ret = fail(&p, p.at, "`and`, `or` or the end, not %s", shown(&p));
	if (!ret && c->height > BRIG_RULES_DEPTH_MAX)
		ret = fail(&p, 0, "nested too deeply (at most %d)", BRIG_RULES_DEPTH_MAX);
	free(p.word);
	if (ret) {
		cond_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

const struct brig_field_value *rules_field(struct brig_rules *r, int field)
{
	if (!r->have[field])
		r->have[field] = brig_event_field(r->ev, field, &r->values[field]) ? 1 : 2;
	return r->have[field] == 1 ? &r->values[field] : NULL;
}

static bool text_cmp(enum cond_cmp cmp, const char *s, const char *v)
{
	size_t ls = strlen(s), lv = strlen(v);

	switch (cmp) {
	case CMP_EQ:
	case CMP_IN:
		return !strcmp(s, v);
	case CMP_NE:
		return strcmp(s, v);
	case CMP_CONTAINS:
		return strstr(s, v);
	case CMP_ICONTAINS:
		return strcasestr(s, v);
	case CMP_STARTSWITH:
		return !strncmp(s, v, lv);
	case CMP_ENDSWITH:
		return ls >= lv && !strcmp(s + ls - lv, v);
	case CMP_GLOB:
		return !fnmatch(v, s, 0);
	case CMP_PMATCH:
		/* The path itself, or one below it. */
		return !strncmp(s, v, lv) &&
		       (s[lv] == '\0' || s[lv] == '/' || (lv && v[lv - 1] == '/'));
	default:
		return false;
	}
}

static bool number_cmp(enum cond_cmp cmp, int64_t n, int64_t v)
{
	switch (cmp) {
	case CMP_EQ:
	case CMP_IN:
		return n == v;
	case CMP_NE:
		return n != v;
	case CMP_LT:
		return n < v;
	case CMP_LE:
		return n <= v;
	case CMP_GT:
		return n > v;
	case CMP_GE:
		return n >= v;
	default:
		return false;
	}
}

bool cond_eval(struct brig_rules *r, const struct cond *c)
{
	const struct brig_field_value *v;

	switch (c->kind) {
	case COND_AND:
		for (size_t i = 0; i < c->n_kids; i++)
			if (!cond_eval(r, c->kids[i]))
				return false;
		return true;
	case COND_OR:
		for (size_t i = 0; i < c->n_kids; i++)
			if (cond_eval(r, c->kids[i]))
				return true;
		return false;
	case COND_NOT:
		return !cond_eval(r, c->kids[0]);
	case COND_MACRO:
		/* Once an event: a macro named by many others is not evaluated again each time. */
		if (c->macro->epoch != r->epoch) {
			c->macro->value = cond_eval(r, c->macro->cond);
			c->macro->epoch = r->epoch;
		}
		return c->macro->value;
	case COND_CMP:
		break;
	}
	v = rules_field(r, c->field);
	if (c->cmp == CMP_EXISTS || !v)
		return v && c->cmp == CMP_EXISTS;
	for (size_t i = 0; i < c->n_values; i++) {
		bool hit = v->type == BRIG_FIELD_STRING ? text_cmp(c->cmp, v->text, c->values[i]) :
			   number_cmp(c->cmp, v->number, c->numbers[i]);

		/* in and pmatch: any item; every other operator has one value. */
		if (hit)
			return true;
	}
	return false;
}

int brig_rules_match(struct brig_rules *r, const struct brig_event *ev,
		     int (*fn)(const struct brig_rule *rule, void *arg), void *arg)
{
	size_t n = brig_event_fields_count();
	int ret;

	r->ev = ev;
	r->epoch++;
	memset(r->have, 0, n);
	for (size_t i = 0; i < r->n_rules; i++) {
		if (!r->rules[i].enabled || !cond_eval(r, r->rules[i].cond))
			continue;
		ret = fn(&r->rules[i], arg);
		if (ret)
			return ret;
	}
	return 0;
}
