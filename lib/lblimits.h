/*
 * The sizes every stage agrees on, from this one header so that they
 * cannot drift apart: what logbook-ingest accepts, any event it can write
 * for that fits what every later stage (aggregate, archive, verify,
 * restore) reads.
 *
 * An event holds each field of its line JSON-escaped (a control byte
 * takes 6 bytes, \u00XX), the line once more as raw64 when a byte is not
 * UTF-8 (4 bytes per 3), the source label and the format string (whose
 * extra directives also name the x keys), and keys, id, time and numbers
 * of a fixed size.  LB_EVENT_MAX bounds that for the largest line, label
 * and format ingest takes; the assertion below keeps it so.
 */
#ifndef LB_LBLIMITS_H
#define LB_LBLIMITS_H

/* A log line ingest takes is at most this, without its newline: 4 MiB. */
#define LB_LINE_MAX (4u * 1024 * 1024)

/* The longest -s source label and -f format string of logbook-ingest. */
#define LB_SOURCE_MAX 4096u
#define LB_FORMAT_MAX 4095u /* an event's fmt, as restore reads it */

/* An event line, without its newline, is at most this: 32 MiB. */
#define LB_EVENT_MAX (32u * 1024 * 1024)

/* The fixed part: keys, id, ts, tz, numbers, nulls (see event_write). */
#define LB_EVENT_FIXED 4096u

#define LB_EVENT_WORST                                                         \
	(6ull * LB_LINE_MAX + 4ull * ((LB_LINE_MAX + 2) / 3) +                 \
	    2 * (6ull * LB_FORMAT_MAX + 2) + 6ull * LB_SOURCE_MAX + 2 +        \
	    LB_EVENT_FIXED)

_Static_assert(LB_EVENT_WORST <= LB_EVENT_MAX,
    "the largest event of the largest line must fit LB_EVENT_MAX");

#endif
