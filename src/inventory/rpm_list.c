/*
 * Parser of RPM inventories (rpm -qa with hfx's --qf format); the contract
 * and the format are in rpm_list.h.
 *
 * The whole listing is in memory and nothing is allocated: each line is
 * cut at its five tabs into spans of the input, every field is checked,
 * and the package is handed to the callback. One pass, line by line.
 *
 * The character rules are rpmbuild's (rpmCharCheck() in build/
 * parsePreamble.c of rpm 4.18): a name of ASCII letters, digits and
 * ".-_+%{}", a version or release of letters, digits and "._+%{}~^"
 * (rpm 4.15 added '^'), neither holding "..". rpm itself never checks
 * what it installs, but every package built by rpmbuild passes, and a
 * line that does not is not the output of the documented command. '%',
 * '{' and '}' are leftovers of unexpanded macros; rpmbuild lets them
 * through, so we do too, rather than refuse a whole host's inventory for
 * one odd package.
 *
 * Not handled here: the meaning of the versions (core/version.h compares
 * them) and reading the file.
 */
#include "inventory/rpm_list.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/show.h"

enum field_id {
	F_NAME,
	F_EPOCH,
	F_VERSION,
	F_RELEASE,
	F_ARCH,
	F_SOURCERPM,
	F_COUNT,
};

/* As messages name them: the rpm tags, in lower case. */
static const char *const field_names[F_COUNT] = {
	[F_NAME] = "name",
	[F_EPOCH] = "epoch",
	[F_VERSION] = "version",
	[F_RELEASE] = "release",
	[F_ARCH] = "arch",
	[F_SOURCERPM] = "sourcerpm",
};

struct span {
	const char *p;
	size_t len;
};

struct parser {
	const char *filename;
	struct err *e; /* NULL when sniffing: no message is built */
};

/* The characters rpmbuild allows besides ASCII letters and digits. */
#define NAME_EXTRA ".-_+%{}"
#define VERREL_EXTRA "._+%{}~^"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

static bool span_eq(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.len == n && !memcmp(s.p, lit, n);
}

static bool ends_with(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.len >= n && !memcmp(s.p + s.len - n, lit, n);
}

/* Fails with "<file>: line N: field 'F': <message>" (no field part when
 * field is F_COUNT). */
__attribute__((format(printf, 5, 6)))
static int fail(const struct parser *p, int code, size_t line, enum field_id field,
		const char *fmt, ...)
{
	char msg[512], fieldpart[32] = "";
	va_list ap;

	if (!p->e)
		return code;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (field != F_COUNT)
		snprintf(fieldpart, sizeof(fieldpart), "field '%s': ", field_names[field]);
	return err_set(p->e, code, "%s: line %zu: %s%s", p->filename, line, fieldpart, msg);
}

/*
 * Index of the first byte of s[0..n) that is neither an ASCII letter or
 * digit nor in extra, or of the second '.' of a "..", or n when there is
 * none.
 */
static size_t chars_bad(const char *s, size_t n, const char *extra)
{
	for (size_t i = 0; i < n; i++) {
		if (!is_alnum(s[i]) && (s[i] == '\0' || !strchr(extra, s[i])))
			return i;
		if (i && s[i] == '.' && s[i - 1] == '.')
			return i;
	}
	return n;
}

/*
 * Checks a name, version or release (extra says which characters are
 * allowed) and explains the problem; what is "name", "version" or
 * "release", of the package or, inside SOURCERPM, of its source.
 */
static int check_chars(const struct parser *p, size_t line, enum field_id id,
		       const char *what, struct span v, const char *extra)
{
	char shown[SHOW_MAX], bad[SHOW_MAX];
	size_t at;

	if (!v.len)
		return fail(p, ERR_INPUT, line, id, "empty %s", what);
	at = chars_bad(v.p, v.len, extra);
	if (at == v.len)
		return 0;
	if (v.p[at] == '.')
		return fail(p, ERR_INPUT, line, id, "invalid %s '%s': rpm forbids '..'", what,
			    show_bytes(shown, v.p, v.len));
	if (v.p[at] == '-')
		return fail(p, ERR_INPUT, line, id,
			    "invalid %s '%s': rpm forbids '-' in versions and releases", what,
			    show_bytes(shown, v.p, v.len));
	return fail(p, ERR_INPUT, line, id,
		    "invalid %s '%s': character '%s' not allowed (only letters, digits and %s)",
		    what, show_bytes(shown, v.p, v.len), show_bytes(bad, v.p + at, 1), extra);
}

/* EPOCHNUM: rpm's epoch is a uint32, printed in decimal. */
static int check_epoch(const struct parser *p, size_t line, struct span v)
{
	char shown[SHOW_MAX];
	uint64_t n = 0;

	if (!v.len)
		return fail(p, ERR_INPUT, line, F_EPOCH, "empty epoch (rpm prints 0 for none)");
	for (size_t i = 0; i < v.len; i++) {
		if (!is_digit(v.p[i]))
			return fail(p, ERR_INPUT, line, F_EPOCH,
				    "invalid epoch '%s': not a decimal number",
				    show_bytes(shown, v.p, v.len));
		n = n * 10 + (uint64_t)(v.p[i] - '0');
		if (n > UINT32_MAX)
			return fail(p, ERR_INPUT, line, F_EPOCH,
				    "invalid epoch '%s': larger than %u",
				    show_bytes(shown, v.p, v.len), (unsigned)UINT32_MAX);
	}
	return 0;
}

/* Architectures are rpmrc's names: x86_64, noarch, aarch64, ppc64le ... */
static int check_arch(const struct parser *p, size_t line, struct span v)
{
	char shown[SHOW_MAX];

	if (!v.len)
		return fail(p, ERR_INPUT, line, F_ARCH, "empty architecture");
	if (chars_bad(v.p, v.len, "_") != v.len)
		return fail(p, ERR_INPUT, line, F_ARCH,
			    "invalid architecture '%s' (only letters, digits and _)",
			    show_bytes(shown, v.p, v.len));
	return 0;
}

/*
 * SOURCERPM is the file name of the source package, "NAME-VERSION-
 * RELEASE.src.rpm", or ".nosrc.rpm" for one built without (some of) its
 * sources. VERSION and RELEASE hold no '-', so the last two '-' split it,
 * whatever '-' the NAME holds (python3.9-3.9.16-1.el9.src.rpm).
 * "(none)" is what rpm prints when the tag is absent (gpg-pubkey, source
 * packages themselves); the source name is then empty.
 */
static int read_source(const struct parser *p, size_t line, struct span v,
		       struct span *ret_name)
{
	static const char *const suffixes[] = { ".src.rpm", ".nosrc.rpm" };
	char shown[SHOW_MAX];
	struct span rest = v, name, ver, rel;
	const char *dash;
	int r;

	if (span_eq(v, "(none)")) {
		*ret_name = (struct span){ "", 0 };
		return 0;
	}
	if (ends_with(v, suffixes[0]))
		rest.len -= strlen(suffixes[0]);
	else if (ends_with(v, suffixes[1]))
		rest.len -= strlen(suffixes[1]);
	else
		return fail(p, ERR_INPUT, line, F_SOURCERPM,
			    "invalid source package '%s': expected '(none)' or a name ending in "
			    "'.src.rpm' or '.nosrc.rpm'", show_bytes(shown, v.p, v.len));

	dash = rest.len ? memrchr(rest.p, '-', rest.len) : NULL;
	if (!dash)
		goto no_nvr;
	rel = (struct span){ dash + 1, (size_t)(rest.p + rest.len - dash - 1) };
	rest.len = (size_t)(dash - rest.p);
	dash = rest.len ? memrchr(rest.p, '-', rest.len) : NULL;
	if (!dash)
		goto no_nvr;
	ver = (struct span){ dash + 1, (size_t)(rest.p + rest.len - dash - 1) };
	name = (struct span){ rest.p, (size_t)(dash - rest.p) };

	r = check_chars(p, line, F_SOURCERPM, "source name", name, NAME_EXTRA);
	if (!r)
		r = check_chars(p, line, F_SOURCERPM, "source version", ver, VERREL_EXTRA);
	if (!r)
		r = check_chars(p, line, F_SOURCERPM, "source release", rel, VERREL_EXTRA);
	if (r)
		return r;
	*ret_name = name;
	return 0;

no_nvr:
	return fail(p, ERR_INPUT, line, F_SOURCERPM,
		    "invalid source package '%s': expected NAME-VERSION-RELEASE before '.src.rpm'",
		    show_bytes(shown, v.p, v.len));
}

/*
 * Parses the line s[0..n) (no '\n', its '\r' dropped, not blank): fills
 * *ret and sets *ret_skip for a gpg-pubkey line.
 */
static int parse_line(const struct parser *p, size_t line, const char *s, size_t n,
		      struct rpm_pkg *ret, bool *ret_skip)
{
	struct span f[F_COUNT], src = { 0 };
	const char *end = s + n, *tab;
	char shown[SHOW_MAX];
	size_t nf = 0;
	int r;

	for (;;) {
		tab = memchr(s, '\t', (size_t)(end - s));
		if (nf < F_COUNT)
			f[nf] = (struct span){ s, tab ? (size_t)(tab - s) : (size_t)(end - s) };
		nf++;
		if (!tab)
			break;
		s = tab + 1;
	}
	if (nf != F_COUNT)
		return fail(p, ERR_INPUT, line, F_COUNT,
			    "expected 6 tab-separated fields (NAME, EPOCHNUM, VERSION, RELEASE, "
			    "ARCH, SOURCERPM), found %zu in '%s'%s", nf,
			    show_bytes(shown, end - n, n),
			    nf == 1 ? "; plain 'rpm -qa' output is not enough: use the --qf "
				      "format of the documentation" : "");

	r = check_chars(p, line, F_NAME, "package name", f[F_NAME], NAME_EXTRA);
	if (r)
		return r;
	/*
	 * rpm keeps each imported signing key in its database as a package
	 * "gpg-pubkey", version the key id, release its creation time, arch
	 * and SOURCERPM "(none)". It is not software and no advisory names
	 * it: skip it, checking no further.
	 */
	if (span_eq(f[F_NAME], "gpg-pubkey")) {
		*ret_skip = true;
		return 0;
	}
	r = check_epoch(p, line, f[F_EPOCH]);
	if (!r)
		r = check_chars(p, line, F_VERSION, "version", f[F_VERSION], VERREL_EXTRA);
	if (!r)
		r = check_chars(p, line, F_RELEASE, "release", f[F_RELEASE], VERREL_EXTRA);
	if (!r)
		r = check_arch(p, line, f[F_ARCH]);
	if (!r)
		r = read_source(p, line, f[F_SOURCERPM], &src);
	if (r)
		return r;
	*ret = (struct rpm_pkg){
		.name = f[F_NAME].p, .name_len = f[F_NAME].len,
		.epoch = f[F_EPOCH].p, .epoch_len = f[F_EPOCH].len,
		.version = f[F_VERSION].p, .version_len = f[F_VERSION].len,
		.release = f[F_RELEASE].p, .release_len = f[F_RELEASE].len,
		.arch = f[F_ARCH].p, .arch_len = f[F_ARCH].len,
		.source = src.p, .source_len = src.len,
		.line = line,
	};
	*ret_skip = false;
	return 0;
}

/*
 * The line at data[pos..): sets *ret_eol to the index of its '\n' (or
 * len) and returns its length without the '\n' and a '\r' before it.
 */
static size_t line_at(const char *data, size_t len, size_t pos, size_t *ret_eol)
{
	const char *nl = memchr(data + pos, '\n', len - pos);
	size_t eol = nl ? (size_t)(nl - data) : len, n = eol - pos;

	if (n && data[eol - 1] == '\r')
		n--;
	*ret_eol = eol;
	return n;
}

int rpm_list_parse(const char *data, size_t len, const char *filename,
		   rpm_pkg_cb cb, void *ctx, struct err *e)
{
	struct parser p = { .filename = filename, .e = e };
	struct rpm_pkg pkg;
	size_t pos = 0, line = 1, eol, n;
	bool skip;
	int r;

	if (len > RPM_LIST_MAX)
		return err_set(e, ERR_NOMEM, "%s: larger than the limit of %u MiB",
			       filename, RPM_LIST_MAX >> 20);
	for (; pos < len; pos = eol + 1, line++) {
		n = line_at(data, len, pos, &eol);
		if (eol - pos > RPM_LINE_MAX)
			return fail(&p, ERR_NOMEM, line, F_COUNT,
				    "line longer than the limit of %u bytes", RPM_LINE_MAX);
		if (is_blank(data + pos, n))
			continue;
		r = parse_line(&p, line, data + pos, n, &pkg, &skip);
		if (!r && !skip)
			r = cb(&pkg, ctx, e);
		if (r)
			return r;
	}
	return 0;
}

bool rpm_list_looks_like(const char *data, size_t len)
{
	struct parser p = { .filename = "", .e = NULL };
	size_t limit = len < RPM_LINE_MAX ? len : RPM_LINE_MAX, pos = 0, eol, n;
	struct rpm_pkg pkg;
	bool skip;

	for (; pos < limit; pos = eol + 1) {
		n = line_at(data, limit, pos, &eol);
		if (eol == limit && limit < len)
			return false; /* the line goes on past what we look at */
		if (!is_blank(data + pos, n))
			return parse_line(&p, 1, data + pos, n, &pkg, &skip) == 0;
	}
	return false;
}
