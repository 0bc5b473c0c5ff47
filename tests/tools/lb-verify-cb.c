/*
 * Test tool: what lib/verify.h hands a caller, as logbook-restore takes
 * it.  Writes the manifest's date, each event line handed over (with the
 * id of the event it parsed to, which must be the line's), each hourly
 * row, then "ok", or "fail CHECK: DETAIL" and exit status 1.  With -n N
 * the event callback refuses the Nth event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archfmt.h"
#include "diag.h"
#include "verify.h"

struct seen {
	struct obuf ob;
	unsigned long refuse, n;
};

static int
manifest(void *arg, const struct manifest *m)
{
	struct seen *s = arg;
	char date[ARCH_DATELEN + 1];

	arch_date(date, m->day);
	ob_lit(&s->ob, "manifest ");
	ob_write(&s->ob, date, ARCH_DATELEN);
	ob_putc(&s->ob, '\n');
	return 0;
}

static int
event(void *arg, const char *line, size_t n, const struct event *ev)
{
	struct seen *s = arg;

	if (++s->n == s->refuse)
		return -1;
	ob_lit(&s->ob, "event ");
	ob_write(&s->ob, ev->id.p, ev->id.n);
	ob_putc(&s->ob, ' ');
	ob_write(&s->ob, line, n);
	ob_putc(&s->ob, '\n');
	ob_drain(&s->ob);
	return 0;
}

static int
hourly(void *arg, const char *line, size_t n)
{
	struct seen *s = arg;

	ob_lit(&s->ob, "row ");
	ob_write(&s->ob, line, n);
	ob_putc(&s->ob, '\n');
	ob_drain(&s->ob);
	return 0;
}

int
main(int argc, char **argv)
{
	struct verify_opts o = { 2, manifest, event, hourly, NULL };
	struct verify_result res;
	struct seen s;
	int rc;

	lb_setprogname(argv[0]);
	memset(&s, 0, sizeof(s));
	if (argc == 4 && strcmp(argv[1], "-n") == 0) {
		s.refuse = strtoul(argv[2], NULL, 10);
		argv += 2;
		argc -= 2;
	}
	if (argc != 2)
		lb_errx(EX_USAGE_, "usage: lb-verify-cb [-n N] archive");
	ob_init(&s.ob, STDOUT_FILENO);
	o.arg = &s;
	rc = verify_archive(argv[1], &o, &res);
	if (rc == 0)
		ob_lit(&s.ob, "ok\n");
	else {
		ob_lit(&s.ob, "fail ");
		ob_write(&s.ob, res.check, strlen(res.check));
		ob_lit(&s.ob, ": ");
		ob_write(&s.ob, res.detail, strlen(res.detail));
		ob_putc(&s.ob, '\n');
	}
	verify_free(&res);
	if (ob_flush(&s.ob) < 0)
		lb_err(EX_FAIL, "stdout");
	ob_free(&s.ob);
	return rc < 0 ? EX_FAIL : 0;
}
