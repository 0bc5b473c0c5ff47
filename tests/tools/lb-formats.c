/*
 * Test tool: the named formats of lib/logformat.c's table, for the tests
 * that check the man pages and the completion against it.  Without
 * arguments, each name and its family's head, in auto-detection order;
 * with -l, the heads, in the order help texts list them.
 */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "logformat.h"

int
main(int argc, char **argv)
{
	const char *const *n;
	struct lf_kind k;

	lb_setprogname(argv[0]);
	if (argc > 1 && strcmp(argv[1], "-l") == 0)
		for (n = lf_heads(); *n != NULL; n++)
			printf("%s\n", *n);
	else if (argc > 1)
		lb_usage("usage: lb-formats [-l]\n");
	else
		for (n = lf_names(); *n != NULL; n++)
			if (lf_kind(*n, &k) == 0)
				printf("%s %s\n", *n, k.family);
	return ferror(stdout) || fflush(stdout) ? EX_FAIL : 0;
}
