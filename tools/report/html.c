/*
 * The page: one HTML file with its CSS inline and its charts as inline
 * SVG; no script, font or image to fetch, so that it reads the same
 * opened from disk, offline, or printed.  The totals are in data-value
 * attributes of elements with ids, for tests and scripts to find.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "timeconv.h"

#ifndef VERSION
#define VERSION "0"
#endif

static const char css[] =
    ":root{--fg:#1b1f24;--mute:#5b6470;--line:#d9dee4;--bg:#f5f7f9;"
    "--card:#fff;--bad:#c62828}"
    "*{box-sizing:border-box}"
    "body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',"
    "Roboto,sans-serif;color:var(--fg);background:var(--bg)}"
    "header,main,footer{max-width:1100px;margin:0 auto;padding:0 16px}"
    "header{padding-top:20px}"
    "h1{font-size:1.6em;margin:0 0 4px}"
    "h2{font-size:1.25em;margin:28px 0 10px;padding-bottom:4px;"
    "border-bottom:2px solid var(--line)}"
    "h3{font-size:1em;margin:0 0 6px}"
    ".sub{color:var(--mute);margin:0}"
    ".tiles{display:grid;grid-template-columns:repeat(auto-fill,"
    "minmax(160px,1fr));gap:10px;margin:16px 0}"
    ".tile{background:var(--card);border:1px solid var(--line);"
    "border-radius:8px;padding:10px 12px}"
    ".tile b{display:block;font-size:1.5em;font-variant-numeric:"
    "tabular-nums;white-space:nowrap}"
    ".tile span{color:var(--mute);font-size:.85em}"
    ".tile.bad b,td.bad{color:var(--bad)}"
    ".panel{background:var(--card);border:1px solid var(--line);"
    "border-radius:8px;padding:12px;margin:12px 0;break-inside:avoid}"
    ".note{color:var(--mute);font-size:.85em;margin:6px 0 0}"
    ".chart svg{width:100%;height:auto;display:block}"
    ".chart .narrow{display:none}"
    "svg text{font-size:12px;fill:#39424c}"
    "svg .yl{text-anchor:end}svg .xl,svg .xt,svg .yt{text-anchor:middle}"
    "svg .xt,svg .yt{font-weight:600}"
    "svg .grid{stroke:#e6e9ed}svg .axis{stroke:#8a939c}"
    ".legend{list-style:none;padding:0;margin:6px 0 0;display:flex;"
    "flex-wrap:wrap;gap:4px 14px;font-size:.85em}"
    ".legend i{display:inline-block;width:11px;height:11px;"
    "border-radius:2px;margin-right:5px;vertical-align:-1px}"
    ".tw{overflow-x:auto}"
    "table{border-collapse:collapse;width:100%;font-size:.9em}"
    "th,td{padding:4px 8px;border-bottom:1px solid var(--line);"
    "text-align:left;vertical-align:top}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}"
    "td.p{word-break:break-all;font-family:ui-monospace,monospace;"
    "font-size:.92em}"
    ".warn{background:#fdecea;border:1px solid #f5c2c0;color:#8a1c1c;"
    "border-radius:8px;padding:8px 12px;margin:12px 0}"
    ".grid2{display:grid;grid-template-columns:1fr 1fr;gap:12px}"
    "@media (max-width:760px){.grid2{grid-template-columns:1fr}"
    "body{font-size:14px}.tile b{font-size:1.25em}"
    ".chart .wide{display:none}.chart .narrow{display:block}"
    "td.p{min-width:11em}.opt{display:none}}"
    "footer{color:var(--mute);font-size:.8em;padding:20px 16px 30px}"
    "@media print{body{background:#fff}.panel,.tile{border-color:#bbb}"
    ".chart .wide{display:block}.chart .narrow{display:none}}";

void
html_text(struct obuf *ob, const char *p, size_t n)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		if (c == '<')
			ob_lit(ob, "&lt;");
		else if (c == '>')
			ob_lit(ob, "&gt;");
		else if (c == '&')
			ob_lit(ob, "&amp;");
		else if (c == '"')
			ob_lit(ob, "&quot;");
		else if (c < 0x20 || c == 0x7f)
			ob_putc(ob, '?'); /* a control byte: show it is there */
		else
			ob_putc(ob, (char)c);
	}
}

/* An exact count with thousands separators: 1,234,567. */
static void
group(char *buf, size_t n, double v)
{
	char d[32];
	size_t i, j = 0, len;

	snprintf(d, sizeof(d), "%.0f", v);
	len = strlen(d);
	for (i = 0; i < len && j + 2 < n; i++) {
		if (i > 0 && d[i - 1] != '-' && (len - i) % 3 == 0)
			buf[j++] = ',';
		buf[j++] = d[i];
	}
	buf[j] = '\0';
}

/* Seconds as a duration: 12 ms, 4.2 s, 7.5 min, 3.1 h, 2.4 days. */
static void
duration(char *buf, size_t n, double v)
{
	if (v < 1)
		snprintf(buf, n, "%.3g ms", v * 1000);
	else if (v < 120)
		snprintf(buf, n, "%.3g s", v);
	else if (v < 3600)
		snprintf(buf, n, "%.3g min", v / 60);
	else if (v < 172800)
		snprintf(buf, n, "%.3g h", v / 3600);
	else
		snprintf(buf, n, "%.3g days", v / 86400);
}

/*
 * v as people read it: "n" counts 1.2k, "N" 1,234, "B" bytes 3.4 MB,
 * "s" 12 ms, "t" a duration in seconds or longer units.
 */
void
html_num(struct obuf *ob, double v, const char *fmt)
{
	static const char *const si[] = { "", "k", "M", "G", "T", "P", "E" };
	char buf[48];
	size_t i = 0;

	if (isnan(v)) {
		ob_lit(ob, "n/a");
		return;
	}
	if (strcmp(fmt, "N") == 0) {
		group(buf, sizeof(buf), v);
	} else if (strcmp(fmt, "s") == 0) {
		if (v < 1)
			snprintf(buf, sizeof(buf), "%.3g ms", v * 1000);
		else
			snprintf(buf, sizeof(buf), "%.3g s", v);
	} else if (strcmp(fmt, "t") == 0) {
		duration(buf, sizeof(buf), v);
	} else if (strcmp(fmt, "%") == 0)
		snprintf(buf, sizeof(buf), "%.2f%%", v);
	else {
		while (fabs(v) >= 1000 && i < 6) {
			v /= 1000;
			i++;
		}
		snprintf(buf, sizeof(buf), i == 0 ? "%.0f%s%s" : "%.3g %s%s", v,
		    si[i], strcmp(fmt, "B") == 0 ? "B" : "");
		if (i == 0 && strcmp(fmt, "B") == 0)
			snprintf(buf, sizeof(buf), "%.0f B", v);
	}
	ob_write(ob, buf, strlen(buf));
}

/* A figure: its id and exact value for machines, a short text for people. */
void
html_tile(struct obuf *ob, const char *id, const char *label, double v,
    const char *fmt, const char *exact, const char *note, int bad)
{
	ob_lit(ob, "<div class=\"tile");
	if (bad)
		ob_lit(ob, " bad");
	ob_lit(ob, "\"><b id=\"");
	ob_write(ob, id, strlen(id));
	ob_lit(ob, "\" data-value=\"");
	ob_write(ob, exact, strlen(exact));
	ob_lit(ob, "\">");
	if (note != NULL && note[0] == '~')
		ob_lit(ob, "&asymp; ");
	html_num(ob, v, fmt);
	ob_lit(ob, "</b><span>");
	ob_write(ob, label, strlen(label));
	if (note != NULL) {
		ob_lit(ob, "<br>");
		ob_write(ob, note + (note[0] == '~'),
		    strlen(note) - (note[0] == '~'));
	}
	ob_lit(ob, "</span></div>");
}

void
html_page(struct run *r, struct obuf *ob)
{
	const char *title = r->title != NULL ? r->title : "Web traffic report";

	ob_lit(ob,
	    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
	    "charset=\"utf-8\"><meta name=\"viewport\" "
	    "content=\"width=device-width,initial-scale=1\">"
	    "<meta name=\"generator\" content=\"logbook-report " VERSION
	    "\"><title>");
	html_text(ob, title, strlen(title));
	ob_lit(ob, "</title><style>");
	ob_write(ob, css, sizeof(css) - 1);
	ob_lit(ob, "</style></head>\n<body><header><h1>");
	html_text(ob, title, strlen(title));
	ob_lit(ob, "</h1>");
	traffic(r, ob);
	if (r->archdir != NULL || r->statedir != NULL)
		backup(r, ob);
	ob_lit(ob,
	    "</main><footer>Made by logbook-report " VERSION
	    " from the hourly rows of logbook-aggregate. Times are ");
	html_text(ob, r->zone, strlen(r->zone));
	if (r->tz != NULL)
		ob_lit(ob, " (the dates of archives are UTC's)");
	ob_lit(ob,
	    ". Counts are exact; figures marked &asymp; are "
	    "estimates, within the bound given.</footer></body></html>\n");
}

/* A time as YYYY-MM-DD HH:MM. */
void
html_time(struct obuf *ob, int64_t t)
{
	char buf[ISO_SEC_LEN + 1];

	iso_time_format(buf, t);
	buf[16] = '\0';
	buf[10] = ' ';
	ob_write(ob, buf, 16);
}

void
html_td_num(struct obuf *ob, uint64_t v)
{
	ob_lit(ob, "<td class=\"n\">");
	ob_u64(ob, v);
	ob_lit(ob, "</td>");
}

/* A cell of v as a percentage of of; opt: one a phone may hide. */
void
html_td_pct(struct obuf *ob, uint64_t v, uint64_t of, int opt)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "<td class=\"n%s\">%.2f%%</td>",
	    opt ? " opt" : "", of > 0 ? 100.0 * (double)v / (double)of : 0.0);
	ob_write(ob, buf, strlen(buf));
}
