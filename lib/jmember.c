/* A member of a JSON object line, as written. */
#include "jmember.h"

/*
 * 1 with the value of key in the object line, 0 when it has none, -1
 * when the line is not an object.  Values keep their text, so an
 * object comes back as the bytes the line had.
 */
int
json_member(const char *line, size_t n, const char *key, struct jval *v)
{
	struct jobj o;
	struct jval k;
	int rc;

	if (json_obj_begin(&o, line, n) < 0)
		return -1;
	while ((rc = json_obj_next(&o, &k, v)) == 1)
		if (json_keyeq(&k, key))
			return 1;
	return rc;
}
