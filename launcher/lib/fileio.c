// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: small files read whole (fileio.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "fileio.h"

int brig_read_file_max(const char *path, const char *what, size_t max, bool regular,
		       unsigned char **out, size_t *len, struct brig_error **err)
{
	int fd brig_cleanup_close = open(path, O_RDONLY | O_CLOEXEC | (regular ? O_NOFOLLOW : 0));

	if (fd < 0)
		return brig_error_make(err, errno, "opening %s `%s`%s", what, path,
				       errno == ELOOP && regular ? ": a symbolic link" : "");
	return brig_read_fd_max(fd, path, what, max, regular, out, len, err);
}

int brig_read_fd_max(int fd, const char *path, const char *what, size_t max, bool regular,
		     unsigned char **out, size_t *len, struct brig_error **err)
{
	unsigned char *buf brig_cleanup_free = NULL;
	struct stat st;
	size_t n = 0, cap;

	if (fstat(fd, &st))
		return brig_error_make(err, errno, "%s `%s`", what, path);
	if (regular && !S_ISREG(st.st_mode))
		return brig_error_make(err, EINVAL, "%s `%s`: not a regular file", what, path);
	/* Room for what stat says and one byte more: a file that grows is read on. */
	cap = S_ISREG(st.st_mode) && (size_t)st.st_size < max ? (size_t)st.st_size + 1 : 4096;
	while (n <= max) {
		ssize_t got;

		if (n == cap || !buf) {
			unsigned char *more;

			cap = buf ? (cap > max / 2 ? max + 1 : cap * 2) : cap;
			more = realloc(buf, cap + 1);
			if (!more)
				return brig_error_make(err, ENOMEM, "%s `%s`", what, path);
			buf = more;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return brig_error_make(err, errno, "reading %s `%s`", what, path);
		if (!got)
			break;
		n += got;
	}
	if (n > max)
		return brig_error_make(err, EFBIG, "%s `%s`: more than %zu bytes", what, path, max);
	buf[n] = '\0';
	*out = brig_steal(&buf);
	*len = n;
	return 0;
}
