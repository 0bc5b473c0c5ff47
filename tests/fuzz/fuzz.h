/*
 * What the libFuzzer targets of tests/fuzz share: comparing events, and
 * handing bytes to readers that want a file.  Static, so each target
 * takes what it uses.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "../unit/evsame.h"

int LLVMFuzzerTestOneInput(const unsigned char *, size_t);

/* A property broken: say which, for the crash report, and stop. */
#define FUZZ_ASSERT(c)                                                         \
	do {                                                                   \
		if (!(c)) {                                                    \
			fprintf(stderr, "%s:%d: property broken: %s\n",        \
			    __FILE__, __LINE__, #c);                           \
			abort();                                               \
		}                                                              \
	} while (0)

/*
 * The bytes as a file that readers open by path: one temporary file per
 * process, rewritten for each input.  Returns its path.
 */
static char fz_path[64];

static inline void
fz_unlink(void)
{
	(void)unlink(fz_path);
}

static inline const char *
fz_file(const unsigned char *data, size_t n)
{
	char *path = fz_path;
	FILE *f;

	if (path[0] == '\0') {
		const char *d = getenv("TMPDIR");

		snprintf(path, sizeof(fz_path), "%s/lbfuzz.%ld",
		    d != NULL && strlen(d) < 32 ? d : "/tmp", (long)getpid());
		atexit(fz_unlink);
	}
	f = fopen(path, "wb");
	if (f == NULL || (n > 0 && fwrite(data, 1, n, f) != n) ||
	    fclose(f) != 0) {
		perror(path);
		abort();
	}
	return path;
}

#endif
