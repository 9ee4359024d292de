/*
 * Debian version comparison and validity, bit-for-bit the rules of dpkg
 * 1.21 (lib/dpkg/version.c verrevcmp(), lib/dpkg/parsehelp.c
 * parseversion(), src/main/enquiry.c cmpversions()).
 *
 * deb_vercmp() answers what `dpkg --compare-versions` answers for every
 * string dpkg agrees to compare, including the ones it only warns about
 * (a leading letter, characters outside the allowed set): those appear in
 * real feeds and must still sort the way dpkg sorts them. For strings dpkg
 * refuses outright there is no reference; we still return a deterministic,
 * antisymmetric answer so that sorting never misbehaves. (The one string
 * dpkg's command line special-cases that we do not is "<unknown>", which
 * it reads as an empty version: that is a CLI convention, not a version.)
 *
 * deb_version_valid() is stricter than dpkg: what dpkg accepts with a
 * warning, or only after trimming blanks, is invalid here, because a
 * version from an advisory or an inventory that needs such leniency is
 * more likely a parsing bug upstream than a real package version.
 *
 * Nothing here allocates, and inputs are (pointer, length) pairs that need
 * not be NUL-terminated.
 */
#include "core/version.h"

#include <limits.h>
#include <string.h>

/* A version cut into its three parts, each a (pointer, length) slice. */
struct deb_parts {
	size_t len;	/* after trimming blanks; 0 is dpkg's "none" */
	const unsigned char *epoch;
	size_t epoch_len;
	const unsigned char *upstream;
	size_t upstream_len;
	const unsigned char *revision;
	size_t revision_len;
};

static inline bool deb_isdigit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static inline bool deb_isalpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* dpkg's c_isblank(): the only bytes parseversion() trims. */
static inline bool deb_isblank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Weight of a byte in the non-digit phase of verrevcmp(): '~' first, then
 * the end of the string and digits (both 0), then letters, then bytes
 * >= 0x80, then every other byte.
 *
 * dpkg computes "c + 256" on a plain char, which is signed on x86, so a
 * byte >= 0x80 weighs (c - 256) + 256 == c there: above letters, below
 * ASCII punctuation. We fix that x86 behaviour on every platform so the
 * order does not depend on where hfx runs.
 */
static inline int deb_weight(unsigned char c)
{
	if (deb_isdigit(c))
		return 0;
	if (deb_isalpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c >= 0x80)
		return c;
	/* A NUL cannot reach dpkg; inside our slices it is ordinary junk. */
	return c + 256;
}

/*
 * dpkg's verrevcmp() over slices: alternate a non-digit run compared by
 * weight and a digit run compared as a number. A digit run is compared
 * without converting it: after leading zeros, the longer run is larger,
 * and equal lengths are decided by the first differing digit, so runs of
 * any length work and nothing can overflow.
 */
static int deb_fragcmp(const unsigned char *a, size_t alen,
		       const unsigned char *b, size_t blen)
{
	size_t i = 0, j = 0;

	while (i < alen || j < blen) {
		int first_diff = 0;

		/*
		 * Weights are only 0 for digits and the end, so equal
		 * weights here mean both sides hold a real non-digit byte
		 * and both indexes may advance.
		 */
		while ((i < alen && !deb_isdigit(a[i])) ||
		       (j < blen && !deb_isdigit(b[j]))) {
			int wa = i < alen ? deb_weight(a[i]) : 0;
			int wb = j < blen ? deb_weight(b[j]) : 0;

			if (wa != wb)
				return wa - wb;
			i++;
			j++;
		}
		while (i < alen && a[i] == '0')
			i++;
		while (j < blen && b[j] == '0')
			j++;
		while (i < alen && j < blen && deb_isdigit(a[i]) && deb_isdigit(b[j])) {
			if (!first_diff)
				first_diff = a[i] - b[j];
			i++;
			j++;
		}
		if (i < alen && deb_isdigit(a[i]))
			return 1;
		if (j < blen && deb_isdigit(b[j]))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
}

/*
 * Compares two epochs as unbounded non-negative numbers. dpkg reads the
 * epoch with strtol(), which skips leading white space and one sign, so
 * "+1:" and "\n1:" are epoch 1 to dpkg; we skip the same. Any other junk
 * makes dpkg refuse the version; we then just compare bytes.
 */
static void deb_epoch_digits(const unsigned char **p, size_t *len)
{
	const unsigned char *s = *p;
	size_t n = *len;

	while (n && (*s == ' ' || (*s >= '\t' && *s <= '\r'))) {
		s++;
		n--;
	}
	if (n && (*s == '+' || *s == '-')) {
		s++;
		n--;
	}
	while (n && *s == '0') {
		s++;
		n--;
	}
	*p = s;
	*len = n;
}

static int deb_epochcmp(const unsigned char *a, size_t alen,
			const unsigned char *b, size_t blen)
{
	if (!alen && !blen)
		return 0;	/* the common case: no epoch on either side */
	deb_epoch_digits(&a, &alen);
	deb_epoch_digits(&b, &blen);
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return alen ? memcmp(a, b, alen) : 0;
}

/*
 * Splits v the way parseversion() does: blanks trimmed at both ends, the
 * epoch before the first ':', the revision after the last '-' that
 * follows it. The '-' is searched from the end because the revision is
 * short, which measurably beats one forward pass for both separators.
 */
static void deb_split(const unsigned char *v, size_t len, struct deb_parts *p)
{
	const unsigned char *colon, *hyphen = NULL, *end;

	*p = (struct deb_parts){ 0 };
	if (!len)
		return;	/* v may be NULL: no pointer arithmetic on it */
	while (len && deb_isblank(*v)) {
		v++;
		len--;
	}
	while (len && deb_isblank(v[len - 1]))
		len--;
	end = v + len;
	p->len = len;
	colon = memchr(v, ':', len);
	for (const unsigned char *s = end; s > v; s--) {
		if (s[-1] == '-') {
			hyphen = s - 1;
			break;
		}
	}
	p->epoch = v;
	p->epoch_len = colon ? (size_t)(colon - v) : 0;
	p->upstream = colon ? colon + 1 : v;
	if (hyphen && (!colon || hyphen > colon)) {
		p->upstream_len = (size_t)(hyphen - p->upstream);
		p->revision = hyphen + 1;
		p->revision_len = (size_t)(end - p->revision);
	} else {
		p->upstream_len = (size_t)(end - p->upstream);
		p->revision = end;
		p->revision_len = 0;	/* compares like "0", as in dpkg */
	}
}

int deb_vercmp(const char *a, size_t alen, const char *b, size_t blen)
{
	struct deb_parts pa, pb;
	int rc;

	deb_split((const unsigned char *)a, alen, &pa);
	deb_split((const unsigned char *)b, blen, &pb);

	/*
	 * `dpkg --compare-versions` treats an empty version as "none",
	 * lower than every version (even "~"), not as "0". A blank-only
	 * string, which dpkg rejects, joins it there.
	 */
	if (!pa.len || !pb.len)
		return (int)(pa.len != 0) - (int)(pb.len != 0);

	rc = deb_epochcmp(pa.epoch, pa.epoch_len, pb.epoch, pb.epoch_len);
	if (rc)
		return rc;
	rc = deb_fragcmp(pa.upstream, pa.upstream_len, pb.upstream, pb.upstream_len);
	if (rc)
		return rc;
	return deb_fragcmp(pa.revision, pa.revision_len, pb.revision, pb.revision_len);
}

/* Allowed bytes after the first one of an upstream version, and of a revision. */
static bool deb_upstream_char(unsigned char c)
{
	return deb_isdigit(c) || deb_isalpha(c) || c == '.' || c == '+' ||
	       c == '~' || c == '-' || c == ':';
}

static bool deb_revision_char(unsigned char c)
{
	return deb_isdigit(c) || deb_isalpha(c) || c == '.' || c == '+' || c == '~';
}

/* dpkg stores the epoch in an int and rejects anything above INT_MAX. */
static const char *deb_epoch_check(const unsigned char *e, size_t len)
{
	unsigned long long n = 0;

	if (!len)
		return "epoch is empty";
	for (size_t i = 0; i < len; i++) {
		if (!deb_isdigit(e[i]))
			return "epoch is not a number";
		n = n * 10 + (unsigned)(e[i] - '0');
		if (n > INT_MAX)
			return "epoch is too big";
	}
	return NULL;
}

/*
 * The checks of parseversion(), in its order so that the first problem
 * reported is usually the one dpkg would report; its warnings are errors
 * here, and so are the blanks it would trim and control bytes.
 */
static const char *deb_version_check(const unsigned char *v, size_t len)
{
	const unsigned char *end, *up, *up_end, *rev, *colon, *s;
	const char *reason;

	if (!len)
		return "version string is empty";
	end = up_end = rev = v + len;
	up = v;
	for (s = v; s < end; s++)
		if (*s <= ' ' || *s == 0x7f)
			return "version string contains white space or control characters";
	colon = memchr(v, ':', len);
	if (colon) {
		reason = deb_epoch_check(v, (size_t)(colon - v));
		if (reason)
			return reason;
		up = colon + 1;
		if (up == end)
			return "nothing after the epoch colon";
	}
	for (s = end; s > up; s--) {
		if (s[-1] == '-') {
			up_end = s - 1;
			rev = s;
			break;
		}
	}
	if (up_end != end && rev == end)
		return "revision is empty";
	if (up == up_end)
		return "upstream version is empty";
	if (!deb_isdigit(*up))
		return "upstream version does not start with a digit";
	for (s = up + 1; s < up_end; s++)
		if (!deb_upstream_char(*s))
			return "invalid character in upstream version";
	for (s = rev; s < end; s++)
		if (!deb_revision_char(*s))
			return "invalid character in revision";
	return NULL;
}

bool deb_version_valid(const char *v, size_t len, const char **ret_reason)
{
	const char *reason = deb_version_check((const unsigned char *)v, len);

	if (reason && ret_reason)
		*ret_reason = reason;
	return !reason;
}
