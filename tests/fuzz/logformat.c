/*
 * libFuzzer target: the LogFormat / log_format compiler (lib/logformat.c).
 * The input is a spec, and after its first newline a line.  Any spec
 * compiles or is refused with a message; one that compiles must match
 * the line, or not, without fault, and a line it matches must render
 * back to its bytes: directly when the fields hold it all, and through
 * the event that logbook-ingest would write for it (whose fmt is the
 * spec, compiled again by the reader) in every case.
 */
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "fuzz.h"
#include "logformat.h"

static void
through_event(
    const struct logformat *f, const struct rec *r, const char *line, size_t n)
{
	static const char id[] = "20000101T000000-0000000000000000";
	struct evmeta m = { id, NULL, 0, NULL, 0 };
	struct obuf ev, back;
	struct event e;
	const char *why = "";

	m.fmt = f->name;
	ob_init(&ev, -1);
	ob_init(&back, -1);
	event_init(&e);
	event_write(&ev, r, f, &m, line, n);
	FUZZ_ASSERT(event_read(&e, ev.buf, ev.len - 1, &why) == 0);
	FUZZ_ASSERT(event_line(&back, &e, &why) == 0);
	FUZZ_ASSERT(back.len == n && memcmp(back.buf, line, n) == 0);
	event_free(&e);
	ob_free(&ev);
	ob_free(&back);
}

static void
direct(
    const struct logformat *f, const struct rec *r, const char *line, size_t n)
{
	struct obuf ob;

	if (r->lossy)
		return;
	ob_init(&ob, -1);
	lf_render(f, r, &ob);
	FUZZ_ASSERT(ob.len == n && memcmp(ob.buf, line, n) == 0);
	ob_free(&ob);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *p = (const char *)data, *nl, *line;
	struct logformat f;
	struct lf_fail fail;
	struct rec r;
	char err[256], *spec;
	size_t n, sl;

	nl = memchr(p, '\n', size);
	sl = nl != NULL ? (size_t)(nl - p) : size;
	if (memchr(p, '\0', sl) != NULL || sl >= 4096)
		return 0;
	spec = malloc(sl + 1);
	memcpy(spec, p, sl);
	spec[sl] = '\0';
	err[0] = '\0';
	if (lf_compile(&f, spec, spec, err, sizeof(err)) < 0) {
		FUZZ_ASSERT(err[0] != '\0');
		free(spec);
		return 0;
	}
	line = nl != NULL ? nl + 1 : p + size;
	n = (size_t)(p + size - line);
	if (memchr(line, '\n', n) == NULL &&
	    lf_match(&f, line, n, &r, &fail) == 0) {
		direct(&f, &r, line, n);
		through_event(&f, &r, line, n);
	}
	lf_free(&f);
	free(spec);
	return 0;
}
