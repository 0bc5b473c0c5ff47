/*
 * One row of the events table as values, made from an event or read
 * back from the database, and its hash: what the database's digests are
 * sums of (logbook-restore(1), DIGESTS).
 *
 * A row's hash is the SHA-256 of its 22 columns in schema order, each as
 * 'N' for NULL, 'I' and 8 bytes big-endian for an INTEGER, 'R' and the
 * 8 bytes of the IEEE 754 double big-endian for a REAL, 'T', 4 bytes of
 * length big-endian and the bytes for a TEXT ('B' for a BLOB, which
 * logbook-restore never writes).  A digest is the sum of
 * the hashes of a set of rows, as 256-bit big-endian numbers modulo
 * 2^256: the same whatever the order, and kept up as rows are added.
 */
#ifndef LB_DBROW_H
#define LB_DBROW_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "sha256.h"

#define DBROW_NCOL 22
#define DBROW_SRC 17 /* the src column, 0-based */

enum { DBV_NULL, DBV_INT, DBV_REAL, DBV_TEXT, DBV_BLOB };

struct dbval {
	int type;
	int64_t i;
	double d;
	const char *p; /* DBV_TEXT: n bytes, not NUL-terminated */
	size_t n;
};

struct dbrow {
	struct dbval v[DBROW_NCOL];
	char num[64]; /* rt's text, NUL-terminated for strtod */
};

struct digest {
	unsigned char sum[SHA256_LEN];
	uint64_t rows;
};

void dbrow_event(struct dbrow *, const struct event *, const char *, size_t);
void dbrow_stmt(struct dbrow *, sqlite3_stmt *);
int dbrow_bind(const struct dbrow *, sqlite3_stmt *);
void dbrow_hash(const struct dbrow *, unsigned char[SHA256_LEN]);
int dbrow_diff(const struct dbrow *, const struct dbrow *);
const char *dbrow_name(int);
void dbrow_show(const struct dbval *, char *, size_t);
void digest_add(struct digest *, const unsigned char[SHA256_LEN]);
void digest_hex(char[SHA256_HEXLEN + 1], const struct digest *);

#endif
