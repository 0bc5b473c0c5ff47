/*
 * Calendar arithmetic without the C library's time zone state: log
 * timestamps carry their own offsets, and the results must not depend on
 * TZ or on the machine.  The parse and format functions remember their
 * last result, each thread its own.
 */
#ifndef LB_TIMECONV_H
#define LB_TIMECONV_H

#include <stddef.h>
#include <stdint.h>

#define CLF_TIME_LEN 26 /* 10/Oct/2000:13:55:36 -0700 */
#define ISO_SEC_LEN 20 /* 2000-10-10T20:55:36Z */

int64_t days_from_civil(int64_t, unsigned, unsigned);
void civil_from_days(int64_t, int64_t *, unsigned *, unsigned *);
int parse_offset(const char *, size_t, int *);
int clf_time_parse(const char *, int64_t *, int *);
size_t clf_time_format(char *, int64_t, int, const char *);
int iso_time_parse(const char *, size_t, int64_t *, int *, size_t *);
size_t iso_time_format(char *, int64_t);
size_t iso_offset_format(char *, int64_t, int);
int days_in_month(int64_t, unsigned);

#endif
