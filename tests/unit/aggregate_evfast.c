/*
 * Unit tests: evfast_read gives the same event and the same verdict as
 * event_read, on events as logbook-ingest writes them and on a million
 * mutations of them (bytes changed, cut, doubled; keys reordered).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "evfast.h"
#include "evsame.h"
#include "tap.h"

static const char *const base[] = {
	"{\"id\":\"20251013T061502-0fc27c85fa206b01\",\"ts\":"
	"\"2025-10-13T04:15:02Z\",\"tz\":\"+0200\",\"ip\":\"192.0.2.1\","
	"\"ident\":null,\"user\":\"alice\",\"method\":\"GET\",\"path\":\"/a\","
	"\"query\":\"b=1\",\"proto\":\"HTTP/1.1\",\"req\":null,\"status\":200,"
	"\"bytes\":512,\"referer\":\"https://example.com/\",\"ua\":"
	"\"curl/8.0\",\"rt\":null,\"host\":null,\"src\":null,\"fmt\":"
	"\"combined\"}",
	"{\"id\":\"x\",\"ts\":\"2025-10-13T04:15:02.125Z\",\"tz\":null,"
	"\"ip\":\"::1\",\"ident\":\"-\",\"user\":null,\"method\":null,\"path\":"
	"null,\"query\":null,\"proto\":null,\"req\":\"\\\"hi\\\"\",\"status\":"
	"null,\"bytes\":null,\"referer\":null,\"ua\":\"caf\xc3\xa9\",\"rt\":"
	"0.087,\"host\":\"h\",\"src\":\"web1\",\"fmt\":\"nginx\"}",
	"{\"id\":\"y\",\"ts\":\"2025-10-13T04:15:02Z\",\"tz\":\"-0330\",\"ip\":"
	"\"h\",\"ident\":null,\"user\":null,\"method\":\"POST\",\"path\":\"/\","
	"\"query\":null,\"proto\":\"HTTP/2.0\",\"req\":null,\"status\":0,"
	"\"bytes\":0,\"referer\":null,\"ua\":null,\"rt\":12,\"host\":null,"
	"\"src\":null,\"fmt\":\"x\",\"x\":{\"%p\":\"80\"},\"cr\":true}",
};

static struct event slow, fast;

static long taken; /* lines the fast path read itself */

/* Both readers on one line; 1 when they agree. */
static int
agree(const char *line, size_t n, int *good)
{
	const char *w1 = "", *w2 = "";
	int r1 = event_read(&slow, line, n, &w1);
	int r2;

	*good = r1 == 0;
	if (evfast_try(&fast, line, n) == 0) {
		taken++;
		return r1 == 0 && fz_same_event(&slow, &fast);
	}
	r2 = evfast_read(&fast, line, n, &w2);
	if (r1 != r2)
		return 0;
	if (r1 < 0)
		return strcmp(w1, w2) == 0;
	return fz_same_event(&slow, &fast);
}

static void
mutate(char *buf, size_t *n, const char *src, size_t len)
{
	static const char bytes[] = "\"\\{}[],:0123456789.-+eEnul \t\x01\xc3z";
	size_t k = (size_t)rand() % 4 + 1, at;

	memcpy(buf, src, len);
	*n = len;
	while (k-- > 0) {
		at = (size_t)rand() % (*n + 1);
		switch (rand() % 4) {
		case 0: /* replace a byte */
			if (at < *n)
				buf[at] = bytes[rand() % (sizeof(bytes) - 1)];
			break;
		case 1: /* insert a byte */
			memmove(buf + at + 1, buf + at, *n - at);
			buf[at] = bytes[rand() % (sizeof(bytes) - 1)];
			(*n)++;
			break;
		case 2: /* delete a byte */
			if (at < *n) {
				memmove(buf + at, buf + at + 1, *n - at - 1);
				(*n)--;
			}
			break;
		default: /* cut the line */
			*n = at;
		}
	}
}

/* Timestamps one after the other, as the minute memo sees them. */
static void
timestamps(void)
{
	static const char *const ts[] = { "2025-10-13T04:15:02Z",
		"2025-10-13T04:15:59Z", "2025-10-13T04:15:60Z",
		"2025-10-13T04:15:5aZ", "2025-10-13T04:15:02.1Z",
		"2025-10-13T04:15:02.123456789Z",
		"2025-10-13T04:15:02.1234567890Z", "2025-10-13T04:15:02.Z",
		"2025-10-13T04:15:02+00:00", "2025-10-13T04:15:02+0000Z",
		"2025-10-13T04:15:02ZZ", "2025-10-13T04:15:02",
		"2025-10-13T04:16:00Z", "2025-10-13T04:15:02Z",
		"2025-02-29T04:15:02Z", "2024-02-29T04:15:02Z",
		"2024-02-29T04:15:2Z", "0999-01-01T00:00:00Z",
		"2025-10-13T24:00:00Z", "2025-10-13T04:15:02.5Z" };
	char line[1024];
	size_t i;
	int g, all = 1;

	for (i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
		snprintf(line, sizeof(line), "{\"id\":\"x\",\"ts\":\"%s\",%s",
		    ts[i], strstr(base[0], "\"tz\""));
		if (!agree(line, strlen(line), &g)) {
			printf("# differs: %s\n", ts[i]);
			all = 0;
		}
	}
	tap_ok(all, "timestamps in a row read the same");
}

int
main(void)
{
	char buf[2048];
	size_t i, n, len;
	long it, bad = 0, good = 0;
	int g, all = 1;

	event_init(&slow);
	event_init(&fast);
	for (i = 0; i < sizeof(base) / sizeof(base[0]); i++) {
		all &= agree(base[i], strlen(base[i]), &g) && g;
		if (!agree(base[i], strlen(base[i]), &g))
			printf("# differs: %s\n", base[i]);
	}
	tap_ok(all, "events as written: read the same");
	timestamps();
	srand(1);
	for (it = 0; it < 1000000; it++) {
		i = (size_t)rand() % (sizeof(base) / sizeof(base[0]));
		len = strlen(base[i]);
		mutate(buf, &n, base[i], len);
		if (!agree(buf, n, &g)) {
			if (bad++ < 5)
				printf("# differs: %.*s\n", (int)n, buf);
		}
		good += g;
	}
	tap_ok(bad == 0,
	    "1e6 mutated lines: same event, same verdict (%ld "
	    "differ; %ld still events)",
	    bad, good);
	tap_ok(good > 100000 && taken > 20000,
	    "mutations kept enough good "
	    "events (%ld, %ld through the fast path)",
	    good, taken);
	tap_ok(evfast_try(&fast, base[1], strlen(base[1])) < 0,
	    "an escape goes the slow way");
	tap_ok(evfast_try(&fast, base[0], strlen(base[0])) == 0,
	    "a plain event goes the fast way");
	tap_mem(fast.r.ua.p, fast.r.ua.n, "curl/8.0", "its ua");
	event_free(&slow);
	event_free(&fast);
	return tap_done() || tap_failed;
}
