/*
 * Inline SVG charts: stacked bars or lines over a few hundred points at
 * most, with a labelled y axis (the unit's tick values) and x axis (a
 * few bucket labels).  They scale with the page width (viewBox); every
 * bar and point has a <title> for the exact value.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

#define ML 80 /* left margin, for the tick labels */
#define MR 12
#define MT 14
#define MB 42
#define NTICK 5

struct frame {
	double top; /* the value at the top of the plot */
	double x0, bw; /* the first bar's left, the width of a bucket */
	int w, h; /* of the viewBox */
	size_t nlab; /* x labels at most */
};

static void
put(struct obuf *ob, const char *s)
{
	ob_write(ob, s, strlen(s));
}

static void
putf(struct obuf *ob, double v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.1f", v);
	put(ob, buf);
}

/*
 * A tick step of 1, 2 or 5 times a power of ten, about max / NTICK; of
 * durations ("t") of 5 s and more, a step a clock has: seconds,
 * minutes, hours, days, or 1, 2 or 5 times a power of ten days.
 */
static double
nice_top(double max, const char *fmt)
{
	static const double clock[] = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600,
		900, 1800, 3600, 7200, 10800, 21600, 43200, 86400 };
	double raw, p, s;
	size_t i;

	if (max <= 0)
		return 1;
	raw = max / NTICK;
	if (strcmp(fmt, "t") == 0 && max >= 5) {
		for (i = 0; i < sizeof(clock) / sizeof(clock[0]); i++)
			if (raw <= clock[i])
				return clock[i] * NTICK;
		return nice_top(max / 86400, "n") * 86400;
	}
	p = pow(10, floor(log10(raw)));
	s = raw / p <= 1 ? 1 : raw / p <= 2 ? 2 : raw / p <= 5 ? 5 : 10;
	return s * p * NTICK;
}

static double
ypos(const struct frame *f, double v)
{
	return MT + (f->h - MT - MB) * (1 - v / f->top);
}

static void
axes(struct obuf *ob, struct frame *f, size_t nb, const char *const *labels,
    const char *fmt, const char *xunit)
{
	size_t i, step;
	double v, y, x;

	for (i = 0; i <= NTICK; i++) {
		v = f->top * (double)i / NTICK;
		y = ypos(f, v);
		put(ob, "<line class=\"grid\" x1=\"");
		putf(ob, ML);
		put(ob, "\" x2=\"");
		putf(ob, f->w - MR);
		put(ob, "\" y1=\"");
		putf(ob, y);
		put(ob, "\" y2=\"");
		putf(ob, y);
		put(ob, "\"/><text class=\"yl\" x=\"");
		putf(ob, ML - 6);
		put(ob, "\" y=\"");
		putf(ob, y + 4);
		put(ob, "\">");
		html_num(ob, v, fmt);
		put(ob, "</text>");
	}
	step = nb > f->nlab ? (nb + f->nlab - 1) / f->nlab : 1;
	for (i = 0; i < nb; i += step) {
		x = f->x0 + f->bw * ((double)i + 0.5);
		put(ob, "<text class=\"xl\" x=\"");
		putf(ob, x);
		put(ob, "\" y=\"");
		putf(ob, f->h - MB + 16);
		put(ob, "\">");
		html_text(ob, labels[i], strlen(labels[i]));
		put(ob, "</text>");
	}
	put(ob, "<text class=\"xt\" x=\"");
	putf(ob, ML + (f->w - ML - MR) / 2.0);
	put(ob, "\" y=\"");
	putf(ob, f->h - 6);
	put(ob, "\">");
	put(ob, xunit);
	put(ob, "</text>");
}

static void
bar_title(struct obuf *ob, const struct chart *c, size_t s, size_t i, double v)
{
	put(ob, "<title>");
	html_text(ob, c->labels[i], strlen(c->labels[i]));
	put(ob, " ");
	put(ob, c->s->names[s]);
	put(ob, ": ");
	html_num(ob, v, c->s->fmt);
	put(ob, "</title>");
}

static void
bars(struct obuf *ob, const struct chart *c, const struct frame *f)
{
	double base, v, gap = f->bw > 4 ? f->bw * 0.15 : 0;
	size_t i, s;

	for (i = 0; i < c->nb; i++) {
		base = 0;
		for (s = 0; s < c->s->ns; s++) {
			v = c->v[s * c->nb + i];
			if (isnan(v) || v <= 0)
				continue;
			put(ob, "<rect fill=\"");
			put(ob, c->s->colors[s]);
			put(ob, "\" x=\"");
			putf(ob, f->x0 + f->bw * (double)i + gap / 2);
			put(ob, "\" width=\"");
			putf(ob, f->bw - gap > 0.5 ? f->bw - gap : 0.5);
			put(ob, "\" y=\"");
			putf(ob, ypos(f, base + v));
			put(ob, "\" height=\"");
			putf(ob, ypos(f, base) - ypos(f, base + v));
			put(ob, "\">");
			bar_title(ob, c, s, i, v);
			put(ob, "</rect>");
			base += v;
		}
	}
}

static void
lines(struct obuf *ob, const struct chart *c, const struct frame *f)
{
	size_t i, s;
	double v, x;
	int pen;

	for (s = 0; s < c->s->ns; s++) {
		put(ob, "<path fill=\"none\" stroke-width=\"2\" stroke=\"");
		put(ob, c->s->colors[s]);
		put(ob, "\" d=\"");
		for (pen = 0, i = 0; i < c->nb; i++) {
			v = c->v[s * c->nb + i];
			if (isnan(v)) {
				pen = 0;
				continue;
			}
			ob_putc(ob, pen ? 'L' : 'M');
			putf(ob, f->x0 + f->bw * ((double)i + 0.5));
			ob_putc(ob, ' ');
			putf(ob, ypos(f, v));
			pen = 1;
		}
		put(ob, "\"/>");
		for (i = 0; i < c->nb; i++) {
			v = c->v[s * c->nb + i];
			if (isnan(v))
				continue;
			x = f->x0 + f->bw * ((double)i + 0.5);
			put(ob, "<circle r=\"2.5\" fill=\"");
			put(ob, c->s->colors[s]);
			put(ob, "\" cx=\"");
			putf(ob, x);
			put(ob, "\" cy=\"");
			putf(ob, ypos(f, v));
			put(ob, "\">");
			bar_title(ob, c, s, i, v);
			put(ob, "</circle>");
		}
	}
}

static double
maxval(const struct chart *c)
{
	double m = 0, t, v;
	size_t i, s;

	for (i = 0; i < c->nb; i++) {
		for (t = 0, s = 0; s < c->s->ns; s++) {
			v = c->v[s * c->nb + i];
			if (isnan(v))
				continue;
			if (c->s->lines)
				t = v > t ? v : t;
			else
				t += v;
		}
		m = t > m ? t : m;
	}
	return m;
}

static void
legend(struct obuf *ob, const struct chart *c)
{
	size_t s;

	if (c->s->ns < 2)
		return;
	put(ob, "<ul class=\"legend\">");
	for (s = 0; s < c->s->ns; s++) {
		put(ob, "<li><i style=\"background:");
		put(ob, c->s->colors[s]);
		put(ob, "\"></i>");
		put(ob, c->s->names[s]);
		put(ob, "</li>");
	}
	put(ob, "</ul>");
}

static void
svg(struct obuf *ob, const struct chart *c, struct frame *f, const char *cls)
{
	char buf[64];

	f->top = nice_top(maxval(c), c->s->fmt);
	f->x0 = ML;
	f->bw = c->nb > 0 ? (double)(f->w - ML - MR) / (double)c->nb : 1;
	put(ob, "<svg class=\"");
	put(ob, cls);
	put(ob, "\" viewBox=\"");
	snprintf(buf, sizeof(buf), "0 0 %d %d", f->w, f->h);
	put(ob, buf);
	put(ob, "\" role=\"img\" aria-label=\"");
	put(ob, c->s->label);
	put(ob, "\"><text class=\"yt\" transform=\"rotate(-90)\" x=\"");
	putf(ob, -(MT + (f->h - MT - MB) / 2.0));
	put(ob, "\" y=\"14\">");
	put(ob, c->yunit);
	put(ob, "</text>");
	axes(ob, f, c->nb, (const char *const *)c->labels, c->s->fmt, c->xunit);
	if (c->s->lines)
		lines(ob, c, f);
	else
		bars(ob, c, f);
	put(ob, "<line class=\"axis\" x1=\"");
	putf(ob, ML);
	put(ob, "\" x2=\"");
	putf(ob, f->w - MR);
	put(ob, "\" y1=\"");
	putf(ob, f->h - MB);
	put(ob, "\" y2=\"");
	putf(ob, f->h - MB);
	put(ob, "\"/></svg>");
}

/*
 * Two drawings of the chart: one for wide screens and paper, one for
 * phones, where the same text in a wide drawing would be too small to
 * read (the CSS shows one of them).
 */
void
chart_svg(struct obuf *ob, const struct chart *c)
{
	struct frame wide = { 0, 0, 0, 900, 250, 8 };
	struct frame narrow = { 0, 0, 0, 360, 240, 3 };

	put(ob, "<div class=\"chart\" id=\"");
	put(ob, c->s->id);
	put(ob, "\">");
	svg(ob, c, &wide, "wide");
	svg(ob, c, &narrow, "narrow");
	put(ob, "</div>");
	legend(ob, c);
}
