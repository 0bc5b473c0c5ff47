/* logbook-aggregate: shared state of the program's files. */
#ifndef AGGREGATE_H
#define AGGREGATE_H

#include <stdint.h>

#include "agg.h"
#include "event.h"

struct run {
	struct agg *agg;
	int merge; /* input is partial rows */
	struct event ev;
	uint64_t bad; /* over all files */
	int failed; /* an I/O error happened */
};

int aggregate_file(struct run *, const char *);

#endif
