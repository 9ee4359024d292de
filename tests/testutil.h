/*
 * Helpers shared by the cmocka unit tests: where the shared test data is,
 * and reading its TSV vector files.
 */
#ifndef HFX_TESTS_TESTUTIL_H
#define HFX_TESTS_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Path of a file under ../shared/data (or $HFX_SHARED_DATA), or NULL with a
 * visible message when the data is absent: the caller then skips. The
 * result is a static buffer.
 */
static inline const char *shared_path(const char *rel)
{
	static char path[4096];
	const char *base = getenv("HFX_SHARED_DATA");
	FILE *f;

	if (!base)
		base = "../shared/data";
	snprintf(path, sizeof(path), "%s/%s", base, rel);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "SKIP: shared test data not found: %s\n", path);
		return NULL;
	}
	fclose(f);
	return path;
}

#endif
