/*
 * lib/atomic: a replacement through a folder's descriptor lands in that
 * folder, wherever its path has gone and whatever took the path's place.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "tap.h"

/* The bytes of a small file, or "" when it cannot be read. */
static const char *
slurp(const char *path)
{
	static char buf[64];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	if ((fd = open(path, O_RDONLY)) < 0)
		return buf;
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return buf;
}

/* The number of entries of a folder, . and .. aside. */
static int
entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n +=
		    strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static void
write_str(int fd, const char *s)
{
	tap_ok(write(fd, s, strlen(s)) == (ssize_t)strlen(s), "write %s", s);
}

/*
 * A name that is not a regular file (a FIFO here; /dev/null or a
 * terminal for users of -o) is written through, never renamed over:
 * as root, a rename would put a file in /dev/null's place.
 */
static void
not_a_file(const char *top)
{
	char p[96], got[8];
	struct atomic t;
	struct stat st;
	int rd;

	snprintf(p, sizeof(p), "%s/fifo", top);
	tap_ok(mkfifo(p, 0600) == 0, "make a FIFO");
	rd = open(p, O_RDONLY | O_NONBLOCK);
	tap_ok(atomic_open(&t, p, 0640) == 0, "atomic_open of a FIFO");
	write_str(t.fd, "new");
	tap_ok(atomic_commit(&t) == 0, "atomic_commit of a FIFO");
	tap_ok(lstat(p, &st) == 0 && S_ISFIFO(st.st_mode) &&
	        (st.st_mode & 0777) == 0600,
	    "the FIFO is still there, its mode untouched");
	tap_ok(read(rd, got, sizeof(got)) == 3 && memcmp(got, "new", 3) == 0,
	    "and what was written went through it");
	tap_ok(entries(top) == 4, "no temporary file beside it");
	close(rd);
	unlink(p);
}

int
main(void)
{
	char top[] = "/tmp/lb-atomic.XXXXXX", a[64], b[64], p[96];
	struct atomic t;
	struct stat st;
	int dfd, fd;

	if (mkdtemp(top) == NULL)
		return 1;
	snprintf(a, sizeof(a), "%s/month", top);
	snprintf(b, sizeof(b), "%s/moved", top);
	tap_ok(mkdir(a, 0700) == 0, "make the folder");
	dfd = open(a, O_RDONLY | O_DIRECTORY);
	tap_ok(dfd >= 0, "open the folder");

	tap_ok(atomic_openat(&t, dfd, "x.tar.gz", 0640) == 0, "atomic_openat");
	tap_ok(t.tmp != NULL && strncmp(t.tmp, ".x.tar.gz.", 10) == 0 &&
	        strlen(t.tmp) == 16,
	    "the temporary name is .NAME.XXXXXX");
	tap_ok(atomic_temp_of(t.tmp, &(size_t){ 0 }) != NULL,
	    "atomic_temp_of knows it");
	write_str(t.fd, "new");
	/* The folder's path goes, and a link to elsewhere takes its place. */
	tap_ok(rename(a, b) == 0, "move the folder away");
	snprintf(p, sizeof(p), "%s/decoy", top);
	tap_ok(mkdir(p, 0700) == 0 && symlink("decoy", a) == 0,
	    "a link in its place");
	tap_ok(atomic_commit(&t) == 0, "atomic_commit");
	snprintf(p, sizeof(p), "%s/x.tar.gz", b);
	tap_mem(slurp(p), strlen(slurp(p)), "new", "the file is in the folder");
	tap_ok(
	    stat(p, &st) == 0 && (st.st_mode & 0777) == 0640, "with its mode");
	tap_ok(entries(b) == 1, "and no temporary file beside it");
	snprintf(p, sizeof(p), "%s/decoy", top);
	tap_ok(entries(p) == 0, "nothing went where the link points");

	/* Given up: nothing left, in the folder, not at the path. */
	tap_ok(atomic_openat(&t, dfd, "y", 0600) == 0, "atomic_openat again");
	atomic_abort(&t);
	tap_ok(entries(b) == 1, "atomic_abort removes the temporary file");

	/* A scratch file is unlinked at once, in the folder. */
	fd = atomic_scratchat(dfd, "x.tar.gz", 0600);
	tap_ok(fd >= 0 && entries(b) == 1, "atomic_scratchat leaves no name");
	if (fd >= 0)
		close(fd);

	/* A new folder at a descriptor, durable, with its mode. */
	fd = mkdirat_synced(dfd, "sub", 0750);
	snprintf(p, sizeof(p), "%s/sub", b);
	tap_ok(fd >= 0 && stat(p, &st) == 0 && S_ISDIR(st.st_mode) &&
	        (st.st_mode & 0777) == 0750,
	    "mkdirat_synced makes the folder in dfd's");
	if (fd >= 0)
		close(fd);
	close(dfd);

	rmdir(p);
	not_a_file(top);
	snprintf(p, sizeof(p), "%s/x.tar.gz", b);
	unlink(p);
	rmdir(b);
	unlink(a);
	snprintf(p, sizeof(p), "%s/decoy", top);
	rmdir(p);
	rmdir(top);
	return tap_done();
}
