/*
 * Unit tests: archive names and ids (lib/archfmt.h), the manifest's
 * text both ways, its strict reading, sources and the ts range
 * (lib/manifest.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archfmt.h"
#include "manifest.h"
#include "tap.h"

static void
names(void)
{
	char rel[ARCH_RELLEN + 1], date[ARCH_DATELEN + 1];
	struct idkey a, b;
	int64_t day;

	tap_ok(arch_day(86399) == 0 && arch_day(86400) == 1 &&
	        arch_day(-1) == -1 && arch_day(-86400) == -1 &&
	        arch_day(-86401) == -2,
	    "days round down on both sides of 1970");
	arch_relpath(rel, 20374);
	tap_mem(rel, strlen(rel), "2025/10/logbook-2025-10-13.tar.gz",
	    "relative path of a day");
	tap_ok(arch_parse_base("logbook-2025-10-13.tar.gz", 25, &day) == 0 &&
	        day == 20374,
	    "file name to its day");
	tap_ok(arch_parse_base("logbook-2025-02-30.tar.gz", 25, &day) < 0 &&
	        arch_parse_base("logbook-2025-10-13.tar", 22, &day) < 0 &&
	        arch_parse_base(".logbook-2025-10-13.tar.gz", 26, &day) < 0,
	    "other names are not archives");
	tap_ok(arch_date(date, -719529) < 0 && arch_date(date, 2932897) < 0 &&
	        arch_date(date, -719528) == 0 &&
	        strcmp(date, "0000-01-01") == 0,
	    "dates have four-digit years");
	tap_ok(arch_idkey("20251013T061502-0123456789abcdef", 32, &a) == 0 &&
	        a.t == 20251013061502ULL && a.h == 0x0123456789abcdefULL,
	    "an id packs into two numbers");
	tap_ok(arch_idkey("20251013T061502-0123456789ABCDEF", 32, &b) < 0 &&
	        arch_idkey("20251013T061502-0123456789abcde", 31, &b) < 0 &&
	        arch_idkey("20251013 061502-0123456789abcdef", 32, &b) < 0 &&
	        arch_idkey("2025101xT061502-0123456789abcdef", 32, &b) < 0,
	    "ids of another form are refused");
	arch_idkey("20251013T061502-f123456789abcdef", 32, &b);
	tap_ok(arch_idcmp(&a, &b) < 0 && arch_idcmp(&b, &a) > 0 &&
	        arch_idcmp(&a, &a) == 0,
	    "packed ids sort as the text");
}

static const char good[] =
    "logbook-manifest 1\n"
    "date 2025-10-13\n"
    "events 3\n"
    "hourly_rows 2\n"
    "first 2025-10-13T00:00:00Z\n"
    "last 2025-10-13T23:59:59.5Z\n"
    "sources - web%201 x\n"
    "created_by logbook-archive 0.1.0\n"
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  "
    "events.ndjson\n"
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  "
    "hourly.ndjson\n";

/* good with line `from` replaced by `to` ("" deletes it). */
static const char *
edit(const char *from, const char *to)
{
	static char buf[2048];
	const char *p = strstr(good, from);
	size_t k = (size_t)(p - good);

	snprintf(
	    buf, sizeof(buf), "%.*s%s%s", (int)k, good, to, p + strlen(from));
	return buf;
}

static void
refuse(const char *text, const char *want, const char *name)
{
	struct manifest m;
	const char *why = NULL;
	int rc = manifest_parse(&m, text, strlen(text), &why);

	tap_ok(rc < 0 && why != NULL && strstr(why, want) != NULL, "%s: %s",
	    name, why != NULL ? why : "accepted");
	manifest_free(&m);
}

static void
manifests(void)
{
	struct manifest m;
	const char *why;
	size_t n;
	char *t;

	tap_ok(manifest_parse(&m, good, strlen(good), &why) == 0 &&
	        m.events == 3 && m.hourly_rows == 2 && m.day == 20374 &&
	        m.sha_events[0] == 0xba && m.sha_hourly[31] == 0x55,
	    "a manifest is read");
	t = manifest_text(&m, &n);
	tap_mem(t, n, good, "and written back byte for byte");
	free(t);
	manifest_free(&m);
	refuse(edit("events 3\n", ""), "no events", "a key missing");
	refuse(edit("events 3\n", "events 3\nevents 3\n"), "repeated",
	    "a key twice");
	refuse(edit("events 3", "events 03"), "bad value of events",
	    "a leading zero");
	refuse(edit("events 3", "events 18446744073709551616"),
	    "bad value of events", "a count past 64 bits");
	refuse(edit("date 2025-10-13", "date 2025-13-01"), "bad value of date",
	    "a month 13");
	refuse(edit("ba78", "Ba78"), "bad value of events.ndjson",
	    "upper-case hex");
	refuse(edit("  hourly.ndjson", "  other.ndjson"), "neither",
	    "a checksum of another member");
	refuse(edit("logbook-manifest 1", "logbook-manifest 2"), "line 1",
	    "a later schema");
	refuse(edit("first 2025-10-13T00:00:00Z", "first -"), "first and last",
	    "no first with events");
	refuse(edit("hourly.ndjson\n", "hourly.ndjson"), "no newline",
	    "no newline at the end");
	refuse(edit("sources - ", "sources -\t"), "control",
	    "a control character");
	tap_ok(manifest_parse(&m, edit("created_by", "later_key 1\ncreated_by"),
	           strlen(good) + 12, &why) == 0,
	    "keys of later versions are ignored");
	manifest_free(&m);
}

static void
sources(void)
{
	struct srcset *s = srcset_new();
	char *t, name[16];
	size_t n;
	int i;

	t = srcset_text(s, &n);
	tap_mem(t, n, "-", "no events: -");
	free(t);
	srcset_add(s, "web 1", 5);
	srcset_add(s, "-", 1);
	srcset_add(s, "", 0);
	srcset_add(s, "a%\"b", 4);
	srcset_add(s, "web 1", 5);
	t = srcset_text(s, &n);
	tap_mem(t, n, "\"\" %2D a%25%22b web%201",
	    "labels sorted, encoded, once each");
	free(t);
	srcset_add(s, NULL, 0);
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "s%03d", i);
		srcset_add(s, name, 4);
	}
	t = srcset_text(s, &n);
	tap_ok(n > 2 && memcmp(t, "- \"\" %2D ", 9) == 0 &&
	        strstr(t, " s000 s001 ") != NULL &&
	        strcmp(t + n - 12, "s099 web%201") == 0,
	    "events without a source first, and many labels");
	free(t);
	srcset_free(s);
}

static void
ranges(void)
{
	struct tsrange r;

	memset(&r, 0, sizeof(r));
	tsrange_add(&r, "2025-10-13T06:15:02.5Z", 22, 100);
	tsrange_add(&r, "2025-10-13T06:15:02Z", 20, 100);
	tsrange_add(&r, "2025-10-13T06:15:02.45Z", 23, 100);
	tsrange_add(&r, "2025-10-13T06:15:02.500Z", 24, 100);
	tap_ok(strcmp(r.ts[0], "2025-10-13T06:15:02Z") == 0 &&
	        strcmp(r.ts[1], "2025-10-13T06:15:02.5Z") == 0,
	    "first and last by time, fractions compared as numbers");
	tap_ok(tsrange_add(&r, "2025-10-13T06:15:02.5000000000000000000000Z",
	           43, 100) < 0,
	    "too long a ts is refused");
}

int
main(void)
{
	names();
	manifests();
	sources();
	ranges();
	return tap_done() || tap_failed;
}
