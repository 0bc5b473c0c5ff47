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

int lb_getopt(int, char **, const struct lb_opts *);

#endif
