/*
 * Replacing a file so that a crash at any instant leaves either the old
 * file or the new one under its name, complete: write a temporary file
 * in the same folder, fsync it, rename it over the old one, fsync the
 * folder.  The temporary file is named ".NAME.XXXXXX", so a later run
 * can recognise and remove what a killed one left (atomic_temp_of).
 *
 * Use:
 *	struct atomic t;
 *	if (atomic_open(&t, path, 0640) < 0) err;
 *	write to t.fd;
 *	if (atomic_commit(&t) < 0) err;		(errno set; old file kept)
 *	or atomic_abort(&t) to give up.
 */
#ifndef LB_ATOMIC_H
#define LB_ATOMIC_H

#include <stddef.h>
#include <sys/types.h>

struct atomic {
	int fd;
	char *path; /* the final name */
	char *tmp; /* the temporary file's name */
};

int atomic_open(struct atomic *, const char *, mode_t);
int atomic_commit(struct atomic *);
void atomic_abort(struct atomic *);
int atomic_scratch(const char *, mode_t);
const char *atomic_temp_of(const char *, size_t *);
int fsync_dir(const char *);
int mkdir_synced(const char *, mode_t);

#endif
