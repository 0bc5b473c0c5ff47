/* A minimal TAP-like harness for the unit tests: one line per check. */
#ifndef TAP_H
#define TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_failed;

static void tap_ok(int, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	fputs(cond ? "ok - " : "not ok - ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	tap_failed |= !cond;
}

/* Compare n bytes with a C string; show both when they differ. */
static void
tap_mem(const char *got, size_t n, const char *want, const char *name)
{
	int same = strlen(want) == n && memcmp(got, want, n) == 0;

	tap_ok(same, "%s", name);
	if (!same)
		printf("#   got  [%.*s]\n#   want [%s]\n", (int)n, got, want);
}

static int
tap_done(void)
{
	return fflush(stdout) != 0 ? 1 : 0;
}

#endif
