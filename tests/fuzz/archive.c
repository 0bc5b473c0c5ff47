/*
 * libFuzzer target: whole archives read as logbook-verify reads them
 * (lib/verify.c, lib/archread.c, lib/monthly.c) and as logbook-restore
 * loads them (the same verify_archive with its callbacks, into a
 * database in memory, and --emit original), the input as the file.
 *
 *	- verify_archive gives the same verdict inflating in threads or not;
 *	- no file is both a good daily and a good monthly archive;
 *	- what verify passes, restore loads: the manifest's date is one,
 *	  every event and hourly row goes into the database, the commit
 *	  holds every event, and every event can be emitted as its line.
 *
 * The custom mutator gets inside the gzip stream: it inflates every
 * member, and either mutates the tar as bytes, or mutates one tar
 * member's content and builds the tar again with good headers, mostly
 * also putting the new checksums and counts into the MANIFEST, so that
 * mutated archives can pass verify and reach the restore side.  Then it
 * deflates again.  A third of the time it mutates the file's bytes.
 * archive_tar.c is the same target taking the tar, not gzipped.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "archfmt.h"
#include "db.h"
#include "emit.h"
#include "fuzz.h"
#include "monthly.h"
#include "sha256.h"
#include "verify.h"

#ifndef ARCHIVE_TAR
#define ARCHIVE_TAR 0
#endif

size_t LLVMFuzzerMutate(uint8_t *, size_t, size_t);
size_t LLVMFuzzerCustomMutator(uint8_t *, size_t, size_t, unsigned int);

struct rctx {
	struct db *db;
	struct emit *em;
	struct obuf out;
	uint64_t events, hourly;
};

static int
on_manifest(void *arg, const struct manifest *m)
{
	struct rctx *c = arg;
	struct db_archive a;

	memset(&a, 0, sizeof(a));
	FUZZ_ASSERT(arch_date(a.date, m->day) == 0);
	a.path = "/fuzz/archive";
	a.events = m->events;
	a.hourly_rows = m->hourly_rows;
	sha256_hex(a.sha256, m->sha_events);
	a.sources = m->sources;
	a.sourceslen = m->sourceslen;
	if (db_begin(c->db, &a) < 0) {
		fprintf(stderr, "db_begin: %s\n", db_errmsg(c->db));
		abort();
	}
	return 0;
}

static int
on_event(void *arg, const char *line, size_t n, const struct event *ev)
{
	struct rctx *c = arg;
	const char *why = "";

	if (db_event(c->db, ev, line, n) < 0) {
		fprintf(stderr, "db_event: %s\n", db_errmsg(c->db));
		abort();
	}
	c->out.len = 0;
	if (emit_line(c->em, line, n, &why) < 0) {
		fprintf(stderr, "emit_line: %s\n", why);
		abort();
	}
	c->events++;
	return 0;
}

static int
on_hourly(void *arg, const char *line, size_t n)
{
	struct rctx *c = arg;

	if (db_hourly(c->db, line, n) < 0) {
		fprintf(stderr, "db_hourly: %s\n", db_errmsg(c->db));
		abort();
	}
	c->hourly++;
	return 0;
}

/* As tools/restore/load.c does, after the first reading passed. */
static void
restore(const char *path, const struct verify_result *first)
{
	struct rctx c;
	struct verify_opts o = { 0, on_manifest, on_event, on_hourly, &c };
	struct verify_result v;
	struct db_result d;
	const char *why = "";

	memset(&c, 0, sizeof(c));
	c.db = db_open(":memory:", 0, &why);
	if (c.db == NULL) {
		fprintf(stderr, "db_open: %s\n", why);
		abort();
	}
	ob_init(&c.out, -1);
	c.em = emit_new("original", &c.out);
	FUZZ_ASSERT(c.em != NULL);
	if (verify_archive(path, &o, &v) != 0) {
		fprintf(stderr, "restore refused: %s: %s\n", v.check, v.detail);
		abort();
	}
	FUZZ_ASSERT(v.events == first->events && c.events == v.events);
	if (db_commit(c.db, &d) < 0) {
		fprintf(stderr, "db_commit: %s\n", db_errmsg(c.db));
		abort();
	}
	FUZZ_ASSERT(d.events == c.events && d.hourly == c.hourly);
	verify_free(&v);
	emit_free(c.em);
	ob_free(&c.out);
	FUZZ_ASSERT(db_close(c.db, NULL) == 0);
}

static void
check(const unsigned char *data, size_t n)
{
	struct verify_opts o0 = { 0, NULL, NULL, NULL, NULL };
	struct verify_opts o2 = { 2, NULL, NULL, NULL, NULL };
	struct verify_result v0, v2, m;
	const char *path = fz_file(data, n);
	int r0, r2, rm;

	r0 = verify_archive(path, &o0, &v0);
	r2 = verify_archive(path, &o2, &v2);
	if (r0 != r2 || (r0 != 0 && strcmp(v0.check, v2.check) != 0)) {
		fprintf(stderr, "threads 0: %s: %s\nthreads 2: %s: %s\n",
		    r0 == 0 ? "ok" : v0.check, v0.detail,
		    r2 == 0 ? "ok" : v2.check, v2.detail);
		abort();
	}
	rm = monthly_verify(path, 0, NULL, NULL, &m);
	FUZZ_ASSERT(r0 != 0 || rm != 0);
	if (r0 == 0)
		restore(path, &v0);
	verify_free(&v0);
	verify_free(&v2);
	verify_free(&m);
}

/* ---- gzip and tar, for the mutator ---- */

/* Every gzip member of in, inflated; NULL when in is not all gzip. */
static uint8_t *
gunzip(const uint8_t *in, size_t n, size_t *outlen)
{
	z_stream z;
	size_t cap = 4 * n + 4096, len = 0;
	uint8_t *out = malloc(cap);
	int rc = Z_OK;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		abort();
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	while (z.avail_in > 0 || rc != Z_STREAM_END) {
		if (len == cap)
			out = realloc(out, cap *= 2);
		z.next_out = out + len;
		z.avail_out = (uInt)(cap - len);
		rc = inflate(&z, Z_NO_FLUSH);
		len = cap - z.avail_out;
		if (rc == Z_STREAM_END && z.avail_in > 0)
			rc = inflateReset(&z) == Z_OK ? Z_OK : Z_DATA_ERROR;
		else if (rc == Z_STREAM_END)
			break;
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			break;
		if (rc == Z_BUF_ERROR && z.avail_in == 0)
			break;
	}
	inflateEnd(&z);
	if (rc != Z_STREAM_END || len > (64u << 20)) {
		free(out);
		return NULL;
	}
	*outlen = len;
	return out;
}

/* in as one gzip member into out (max bytes); 0 when it does not fit. */
static size_t
gzip1(const uint8_t *in, size_t n, uint8_t *out, size_t max)
{
	z_stream z;
	size_t len;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 1, Z_DEFLATED, 16 + MAX_WBITS, 8,
	        Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)max;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		return 0;
	}
	len = max - z.avail_out;
	deflateEnd(&z);
	return len;
}

#define TMAX 8

struct tmember {
	unsigned char hdr[512];
	uint8_t *data;
	size_t n;
};

struct tar {
	struct tmember m[TMAX];
	size_t n;
};

static int
octal(const unsigned char *p, size_t n, size_t *v)
{
	size_t i = 0;

	*v = 0;
	while (i < n && p[i] == ' ')
		i++;
	if (i == n || p[i] < '0' || p[i] > '7')
		return -1;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++)
		if ((*v = *v * 8 + (size_t)(p[i] - '0')) > (1u << 30))
			return -1;
	return 0;
}

static void
tar_free(struct tar *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->m[i].data);
	t->n = 0;
}

/* The members of a ustar stream; -1 when it is not one we can take. */
static int
tar_split(struct tar *t, const uint8_t *p, size_t n)
{
	static const unsigned char zero[512];
	size_t off = 0, sz;

	t->n = 0;
	while (off + 512 <= n && memcmp(p + off, zero, 512) != 0) {
		if (t->n == TMAX || octal(p + off + 124, 12, &sz) < 0 ||
		    off + 512 + sz > n) {
			tar_free(t);
			return -1;
		}
		memcpy(t->m[t->n].hdr, p + off, 512);
		t->m[t->n].data = malloc(sz + 1);
		memcpy(t->m[t->n].data, p + off + 512, sz);
		t->m[t->n].n = sz;
		t->n++;
		off += 512 + (sz + 511) / 512 * 512;
	}
	return t->n > 0 ? 0 : -1;
}

/* The tar again, headers with the sizes and checksums they must have. */
static uint8_t *
tar_join(struct tar *t, size_t *len)
{
	size_t i, j, cap = 1024, off = 0;
	unsigned sum;
	uint8_t *o;

	for (i = 0; i < t->n; i++)
		cap += 512 + (t->m[i].n + 511) / 512 * 512;
	o = calloc(1, cap);
	for (i = 0; i < t->n; i++) {
		unsigned char *h = t->m[i].hdr;

		snprintf(
		    (char *)h + 124, 12, "%011lo", (unsigned long)t->m[i].n);
		memset(h + 148, ' ', 8);
		for (sum = 0, j = 0; j < 512; j++)
			sum += h[j];
		snprintf((char *)h + 148, 8, "%06o", sum);
		h[155] = ' ';
		memcpy(o + off, h, 512);
		memcpy(o + off + 512, t->m[i].data, t->m[i].n);
		off += 512 + (t->m[i].n + 511) / 512 * 512;
	}
	*len = cap;
	return o;
}

static struct tmember *
member(struct tar *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strncmp((char *)t->m[i].hdr, name, 100) == 0)
			return &t->m[i];
	return NULL;
}

static size_t
nlines(const struct tmember *m)
{
	size_t i, k = 0;

	for (i = 0; i < m->n; i++)
		k += m->data[i] == '\n';
	return k;
}

/* The MANIFEST with the members' checksums and line counts put right. */
static void
fix_manifest(struct tar *t)
{
	static const char *const names[] = { "events.ndjson", "hourly.ndjson" };
	static const char *const keys[] = { "events ", "hourly_rows " };
	struct tmember *mf = member(t, "MANIFEST"), *m;
	unsigned char d[SHA256_LEN];
	char hex[SHA256_HEXLEN + 1], *o, *line, *nl, *end;
	struct sha256 s;
	size_t i, cap, len = 0, kl;

	if (mf == NULL)
		return;
	cap = mf->n + 256;
	o = malloc(cap);
	end = (char *)mf->data + mf->n;
	for (line = (char *)mf->data; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (nl == NULL)
			nl = end;
		for (i = 0; i < 2; i++) {
			kl = strlen(keys[i]);
			m = member(t, names[i]);
			if (m == NULL) /* monthly: events is a sum */
				continue;
			if ((size_t)(nl - line) > kl &&
			    memcmp(line, keys[i], kl) == 0) {
				len += (size_t)snprintf(o + len, cap - len,
				    "%s%zu\n", keys[i], nlines(m));
				goto next;
			}
			if ((size_t)(nl - line) == 66 + strlen(names[i]) &&
			    memcmp(line + 66, names[i], strlen(names[i])) ==
			        0) {
				sha256_init(&s);
				sha256_update(&s, m->data, m->n);
				sha256_final(&s, d);
				sha256_hex(hex, d);
				len += (size_t)snprintf(o + len, cap - len,
				    "%s  %s\n", hex, names[i]);
				goto next;
			}
		}
		if (cap - len < (size_t)(nl - line) + 2)
			o = realloc(o, cap = 2 * cap + (size_t)(nl - line));
		memcpy(o + len, line, (size_t)(nl - line));
		len += (size_t)(nl - line);
		if (nl < end)
			o[len++] = '\n';
	next:;
	}
	free(mf->data);
	mf->data = (uint8_t *)o;
	mf->n = len;
}

/* One member's content mutated; the tar built again. */
static uint8_t *
mutate_member(const uint8_t *p, size_t n, unsigned r, size_t *len)
{
	struct tar t;
	struct tmember *m;
	size_t cap;

	if (tar_split(&t, p, n) < 0)
		return NULL;
	m = &t.m[r % t.n];
	cap = 2 * m->n + 256;
	m->data = realloc(m->data, cap);
	m->n = LLVMFuzzerMutate(m->data, m->n, cap);
	if ((r >> 8) % 4 != 0)
		fix_manifest(&t);
	p = tar_join(&t, len);
	tar_free(&t);
	return (uint8_t *)(uintptr_t)p;
}

/* The tar mutated, as bytes or member by member; NULL: not done. */
static uint8_t *
mutate_tar(const uint8_t *p, size_t n, unsigned r, size_t *len)
{
	uint8_t *o;
	size_t cap = n + 1024;

	if (r % 3 != 0 && (o = mutate_member(p, n, r >> 2, len)) != NULL)
		return o;
	o = malloc(cap);
	memcpy(o, p, n);
	*len = LLVMFuzzerMutate(o, n, cap);
	return o;
}

size_t
LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned seed)
{
	unsigned r = seed * 2654435761u;
	uint8_t *tar, *o;
	size_t n, len, k;

	if (r % 3 == 0 || size == 0)
		return LLVMFuzzerMutate(data, size, max);
	if (ARCHIVE_TAR) {
		o = mutate_tar(data, size, r >> 2, &len);
		if (len > max)
			len = max;
		memcpy(data, o, len);
		free(o);
		return len;
	}
	if ((tar = gunzip(data, size, &n)) == NULL)
		return LLVMFuzzerMutate(data, size, max);
	o = mutate_tar(tar, n, r >> 2, &len);
	free(tar);
	tar = malloc(max);
	k = gzip1(o, len, tar, max);
	free(o);
	if (k == 0) {
		free(tar);
		return LLVMFuzzerMutate(data, size, max);
	}
	memcpy(data, tar, k);
	free(tar);
	return k;
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
	uint8_t *gz;
	size_t k;

	if (!ARCHIVE_TAR) {
		check(data, n);
		return 0;
	}
	gz = malloc(n + n / 8 + 1024);
	k = gzip1(data, n, gz, n + n / 8 + 1024);
	FUZZ_ASSERT(k > 0);
	check(gz, k);
	free(gz);
	return 0;
}
