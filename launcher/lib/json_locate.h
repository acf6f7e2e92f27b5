/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig: where a field is in JSON text, for errors that say
 * FILE:LINE:COL as a parser's do. json-c keeps no positions; this reads
 * the text again, along the path.
 */
#ifndef BRIG_JSON_LOCATE_H
#define BRIG_JSON_LOCATE_H

#include <stddef.h>

/*
 * The line and column (from 1) of @path in @text: "syscalls[2].action" is
 * the key "action" of the third element of the top-level key "syscalls";
 * a path ending in "[N]" is that element. Returns 0, or -1 if @text does
 * not hold it.
 */
int brig_json_locate(const char *text, const char *path, int *line, int *col);

struct json_object;
struct brig_error;

/*
 * Reads the file @path (a @what, for errors) as one JSON value, strictly
 * (a @value and blanks, nothing after it, as Go's json.Unmarshal takes):
 * *out, and its text in *text for brig_json_locate(). A syntax error names
 * the line and column. 0, or -1 with *err set.
 */
int brig_json_read_file(const char *path, const char *what, const char *value,
			struct json_object **out, char **text, struct brig_error **err);

/*
 * Parses @len bytes at @data (named @name in errors) as one JSON value, as
 * strictly as brig_json_read_file(), and refuses an object that repeats a
 * key or spells one with an escape: json-c would keep one of two values
 * where another reader keeps the other. For what is signed or hashed.
 * 0 with *out, or -1 with *err set.
 */
int brig_json_parse_signed(const void *data, size_t len, const char *name,
			   struct json_object **out, struct brig_error **err);

#endif /* BRIG_JSON_LOCATE_H */
