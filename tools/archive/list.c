/*
 * --list: the archives of the archive folder where this program puts
 * them, DIR/YYYY/MM/ of their own month, one path a line, oldest first:
 * the daily ones, or with --hourly the monthly aggregates.  It is the
 * list the jobs' shell loops read (lb_archives in lib/logbook.sh).
 *
 * A path is DIR as given, then "/YYYY/MM/" and a valid archive's name:
 * nothing below DIR holds a newline, a blank or a wildcard, and a DIR
 * whose own name holds a newline is refused, so that a line is always
 * one whole path.
 */
#include <string.h>
#include <unistd.h>

#include "arc.h"
#include "diag.h"
#include "walk.h"

/*
 * Only folders named as years and months are entered, and links are
 * neither followed nor listed: what is not in its place is not an
 * archive of the folder.  A folder that cannot be read is an error, not
 * an empty one.
 */
static const struct walk_policy laid_out = { WALK_DAILY, WALK_NOLINKS, 1, 2,
	WALK_EREAD | WALK_ESTAT, WALK_BYPATH };

int
list_archives(struct run *r)
{
	struct walk_policy pol = laid_out;
	struct walk_list l = { NULL, 0, 0 };
	int bad = 0;
	size_t i;

	if (strchr(r->dir, '\n') != NULL) {
		lb_warnx("%s: a newline in the folder's name: not listed",
		    lb_escs(r->dir));
		return EX_FAIL;
	}
	if (r->hourly)
		pol.kinds = WALK_MONTHLY;
	bad = walk_dir(r->dir, &pol, &l) > 0;
	ob_init(&r->out, STDOUT_FILENO);
	for (i = 0; i < l.n; i++) {
		ob_write(&r->out, l.v[i].path, strlen(l.v[i].path));
		ob_putc(&r->out, '\n');
	}
	walk_free(&l);
	if (ob_shut(&r->out) < 0)
		bad = 1;
	ob_free(&r->out);
	return bad ? EX_FAIL : 0;
}
