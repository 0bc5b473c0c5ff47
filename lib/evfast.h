/* A fast path to event_read for lines as logbook-ingest writes them. */
#ifndef LB_EVFAST_H
#define LB_EVFAST_H

#include <stddef.h>

#include "event.h"

int evfast_try(struct event *, const char *, size_t);
int evfast_read(struct event *, const char *, size_t, const char **);

#endif
