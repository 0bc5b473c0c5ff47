/* Calendar arithmetic, CLF and ISO-8601 timestamps. */
#include <string.h>

#include "timeconv.h"

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int
days_in_month(int64_t y, unsigned m)
{
	static const unsigned char dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
		31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 ? 28 + leap : dm[m - 1];
}

static int
digits(const char *p, size_t n, unsigned *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		*v = *v * 10 + (unsigned)(p[i] - '0');
	}
	return 0;
}

/* "+hhmm" or "+hh:mm" to minutes east of UTC; |offset| < 24h. */
int
parse_offset(const char *p, size_t n, int *min)
{
	unsigned h, m;

	if (n != 5 && n != 6)
		return -1;
	if ((p[0] != '+' && p[0] != '-') || digits(p + 1, 2, &h) < 0)
		return -1;
	if (n == 6 && p[3] != ':')
		return -1;
	if (digits(p + n - 2, 2, &m) < 0 || h > 23 || m > 59)
		return -1;
	*min = (int)(h * 60 + m) * (p[0] == '-' ? -1 : 1);
	return 0;
}

static int
date_time(int64_t y, unsigned mo, unsigned d, unsigned hh, unsigned mm,
    unsigned ss, int64_t *sec)
{
	if (y < 1000 || y > 9998)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || (int)d > days_in_month(y, mo))
		return -1;
	if (hh > 23 || mm > 59 || ss > 59)
		return -1;
	*sec = days_from_civil(y, mo, d) * 86400 + hh * 3600 + mm * 60 + ss;
	return 0;
}

/*
 * "10/Oct/2000:13:55:36 -0700" (exactly CLF_TIME_LEN bytes) to UTC
 * seconds and the offset in minutes.  Only the canonical spelling is
 * taken, so that formatting the result gives back the same bytes.
 */
static int
clf_parse(const char *p, int64_t *sec, int *off)
{
	unsigned d, y, hh, mm, ss, mo;
	const char *m;

	if (p[2] != '/' || p[6] != '/' || p[11] != ':' || p[14] != ':' ||
	    p[17] != ':' || p[20] != ' ')
		return -1;
	if (digits(p, 2, &d) < 0 || digits(p + 7, 4, &y) < 0 ||
	    digits(p + 12, 2, &hh) < 0 || digits(p + 15, 2, &mm) < 0 ||
	    digits(p + 18, 2, &ss) < 0)
		return -1;
	for (m = months, mo = 1; mo <= 12; m += 3, mo++)
		if (memcmp(m, p + 3, 3) == 0)
			break;
	if (parse_offset(p + 21, 5, off) < 0)
		return -1;
	if (date_time(y, mo, d, hh, mm, ss, sec) < 0)
		return -1;
	*sec -= (int64_t)*off * 60;
	return 0;
}

/*
 * "10/Oct/2000:13:55:36 -0700" (exactly CLF_TIME_LEN bytes) to UTC
 * seconds and the offset in minutes.  Only the canonical spelling is
 * taken, so that formatting the result gives back the same bytes.  Logs
 * repeat a second many times over: the last good one is remembered.
 */
int
clf_time_parse(const char *p, int64_t *sec, int *off)
{
	static _Thread_local char last[CLF_TIME_LEN];
	static _Thread_local int64_t lsec;
	static _Thread_local int loff, valid;

	if (valid && memcmp(p, last, CLF_TIME_LEN) == 0) {
		*sec = lsec;
		*off = loff;
		return 0;
	}
	if (clf_parse(p, sec, off) < 0)
		return -1;
	memcpy(last, p, CLF_TIME_LEN);
	lsec = *sec;
	loff = *off;
	valid = 1;
	return 0;
}

static void
put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

static void
put4(char *p, int64_t v)
{
	put2(p, (unsigned)(v / 100 % 100));
	put2(p + 2, (unsigned)(v % 100));
}

/* The time of day, "HH:MM:SS". */
static void
put_hms(char *p, const unsigned *hms)
{
	put2(p, hms[0]);
	p[2] = ':';
	put2(p + 3, hms[1]);
	p[5] = ':';
	put2(p + 6, hms[2]);
}

static void
split(int64_t t, int64_t *y, unsigned *mo, unsigned *d, unsigned *hms)
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	unsigned s = (unsigned)(t - days * 86400);

	civil_from_days(days, y, mo, d);
	hms[0] = s / 3600;
	hms[1] = s / 60 % 60;
	hms[2] = s % 60;
}

/* Local CLF time of UTC sec at offset off; tz is the offset's text. */
size_t
clf_time_format(char *p, int64_t sec, int off, const char *tz)
{
	int64_t y;
	unsigned mo, d, hms[3];

	split(sec + (int64_t)off * 60, &y, &mo, &d, hms);
	put2(p, d);
	p[2] = '/';
	memcpy(p + 3, months + (mo - 1) * 3, 3);
	p[6] = '/';
	put4(p + 7, y);
	p[11] = ':';
	put_hms(p + 12, hms);
	p[20] = ' ';
	memcpy(p + 21, tz, 5);
	return CLF_TIME_LEN;
}

/* "YYYY-MM-DDTHH:MM:SS" in UTC, without a zone designator. */
static size_t
iso_local(char *p, int64_t t)
{
	int64_t y;
	unsigned mo, d, hms[3];

	split(t, &y, &mo, &d, hms);
	put4(p, y);
	p[4] = '-';
	put2(p + 5, mo);
	p[7] = '-';
	put2(p + 8, d);
	p[10] = 'T';
	put_hms(p + 11, hms);
	return 19;
}

/* UTC "YYYY-MM-DDTHH:MM:SSZ"; the last one is remembered, as above. */
size_t
iso_time_format(char *p, int64_t sec)
{
	static _Thread_local char last[ISO_SEC_LEN];
	static _Thread_local int64_t lsec;
	static _Thread_local int valid;

	if (!valid || sec != lsec) {
		iso_local(last, sec);
		last[19] = 'Z';
		lsec = sec;
		valid = 1;
	}
	memcpy(p, last, ISO_SEC_LEN);
	return ISO_SEC_LEN;
}

/* "2000-10-10T13:55:36-07:00": local time at offset off, nginx style. */
size_t
iso_offset_format(char *p, int64_t sec, int off)
{
	unsigned a = (unsigned)(off < 0 ? -off : off);

	iso_local(p, sec + (int64_t)off * 60);
	p[19] = off < 0 ? '-' : '+';
	put2(p + 20, a / 60);
	p[22] = ':';
	put2(p + 23, a % 60);
	return 25;
}

/*
 * "YYYY-MM-DDTHH:MM:SS[.fff]" then "Z" or "+hh:mm" / "+hhmm".  Returns
 * UTC seconds, the offset, and the length of the fraction (digits only).
 */
int
iso_time_parse(const char *p, size_t n, int64_t *sec, int *off, size_t *fraclen)
{
	unsigned y, mo, d, hh, mm, ss;
	size_t i = 19;

	if (n < 20 || p[4] != '-' || p[7] != '-' || p[10] != 'T' ||
	    p[13] != ':' || p[16] != ':')
		return -1;
	if (digits(p, 4, &y) < 0 || digits(p + 5, 2, &mo) < 0 ||
	    digits(p + 8, 2, &d) < 0 || digits(p + 11, 2, &hh) < 0 ||
	    digits(p + 14, 2, &mm) < 0 || digits(p + 17, 2, &ss) < 0)
		return -1;
	*fraclen = 0;
	if (p[i] == '.') {
		for (i++; i < n && p[i] >= '0' && p[i] <= '9'; i++)
			(*fraclen)++;
		if (*fraclen == 0 || *fraclen > 9)
			return -1;
	}
	if (n - i == 1 && p[i] == 'Z')
		*off = 0;
	else if (parse_offset(p + i, n - i, off) < 0)
		return -1;
	if (date_time(y, mo, d, hh, mm, ss, sec) < 0)
		return -1;
	*sec -= (int64_t)*off * 60;
	return 0;
}
