/*
 * libFuzzer target for the Debian version comparator (core/version_deb.c).
 *
 * The input is two versions separated by the first '\n' (no '\n': the
 * second is empty). Each is copied to a buffer of exactly its length so
 * AddressSanitizer catches any read past the explicit lengths. Aborts when
 * the order is not antisymmetric or a version does not equal itself:
 * sorting and range matching rely on both, for any bytes a feed may hold.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static char *exact_copy(const uint8_t *s, size_t len)
{
	char *p = malloc(len ? len : 1);

	if (!p)
		abort();
	if (len)
		memcpy(p, s, len);
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = size ? memchr(data, '\n', size) : NULL;
	size_t alen = nl ? (size_t)(nl - data) : size;
	size_t blen = nl ? size - alen - 1 : 0;
	char *a = exact_copy(data, alen);
	char *b = exact_copy(nl ? nl + 1 : data + size, blen);
	const char *reason = NULL;

	if (sign(deb_vercmp(a, alen, b, blen)) != -sign(deb_vercmp(b, blen, a, alen)))
		abort();
	if (deb_vercmp(a, alen, a, alen) != 0 || deb_vercmp(b, blen, b, blen) != 0)
		abort();
	/* A reason is exactly what an invalid version must come with. */
	if (!deb_version_valid(a, alen, &reason) && !reason)
		abort();
	reason = NULL;
	if (!deb_version_valid(b, blen, &reason) && !reason)
		abort();
	free(a);
	free(b);
	return 0;
}
