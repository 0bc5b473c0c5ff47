/*
 * libFuzzer target: any bytes as a log line.  For every named format, a
 * line that matches must give an event that reads back and rebuilds the
 * line byte for byte; the event reader must survive any input too.
 * Build and run: make fuzz (see tests/fuzz/README.md).
 */
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "logformat.h"

static void
check(const struct logformat *f, const char *line, size_t n)
{
	static const char id[] = "20000101T000000-0000000000000000";
	struct evmeta m = { id, "s", 1, NULL, 0 };
	struct obuf ev, back;
	struct event e;
	struct rec r;
	struct lf_fail fail;
	const char *why;

	if (lf_match(f, line, n, &r, &fail) < 0)
		return;
	m.fmt = f->name;
	ob_init(&ev, -1);
	ob_init(&back, -1);
	event_init(&e);
	event_write(&ev, &r, f, &m, line, n);
	if (event_read(&e, ev.buf, ev.len - 1, &why) < 0 ||
	    event_line(&back, &e, &why) < 0 || back.len != n ||
	    memcmp(back.buf, line, n) != 0)
		abort();
	event_free(&e);
	ob_free(&ev);
	ob_free(&back);
}

int LLVMFuzzerTestOneInput(const unsigned char *, size_t);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
	const char *const *name;
	struct event e;
	struct obuf ob;
	const char *why;

	if (memchr(data, '\n', n) != NULL)
		return 0;
	for (name = lf_names(); *name != NULL; name++)
		check(lf_named(*name), (const char *)data, n);
	event_init(&e);
	ob_init(&ob, -1);
	if (event_read(&e, (const char *)data, n, &why) == 0)
		(void)event_line(&ob, &e, &why);
	ob_free(&ob);
	event_free(&e);
	return 0;
}
