/* Messages that name an archive and carry its bytes, escaped. */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "restore.h"

/* "logbook-restore: PATH: WHAT: DETAIL", both escaped (lb_esc has one
 * buffer, so one message cannot use it twice). */
void
warn_archive(const char *path, const char *what, const char *detail)
{
	fprintf(stderr, "%s: ", lb_progname);
	lb_fputesc(stderr, path, strlen(path), 200);
	fprintf(stderr, ": %s: ", what);
	lb_fputesc(stderr, detail, strlen(detail), 400);
	fputc('\n', stderr);
}

/* An archive that failed a check of lib/verify.h. */
void
warn_refused(const char *path, const char *check, const char *detail)
{
	char what[80];

	snprintf(what, sizeof(what), "refused: %s",
	    check != NULL ? check : "unreadable");
	warn_archive(path, what, detail);
}
