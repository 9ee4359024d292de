/*
 * libFuzzer target for the Alpine version comparator and validity check
 * (core/version_apk.c).
 *
 * The input is two versions separated by the first '\n' (no '\n': the
 * second is empty). Each is copied to a buffer of exactly its length so
 * AddressSanitizer catches any read past the explicit lengths. Aborts when
 * a version does not equal itself or the order is not antisymmetric:
 * sorting and range matching rely on both, for any bytes a feed or an
 * installed-package database may hold. The validity check runs on both
 * sides for its memory safety, and must agree with itself.
 */
#include <stdbool.h>
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
	bool va, vb;

	if (apk_vercmp(a, alen, a, alen) != 0 || apk_vercmp(b, blen, b, blen) != 0)
		abort();
	if (sign(apk_vercmp(a, alen, b, blen)) != -sign(apk_vercmp(b, blen, a, alen)))
		abort();
	va = apk_version_valid(a, alen);
	vb = apk_version_valid(b, blen);
	if (va != apk_version_valid(a, alen) || vb != apk_version_valid(b, blen))
		abort();
	/* Equal bytes are always equal versions, valid or not. */
	if (alen == blen && !memcmp(a, b, alen) && (va != vb || apk_vercmp(a, alen, b, blen)))
		abort();
	free(a);
	free(b);
	return 0;
}
