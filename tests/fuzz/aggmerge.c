/*
 * libFuzzer target: the partial-row reader of logbook-aggregate -m
 * (lib/aggmerge.c), with its base64 sketches (lib/base64.c, lib/hll.c,
 * lib/qsketch.c).  The input is lines of partial rows.  Every line is
 * merged or refused; then
 *
 *	- the partial rows written of what was merged are all accepted
 *	  again, and merged give the same partial rows (byte for byte);
 *	- merged in the reverse order they give the same rows again (the
 *	  state does not depend on the order of merging);
 *	- the final rows, NDJSON and CSV, are written without fault.
 */
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "fuzz.h"

/* Each line of p into a; how many were accepted. */
static size_t
merge_lines(struct agg *a, const char *p, size_t n, int reverse)
{
	const char *end = p + n, *s, *nl;
	const char *why;
	size_t ok = 0;

	if (reverse) {
		while (end > p) {
			s = end - 1; /* the newline that ends the line */
			while (s > p && s[-1] != '\n')
				s--;
			FUZZ_ASSERT(agg_merge_row(a, s, (size_t)(end - 1 - s),
			                &why) == 0);
			ok++;
			end = s;
		}
		return ok;
	}
	for (s = p; s < end; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (nl == NULL)
			nl = end;
		why = NULL;
		if (agg_merge_row(a, s, (size_t)(nl - s), &why) == 0)
			ok++;
		else
			FUZZ_ASSERT(why != NULL);
	}
	return ok;
}

static void
written(struct agg *a, struct obuf *ob, enum agg_out how)
{
	ob_init(ob, -1);
	FUZZ_ASSERT(agg_write(a, ob, how) == 0);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
	struct aggopts o;
	struct agg *a, *b, *c;
	struct obuf p1, p2, p3, fin;

	memset(&o, 0, sizeof(o));
	a = agg_new(&o);
	(void)merge_lines(a, (const char *)data, n, 0);
	written(a, &p1, AGG_PARTIAL);
	b = agg_new(&o);
	FUZZ_ASSERT(merge_lines(b, p1.buf, p1.len, 0) == agg_nrows(a));
	written(b, &p2, AGG_PARTIAL);
	FUZZ_ASSERT(p1.len == p2.len && memcmp(p1.buf, p2.buf, p1.len) == 0);
	c = agg_new(&o);
	(void)merge_lines(c, p1.buf, p1.len, 1);
	written(c, &p3, AGG_PARTIAL);
	FUZZ_ASSERT(p1.len == p3.len && memcmp(p1.buf, p3.buf, p1.len) == 0);
	written(a, &fin, AGG_NDJSON);
	ob_free(&fin);
	written(a, &fin, AGG_CSV_SAFE);
	ob_free(&fin);
	ob_free(&p1);
	ob_free(&p2);
	ob_free(&p3);
	agg_free(a);
	agg_free(b);
	agg_free(c);
	return 0;
}
