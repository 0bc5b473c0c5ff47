/*
 * The units of work.  A plain regular file large enough is cut into
 * ranges of whole lines, a few per thread so that a thread slowed down
 * leaves its share to the others, all read through the one descriptor
 * opened here (a file renamed meanwhile is still the same file); any
 * other input (standard input, compressed, a small file) is one unit, read
 * from the start as a single thread would.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "aggregate.h"
#include "diag.h"
#include "lineread.h"
#include "magic.h"
#include "progress.h"

#define MINPIECE (8 * 1024 * 1024) /* smaller ones are not worth a thread */
#define PERJOB 4
#define SCAN (64 * 1024)

static struct unit *
new_unit(struct run *g, const char *path)
{
	struct unit *u;

	if (g->nu == g->capu) {
		g->capu = g->capu == 0 ? 16 : g->capu * 2;
		g->u = xreallocarray(g->u, g->capu, sizeof(*g->u));
	}
	u = &g->u[g->nu++];
	memset(u, 0, sizeof(*u));
	u->path = path;
	u->fd = -1;
	u->len = LR_TOEND;
	u->last = 1;
	return u;
}

/* The plain file's size when it is worth cutting, else 0. */
static uint64_t
cuttable(int fd)
{
	unsigned char magic[MAGIC_LEN];
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size < 2 * MINPIECE)
		return 0;
	/* As lib/lineread.c tells it: a compressed file is read whole. */
	if (pread(fd, magic, sizeof(magic), 0) != (ssize_t)sizeof(magic) ||
	    magic_of(magic, sizeof(magic)) != MAGIC_PLAIN)
		return 0;
	return (uint64_t)st.st_size;
}

/* Where the first line starting at or after at begins (size: none). */
static uint64_t
line_start(int fd, uint64_t at, uint64_t size)
{
	char buf[SCAN], *nl;
	uint64_t pos = at - 1; /* the byte before: is it a newline? */
	ssize_t r;

	while (pos < size) {
		r = pread(fd, buf, sizeof(buf), (off_t)pos);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if ((nl = memchr(buf, '\n', (size_t)r)) != NULL)
			return pos + (uint64_t)(nl - buf) + 1;
		pos += (uint64_t)r;
	}
	return size;
}

/* Cut an open plain file of size bytes into ranges starting at lines. */
static void
cut(struct run *g, const char *path, int fd, uint64_t size)
{
	uint64_t n = size / MINPIECE, i, start = 0, next;
	struct unit *u;

	if (n > (uint64_t)g->jobs * PERJOB)
		n = (uint64_t)g->jobs * PERJOB;
	for (i = 1; i <= n; i++) {
		next = i == n ? size : line_start(fd, size / n * i, size);
		if (next <= start && i < n)
			continue;
		u = new_unit(g, path);
		u->fd = fd;
		u->off = start;
		u->len = i == n ? LR_TOEND : next - start;
		u->last = i == n;
		start = next;
	}
}

/* The units of one input ("-": standard input). */
void
plan_file(struct run *g, const char *path)
{
	uint64_t size;
	int fd;

	if (g->jobs < 2 || g->merge || strcmp(path, "-") == 0 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		new_unit(g, path); /* which reports the failure to open */
		return;
	}
	if ((size = cuttable(fd)) == 0) {
		close(fd);
		new_unit(g, path);
	} else
		cut(g, path, fd, size); /* closed by plan_close */
}

/* The descriptors of the cut files, once their units are done. */
void
plan_close(struct run *g)
{
	size_t i;

	for (i = 0; i < g->nu; i++)
		if (g->u[i].fd >= 0 && g->u[i].last)
			close(g->u[i].fd);
}

/*
 * The bytes to read, for the progress meter: the sizes of the regular
 * files (one that cannot be opened reads none); 0, not known, when an
 * input is a pipe or a terminal.
 */
uint64_t
plan_size(const struct run *g)
{
	const struct unit *u;
	uint64_t sum = 0, n;
	struct stat st;
	size_t i;

	for (i = 0; i < g->nu; i++) {
		u = &g->u[i];
		if (!u->last) /* a piece of a cut file: its last one counts */
			continue;
		if (u->fd >= 0)
			n = pg_fdsize(u->fd);
		else if (strcmp(u->path, "-") == 0) {
			if ((n = pg_fdsize(STDIN_FILENO)) == 0)
				return 0;
		} else if (stat(u->path, &st) < 0)
			continue;
		else if (!S_ISREG(st.st_mode))
			return 0;
		else
			n = (uint64_t)st.st_size;
		sum += n;
	}
	return sum;
}
