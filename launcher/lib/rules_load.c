// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig's rules: Falco's YAML read with libyaml into lists, macros and
 * rules, then each enabled rule's condition and output compiled. The whole
 * set is loaded before anything is compiled, so that an entry may use what
 * a later one (or a later file) defines, as in Falco. Every message names
 * FILE:LINE:COL, the place in the file itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

#include <yaml.h>

#include "cleanup.h"
#include "fileio.h"
#include "rules_private.h"

static const char *const priority_names[] = {
	[BRIG_PRIORITY_EMERGENCY] = "Emergency", [BRIG_PRIORITY_ALERT] = "Alert",
	[BRIG_PRIORITY_CRITICAL] = "Critical", [BRIG_PRIORITY_ERROR] = "Error",
	[BRIG_PRIORITY_WARNING] = "Warning", [BRIG_PRIORITY_NOTICE] = "Notice",
	[BRIG_PRIORITY_INFORMATIONAL] = "Informational", [BRIG_PRIORITY_DEBUG] = "Debug",
};

const char *brig_rule_priority_name(enum brig_rule_priority p)
{
	return p <= BRIG_PRIORITY_DEBUG ? priority_names[p] : "?";
}

const char *brig_rule_name(const struct brig_rule *rule)
{
	return rule->name;
}

enum brig_rule_action brig_rule_action(const struct brig_rule *rule)
{
	return rule->action;
}

size_t brig_rules_count(const struct brig_rules *rules)
{
	size_t n = 0;

	for (size_t i = 0; i < rules->n_rules; i++)
		n += rules->rules[i].enabled;
	return n;
}

/* The byte at line @line, column @column (0-based, in characters, as libyaml counts). */
static size_t mark_offset(const struct rules_file *f, const yaml_mark_t *m)
{
	size_t at = m->line < f->n_lines ? f->lines[m->line] : f->len, col = 0;

	while (at < f->len && col < m->column && f->text[at] != '\n') {
		at++;
		while (at < f->len && (f->text[at] & 0xc0) == 0x80)	/* UTF-8 continuation */
			at++;
		col++;
	}
	return at;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int rules_error(struct brig_error **err, const struct brig_rules *r,
		const struct rules_where *where, const char *value, size_t at,
		const char *fmt, ...)
{
	const struct rules_file *f = &r->files[where->file];
	size_t pos = where->offset, line, col = 1, skip = 0, lo = 0, hi = f->n_lines;
	bool at_end = true, past;
	char msg[1024];
	va_list ap;

	/*
	 * The scalar's non-blank bytes are the file's, in order (YAML folds
	 * and indents only blanks): find the one @at stands on, or, past the
	 * last one (the end of a condition), the byte after it. A quoted
	 * scalar with escapes has other bytes: its start is all that is known.
	 */
	if (!where->exact)
		value = NULL;
	for (size_t i = 0; value && value[i]; i++) {
		if (i < at)
			skip += !is_space(value[i]);
		else if (!is_space(value[i]))
			at_end = false;
	}
	past = at_end && skip;
	if (past)
		skip--;
	while (pos < f->len && (skip || is_space(f->text[pos]))) {
		if (!is_space(f->text[pos]))
			skip--;
		pos++;
	}
	if (past && pos < f->len)
		for (pos++; pos < f->len && (f->text[pos] & 0xc0) == 0x80; pos++)
			;
	/* The line: the last that starts at or before @pos; the column, in characters. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->lines[mid] <= pos)
			lo = mid;
		else
			hi = mid;
	}
	line = lo + 1;
	for (size_t i = f->n_lines ? f->lines[lo] : 0; i < pos && i < f->len; i++)
		col += (f->text[i] & 0xc0) != 0x80;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return brig_error_make(err, 0, "%s:%zu:%zu: %s", f->name, line, col, msg);
}

struct rules_list *rules_find_list(struct brig_rules *r, const char *name)
{
	for (size_t i = 0; i < r->n_lists; i++)
		if (!strcmp(r->lists[i].name, name))
			return &r->lists[i];
	return NULL;
}

struct rules_macro *rules_find_macro(struct brig_rules *r, const char *name)
{
	for (size_t i = 0; i < r->n_macros; i++)
		if (!strcmp(r->macros[i].name, name))
			return &r->macros[i];
	return NULL;
}

static struct brig_rule *find_rule(struct brig_rules *r, const char *name)
{
	for (size_t i = 0; i < r->n_rules; i++)
		if (!strcmp(r->rules[i].name, name))
			return &r->rules[i];
	return NULL;
}

/* One file's document, while its entries are read. */
struct loading {
	struct brig_rules *r;
	size_t file;
	yaml_document_t *doc;
};

/* Where @node's content begins. */
static struct rules_where where_of(const struct loading *l, const yaml_node_t *node)
{
	const struct rules_file *f = &l->r->files[l->file];
	struct rules_where w = { l->file, mark_offset(f, &node->start_mark), true };
	size_t end;

	if (node->type != YAML_SCALAR_NODE)
		return w;
	switch (node->data.scalar.style) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		/* Escapes (\x41, '') make the value's bytes other than the file's. */
		end = mark_offset(f, &node->end_mark);
		for (size_t i = w.offset + 1; i + 1 < end && i + 1 < f->len; i++)
			if (f->text[i] == (node->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE ?
					   '\\' : '\''))
				w.exact = false;
		w.offset++;
		break;
	case YAML_LITERAL_SCALAR_STYLE:
	case YAML_FOLDED_SCALAR_STYLE:
		/* The content starts on the line after the indicator. */
		while (w.offset < f->len && f->text[w.offset] != '\n')
			w.offset++;
		break;
	default:
		break;
	}
	return w;
}

static int node_error(struct brig_error **err, const struct loading *l, const yaml_node_t *node,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int node_error(struct brig_error **err, const struct loading *l, const yaml_node_t *node,
		      const char *fmt, ...)
{
	struct rules_where w = where_of(l, node);
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return rules_error(err, l->r, &w, NULL, 0, "%s", what);
}

/* @node's text if it is a scalar, else NULL. */
static const char *scalar(const yaml_node_t *node)
{
	return node && node->type == YAML_SCALAR_NODE ? (const char *)node->data.scalar.value : NULL;
}

/* Counts @len bytes copied out of the files: an alias (*a) copies its anchor's again. */
static int spend(struct brig_error **err, const struct loading *l, const yaml_node_t *v,
		 size_t len)
{
	if (len + 1 > BRIG_RULES_BYTES_MAX - l->r->bytes)
		return node_error(err, l, v, "the rules copy more than %d MiB (aliases count again)",
				  BRIG_RULES_BYTES_MAX >> 20);
	l->r->bytes += len + 1;
	return 0;
}

static int want_string(struct brig_error **err, const struct loading *l, const yaml_node_t *v,
		       const char *key, char **out)
{
	const char *s = scalar(v);

	if (!s)
		return node_error(err, l, v, "`%s` takes a string", key);
	if (strlen(s) != v->data.scalar.length)
		return node_error(err, l, v, "a NUL byte in a string");
	if (spend(err, l, v, v->data.scalar.length))
		return -1;
	free(*out);
	*out = strdup(s);
	return *out ? 0 : brig_error_make(err, ENOMEM, "rules");
}

static int want_bool(struct brig_error **err, const struct loading *l, const yaml_node_t *v,
		     const char *key, bool *out)
{
	const char *s = scalar(v);

	if (s && (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")))
		*out = true;
	else if (s && (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")))
		*out = false;
	else
		return node_error(err, l, v, "`%s` takes true or false", key);
	return 0;
}

/* A sequence of scalars (a flow [a, b] or a block one) into a new array of copies. */
static int want_strings(struct brig_error **err, const struct loading *l, const yaml_node_t *v,
			const char *key, size_t max, char ***out, size_t *n)
{
	yaml_node_item_t *it;

	if (v->type != YAML_SEQUENCE_NODE)
		return node_error(err, l, v, "`%s` takes a list: [a, b]", key);
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		const yaml_node_t *item = yaml_document_get_node(l->doc, *it);
		const char *s = scalar(item);
		char **grown;

		if (!s || strlen(s) != item->data.scalar.length)
			return node_error(err, l, item, "an item is a string");
		if (spend(err, l, item, item->data.scalar.length))
			return -1;
		if (*n >= max)
			return node_error(err, l, item, "too many items");
		grown = realloc(*out, (*n + 1) * sizeof(**out));
		if (!grown)
			return brig_error_make(err, ENOMEM, "rules");
		*out = grown;
		(*out)[*n] = strdup(s);
		if (!(*out)[*n])
			return brig_error_make(err, ENOMEM, "rules");
		(*n)++;
	}
	return 0;
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* @node's value of @key in a mapping, or NULL. */
static yaml_node_t *lookup(const struct loading *l, const yaml_node_t *map, const char *key)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		const char *k = scalar(yaml_document_get_node(l->doc, p->key));

		if (k && !strcmp(k, key))
			return yaml_document_get_node(l->doc, p->value);
	}
	return NULL;
}

/* Every key of @map is among @known (NULL-terminated); else an error at the stranger. */
static int known_keys(struct brig_error **err, const struct loading *l, const yaml_node_t *map,
		      const char *what, const char *const *known)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *key = yaml_document_get_node(l->doc, p->key);
		const char *k = scalar(key);
		size_t i;

		if (!k)
			return node_error(err, l, key, "a key is a string");
		/* A key twice: which one a reader sees is not which one is taken. */
		for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
			const char *before = scalar(yaml_document_get_node(l->doc, q->key));

			if (before && !strcmp(before, k))
				return node_error(err, l, key, "`%s` twice in one %s", k, what);
		}
		for (i = 0; known[i] && strcmp(known[i], k); i++)
			;
		if (known[i])
			continue;
		if (!strcmp(k, "exceptions") || !strcmp(k, "override"))
			return node_error(err, l, key, "`%s` is not in brig's subset of the rules language: "
					   "write it into the condition", k);
		return node_error(err, l, key, "a %s has no key `%s`", what, k);
	}
	return 0;
}

static int too_many(struct brig_error **err, const struct loading *l, const yaml_node_t *entry)
{
	struct brig_rules *r = l->r;

	if (r->n_lists + r->n_macros + r->n_rules < BRIG_RULES_ENTRIES_MAX)
		return 0;
	return node_error(err, l, entry, "too many entries (at most %d, in all files)",
			  BRIG_RULES_ENTRIES_MAX);
}

static int load_list(struct loading *l, yaml_node_t *entry, struct brig_error **err)
{
	static const char *const keys[] = { "list", "items", "append", NULL };
	yaml_node_t *name = lookup(l, entry, "list"), *items = lookup(l, entry, "items");
	yaml_node_t *append_node = lookup(l, entry, "append");
	struct brig_rules *r = l->r;
	struct rules_list *list, *grown;
	bool append = false;
	char *n = NULL;
	size_t before;
	int ret;

	if (known_keys(err, l, entry, "list", keys) ||
	    (append_node && want_bool(err, l, append_node, "append", &append)) ||
	    want_string(err, l, name, "list", &n))
		return -1;
	if (!items) {
		free(n);
		return node_error(err, l, entry, "a list needs `items`");
	}
	list = rules_find_list(r, n);
	if (append && !list) {
		ret = node_error(err, l, name, "`append` to a list not defined before");
		free(n);
		return ret;
	}
	if (!list) {
		if (too_many(err, l, entry)) {
			free(n);
			return -1;
		}
		grown = realloc(r->lists, (r->n_lists + 1) * sizeof(*grown));
		if (!grown) {
			free(n);
			return brig_error_make(err, ENOMEM, "rules");
		}
		r->lists = grown;
		list = &r->lists[r->n_lists++];
		*list = (struct rules_list){ .name = n };
		n = NULL;
	} else if (!append) {
		/* A list defined again replaces the first, as in Falco. */
		r->n_items -= list->n_items;
		free_strings(list->items, list->n_items);
		list->items = NULL;
		list->n_items = 0;
	}
	free(n);
	list->where = where_of(l, name);
	before = list->n_items;
	ret = want_strings(err, l, items, "items", BRIG_RULES_ITEMS_MAX - r->n_items + before,
			   &list->items, &list->n_items);
	r->n_items += list->n_items - before;
	return ret;
}

static int load_macro(struct loading *l, yaml_node_t *entry, struct brig_error **err)
{
	static const char *const keys[] = { "macro", "condition", NULL };
	yaml_node_t *name = lookup(l, entry, "macro"), *cond = lookup(l, entry, "condition");
	struct brig_rules *r = l->r;
	struct rules_macro *m, *grown;
	char *n = NULL, *text = NULL;

	if (known_keys(err, l, entry, "macro", keys) || want_string(err, l, name, "macro", &n))
		return -1;
	if (!cond || want_string(err, l, cond, "condition", &text)) {
		free(n);
		return cond ? -1 : node_error(err, l, entry, "a macro needs a `condition`");
	}
	m = rules_find_macro(r, n);
	if (m) {
		free(n);
		free(m->condition);
	} else {
		if (too_many(err, l, entry)) {
			free(n);
			free(text);
			return -1;
		}
		grown = realloc(r->macros, (r->n_macros + 1) * sizeof(*grown));
		if (!grown) {
			free(n);
			free(text);
			return brig_error_make(err, ENOMEM, "rules");
		}
		r->macros = grown;
		m = &r->macros[r->n_macros++];
		*m = (struct rules_macro){ .name = n };
	}
	m->condition = text;
	m->where = where_of(l, cond);
	return 0;
}

/* A rules file's priority, any case, by the names alerts print; INFO is INFORMATIONAL's. */
static int priority_of(const char *s, enum brig_rule_priority *p)
{
	if (!strcasecmp(s, "info")) {
		*p = BRIG_PRIORITY_INFORMATIONAL;
		return 0;
	}
	for (size_t i = 0; i < sizeof(priority_names) / sizeof(priority_names[0]); i++)
		if (!strcasecmp(s, priority_names[i])) {
			*p = (enum brig_rule_priority)i;
			return 0;
		}
	return -1;
}

static void rule_release(struct brig_rule *rule)
{
	free(rule->name);
	free(rule->condition);
	free(rule->output);
	cond_free(rule->cond);
	for (size_t i = 0; i < rule->n_parts; i++)
		free(rule->parts[i].literal);
	free(rule->parts);
	for (size_t i = 0; i < rule->n_tags; i++)
		free(rule->tags[i]);
	memset(rule, 0, sizeof(*rule));
}

static int load_rule_fields(struct loading *l, yaml_node_t *entry, struct brig_rule *rule,
			    struct brig_error **err)
{
	yaml_node_t *v;
	char *s = NULL, **tags = NULL;
	size_t n_tags = 0;
	int ret = 0;

	if ((v = lookup(l, entry, "condition"))) {
		if (want_string(err, l, v, "condition", &rule->condition))
			return -1;
		rule->condition_where = where_of(l, v);
	}
	if ((v = lookup(l, entry, "output"))) {
		if (want_string(err, l, v, "output", &rule->output))
			return -1;
		rule->output_where = where_of(l, v);
	}
	if ((v = lookup(l, entry, "priority"))) {
		if (want_string(err, l, v, "priority", &s))
			return -1;
		if (priority_of(s, &rule->priority))
			ret = node_error(err, l, v, "no such priority: EMERGENCY, ALERT, CRITICAL, "
					 "ERROR, WARNING, NOTICE, INFORMATIONAL or DEBUG");
		free(s);
		s = NULL;
		if (ret)
			return -1;
	}
	if ((v = lookup(l, entry, "tags"))) {
		if (want_strings(err, l, v, "tags", BRIG_RULES_TAGS_MAX, &tags, &n_tags)) {
			free_strings(tags, n_tags);
			return -1;
		}
		for (size_t i = 0; i < rule->n_tags; i++)
			free(rule->tags[i]);
		for (size_t i = 0; i < n_tags; i++)
			rule->tags[i] = tags[i];
		rule->n_tags = n_tags;
		free(tags);
	}
	if ((v = lookup(l, entry, "enabled")) && want_bool(err, l, v, "enabled", &rule->enabled))
		return -1;
	if ((v = lookup(l, entry, "action"))) {
		if (want_string(err, l, v, "action", &s))
			return -1;
		if (!strcmp(s, "stop"))
			rule->action = BRIG_RULE_ACTION_STOP;
		else if (!strcmp(s, "enforce"))
			rule->action = BRIG_RULE_ACTION_ENFORCE;
		else
			ret = node_error(err, l, v, "no such action: stop or enforce");
		free(s);
	}
	return ret;
}

static int load_rule(struct loading *l, yaml_node_t *entry, struct brig_error **err)
{
	static const char *const keys[] = {
		"rule", "desc", "condition", "output", "priority", "tags", "enabled", "source",
		"action", "warn_evttypes", "skip-if-unknown-filter", NULL
	};
	yaml_node_t *name = lookup(l, entry, "rule"), *src = lookup(l, entry, "source");
	struct brig_rules *r = l->r;
	struct brig_rule fresh = { .enabled = true }, *old, *grown;
	char *n = NULL;

	if (known_keys(err, l, entry, "rule", keys) || want_string(err, l, name, "rule", &n))
		return -1;
	/* brig's events feed the rules Falco would evaluate over system calls. */
	if (src && (!scalar(src) || strcmp(scalar(src), "syscall"))) {
		free(n);
		return node_error(err, l, src, "brig's events are of source `syscall`");
	}
	old = find_rule(r, n);
	/* `enabled` alone turns a rule defined before on or off, as in Falco. */
	if (entry->data.mapping.pairs.top - entry->data.mapping.pairs.start == 2 &&
	    lookup(l, entry, "enabled")) {
		free(n);
		if (!old)
			return node_error(err, l, name, "`enabled` alone, for a rule not defined before");
		return want_bool(err, l, lookup(l, entry, "enabled"), "enabled", &old->enabled);
	}
	fresh.name = n;
	if (load_rule_fields(l, entry, &fresh, err)) {
		rule_release(&fresh);
		return -1;
	}
	if (!fresh.condition || !fresh.output || !lookup(l, entry, "priority")) {
		rule_release(&fresh);
		return node_error(err, l, entry, "a rule needs a `condition`, an `output` and a "
				  "`priority`");
	}
	if (old) {
		rule_release(old);
		*old = fresh;
		return 0;
	}
	if (too_many(err, l, entry)) {
		rule_release(&fresh);
		return -1;
	}
	grown = realloc(r->rules, (r->n_rules + 1) * sizeof(*grown));
	if (!grown) {
		rule_release(&fresh);
		return brig_error_make(err, ENOMEM, "rules");
	}
	r->rules = grown;
	r->rules[r->n_rules++] = fresh;
	return 0;
}

static int load_entry(struct loading *l, yaml_node_t *entry, struct brig_error **err)
{
	if (entry->type != YAML_MAPPING_NODE)
		return node_error(err, l, entry, "an entry is a mapping: a list, a macro or a rule");
	if (lookup(l, entry, "rule"))
		return load_rule(l, entry, err);
	if (lookup(l, entry, "macro"))
		return load_macro(l, entry, err);
	if (lookup(l, entry, "list"))
		return load_list(l, entry, err);
	/* What a file says of the Falco that reads it: brig reads it as it is. */
	if (lookup(l, entry, "required_engine_version") ||
	    lookup(l, entry, "required_plugin_versions"))
		return 0;
	return node_error(err, l, entry, "an entry is a list, a macro or a rule");
}

static int load_file(struct brig_rules *r, size_t file, struct brig_error **err)
{
	const struct rules_file *f = &r->files[file];
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	struct loading l = { r, file, &doc };
	int ret = 0;

	if (memchr(f->text, '\0', f->len))
		return brig_error_make(err, 0, "%s: a NUL byte: not a rules file", f->name);
	if (!yaml_parser_initialize(&parser))
		return brig_error_make(err, ENOMEM, "rules");
	yaml_parser_set_input_string(&parser, (const unsigned char *)f->text, f->len);
	if (!yaml_parser_load(&parser, &doc)) {
		ret = brig_error_make(err, 0, "%s:%zu:%zu: %s%s%s", f->name,
				      parser.problem_mark.line + 1, parser.problem_mark.column + 1,
				      parser.problem ? parser.problem : "not YAML",
				      parser.context ? ", " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		return ret;
	}
	root = yaml_document_get_root_node(&doc);
	if (root && root->type != YAML_SEQUENCE_NODE) {
		ret = node_error(err, &l, root, "a rules file is a list of entries (- rule: ...)");
	} else if (root) {
		for (yaml_node_item_t *it = root->data.sequence.items.start;
		     !ret && it < root->data.sequence.items.top; it++)
			ret = load_entry(&l, yaml_document_get_node(&doc, *it), err);
	}
	/* One document: a second is refused, not ignored. */
	if (!ret) {
		yaml_document_t next;

		if (!yaml_parser_load(&parser, &next))
			ret = brig_error_make(err, 0, "%s:%zu:%zu: %s", f->name,
					      parser.problem_mark.line + 1,
					      parser.problem_mark.column + 1,
					      parser.problem ? parser.problem : "not YAML");
		else if (yaml_document_get_root_node(&next))
			ret = brig_error_make(err, 0, "%s:%zu:%zu: one YAML document per rules file",
					      f->name, next.start_mark.line + 1,
					      next.start_mark.column + 1);
		yaml_document_delete(&next);
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return ret;
}

static int add_file(struct brig_rules *r, const char *name, char *text, size_t len,
		    struct brig_error **err)
{
	struct rules_file *grown = realloc(r->files, (r->n_files + 1) * sizeof(*grown));

	if (!grown) {
		free(text);
		return brig_error_make(err, ENOMEM, "rules");
	}
	struct rules_file *f;
	size_t n = 1;

	r->files = grown;
	f = &r->files[r->n_files];
	*f = (struct rules_file){ .name = strdup(name), .text = text, .len = len };
	r->n_files++;
	for (size_t i = 0; i < len; i++)
		n += text[i] == '\n';
	f->lines = malloc(n * sizeof(*f->lines));
	if (!f->name || !f->lines)
		return brig_error_make(err, ENOMEM, "rules");
	f->lines[f->n_lines++] = 0;
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n')
			f->lines[f->n_lines++] = i + 1;
	return load_file(r, r->n_files - 1, err);
}

/* Every enabled rule's condition and output, once all is loaded. */
static int compile(struct brig_rules *r, struct brig_error **err)
{
	size_t n = brig_event_fields_count();

	for (size_t i = 0; i < r->n_rules; i++) {
		struct brig_rule *rule = &r->rules[i];

		if (!rule->enabled)
			continue;
		if (cond_compile(r, rule->condition, &rule->condition_where, &rule->cond, err) ||
		    output_compile(r, rule, err))
			return -1;
	}
	r->have = calloc(n, 1);
	r->values = calloc(n, sizeof(*r->values));
	return r->have && r->values ? 0 : brig_error_make(err, ENOMEM, "rules");
}

int brig_rules_load(const char *const *paths, size_t n, struct brig_rules **out,
		    struct brig_error **err)
{
	struct brig_rules *r = calloc(1, sizeof(*r));
	char *text;
	size_t len;
	int fd, ret;

	if (!r)
		return brig_error_make(err, ENOMEM, "rules");
	for (size_t i = 0; i < n; i++) {
		/*
		 * A link to a rules file is fine; a FIFO or a device would hang or
		 * never end: opened without waiting, then refused.
		 */
		fd = open(paths[i], O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			ret = brig_error_make(err, errno, "opening rules file `%s`", paths[i]);
		else
			ret = brig_read_fd_max(fd, paths[i], "rules file", BRIG_RULES_FILE_MAX, true,
					       (unsigned char **)&text, &len, err);
		if (fd >= 0)
			close(fd);
		if (ret || add_file(r, paths[i], text, len, err)) {
			brig_rules_free(r);
			return -1;
		}
	}
	if (compile(r, err)) {
		brig_rules_free(r);
		return -1;
	}
	*out = r;
	return 0;
}

int brig_rules_load_text(const char *name, const char *text, size_t len,
			 struct brig_rules **out, struct brig_error **err)
{
	struct brig_rules *r = calloc(1, sizeof(*r));
	char *copy;

	if (!r)
		return brig_error_make(err, ENOMEM, "rules");
	if (len > BRIG_RULES_FILE_MAX) {
		free(r);
		return brig_error_make(err, EFBIG, "%s: over %d bytes", name, BRIG_RULES_FILE_MAX);
	}
	copy = malloc(len + 1);
	if (!copy) {
		free(r);
		return brig_error_make(err, ENOMEM, "rules");
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	if (add_file(r, name, copy, len, err) || compile(r, err)) {
		brig_rules_free(r);
		return -1;
	}
	*out = r;
	return 0;
}

int brig_rules_events(struct brig_rules **out, struct brig_error **err)
{
	static const char rules[] =
		"- rule: brig denied\n"
		"  desc: brig.ko refused what its policy refuses\n"
		"  condition: brig.verdict = DENIED\n"
		"  output: \"%brig.line\"\n"
		"  priority: WARNING\n"
		"  tags: [brig]\n"
		"- rule: brig complain\n"
		"  desc: allowed in complain mode, which the policy would refuse\n"
		"  condition: brig.verdict = ALLOWED\n"
		"  output: \"%brig.line\"\n"
		"  priority: NOTICE\n"
		"  tags: [brig, complain]\n"
		"- rule: brig audit\n"
		"  desc: an access an audit rule reports\n"
		"  condition: brig.verdict = AUDIT\n"
		"  output: \"%brig.line\"\n"
		"  priority: INFORMATIONAL\n"
		"  tags: [brig, audit]\n";

	if (brig_rules_load_text("brig's events", rules, sizeof(rules) - 1, out, err))
		return -1;
	for (size_t i = 0; i < (*out)->n_rules; i++)
		(*out)->rules[i].all_fields = true;
	return 0;
}

void brig_rules_free(struct brig_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_rules; i++)
		rule_release(&r->rules[i]);
	for (size_t i = 0; i < r->n_macros; i++) {
		free(r->macros[i].name);
		free(r->macros[i].condition);
		cond_free(r->macros[i].cond);
	}
	for (size_t i = 0; i < r->n_lists; i++) {
		free(r->lists[i].name);
		free_strings(r->lists[i].items, r->lists[i].n_items);
	}
	for (size_t i = 0; i < r->n_files; i++) {
		free(r->files[i].name);
		free(r->files[i].text);
		free(r->files[i].lines);
	}
	free(r->rules);
	free(r->macros);
	free(r->lists);
	free(r->files);
	free(r->have);
	free(r->values);
	free(r);
}
