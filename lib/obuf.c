/* Buffered output to a file descriptor, with latched errors. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "diag.h"
#include "obuf.h"
#include "wio.h"

#define OB_CHUNK (256 * 1024)

void
ob_init(struct obuf *ob, int fd)
{
	ob->fd = fd;
	ob->err = 0;
	ob->len = 0;
	ob->cap = OB_CHUNK;
	ob->buf = xmalloc(ob->cap);
}

void
ob_free(struct obuf *ob)
{
	free(ob->buf);
	ob->buf = NULL;
	ob->len = ob->cap = 0;
}

/* Write out everything buffered; -1 with errno set on the first error. */
int
ob_flush(struct obuf *ob)
{
	if (ob->fd < 0)
		return 0; /* in memory: kept */
	if (ob->err == 0 && ob->len > 0 && wr_all(ob->fd, ob->buf, ob->len) < 0)
		ob->err = errno;
	ob->len = 0;
	if (ob->err != 0) {
		errno = ob->err;
		return -1;
	}
	return 0;
}

/* Flush when the buffer is past its chunk size; errors stay latched. */
void
ob_drain(struct obuf *ob)
{
	if (ob->len >= OB_CHUNK)
		(void)ob_flush(ob);
}

void
ob_grow(struct obuf *ob, size_t n)
{
	if (ob->len >= OB_CHUNK)
		(void)ob_flush(ob);
	if (ob->cap - ob->len >= n)
		return;
	if (n > SIZE_MAX / 2 - ob->len)
		lb_errx(EX_FAIL, "output record too large");
	while (ob->cap - ob->len < n)
		ob->cap *= 2;
	ob->buf = xrealloc(ob->buf, ob->cap);
}

/* lb_fputesc into ob: at most max bytes of s escaped, "..." for more. */
void
ob_esc(struct obuf *ob, const char *s, size_t n, size_t max)
{
	size_t lim = n < max ? n : max;

	ob->len += lb_escbuf(ob_reserve(ob, 4 * lim), s, lim);
	if (lim < n)
		ob_lit(ob, "...");
}

void
ob_u64(struct obuf *ob, uint64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	ob_write(ob, p, (size_t)(tmp + sizeof(tmp) - p));
}

void
ob_i64(struct obuf *ob, int64_t v)
{
	if (v < 0) {
		ob_putc(ob, '-');
		ob_u64(ob, (uint64_t)0 - (uint64_t)v);
		return;
	}
	ob_u64(ob, (uint64_t)v);
}

/*
 * The end of a program's output, after sbase's fshut(): ob flushed and
 * standard output closed, for a full disk or a closed pipe shows only
 * there.  -1 and a warning "stdout: why" when either fails.
 */
int
ob_shut(struct obuf *ob)
{
	if (ob_flush(ob) < 0 || close(STDOUT_FILENO) < 0) {
		lb_warn("stdout");
		return -1;
	}
	return 0;
}
