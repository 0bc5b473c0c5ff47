/*
 * Unit tests of the progress line's text (lib/progress.h pg_format):
 * percentages, N of N, the time left, counts and rates when the total
 * is not known, a line cut short to its buffer.
 */
#include <stdio.h>
#include <string.h>

#include "progress.h"
#include "tap.h"

static void
check(const struct pg_view *v, const char *want, const char *name)
{
	char buf[256];
	size_t n = pg_format(buf, sizeof(buf), v);

	tap_mem(buf, n, want, name);
	tap_ok(n == strlen(buf), "%s: the length returned", name);
}

static void
known_bytes(void)
{
	struct pg_view v = { "prog: a.log", NULL, "lines", 12345678, 45600000,
		81234, 2.0 };

	check(&v, "prog: a.log: 27% 12.3 of 45.6 MB, 81234 lines, ETA 0:06",
	    "bytes of a known total");
	v.done = v.total;
	check(&v, "prog: a.log: 100% 45.6 of 45.6 MB, 81234 lines",
	    "all the bytes: 100%, no ETA");
	v.done = v.total - 1;
	check(&v, "prog: a.log: 99% 45.6 of 45.6 MB, 81234 lines, ETA 0:01",
	    "one byte short: 99%, never 100%");
	v.done = v.total + 5000000; /* the file grew while read */
	check(&v, "prog: a.log: 100% 50.6 of 50.6 MB, 81234 lines",
	    "more than the total");
	v.done = 0;
	check(&v, "prog: a.log: 0% 0.0 of 45.6 MB, 81234 lines",
	    "nothing yet: no ETA");
}

static void
known_items(void)
{
	struct pg_view v = { "prog", "archives", "events", 3, 10, 51234, 10.0 };

	check(&v, "prog: 30% 3 of 10 archives, 51234 events, ETA 0:24",
	    "items of a known total");
	v.done = 10;
	check(&v, "prog: 100% 10 of 10 archives, 51234 events", "N of N");
	v.done = 1;
	v.total = 1000;
	v.elapsed = 100;
	check(&v, "prog: 0% 1 of 1000 archives, 51234 events, ETA 27:45:00",
	    "ETA in hours");
	v.total = 1000000;
	check(&v, "prog: 0% 1 of 1000000 archives, 51234 events, ETA >99h",
	    "ETA past 99 hours");
	v.extranoun = NULL;
	v.total = 4;
	v.elapsed = 0.5;
	check(&v, "prog: 25% 1 of 4 archives, ETA 0:02", "no extra count");
}

static void
unknown_total(void)
{
	struct pg_view v = { "prog: -", NULL, "lines", 12300000, 0, 81234,
		3.0 };

	check(&v, "prog: -: 12.3 MB, 81234 lines, 4.1 MB/s",
	    "bytes, total not known: a rate");
	v.noun = "archives";
	v.extranoun = NULL;
	v.done = 3;
	check(&v, "prog: -: 3 archives, 1.0 archives/s", "a slow rate");
	v.done = 300;
	check(&v, "prog: -: 300 archives, 100 archives/s", "a fast rate");
	v.elapsed = 0;
	check(&v, "prog: -: 300 archives", "no time yet: no rate");
}

static void
cut_short(void)
{
	struct pg_view v = { "prog", "archives", "events", 3, 10, 51234, 10.0 };
	char buf[12];
	size_t n = pg_format(buf, sizeof(buf), &v);

	tap_mem(buf, n, "prog: 30% 3", "cut short to the buffer");
	n = pg_format(buf, 1, &v);
	tap_ok(n == 0 && buf[0] == '\0', "a buffer of one byte");
}

int
main(void)
{
	known_bytes();
	known_items();
	unknown_total();
	cut_short();
	return tap_done() || tap_failed;
}
