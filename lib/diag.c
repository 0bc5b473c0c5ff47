/* Diagnostics in the err(3) manner, and allocation that cannot fail. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "progress.h"

const char *lb_progname = "logbook";

void
lb_setprogname(const char *argv0)
{
	const char *s;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	s = strrchr(argv0, '/');
	lb_progname = s != NULL ? s + 1 : argv0;
}

static void
vwarn(int errnum, const char *fmt, va_list ap)
{
	pg_clear(); /* a progress line would garble the message */
	fprintf(stderr, "%s: ", lb_progname);
	if (fmt != NULL)
		vfprintf(stderr, fmt, ap);
	if (errnum >= 0)
		fprintf(
		    stderr, "%s%s", fmt != NULL ? ": " : "", strerror(errnum));
	fputc('\n', stderr);
}

void
lb_warn(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	vwarn(e, fmt, ap);
	va_end(ap);
}

void
lb_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(-1, fmt, ap);
	va_end(ap);
}

/* lb_warn with the reason given: an error kept from earlier, not errno. */
void
lb_warnc(int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(errnum, fmt, ap);
	va_end(ap);
}

void
lb_err(int code, const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	vwarn(e, fmt, ap);
	va_end(ap);
	exit(code);
}

void
lb_errx(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(-1, fmt, ap);
	va_end(ap);
	exit(code);
}

/*
 * Log data reaches messages (file names, reject reasons): write it with
 * control bytes, backslashes and non-ASCII as \xHH so a terminal never
 * interprets what a stranger sent.  One byte of s at o, which has room
 * for 4; returns the end.
 */
static char *
esc_byte(char *o, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	if (c >= 0x20 && c < 0x7f && c != '\\') {
		*o++ = (char)c;
		return o;
	}
	*o++ = '\\';
	if (c == '\\') {
		*o++ = '\\';
		return o;
	}
	*o++ = 'x';
	*o++ = hex[c >> 4];
	*o++ = hex[c & 15];
	return o;
}

/* All n bytes of s escaped at dst, which has room for 4n; the length. */
size_t
lb_escbuf(char *dst, const char *s, size_t n)
{
	char *o = dst;
	size_t i;

	for (i = 0; i < n; i++)
		o = esc_byte(o, (unsigned char)s[i]);
	return (size_t)(o - dst);
}

/* At most max bytes of s, escaped, to fp; "..." when there were more. */
void
lb_fputesc(FILE *fp, const char *s, size_t n, size_t max)
{
	size_t i, k, lim = n < max ? n : max;
	char b[4];

	for (i = 0; i < lim; i++) {
		k = (size_t)(esc_byte(b, (unsigned char)s[i]) - b);
		fwrite(b, 1, k, fp);
	}
	if (lim < n)
		fputs("...", fp);
}

/* lb_fputesc into a buffer of the thread's, for use inside one message. */
const char *
lb_esc(const char *s, size_t n)
{
	static _Thread_local char buf[1024];
	FILE *fp;

	fp = fmemopen(buf, sizeof(buf), "w");
	if (fp == NULL)
		return "?";
	lb_fputesc(fp, s, n, LB_ESC_MAX);
	fclose(fp);
	return buf;
}

/* lb_esc for a C string: names and arguments, which carry no NUL. */
const char *
lb_escs(const char *s)
{
	return lb_esc(s, strlen(s));
}

/* A usage error: the usage text to stderr, exit 2. */
void
lb_usage(const char *text)
{
	fputs(text, stderr);
	exit(EX_USAGE_);
}

/* -h and -V: text (and more, if not NULL) to stdout, exit 0 if written. */
void
lb_show(const char *text, const char *more)
{
	fputs(text, stdout);
	if (more != NULL)
		fputs(more, stdout);
	exit(ferror(stdout) || fflush(stdout) ? EX_FAIL : 0);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n != 0 ? n : 1);

	if (p == NULL)
		lb_err(EX_FAIL, "malloc");
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n != 0 ? n : 1, sz != 0 ? sz : 1);

	if (p == NULL)
		lb_err(EX_FAIL, "calloc");
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n != 0 ? n : 1);
	if (p == NULL)
		lb_err(EX_FAIL, "realloc");
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t sz)
{
	if (sz != 0 && n > SIZE_MAX / sz) {
		errno = ENOMEM;
		lb_err(EX_FAIL, "reallocarray");
	}
	return xrealloc(p, n * sz);
}

char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}
