/*
 * JSON text: writing escaped strings (always valid UTF-8 out, whatever
 * comes in) and reading the flat objects of NDJSON streams.
 */
#ifndef LB_JSON_H
#define LB_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "obuf.h"

enum jtype { J_NONE, J_NULL, J_FALSE, J_TRUE, J_NUM, J_STR, J_OBJ, J_ARR };

struct jval {
	enum jtype type;
	const char *p; /* strings: between the quotes; others: the text */
	size_t n;
	int esc; /* a string with backslash escapes */
};

struct jobj {
	const char *p;
	const char *end;
	int first;
	const char *err;
};

/* Room a string of n bytes may take as JSON: \u00XX, and the quotes. */
#define JSON_STR_MAX(n) (6 * (n) + 2)

char *json_put(char *, const char *, size_t, int *);
int json_str(struct obuf *, const char *, size_t);
void json_str_ascii(struct obuf *, const char *, size_t);
size_t utf8_seq(const unsigned char *, size_t);
int utf8_valid(const char *, size_t);

extern const char json_not_object[];
const char *json_line_why(const char *, uint64_t);
int json_obj_begin(struct jobj *, const char *, size_t);
int json_obj_next(struct jobj *, struct jval *, struct jval *);
int json_obj_end(struct jobj *);
size_t json_unescape(char *, const char *, size_t);

/* Inline, so that the length of a literal key is known when compiling. */
static inline int
json_keyeq(const struct jval *k, const char *s)
{
	size_t n = strlen(s);

	return !k->esc && k->n == n && memcmp(k->p, s, n) == 0;
}

#endif
