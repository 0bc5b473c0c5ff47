/* Backup health: the archives read, their sizes and growth. */
#include "report.h"

void
backup(struct run *r, struct obuf *ob)
{
	(void)r;
	ob_lit(ob, "<h2>Backups</h2>");
}
