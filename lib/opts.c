/* The options every program has, answered in one place. */
#include <getopt.h>

#include "diag.h"
#include "opts.h"

/*
 * The next option, as getopt_long returns it.  -h and -V are answered
 * and an unknown option or a missing argument, which getopt_long has
 * named, is a usage error: none of the three comes back.
 */
int
lb_getopt(int argc, char **argv, const struct lb_opts *o)
{
	int ch = getopt_long(argc, argv, o->shortopts, o->longopts, NULL);

	switch (ch) {
	case 'h':
		lb_show(o->usage, o->help);
	case 'V':
		lb_show(o->version, NULL);
	case '?':
		lb_usage(o->usage);
	default:
		return ch;
	}
}
