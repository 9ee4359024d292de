/*
 * Helpers shared by the cmocka unit tests: where the shared test data is,
 * and copies of input spans that let AddressSanitizer catch overreads.
 * Include it after <cmocka.h> (the helpers fail through cmocka asserts).
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

/*
 * A heap copy of exactly len bytes, no terminator, so that a read past the
 * explicit length is an AddressSanitizer error. The caller frees it.
 */
static inline char *exact_copy(const char *s, size_t len)
{
	char *p = malloc(len ? len : 1);

	assert_non_null(p);
	if (len)
		memcpy(p, s, len);
	return p;
}

/* Copies the span s[0..len) into dst as a string; it must fit in size. */
static inline void copy_span(char *dst, size_t size, const char *s, size_t len)
{
	assert_true(len < size);
	memcpy(dst, s, len);
	dst[len] = '\0';
}

#endif
