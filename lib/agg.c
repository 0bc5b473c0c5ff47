/*
 * Aggregation rows: a hash table from (bucket, key values) to rows, and
 * the fold of one event into its row.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "aggint.h"
#include "diag.h"
#include "json.h"
#include "nsec.h"
#include "pathnorm.h"
#include "tz.h"
#include "xxhash.h"

#define BLOCK (1024 * 1024)

struct kblock {
	struct kblock *next;
	size_t used, cap;
	unsigned char data[];
};

/*
 * An event on its way into its row.  Rows are many and scattered in
 * memory, so each event waits in a short queue while its hash slot, then
 * its row, then the row's arrays are fetched into the cache, and the
 * work of reading the next events hides the wait.  Events are folded in
 * the order they came, so the rows are the same as without the queue.
 */
struct pend {
	unsigned char *kb;
	size_t kbcap, klen;
	uint64_t hash;
	struct row *hint; /* the row the slot named, if any */
	struct tsv t;
	int64_t bytes; /* -1: null */
	int64_t rt; /* -1: none */
	uint64_t iph;
	int hasip, cls;
};

#define DEPTH 4

static const char *const keynames[AGG_NKEYNAMES] = {
	"method",
	"path",
	"status",
	"class",
	"ip",
	"host",
	"src",
	"ua",
};

const char *
agg_keyname(enum agg_key k)
{
	return keynames[k];
}

/* The rows logbook-aggregate writes unless told: method,path per hour. */
static const struct aggopts defaults = {
	.key = { AGG_METHOD, AGG_PATH },
	.nkeys = 2,
	.bucket = AGG_HOUR,
};

/* The options o leaves open (0: keys, bucket) as d has them. */
void
agg_opts_fill(struct aggopts *o, const struct aggopts *d)
{
	if (o->bucket == 0)
		o->bucket = d->bucket;
	if (o->nkeys == 0) {
		memcpy(o->key, d->key, sizeof(o->key));
		o->nkeys = d->nkeys;
	}
}

void
agg_defaults(struct aggopts *o)
{
	memset(o, 0, sizeof(*o));
	agg_opts_fill(o, &defaults);
}

/* "method,path": names separated by commas, each at most once. */
int
agg_parse_keys(struct aggopts *o, const char *s, size_t n, const char **why)
{
	size_t i = 0, j, k;
	unsigned seen = 0;

	o->nkeys = 0;
	while (i <= n) {
		for (j = i; j < n && s[j] != ','; j++)
			;
		for (k = 0; k < AGG_NKEYNAMES; k++)
			if (strlen(keynames[k]) == j - i &&
			    memcmp(keynames[k], s + i, j - i) == 0)
				break;
		if (k == AGG_NKEYNAMES) {
			*why = "unknown key";
			return -1;
		}
		if (seen & 1u << k) {
			*why = "key given twice";
			return -1;
		}
		seen |= 1u << k;
		o->key[o->nkeys++] = (enum agg_key)k;
		i = j + 1;
	}
	return 0;
}

struct agg *
agg_new(const struct aggopts *o)
{
	struct agg *a = xcalloc(1, sizeof(*a));

	a->o = *o;
	a->nslot = 1024;
	a->slot = xcalloc(a->nslot, sizeof(*a->slot));
	return a;
}

size_t
agg_nrows(struct agg *a)
{
	agg_flush(a);
	return a->nrows;
}

void
agg_row_free(struct row *r)
{
	hll_free(&r->ips);
	qs_free(&r->rt);
}

void
agg_free(struct agg *a)
{
	struct kblock *b;
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->nrows; i++)
		agg_row_free(a->rows[i]);
	while ((b = a->blocks) != NULL) {
		a->blocks = b->next;
		free(b);
	}
	if (a->pend != NULL)
		for (i = 0; i < DEPTH; i++)
			free(a->pend[i].kb);
	free(a->pend);
	free(a->rows);
	free(a->slot);
	free(a->kb);
	free(a->nb);
	free(a->mb);
	free(a);
}

int
agg_status_class(int status)
{
	return status >= 100 && status <= 599 ? status / 100 : 0;
}

/*
 * Keys are encoded so that memcmp orders rows as the output lists them:
 * the bucket start plus 2^63, big end first; then per key 0x00 for null,
 * or 0x01 and the value: text with each NUL written as 00 ff and ended
 * by 00 00, a status in two bytes, a class in one.  A byte that is not
 * UTF-8 is keyed as the U+FFFD the rows are written with (json_put), so
 * two values that are written alike are one row, and rows read back
 * with -m merge to the same rows.
 */
static size_t
enc_text(unsigned char *o, const struct span *s)
{
	const unsigned char *p = (const unsigned char *)s->p;
	size_t i = 0, k = 1, run, q, n = s->n;

	o[0] = 1;
	while (i < n) {
		for (run = i; run < n && p[run] != 0 && p[run] < 0x80; run++)
			;
		memcpy(o + k, p + i, run - i);
		k += run - i;
		if ((i = run) == n)
			break;
		if (p[i] == 0) {
			o[k++] = 0;
			o[k++] = 0xff;
			q = 1;
		} else if ((q = utf8_seq(p + i, n - i)) == 0) {
			memcpy(o + k, "\xef\xbf\xbd", 3);
			k += 3;
			q = 1;
		} else {
			memcpy(o + k, p + i, q);
			k += q;
		}
		i += q;
	}
	o[k++] = 0;
	o[k++] = 0;
	return k;
}

static size_t
enc_key(unsigned char *o, enum agg_key key, const struct kval *kv)
{
	const struct span *s = &kv->s[key];

	switch (key) {
	case AGG_STATUS:
		if (kv->status < 0)
			break;
		o[0] = 1;
		o[1] = (unsigned char)(kv->status >> 8);
		o[2] = (unsigned char)kv->status;
		return 3;
	case AGG_CLASS:
		if (kv->cls == 0)
			break;
		o[0] = 1;
		o[1] = (unsigned char)kv->cls;
		return 2;
	default:
		if (s->p != NULL)
			return enc_text(o, s);
	}
	o[0] = 0;
	return 1;
}

static size_t
encode(const struct agg *a, unsigned char **kb, size_t *cap, int64_t bucket,
    const struct kval *kv)
{
	uint64_t b = (uint64_t)bucket + (UINT64_C(1) << 63);
	size_t need = 8, k, i;

	for (i = 0; i < a->o.nkeys; i++) {
		if (kv->s[a->o.key[i]].n > (SIZE_MAX / 4) - need)
			lb_errx(EX_FAIL, "key too large");
		need += 3 * kv->s[a->o.key[i]].n + 4; /* 3: U+FFFD */
	}
	if (*cap < need) {
		*cap = need + 256;
		*kb = xrealloc(*kb, *cap);
	}
	for (k = 0; k < 8; k++)
		(*kb)[k] = (unsigned char)(b >> (56 - 8 * k));
	for (i = 0; i < a->o.nkeys; i++)
		k += enc_key(*kb + k, a->o.key[i], kv);
	return k;
}

static size_t
dec_text(const unsigned char *p, size_t n, size_t *i, char *d)
{
	const unsigned char *z;
	size_t o = 0, k;

	for (;;) {
		z = memchr(p + *i, 0, n - *i);
		k = (size_t)(z - (p + *i));
		memcpy(d + o, p + *i, k);
		o += k;
		*i += k + 2;
		if (z[1] == 0)
			return o;
		d[o++] = '\0';
	}
}

/*
 * The bucket and key values of row r; text goes to buf (room for the
 * key's length) and kv points into it.
 */
void
agg_key_decode(const struct agg *a, const struct row *r, int64_t *bucket,
    struct kval *kv, char *buf)
{
	const unsigned char *p = row_key(r);
	uint64_t b = 0;
	size_t i, k, o = 0;

	memset(kv, 0, sizeof(*kv));
	kv->status = -1;
	for (i = 0; i < 8; i++)
		b = b << 8 | p[i];
	*bucket = (int64_t)(b - (UINT64_C(1) << 63));
	for (k = 0; k < a->o.nkeys; k++) {
		if (p[i++] == 0)
			continue;
		if (a->o.key[k] == AGG_STATUS) {
			kv->status = p[i] << 8 | p[i + 1];
			i += 2;
		} else if (a->o.key[k] == AGG_CLASS)
			kv->cls = p[i++];
		else {
			kv->s[a->o.key[k]].p = buf + o;
			kv->s[a->o.key[k]].n =
			    dec_text(p, r->keylen, &i, buf + o);
			o += kv->s[a->o.key[k]].n;
		}
	}
}

static void *
kalloc(struct agg *a, size_t n)
{
	struct kblock *b = a->blocks;
	size_t cap;

	n = (n + 7) & ~(size_t)7;
	cap = n > BLOCK / 4 ? n : BLOCK;
	if (b == NULL || b->cap - b->used < n) {
		b = xmalloc(sizeof(*b) + cap);
		b->used = 0;
		b->cap = cap;
		/* A big key gets a block of its own behind the current one. */
		if (cap > BLOCK && a->blocks != NULL) {
			b->next = a->blocks->next;
			a->blocks->next = b;
		} else {
			b->next = a->blocks;
			a->blocks = b;
		}
	}
	b->used += n;
	return b->data + b->used - n;
}

static void
rehash(struct agg *a)
{
	struct slot *old = a->slot;
	size_t i, j, mask, n = a->nslot;

	if (n > SIZE_MAX / 2 / sizeof(*old))
		lb_errx(EX_FAIL, "too many rows");
	a->nslot *= 2;
	mask = a->nslot - 1;
	a->slot = xcalloc(a->nslot, sizeof(*a->slot));
	for (i = 0; i < n; i++) {
		if (old[i].r == NULL)
			continue;
		j = (size_t)old[i].hash & mask;
		while (a->slot[j].r != NULL)
			j = (j + 1) & mask;
		a->slot[j] = old[i];
	}
	free(old);
}

/*
 * The hash index, made again from the rows: agg_sort frees it, which
 * leaves more memory for writing; adding to the agg afterwards is rare.
 */
static void
reindex(struct agg *a)
{
	size_t i, j, mask;
	uint64_t h;

	for (a->nslot = 1024; a->nslot / 5 * 4 <= a->nrows; a->nslot *= 2)
		if (a->nslot > SIZE_MAX / 4 / sizeof(*a->slot))
			lb_errx(EX_FAIL, "too many rows");
	a->slot = xcalloc(a->nslot, sizeof(*a->slot));
	mask = a->nslot - 1;
	for (i = 0; i < a->nrows; i++) {
		h = xxh64(row_key(a->rows[i]), a->rows[i]->keylen, 0);
		for (j = (size_t)h & mask; a->slot[j].r != NULL;
		     j = (j + 1) & mask)
			;
		a->slot[j].hash = h;
		a->slot[j].r = a->rows[i];
	}
}

void
agg_drop_index(struct agg *a)
{
	agg_flush(a);
	free(a->slot);
	a->slot = NULL;
	a->nslot = 0;
}

/* Put row r in slot at, which is empty. */
static void
attach(struct agg *a, uint64_t h, struct row *r, size_t at)
{
	if (a->nrows == a->caprows) {
		a->caprows = a->caprows == 0 ? 1024 : a->caprows * 2;
		a->rows =
		    xreallocarray(a->rows, a->caprows, sizeof(struct row *));
	}
	a->rows[a->nrows++] = r;
	a->slot[at].hash = h;
	a->slot[at].r = r;
	if (a->nrows > a->nslot / 5 * 4)
		rehash(a);
}

static struct row *
insert(
    struct agg *a, uint64_t h, const unsigned char *key, size_t klen, size_t at)
{
	struct row *r;

	if (klen > SIZE_MAX / 2)
		lb_errx(EX_FAIL, "key too large");
	r = kalloc(a, sizeof(*r) + klen);
	memset(r, 0, sizeof(*r));
	r->keylen = klen;
	memcpy(r + 1, key, klen);
	r->rtmin = r->rtmax = -1;
	attach(a, h, r, at);
	return r;
}

/* The slot of the encoded key, or the empty slot where it belongs. */
static size_t
find(const struct agg *a, uint64_t h, const unsigned char *key, size_t klen)
{
	size_t i, mask = a->nslot - 1;
	const struct row *r;

	for (i = (size_t)h & mask; (r = a->slot[i].r) != NULL;
	     i = (i + 1) & mask)
		if (a->slot[i].hash == h && r->keylen == klen &&
		    memcmp(row_key(r), key, klen) == 0)
			break;
	return i;
}

/* The row of the encoded key, made when new. */
static struct row *
lookup(struct agg *a, uint64_t h, const unsigned char *key, size_t klen)
{
	size_t i = find(a, h, key, klen);

	return a->slot[i].r != NULL ? a->slot[i].r : insert(a, h, key, klen, i);
}

static void
normalize(struct agg *a, struct kval *kv)
{
	struct span *path = &kv->s[AGG_PATH];

	if (!a->o.normalize || path->p == NULL)
		return;
	if (a->nbcap < 2 * path->n + 3) {
		a->nbcap = 2 * path->n + 256;
		a->nb = xrealloc(a->nb, a->nbcap);
	}
	path->n = pathnorm(a->nb, path->p, path->n);
	path->p = a->nb;
}

/* The row of (bucket, kv), made when new. */
struct row *
agg_row(struct agg *a, int64_t bucket, struct kval *kv)
{
	size_t klen;

	agg_flush(a);
	if (a->slot == NULL)
		reindex(a);
	normalize(a, kv);
	klen = encode(a, &a->kb, &a->kbcap, bucket, kv);
	return lookup(a, xxh64(a->kb, klen, 0), a->kb, klen);
}

int64_t
agg_floor(int64_t sec, int64_t size)
{
	int64_t q;

	if (size == AGG_ALL)
		return 0;
	q = sec / size;
	if (sec % size < 0)
		q--;
	return q * size;
}

int
tsv_cmp(const struct tsv *x, const struct tsv *y)
{
	if (x->sec != y->sec)
		return x->sec < y->sec ? -1 : 1;
	if (x->nsec != y->nsec)
		return x->nsec < y->nsec ? -1 : 1;
	return x->nd < y->nd ? -1 : x->nd > y->nd;
}

/* -1, 0, 1: t is before o's range, in it, after it. */
int
agg_range_cmp(const struct aggopts *o, const struct tsv *t)
{
	if (!o->ranged)
		return 0;
	if (t->sec < o->from.sec ||
	    (t->sec == o->from.sec && t->nsec < o->from.nsec))
		return -1;
	if (t->sec > o->to.sec || (t->sec == o->to.sec && t->nsec > o->to.nsec))
		return 1;
	return 0;
}

static void
event_tsv(const struct event *ev, struct tsv *t)
{
	size_t i;

	t->sec = ev->r.sec;
	t->nsec = 0;
	t->nd = (uint32_t)ev->r.frac.n;
	for (i = 0; i < 9; i++)
		t->nsec = t->nsec * 10 +
		    (i < ev->r.frac.n ? (uint32_t)(ev->r.frac.p[i] - '0') : 0);
}

static void
event_keys(const struct event *ev, struct kval *kv)
{
	kv->s[AGG_METHOD] = ev->r.method;
	kv->s[AGG_PATH] = ev->r.path;
	kv->s[AGG_IP] = ev->r.ip;
	kv->s[AGG_HOST] = ev->r.host;
	kv->s[AGG_SRC] = ev->src;
	kv->s[AGG_UA] = ev->r.ua;
	kv->s[AGG_STATUS].p = kv->s[AGG_CLASS].p = NULL;
	kv->s[AGG_STATUS].n = kv->s[AGG_CLASS].n = 0;
	kv->status = ev->status;
	kv->cls = agg_status_class(ev->status);
}

/* Dotted decimal as inet_pton(3) takes it (no leading zeros), faster. */
static int
ipv4(const char *p, size_t n, unsigned char *a)
{
	size_t i = 0, d;
	unsigned v;
	int k;

	for (k = 0; k < 4; k++) {
		for (v = 0, d = 0; i < n && p[i] >= '0' && p[i] <= '9' && d < 4;
		     i++, d++)
			v = v * 10 + (unsigned)(p[i] - '0');
		if (d == 0 || v > 255 || (d > 1 && p[i - d] == '0'))
			return -1;
		a[k] = (unsigned char)v;
		if (k < 3 && (i >= n || p[i++] != '.'))
			return -1;
	}
	return i == n ? 0 : -1;
}

/*
 * Clients are counted as addresses, not spellings: IPv6 in any case or
 * compression, and 192.0.2.1 the same as ::ffff:192.0.2.1.  Text that
 * is no address (a host name) counts as it is.
 */
uint64_t
agg_ip_hash(const struct span *ip)
{
	unsigned char a[16] = { 0 };
	char buf[64];

	if (ipv4(ip->p, ip->n, a + 12) == 0) {
		a[10] = a[11] = 0xff;
		return xxh64(a, sizeof(a), 1);
	}
	if (ip->n < sizeof(buf) && memchr(ip->p, ':', ip->n) != NULL) {
		memcpy(buf, ip->p, ip->n);
		buf[ip->n] = '\0';
		if (inet_pton(AF_INET6, buf, a) == 1)
			return xxh64(a, sizeof(a), 1);
	}
	return xxh64(ip->p, ip->n, 0);
}

static struct pend *
pend_at(struct agg *a, unsigned i)
{
	return &a->pend[(a->first + i) % DEPTH];
}

static void
add_rt(struct row *r, int64_t ns)
{
	qs_add(&r->rt, ns);
	if (r->rtmin < 0 || ns < r->rtmin)
		r->rtmin = ns;
	if (ns > r->rtmax)
		r->rtmax = ns;
}

static void
commit(struct agg *a, const struct pend *p)
{
	struct row *r = lookup(a, p->hash, p->kb, p->klen);

	if (r->requests == 0 || tsv_cmp(&p->t, &r->first) < 0)
		r->first = p->t;
	if (r->requests == 0 || tsv_cmp(&p->t, &r->last) > 0)
		r->last = p->t;
	r->requests++;
	if (p->bytes >= 0)
		u128_add64(&r->bytes, (uint64_t)p->bytes);
	else
		r->nobytes++;
	if (p->cls != 0)
		r->cls[p->cls - 1]++;
	if (p->hasip)
		hll_add(&r->ips, p->iph);
	if (p->rt >= 0)
		add_rt(r, p->rt);
}

/* The hash slot's row, without comparing keys: a guess to prefetch. */
static struct row *
peek(const struct agg *a, uint64_t h)
{
	size_t i, mask = a->nslot - 1;

	for (i = (size_t)h & mask; a->slot[i].r != NULL; i = (i + 1) & mask)
		if (a->slot[i].hash == h)
			return a->slot[i].r;
	return NULL;
}

static void
advance(struct agg *a)
{
	struct pend *p;
	struct row *r;

	if (a->npend >= 2 && (r = peek(a, pend_at(a, a->npend - 2)->hash))) {
		pend_at(a, a->npend - 2)->hint = r;
		__builtin_prefetch(r);
		__builtin_prefetch((char *)r + 64);
		__builtin_prefetch((char *)r + 128);
		__builtin_prefetch((char *)r + 192);
	}
	if (a->npend >= 3 && (r = pend_at(a, a->npend - 3)->hint) != NULL) {
		if (r->ips.cap != 0 && r->ips.cap != HLL_DENSE)
			__builtin_prefetch(r->ips.u.set + r->ips.n / 2);
		if (r->rt.cap != 0)
			__builtin_prefetch(r->rt.u.e);
	}
	if (a->npend == DEPTH) {
		p = pend_at(a, 0);
		commit(a, p);
		a->first = (a->first + 1) % DEPTH;
		a->npend--;
	}
}

/* Fold the events still queued into their rows. */
void
agg_flush(struct agg *a)
{
	while (a->npend > 0) {
		commit(a, pend_at(a, 0));
		a->first = (a->first + 1) % DEPTH;
		a->npend--;
	}
}

/*
 * The local bucket of quarter hour q.  Hours are the hours of the zone's
 * clock, keyed by the UTC second they begin, so that an hour the clock
 * repeats is two rows, and an hour it enters late begins then; days are
 * its days, keyed by their midnight on a UTC-like axis.
 */
static int64_t
local_bucket(const struct aggopts *o, int64_t q)
{
	int off = tz_off(o->tz, q);
	int64_t l = agg_floor(q + (int64_t)off * 60, o->bucket), k;

	if (o->bucket != AGG_HOUR)
		return l;
	for (k = l - (int64_t)off * 60; k < q; k += 900)
		if (agg_floor(tz_local(o->tz, k), AGG_HOUR) == l)
			break;
	return k;
}

/*
 * The bucket of UTC second sec.  Zones change their offset on quarter
 * hours, so one bucket a quarter hour is worked out.
 */
static int64_t
bucket_of(struct agg *a, int64_t sec)
{
	int64_t q;

	if (a->o.tz == NULL || a->o.bucket == AGG_ALL)
		return agg_floor(sec, a->o.bucket);
	q = agg_floor(sec, 900);
	if (q != a->tzq || !a->tzok) {
		a->tzq = q;
		a->tzok = 1;
		a->tzkey = local_bucket(&a->o, q);
	}
	return a->tzkey;
}

/* Fold one event into its row (through the queue above); 1: skipped. */
int
agg_add(struct agg *a, const struct event *ev, const char **why)
{
	struct kval kv;
	struct pend *p;
	struct tsv t;
	int64_t rt = -1;

	event_tsv(ev, &t);
	if (agg_range_cmp(&a->o, &t) != 0)
		return 1;
	if (ev->r.rt.p != NULL && nsec_parse(ev->r.rt.p, ev->r.rt.n, &rt) < 0) {
		*why = "rt out of range";
		return -1;
	}
	agg_opts_fill(&a->o, &defaults);
	if (a->pend == NULL)
		a->pend = xcalloc(DEPTH, sizeof(*a->pend));
	if (a->slot == NULL)
		reindex(a);
	p = pend_at(a, a->npend++);
	event_keys(ev, &kv);
	normalize(a, &kv);
	p->klen = encode(a, &p->kb, &p->kbcap, bucket_of(a, ev->r.sec), &kv);
	p->hash = xxh64(p->kb, p->klen, 0);
	p->hint = NULL;
	__builtin_prefetch(&a->slot[p->hash & (a->nslot - 1)]);
	p->t = t;
	p->bytes = ev->bytes;
	p->rt = rt;
	p->cls = kv.cls;
	if ((p->hasip = ev->r.ip.p != NULL))
		p->iph = agg_ip_hash(&ev->r.ip);
	advance(a);
	return 0;
}

int
agg_same_opts(const struct aggopts *x, const struct aggopts *y)
{
	return x->nkeys == y->nkeys && x->bucket == y->bucket &&
	    x->normalize == y->normalize &&
	    memcmp(x->key, y->key, x->nkeys * sizeof(x->key[0])) == 0;
}
