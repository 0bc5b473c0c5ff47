/*
 * Checking one archive of logbook-archive(1), reading it once: the
 * checks of logbook-verify(1), and of logbook-restore before it loads
 * anything.  The checks, by the names reports give them:
 *
 *	read		the file cannot be opened or read
 *	gzip		not gzip, or damaged: a checksum, a length, a header,
 *			the end missing, bytes after the end
 *	tar		not a tar, damaged, or an entry that is not a file,
 *			or bytes other than zeros after its end; a member
 *			whose size runs past the end fails here even when
 *			its lines failed first
 *	members		not exactly MANIFEST, events.ndjson, hourly.ndjson in
 *			that order
 *	manifest	the manifest is not one (lib/manifest.h), or its
 *			first, last or sources differ from the events'
 *	sha256		a member's SHA-256 differs from the manifest's
 *	digest		a source's events do not give the manifest's digest
 *	count		events.ndjson's lines or hourly.ndjson's rows differ
 *			from the manifest's counts
 *	event		a line of events.ndjson is not a valid event with an
 *			id of the logbook-events(5) form, or one that
 *			event_line cannot give back (event_givable)
 *	date		an event's ts is not on the manifest's date
 *	order		an id is smaller than the one before it
 *	duplicate	an id equals the one before it
 *	hourly		a row of hourly.ndjson has no single requests count
 *			or hour of the manifest's date, or the counts do
 *			not add up to the events
 *	name		the file is named logbook-YYYY-MM-DD.tar.gz with
 *			another date than the manifest's
 *	caller		a callback below returned -1
 *
 * Reading stops at the first failure (after the rest of its member, so
 * that a damaged tar is named as the cause): result->check names it and
 * result->detail says what and where (member:line for lines), as text
 * that may contain bytes of the archive (escape it for a terminal).
 *
 * Handing the content over: the callbacks, when set, get the manifest
 * once it is read, then every event line that passed its own checks
 * (without the newline, with the event it parses to), then every row of
 * hourly.ndjson, as they are read.  The checks that need the whole
 * member (checksums, counts) come after: the archive is good only when
 * verify_archive returns 0, so load into a transaction and commit only
 * then.
 *
 * Use:
 *	struct verify_opts o = { .threads = 2, .event = load, .arg = db };
 *	struct verify_result res;
 *	if (verify_archive(path, &o, &res) == 0)
 *		commit, res.manifest has the counts, res.sha256 the file's
 *		digest;
 *	else
 *		roll back, report res.check and res.detail;
 *	verify_free(&res);
 *
 * Memory is bounded by the longest line, not the archive's size.
 */
#ifndef LB_VERIFY_H
#define LB_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "dbdigest.h"
#include "event.h"
#include "manifest.h"
#include "sha256.h"

struct verify_opts {
	int threads; /* inflating ahead; 0: none */
	int (*manifest)(void *, const struct manifest *);
	int (*event)(void *, const char *, size_t, const struct event *);
	int (*hourly)(void *, const char *, size_t);
	void *arg;
};

struct verify_result {
	const char *check; /* the failed check; NULL: all passed */
	char detail[512];
	int have_manifest; /* manifest below was read */
	struct manifest manifest;
	uint64_t events; /* event lines read */
	uint64_t size; /* of the file */
	char sha256[SHA256_HEXLEN + 1]; /* of the file, when all passed */
	int monthly; /* a monthly aggregate archive (lib/monthly.h) */
	char month[8]; /* its YYYY-MM, when its manifest was read */
	struct srcsums sums; /* the events' digests, per source */
};

int verify_archive(
    const char *, const struct verify_opts *, struct verify_result *);
void verify_free(struct verify_result *);

#endif
