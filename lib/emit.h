/*
 * Events back to text, for logbook-restore --emit: each event line as
 * the log line it was read from (original), in one named log format,
 * as NDJSON, or as CSV with the columns of the restore database.
 *
 * Use:
 *	struct emit *e = emit_new("combined", &ob);	NULL: no such output
 *	emit_csv_safe(e);			optional, for csv
 *	emit_line(e, line, n, &why) ...		-1: not an event
 *	emit_free(e);
 *
 * Output goes to the obuf, which latches write errors; the caller
 * flushes and checks.
 */
#ifndef LB_EMIT_H
#define LB_EMIT_H

#include <stddef.h>

#include "obuf.h"

struct emit;

struct emit *emit_new(const char *, struct obuf *);
void emit_csv_safe(struct emit *);
int emit_line(struct emit *, const char *, size_t, const char **);
void emit_free(struct emit *);
void emit_names(struct obuf *);

#endif
