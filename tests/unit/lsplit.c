/*
 * Unit tests of lib/lsplit: lines out of blocks cut anywhere, line
 * numbers, the carried start of a line, a line too long, a callback
 * that refuses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lineread.h"
#include "lsplit.h"
#include "tap.h"

struct got {
	char text[4096]; /* the lines, each ended by '|', while room */
	size_t n; /* bytes of the lines and their '|', room or not */
	uint64_t lines[64]; /* s->line as each was handed */
	size_t nl;
	struct lsplit *s;
	size_t refuse; /* refuse this line (1-based); 0: none */
};

static int
take(void *arg, const char *p, size_t n)
{
	struct got *g = arg;

	g->lines[g->nl++] = g->s->line;
	if (g->nl == g->refuse)
		return -1;
	if (n < sizeof(g->text) - g->n) {
		memcpy(g->text + g->n, p, n);
		g->text[g->n + n] = '|';
	}
	g->n += n + 1;
	return 0;
}

/* Feed text in blocks of k bytes; the status of the last call. */
static int
feed(struct lsplit *s, struct got *g, const char *text, size_t k)
{
	size_t len = strlen(text), i, m;
	int rc = 0;

	memset(g, 0, sizeof(*g));
	g->s = s;
	for (i = 0; i < len && rc == 0; i += m) {
		m = len - i < k ? len - i : k;
		rc = ls_block(s, text + i, m, take, g);
	}
	return rc;
}

static void
every_cut(void)
{
	const char *text = "one\n\ntwo three\nfour\n";
	struct lsplit s = { 0 };
	struct got g;
	size_t k;
	int good = 1;

	for (k = 1; k <= strlen(text); k++) {
		ls_reset(&s);
		good &= feed(&s, &g, text, k) == 0 && g.n == 20 &&
		    memcmp(g.text, "one||two three|four|", 20) == 0 &&
		    g.nl == 4 && g.lines[0] == 1 && g.lines[3] == 4 &&
		    s.ncarry == 0 && s.line == 4;
	}
	tap_ok(good, "blocks of 1 to 20 bytes: the same four lines, numbered");
	ls_reset(&s);
	feed(&s, &g, "one\n\ntwo three\nfour\n", 3);
	tap_mem(g.text, g.n, "one||two three|four|", "the lines' bytes");
	ls_reset(&s);
	feed(&s, &g, "a\nb", 1);
	tap_ok(g.nl == 1 && s.ncarry == 1 && s.line == 1,
	    "an unfinished last line is held, not handed over");
	ls_free(&s);
}

static void
too_long(void)
{
	struct lsplit s = { 0 };
	struct got g;
	char *big = malloc(LR_MAXLINE + 16);
	int rc;

	memcpy(big, "x\n", 2);
	memset(big + 2, 'y', LR_MAXLINE + 1);
	big[LR_MAXLINE + 3] = '\n';
	big[LR_MAXLINE + 4] = '\0';
	rc = feed(&s, &g, big, 65536);
	tap_ok(rc == -2 && s.line == 1,
	    "a line over LR_MAXLINE: -2, after line 1");
	ls_reset(&s);
	big[LR_MAXLINE + 2] = '\n'; /* exactly LR_MAXLINE bytes */
	big[LR_MAXLINE + 3] = '\0';
	rc = feed(&s, &g, big, 65536);
	tap_ok(rc == 0 && s.line == 2 && g.n == 2 + LR_MAXLINE + 1,
	    "a line of exactly LR_MAXLINE bytes passes");
	ls_free(&s);
	free(big);
}

static void
refused(void)
{
	struct lsplit s = { 0 };
	struct got g;
	int rc;

	memset(&g, 0, sizeof(g));
	g.s = &s;
	g.refuse = 2;
	rc = ls_block(&s, "a\nb\nc\n", 6, take, &g);
	tap_ok(rc == -1 && g.nl == 2 && s.line == 2,
	    "a callback's -1 stops the block at its line");
	ls_free(&s);
}

int
main(void)
{
	every_cut();
	too_long();
	refused();
	return tap_done();
}
