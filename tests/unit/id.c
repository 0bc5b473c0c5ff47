/*
 * Unit test: the id rule as logbook-events(5) states it, computed here
 * from XXH64 alone, gives the id that the golden test
 * tests/golden/ingest/stdin pins for logbook-ingest's output.
 */
#include <string.h>

#include "event.h"
#include "tap.h"
#include "timeconv.h"
#include "xxhash.h"

static const char line[] = "192.0.2.1 - alice [13/Oct/2025:06:15:02 +0200] "
                           "\"GET /a?b=1 HTTP/1.1\" 200 512 "
                           "\"https://example.com/\" \"curl/8.0\"";

int
main(void)
{
	uint64_t seed, h;
	int64_t sec;
	int off;
	char id[EVENT_ID_LEN];

	/* seed = XXH64(first line, XXH64(source label, 0)); no label. */
	seed = xxh64(line, strlen(line), xxh64("", 0, 0));
	/* hash = XXH64(line, seed + line number); the line is line 1. */
	h = xxh64(line, strlen(line), seed + 1);
	clf_time_parse(line + 19, &sec, &off);
	event_id(id, sec, h);
	tap_mem(id, EVENT_ID_LEN, "20251013T041502-0fc27c85fa206b01",
	    "id by the documented rule");
	event_id(id, 0, 0xfedcba9876543210ULL);
	tap_mem(id, EVENT_ID_LEN, "19700101T000000-fedcba9876543210",
	    "id layout: UTC second, hyphen, 16 hex digits");
	return tap_done() || tap_failed;
}
