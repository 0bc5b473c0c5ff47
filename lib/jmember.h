/* One member of a flat JSON object line, found by its key. */
#ifndef LB_JMEMBER_H
#define LB_JMEMBER_H

#include <stddef.h>

#include "json.h"

int json_member(const char *, size_t, const char *, struct jval *);

#endif
