// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: a JSON path to its line and column (json_locate.h). The text has
 * been parsed by json-c already, so it is valid JSON; this walks it.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

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
