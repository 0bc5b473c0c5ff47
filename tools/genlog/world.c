/*
 * The world a log describes, built once from the seed: the site's request
 * targets, its clients (address, user, agent, protocol) and the pages
 * that refer to it.  Strings are stored already escaped for the format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "genlog.h"
#include "xxhash.h"

#define NTARGETS 5000
#define NCLIENTS 20000
#define NREFIN 400
#define TSET_SIZE 16384 /* a power of two above 2 * NTARGETS */
#define ARENA_CHUNK (64 * 1024)
#define SITE "https://www.example.com"

static const struct {
	uint16_t w; /* about per mille of the clients */
	int bot;
	const char *s;
} agents[] = {
	{ 220, 0,
	    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36" },
	{ 90, 0,
	    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36 "
	    "Edg/141.0.0.0" },
	{ 80, 0,
	    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) "
	    "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 "
	    "Safari/605.1.15" },
	{ 70, 0,
	    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) "
	    "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 "
	    "Safari/537.36" },
	{ 110, 0,
	    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) "
	    "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 "
	    "Mobile/15E148 Safari/604.1" },
	{ 90, 0,
	    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/141.0.0.0 Mobile Safari/537.36" },
	{ 50, 0,
	    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:144.0) "
	    "Gecko/20100101 Firefox/144.0" },
	{ 30, 0,
	    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, "
	    "like Gecko) Chrome/141.0.0.0 Safari/537.36" },
	{ 20, 0,
	    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:144.0) "
	    "Gecko/20100101 Firefox/144.0" },
	{ 20, 0,
	    "Mozilla/5.0 (iPad; CPU OS 18_7 like Mac OS X) "
	    "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 "
	    "Mobile/15E148 Safari/604.1" },
	{ 10, 0,
	    "Mozilla/5.0 (Linux; Android 15; SM-S921B) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) SamsungBrowser/28.0 Chrome/130.0.0.0 Mobile "
	    "Safari/537.36" },
	{ 10, 0,
	    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 "
	    "OPR/124.0.0.0" },
	{ 50, 1,
	    "Mozilla/5.0 (compatible; Googlebot/2.1; "
	    "+http://www.google.com/bot.html)" },
	{ 20, 1,
	    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) "
	    "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.7390.122 "
	    "Mobile Safari/537.36 (compatible; Googlebot/2.1; "
	    "+http://www.google.com/bot.html)" },
	{ 30, 1,
	    "Mozilla/5.0 (compatible; bingbot/2.0; "
	    "+http://www.bing.com/bingbot.htm)" },
	{ 10, 1,
	    "Mozilla/5.0 (compatible; AhrefsBot/7.0; "
	    "+http://ahrefs.com/robot/)" },
	{ 10, 1,
	    "Mozilla/5.0 (compatible; YandexBot/3.0; "
	    "+http://yandex.com/bots)" },
	{ 10, 1,
	    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; "
	    "compatible; GPTBot/1.3; +https://openai.com/gptbot)" },
	{ 5, 1,
	    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; "
	    "compatible; ClaudeBot/1.0; +claudebot@anthropic.com)" },
	{ 20, 1, "curl/8.14.1" },
	{ 10, 1, "python-requests/2.32.4" },
	{ 10, 1, "Go-http-client/1.1" },
	{ 10, 1, "Prometheus/3.5.0" },
	{ 5, 1, "Wget/1.21.3" },
	{ 10, 1, "-" },
	/* Rare agents that need escaping: quotes, backslashes, Latin-1. */
	{ 3, 0,
	    "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; "
	    "Trident/4.0; \"Bar Toolbar 5.2\")" },
	{ 2, 1, "Mozilla/5.0 \"><script>alert(1)</script>" },
	{ 1, 0, "Mozilla/5.0 (Windows NT 10.0) C:\\Program Files\\Agent\\" },
	{ 1, 0,
	    "Mozilla/5.0 (Linux; U; Android 4.4.2; es-es; Se\xf1or) "
	    "AppleWebKit/534.30" },
};

static const struct {
	uint16_t w;
	const char *s;
} external[] = {
	{ 300, "https://www.google.com/" },
	{ 60, "https://www.google.de/" },
	{ 80, "https://www.bing.com/" },
	{ 50, "https://duckduckgo.com/" },
	{ 40, "https://t.co/Qm3xR8kLpZ" },
	{ 30, "https://news.ycombinator.com/" },
	{ 30, "https://www.reddit.com/r/selfhosted/" },
	{ 30, "https://l.facebook.com/" },
	{ 20, "android-app://com.google.android.gm/" },
	{ 10, "https://yandex.ru/" },
	{ 5, "https://www.baidu.com/link?url=Xk2" },
	{ 2, "https://evil.example/?q=\"<x>\"" },
};

static const char *const users[] = { "alice", "bob", "carol", "deploy",
	"svc-backup", "admin", "jenkins", "monitor" };

static const char *const words[] = { "access", "agent", "alpha", "audit",
	"batch", "beacon", "bridge", "buffer", "cache", "canary", "cart",
	"cloud", "cluster", "cobalt", "config", "cursor", "daemon", "delta",
	"deploy", "digest", "docker", "domain", "draft", "edge", "event",
	"fiber", "filter", "gamma", "gateway", "graph", "hash", "index",
	"kernel", "ledger", "lambda", "matrix", "metric", "mirror", "module",
	"nginx", "node", "orbit", "packet", "pixel", "portal", "proxy", "query",
	"queue", "quota", "relay", "router", "schema", "shard", "signal",
	"socket", "stream", "tensor", "token", "trace", "vector", "widget",
	"zone" };

/* Search words that travel percent-encoded (UTF-8 and reserved bytes). */
static const char *const escwords[] = { "caf%C3%A9", "na%C3%AFve",
	"%E6%97%A5%E6%9C%AC%E8%AA%9E", "stra%C3%9Fe", "r%C3%A9sum%C3%A9",
	"%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82", "C%2B%2B", "50%25+off",
	"%22exact+phrase%22", "a%2Fb" };

static const char *const probes[] = { "/wp-login.php", "/.env", "/.git/config",
	"/phpmyadmin/index.php", "/xmlrpc.php", "/wp-admin/setup-config.php",
	"/.aws/credentials",
	"/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
	"/cgi-bin/luci/;stok=/locale", "/actuator/env", "/server-status",
	"/owa/auth/logon.aspx", "/.DS_Store", "/admin/.env", "/HNAP1/" };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct chunk {
	struct chunk *prev;
	char mem[ARENA_CHUNK];
};

/* Strings live as long as the world: a bump allocator is enough. */
static struct gstr
keep(struct world *w, const char *s, size_t n)
{
	struct chunk *c;
	struct gstr g;

	if (w->arena == NULL || n > ARENA_CHUNK - w->used) {
		c = xmalloc(sizeof(*c));
		c->prev = w->arena;
		w->arena = c;
		w->used = 0;
	}
	g.p = memcpy(w->arena->mem + w->used, s, n);
	g.n = n;
	w->used += n;
	return g;
}

/* Apache writes \" \\ and \xhh; nginx writes \xHH for all three. */
static struct gstr
escaped(struct world *w, const char *s, enum fmt f)
{
	static const char hex[] = "0123456789abcdef0123456789ABCDEF";
	const char *h = f == F_NGINX ? hex + 16 : hex;
	char buf[STR_MAX];
	size_t n = 0;
	unsigned char c;

	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if (n + 4 > sizeof(buf))
			lb_errx(EX_FAIL, "internal error: string too long");
		if (c >= 32 && c <= 126 && c != '"' && c != '\\')
			buf[n++] = (char)c;
		else if (f != F_NGINX && (c == '"' || c == '\\')) {
			buf[n++] = '\\';
			buf[n++] = (char)c;
		} else {
			buf[n++] = '\\';
			buf[n++] = 'x';
			buf[n++] = h[c >> 4];
			buf[n++] = h[c & 15];
		}
	}
	return keep(w, buf, n);
}

static const char *
word(struct rng *r)
{
	return words[rng_below(r, NELEM(words))];
}

struct tset {
	uint32_t *slot; /* index + 1; 0: empty */
	size_t mask;
};

/* Add a target unless it is already there; targets must be distinct. */
static int
add_target(struct world *w, struct tset *ts, const char *s, enum kind k,
    int writable, uint32_t size, uint32_t rt_us)
{
	size_t n = strlen(s), i = (size_t)xxh64(s, n, 0) & ts->mask;
	struct target *t;

	for (; ts->slot[i] != 0; i = (i + 1) & ts->mask) {
		t = &w->tg[ts->slot[i] - 1];
		if (t->s.n == n && memcmp(t->s.p, s, n) == 0)
			return 0;
	}
	ts->slot[i] = (uint32_t)(w->ntg + 1);
	t = &w->tg[w->ntg++];
	t->s = escaped(w, s, F_COMBINED);
	t->kind = k;
	t->writable = writable;
	t->size = size;
	t->rt_us = rt_us;
	return 1;
}

/* The head of the popularity curve, most requested first. */
static const struct {
	const char *s;
	const char *ext; /* not NULL: a content hash, then this */
	enum kind kind;
	int writable;
	uint32_t size;
	uint32_t rt_us;
} heads[] = {
	{ "/", NULL, K_PAGE, 0, 52340, 45000 },
	{ "/static/js/app", ".js", K_STATIC, 0, 398112, 2000 },
	{ "/static/css/site", ".css", K_STATIC, 0, 71420, 1000 },
	{ "/api/v1/session", NULL, K_API, 1, 612, 11000 },
	{ "/favicon.ico", NULL, K_STATIC, 0, 15086, 800 },
	{ "/img/logo.svg", NULL, K_STATIC, 0, 5120, 800 },
	{ "/api/v1/cart", NULL, K_API, 1, 1780, 24000 },
	{ "/robots.txt", NULL, K_STATIC, 0, 421, 600 },
	{ "/login", NULL, K_PAGE, 1, 11230, 55000 },
	{ "/search?q=linux+kernel&page=1", NULL, K_SEARCH, 0, 38112, 210000 },
	{ "/graphql", NULL, K_API, 1, 5120, 80000 },
	{ "/sitemap.xml", NULL, K_STATIC, 0, 98443, 4000 },
	{ "/fonts/inter-var.woff2", NULL, K_STATIC, 0, 325280, 2000 },
	{ "/api/v2/events?since=2025-10-01T00%3A00%3A00Z&limit=100", NULL,
	    K_API, 1, 18003, 140000 },
	{ "/checkout", NULL, K_PAGE, 1, 27654, 150000 },
	{ "/logout", NULL, K_PAGE, 1, 0, 9000 },
	{ "/files/Annual%20Report%202024.pdf", NULL, K_STATIC, 0, 2411520,
	    20000 },
	{ "/search?q=caf%C3%A9+au+lait&page=1", NULL, K_SEARCH, 0, 30455,
	    190000 },
	{ "/healthz", NULL, K_API, 0, 2, 100 },
	{ "/feed.xml", NULL, K_STATIC, 0, 44190, 3000 },
};

static void
head_targets(struct world *w, struct tset *ts, struct rng *r)
{
	char s[128];
	size_t i;

	for (i = 0; i < NELEM(heads); i++) {
		if (heads[i].ext != NULL)
			snprintf(s, sizeof(s), "%s.%08x%s", heads[i].s,
			    rng_below(r, 0xffffffffu), heads[i].ext);
		else
			snprintf(s, sizeof(s), "%s", heads[i].s);
		add_target(w, ts, s, heads[i].kind, heads[i].writable,
		    heads[i].size, heads[i].rt_us);
	}
}

/*
 * The draws behind one tail target, taken in a fixed order: C leaves the
 * order of a call's arguments open, and the bytes must not depend on the
 * compiler.
 */
struct draw {
	const char *a, *b;
	uint32_t n; /* an id; its digits also pick small choices */
	uint32_t x, y; /* per mille, for the size and the time */
	uint32_t h; /* a content hash */
	double u;
};

static void
draw(struct draw *d, struct rng *r)
{
	d->a = word(r);
	d->b = word(r);
	d->n = rng_below(r, 90000) + 1;
	d->x = rng_below(r, 1000);
	d->y = rng_below(r, 1000);
	d->h = (uint32_t)(rng_next(r) >> 32);
	d->u = rng_unit(r);
}

static uint32_t
span(uint32_t base, uint32_t width, uint32_t permille)
{
	return base + width / 1000 * permille;
}

static void
search_query(char *q, size_t qn, const struct draw *d)
{
	uint32_t v = d->n / 7 % 100;

	if (v < 50)
		snprintf(q, qn, "%s", d->a);
	else if (v < 75)
		snprintf(q, qn, "%s+%s", d->a, d->b);
	else if (v < 88)
		snprintf(q, qn, "%s%%20%s", d->a, d->b);
	else
		snprintf(q, qn, "%s", escwords[d->n % NELEM(escwords)]);
}

static void
page_target(struct world *w, struct tset *ts, const struct draw *d, uint32_t v)
{
	static const char *const sorts[] = { "price", "new", "popular" };
	char s[256], q[128];
	enum kind k = K_PAGE;
	uint32_t size = span(20000, 40000, d->x);
	uint32_t rt = span(60000, 80000, d->y);

	if (v < 20) {
		snprintf(s, sizeof(s), "/blog/%u/%02u/%s-%s/", 2023 + d->n % 3,
		    1 + d->n / 3 % 12, d->a, d->b);
		rt = span(40000, 50000, d->y);
	} else if (v < 32) {
		snprintf(s, sizeof(s), "/docs/v%u/%s/%s.html", 1 + d->n % 3,
		    d->a, d->b);
		size = span(8000, 50000, d->x);
		rt = span(15000, 20000, d->y);
	} else if (v < 43) {
		snprintf(s, sizeof(s), "/products/%u-%s-%s", d->n, d->a, d->b);
	} else if (v < 48) {
		snprintf(s, sizeof(s), "/category/%s?page=%u&sort=%s", d->a,
		    1 + d->n % 20, sorts[d->n / 20 % 3]);
		rt = span(90000, 80000, d->y);
	} else {
		search_query(q, sizeof(q), d);
		snprintf(s, sizeof(s), "/search?q=%s&page=%u", q, 1 + d->n % 5);
		k = K_SEARCH;
		rt = span(150000, 200000, d->y);
	}
	add_target(w, ts, s, k, 0, size, rt);
}

static void
file_target(struct world *w, struct tset *ts, const struct draw *d, uint32_t v)
{
	static const char *const img[] = { "jpg", "png", "webp", "avif", "svg",
		"gif" };
	const char *ext = d->n & 1 ? "js" : "css";
	char s[256];

	if (v < 14) {
		snprintf(s, sizeof(s), "/img/%s/%s-%u.%s", d->a, d->b, d->n,
		    img[d->n % NELEM(img)]);
		add_target(w, ts, s, K_STATIC, 0,
		    (uint32_t)det_exp(8.5 + 5.5 * d->u),
		    span(1000, 3000, d->y));
	} else if (v < 20) {
		snprintf(s, sizeof(s), "/static/%s/%s.%08x.%s", ext, d->a, d->h,
		    ext);
		add_target(w, ts, s, K_STATIC, 0, span(2000, 300000, d->x),
		    span(1000, 2000, d->y));
	} else {
		snprintf(s, sizeof(s), "/files/%s%%20%s-%u.pdf", d->a, d->b,
		    d->n % 100);
		add_target(w, ts, s, K_STATIC, 0,
		    (uint32_t)det_exp(11 + 4 * d->u), span(10000, 30000, d->y));
	}
}

static void
api_target(struct world *w, struct tset *ts, const struct draw *d, uint32_t v)
{
	static const uint32_t limits[] = { 10, 50, 100 };
	char s[256];

	if (v < 9) {
		snprintf(s, sizeof(s), "/api/v1/users/%u", d->n);
		add_target(w, ts, s, K_API, 1, span(300, 3000, d->x),
		    span(8000, 30000, d->y));
	} else if (v < 15) {
		snprintf(s, sizeof(s), "/api/v1/orders/%u/items", d->n);
		add_target(w, ts, s, K_API, 1, span(500, 12000, d->x),
		    span(20000, 60000, d->y));
	} else {
		snprintf(s, sizeof(s), "/api/v2/%s?limit=%u&offset=%u", d->a,
		    limits[d->n % 3], d->n / 3 % 20 * 50);
		add_target(w, ts, s, K_API, 1, span(1000, 40000, d->x),
		    span(30000, 100000, d->y));
	}
}

/* Pages 57 %, files 23 %, API 20 % of the long tail. */
static void
tail_target(struct world *w, struct tset *ts, struct rng *r)
{
	uint32_t v = rng_below(r, 100);
	struct draw d;

	draw(&d, r);
	if (v < 57)
		page_target(w, ts, &d, v);
	else if (v < 80)
		file_target(w, ts, &d, v - 57);
	else
		api_target(w, ts, &d, v - 80);
}

/* Fisher-Yates: popularity ranks of the tail mix its kinds. */
static void
shuffle(struct target *t, size_t n, struct rng *r)
{
	struct target tmp;
	size_t i, j;

	for (i = n; i > 1; i--) {
		j = rng_below(r, (uint32_t)i);
		tmp = t[i - 1];
		t[i - 1] = t[j];
		t[j] = tmp;
	}
}

/*
 * Scanners' probes are spread over ranks 36 to 204, where together they
 * draw a few percent of the requests: most of a site's 404s.
 */
static void
place_probes(struct world *w, struct tset *ts)
{
	size_t i, at, from;
	struct target tmp;

	for (i = 0; i < NELEM(probes); i++)
		add_target(w, ts, probes[i], K_PROBE, 0, 0, 700);
	for (i = 0; i < NELEM(probes); i++) {
		at = 36 + 12 * i;
		from = w->ntg - NELEM(probes) + i;
		tmp = w->tg[at];
		w->tg[at] = w->tg[from];
		w->tg[from] = tmp;
	}
}

static void
build_targets(struct world *w, struct rng *r)
{
	struct tset ts;
	size_t head;

	ts.slot = xcalloc(TSET_SIZE, sizeof(*ts.slot));
	ts.mask = TSET_SIZE - 1;
	w->tg = xreallocarray(NULL, NTARGETS, sizeof(*w->tg));
	w->ntg = 0;
	head_targets(w, &ts, r);
	head = w->ntg;
	while (w->ntg < NTARGETS - NELEM(probes))
		tail_target(w, &ts, r);
	shuffle(w->tg + head, w->ntg - head, r);
	place_probes(w, &ts);
	free(ts.slot);
	cdf_zipf(&w->tgcdf, w->ntg, 8);
}

/* Targets of a kind in popularity order, with a Zipf law of their own. */
static void
sublists(struct world *w)
{
	size_t i, nwr = 0, napi = 0;

	w->wr = xreallocarray(NULL, w->ntg, sizeof(*w->wr));
	w->api = xreallocarray(NULL, w->ntg, sizeof(*w->api));
	for (i = 0; i < w->ntg; i++) {
		if (w->tg[i].writable)
			w->wr[nwr++] = (uint32_t)i;
		if (w->tg[i].kind == K_API)
			w->api[napi++] = (uint32_t)i;
	}
	cdf_zipf(&w->wrcdf, nwr, 8);
	cdf_zipf(&w->apicdf, napi, 8);
}

static void
referers(struct world *w, enum fmt f)
{
	double wt[NELEM(external)];
	char s[STR_MAX];
	size_t i, n = 0;

	w->refin = xreallocarray(NULL, NREFIN, sizeof(*w->refin));
	for (i = 0; i < w->ntg && n < NREFIN; i++) {
		if (w->tg[i].kind != K_PAGE && w->tg[i].kind != K_SEARCH)
			continue;
		snprintf(
		    s, sizeof(s), SITE "%.*s", (int)w->tg[i].s.n, w->tg[i].s.p);
		w->refin[n++] = escaped(w, s, f);
	}
	cdf_zipf(&w->refincdf, n, 8);
	w->refex = xreallocarray(NULL, NELEM(external), sizeof(*w->refex));
	for (i = 0; i < NELEM(external); i++) {
		w->refex[i] = escaped(w, external[i].s, f);
		wt[i] = external[i].w;
	}
	cdf_build(&w->refexcdf, wt, NELEM(external));
}

static void
agent_table(struct world *w, enum fmt f)
{
	double wt[NELEM(agents)];
	size_t i;

	w->ua = xreallocarray(NULL, NELEM(agents), sizeof(*w->ua));
	for (i = 0; i < NELEM(agents); i++) {
		w->ua[i] = escaped(w, agents[i].s, f);
		wt[i] = agents[i].w;
	}
	cdf_build(&w->uacdf, wt, NELEM(agents));
}

/* RFC 5952 text: lower case, the longest run of zero groups as "::". */
static void
ipv6_text(char *p, size_t pn, const uint16_t *g)
{
	int best = -1, bestn = 1, i, j;
	size_t n = 0;

	for (i = 0; i < 8; i = j + 1) {
		for (j = i; j < 8 && g[j] == 0; j++)
			;
		if (j - i > bestn) {
			best = i;
			bestn = j - i;
		}
	}
	for (i = 0; i < 8; i++) {
		if (i == best) {
			n += (size_t)snprintf(p + n, pn - n, "::");
			i += bestn - 1;
			continue;
		}
		if (i > 0 && i != best + bestn)
			p[n++] = ':';
		n += (size_t)snprintf(p + n, pn - n, "%x", g[i]);
	}
}

/* A provider's /32, a random /64, then a privacy or a server address. */
static void
ipv6(char *p, size_t pn, struct rng *r)
{
	static const uint32_t prefix[] = { 0x2a0104f8, 0x26001700, 0x240e0388,
		0x2a02c7c0, 0x2001067c, 0x20030001, 0x24049800 };
	uint16_t g[8];
	uint64_t v;
	int i;

	v = prefix[rng_below(r, sizeof(prefix) / sizeof(prefix[0]))];
	g[0] = (uint16_t)(v >> 16);
	g[1] = (uint16_t)v;
	v = rng_next(r);
	g[2] = (uint16_t)(v >> 48);
	g[3] = (uint16_t)(v >> 32);
	if (v & 1) {
		v = rng_next(r);
		for (i = 4; i < 8; i++)
			g[i] = (uint16_t)(v >> (16 * (7 - i)));
	} else {
		g[4] = g[5] = g[6] = 0;
		g[7] = (uint16_t)(1 + rng_below(r, 0xffff));
	}
	ipv6_text(p, pn, g);
}

/* Public-looking IPv4: no 0, 10, 127, 172 or 192 first octets. */
static void
ipv4(char *p, size_t pn, struct rng *r)
{
	uint32_t a = 1 + rng_below(r, 223), b, c, d;

	if (a == 10 || a == 127 || a == 172 || a == 192)
		a++;
	b = rng_below(r, 256);
	c = rng_below(r, 256);
	d = 1 + rng_below(r, 254);
	snprintf(p, pn, "%u.%u.%u.%u", a, b, c, d);
}

static void
make_client(struct world *w, struct client *c, struct rng *r)
{
	const char *user = "-";
	char ip[48], s[96];
	size_t ua;
	uint32_t p;
	int n;

	if (rng_below(r, 1000) < 85)
		ipv6(ip, sizeof(ip), r);
	else
		ipv4(ip, sizeof(ip), r);
	if (rng_below(r, 1000) < 15)
		user = users[rng_below(r, NELEM(users))];
	ua = cdf_draw(&w->uacdf, r);
	p = rng_below(r, 100);
	c->bot = agents[ua].bot;
	c->ua = &w->ua[ua];
	c->plain = !c->bot && p >= 97;
	c->proto = c->bot || p < 62 ? "HTTP/1.1"
	    : c->plain              ? "HTTP/1.0"
	                            : "HTTP/2.0";
	n = snprintf(s, sizeof(s), "%s - %s ", ip, user);
	c->pre = keep(w, s, (size_t)n);
	c->ip.p = c->pre.p;
	c->ip.n = strlen(ip);
}

void
world_build(struct world *w, const struct opts *o)
{
	struct rng r;
	size_t i;

	rng_seed(&r, o->seed, 1);
	build_targets(w, &r);
	sublists(w);
	referers(w, o->fmt);
	agent_table(w, o->fmt);
	w->ncl = NCLIENTS;
	w->cl = xreallocarray(NULL, NCLIENTS, sizeof(*w->cl));
	for (i = 0; i < NCLIENTS; i++)
		make_client(w, &w->cl[i], &r);
	cdf_zipf(&w->clcdf, NCLIENTS, 7);
}

void
world_free(struct world *w)
{
	struct cdf *cdfs[] = { &w->clcdf, &w->tgcdf, &w->wrcdf, &w->apicdf,
		&w->refincdf, &w->refexcdf, &w->uacdf };
	struct chunk *c;
	size_t i;

	for (i = 0; i < sizeof(cdfs) / sizeof(cdfs[0]); i++)
		free(cdfs[i]->thr);
	while ((c = w->arena) != NULL) {
		w->arena = c->prev;
		free(c);
	}
	free(w->cl);
	free(w->tg);
	free(w->wr);
	free(w->api);
	free(w->refin);
	free(w->refex);
	free(w->ua);
}
