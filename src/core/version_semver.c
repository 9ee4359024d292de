/*
 * Semantic Versioning 2.0.0 precedence; see version.h. Malformed input
 * still orders deterministically: each dot-separated part compares as the
 * same kind of identifier the specification would make of it.
 */
#include "core/version.h"

#include <string.h>

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

/* Numeric strings of any length, without integer overflow. */
static int numcmp(const char *a, size_t an, const char *b, size_t bn)
{
	int r;

	while (an > 1 && *a == '0')
		a++, an--;
	while (bn > 1 && *b == '0')
		b++, bn--;
	if (an != bn)
		return an < bn ? -1 : 1;
	r = memcmp(a, b, an);
	return (r > 0) - (r < 0);
}

static int identcmp(const char *a, size_t an, const char *b, size_t bn)
{
	bool anum = all_digits(a, an), bnum = all_digits(b, bn);
	size_t n = an < bn ? an : bn;
	int r;

	if (anum && bnum)
		return numcmp(a, an, b, bn);
	if (anum != bnum)
		return anum ? -1 : 1; /* numeric identifiers sort first */
	r = memcmp(a, b, n);
	if (r)
		return (r > 0) - (r < 0);
	return (an > bn) - (an < bn);
}

/* Splits off the next identifier ending at one of the stop bytes. */
static size_t ident_len(const char *s, size_t n, const char *stops)
{
	size_t i = 0;

	while (i < n && !memchr(stops, s[i], strlen(stops)))
		i++;
	return i;
}

/* Compares dot-separated identifier lists; a shorter list of equal
 * prefix sorts first. */
static int listcmp(const char *a, size_t an, const char *b, size_t bn, bool numeric)
{
	while (an && bn) {
		size_t al = ident_len(a, an, "."), bl = ident_len(b, bn, ".");
		int r = numeric ? numcmp(a, al, b, bl) : identcmp(a, al, b, bl);

		if (r)
			return r;
		a += al, an -= al;
		b += bl, bn -= bl;
		if (an)
			a++, an--;
		if (bn)
			b++, bn--;
	}
	return (an > 0) - (bn > 0);
}

int semver_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t ac, bc, apre, bpre;
	int r;

	/* "v1.2.3" is 1.2.3, as Go modules and most tools write it. */
	if (alen && (*a == 'v' || *a == 'V'))
		a++, alen--;
	if (blen && (*b == 'v' || *b == 'V'))
		b++, blen--;
	alen = ident_len(a, alen, "+");
	blen = ident_len(b, blen, "+");
	ac = ident_len(a, alen, "-");
	bc = ident_len(b, blen, "-");
	r = listcmp(a, ac, b, bc, true);
	if (r)
		return r;
	apre = alen - ac;
	bpre = blen - bc;
	if (!apre || !bpre)
		return (apre == 0) - (bpre == 0);
	return listcmp(a + ac + 1, apre - 1, b + bc + 1, bpre - 1, false);
}
