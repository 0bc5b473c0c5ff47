/*
 * A time zone for local-time buckets and labels (--tz): a fixed offset
 * (+hhmm, -hh:mm) or an IANA name from the system's zoneinfo (TZDIR or
 * /usr/share/zoneinfo), whose offset changes with the instant.
 *
 *	struct lbtz z;
 *	if (tz_parse(&z, "America/New_York", &why) < 0) ...
 *	off = tz_off(&z, t);	minutes east of UTC at UTC second t
 *
 * An IANA zone sets TZ for the whole process (localtime_r reads it), so
 * one zone at a time; tz_off is then safe from any thread.
 */
#ifndef LB_TZ_H
#define LB_TZ_H

#include <stdint.h>

#define TZ_NAME_MAX 64

struct lbtz {
	int fixed; /* minutes east, when named is 0 */
	int named;
	char name[TZ_NAME_MAX];
};

int tz_parse(struct lbtz *, const char *, const char **);
int tz_off(const struct lbtz *, int64_t);
int64_t tz_local(const struct lbtz *, int64_t);
int64_t tz_utc(const struct lbtz *, int64_t);

#endif
