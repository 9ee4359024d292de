/*
 * RPM version comparison, bit-for-bit what rpm 4.18 answers through
 * rpm.vercmp() (its Lua and Python bindings): rpmverParse() cuts a full
 * "[epoch:]version[-release]" string (rpmio/rpmver.c parseEVR()),
 * rpmverCmp() compares the three parts, each with rpmvercmp()
 * (lib/rpmvercmp.c).
 *
 * It is for ordering the EVRs of RPM-based distributions (RHEL, Alma,
 * Rocky, Fedora, SUSE) as found in advisories and inventories. It is not
 * a validity check: rpm puts almost no rules on an EVR, and any byte
 * string gets the answer rpm would give it. The few cases rpm itself
 * cannot answer are documented at rpm_vercmp() below.
 *
 * Nothing here allocates; inputs are (pointer, length) pairs that need not
 * be NUL-terminated, and digit runs of any length compare without
 * conversion.
 */
#include "core/version.h"

#include <string.h>

/* An EVR cut into slices of the (already NUL-truncated) input. */
struct rpm_evr {
	const unsigned char *epoch;	/* digits only; empty means 0 */
	size_t epoch_len;
	const unsigned char *version;
	size_t version_len;
	const unsigned char *release;	/* NULL: no '-' at all */
	size_t release_len;
};

/* rpm's risdigit()/risalpha(): ASCII only, whatever the locale. */
static inline bool rpm_isdigit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static inline bool rpm_isalpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * True for the bytes rpmvercmp() skips between segments: everything but
 * letters, digits, '~' and '^' (so also every byte >= 0x80).
 */
static inline bool rpm_isskipped(unsigned char c)
{
	return !rpm_isdigit(c) && !rpm_isalpha(c) && c != '~' && c != '^';
}

/* Compares two digit runs as unbounded numbers: zeros off, length, bytes. */
static int rpm_numcmp(const unsigned char *a, size_t alen,
		      const unsigned char *b, size_t blen)
{
	int rc;

	while (alen && *a == '0') {
		a++;
		alen--;
	}
	while (blen && *b == '0') {
		b++;
		blen--;
	}
	if (alen != blen)
		return alen < blen ? -1 : 1;
	rc = alen ? memcmp(a, b, alen) : 0;
	return (rc > 0) - (rc < 0);
}

/*
 * rpmvercmp() over slices. The slices hold no NUL (rpm_vercmp() cut the
 * input at the first one), so 0 can stand for "at the end", exactly as
 * the terminator does in rpm's C string walk.
 */
static int rpm_segcmp(const unsigned char *a, size_t alen,
		      const unsigned char *b, size_t blen)
{
	size_t i = 0, j = 0;

	if (alen == blen && (!alen || !memcmp(a, b, alen)))
		return 0;	/* rpm's own shortcut, and the common case */

	while (i < alen || j < blen) {
		size_t si, sj;
		unsigned char ca, cb;
		int rc;

		while (i < alen && rpm_isskipped(a[i]))
			i++;
		while (j < blen && rpm_isskipped(b[j]))
			j++;
		ca = i < alen ? a[i] : 0;
		cb = j < blen ? b[j] : 0;

		/* '~' sorts before anything, even the end of the string. */
		if (ca == '~' || cb == '~') {
			if (ca != '~')
				return 1;
			if (cb != '~')
				return -1;
			i++;
			j++;
			continue;
		}
		/* '^' sorts after the end, but before any other segment. */
		if (ca == '^' || cb == '^') {
			if (!ca)
				return -1;
			if (!cb)
				return 1;
			if (ca != '^')
				return 1;
			if (cb != '^')
				return -1;
			i++;
			j++;
			continue;
		}
		if (!ca || !cb)
			break;

		/*
		 * Both sides now start a segment. Its kind is set by a's
		 * first byte; when b holds the other kind there, its run of
		 * a's kind is empty: a digit run beats a letter run.
		 */
		si = i;
		sj = j;
		if (rpm_isdigit(ca)) {
			while (i < alen && rpm_isdigit(a[i]))
				i++;
			while (j < blen && rpm_isdigit(b[j]))
				j++;
			if (j == sj)
				return 1;
			rc = rpm_numcmp(a + si, i - si, b + sj, j - sj);
		} else {
			size_t n;

			while (i < alen && rpm_isalpha(a[i]))
				i++;
			while (j < blen && rpm_isalpha(b[j]))
				j++;
			if (j == sj)
				return -1;
			/* strcmp() order: bytes, then a prefix sorts first. */
			n = i - si < j - sj ? i - si : j - sj;
			rc = memcmp(a + si, b + sj, n);
			if (!rc && i - si != j - sj)
				rc = i - si < j - sj ? -1 : 1;
		}
		if (rc)
			return rc > 0 ? 1 : -1;
	}
	/* Whichever side still has a segment left is newer. */
	if (i >= alen && j >= blen)
		return 0;
	return i >= alen ? -1 : 1;
}

/*
 * parseEVR(): the epoch is the run of digits at the start when a ':'
 * follows it (an empty one reads as "0"); the release follows the last
 * '-' after that digit run, wherever a ':' may be; the version is the
 * rest. Note that the '-' is searched after the leading digits even when
 * no ':' follows them, so "1-2:3" is version "1", release "2:3", and
 * "a:1" has no epoch at all (version "a:1").
 */
static void rpm_split(const unsigned char *s, size_t len, struct rpm_evr *p)
{
	size_t d = 0, vstart = 0, hyphen = len;

	while (d < len && rpm_isdigit(s[d]))
		d++;
	for (size_t k = len; k > d; k--) {
		if (s[k - 1] == '-') {
			hyphen = k - 1;
			break;
		}
	}
	p->epoch = s;
	p->epoch_len = 0;
	if (d < len && s[d] == ':') {
		p->epoch_len = d;
		vstart = d + 1;
	}
	p->version = s + vstart;
	p->version_len = hyphen - vstart;
	if (hyphen < len) {
		p->release = s + hyphen + 1;
		p->release_len = len - hyphen - 1;
	} else {
		p->release = NULL;
		p->release_len = 0;
	}
}

/*
 * rpmverCmp(): epochs (missing ones are 0; rpmvercmp() of two digit
 * strings is their numeric order), then versions, then releases, where a
 * missing release (no '-') is older than any release, even an empty one:
 * "1.0" < "1.0-1" and "1" < "1-". That is what rpm.vercmp() answers; it
 * is not rpmdsCompare()'s range-overlap rule, where a missing release
 * matches any release.
 *
 * Where rpm has no answer we pick one that keeps the order total:
 *   - rpm.vercmp() raises an error on an empty string (rpmverParse()
 *     returns NULL); we read it as parseEVR() would, which makes it equal
 *     to ":" and "0:" (empty version, no release).
 *   - A string reaches rpm as a C string, so it ends at its first NUL
 *     byte (rpm.vercmp("1\0a", "1") is 0); we cut there too.
 */
int rpm_vercmp(const char *a, size_t alen, const char *b, size_t blen)
{
	const unsigned char *ua = (const unsigned char *)a;
	const unsigned char *ub = (const unsigned char *)b;
	const unsigned char *nul;
	struct rpm_evr pa, pb;
	int rc;

	if (!alen)
		ua = (const unsigned char *)"";	/* a may be NULL */
	if (!blen)
		ub = (const unsigned char *)"";
	nul = memchr(ua, '\0', alen);
	if (nul)
		alen = (size_t)(nul - ua);
	nul = memchr(ub, '\0', blen);
	if (nul)
		blen = (size_t)(nul - ub);

	rpm_split(ua, alen, &pa);
	rpm_split(ub, blen, &pb);

	rc = rpm_numcmp(pa.epoch, pa.epoch_len, pb.epoch, pb.epoch_len);
	if (rc)
		return rc;
	rc = rpm_segcmp(pa.version, pa.version_len, pb.version, pb.version_len);
	if (rc)
		return rc;
	if (!pa.release || !pb.release)
		return (int)(pa.release != NULL) - (int)(pb.release != NULL);
	return rpm_segcmp(pa.release, pa.release_len, pb.release, pb.release_len);
}
