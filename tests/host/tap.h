/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal TAP for the host's C tests. */
#ifndef BRIG_TESTS_TAP_H
#define BRIG_TESTS_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int tap_n, tap_failed;

static void ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One test line: "ok N - ..." or "not ok N - ...". */
static void ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	tap_failed += !cond;
}

/* The plan, last; the exit status for main(). */
static int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* BRIG_TESTS_TAP_H */
