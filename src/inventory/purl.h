/*
 * Package URLs (purl, https://github.com/package-url/purl-spec):
 *
 *   pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS#SUBPATH
 *
 * as SBOMs name the packages they list ("pkg:deb/debian/curl@7.88.1-10
 * ?arch=amd64&distro=debian-12"). This is the generic syntax only: the
 * parser does not apply the per-type rules (that a deb name is lowercase,
 * that rpm needs a namespace); the SBOM readers check what they use.
 *
 * Nothing is allocated: a struct purl holds every part, percent-decoded,
 * in fixed buffers, and a purl that does not fit is rejected with a
 * message saying which part is too long.
 */
#ifndef HFX_INVENTORY_PURL_H
#define HFX_INVENTORY_PURL_H

#include <stddef.h>

#include "base/err.h"

/* Longest purl accepted, and the capacity of each part (with its NUL). */
#define PURL_INPUT_MAX 8192u
#define PURL_TYPE_MAX 32u
#define PURL_NS_MAX 256u
#define PURL_NAME_MAX 256u
#define PURL_VERSION_MAX 256u
#define PURL_SUBPATH_MAX 512u
#define PURL_QUALIFIERS_MAX 32u   /* number of key=value pairs */
#define PURL_QDATA_MAX 4096u      /* all decoded keys and values, with NULs */

struct purl {
	char type[PURL_TYPE_MAX];       /* lowercase, never empty once parsed */
	char ns[PURL_NS_MAX];           /* decoded segments joined by '/'; "" if none */
	char name[PURL_NAME_MAX];       /* decoded, never empty once parsed */
	char version[PURL_VERSION_MAX]; /* decoded; "" if none */
	char subpath[PURL_SUBPATH_MAX]; /* decoded segments joined by '/'; "" if none */
	/* Qualifiers, sorted by key, keys unique, values non-empty: offsets of
	 * NUL-terminated strings in qdata. Read them with the functions below. */
	size_t nqualifiers;
	struct { unsigned short key, value; } q[PURL_QUALIFIERS_MAX];
	size_t qdata_len;
	char qdata[PURL_QDATA_MAX];
};

/* Empties *p (all parts "", no qualifiers), for building a purl by hand. */
void purl_init(struct purl *p);

/*
 * Parses s[0..len) (no NUL needed) into *ret, following the purl
 * specification's parsing rules:
 *
 * - the scheme must be "pkg" (any case) followed by ':'; slashes after it
 *   are ignored ("pkg://deb/..." reads as "pkg:deb/...");
 * - the type is letters, digits, '.', '+' and '-', not starting with a
 *   digit, and is lowercased; it must be followed by '/';
 * - the name is required; the namespace, version, qualifiers and subpath
 *   are optional; empty namespace and subpath segments are dropped, and
 *   so are "." and ".." subpath segments;
 * - qualifier keys are lowercase letters, digits, '.', '-' and '_', not
 *   starting with a digit, never percent-encoded, each at most once; a
 *   qualifier with an empty value counts as absent;
 * - every %XX escape must be valid, and must not decode to NUL or, in a
 *   namespace or subpath segment, to '/';
 * - raw spaces and control characters are rejected (they must be
 *   percent-encoded); bytes over 0x7f are taken as they are.
 *
 * Uppercase qualifier keys are rejected, not lowercased: the purl test
 * suite's required tests expect that ("pkg:rpm/...?Arch=i386" fails).
 *
 * Returns 0, or ERR_INPUT with a message saying what is wrong and where
 * ("qualifier key 'Arch': uppercase letter 'A' (keys are lowercase)"), the
 * input itself not repeated (callers name the field that held it). *ret
 * is untouched on failure.
 */
int purl_parse(const char *s, size_t len, struct purl *ret, struct err *e);

/* The value of qualifier key, or NULL when the purl does not have it. */
const char *purl_qualifier(const struct purl *p, const char *key);

/* The key and the value of the i-th qualifier in key order, or NULL when
 * i >= p->nqualifiers. */
const char *purl_qualifier_key(const struct purl *p, size_t i);
const char *purl_qualifier_value(const struct purl *p, size_t i);

/*
 * Adds the qualifier key=value (value not encoded), keeping key order.
 * An empty value adds nothing (the spec treats it as absent). Returns 0,
 * or ERR_INPUT for an invalid or repeated key, or when the qualifiers
 * would exceed PURL_QUALIFIERS_MAX or PURL_QDATA_MAX.
 */
int purl_add_qualifier(struct purl *p, const char *key, const char *value,
		       struct err *e);

/*
 * Writes the canonical form of *p into out[0..n) (NUL-terminated): type
 * lowercased, qualifiers in key order, and every byte other than ASCII
 * letters, digits, ".-_~" and ':' percent-encoded in each segment and
 * value. Returns 0; ERR_INPUT when *p is not a valid purl (empty or
 * invalid type, empty name); ERR_NOMEM when out is too small. out is
 * untouched on failure.
 */
int purl_format(const struct purl *p, char *out, size_t n, struct err *e);

#endif
