/* logbook-archive: tar members through libarchive into our own sinks. */
#ifndef TAROUT_H
#define TAROUT_H

#include <stddef.h>
#include <stdint.h>

struct archive;
struct gzw;

struct tarout {
	struct archive *a;
	struct gzw *gz; /* NULL: into mem */
	int err; /* errno of the sink's failure */
	char *mem;
	size_t len, cap;
};

void tar_open(struct tarout *, struct gzw *);
int tar_member(struct tarout *, const char *, uint64_t, int64_t);
int tar_data(struct tarout *, const void *, size_t);
int tar_end_member(struct tarout *);
int tar_close(struct tarout *, int);

#endif
