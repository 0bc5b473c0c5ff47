/*
 * The files of the restore database are created here, before SQLite's
 * own VFS opens them, for three reasons.  SQLite retries a failed
 * read-write open read-only and keeps that retry's errno, so a folder
 * that refuses a new file was reported as "No such file or directory".
 * A new database gets the archives' mode, 0640, whatever the umask
 * (SQLite gives its -wal, -shm and journal the database's mode).  And
 * the folder of a new file is synced with the result checked, where
 * SQLite ignores a failed folder sync.  Each file's methods are SQLite's,
 * called through ours, which keep the errno of a failed read, write, sync
 * or truncation: SQLite may report it with another call's errno, or none.
 * SQLite's open(2) goes through ours too, which keeps the errno of a
 * failed open for writing: SQLite opens read-only a file it could not
 * open to write, whatever the reason, and forgets why.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "dbint.h"

#define TEMP_FILES                                                             \
	(SQLITE_OPEN_TEMP_DB | SQLITE_OPEN_TEMP_JOURNAL |                      \
	    SQLITE_OPEN_SUBJOURNAL | SQLITE_OPEN_TRANSIENT_DB)

static sqlite3_vfs vfs;
static int fail_errno; /* why the last file could not be made */
static char fail_what[4200];
static int io_errno; /* of the last failed read, write, sync, truncation */
static int made; /* make() made the file just now */
static int open_errno; /* of the last failed open for writing */
static char open_path[4096];
static int (*real_open)(const char *, int, int); /* SQLite's open(2) */

/* Ours, then SQLite's own for the file, which follows it. */
struct lbfile {
	sqlite3_file base;
	sqlite3_file *real;
};

#define REAL(f) (((struct lbfile *)(f))->real)

static const char *
base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s != NULL ? s + 1 : p;
}

static int
failed(const char *doing, const char *path)
{
	fail_errno = errno;
	snprintf(fail_what, sizeof(fail_what), "%s %s", doing, base(path));
	return -1;
}

/* SQLite's open(2), remembering why an open for writing failed. */
static int
sys_open(const char *path, int flags, int mode)
{
	int fd = real_open(path, flags, mode);
	int e = errno;

	if (fd < 0 && (flags & (O_RDWR | O_WRONLY | O_CREAT))) {
		open_errno = e;
		snprintf(open_path, sizeof(open_path), "%s", path);
		errno = e;
	}
	return fd;
}

/* The folder of path, synced. */
static int
sync_folder(const char *path)
{
	const char *s = strrchr(path, '/');
	char dir[4096];
	int n = s == NULL ? snprintf(dir, sizeof(dir), ".")
	    : s == path
	    ? snprintf(dir, sizeof(dir), "/")
	    : snprintf(dir, sizeof(dir), "%.*s", (int)(s - path), path);

	if (n < 0 || (size_t)n >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return fsync_dir(dir);
}

/* A missing file made with mode exactly, and its folder synced. */
static int
make(const char *path, mode_t mode)
{
	int fd;

	/* openat: tests/sh/restore-faults.sh tells it from SQLite's open. */
	fd = openat(AT_FDCWD, path,
	    O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return errno == EEXIST ? 0 : failed("cannot create", path);
	if (fchmod(fd, mode) < 0) {
		failed("cannot set the mode of", path);
		close(fd);
		return -1;
	}
	if (close(fd) < 0)
		return failed("cannot create", path);
	if (sync_folder(path) < 0)
		return failed("cannot sync the folder of", path);
	made = 1;
	return 0;
}

/* The -wal or journal, with the database's mode; the -shm with the WAL. */
static int
make_side(sqlite3_filename name, int flags)
{
	const char *db = sqlite3_filename_database(name);
	mode_t mode = DB_MODE;
	struct stat sb;
	char *shm;
	size_t n;
	int rc, made_wal;

	if (db != NULL && stat(db, &sb) == 0)
		mode = sb.st_mode & 0777;
	if (make(name, mode) < 0)
		return -1;
	if (!(flags & SQLITE_OPEN_WAL) || db == NULL)
		return 0;
	n = strlen(db);
	shm = sqlite3_malloc64(n + 5);
	if (shm == NULL) {
		errno = ENOMEM;
		return failed("cannot create", "the -shm file");
	}
	memcpy(shm, db, n);
	memcpy(shm + n, "-shm", 5);
	made_wal = made; /* of the WAL, which x_open opens */
	rc = make(shm, mode);
	made = made_wal;
	sqlite3_free(shm);
	return rc;
}

/* An I/O error keeps the errno the failed call left. */
static int
io(int rc)
{
	if (((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_FULL) &&
	    rc != SQLITE_IOERR_SHORT_READ && errno != 0)
		io_errno = errno;
	return rc;
}

static int
m_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}

static int
m_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
	errno = 0;
	return io(REAL(f)->pMethods->xRead(REAL(f), p, n, off));
}

static int
m_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
	errno = 0;
	return io(REAL(f)->pMethods->xWrite(REAL(f), p, n, off));
}

static int
m_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	errno = 0;
	return io(REAL(f)->pMethods->xTruncate(REAL(f), size));
}

static int
m_sync(sqlite3_file *f, int flags)
{
	errno = 0;
	return io(REAL(f)->pMethods->xSync(REAL(f), flags));
}

static int
m_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int
m_lock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xLock(REAL(f), l);
}

static int
m_unlock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), l);
}

static int
m_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int
m_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int
m_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int
m_device(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int
m_shmmap(sqlite3_file *f, int pg, int size, int extend, void volatile **p)
{
	errno = 0;
	return io(REAL(f)->pMethods->xShmMap(REAL(f), pg, size, extend, p));
}

static int
m_shmlock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}

static void
m_shmbarrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int
m_shmunmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int
m_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **p)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, p);
}

static int
m_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods methods = { 3, m_close, m_read, m_write,
	m_truncate, m_sync, m_size, m_lock, m_unlock, m_reserved, m_control,
	m_sector, m_device, m_shmmap, m_shmlock, m_shmbarrier, m_shmunmap,
	m_fetch, m_unfetch };

/*
 * SQLite's own open, into the space after ours; a file it could not
 * open but gave methods to is closed through them.
 */
static int
open_real(sqlite3_vfs *real, sqlite3_filename name, sqlite3_file *f, int flags,
    int *out)
{
	struct lbfile *p = (struct lbfile *)f;
	int rc;

	p->real = (sqlite3_file *)(p + 1);
	p->real->pMethods = NULL;
	rc = real->xOpen(real, name, p->real, flags, out);
	f->pMethods = p->real->pMethods != NULL ? &methods : NULL;
	return rc;
}

/* The errno of an open that found the file not ours to write; 0: none. */
static int
may_not_write(int e)
{
	return e == 0 || e == EACCES || e == EROFS || e == EPERM;
}

static int
x_open(
    sqlite3_vfs *v, sqlite3_filename name, sqlite3_file *f, int flags, int *out)
{
	sqlite3_vfs *real = v->pAppData;
	int rc = 0, got = 0;

	fail_errno = made = open_errno = 0;
	if (name != NULL && (flags & SQLITE_OPEN_CREATE)) {
		if (flags & SQLITE_OPEN_MAIN_DB)
			rc = make(name, DB_MODE);
		else if (flags & (SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL))
			rc = make_side(name, flags);
	}
	if (rc < 0) {
		f->pMethods = NULL;
		return SQLITE_CANTOPEN;
	}
	rc = open_real(real, name, f, flags, &got);
	/*
	 * SQLite opens read-only a file it could not open to write, but a
	 * file just made is ours to write: that was a failure of the
	 * moment, and the open is tried once more.
	 */
	if (rc == SQLITE_OK && f->pMethods != NULL && made &&
	    (flags & SQLITE_OPEN_READWRITE) && (got & SQLITE_OPEN_READONLY)) {
		f->pMethods->xClose(f);
		open_errno = 0;
		rc = open_real(real, name, f, flags, &got);
	}
	if (rc == SQLITE_OK && f->pMethods != NULL &&
	    (flags & SQLITE_OPEN_READWRITE) && (got & SQLITE_OPEN_READONLY) &&
	    !may_not_write(open_errno)) {
		/* Not a file we may not write, but one we failed to. */
		f->pMethods->xClose(f);
		f->pMethods = NULL;
		rc = SQLITE_CANTOPEN;
	}
	if (rc != SQLITE_OK && fail_errno == 0 && open_errno != 0) {
		fail_errno = open_errno;
		/* A temporary file's name says nothing; its folder may. */
		snprintf(fail_what, sizeof(fail_what), "cannot open %s%s",
		    flags & TEMP_FILES ? "the temporary file " : "",
		    flags & TEMP_FILES ? open_path : base(open_path));
	}
	if (out != NULL)
		*out = got;
	return rc;
}

/* The name of the VFS to open the database with. */
const char *
dbvfs_name(void)
{
	sqlite3_vfs *real;

	if (vfs.zName != NULL)
		return vfs.zName;
	if ((real = sqlite3_vfs_find(NULL)) == NULL)
		return NULL;
	vfs = *real;
	vfs.szOsFile = (int)sizeof(struct lbfile) + real->szOsFile;
	vfs.pNext = NULL;
	vfs.zName = "logbook";
	vfs.pAppData = real;
	vfs.xOpen = x_open;
	real_open = real->iVersion < 3
	    ? NULL
	    : (int (*)(const char *, int, int))real->xGetSystemCall(
	          real, "open");
	if (real_open != NULL &&
	    real->xSetSystemCall(real, "open", (sqlite3_syscall_ptr)sys_open) !=
	        SQLITE_OK)
		real_open = NULL;
	if (sqlite3_vfs_register(&vfs, 0) != SQLITE_OK) {
		vfs.zName = NULL;
		return NULL;
	}
	return vfs.zName;
}

/* Why the last file of the database could not be made; 0: it was. */
int
dbvfs_errno(const char **what)
{
	*what = fail_what;
	return fail_errno;
}

/*
 * Why the last open for writing failed, where SQLite went on with the
 * file read-only (its -shm, say) and then could not write; 0: none.
 */
int
dbvfs_openerrno(void)
{
	return open_errno;
}

/* The errno of the last failed read, write, sync or truncation, then 0. */
int
dbvfs_ioerrno(void)
{
	int e = io_errno;

	io_errno = 0;
	return e;
}
