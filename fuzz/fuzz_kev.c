/*
 * libFuzzer target for the KEV catalog parser (feed/kev.c): any input must
 * give either a catalog whose every entry meets the documented formats, or
 * an error with a message, and never a crash, a leak or undefined
 * behaviour. Seeds: fuzz/corpus/fuzz_kev/.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "feed/kev.h"

static int check_entry(const struct kev_entry *k, void *ctx, struct err *e)
{
	size_t *n = ctx;
	size_t cve = strlen(k->cve);

	(void)e;
	if (cve < 13 || cve > 28 || memcmp(k->cve, "CVE-", 4) != 0 ||
	    strlen(k->date_added) != 10 || strlen(k->due_date) != 10 ||
	    strlen(k->vendor) >= sizeof(k->vendor) || strlen(k->product) >= sizeof(k->product) ||
	    strlen(k->name) >= sizeof(k->name))
		__builtin_trap();
	(*n)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e = { "" };
	char version[32] = "";
	size_t n = 0;
	int r;

	(void)kev_looks_like((const char *)data, size);
	r = kev_parse((const char *)data, size, "fuzz.json", check_entry, &n, version, &e);
	if (r == 0 && (version[0] == '\0' || strlen(version) > 31))
		__builtin_trap();
	if (r != 0 && (n != 0 || e.msg[0] == '\0'))
		__builtin_trap(); /* nothing handed over from a bad catalog */
	return 0;
}
