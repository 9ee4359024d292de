/*
 * Package URL parser and formatter; the contract is in purl.h.
 *
 * The parse follows the order the specification gives: the subpath is cut
 * off at the last '#', the qualifiers at the last '?', then the scheme,
 * the type, the version (after the last '@' of the last path segment, so
 * that an npm scope "@angular" is not taken for one) and the name, and
 * what is left is the namespace. Each part is percent-decoded straight
 * into its buffer in a struct on the stack, copied out only on success.
 *
 * Not done here: the type-specific rules of the purl-spec "types"
 * documents (lowercasing a deb name, checking an rpm epoch): the SBOM
 * readers check the parts they use.
 */
#include "inventory/purl.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/show.h"

/* Longest rendering of input bytes in a message. */
#define EXCERPT_MAX 64

/*
 * Input bytes for a message, as base/show.h renders them, in EXCERPT_MAX
 * bytes rather than SHOW_MAX: messages quote this file's excerpts at
 * that length, and tests assert them.
 */
static const char *show(char out[EXCERPT_MAX], const char *s, size_t len)
{
	return show_bytes_n(out, EXCERPT_MAX, s, len);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static int hex_value(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The characters written as they are in the canonical form. */
static bool is_plain(unsigned char c)
{
	return is_digit((char)c) || is_lower((char)c) || is_upper((char)c) ||
	       c == '.' || c == '-' || c == '_' || c == '~' || c == ':';
}

/*
 * Decodes s[0..n) and appends it to out, whose length is *len and
 * capacity cap (with the NUL). In a segment (namespace, subpath) '/' may
 * not come out of an escape: it would change the segments.
 */
static int decode(const char *s, size_t n, char *out, size_t cap, size_t *len,
		  const char *what, bool segment, struct err *e)
{
	char shown[EXCERPT_MAX];
	size_t o = *len;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '%') {
			int hi = n - i >= 3 ? hex_value(s[i + 1]) : -1;
			int lo = n - i >= 3 ? hex_value(s[i + 2]) : -1;

			if (hi < 0 || lo < 0)
				return err_set(e, ERR_INPUT, "%s: invalid percent-encoding '%s' "
					       "(expected '%%' and two hex digits)", what,
					       show(shown, s + i, n - i < 3 ? n - i : 3));
			c = (char)(hi << 4 | lo);
			if (!c)
				return err_set(e, ERR_INPUT, "%s: '%%00' decodes to a NUL byte",
					       what);
			if (segment && c == '/')
				return err_set(e, ERR_INPUT, "%s: '%s' decodes to '/' inside a "
					       "segment", what, show(shown, s + i, 3));
			i += 2;
		}
		if (o + 1 >= cap)
			return err_set(e, ERR_INPUT, "%s: longer than %zu bytes once decoded",
				       what, cap - 1);
		out[o++] = c;
	}
	out[o] = '\0';
	*len = o;
	return 0;
}

/*
 * Decodes the '/'-separated segments of s[0..n) into out, joined by
 * single '/': empty segments are dropped, and for a subpath (dots) also
 * "." and "..", as the specification says.
 */
static int decode_segments(const char *s, size_t n, char *out, size_t cap,
			   const char *what, bool dots, struct err *e)
{
	const char *end = s + n;
	size_t len = 0, start;
	int r;

	out[0] = '\0';
	while (s < end) {
		const char *slash = memchr(s, '/', (size_t)(end - s));
		size_t seg = slash ? (size_t)(slash - s) : (size_t)(end - s);

		if (seg) {
			start = len;
			if (len) {
				if (len + 1 >= cap)
					return err_set(e, ERR_INPUT, "%s: longer than %zu bytes "
						       "once decoded", what, cap - 1);
				out[len++] = '/';
			}
			r = decode(s, seg, out, cap, &len, what, true, e);
			if (r)
				return r;
			if (dots && (!strcmp(out + start + (start ? 1 : 0), ".") ||
				     !strcmp(out + start + (start ? 1 : 0), ".."))) {
				len = start;
				out[len] = '\0';
			}
		}
		s += seg + (slash ? 1 : 0);
	}
	return 0;
}

/* Checks a type (letters, digits, ".+-", not starting with a digit). */
static int check_type(const char *s, size_t n, struct err *e)
{
	char shown[EXCERPT_MAX], bad[EXCERPT_MAX];

	if (!n)
		return err_set(e, ERR_INPUT, "empty type (expected pkg:TYPE/NAME)");
	if (n >= PURL_TYPE_MAX)
		return err_set(e, ERR_INPUT, "type '%s': longer than %u bytes",
			       show(shown, s, n), PURL_TYPE_MAX - 1);
	if (is_digit(s[0]))
		return err_set(e, ERR_INPUT, "type '%s': starts with a digit", show(shown, s, n));
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]) && !is_lower(s[i]) && !is_upper(s[i]) &&
		    s[i] != '.' && s[i] != '+' && s[i] != '-')
			return err_set(e, ERR_INPUT, "type '%s': invalid character '%s' (allowed: "
				       "letters, digits, '.', '+', '-')", show(shown, s, n),
				       show(bad, s + i, 1));
	return 0;
}

/* Checks a qualifier key (a-z, 0-9, ".-_", not starting with a digit). */
static int check_key(const char *k, size_t n, struct err *e)
{
	char shown[EXCERPT_MAX], bad[EXCERPT_MAX];

	if (!n)
		return err_set(e, ERR_INPUT, "qualifier with an empty key");
	if (is_digit(k[0]))
		return err_set(e, ERR_INPUT, "qualifier key '%s': starts with a digit",
			       show(shown, k, n));
	for (size_t i = 0; i < n; i++) {
		if (is_lower(k[i]) || is_digit(k[i]) || k[i] == '.' || k[i] == '-' ||
		    k[i] == '_')
			continue;
		if (is_upper(k[i]))
			return err_set(e, ERR_INPUT, "qualifier key '%s': uppercase letter '%c' "
				       "(keys are lowercase)", show(shown, k, n), k[i]);
		return err_set(e, ERR_INPUT, "qualifier key '%s': invalid character '%s' "
			       "(allowed: a-z, 0-9, '.', '-', '_'; keys are not percent-encoded)",
			       show(shown, k, n), show(bad, k + i, 1));
	}
	return 0;
}

void purl_init(struct purl *p)
{
	memset(p, 0, sizeof(*p));
}

/* Adds key[0..klen)=value[0..vlen) (decoded, no NUL inside) in key order. */
static int add_qualifier(struct purl *p, const char *key, size_t klen,
			 const char *value, size_t vlen, struct err *e)
{
	char shown[EXCERPT_MAX];
	size_t at = 0;
	int r;

	r = check_key(key, klen, e);
	if (r)
		return r;
	if (!vlen)
		return 0;
	for (at = 0; at < p->nqualifiers; at++) {
		const char *k = p->qdata + p->q[at].key;
		size_t kn = strlen(k);
		int c = memcmp(k, key, kn < klen ? kn : klen);

		if (!c && kn == klen)
			return err_set(e, ERR_INPUT, "qualifier key '%s' given twice",
				       show(shown, key, klen));
		if (c > 0 || (!c && kn > klen))
			break;
	}
	if (p->nqualifiers >= PURL_QUALIFIERS_MAX)
		return err_set(e, ERR_INPUT, "more than %u qualifiers", PURL_QUALIFIERS_MAX);
	if (klen + vlen + 2 > PURL_QDATA_MAX - p->qdata_len)
		return err_set(e, ERR_INPUT, "qualifiers: longer than %u bytes in all once "
			       "decoded", PURL_QDATA_MAX);
	memmove(&p->q[at + 1], &p->q[at], (p->nqualifiers - at) * sizeof(p->q[0]));
	p->q[at].key = (unsigned short)p->qdata_len;
	memcpy(p->qdata + p->qdata_len, key, klen);
	p->qdata[p->qdata_len + klen] = '\0';
	p->q[at].value = (unsigned short)(p->qdata_len + klen + 1);
	memcpy(p->qdata + p->q[at].value, value, vlen);
	p->qdata[p->q[at].value + vlen] = '\0';
	p->qdata_len += klen + vlen + 2;
	p->nqualifiers++;
	return 0;
}

int purl_add_qualifier(struct purl *p, const char *key, const char *value,
		       struct err *e)
{
	return add_qualifier(p, key, strlen(key), value, strlen(value), e);
}

/* The '&'-separated key=value pairs of s[0..n); empty pairs are skipped. */
static int parse_qualifiers(struct purl *p, const char *s, size_t n, struct err *e)
{
	const char *end = s + n;
	char value[PURL_QDATA_MAX], shown[EXCERPT_MAX], what[EXCERPT_MAX + 32];
	int r;

	while (s < end) {
		const char *amp = memchr(s, '&', (size_t)(end - s));
		const char *pair_end = amp ? amp : end;
		const char *eq = memchr(s, '=', (size_t)(pair_end - s));
		size_t vlen = 0;

		if (pair_end > s) {
			if (!eq)
				return err_set(e, ERR_INPUT, "qualifier '%s': no '=' (expected "
					       "key=value)", show(shown, s, (size_t)(pair_end - s)));
			r = check_key(s, (size_t)(eq - s), e);
			if (r)
				return r;
			snprintf(what, sizeof(what), "qualifier '%s'",
				 show(shown, s, (size_t)(eq - s)));
			r = decode(eq + 1, (size_t)(pair_end - eq - 1), value, sizeof(value),
				   &vlen, what, false, e);
			if (!r)
				r = add_qualifier(p, s, (size_t)(eq - s), value, vlen, e);
			if (r)
				return r;
		}
		s = amp ? amp + 1 : end;
	}
	return 0;
}

/* Checks the raw text: spaces and control characters must be encoded. */
static int check_raw(const char *s, size_t len, struct err *e)
{
	if (!len)
		return err_set(e, ERR_INPUT, "empty (expected pkg:TYPE/NAME)");
	if (len > PURL_INPUT_MAX)
		return err_set(e, ERR_INPUT, "%zu bytes, more than the limit of %u", len,
			       PURL_INPUT_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c == 0x7f)
			return err_set(e, ERR_INPUT, "%s at byte %zu (it must be percent-encoded)",
				       c == ' ' ? "unencoded space" : "control character", i + 1);
	}
	return 0;
}

/* Scheme and type of s[0..n): sets *ret_rest past the type's '/'. */
static int parse_head(struct purl *p, const char *s, size_t n, const char **ret_rest,
		      struct err *e)
{
	const char *end = s + n, *colon = memchr(s, ':', n), *t, *slash;
	char shown[EXCERPT_MAX];
	int r;

	if (!colon)
		return err_set(e, ERR_INPUT, "no scheme (a purl starts with 'pkg:')");
	if (colon - s != 3 || strncasecmp(s, "pkg", 3))
		return err_set(e, ERR_INPUT, "scheme '%s' is not 'pkg'",
			       show(shown, s, (size_t)(colon - s)));
	for (t = colon + 1; t < end && *t == '/'; t++)
		;
	slash = memchr(t, '/', (size_t)(end - t));
	if (!slash)
		return err_set(e, ERR_INPUT, "no '/' after the type (expected pkg:TYPE/NAME)");
	r = check_type(t, (size_t)(slash - t), e);
	if (r)
		return r;
	for (size_t i = 0; i < (size_t)(slash - t); i++)
		p->type[i] = is_upper(t[i]) ? (char)(t[i] - 'A' + 'a') : t[i];
	p->type[slash - t] = '\0';
	*ret_rest = slash + 1;
	return 0;
}

int purl_parse(const char *s, size_t len, struct purl *ret, struct err *e)
{
	struct purl p;
	const char *end = s + len, *cut, *rest = NULL, *at, *name;
	size_t n = 0;
	int r;

	purl_init(&p);
	r = check_raw(s, len, e);
	if (r)
		return r;
	cut = memrchr(s, '#', len);
	if (cut) {
		r = decode_segments(cut + 1, (size_t)(end - cut - 1), p.subpath,
				    sizeof(p.subpath), "subpath", true, e);
		if (r)
			return r;
		end = cut;
	}
	cut = memrchr(s, '?', (size_t)(end - s));
	if (cut) {
		r = parse_qualifiers(&p, cut + 1, (size_t)(end - cut - 1), e);
		if (r)
			return r;
		end = cut;
	}
	r = parse_head(&p, s, (size_t)(end - s), &rest, e);
	if (r)
		return r;
	while (end > rest && end[-1] == '/')
		end--;
	at = memrchr(rest, '@', (size_t)(end - rest));
	if (at && memchr(at, '/', (size_t)(end - at)))
		at = NULL;
	if (at) {
		if (at + 1 == end)
			return err_set(e, ERR_INPUT, "empty version after '@'");
		r = decode(at + 1, (size_t)(end - at - 1), p.version, sizeof(p.version), &n,
			   "version", false, e);
		if (r)
			return r;
		end = at;
	}
	name = memrchr(rest, '/', (size_t)(end - rest));
	name = name ? name + 1 : rest;
	if (name == end)
		return err_set(e, ERR_INPUT, "no name (expected pkg:TYPE/NAME)");
	n = 0;
	r = decode(name, (size_t)(end - name), p.name, sizeof(p.name), &n, "name", false, e);
	if (!r)
		r = decode_segments(rest, (size_t)(name - rest), p.ns, sizeof(p.ns),
				    "namespace", false, e);
	if (r)
		return r;
	*ret = p;
	return 0;
}

const char *purl_qualifier_key(const struct purl *p, size_t i)
{
	return i < p->nqualifiers ? p->qdata + p->q[i].key : NULL;
}

const char *purl_qualifier_value(const struct purl *p, size_t i)
{
	return i < p->nqualifiers ? p->qdata + p->q[i].value : NULL;
}

const char *purl_qualifier(const struct purl *p, const char *key)
{
	for (size_t i = 0; i < p->nqualifiers; i++)
		if (!strcmp(p->qdata + p->q[i].key, key))
			return p->qdata + p->q[i].value;
	return NULL;
}

/* Output of purl_format: counts every byte, stores those that fit. */
struct writer {
	char *out;
	size_t cap;
	size_t len;
};

static void put(struct writer *w, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++, w->len++)
		if (w->len < w->cap)
			w->out[w->len] = s[i];
}

static void put_encoded(struct writer *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[3] = { '%', hex[c >> 4], hex[c & 15] };

		if (is_plain(c))
			put(w, s + i, 1);
		else
			put(w, esc, 3);
	}
}

/* A '/'-joined decoded path, each segment encoded, empty ones left out. */
static void put_segments(struct writer *w, const char *s)
{
	bool first = true;

	while (*s) {
		size_t seg = strcspn(s, "/");

		if (seg) {
			if (!first)
				put(w, "/", 1);
			put_encoded(w, s, seg);
			first = false;
		}
		s += seg + (s[seg] == '/');
	}
}

static void put_purl(struct writer *w, const struct purl *p)
{
	put(w, "pkg:", 4);
	for (const char *t = p->type; *t; t++) {
		char c = is_upper(*t) ? (char)(*t - 'A' + 'a') : *t;

		put(w, &c, 1);
	}
	put(w, "/", 1);
	if (p->ns[0] && strspn(p->ns, "/") != strlen(p->ns)) {
		put_segments(w, p->ns);
		put(w, "/", 1);
	}
	put_encoded(w, p->name, strlen(p->name));
	if (p->version[0]) {
		put(w, "@", 1);
		put_encoded(w, p->version, strlen(p->version));
	}
	for (size_t i = 0; i < p->nqualifiers; i++) {
		const char *k = purl_qualifier_key(p, i), *v = purl_qualifier_value(p, i);

		put(w, i ? "&" : "?", 1);
		put(w, k, strlen(k));
		put(w, "=", 1);
		put_encoded(w, v, strlen(v));
	}
	if (p->subpath[0] && strspn(p->subpath, "/") != strlen(p->subpath)) {
		put(w, "#", 1);
		put_segments(w, p->subpath);
	}
}

int purl_format(const struct purl *p, char *out, size_t n, struct err *e)
{
	struct writer w = { NULL, 0, 0 };
	int r;

	r = check_type(p->type, strnlen(p->type, sizeof(p->type)), e);
	if (r)
		return r;
	if (!p->name[0])
		return err_set(e, ERR_INPUT, "no name (a purl needs a type and a name)");
	/* Measure first, so that out is untouched when it is too small. */
	put_purl(&w, p);
	if (w.len >= n)
		return err_set(e, ERR_NOMEM, "canonical purl of %zu bytes does not fit in %zu",
			       w.len, n);
	w = (struct writer){ out, n, 0 };
	put_purl(&w, p);
	out[w.len] = '\0';
	return 0;
}
