/* The options every program has, answered in one place. */
#include <getopt.h>
#include <string.h>

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

/*
 * The words of s added to ob from column *col, a line filled to
 * LB_HELP_WIDTH and the next begun under LB_HELP_INDENT: for help texts
 * with lists made from a table (format names).
 */
void
lb_help_fill(struct obuf *ob, const char *s, size_t *col)
{
	size_t n;

	for (; *s != '\0'; s += n) {
		s += strspn(s, " ");
		if ((n = strcspn(s, " ")) == 0)
			continue;
		if (*col > LB_HELP_INDENT && *col + 1 + n > LB_HELP_WIDTH) {
			ob_putc(ob, '\n');
			memset(ob_reserve(ob, LB_HELP_INDENT), ' ',
			    LB_HELP_INDENT);
			ob->len += LB_HELP_INDENT;
			*col = LB_HELP_INDENT;
		} else if (*col > LB_HELP_INDENT) {
			ob_putc(ob, ' ');
			(*col)++;
		}
		ob_write(ob, s, n);
		*col += n;
	}
}
