/*
 * Version comparison, one comparator per ecosystem family.
 *
 * Each comparator takes explicit lengths (versions come from untrusted
 * feeds and inventories and need not be NUL-terminated), never allocates,
 * and returns <0, 0 or >0 like strcmp. Comparators accept any byte string:
 * an invalid version still compares deterministically, as the reference
 * tool's own comparison does; validity is a separate question.
 */
#ifndef HFX_CORE_VERSION_H
#define HFX_CORE_VERSION_H

#include <stdbool.h>
#include <stddef.h>

typedef int (*version_cmp_fn)(const char *a, size_t alen, const char *b, size_t blen);

/*
 * Debian: identical to dpkg's `dpkg --compare-versions` (epoch, upstream
 * version, revision; '~' sorts before everything, letters before other
 * characters, digit runs numerically). A missing epoch is 0, a missing
 * revision compares like "0".
 */
int deb_vercmp(const char *a, size_t alen, const char *b, size_t blen);

/*
 * True when v is a version dpkg accepts (parseversion): optional numeric
 * epoch, an upstream part starting with a digit and made of alphanumerics
 * and . + ~ - :, an optional revision of alphanumerics and . + ~. On false,
 * *ret_reason (if given) points at a static explanation.
 */
bool deb_version_valid(const char *v, size_t len, const char **ret_reason);

/*
 * Semantic Versioning 2.0.0 precedence (semver.org, section 11): build
 * metadata is ignored, numeric identifiers compare numerically, a
 * pre-release sorts before its release. Used for OSV SEMVER ranges.
 */
int semver_cmp(const char *a, size_t alen, const char *b, size_t blen);

/*
 * RPM: identical to rpm's rpmvercmp() applied to epoch, version and
 * release as rpm.vercmp() / rpmVersionCompare do for full EVR strings
 * "[epoch:]version[-release]": a missing epoch is 0; '~' sorts before
 * everything, '^' after the end but before anything else; separators are
 * skipped; digit runs compare numerically, and beat letter runs.
 */
int rpm_vercmp(const char *a, size_t alen, const char *b, size_t blen);

/*
 * Alpine apk: identical to apk-tools' version comparison (apk_version_compare):
 * digits separated by '.', an optional letter, suffixes _alpha _beta _pre
 * _rc (before the release) and _cvs _svn _git _hg _p (after), and -rN.
 */
int apk_vercmp(const char *a, size_t alen, const char *b, size_t blen);

/* True when v is a version apk-tools accepts (apk_version_validate). */
bool apk_version_valid(const char *v, size_t len);

#endif
