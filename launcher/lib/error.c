// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

static char *vformat(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

int brig_error_make(struct brig_error **err, int errnum, const char *fmt, ...)
{
	struct brig_error *e;
	va_list ap;

	if (!err)
		return -1;
	/* Keep the first error: it is the cause, later ones are fallout. */
	if (*err)
		return -1;
	e = calloc(1, sizeof(*e));
	if (!e)
		abort();
	va_start(ap, fmt);
	e->msg = vformat(fmt, ap);
	va_end(ap);
	if (!e->msg)
		abort();
	e->errnum = errnum;
	e->exit_code = BRIG_EXIT_FAILURE;
	*err = e;
	return -1;
}

int brig_error_wrap(struct brig_error **err, const char *fmt, ...)
{
	char *ctx, *msg;
	va_list ap;

	if (!err || !*err)
		return -1;
	va_start(ap, fmt);
	ctx = vformat(fmt, ap);
	va_end(ap);
	if (!ctx || asprintf(&msg, "%s: %s", ctx, (*err)->msg) < 0)
		abort();
	free(ctx);
	free((*err)->msg);
	(*err)->msg = msg;
	return -1;
}

int brig_error_report(FILE *out, const char *prog, struct brig_error **err)
{
	int code;

	if (!err || !*err)
		return 0;
	if ((*err)->errnum)
		fprintf(out, "%s: %s: %s\n", prog, (*err)->msg,
			strerror((*err)->errnum));
	else
		fprintf(out, "%s: %s\n", prog, (*err)->msg);
	code = (*err)->exit_code;
	brig_error_free(err);
	return code;
}

void brig_error_free(struct brig_error **err)
{
	if (!err || !*err)
		return;
	free((*err)->msg);
	free(*err);
	*err = NULL;
}
