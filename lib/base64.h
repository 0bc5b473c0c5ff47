/* RFC 4648 base64, for the rare line that must be kept byte for byte. */
#ifndef LB_BASE64_H
#define LB_BASE64_H

#include <stddef.h>

#include "obuf.h"

void base64_put(struct obuf *, const void *, size_t);
long base64_decode(char *, const char *, size_t);

#endif
