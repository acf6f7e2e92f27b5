// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: JSON files read strictly, and a JSON path to its line and column
 * (json_locate.h). The text has been parsed by json-c already, so it is
 * valid JSON; brig_json_locate() walks it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "error.h"
#include "json_locate.h"

static const char *skip_space(const char *p)
{
	while (*p && isspace((unsigned char)*p))
		p++;
	return p;
}

/* Past the string that starts at @p (a '"'). */
static const char *skip_string(const char *p)
{
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	return *p ? p + 1 : p;
}

/* Past the value that starts at @p. */
static const char *skip_value(const char *p)
{
	int depth = 0;

	p = skip_space(p);
	if (*p == '"')
		return skip_string(p);
	if (*p != '{' && *p != '[') {
		while (*p && !strchr(",}] \t\r\n", *p))
			p++;
		return p;
	}
	for (; *p; p++) {
		if (*p == '"')
			p = skip_string(p) - 1;
		else if (*p == '{' || *p == '[')
			depth++;
		else if ((*p == '}' || *p == ']') && --depth == 0)
			return p + 1;
	}
	return p;
}

/* The key @key (@len bytes) of the object at @p: where its name starts, or NULL. */
static const char *find_key(const char *p, const char *key, size_t len)
{
	p = skip_space(p);
	if (*p != '{')
		return NULL;
	for (p = skip_space(p + 1); *p == '"'; p = skip_space(p + 1)) {
		const char *name = p, *end = skip_string(p);

		if ((size_t)(end - name) == len + 2 && !strncmp(name + 1, key, len))
			return name;
		p = skip_space(end);
		if (*p != ':')
			return NULL;
		p = skip_space(skip_value(p + 1));
		if (*p != ',')
			return NULL;
	}
	return NULL;
}

/* Element @n of the array at @p, or NULL. */
static const char *find_index(const char *p, unsigned long n)
{
	p = skip_space(p);
	if (*p != '[')
		return NULL;
	for (p = skip_space(p + 1); *p && *p != ']'; p = skip_space(p + 1)) {
		if (!n--)
			return p;
		p = skip_space(skip_value(p));
		if (*p != ',')
			return NULL;
	}
	return NULL;
}

int brig_json_locate(const char *text, const char *path, int *line, int *col)
{
	const char *p = skip_space(text), *at = p, *c;

	while (*path && p) {
		size_t len = strcspn(path, ".[");

		if (len) {
			at = find_key(p, path, len);
			p = at ? skip_space(skip_string(at)) : NULL;
			if (p && *p++ != ':')
				p = NULL;
			path += len;
		} else if (*path == '[') {
			char *end;
			unsigned long n = strtoul(path + 1, &end, 10);

			if (*end != ']')
				return -1;
			at = p = find_index(p, n);
			path = end + 1;
		} else {
			path++;	/* '.' */
		}
	}
	if (!p || !at)
		return -1;
	*line = 1;
	*col = 1;
	for (c = text; c < at; c++) {
		if (*c == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
	}
	return 0;
}

/*
 * @text as one JSON value and blanks (as Go's json.Unmarshal takes); if
 * @strict, JSON only, none of what json-c otherwise takes too (single
 * quotes, comments).
 */
static int parse_text(char *text, const char *name, const char *value, bool strict,
		      struct json_object **out, struct brig_error **err)
{
	struct json_tokener *tok = json_tokener_new();
	enum json_tokener_error jerr;
	size_t end, i;
	int line = 1, col = 1;

	if (!tok)
		return brig_error_make(err, ENOMEM, "%s", name);
	if (strict)
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	*out = json_tokener_parse_ex(tok, text, strlen(text));
	jerr = json_tokener_get_error(tok);
	if (!*out && jerr == json_tokener_continue)
		jerr = json_tokener_error_parse_eof;
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (*out && jerr == json_tokener_success) {
		end += strspn(text + end, " \t\r\n");
		if (!text[end])
			return 0;
	}
	for (i = 0; i < end; i++, col++)
		if (text[i] == '\n')
			line++, col = 0;
	if (*out) {
		json_object_put(*out);
		*out = NULL;
		return brig_error_make(err, 0, "%s:%d:%d: invalid JSON: text after the %s",
				       name, line, col, value);
	}
	return brig_error_make(err, 0, "%s:%d:%d: invalid JSON: %s", name, line, col,
			       json_tokener_error_desc(jerr));
}

int brig_json_read_file(const char *path, const char *what, const char *value,
			struct json_object **out, char **text_out, struct brig_error **err)
{
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t len = 0;

	if (!f)
		return brig_error_make(err, errno, "opening %s `%s`", what, path);
	if (getdelim(&text, &len, '\0', f) < 0) {
		/* At the end of an empty file the buffer is allocated, not written. */
		free(text);
		text = NULL;
		if (ferror(f)) {
			fclose(f);
			return brig_error_make(err, errno, "reading `%s`", path);
		}
	}
	fclose(f);
	if (parse_text(text ? text : "", path, value, false, out, err)) {
		free(text);
		return -1;
	}
	*text_out = text ? text : strdup("");
	if (!*text_out) {
		json_object_put(*out);
		*out = NULL;
		return brig_error_make(err, ENOMEM, "%s", path);
	}
	return 0;
}

/* Whether the object whose first key is at @first names @name before it. */
static bool named_before(const char *first, const char *name, size_t len)
{
	const char *p = first;

	while (p < name && *p == '"') {
		const char *end = skip_string(p);

		if ((size_t)(end - p) == len && !memcmp(p, name, len))
			return true;
		p = skip_space(end);
		if (*p != ':')
			return false;
		p = skip_space(skip_value(p + 1));
		if (*p != ',')
			return false;
		p = skip_space(p + 1);
	}
	return false;
}

/*
 * Past the value at @p, or NULL if an object in it repeats a key or spells
 * one with an escape (which could spell a key twice).
 */
static const char *unique_keys(const char *p, unsigned int depth)
{
	const char *first;

	p = skip_space(p);
	if (depth > 64)
		return NULL;
	if (*p == '[') {
		for (p = skip_space(p + 1); *p && *p != ']'; p = skip_space(p + 1)) {
			p = unique_keys(p, depth + 1);
			if (!p || *(p = skip_space(p)) != ',')
				break;
		}
		return p && *p == ']' ? p + 1 : NULL;
	}
	if (*p != '{')
		return skip_value(p);
	first = p = skip_space(p + 1);
	for (; *p == '"'; p = skip_space(p + 1)) {
		const char *end = skip_string(p);

		if (memchr(p, '\\', end - p) || named_before(first, p, end - p))
			return NULL;
		p = skip_space(end);
		if (*p != ':')
			return NULL;
		p = unique_keys(p + 1, depth + 1);
		if (!p || *(p = skip_space(p)) != ',')
			break;
	}
	return p && *p == '}' ? p + 1 : NULL;
}

int brig_json_parse_signed(const void *data, size_t len, const char *name,
			   struct json_object **out, struct brig_error **err)
{
	char *text;

	if (memchr(data, '\0', len))
		return brig_error_make(err, 0, "%s: invalid JSON: a NUL byte", name);
	text = strndup(data, len);
	if (!text)
		return brig_error_make(err, ENOMEM, "%s", name);
	if (parse_text(text, name, "value", true, out, err)) {
		free(text);
		return -1;
	}
	if (!unique_keys(text, 0)) {
		free(text);
		json_object_put(*out);
		*out = NULL;
		return brig_error_make(err, 0, "%s: a key is repeated or escaped in an object: refused, "
				       "since two readers could take it for two documents", name);
	}
	free(text);
	return 0;
}
