/* Diagnostics in the err(3) manner, and allocation that cannot fail. */
#ifndef LB_DIAG_H
#define LB_DIAG_H

#include <stddef.h>
#include <stdio.h>

#define EX_OK_ 0
#define EX_FAIL 1
#define EX_USAGE_ 2
#define EX_BADDATA 65
#define EX_TEMPFAIL_ 75 /* busy: try again later, as sysexits(3) */

extern const char *lb_progname;

/* The bytes of a text lb_esc shows; "..." stands for the rest. */
#define LB_ESC_MAX 200

void lb_setprogname(const char *);
void lb_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void lb_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void lb_warnc(int, const char *, ...) __attribute__((format(printf, 2, 3)));
_Noreturn void lb_err(int, const char *, ...)
    __attribute__((format(printf, 2, 3)));
_Noreturn void lb_errx(int, const char *, ...)
    __attribute__((format(printf, 2, 3)));
_Noreturn void lb_usage(const char *);
_Noreturn void lb_show(const char *, const char *);
void lb_fputesc(FILE *, const char *, size_t, size_t);
const char *lb_esc(const char *, size_t);
const char *lb_escs(const char *);

/* The plural ending of a count's noun: "1 line", "2 lines". */
static inline const char *
lb_s(unsigned long long n)
{
	return n == 1 ? "" : "s";
}
size_t lb_escbuf(char *, const char *, size_t);

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);

#endif
