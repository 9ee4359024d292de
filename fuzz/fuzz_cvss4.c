/*
 * libFuzzer target for the CVSS v4.0 parser and scorer (core/cvss4.c).
 *
 * The input is one vector, copied to a buffer of exactly its length so
 * AddressSanitizer catches reads past the explicit length. Beyond the
 * sanitizers' checks: a failure leaves a message and the output
 * untouched; a success has a score in [0, 10] with one decimal, a
 * MacroVector of six EQ digits (or "" with a score of 0.0), every base
 * metric set, and parses to the same result a second time.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cvss4.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct cvss4 *c)
{
	double tenths = c->score * 10;
	long long n = (long long)tenths;
	const char *mv = c->macrovector;

	if (!(c->score >= 0.0 && c->score <= 10.0) || (double)n != tenths)
		abort();
	if (!memchr(mv, '\0', sizeof(c->macrovector)))
		abort();
	if (mv[0] == '\0') {
		if (c->score != 0.0)
			abort();
	} else {
		if (strlen(mv) != 6 || mv[0] > '2' || mv[1] > '1' || mv[2] > '2' || mv[3] > '2' ||
		    mv[4] > '2' || mv[5] > '1' || strspn(mv, "012") != 6)
			abort();
	}
	for (int m = CVSS4_AV; m <= CVSS4_SA; m++)
		if (c->metric[m] == 'X' || c->metric[m] == '\0')
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cvss4 c, again, sentinel;
	struct err e = { "" };
	char *s = malloc(size ? size : 1);

	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	memset(&c, 0xa5, sizeof(c));
	sentinel = c;
	if (cvss4_parse(s, size, &c, &e)) {
		if (!e.msg[0] || memcmp(&c, &sentinel, sizeof(c)))
			abort();
	} else {
		check(&c);
		if (cvss4_parse(s, size, &again, &e) || again.score != c.score ||
		    strcmp(again.macrovector, c.macrovector) ||
		    memcmp(again.metric, c.metric, sizeof(c.metric)))
			abort();
	}
	free(s);
	return 0;
}
