/* Rows of the events table as values, their hashes and digests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbrow.h"
#include "diag.h"
#include "jmember.h"
#include "json.h"

static const char *const names[DBROW_NCOL] = { "id", "ts", "tz", "ip", "ident",
	"user", "method", "path", "query", "proto", "req", "status", "bytes",
	"referer", "ua", "rt", "host", "src", "fmt", "x", "cr", "raw64" };

const char *
dbrow_name(int col)
{
	return col >= 0 && col < DBROW_NCOL ? names[col] : "?";
}

static void
text(struct dbval *v, const struct span *s)
{
	if (s->p == NULL) {
		v->type = DBV_NULL;
		return;
	}
	v->type = DBV_TEXT;
	v->p = s->n > 0 ? s->p : "";
	v->n = s->n;
}

static void
integer(struct dbval *v, int64_t x, int null)
{
	v->type = null ? DBV_NULL : DBV_INT;
	v->i = x;
}

/* A JSON number's text as the REAL the database stores. */
static void
real(struct dbrow *row, struct dbval *v, const struct span *s)
{
	char *b = row->num;

	if (s->p == NULL) {
		v->type = DBV_NULL;
		return;
	}
	if (s->n >= sizeof(row->num))
		b = xmalloc(s->n + 1);
	memcpy(b, s->p, s->n);
	b[s->n] = '\0';
	v->type = DBV_REAL;
	v->d = strtod(b, NULL);
	if (b != row->num)
		free(b);
}

/* The values logbook-restore stores for an event read from line. */
void
dbrow_event(
    struct dbrow *row, const struct event *ev, const char *line, size_t n)
{
	const struct rec *r = &ev->r;
	const struct span *t[] = { &ev->id, &ev->ts, &r->tz, &r->ip, &r->ident,
		&r->user, &r->method, &r->path, &r->query, &r->proto, &r->req };
	struct span x = { NULL, 0 };
	struct jval v;
	size_t i;

	memset(row->v, 0, sizeof(row->v));
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		text(&row->v[i], t[i]);
	integer(&row->v[11], ev->status, ev->status < 0);
	integer(&row->v[12], ev->bytes, ev->bytes < 0);
	text(&row->v[13], &r->referer);
	text(&row->v[14], &r->ua);
	real(row, &row->v[15], &r->rt);
	text(&row->v[16], &r->host);
	text(&row->v[17], &ev->src);
	text(&row->v[18], &ev->fmt);
	/* The x object as the event line wrote it: JSON text. */
	if (ev->nx > 0 && json_member(line, n, "x", &v) == 1 &&
	    v.type == J_OBJ) {
		x.p = v.p;
		x.n = v.n;
	}
	text(&row->v[19], &x);
	integer(&row->v[20], ev->cr, 0);
	text(&row->v[21], &ev->raw64);
}

/* The row the statement stands on, columns 0 to 21. */
void
dbrow_stmt(struct dbrow *row, sqlite3_stmt *st)
{
	struct dbval *v;
	int i;

	for (i = 0; i < DBROW_NCOL; i++) {
		v = &row->v[i];
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
			integer(v, sqlite3_column_int64(st, i), 0);
			break;
		case SQLITE_FLOAT:
			v->type = DBV_REAL;
			v->d = sqlite3_column_double(st, i);
			break;
		case SQLITE_NULL:
			v->type = DBV_NULL;
			break;
		default:
			v->type = sqlite3_column_type(st, i) == SQLITE_BLOB
			    ? DBV_BLOB
			    : DBV_TEXT;
			v->p = (const char *)sqlite3_column_text(st, i);
			v->n = (size_t)sqlite3_column_bytes(st, i);
			if (v->p == NULL)
				v->p = "";
		}
	}
}

/* Parameters 1 to 22; texts must live until the statement is stepped. */
int
dbrow_bind(const struct dbrow *row, sqlite3_stmt *st)
{
	const struct dbval *v;
	int i, rc = SQLITE_OK;

	for (i = 0; i < DBROW_NCOL && rc == SQLITE_OK; i++) {
		v = &row->v[i];
		if (v->type == DBV_INT)
			rc = sqlite3_bind_int64(st, i + 1, v->i);
		else if (v->type == DBV_REAL)
			rc = sqlite3_bind_double(st, i + 1, v->d);
		else if (v->type == DBV_TEXT)
			rc = sqlite3_bind_text(
			    st, i + 1, v->p, (int)v->n, SQLITE_STATIC);
		else
			rc = sqlite3_bind_null(st, i + 1);
	}
	return rc;
}

static void
be64(unsigned char *b, uint64_t x)
{
	int i;

	for (i = 7; i >= 0; i--, x >>= 8)
		b[i] = (unsigned char)x;
}

/* The row's bytes as dbrow.h gives them, into b (room for n); length. */
static size_t
encode(const struct dbrow *row, unsigned char *b)
{
	uint64_t bits;
	size_t k = 0;
	int i;

	for (i = 0; i < DBROW_NCOL; i++) {
		const struct dbval *v = &row->v[i];
		switch (v->type) {
		case DBV_INT:
			b[k] = 'I';
			be64(b + k + 1, (uint64_t)v->i);
			k += 9;
			break;
		case DBV_REAL:
			b[k] = 'R';
			memcpy(&bits, &v->d, sizeof(bits));
			be64(b + k + 1, bits);
			k += 9;
			break;
		case DBV_TEXT:
		case DBV_BLOB:
			b[k] = v->type == DBV_TEXT ? 'T' : 'B';
			b[k + 1] = (unsigned char)(v->n >> 24);
			b[k + 2] = (unsigned char)(v->n >> 16);
			b[k + 3] = (unsigned char)(v->n >> 8);
			b[k + 4] = (unsigned char)v->n;
			memcpy(b + k + 5, v->p, v->n);
			k += 5 + v->n;
			break;
		default:
			b[k++] = 'N';
		}
	}
	return k;
}

/* Hashed in one piece: most rows fit the buffer on the stack. */
void
dbrow_hash(const struct dbrow *row, unsigned char h[SHA256_LEN])
{
	unsigned char stack[2048], *b = stack;
	struct sha256 c;
	size_t need = 0, n;
	int i;

	for (i = 0; i < DBROW_NCOL; i++)
		need += 9 + (row->v[i].type >= DBV_TEXT ? row->v[i].n : 0);
	if (need > sizeof(stack))
		b = xmalloc(need);
	n = encode(row, b);
	sha256_init(&c);
	sha256_update(&c, b, n);
	sha256_final(&c, h);
	if (b != stack)
		free(b);
}

static int
same(const struct dbval *a, const struct dbval *b)
{
	uint64_t x, y;

	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case DBV_INT:
		return a->i == b->i;
	case DBV_REAL:
		/* The bits, as the hash has them: -0 is not 0 there. */
		memcpy(&x, &a->d, sizeof(x));
		memcpy(&y, &b->d, sizeof(y));
		return x == y;
	case DBV_TEXT:
	case DBV_BLOB:
		return a->n == b->n && memcmp(a->p, b->p, a->n) == 0;
	default:
		return 1;
	}
}

/* The first column in which the rows differ; -1 when none does. */
int
dbrow_diff(const struct dbrow *a, const struct dbrow *b)
{
	int i;

	for (i = 0; i < DBROW_NCOL; i++)
		if (!same(&a->v[i], &b->v[i]))
			return i;
	return -1;
}

/* A value as a message shows it: null, a number, or an escaped text. */
void
dbrow_show(const struct dbval *v, char *buf, size_t size)
{
	switch (v->type) {
	case DBV_INT:
		snprintf(buf, size, "%lld", (long long)v->i);
		break;
	case DBV_REAL:
		snprintf(buf, size, "%.17g", v->d);
		break;
	case DBV_TEXT:
		snprintf(buf, size, "\"%s\"", lb_esc(v->p, v->n));
		break;
	case DBV_BLOB:
		snprintf(buf, size, "a BLOB \"%s\"", lb_esc(v->p, v->n));
		break;
	default:
		snprintf(buf, size, "null");
	}
}

void
digest_add(struct digest *d, const unsigned char h[SHA256_LEN])
{
	unsigned carry = 0;
	int i;

	for (i = SHA256_LEN - 1; i >= 0; i--) {
		carry += (unsigned)d->sum[i] + h[i];
		d->sum[i] = (unsigned char)carry;
		carry >>= 8;
	}
	d->rows++;
}

void
digest_hex(char out[SHA256_HEXLEN + 1], const struct digest *d)
{
	sha256_hex(out, d->sum);
}
