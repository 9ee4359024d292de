/*
 * libFuzzer target for the RPM version comparator (core/version_rpm.c).
 *
 * The input is two EVRs separated by the first '\n' (no '\n': the second
 * is empty). Each is copied to a buffer of exactly its length so
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
	int ab = rpm_vercmp(a, alen, b, blen);

	if (sign(rpm_vercmp(b, blen, a, alen)) != -sign(ab))
		abort();
	if (rpm_vercmp(a, alen, a, alen) != 0 || rpm_vercmp(b, blen, b, blen) != 0)
		abort();
	free(a);
	free(b);
	return 0;
}
