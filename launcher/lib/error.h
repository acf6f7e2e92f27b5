/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig errors: made where the failing call is, with errno and the object
 * named, then wrapped with context on the way up (as crun does), and printed
 * once by main().
 */
#ifndef BRIG_ERROR_H
#define BRIG_ERROR_H

#include <stdio.h>

struct brig_error {
	int errnum;	/* errno of the failing call, 0 if none */
	int exit_code;	/* what the command exits with; 125 by default */
	char *msg;
};

/* docker run's exit codes, which brig's tools follow. */
enum {
	BRIG_EXIT_FAILURE = 125,	/* the tool itself failed */
	BRIG_EXIT_CANNOT_RUN = 126,
	BRIG_EXIT_NOT_FOUND = 127,
};

/* Returns -1 so that callers can `return brig_error_make(...)`. */
int brig_error_make(struct brig_error **err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prefixes "context: " to an existing error; returns -1. */
int brig_error_wrap(struct brig_error **err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints "prog: message: strerror" and returns the exit code; frees *err. */
int brig_error_report(FILE *out, const char *prog, struct brig_error **err);
void brig_error_free(struct brig_error **err);

#endif /* BRIG_ERROR_H */
