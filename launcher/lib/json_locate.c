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

int brig_json_read_file(const char *path, const char *what, const char *value,
			struct json_object **out, char **text_out, struct brig_error **err)
{
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t len = 0, end, i;
	int line = 1, col = 1;

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
	tok = json_tokener_new();
	if (!tok) {
		free(text);
		return brig_error_make(err, ENOMEM, "%s", path);
	}
	*out = json_tokener_parse_ex(tok, text ? text : "", text ? strlen(text) : 0);
	jerr = json_tokener_get_error(tok);
	if (!*out && jerr == json_tokener_continue)
		jerr = json_tokener_error_parse_eof;
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	/* One value and blanks, as Docker's json.Unmarshal takes: nothing after it. */
	if (*out && jerr == json_tokener_success) {
		end += strspn(text + end, " \t\r\n");
		if (!text[end]) {
			*text_out = text;
			return 0;
		}
	}
	for (i = 0; text && i < end; i++, col++)
		if (text[i] == '\n')
			line++, col = 0;
	free(text);
	if (*out) {
		json_object_put(*out);
		*out = NULL;
		return brig_error_make(err, 0, "%s:%d:%d: invalid JSON: text after the %s",
				       path, line, col, value);
	}
	return brig_error_make(err, 0, "%s:%d:%d: invalid JSON: %s", path, line, col,
			       json_tokener_error_desc(jerr));
}
