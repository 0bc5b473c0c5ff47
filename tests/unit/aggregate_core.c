/*
 * Unit tests of the aggregation core: seconds as nanoseconds, path
 * folding, CSV fields, rows from events, and merging partial rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agg.h"
#include "csvout.h"
#include "event.h"
#include "nsec.h"
#include "obuf.h"
#include "pathnorm.h"
#include "tap.h"
#include "timeconv.h"
#include "u128.h"

static void
parse(const char *s, int64_t want)
{
	int64_t got = -2;
	int rc = nsec_parse(s, strlen(s), &got);

	if (want < 0)
		tap_ok(rc < 0, "nsec_parse(%s) refused", s);
	else
		tap_ok(rc == 0 && got == want,
		    "nsec_parse(%s) = %lld (got "
		    "%lld)",
		    s, (long long)want, (long long)got);
}

static void
put(int64_t ns, const char *want)
{
	struct obuf ob;

	ob_init(&ob, -1);
	nsec_put(&ob, ns);
	tap_mem(ob.buf, ob.len, want, want);
	ob_free(&ob);
}

static void
nsec(void)
{
	parse("0", 0);
	parse("0.087", 87000000);
	parse("1", 1000000000);
	parse("12.5", 12500000000);
	parse("1e-3", 1000000);
	parse("1.5E+2", 150000000000);
	parse("0.0000000005", 1);
	parse("0.0000000004", 0);
	parse("0.123456789123", 123456789);
	parse("1e9", INT64_C(1000000000000000000));
	parse("1e10", -1);
	parse("1e99999", -1);
	parse("-1", -1);
	parse("", -1);
	parse(".5", 500000000);
	parse("1.", 1000000000);
	parse("1x", -1);
	put(0, "0");
	put(87000000, "0.087");
	put(1500000000, "1.5");
	put(1, "0.000000001");
	put(INT64_C(1000000000000000000), "1000000000");
	tap_ok(nsec_round(87012345, 4) == 87010000, "round to 4 digits");
	tap_ok(nsec_round(99995000, 4) == 100000000, "round up a decade");
	tap_ok(nsec_round(999, 4) == 999, "short values as they are");
}

static void
norm(const char *in, const char *want)
{
	char out[256];
	size_t n = pathnorm(out, in, strlen(in));

	tap_mem(out, n, want, in);
}

static void
paths(void)
{
	norm("/users/123/orders/9f0c4b2a7d1e8f3c5a6b", "/users/:id/orders/:id");
	norm("/a/3fa85f64-5717-4562-b3fc-2c963f66afa6/b", "/a/:id/b");
	norm("/a/3FA85F64-5717-4562-B3FC-2C963F66AFA6", "/a/:id");
	norm("/1/2/3", "/:id/:id/:id");
	norm("123", ":id");
	norm("/v2/api/", "/v2/api/");
	norm("/deadbeef", "/deadbeef");
	norm("/img/123.png", "/img/123.png");
	norm("/0123456789abcdef", "/:id");
	norm("/0123456789abcdeg", "/0123456789abcdeg");
	norm("", "");
	norm("//", "//");
}

static void
csvfield(const char *in, int safe, const char *want)
{
	struct obuf ob;

	ob_init(&ob, -1);
	csv_text(&ob, in, strlen(in), safe);
	tap_mem(ob.buf, ob.len, want,
	    strpbrk(want, "\r\n\t") != NULL ? "control bytes quoted" : want);
	ob_free(&ob);
}

static void
csv(void)
{
	csvfield("plain", 0, "\"plain\"");
	csvfield("a,b", 0, "\"a,b\"");
	csvfield("say \"hi\"", 0, "\"say \"\"hi\"\"\"");
	csvfield("two\r\nlines", 0, "\"two\r\nlines\"");
	csvfield("=1+2", 0, "\"=1+2\"");
	csvfield("=1+2", 1, "\"'=1+2\"");
	csvfield("+x", 1, "\"'+x\"");
	csvfield("-x", 1, "\"'-x\"");
	csvfield("@x", 1, "\"'@x\"");
	csvfield("\tx", 1, "\"'\tx\"");
	csvfield("x=1", 1, "\"x=1\"");
	csvfield("", 1, "\"\"");
}

/* Everything agg_write writes, as a C string (through a file: an obuf
 * flushes as it goes). */
static char *
written(struct agg *a, enum agg_out mode)
{
	struct obuf ob;
	FILE *fp = tmpfile();
	long n;
	char *s;

	ob_init(&ob, fileno(fp));
	agg_write(a, &ob, mode);
	if (ob_flush(&ob) < 0)
		printf("# write error\n");
	ob_free(&ob);
	n = ftell(fp) >= 0 ? lseek(fileno(fp), 0, SEEK_END) : 0;
	s = malloc((size_t)n + 1);
	rewind(fp);
	s[fread(s, 1, (size_t)n, fp)] = '\0';
	fclose(fp);
	return s;
}

static int
add(struct agg *a, struct event *ev, const char *line)
{
	const char *why;

	if (event_read(ev, line, strlen(line), &why) < 0) {
		printf("# bad test event: %s: %s\n", why, line);
		return -1;
	}
	return agg_add(a, ev, &why);
}

static void
rows(void)
{
	static const char *const in[] = {
		"{\"id\":\"a\",\"ts\":\"2025-10-13T06:59:59.250Z\",\"ip\":\"::"
		"1\","
		"\"method\":\"GET\",\"path\":\"/"
		"a\",\"status\":200,\"bytes\":10,"
		"\"rt\":0.2}",
		"{\"id\":\"b\",\"ts\":\"2025-10-13T06:00:00Z\",\"ip\":\"::1\","
		"\"method\":\"GET\",\"path\":\"/"
		"a\",\"status\":404,\"bytes\":null,"
		"\"rt\":0.1}",
		"{\"id\":\"c\",\"ts\":\"2025-10-13T07:00:00Z\",\"ip\":null,"
		"\"method\":\"GET\",\"path\":\"/"
		"a\",\"status\":null,\"bytes\":5,"
		"\"rt\":null}",
	};
	const char *want =
	    "{\"hour\":\"2025-10-13T06:00:00Z\",\"method\":\"GET\",\"path\":"
	    "\"/a\",\"requests\":2,\"bytes\":10,\"bytes_null\":1,\"uniq_ips\":"
	    "1,\"s1xx\":0,\"s2xx\":1,\"s3xx\":0,\"s4xx\":1,\"s5xx\":0,"
	    "\"rt_p50\":0.1,\"rt_p95\":0.2,\"rt_p99\":0.2,\"rt_max\":0.2,"
	    "\"first\":\"2025-10-13T06:00:00Z\",\"last\":"
	    "\"2025-10-13T06:59:59.250Z\"}\n"
	    "{\"hour\":\"2025-10-13T07:00:00Z\",\"method\":\"GET\",\"path\":"
	    "\"/a\",\"requests\":1,\"bytes\":5,\"bytes_null\":0,\"uniq_ips\":"
	    "null,\"s1xx\":0,\"s2xx\":0,\"s3xx\":0,\"s4xx\":0,\"s5xx\":0,"
	    "\"rt_p50\":null,\"rt_p95\":null,\"rt_p99\":null,\"rt_max\":null,"
	    "\"first\":\"2025-10-13T07:00:00Z\",\"last\":"
	    "\"2025-10-13T07:00:00Z\"}\n";
	struct aggopts o;
	struct event ev;
	struct agg *a;
	char *s;
	size_t i;
	int rc = 0;

	agg_defaults(&o);
	a = agg_new(&o);
	event_init(&ev);
	for (i = 0; i < 3; i++)
		rc |= add(a, &ev, in[i]);
	tap_ok(rc == 0 && agg_nrows(a) == 2, "three events, two rows");
	s = written(a, AGG_NDJSON);
	tap_mem(s, strlen(s), want, "rows by hour, nulls, fractions");
	free(s);
	event_free(&ev);
	agg_free(a);
}

/* A random event of a small world: 3 days, a few paths, many clients. */
static void
random_event(char *buf, size_t n, unsigned i)
{
	static const char *const paths[] = { "/", "/a", "/b/1", "/b/22",
		"/c,\\\"q\\\"", "/d\\u0000e" };
	static const char *const methods[] = { "GET", "POST", "HEAD" };
	int sec = rand() % (3 * 86400), hot = rand() % 4 == 0;
	char rt[32], bytes[32], status[8];

	if (rand() % 5 == 0)
		snprintf(rt, sizeof(rt), "null");
	else
		snprintf(rt, sizeof(rt), "%d.%03d", rand() % 3, rand() % 1000);
	if (rand() % 6 == 0)
		snprintf(bytes, sizeof(bytes), "null");
	else
		snprintf(bytes, sizeof(bytes), "%d", rand() % 100000);
	if (rand() % 9 == 0)
		snprintf(status, sizeof(status), "null");
	else
		snprintf(status, sizeof(status), "%d", 100 + rand() % 500);
	snprintf(buf, n,
	    "{\"id\":\"%u\",\"ts\":\"2025-10-%02dT%02d:%02d:%02d%sZ\","
	    "\"ip\":\"10.%d.%d.%d\",\"method\":\"%s\",\"path\":\"%s\","
	    "\"status\":%s,\"bytes\":%s,\"rt\":%s,\"host\":%s}",
	    i, 13 + sec / 86400, sec / 3600 % 24, sec / 60 % 60, sec % 60,
	    rand() % 3 == 0 ? ".5" : "", hot ? 1 : rand() % 256, rand() % 256,
	    rand() % 256, methods[rand() % 3], hot ? "/hot" : paths[rand() % 6],
	    status, bytes, rt, rand() % 2 ? "null" : "\"h\"");
}

#define NEV 20000

static char **events;

/* Add the events of part part of k (random parts, the same each time). */
static void
add_part(struct agg *a, int k, int part)
{
	struct event ev;
	size_t i;

	event_init(&ev);
	srand(7);
	for (i = 0; i < NEV; i++)
		if (rand() % k == part && add(a, &ev, events[i]) < 0)
			printf("# agg_add failed\n");
	event_free(&ev);
}

static struct agg *
aggregate(const struct aggopts *o, int k, int part)
{
	struct agg *a = agg_new(o);

	add_part(a, k, part);
	return a;
}

/* Merge every line of the partial outputs p[0..k-1] into m. */
static int
merge_all(struct agg *m, char **p, int k)
{
	const char *why, *s, *nl;
	int j, bad = 0;

	for (j = 0; j < k; j++)
		for (s = p[j]; (nl = strchr(s, '\n')) != NULL; s = nl + 1)
			if (agg_merge_row(m, s, (size_t)(nl - s), &why) < 0) {
				printf("# merge: %s\n", why);
				bad++;
			}
	return bad;
}

/*
 * Aggregate all events at once with o; and in k random parts, partial,
 * merged with mo.  The two outputs must be the same bytes.
 */
static int
split_same(const struct aggopts *o, const struct aggopts *mo,
    const struct aggopts *po, int k, int combine)
{
	struct agg *a, *m, *c;
	char *whole, *merged, *p[8];
	int j, bad;

	a = aggregate(o, 1, 0);
	whole = written(a, AGG_NDJSON);
	agg_free(a);
	for (j = 0; j < k; j++) {
		a = aggregate(po, k, j);
		p[j] = written(a, AGG_PARTIAL);
		agg_free(a);
	}
	if (combine) { /* partial to partial first, as a combiner does */
		c = agg_new(po);
		bad = merge_all(c, p, k);
		for (j = 0; j < k; j++)
			free(p[j]);
		p[0] = written(c, AGG_PARTIAL);
		agg_free(c);
		k = 1;
	}
	m = agg_new(mo);
	bad = merge_all(m, p, k);
	merged = written(m, AGG_NDJSON);
	agg_free(m);
	bad |= strcmp(whole, merged) != 0 || strlen(whole) < 1000;
	for (j = 0; j < k; j++)
		free(p[j]);
	free(whole);
	free(merged);
	return !bad;
}

/*
 * The rows of k aggs of random parts, sorted, merged and written in
 * slices of n rows (as logbook-aggregate -j does): the bytes of one agg.
 */
static int
sorted_same(const struct aggopts *o, int k, size_t n, enum agg_out mode)
{
	struct aggsorted *s[8], *m;
	struct agg *a[8];
	struct obuf whole, ob, part;
	size_t i, rows;
	int j, same;

	a[0] = aggregate(o, 1, 0);
	ob_init(&whole, -1); /* in memory: the bytes may hold NULs */
	agg_write(a[0], &whole, mode);
	agg_free(a[0]);
	for (j = 0; j < k; j++) {
		a[j] = aggregate(o, k, j);
		s[j] = agg_sort(a[j]);
	}
	m = agg_sort_merge(s, (size_t)k);
	rows = agg_sorted_count(m);
	ob_init(&ob, -1);
	ob_init(&part, -1);
	for (i = 0; i < rows || i == 0; i += n) {
		part.len = 0;
		agg_write_range(m, i, i + n, &part, mode);
		ob_write(&ob, part.buf, part.len);
	}
	same = ob.len == whole.len && ob.len > 1000 &&
	    memcmp(ob.buf, whole.buf, ob.len) == 0;
	if (!same)
		printf("# %zu bytes, want %zu\n", ob.len, whole.len);
	agg_sorted_free(m);
	for (j = 0; j < k; j++)
		agg_free(a[j]);
	ob_free(&whole);
	ob_free(&ob);
	ob_free(&part);
	return same;
}

/* agg_write drops the hash index; adding afterwards makes it again. */
static int
added_after_write(const struct aggopts *o)
{
	struct agg *a = aggregate(o, 2, 0), *all = aggregate(o, 1, 0);
	char *first, *once, *twice;
	int same;

	first = written(a, AGG_NDJSON);
	add_part(a, 2, 1);
	twice = written(a, AGG_NDJSON);
	once = written(all, AGG_NDJSON);
	same = strcmp(once, twice) == 0 && strcmp(first, once) != 0;
	free(first);
	free(once);
	free(twice);
	agg_free(a);
	agg_free(all);
	return same;
}

/* All the rows of s, written into ob (in memory). */
static void
write_sorted(struct aggsorted *s, struct obuf *ob, enum agg_out mode)
{
	ob_init(ob, -1);
	agg_write_range(s, 0, agg_sorted_count(s), ob, mode);
}

/*
 * The top n rows of each bucket of k aggs, sorted and merged, are those
 * of one agg of all the events; and with n past any bucket's rows, all
 * rows, by requests.
 */
static int
top_same(const struct aggopts *o, int k, size_t n)
{
	struct aggsorted *s[8], *one;
	struct agg *a[8], *all;
	struct obuf want, got, every;
	size_t rows;
	int j, same;

	all = aggregate(o, 1, 0);
	one = agg_sort(all);
	rows = agg_sorted_count(one);
	agg_sorted_top(one, n);
	write_sorted(one, &want, AGG_NDJSON);
	for (j = 0; j < k; j++) {
		a[j] = aggregate(o, k, j);
		s[j] = agg_sort(a[j]);
	}
	s[0] = agg_sort_merge(s, (size_t)k);
	agg_sorted_top(s[0], n);
	write_sorted(s[0], &got, AGG_NDJSON);
	same = got.len == want.len && memcmp(got.buf, want.buf, got.len) == 0 &&
	    agg_sorted_count(s[0]) < rows;
	agg_sorted_free(s[0]);
	agg_sorted_free(one);
	ob_free(&got);
	ob_init(&every, -1);
	agg_write(all, &every, AGG_NDJSON);
	one = agg_sort(all);
	agg_sorted_top(one, SIZE_MAX);
	write_sorted(one, &got, AGG_NDJSON);
	/* The same rows, by requests. */
	same &= agg_sorted_count(one) == rows && got.len == every.len;
	agg_sorted_free(one);
	for (j = 0; j < k; j++)
		agg_free(a[j]);
	agg_free(all);
	ob_free(&want);
	ob_free(&got);
	ob_free(&every);
	return same;
}

static void
sorting(void)
{
	struct aggopts o, ip;
	const char *why;
	int k, good;

	agg_defaults(&o);
	agg_defaults(&ip);
	for (good = 1, k = 1; k <= 8; k++)
		good &= sorted_same(&o, k, 1000, AGG_NDJSON);
	tap_ok(good, "agg_sort_merge of 1..8 aggs, in slices: one agg's rows");
	tap_ok(sorted_same(&o, 3, 7, AGG_CSV), "the same as CSV, one header");
	tap_ok(sorted_same(&o, 5, 100000, AGG_PARTIAL), "the same, partial");
	agg_parse_keys(&ip, "ip,status", 9, &why);
	ip.bucket = AGG_DAY;
	ip.normalize = 0;
	tap_ok(sorted_same(&ip, 2, 333, AGG_NDJSON),
	    "the same by ip,status per day");
	tap_ok(added_after_write(&o), "events added after a write: all rows");
	tap_ok(top_same(&o, 3, 2) && top_same(&ip, 4, 5),
	    "agg_sorted_top of merged aggs: that of one agg");
}

/* Rows of all time, from parts, and rolled up from hourly rows. */
static void
all_time(const struct aggopts *hourly)
{
	struct aggopts all;
	const char *why;
	int k, good;

	agg_defaults(&all);
	agg_parse_keys(&all, "path", 4, &why);
	all.bucket = AGG_ALL;
	for (good = 1, k = 1; k <= 8; k += 3)
		good &= split_same(&all, &all, &all, k, k == 7);
	tap_ok(good, "rows of all time: parts merge to the same rows");
	tap_ok(split_same(&all, &all, hourly, 5, 1),
	    "hourly partials roll up to rows of all time");
}

/*
 * A range of whole days: the events of one run, and the daily partial
 * rows of all the events merged, give the same rows.
 */
static void
ranged_parts(void)
{
	struct aggopts day, in;
	int k, good;

	agg_defaults(&day);
	day.bucket = AGG_DAY;
	in = day;
	in.ranged = 1;
	in.from.sec = days_from_civil(2025, 10, 14) * 86400;
	in.to.sec = in.from.sec + 86399;
	in.to.nsec = 999999999;
	for (good = 1, k = 1; k <= 8; k += 3)
		good &= split_same(&in, &in, &day, k, k == 7);
	tap_ok(good, "a day of daily partial rows: the rows of its events");
}

static void
merging(void)
{
	struct aggopts o, inherit, byday, status;
	const char *why;
	char buf[512];
	size_t i;
	int k, good;

	events = malloc(NEV * sizeof(*events));
	srand(1);
	for (i = 0; i < NEV; i++) {
		random_event(buf, sizeof(buf), (unsigned)i);
		events[i] = strdup(buf);
	}
	agg_defaults(&o);
	inherit = o;
	inherit.nkeys = 0;
	inherit.bucket = 0;
	for (good = 1, k = 1; k <= 8; k++)
		good &= split_same(&o, &inherit, &o, k, 0);
	tap_ok(good, "method,path hourly: 1..8 parts merge to the same rows");
	agg_defaults(&status);
	agg_defaults(&byday);
	agg_parse_keys(&status, "status,class,ip", 15, &why);
	status.bucket = AGG_DAY;
	status.normalize = 0;
	for (good = 1, k = 1; k <= 8; k += 3)
		good &= split_same(&status, &status, &status, k, k == 7);
	tap_ok(good, "status,class,ip daily: parts merge to the same rows");
	agg_parse_keys(&byday, "class", 5, &why);
	byday.bucket = AGG_DAY;
	byday.normalize = 0;
	agg_parse_keys(&status, "method,path,status", 18, &why);
	status.bucket = AGG_HOUR;
	tap_ok(split_same(&byday, &byday, &status, 5, 1),
	    "hourly method,path,status partials roll up to daily class rows");
	all_time(&status);
	ranged_parts();
	sorting();
	for (i = 0; i < NEV; i++)
		free(events[i]);
	free(events);
}

static void
refused(const char *row, const char *want)
{
	struct aggopts o;
	struct agg *a;
	const char *why = "";
	int rc;

	agg_defaults(&o);
	a = agg_new(&o);
	rc = agg_merge_row(a, row, strlen(row), &why);
	tap_ok(rc < 0 && strcmp(why, want) == 0 && agg_nrows(a) == 0,
	    "refused: %s (got %s)", want, why);
	agg_free(a);
}

static void
bad_rows(void)
{
	const char *good =
	    "\"hour\":\"2025-10-13T06:00:00Z\",\"method\":"
	    "\"GET\",\"path\":\"/\",\"requests\":1,\"bytes\":0,\"bytes_null\":"
	    "1,\"s1xx\":0,\"s2xx\":1,\"s3xx\":0,\"s4xx\":0,\"s5xx\":0,"
	    "\"first\":\"2025-10-13T06:00:01Z\",\"last\":"
	    "\"2025-10-13T06:00:01Z\",\"rt_min\":null,\"rt_max\":null,\"ips\":"
	    "\"s\",\"rt\":\"v\",\"by\":\"method,path\"";
	char row[1024];

	snprintf(row, sizeof(row), "{%s,\"partial\":1}", good);
	refused("{\"hour\":1}", "bad or repeated \"hour\" in a partial row");
	refused("[]", "not a JSON object");
	snprintf(row, sizeof(row), "{%s}", good);
	refused(row, "not a partial row (made with --partial)");
	snprintf(row, sizeof(row), "{%s,\"partial\":1,\"day\":\"2025-10-13\"}",
	    good);
	refused(row, "partial row needs one of \"hour\", \"day\" and \"all\"");
	snprintf(row, sizeof(row), "{%s,\"partial\":1,\"all\":1}", good);
	refused(row, "partial row needs one of \"hour\", \"day\" and \"all\"");
	snprintf(row, sizeof(row), "{\"all\":2,%s,\"partial\":1}", good + 30);
	refused(row, "bad or repeated \"all\" in a partial row");
	snprintf(row, sizeof(row), "{\"all\":1,%s,\"partial\":1}", good + 30);
	refused(row, "rows of all time cannot be split into hours or days");
	snprintf(row, sizeof(row), "{%s,\"partial\":1,\"ips\":\"s\"}", good);
	refused(row, "bad or repeated \"ips\" in a partial row");
	snprintf(row, sizeof(row), "{%s,\"partial\":2}", good);
	refused(row, "bad or repeated \"partial\" in a partial row");
}

/* Each event of a time into a ranged agg: what agg_add returned. */
static void
range_events(void)
{
	static const char *const ts[] = { "2025-10-13T06:00:00.249999999Z",
		"2025-10-13T06:00:00.25Z", "2025-10-13T06:00:00.5Z",
		"2025-10-13T07:00:00Z", "2025-10-13T07:00:00.000000001Z",
		"2025-10-14T00:00:00Z" };
	const char *want = "1 0 0 0 1 1 ";
	struct aggopts o;
	struct event ev;
	struct agg *a;
	char line[160], got[32], *s;
	size_t i, n = 0;

	agg_defaults(&o);
	o.ranged = 1;
	o.from.sec = days_from_civil(2025, 10, 13) * 86400 + 6 * 3600;
	o.from.nsec = 250000000;
	o.to.sec = o.from.sec + 3600;
	a = agg_new(&o);
	event_init(&ev);
	for (i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
		snprintf(line, sizeof(line),
		    "{\"id\":\"a\",\"ts\":\"%s\",\"path\":\"/\","
		    "\"rt\":%s}",
		    ts[i], i == 5 ? "1e99" : "1");
		n += (size_t)snprintf(
		    got + n, sizeof(got) - n, "%d ", add(a, &ev, line));
	}
	tap_mem(got, n, want, "agg_add in a range: 1 for events outside");
	s = written(a, AGG_NDJSON);
	tap_ok(agg_nrows(a) == 2 &&
	        strstr(s, "\"first\":\"2025-10-13T06:00:00.25Z\"") != NULL &&
	        strstr(s, "\"last\":\"2025-10-13T07:00:00Z\"") != NULL,
	    "the events in the range, both bounds, in rows");
	free(s);
	event_free(&ev);
	agg_free(a);
}

/* The hourly partial rows of the events above merged in a range. */
static void
range_rows(int64_t from, int64_t to, const char *want, const char *name)
{
	static const char *const ts[] = { "2025-10-13T06:00:00Z",
		"2025-10-13T06:59:59Z", "2025-10-13T07:00:00Z",
		"2025-10-13T07:00:01Z", "2025-10-13T09:00:00Z" };
	struct aggopts o;
	struct event ev;
	struct agg *a, *m;
	const char *why = NULL, *w;
	char line[160], got[32], *p, *nl;
	int64_t day = days_from_civil(2025, 10, 13) * 86400;
	size_t i, n = 0;
	int rc, whys = 1;

	agg_defaults(&o);
	a = agg_new(&o);
	event_init(&ev);
	for (i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
		snprintf(line, sizeof(line),
		    "{\"id\":\"a\",\"ts\":\"%s\",\"path\":\"/\"}", ts[i]);
		(void)add(a, &ev, line);
	}
	o.ranged = 1;
	o.from.sec = day + from;
	o.to.sec = day + to;
	m = agg_new(&o);
	p = written(a, AGG_PARTIAL);
	for (w = p; (nl = strchr(w, '\n')) != NULL; w = nl + 1) {
		rc = agg_merge_row(m, w, (size_t)(nl - w), &why);
		n += (size_t)snprintf(got + n, sizeof(got) - n, "%d ", rc);
		if (rc < 0)
			whys &= strcmp(why,
			            "partial row with times on both "
			            "sides of the time range's bound") == 0;
	}
	tap_ok(n == strlen(want) && memcmp(got, want, n) == 0 && whys,
	    "%s: %s (got %.*s)", name, want, (int)n, got);
	free(p);
	event_free(&ev);
	agg_free(a);
	agg_free(m);
}

static void
ranges(void)
{
	range_events();
	range_rows(6 * 3600, 7 * 3600, "0 -1 1 ", "rows across --to refused");
	range_rows(
	    6 * 3600 + 1, 9 * 3600, "-1 0 0 ", "rows across --from refused");
	range_rows(7 * 3600, 8 * 3600 - 1, "1 0 1 ", "whole hours of a range");
	range_rows(10 * 3600, 11 * 3600, "1 1 1 ", "rows before the range");
}

/* "hour path" of each row written. */
static size_t
row_paths(const char *s, char *out, size_t cap)
{
	const char *h, *p, *e;
	size_t n = 0;

	while ((h = strstr(s, "\"hour\":\"2025-10-13T")) != NULL &&
	    (p = strstr(h, "\"path\":\"")) != NULL &&
	    (e = strchr(p + 8, '"')) != NULL) {
		n += (size_t)snprintf(out + n, cap - n, "%.2s %.*s ", h + 19,
		    (int)(e - p - 8), p + 8);
		s = e;
	}
	return n;
}

/* The top rows of each hour, most requests first, ties in key order. */
static void
tops(void)
{
	static const char *const in[] = { "06 /a", "06 /c", "06 /b", "06 /c",
		"06 /b", "06 /c", "06 /b", "06 /d", "06 /d", "07 /z", "07 /a",
		"07 /z" };
	struct aggopts o;
	struct event ev;
	struct agg *a;
	struct aggsorted *s;
	struct obuf ob;
	const char *why;
	char line[160], got[128];
	size_t i, n;

	agg_defaults(&o);
	agg_parse_keys(&o, "path", 4, &why);
	a = agg_new(&o);
	event_init(&ev);
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		snprintf(line, sizeof(line),
		    "{\"id\":\"a\",\"ts\":\"2025-10-13T%.2s:00:%02zuZ\","
		    "\"path\":\"%s\"}",
		    in[i], i, in[i] + 3);
		(void)add(a, &ev, line);
	}
	s = agg_sort(a);
	agg_sorted_top(s, 2);
	write_sorted(s, &ob, AGG_NDJSON);
	ob_putc(&ob, '\0');
	n = row_paths(ob.buf, got, sizeof(got));
	tap_mem(got, n, "06 /b 06 /c 07 /z 07 /a ",
	    "agg_sorted_top: 2 rows an hour, ties in key order");
	ob_free(&ob);
	agg_sorted_free(s);
	event_free(&ev);
	agg_free(a);
}

static void
u128(void)
{
	struct obuf ob;
	struct u128 x = { 1, 0 }, y;
	const char *max = "340282366920938463463374607431768211455";

	ob_init(&ob, -1);
	u128_put(&ob, x);
	tap_mem(ob.buf, ob.len, "18446744073709551616", "2^64 in decimal");
	ob.len = 0;
	tap_ok(u128_parse(max, strlen(max), &y) == 0 && y.hi == UINT64_MAX &&
	        y.lo == UINT64_MAX,
	    "2^128 - 1 read");
	u128_put(&ob, y);
	tap_mem(ob.buf, ob.len, max, "2^128 - 1 written");
	tap_ok(
	    u128_parse("340282366920938463463374607431768211456", 39, &y) < 0,
	    "2^128 refused");
	tap_ok(u128_parse("", 0, &y) < 0 && u128_parse("1x", 2, &y) < 0,
	    "not digits refused");
	x.hi = 0;
	x.lo = UINT64_MAX;
	y.hi = UINT64_MAX;
	y.lo = 1;
	tap_ok(u128_add(&x, &y) < 0 && x.lo == UINT64_MAX, "overflow refused");
	ob_free(&ob);
}

/* Byte totals past 2^64 (events hold at most 18 digits), in one run and
 * through partial rows. */
static void
big_bytes(void)
{
	const char *ev = "{\"id\":\"a\",\"ts\":\"2025-10-13T06:00:00Z\","
	                 "\"bytes\":999999999999999999}";
	struct aggopts o;
	struct event e;
	struct agg *a, *m;
	const char *why;
	char *s, *p, *nl;
	int i, bad = 0;

	agg_defaults(&o);
	a = agg_new(&o);
	event_init(&e);
	for (i = 0; i < 20; i++)
		bad |= add(a, &e, ev);
	s = written(a, AGG_NDJSON);
	tap_ok(!bad && strstr(s, "\"bytes\":19999999999999999980,") != NULL,
	    "twenty times 1e18 - 1 bytes add up past 2^64");
	p = written(a, AGG_PARTIAL);
	m = agg_new(&o);
	for (i = 0; i < 2; i++)
		if ((nl = strchr(p, '\n')) == NULL ||
		    agg_merge_row(m, p, (size_t)(nl - p), &why) < 0)
			bad = 1;
	free(s);
	s = written(m, AGG_NDJSON);
	tap_ok(!bad && strstr(s, "\"bytes\":39999999999999999960,") != NULL,
	    "and merge");
	free(s);
	free(p);
	event_free(&e);
	agg_free(a);
	agg_free(m);
}

int
main(void)
{
	nsec();
	paths();
	csv();
	rows();
	ranges();
	tops();
	u128();
	big_bytes();
	merging();
	bad_rows();
	return tap_done() || tap_failed;
}
