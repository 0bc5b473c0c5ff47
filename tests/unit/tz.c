/*
 * Unit tests of lib/tz.c: zones by name and by offset, the offset at an
 * instant, and local clock times back to UTC across the changes of the
 * clocks (the system's zoneinfo, as --tz reads it).
 */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "timeconv.h"
#include "tz.h"

static int64_t
utc(const char *s)
{
	int64_t t = 0;
	size_t fl;
	int off;

	if (iso_time_parse(s, strlen(s), &t, &off, &fl) < 0)
		tap_ok(0, "iso_time_parse(%s)", s);
	return t;
}

static void
parse_bad(const char *s)
{
	struct lbtz z;
	const char *why = NULL;

	tap_ok(tz_parse(&z, s, &why) < 0 && why != NULL, "tz_parse(%s) refused",
	    s);
}

static void
fixed(void)
{
	struct lbtz z;
	const char *why;

	tap_ok(tz_parse(&z, "-0400", &why) == 0 && !z.named && z.fixed == -240,
	    "tz_parse(-0400): 240 minutes west");
	tap_ok(tz_parse(&z, "+05:45", &why) == 0 && z.fixed == 345,
	    "tz_parse(+05:45)");
	tap_ok(tz_parse(&z, "UTC", &why) == 0 && !z.named && z.fixed == 0,
	    "tz_parse(UTC): no offset");
	tap_ok(tz_utc(&z, 1000) == 1000, "tz_utc in UTC is the same second");
	parse_bad("+2500");
	parse_bad("Nowhere/Zone");
	parse_bad("../../etc/passwd");
	parse_bad("/etc/localtime");
	parse_bad("");
}

/* In zone, local clock l (written as if UTC) is UTC second want. */
static void
back(const struct lbtz *z, const char *l, const char *want)
{
	int64_t got = tz_utc(z, utc(l));

	tap_ok(got == utc(want), "%s: %s is %s (got %lld)", z->name, l, want,
	    (long long)(got - utc(want)));
}

static void
named(void)
{
	struct lbtz z;
	const char *why;

	if (tz_parse(&z, "America/New_York", &why) < 0) {
		tap_ok(0, "tz_parse(America/New_York): %s", why);
		return;
	}
	tap_mem(z.name, strlen(z.name), "America/New_York", "the zone's name");
	tap_ok(tz_off(&z, utc("2025-07-01T12:00:00Z")) == -240, "EDT -04:00");
	tap_ok(tz_off(&z, utc("2025-12-01T12:00:00Z")) == -300, "EST -05:00");
	tap_ok(tz_off(&z, utc("2025-11-02T05:59:59Z")) == -240 &&
	        tz_off(&z, utc("2025-11-02T06:00:00Z")) == -300,
	    "the clock goes back at 06:00Z on 2 November 2025");
	back(&z, "2025-11-02T00:00:00Z", "2025-11-02T04:00:00Z");
	back(&z, "2025-11-02T01:30:00Z", "2025-11-02T05:30:00Z");
	back(&z, "2025-11-03T00:00:00Z", "2025-11-03T05:00:00Z");
	back(&z, "2025-03-09T02:30:00Z", "2025-03-09T07:00:00Z");
	back(&z, "2025-03-09T03:00:00Z", "2025-03-09T07:00:00Z");
	if (tz_parse(&z, "Australia/Lord_Howe", &why) == 0) {
		back(&z, "2025-10-05T02:00:00Z", "2025-10-04T15:30:00Z");
		back(&z, "2025-10-05T02:30:00Z", "2025-10-04T15:30:00Z");
		back(&z, "2025-10-05T00:00:00Z", "2025-10-04T13:30:00Z");
	} else
		tap_ok(0, "tz_parse(Australia/Lord_Howe): %s", why);
}

int
main(void)
{
	fixed();
	named();
	return tap_failed | tap_done();
}
