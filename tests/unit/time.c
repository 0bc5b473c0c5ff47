/* Unit tests: calendar arithmetic and timestamp parsing/formatting. */
#include <stdint.h>
#include <string.h>

#include "tap.h"
#include "timeconv.h"

static void
clf(const char *in, const char *want_iso, int want_off)
{
	int64_t sec;
	int off;
	char iso[ISO_SEC_LEN], back[CLF_TIME_LEN];

	if (clf_time_parse(in, &sec, &off) < 0) {
		tap_ok(0, "clf parse %s", in);
		return;
	}
	iso_time_format(iso, sec);
	tap_mem(iso, ISO_SEC_LEN, want_iso, in);
	tap_ok(
	    off == want_off, "offset of %s is %d (got %d)", in, want_off, off);
	clf_time_format(back, sec, off, in + 21);
	tap_mem(back, CLF_TIME_LEN, in, "clf round trip");
}

static void
clf_bad(const char *in)
{
	int64_t sec;
	int off;

	tap_ok(clf_time_parse(in, &sec, &off) < 0, "rejects [%s]", in);
}

static void
civil(void)
{
	int64_t d, y;
	unsigned m, dd;
	int ok = 1;

	tap_ok(days_from_civil(1970, 1, 1) == 0, "epoch is day 0");
	tap_ok(days_from_civil(2000, 3, 1) == 11017, "2000-03-01");
	for (d = -800000; d < 800000; d += 7) {
		civil_from_days(d, &y, &m, &dd);
		if (days_from_civil(y, m, dd) != d)
			ok = 0;
	}
	tap_ok(ok, "civil_from_days inverts days_from_civil");
	tap_ok(days_in_month(2024, 2) == 29, "2024 is leap");
	tap_ok(days_in_month(1900, 2) == 28, "1900 is not leap");
	tap_ok(days_in_month(2000, 2) == 29, "2000 is leap");
}

static void
iso(void)
{
	int64_t sec;
	int off;
	size_t fl;
	char out[32];

	tap_ok(
	    iso_time_parse("2025-10-13T06:15:02Z", 20, &sec, &off, &fl) == 0 &&
	        sec == 1760336102 && off == 0 && fl == 0,
	    "iso Z");
	tap_ok(iso_time_parse(
	           "2025-10-13T06:15:02.125Z", 24, &sec, &off, &fl) == 0 &&
	        fl == 3,
	    "iso fraction");
	tap_ok(iso_time_parse(
	           "2025-10-13T08:15:02+02:00", 25, &sec, &off, &fl) == 0 &&
	        sec == 1760336102 && off == 120,
	    "iso offset");
	tap_ok(iso_time_parse("2025-02-29T00:00:00Z", 20, &sec, &off, &fl) < 0,
	    "iso rejects 2025-02-29");
	iso_offset_format(out, 1760336102, -330);
	tap_mem(out, 25, "2025-10-13T00:45:02-05:30", "iso offset format");
}

int
main(void)
{
	civil();
	clf("10/Oct/2000:13:55:36 -0700", "2000-10-10T20:55:36Z", -420);
	clf("01/Jan/2025:00:30:00 +1400", "2024-12-31T10:30:00Z", 840);
	clf("31/Dec/2024:23:59:59 -1200", "2025-01-01T11:59:59Z", -720);
	clf("29/Feb/2024:12:00:00 +0000", "2024-02-29T12:00:00Z", 0);
	clf("01/Mar/2024:01:00:00 +0200", "2024-02-29T23:00:00Z", 120);
	clf("01/Mar/2021:03:25:25 +0800", "2021-02-28T19:25:25Z", 480);
	clf("22/Jan/2019:03:56:14 +0330", "2019-01-22T00:26:14Z", 210);
	clf("01/Aug/1995:00:00:01 -0400", "1995-08-01T04:00:01Z", -240);
	clf("13/Oct/2025:00:10:00 -0530", "2025-10-13T05:40:00Z", -330);
	clf("31/Dec/1999:23:59:59 -0000", "1999-12-31T23:59:59Z", 0);
	clf_bad("29/Feb/2025:12:00:00 +0000");
	clf_bad("32/Jan/2025:12:00:00 +0000");
	clf_bad("10/Foo/2000:13:55:36 -0700");
	clf_bad("10/Oct/2000:24:00:00 -0700");
	clf_bad("10/Oct/2000:13:60:00 -0700");
	clf_bad("10/Oct/2000:13:55:60 -0700");
	clf_bad("10/Oct/2000:13:55:36 -07:0");
	clf_bad("10/Oct/2000:13:55:36 +2400");
	clf_bad("10/oct/2000:13:55:36 -0700");
	clf_bad("1/Oct/2000:13:55:36 -07000");
	iso();
	return tap_done() || tap_failed;
}
