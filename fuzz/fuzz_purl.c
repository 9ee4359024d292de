/*
 * libFuzzer target for the package URL parser (src/inventory/purl.c).
 *
 * Beyond the sanitizers' own checks: a failure leaves a message and the
 * output untouched; a parsed purl has a lowercase type and a name, its
 * qualifiers sorted, unique and findable, and every part NUL-terminated
 * inside its buffer; its canonical form parses again to the same parts
 * and the same canonical form (the round trip the spec promises).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inventory/purl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_parts(const struct purl *p)
{
	if (!memchr(p->type, '\0', sizeof(p->type)) || !memchr(p->ns, '\0', sizeof(p->ns)) ||
	    !memchr(p->name, '\0', sizeof(p->name)) ||
	    !memchr(p->version, '\0', sizeof(p->version)) ||
	    !memchr(p->subpath, '\0', sizeof(p->subpath)))
		abort();
	if (!p->type[0] || !p->name[0] || p->nqualifiers > PURL_QUALIFIERS_MAX ||
	    p->qdata_len > PURL_QDATA_MAX)
		abort();
	for (const char *t = p->type; *t; t++)
		if (*t >= 'A' && *t <= 'Z')
			abort();
	for (size_t i = 0; i < p->nqualifiers; i++) {
		const char *k = purl_qualifier_key(p, i), *v = purl_qualifier_value(p, i);

		if (!k || !v || !k[0] || !v[0] || purl_qualifier(p, k) != v)
			abort();
		if (i && strcmp(purl_qualifier_key(p, i - 1), k) >= 0)
			abort();
	}
	if (purl_qualifier_key(p, p->nqualifiers))
		abort();
}

static int same(const struct purl *a, const struct purl *b)
{
	if (strcmp(a->type, b->type) || strcmp(a->ns, b->ns) || strcmp(a->name, b->name) ||
	    strcmp(a->version, b->version) || strcmp(a->subpath, b->subpath) ||
	    a->nqualifiers != b->nqualifiers)
		return 0;
	for (size_t i = 0; i < a->nqualifiers; i++)
		if (strcmp(purl_qualifier_key(a, i), purl_qualifier_key(b, i)) ||
		    strcmp(purl_qualifier_value(a, i), purl_qualifier_value(b, i)))
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char once[3 * sizeof(struct purl) + 64], twice[sizeof(once)];
	static struct purl p, again, sentinel;
	struct err e = { "" };

	memset(&p, 0xa5, sizeof(p));
	sentinel = p;
	if (purl_parse((const char *)data, size, &p, &e)) {
		if (!e.msg[0] || memcmp(&p, &sentinel, sizeof(p)))
			abort();
		return 0;
	}
	check_parts(&p);
	if (purl_format(&p, once, sizeof(once), &e))
		abort();
	if (purl_parse(once, strlen(once), &again, &e) || !same(&p, &again))
		abort();
	if (purl_format(&again, twice, sizeof(twice), &e) || strcmp(once, twice))
		abort();
	return 0;
}
