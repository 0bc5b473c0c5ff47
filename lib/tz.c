/*
 * Time zones for --tz: fixed offsets parsed here, IANA names left to the
 * C library's localtime_r, after checking that the zone file exists (for
 * an unknown name the library silently gives UTC).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "timeconv.h"
#include "tz.h"

/* A name as zoneinfo has them: Area/City, letters, digits, _ - + /. */
static int
plain_name(const char *s)
{
	size_t i;

	if (s[0] == '\0' || s[0] == '/' || strstr(s, "..") != NULL ||
	    strlen(s) >= TZ_NAME_MAX)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= 'A' && s[i] <= 'Z') ||
		        (s[i] >= '0' && s[i] <= '9') || strchr("_-+/", s[i])))
			return 0;
	return 1;
}

static int
zone_exists(const char *name)
{
	const char *dir = getenv("TZDIR");
	char path[512];
	int n;

	if (dir == NULL || dir[0] == '\0')
		dir = "/usr/share/zoneinfo";
	n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	return n > 0 && (size_t)n < sizeof(path) && access(path, R_OK) == 0;
}

int
tz_parse(struct lbtz *z, const char *s, const char **why)
{
	memset(z, 0, sizeof(*z));
	if (s[0] == '+' || s[0] == '-') {
		if (parse_offset(s, strlen(s), &z->fixed) == 0)
			return 0;
		*why = "want an offset +hhmm or +hh:mm, under 24 hours";
		return -1;
	}
	if (strcmp(s, "UTC") == 0 || strcmp(s, "Z") == 0)
		return 0;
	if (!plain_name(s) || !zone_exists(s)) {
		*why = "no such zone in the system's zoneinfo (an IANA name "
		       "like Europe/Paris, or +hhmm)";
		return -1;
	}
	memcpy(z->name, s, strlen(s) + 1);
	z->named = 1;
	if (setenv("TZ", s, 1) < 0) {
		*why = "cannot set TZ";
		return -1;
	}
	tzset();
	return 0;
}

/* Minutes east of UTC at UTC second t. */
int
tz_off(const struct lbtz *z, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	int64_t local;

	if (!z->named)
		return z->fixed;
	if (localtime_r(&tt, &tm) == NULL)
		return 0; /* out of the library's range: as UTC */
	local = days_from_civil((int64_t)tm.tm_year + 1900,
	            (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday) *
	        86400 +
	    tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
	return (int)((local - t) / 60);
}

/* UTC second t on the local clock, as seconds of a UTC-like axis. */
int64_t
tz_local(const struct lbtz *z, int64_t t)
{
	return t + (int64_t)tz_off(z, t) * 60;
}

/*
 * The UTC second at which the clock shows local time l: where the clock
 * is turned back, the earlier; where it skips l, the first second after
 * the gap.  The offsets a day either side are the ones l can have.
 */
int64_t
tz_utc(const struct lbtz *z, int64_t l)
{
	int64_t a = l - (int64_t)tz_off(z, l - 86400) * 60;
	int64_t b = l - (int64_t)tz_off(z, l + 86400) * 60, lo, hi, m;
	int oka = tz_local(z, a) == l, okb = tz_local(z, b) == l;

	if (oka && okb)
		return a < b ? a : b;
	if (oka || okb)
		return oka ? a : b;
	lo = a < b ? a : b;
	hi = a < b ? b : a;
	while (lo < hi) {
		m = lo + (hi - lo) / 2;
		if (tz_local(z, m) >= l)
			hi = m;
		else
			lo = m + 1;
	}
	return lo;
}
