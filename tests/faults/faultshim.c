/*
 * faultshim.so: an LD_PRELOAD library that makes the Nth call of one
 * class of calls fail, and counts the calls of each class.
 *
 *	LB_FAULT=CLASS:N[:ERRNO]	the Nth call of CLASS (from 1) fails
 *					with ERRNO; the calls after it succeed
 *	LB_FAULT_COUNT=FILE		at exit, append "CLASS COUNT" for each
 *					class, and "injected CLASS N FUNC"
 *					when the fault was injected
 *	LB_FAULT_PROG=NAME		only a process of that program name
 *					counts and fails (the basename of
 *					/proc/self/exe or of argv[0])
 *	LB_FAULT_SHARED=FILE		the counts live in FILE, shared by
 *					every process of the program, so that
 *					the Nth call over all of them fails
 *
 * Classes and their default errno:
 *	write	write pwrite pwrite64 writev pwritev pwritev64	ENOSPC
 *	fsync	fsync fdatasync					EIO
 *	rename	rename renameat renameat2 link linkat		EIO
 *	open	open openat creat fopen freopen (and the 64 and
 *		_2 forms) when they may write or create; mkstemp
 *		mkostemp mkstemps mkostemps mkdtemp		ENOSPC
 *	malloc	malloc calloc realloc				ENOMEM
 *
 * Writes to descriptor 2 are neither counted nor failed, so messages
 * always come out.  glibc's stdio writes through an internal write that
 * cannot be interposed, so what is written with stdio is not counted.
 * The malloc family calls glibc's __libc_* functions, never dlsym, so
 * nothing recurses.  Counts are atomic: threads may call at once.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { C_WRITE, C_FSYNC, C_RENAME, C_OPEN, C_MALLOC, NCLASS };

static const char *const class_name[NCLASS] = { "write", "fsync", "rename",
	"open", "malloc" };
static const int class_errno[NCLASS] = { ENOSPC, EIO, EIO, ENOSPC, ENOMEM };

static const struct {
	const char *name;
	int e;
} errnos[] = {
	{ "ENOSPC", ENOSPC },
	{ "EIO", EIO },
	{ "ENOMEM", ENOMEM },
	{ "EACCES", EACCES },
	{ "EPERM", EPERM },
	{ "EROFS", EROFS },
	{ "EDQUOT", EDQUOT },
	{ "EFBIG", EFBIG },
	{ "EMFILE", EMFILE },
	{ "ENFILE", ENFILE },
	{ "EINTR", EINTR },
	{ "EAGAIN", EAGAIN },
	{ "EXDEV", EXDEV },
	{ "ENOENT", ENOENT },
	{ "EEXIST", EEXIST },
	{ "EINVAL", EINVAL },
};

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static int ready; /* set once the configuration is read */
static int active; /* this process counts */
static int fclass = -1; /* the class to fail, or -1 */
static uint64_t fnth;
static int ferr;
static uint64_t local[NCLASS]; /* this process's calls */
static uint64_t *counts = local; /* or the shared file's */
static const char *countfile;

/* A message without stdio or malloc, on stderr. */
static void
say(const char *a, const char *b)
{
	(void)!syscall(SYS_write, 2, "faultshim: ", 11);
	(void)!syscall(SYS_write, 2, a, strlen(a));
	(void)!syscall(SYS_write, 2, b, strlen(b));
	(void)!syscall(SYS_write, 2, "\n", 1);
}

static int
raw_open(const char *path, int flags, mode_t mode)
{
	return (int)syscall(
	    SYS_openat, AT_FDCWD, path, flags | O_CLOEXEC, mode);
}

static const char *
base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s != NULL ? s + 1 : p;
}

static int
prog_matches(const char *want)
{
	char exe[4096];
	ssize_t n;

	if (want == NULL || want[0] == '\0')
		return 1;
	if (strcmp(base(program_invocation_name), want) == 0)
		return 1;
	n = (ssize_t)syscall(
	    SYS_readlink, "/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return 0;
	exe[n] = '\0';
	return strcmp(base(exe), want) == 0;
}

/* CLASS:N[:ERRNO] */
static void
parse_fault(const char *s)
{
	const char *c = strchr(s, ':'), *e;
	char *end;
	size_t i, len;

	if (c == NULL) {
		say("LB_FAULT: want CLASS:N[:ERRNO]: ", s);
		_exit(125);
	}
	for (i = 0; i < NCLASS; i++)
		if (strlen(class_name[i]) == (size_t)(c - s) &&
		    memcmp(class_name[i], s, (size_t)(c - s)) == 0)
			fclass = (int)i;
	if (fclass < 0) {
		say("LB_FAULT: unknown class: ", s);
		_exit(125);
	}
	fnth = strtoull(c + 1, &end, 10);
	if (end == c + 1 || fnth == 0 || (*end != '\0' && *end != ':')) {
		say("LB_FAULT: N is a number from 1: ", s);
		_exit(125);
	}
	ferr = class_errno[fclass];
	if (*end != ':')
		return;
	e = end + 1;
	len = strlen(e);
	for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (strlen(errnos[i].name) == len &&
		    memcmp(errnos[i].name, e, len) == 0) {
			ferr = errnos[i].e;
			return;
		}
	if ((ferr = atoi(e)) <= 0) {
		say("LB_FAULT: unknown errno: ", e);
		_exit(125);
	}
}

/* The counters in a file every process of the program maps. */
static void
share(const char *path)
{
	size_t size = NCLASS * sizeof(uint64_t);
	struct stat sb;
	void *p;
	int fd;

	if ((fd = raw_open(path, O_RDWR | O_CREAT, 0600)) < 0 ||
	    fstat(fd, &sb) < 0 ||
	    ((size_t)sb.st_size < size && ftruncate(fd, (off_t)size) < 0)) {
		say("LB_FAULT_SHARED: cannot open ", path);
		_exit(125);
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		say("LB_FAULT_SHARED: cannot map ", path);
		_exit(125);
	}
	counts = p;
}

__attribute__((constructor)) static void
init(void)
{
	const char *f = getenv("LB_FAULT"), *s = getenv("LB_FAULT_SHARED");

	countfile = getenv("LB_FAULT_COUNT");
	active = prog_matches(getenv("LB_FAULT_PROG"));
	if (active && f != NULL && f[0] != '\0')
		parse_fault(f);
	if (active && s != NULL && s[0] != '\0')
		share(s);
	__atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
}

static void
append(const char *line)
{
	int fd;

	if (countfile == NULL || countfile[0] == '\0')
		return;
	if ((fd = raw_open(countfile, O_WRONLY | O_APPEND | O_CREAT, 0644)) < 0)
		return;
	(void)!syscall(SYS_write, fd, line, strlen(line));
	close(fd);
}

__attribute__((destructor)) static void
fini(void)
{
	char line[64];
	int i;

	if (!active)
		return;
	for (i = 0; i < NCLASS; i++) {
		snprintf(line, sizeof(line), "%s %llu\n", class_name[i],
		    (unsigned long long)__atomic_load_n(
		        &local[i], __ATOMIC_RELAXED));
		append(line);
	}
}

/* 1: this call is the one to fail, errno is set. */
static int
fault(int c, const char *func)
{
	char line[128];
	uint64_t n;

	if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE) || !active)
		return 0;
	n = __atomic_add_fetch(&local[c], 1, __ATOMIC_RELAXED);
	if (counts != local)
		n = __atomic_add_fetch(&counts[c], 1, __ATOMIC_RELAXED);
	if (c != fclass || n != fnth)
		return 0;
	snprintf(line, sizeof(line), "injected %s %llu %s\n", class_name[c],
	    (unsigned long long)n, func);
	append(line);
	errno = ferr;
	return 1;
}

#define REAL(name)                                                             \
	static __typeof__(name) *real_##name;                                  \
	if (real_##name == NULL)                                               \
	real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

/* ---- write ---------------------------------------------------------- */

ssize_t
write(int fd, const void *buf, size_t n)
{
	REAL(write);
	if (fd != 2 && fault(C_WRITE, "write"))
		return -1;
	return real_write(fd, buf, n);
}

ssize_t
pwrite(int fd, const void *buf, size_t n, off_t off)
{
	REAL(pwrite);
	if (fd != 2 && fault(C_WRITE, "pwrite"))
		return -1;
	return real_pwrite(fd, buf, n, off);
}

ssize_t
pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	REAL(pwrite64);
	if (fd != 2 && fault(C_WRITE, "pwrite64"))
		return -1;
	return real_pwrite64(fd, buf, n, off);
}

ssize_t
writev(int fd, const struct iovec *iov, int cnt)
{
	REAL(writev);
	if (fd != 2 && fault(C_WRITE, "writev"))
		return -1;
	return real_writev(fd, iov, cnt);
}

ssize_t
pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
	REAL(pwritev);
	if (fd != 2 && fault(C_WRITE, "pwritev"))
		return -1;
	return real_pwritev(fd, iov, cnt, off);
}

ssize_t
pwritev64(int fd, const struct iovec *iov, int cnt, off64_t off)
{
	REAL(pwritev64);
	if (fd != 2 && fault(C_WRITE, "pwritev64"))
		return -1;
	return real_pwritev64(fd, iov, cnt, off);
}

/* ---- fsync ---------------------------------------------------------- */

int
fsync(int fd)
{
	REAL(fsync);
	if (fault(C_FSYNC, "fsync"))
		return -1;
	return real_fsync(fd);
}

int
fdatasync(int fd)
{
	REAL(fdatasync);
	if (fault(C_FSYNC, "fdatasync"))
		return -1;
	return real_fdatasync(fd);
}

/* ---- rename --------------------------------------------------------- */

int
rename(const char *a, const char *b)
{
	REAL(rename);
	if (fault(C_RENAME, "rename"))
		return -1;
	return real_rename(a, b);
}

int
renameat(int da, const char *a, int db, const char *b)
{
	REAL(renameat);
	if (fault(C_RENAME, "renameat"))
		return -1;
	return real_renameat(da, a, db, b);
}

int
renameat2(int da, const char *a, int db, const char *b, unsigned flags)
{
	REAL(renameat2);
	if (fault(C_RENAME, "renameat2"))
		return -1;
	return real_renameat2(da, a, db, b, flags);
}

/* A link puts a file under its final name as a rename does. */
int
link(const char *a, const char *b)
{
	REAL(link);
	if (fault(C_RENAME, "link"))
		return -1;
	return real_link(a, b);
}

int
linkat(int da, const char *a, int db, const char *b, int flags)
{
	REAL(linkat);
	if (fault(C_RENAME, "linkat"))
		return -1;
	return real_linkat(da, a, db, b, flags);
}

/* ---- open ----------------------------------------------------------- */

static int
writes(int flags)
{
	return (flags & (O_WRONLY | O_RDWR | O_CREAT)) != 0;
}

/* The mode argument comes with O_CREAT and O_TMPFILE only. */
#define MODE_ARG(flags, mode)                                                  \
	do {                                                                   \
		va_list ap;                                                    \
		if ((flags) & (O_CREAT | __O_TMPFILE)) {                       \
			va_start(ap, flags);                                   \
			mode = va_arg(ap, int);                                \
			va_end(ap);                                            \
		}                                                              \
	} while (0)

int
open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	REAL(open);
	MODE_ARG(flags, mode);
	if (writes(flags) && fault(C_OPEN, "open"))
		return -1;
	return real_open(path, flags, mode);
}

int
open64(const char *path, int flags, ...)
{
	mode_t mode = 0;

	REAL(open64);
	MODE_ARG(flags, mode);
	if (writes(flags) && fault(C_OPEN, "open64"))
		return -1;
	return real_open64(path, flags, mode);
}

int
openat(int dfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	REAL(openat);
	MODE_ARG(flags, mode);
	if (writes(flags) && fault(C_OPEN, "openat"))
		return -1;
	return real_openat(dfd, path, flags, mode);
}

int
openat64(int dfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	REAL(openat64);
	MODE_ARG(flags, mode);
	if (writes(flags) && fault(C_OPEN, "openat64"))
		return -1;
	return real_openat64(dfd, path, flags, mode);
}

/* The _FORTIFY_SOURCE forms, which take no mode. */
int __open_2(const char *, int);
int __open64_2(const char *, int);
int __openat_2(int, const char *, int);
int __openat64_2(int, const char *, int);

int
__open_2(const char *path, int flags)
{
	REAL(__open_2);
	if (writes(flags) && fault(C_OPEN, "__open_2"))
		return -1;
	return real___open_2(path, flags);
}

int
__open64_2(const char *path, int flags)
{
	REAL(__open64_2);
	if (writes(flags) && fault(C_OPEN, "__open64_2"))
		return -1;
	return real___open64_2(path, flags);
}

int
__openat_2(int dfd, const char *path, int flags)
{
	REAL(__openat_2);
	if (writes(flags) && fault(C_OPEN, "__openat_2"))
		return -1;
	return real___openat_2(dfd, path, flags);
}

int
__openat64_2(int dfd, const char *path, int flags)
{
	REAL(__openat64_2);
	if (writes(flags) && fault(C_OPEN, "__openat64_2"))
		return -1;
	return real___openat64_2(dfd, path, flags);
}

int
creat(const char *path, mode_t mode)
{
	REAL(creat);
	if (fault(C_OPEN, "creat"))
		return -1;
	return real_creat(path, mode);
}

int
creat64(const char *path, mode_t mode)
{
	REAL(creat64);
	if (fault(C_OPEN, "creat64"))
		return -1;
	return real_creat64(path, mode);
}

/* A stdio mode other than "r" writes or creates. */
static int
fwrites(const char *m)
{
	return m[0] != 'r' || strchr(m, '+') != NULL;
}

FILE *
fopen(const char *path, const char *m)
{
	REAL(fopen);
	if (fwrites(m) && fault(C_OPEN, "fopen"))
		return NULL;
	return real_fopen(path, m);
}

FILE *
fopen64(const char *path, const char *m)
{
	REAL(fopen64);
	if (fwrites(m) && fault(C_OPEN, "fopen64"))
		return NULL;
	return real_fopen64(path, m);
}

FILE *
freopen(const char *path, const char *m, FILE *fp)
{
	REAL(freopen);
	if (fwrites(m) && fault(C_OPEN, "freopen"))
		return NULL;
	return real_freopen(path, m, fp);
}

/* glibc's mkstemp opens through an internal call: these are their own. */
int
mkstemp(char *t)
{
	REAL(mkstemp);
	if (fault(C_OPEN, "mkstemp"))
		return -1;
	return real_mkstemp(t);
}

int
mkostemp(char *t, int flags)
{
	REAL(mkostemp);
	if (fault(C_OPEN, "mkostemp"))
		return -1;
	return real_mkostemp(t, flags);
}

int
mkstemps(char *t, int len)
{
	REAL(mkstemps);
	if (fault(C_OPEN, "mkstemps"))
		return -1;
	return real_mkstemps(t, len);
}

int
mkostemps(char *t, int len, int flags)
{
	REAL(mkostemps);
	if (fault(C_OPEN, "mkostemps"))
		return -1;
	return real_mkostemps(t, len, flags);
}

char *
mkdtemp(char *t)
{
	REAL(mkdtemp);
	if (fault(C_OPEN, "mkdtemp"))
		return NULL;
	return real_mkdtemp(t);
}

/* ---- malloc --------------------------------------------------------- */

void *
malloc(size_t n)
{
	if (fault(C_MALLOC, "malloc"))
		return NULL;
	return __libc_malloc(n);
}

void *
calloc(size_t a, size_t b)
{
	if (fault(C_MALLOC, "calloc"))
		return NULL;
	return __libc_calloc(a, b);
}

void *
realloc(void *p, size_t n)
{
	if (fault(C_MALLOC, "realloc"))
		return NULL;
	return __libc_realloc(p, n);
}
