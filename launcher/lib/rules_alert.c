// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig's rules: outputs, compiled once into literal text and %fields,
 * and the alerts a rule makes of an event, as Falco writes them: the text
 * line ("TIME: Priority OUTPUT") and the JSON object that Falco's consumers
 * (falcosidekick and the like) read.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_private.h"

static bool field_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.';
}

static int add_part(struct brig_rule *rule, const char *literal, size_t len, int field,
		    struct brig_error **err)
{
	struct output_part *grown = realloc(rule->parts, (rule->n_parts + 1) * sizeof(*grown));

	if (!grown)
		return brig_error_make(err, ENOMEM, "rules");
	rule->parts = grown;
	grown[rule->n_parts].literal = strndup(literal, len);
	grown[rule->n_parts].field = field;
	if (!grown[rule->n_parts].literal)
		return brig_error_make(err, ENOMEM, "rules");
	rule->n_parts++;
	return 0;
}

int output_compile(struct brig_rules *r, struct brig_rule *rule, struct brig_error **err)
{
	const char *s = rule->output;
	size_t len = strlen(s), start = 0, i = 0, n;
	char name[128];
	int field;

	/* A folded scalar ends in a newline; Falco's outputs are one line. */
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	while (i < len) {
		if (s[i] != '%' || i + 1 >= len || !field_char(s[i + 1])) {
			i++;
			continue;
		}
		for (n = 0; i + 1 + n < len && field_char(s[i + 1 + n]); n++)
			;
		/* "... %fd.name." ends a sentence: the dots are not the field's. */
		do {
			snprintf(name, sizeof(name), "%.*s", (int)n, s + i + 1);
			field = n < sizeof(name) ? brig_event_field_find(name) : -1;
		} while (field < 0 && n > 1 && s[i + n] == '.' && n--);
		if (field < 0)
			return rules_error(err, r, &rule->output_where, s, i,
					   "no field `%%%.*s` in brig's events (brigctl(8) lists them)",
					   (int)(n < 100 ? n : 100), s + i + 1);
		if (add_part(rule, s + start, i - start, field, err))
			return -1;
		i += 1 + n;
		start = i;
	}
	return add_part(rule, s + start, len - start, -1, err);
}

/* Appends @s to @buf, control bytes as \xHH: a name from inside the container is no escape sequence. */
static void append_safe(char *buf, size_t len, size_t *used, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int n;

		if (c < 0x20 || c == 0x7f)
			n = snprintf(buf + *used, len - *used, "\\x%02x", c);
		else
			n = snprintf(buf + *used, len - *used, "%c", c);
		if (n < 0 || (size_t)n >= len - *used) {
			*used = len - 1;
			return;
		}
		*used += (size_t)n;
	}
}

/* The event's @field into @v: @v, or NULL if the event has none. */
static const struct brig_field_value *value_of(const struct brig_event *ev, int field,
					       struct brig_field_value *v)
{
	return brig_event_field(ev, field, v) ? v : NULL;
}

void brig_alert_text(const struct brig_rule *rule, const struct brig_event *ev,
		     char *buf, size_t len)
{
	struct brig_field_value *v = malloc(sizeof(*v));
	size_t used = 0;

	if (!len)
		goto out;
	buf[0] = '\0';
	if (!v)
		goto out;
	value_of(ev, brig_event_field_find("evt.time"), v);
	used = (size_t)snprintf(buf, len, "%s: %s ", v->buf, brig_rule_priority_name(rule->priority));
	if (used >= len) {
		used = len - 1;
		goto out;
	}
	for (size_t i = 0; i < rule->n_parts; i++) {
		append_safe(buf, len, &used, rule->parts[i].literal);
		if (rule->parts[i].field >= 0)
			append_safe(buf, len, &used, value_of(ev, rule->parts[i].field, v) ?
				    v->text : "<NA>");
	}
out:
	free(v);
}

static json_object *value_json(const struct brig_field_value *v)
{
	if (!v)
		return NULL;
	switch (v->type) {
	case BRIG_FIELD_NUMBER:
		return json_object_new_int64(v->number);
	case BRIG_FIELD_BOOL:
		return json_object_new_boolean(v->number);
	case BRIG_FIELD_STRING:
		break;
	}
	return json_object_new_string(v->text);
}

json_object *brig_alert_json(const struct brig_rule *rule, const struct brig_event *ev,
			     const char *hostname)
{
	struct brig_field_value *v = malloc(sizeof(*v));
	json_object *o = json_object_new_object(), *tags = json_object_new_array();
	json_object *fields = json_object_new_object();
	char *text = malloc(8192);
	int time_field = brig_event_field_find("evt.time");

	if (!v || !text) {
		free(v);
		free(text);
		json_object_put(tags);
		json_object_put(fields);
		return o;	/* an empty object: out of memory */
	}
	brig_alert_text(rule, ev, text, 8192);
	for (size_t i = 0; i < rule->n_tags; i++)
		json_object_array_add(tags, json_object_new_string(rule->tags[i]));
	/* evt.time always, as Falco's; then each %field of the output, once (or all it has). */
	json_object_object_add(fields, "evt.time", value_json(value_of(ev, time_field, v)));
	if (rule->all_fields) {
		for (int f = 0; f < (int)brig_event_fields_count(); f++)
			if (f != time_field && value_of(ev, f, v))
				json_object_object_add(fields, brig_event_field_name(f),
						       value_json(v));
	}
	for (size_t i = 0; i < rule->n_parts; i++) {
		int f = rule->parts[i].field;

		if (f >= 0 && !json_object_object_get_ex(fields, brig_event_field_name(f), NULL))
			json_object_object_add(fields, brig_event_field_name(f),
					       value_json(value_of(ev, f, v)));
	}
	json_object_object_add(o, "hostname", json_object_new_string(hostname));
	json_object_object_add(o, "output", json_object_new_string(text));
	json_object_object_add(o, "priority",
			       json_object_new_string(brig_rule_priority_name(rule->priority)));
	json_object_object_add(o, "rule", json_object_new_string(rule->name));
	json_object_object_add(o, "source", json_object_new_string("syscall"));
	json_object_object_add(o, "tags", tags);
	value_of(ev, brig_event_field_find("evt.time.iso8601"), v);
	json_object_object_add(o, "time", json_object_new_string(v->text));
	json_object_object_add(o, "output_fields", fields);
	free(text);
	free(v);
	return o;
}
