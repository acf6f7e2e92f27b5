/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig: a whole small file read into memory, with a bound.
 */
#ifndef BRIG_FILEIO_H
#define BRIG_FILEIO_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/*
 * The file @path (a @what, for errors), whole, if at most @max bytes: in
 * *@out (NUL-terminated past *@len, for text). With @regular, a symbolic
 * link or anything but a regular file is refused. 0, or -1 with *err set.
 */
int brig_read_file_max(const char *path, const char *what, size_t max, bool regular,
		       unsigned char **out, size_t *len, struct brig_error **err);
/* The same from the open file @fd (named @path in errors), which stays open. */
int brig_read_fd_max(int fd, const char *path, const char *what, size_t max, bool regular,
		     unsigned char **out, size_t *len, struct brig_error **err);

#endif /* BRIG_FILEIO_H */
