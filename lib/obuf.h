/*
 * Buffered output to a file descriptor.  The first write error is latched
 * (errno in err) and later writes are dropped, so callers check once, at
 * ob_flush, and never lose track of a full disk.  An obuf of fd -1 is
 * a buffer in memory: nothing is written, buf and len hold it all.
 */
#ifndef LB_OBUF_H
#define LB_OBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct obuf {
	int fd;
	int err;
	char *buf;
	size_t len;
	size_t cap;
};

void ob_init(struct obuf *, int);
void ob_free(struct obuf *);
int ob_flush(struct obuf *);
int ob_shut(struct obuf *);
void ob_drain(struct obuf *);
void ob_grow(struct obuf *, size_t);
void ob_u64(struct obuf *, uint64_t);
void ob_i64(struct obuf *, int64_t);
void ob_esc(struct obuf *, const char *, size_t, size_t);

/* Room for n more bytes; the pointer is valid until the next call. */
static inline char *
ob_reserve(struct obuf *ob, size_t n)
{
	if (ob->cap - ob->len < n)
		ob_grow(ob, n);
	return ob->buf + ob->len;
}

static inline void
ob_write(struct obuf *ob, const void *p, size_t n)
{
	memcpy(ob_reserve(ob, n), p, n);
	ob->len += n;
}

static inline void
ob_putc(struct obuf *ob, int c)
{
	*ob_reserve(ob, 1) = (char)c;
	ob->len++;
}

/*
 * A literal or a char array, whose sizeof is its length + 1.  A pointer
 * (the ?: of two literals is one) does not compile: its sizeof is not.
 */
#define OB_ARRAY(s)                                                            \
	(!__builtin_types_compatible_p(__typeof__(s), __typeof__(&(s)[0])))
#define ob_lit(ob, s)                                                          \
	ob_write((ob), (s), sizeof(s) - 1 + 0 * sizeof(struct {                \
		int array_or_literal : OB_ARRAY(s) ? 1 : -1;                   \
	}))

#endif
