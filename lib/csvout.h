/*
 * RFC 4180 fields through libcsv, with an optional guard against
 * spreadsheet formula injection: a text field that a spreadsheet would
 * evaluate (first byte = + - @, tab or carriage return) gets a leading
 * apostrophe, which spreadsheets show as text and do not display.
 */
#ifndef LB_CSVOUT_H
#define LB_CSVOUT_H

#include <stddef.h>

#include "obuf.h"

void csv_text(struct obuf *, const char *, size_t, int);
int csv_risky(const char *, size_t);

#endif
