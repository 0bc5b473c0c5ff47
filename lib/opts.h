/* A program's command line: getopt_long(3) with -h and -V answered. */
#ifndef LB_OPTS_H
#define LB_OPTS_H

#include <getopt.h>

struct lb_opts {
	const char *usage; /* the synopsis: -h, and usage errors */
	const char *help; /* -h: what follows the synopsis */
	const char *version; /* -V: the line, with its newline */
	const char *shortopts;
	const struct option *longopts;
};

/* The end of every program's table: -h and -V, which lb_getopt answers. */
/* clang-format off */
#define LB_OPTS_END \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, 'V' }, \
	{ NULL, 0, NULL, 0 }
/* clang-format on */

int lb_getopt(int, char **, const struct lb_opts *);

#include <stddef.h>

#include "obuf.h"

/* Help columns: an option's text starts at LB_HELP_INDENT, lines end by
 * LB_HELP_WIDTH. */
#define LB_HELP_INDENT 24
#define LB_HELP_WIDTH 79

void lb_help_fill(struct obuf *, const char *, size_t *);

#endif
