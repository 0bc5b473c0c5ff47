/*
 * Test tool: NDJSON events on stdin, the log lines they were read from on
 * stdout.  It lets the tests check the event-to-line formatter of lib/
 * on every accepted line of a corpus.
 */
#include <stdio.h>
#include <unistd.h>

#include "diag.h"
#include "event.h"
#include "lineread.h"

int
main(int argc, char **argv)
{
	struct lreader lr;
	struct event ev;
	struct obuf ob;
	struct line l;
	const char *why;
	int rc;

	lb_setprogname(argv[0]);
	if (lr_open(&lr, argc > 1 ? argv[1] : "-") < 0)
		lb_err(EX_FAIL, "open");
	event_init(&ev);
	ob_init(&ob, STDOUT_FILENO);
	while ((rc = lr_next(&lr, &l)) > 0) {
		if (event_read(&ev, l.p, l.n, &why) < 0 ||
		    event_line(&ob, &ev, &why) < 0)
			lb_errx(EX_BADDATA, "line %llu: %s",
			    (unsigned long long)lr.lineno, why);
		ob_putc(&ob, '\n');
	}
	if (rc < 0)
		lb_errx(EX_FAIL, "read error");
	if (ob_flush(&ob) < 0)
		lb_err(EX_FAIL, "stdout");
	ob_free(&ob);
	event_free(&ev);
	lr_close(&lr);
	return 0;
}
