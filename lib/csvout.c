/* CSV text fields. */
#include <csv.h>
#include <string.h>

#include "csvout.h"
#include "diag.h"

/* Whether a spreadsheet could take the text for a formula. */
int
csv_risky(const char *s, size_t n)
{
	return n > 0 && strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
}

/* One quoted field; safe: neutralise what csv_risky finds. */
void
csv_text(struct obuf *ob, const char *s, size_t n, int safe)
{
	size_t room, k;
	char *o;

	if (n > (SIZE_MAX - 3) / 2)
		lb_errx(EX_FAIL, "CSV field too large");
	room = 2 * n + 3;
	o = ob_reserve(ob, room);
	k = csv_write(o, room, s, n);
	if (safe && csv_risky(s, n)) {
		memmove(o + 2, o + 1, k - 1);
		o[1] = '\'';
		k++;
	}
	ob->len += k;
}
