/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig: where a field is in JSON text, for errors that say
 * FILE:LINE:COL as a parser's do. json-c keeps no positions; this reads
 * the text again, along the path.
 */
#ifndef BRIG_JSON_LOCATE_H
#define BRIG_JSON_LOCATE_H

/*
 * The line and column (from 1) of @path in @text: "syscalls[2].action" is
 * the key "action" of the third element of the top-level key "syscalls";
 * a path ending in "[N]" is that element. Returns 0, or -1 if @text does
 * not hold it.
 */
int brig_json_locate(const char *text, const char *path, int *line, int *col);

#endif /* BRIG_JSON_LOCATE_H */
