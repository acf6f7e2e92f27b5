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

/* @n tests that cannot run here, and why. */
static void __attribute__((unused)) skip(int n, const char *why)
{
	while (n-- > 0)
		printf("ok %d # SKIP %s\n", ++tap_n, why);
}

/* A comment line, for what a failure needs said. */
static void __attribute__((unused, format(printf, 1, 2))) diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* The plan, last; the exit status for main(). */
static int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* BRIG_TESTS_TAP_H */
