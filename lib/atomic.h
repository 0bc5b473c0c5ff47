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
 *
 * A name that is there and is no regular file (/dev/null, a FIFO, a
 * terminal) is written through instead, and atomic_commit closes it.
 *
 * atomic_openat does the same in the folder open on dirfd: the temporary
 * file, the rename and the folder's fsync all go through that descriptor,
 * so a link swapped in for the folder's path meanwhile is not followed.
 */
#ifndef LB_ATOMIC_H
#define LB_ATOMIC_H

#include <stddef.h>
#include <sys/types.h>

struct atomic {
	int fd;
	int dfd; /* the folder, with atomic_openat; else -1 */
	char *path; /* the final name (in dfd's folder, with atomic_openat) */
	char *tmp; /* the temporary file's name */
};

int atomic_open(struct atomic *, const char *, mode_t);
int atomic_openat(struct atomic *, int, const char *, mode_t);
int atomic_commit(struct atomic *);
void atomic_abort(struct atomic *);
int atomic_scratchat(int, const char *, mode_t);
const char *atomic_temp_of(const char *, size_t *);
char *atomic_folder(const char *);
int fsync_dir(const char *);
int mkdir_synced(const char *, mode_t);
int mkdirat_synced(int, const char *, mode_t);

#endif
