/*
 * libFuzzer target for the OSV record parser. Any input must either fail
 * cleanly (a message, the outputs untouched) or parse; a parsed record's
 * canonical JSON must parse again to the same canonical JSON, and each
 * affected entry must survive osv_affected_encode/decode unchanged.
 * Sanitizers catch the rest; abort() reports a broken property.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feed/osv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static int affected_eq(const struct affected *x, const struct affected *y)
{
	if (x->nranges != y->nranges || x->nversions != y->nversions)
		return 0;
	for (size_t i = 0; i < x->nranges; i++) {
		const struct osv_range *a = &x->ranges[i], *b = &y->ranges[i];

		if (a->type != b->type || a->nevents != b->nevents)
			return 0;
		for (size_t j = 0; j < a->nevents; j++)
			if (a->events[j].kind != b->events[j].kind ||
			    a->events[j].len != b->events[j].len ||
			    !str_eq(a->events[j].version, b->events[j].version))
				return 0;
	}
	for (size_t i = 0; i < x->nversions; i++)
		if (!str_eq(x->versions[i], y->versions[i]))
			return 0;
	return 1;
}

static void check_round_trip(const struct affected *af)
{
	struct affected back;
	struct err e;
	char *json = osv_affected_encode(af);

	if (!json)
		abort();
	if (osv_affected_decode(json, &back, &e))
		abort();
	if (!affected_eq(af, &back) || back.ecosystem || back.package || back.purl)
		abort();
	affected_release(&back);
	free(json);
}

static void check_canonical(const struct advisory *a, const char *canonical)
{
	struct advisory b;
	struct err e;
	char *again = NULL;

	if (osv_parse(canonical, strlen(canonical), &b, &again, &e))
		abort();
	if (strcmp(canonical, again) || !str_eq(a->id, b.id) ||
	    a->naffected != b.naffected || a->naliases != b.naliases)
		abort();
	advisory_release(&b);
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct advisory a, sentinel;
	struct err e = { "" };
	char *canonical = NULL;

	memset(&a, 0xa5, sizeof(a));
	sentinel = a;
	if (osv_parse((const char *)data, size, &a, &canonical, &e)) {
		if (!e.msg[0] || canonical || memcmp(&a, &sentinel, sizeof(a)))
			abort();
		return 0;
	}
	for (size_t i = 0; i < a.naffected; i++)
		check_round_trip(&a.affected[i]);
	check_canonical(&a, canonical);
	advisory_release(&a);
	free(canonical);
	return 0;
}
