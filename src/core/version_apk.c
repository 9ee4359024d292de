/*
 * Alpine (apk) version comparison and validity: apk_vercmp() and
 * apk_version_valid().
 *
 * The rules are those of apk-tools' src/version.c as rewritten for the
 * token-state parser (apk_version_compare(), apk_version_validate(); the
 * code of apk-tools 3 and of its unit data test/unit/version.data), read
 * from the source and reimplemented here, not copied. In short, a version
 * is
 *
 *	digits {.digits} [letter] {_suffix[digits]} [~hexhash] [-rdigits]
 *
 * and is compared token by token from the left:
 *
 *  - the first number, suffix numbers and the revision compare as
 *    numbers; a later dot-separated number compares as a number too,
 *    unless either side starts with '0', in which case the two digit
 *    strings compare as bytes (so 1.01 < 1.1 and 8.2.0 < 8.2.001, a
 *    "fractional" reading);
 *  - a letter compares by its byte, a ~hash as a byte string;
 *  - suffixes rank _alpha < _beta < _pre < _rc < (none) < _cvs < _svn
 *    < _git < _hg < _p;
 *  - when one side runs out of tokens or has a token of another kind,
 *    a pre-release suffix (_alpha.._rc) makes its side the lower one;
 *    otherwise the side that has ended, or whose token comes later in
 *    the grammar above, is the lower one:
 *	1.0_rc1 < 1.0 < 1.0-r1 < 1.0~ab < 1.0_p1 < 1.0a < 1.0.1
 *
 * Invalid versions. apk does not fall back to a string comparison for
 * them (test/unit/version.data still says "invalid. do string sort" next
 * to "1.0 < 1.0bc", but the code has no such path; the only byte-wise
 * comparisons are the leading-zero numbers and the hashes). It compares
 * the tokens before the first one that breaks the grammar as usual; the
 * broken token is of kind "invalid", which ranks below the end of a
 * version and below every other kind except a pre-release suffix. Two
 * versions that break at the same place after equal tokens compare equal,
 * whatever follows ("a" = "b", "1.2_foo" = "1.2_bar"). We do exactly the
 * same: the result is deterministic and antisymmetric, equal inputs always
 * compare equal, and the order is a total preorder (lexicographic over
 * totally ordered tokens), so sorting works on any bytes.
 *
 * Numbers are accumulated modulo 2^64 as apk's apk_blob_pull_uint() does,
 * so a component of 20 or more digits wraps exactly as it does in apk;
 * no real Alpine version comes near that.
 *
 * Differences from older apk-tools worth knowing, because published test
 * vectors (osv-scanner's) still encode them: apk <= 2.12 let a digit
 * follow a letter (6.6.2p1) and read "-r" without digits, "1..2" and a
 * bare "_" as valid; the current parser, which this file follows, treats
 * all of them as invalid, and accepts a "~hash" (1.0~1234), which older
 * releases do not. apk <= 2.12 also weighed leading zeros differently
 * (it had 8.2.0 > 8.2.001, apk-tools issue 10882).
 *
 * Pure logic: no allocation, no I/O; inputs are (pointer, length) slices
 * that need not be NUL-terminated, and a NUL byte inside the length is
 * just an invalid character.
 */
#include "core/version.h"

#include <stdint.h>
#include <string.h>

/*
 * Token kinds, in grammar order. The order is the semantics: it bounds
 * which token may follow which, and decides the comparison when the two
 * sides hold tokens of different kinds.
 */
enum apk_tok {
	APK_TOK_INITIAL_DIGIT,
	APK_TOK_DIGIT,
	APK_TOK_LETTER,
	APK_TOK_SUFFIX,
	APK_TOK_SUFFIX_NO,
	APK_TOK_COMMIT_HASH,
	APK_TOK_REVISION_NO,
	APK_TOK_END,
	APK_TOK_INVALID,
};

/* Suffix ranks; APK_SUF_NONE is the pivot between pre- and post-release. */
enum apk_suf {
	APK_SUF_INVALID,
	APK_SUF_ALPHA,
	APK_SUF_BETA,
	APK_SUF_PRE,
	APK_SUF_RC,
	APK_SUF_NONE,
	APK_SUF_CVS,
	APK_SUF_SVN,
	APK_SUF_GIT,
	APK_SUF_HG,
	APK_SUF_P,
};

/* A read position in one version and the token last read there. */
struct apk_cursor {
	const unsigned char *p;		/* next unread byte */
	const unsigned char *end;
	enum apk_tok tok;
	enum apk_suf suffix;		/* for APK_TOK_SUFFIX */
	uint64_t number;		/* for the numeric kinds */
	const unsigned char *val;	/* the token's text */
	size_t vlen;
};

static inline bool apk_isdigit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* apk's APK_CTYPE_VERSION_SUFFIX class: ASCII lowercase letters only. */
static inline bool apk_islower(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

/* apk's APK_CTYPE_HEXDIGIT class: lowercase hex only. */
static inline bool apk_ishex(unsigned char c)
{
	return apk_isdigit(c) || (c >= 'a' && c <= 'f');
}

/* Exact match of a suffix name; anything else (also "") is invalid. */
static enum apk_suf apk_suffix_value(const unsigned char *s, size_t len)
{
	static const struct {
		const char *name;
		size_t len;
		enum apk_suf rank;
	} names[] = {
		{ "alpha", 5, APK_SUF_ALPHA }, { "beta", 4, APK_SUF_BETA },
		{ "pre", 3, APK_SUF_PRE }, { "rc", 2, APK_SUF_RC },
		{ "cvs", 3, APK_SUF_CVS }, { "svn", 3, APK_SUF_SVN },
		{ "git", 3, APK_SUF_GIT }, { "hg", 2, APK_SUF_HG },
		{ "p", 1, APK_SUF_P },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (len == names[i].len && !memcmp(s, names[i].name, len))
			return names[i].rank;
	return APK_SUF_INVALID;
}

/*
 * Reads a digit run as the current token (whose kind the caller set);
 * an empty run makes the token invalid. The value wraps modulo 2^64 like
 * apk's apk_blob_pull_uint(), which unsigned arithmetic gives us.
 */
static void apk_read_digits(struct apk_cursor *c)
{
	uint64_t n = 0;

	c->val = c->p;
	while (c->p < c->end && apk_isdigit(*c->p))
		n = n * 10 + (uint64_t)(*c->p++ - '0');
	c->vlen = (size_t)(c->p - c->val);
	c->number = n;
	if (!c->vlen)
		c->tok = APK_TOK_INVALID;
}

/* Reads a run of bytes accepted by in_class as the token's text. */
static void apk_read_span(struct apk_cursor *c, bool (*in_class)(unsigned char))
{
	c->val = c->p;
	while (c->p < c->end && in_class(*c->p))
		c->p++;
	c->vlen = (size_t)(c->p - c->val);
}

static void apk_first(struct apk_cursor *c, const char *v, size_t len)
{
	c->p = (const unsigned char *)v;
	c->end = c->p + len;
	c->suffix = APK_SUF_INVALID;
	c->tok = APK_TOK_INITIAL_DIGIT;
	apk_read_digits(c);
}

/*
 * Advances to the next token. The first byte decides its kind, and the
 * kind of the previous token decides whether that kind may come next.
 */
static void apk_next(struct apk_cursor *c)
{
	enum apk_tok prev = c->tok;
	unsigned char ch;

	if (c->p == c->end) {
		c->tok = APK_TOK_END;
		return;
	}
	ch = *c->p;
	if (apk_islower(ch)) {
		if (prev > APK_TOK_DIGIT)
			goto invalid;
		c->val = c->p++;
		c->vlen = 1;
		c->tok = APK_TOK_LETTER;
		return;
	}
	if (ch == '.' || apk_isdigit(ch)) {
		if (ch == '.') {
			if (prev > APK_TOK_DIGIT)
				goto invalid;
			c->p++;
		}
		if (prev == APK_TOK_INITIAL_DIGIT || prev == APK_TOK_DIGIT)
			c->tok = APK_TOK_DIGIT;
		else if (prev == APK_TOK_SUFFIX)
			c->tok = APK_TOK_SUFFIX_NO;
		else
			goto invalid;
		apk_read_digits(c);
		return;
	}
	switch (ch) {
	case '_':
		if (prev > APK_TOK_SUFFIX_NO)
			goto invalid;
		c->p++;
		apk_read_span(c, apk_islower);
		c->suffix = apk_suffix_value(c->val, c->vlen);
		if (c->suffix == APK_SUF_INVALID)
			goto invalid;
		c->tok = APK_TOK_SUFFIX;
		return;
	case '~':
		if (prev >= APK_TOK_COMMIT_HASH)
			goto invalid;
		c->p++;
		apk_read_span(c, apk_ishex);
		if (!c->vlen)
			goto invalid;
		c->tok = APK_TOK_COMMIT_HASH;
		return;
	case '-':
		if (prev >= APK_TOK_REVISION_NO)
			goto invalid;
		if (c->end - c->p < 2 || c->p[1] != 'r')
			goto invalid;
		c->p += 2;
		c->tok = APK_TOK_REVISION_NO;
		apk_read_digits(c);
		return;
	default:
		break;
	}
invalid:
	c->tok = APK_TOK_INVALID;
}

/* apk_blob_sort(): bytes first, then the shorter string first. */
static int apk_bytes_cmp(const unsigned char *a, size_t alen,
			 const unsigned char *b, size_t blen)
{
	int r = memcmp(a, b, alen < blen ? alen : blen);

	if (r)
		return r < 0 ? -1 : 1;
	return (alen > blen) - (alen < blen);
}

/* Compares two tokens of the same kind (below APK_TOK_END). */
static int apk_token_cmp(const struct apk_cursor *a, const struct apk_cursor *b)
{
	uint64_t x, y;

	switch (a->tok) {
	case APK_TOK_DIGIT:
		/* Both runs are non-empty, or the token would be invalid. */
		if (a->val[0] == '0' || b->val[0] == '0')
			return apk_bytes_cmp(a->val, a->vlen, b->val, b->vlen);
		/* fall through */
	case APK_TOK_INITIAL_DIGIT:
	case APK_TOK_SUFFIX_NO:
	case APK_TOK_REVISION_NO:
		x = a->number;
		y = b->number;
		break;
	case APK_TOK_LETTER:
		x = a->val[0];
		y = b->val[0];
		break;
	case APK_TOK_SUFFIX:
		x = a->suffix;
		y = b->suffix;
		break;
	default:	/* APK_TOK_COMMIT_HASH */
		return apk_bytes_cmp(a->val, a->vlen, b->val, b->vlen);
	}
	return (x > y) - (x < y);
}

int apk_vercmp(const char *a, size_t alen, const char *b, size_t blen)
{
	struct apk_cursor ca, cb;
	int r;

	if (!a)
		alen = 0;
	if (!b)
		blen = 0;
	/* Equal bytes are equal versions; skips the parse for the common case. */
	if (alen == blen && (!alen || !memcmp(a, b, alen)))
		return 0;

	apk_first(&ca, alen ? a : "", alen);
	apk_first(&cb, blen ? b : "", blen);
	while (ca.tok == cb.tok && ca.tok < APK_TOK_END) {
		r = apk_token_cmp(&ca, &cb);
		if (r)
			return r;
		apk_next(&ca);
		apk_next(&cb);
	}
	/* Both ended, or both broke the grammar at the same place. */
	if (ca.tok == cb.tok)
		return 0;
	/* A pre-release suffix sorts before whatever the other side holds. */
	if (ca.tok == APK_TOK_SUFFIX && ca.suffix < APK_SUF_NONE)
		return -1;
	if (cb.tok == APK_TOK_SUFFIX && cb.suffix < APK_SUF_NONE)
		return 1;
	/* Otherwise the side further along the grammar (or ended) is lower. */
	return ca.tok > cb.tok ? -1 : 1;
}

bool apk_version_valid(const char *v, size_t len)
{
	struct apk_cursor c;

	if (!v)
		len = 0;
	for (apk_first(&c, len ? v : "", len); c.tok < APK_TOK_END; apk_next(&c))
		;
	return c.tok == APK_TOK_END;
}
