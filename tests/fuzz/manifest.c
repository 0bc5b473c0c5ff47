/*
 * libFuzzer target: the MANIFEST reader (lib/manifest.c), any bytes as a
 * manifest.  What it accepts writes back, with manifest_text, to a text
 * it accepts again as the same manifest, and that text is a fixed point.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "manifest.h"

static int
same(const struct manifest *a, const struct manifest *b)
{
	return a->day == b->day && a->events == b->events &&
	    a->hourly_rows == b->hourly_rows && a->range.any == b->range.any &&
	    a->range.sec[0] == b->range.sec[0] &&
	    a->range.sec[1] == b->range.sec[1] &&
	    strcmp(a->range.ts[0], b->range.ts[0]) == 0 &&
	    strcmp(a->range.ts[1], b->range.ts[1]) == 0 &&
	    a->sourceslen == b->sourceslen &&
	    (a->sourceslen == 0 ||
	        memcmp(a->sources, b->sources, a->sourceslen) == 0) &&
	    strcmp(a->created_by, b->created_by) == 0 &&
	    memcmp(a->sha_events, b->sha_events, SHA256_LEN) == 0 &&
	    memcmp(a->sha_hourly, b->sha_hourly, SHA256_LEN) == 0;
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
	struct manifest a, b, c;
	const char *why = NULL;
	char *t1, *t2;
	size_t n1, n2;

	memset(&a, 0, sizeof(a));
	if (manifest_parse(&a, (const char *)data, n, &why) < 0) {
		FUZZ_ASSERT(why != NULL);
		manifest_free(&a);
		return 0;
	}
	t1 = manifest_text(&a, &n1);
	FUZZ_ASSERT(t1 != NULL);
	memset(&b, 0, sizeof(b));
	FUZZ_ASSERT(manifest_parse(&b, t1, n1, &why) == 0);
	FUZZ_ASSERT(same(&a, &b));
	t2 = manifest_text(&b, &n2);
	FUZZ_ASSERT(t2 != NULL && n1 == n2 && memcmp(t1, t2, n1) == 0);
	memset(&c, 0, sizeof(c));
	FUZZ_ASSERT(manifest_parse(&c, t2, n2, &why) == 0 && same(&b, &c));
	free(t1);
	free(t2);
	manifest_free(&a);
	manifest_free(&b);
	manifest_free(&c);
	return 0;
}
