/*
 * The archive layout of logbook-archive(1), shared with logbook-verify
 * and logbook-restore: one gzip-compressed tar per UTC date of the
 * events' ts, at DIR/YYYY/MM/logbook-YYYY-MM-DD.tar.gz, holding the
 * members MANIFEST, events.ndjson and hourly.ndjson in that order
 * (lib/manifest.h, lib/verify.h).
 *
 * Events are sorted by id.  An id (logbook-events(5)) is
 * YYYYMMDDTHHMMSS-hhhhhhhhhhhhhhhh; packed into two integers it sorts
 * and compares as the text does, in 16 bytes.
 */
#ifndef LB_ARCHFMT_H
#define LB_ARCHFMT_H

#include <stddef.h>
#include <stdint.h>

#define ARCH_MANIFEST "MANIFEST"
#define ARCH_EVENTS "events.ndjson"
#define ARCH_HOURLY "hourly.ndjson"
#define ARCH_NMEMBERS 3
#define ARCH_MODE 0640 /* of the members inside the tar */

#define ARCH_DATELEN 10 /* YYYY-MM-DD */
#define ARCH_RELLEN 33 /* YYYY/MM/logbook-YYYY-MM-DD.tar.gz */
#define ARCH_BASELEN 25 /* logbook-YYYY-MM-DD.tar.gz */

struct idkey {
	uint64_t t; /* YYYYMMDDHHMMSS as a decimal number */
	uint64_t h; /* the 16 hex digits */
};

int64_t arch_day(int64_t);
int arch_day_ok(int64_t);
int arch_date(char[ARCH_DATELEN + 1], int64_t);
int arch_parse_date(const char *, size_t, int64_t *);
int arch_relpath(char[ARCH_RELLEN + 1], int64_t);
int arch_parse_base(const char *, size_t, int64_t *);
int arch_idkey(const char *, size_t, struct idkey *);
int arch_idcmp(const struct idkey *, const struct idkey *);
int arch_u64(const char *, size_t, uint64_t *);

#endif
