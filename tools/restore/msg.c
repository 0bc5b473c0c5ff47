/*
 * Messages that name a file and carry bytes of an archive, each escaped
 * (lb_esc has one buffer, so one message cannot use it twice).
 */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "progress.h"
#include "restore.h"

/* "logbook-restore: PATH: MSG MORE" */
void
warn_file(const char *path, const char *msg, const char *more)
{
	pg_clear();
	fprintf(stderr, "%s: ", lb_progname);
	lb_fputesc(stderr, path, strlen(path), 200);
	fputs(": ", stderr);
	lb_fputesc(stderr, msg, strlen(msg), 400);
	lb_fputesc(stderr, more, strlen(more), 400);
	fputc('\n', stderr);
}

/* An archive that failed a check of lib/verify.h. */
void
warn_refused(const char *path, const char *check, const char *detail)
{
	char what[80];

	snprintf(what, sizeof(what),
	    "refused: %s: ", check != NULL ? check : "unreadable");
	warn_file(path, what, detail);
}
