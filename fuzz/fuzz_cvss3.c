/*
 * libFuzzer target for the CVSS v3.0 / v3.1 vector parser and scorer
 * (src/core/cvss3.c).
 *
 * Beyond the sanitizers' own checks: a failure leaves a message and the
 * output untouched; a parsed vector has every score a one-decimal value
 * in [0, 10], a temporal score no higher than the base score (the
 * temporal weights are all <= 1), every metric set to a valid letter,
 * and a severity for each score.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cvss3.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A score is 0.0..10.0 in steps of 0.1, exactly as k / 10.0 rounds. */
static void check_score(double s)
{
	long k;

	if (!(s >= 0 && s <= 10))
		abort();
	k = (long)(s * 10 + 0.5);
	if (s != (double)k / 10)
		abort();
	if (!cvss_severity(s))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cvss3 c, sentinel;
	struct err e = { "" };

	memset(&c, 0xa5, sizeof(c));
	sentinel = c;
	if (cvss3_parse((const char *)data, size, &c, &e)) {
		if (!e.msg[0] || memcmp(&c, &sentinel, sizeof(c)))
			abort();
		return 0;
	}
	if (c.minor != 0 && c.minor != 1)
		abort();
	check_score(c.base);
	check_score(c.temporal);
	check_score(c.environmental);
	if (c.temporal > c.base)
		abort();
	for (int i = 0; i < CVSS3_NMETRICS; i++)
		if (!c.metric[i] || !memchr("NALPHURCXFWTOM", c.metric[i], 14))
			abort();
	return 0;
}
