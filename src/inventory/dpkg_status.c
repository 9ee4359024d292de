/*
 * Parser of dpkg's status database; the contract is in dpkg_status.h.
 *
 * The whole file is in memory and nothing is allocated: the five fields
 * hfx uses (Package, Status, Version, Architecture, Source) are kept as
 * spans into the input, and every other field is only checked for syntax.
 * Each stanza is walked twice, first to find where it ends and its Package
 * line, so that every error can name the package even when the broken line
 * comes before the Package field, then line by line.
 *
 * Where dpkg and the deb822 grammar differ we follow dpkg's own status
 * parser (field names case-insensitive, duplicate fields rejected, Status
 * words from dpkg's lists, package names as dpkg accepts them), except for
 * versions: dpkg only warns about a version with odd characters, and we
 * reject it, because a version hfx cannot compare is one it cannot match.
 *
 * Not handled here: reading the file, the status.d directory of distroless
 * images (one stanza per file: call this once per file), and the contents
 * of Description, Conffiles and the relationship fields.
 */
#include "inventory/dpkg_status.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/show.h"
#include "core/version.h"

enum field_id {
	F_PACKAGE,
	F_STATUS,
	F_VERSION,
	F_ARCH,
	F_SOURCE,
	F_COUNT,
	F_OTHER = F_COUNT, /* any field hfx does not read */
	F_NONE,            /* no field yet in this stanza */
};

static const char *const field_names[F_COUNT] = {
	[F_PACKAGE] = "Package",
	[F_STATUS] = "Status",
	[F_VERSION] = "Version",
	[F_ARCH] = "Architecture",
	[F_SOURCE] = "Source",
};

struct span {
	const char *p;
	size_t len;
};

struct field {
	struct span val; /* trimmed of blanks at both ends */
	size_t line;
	bool seen;
};

struct parser {
	const char *data;
	size_t len;
	const char *filename;
	struct err *e;
	/* The stanza being parsed. */
	struct span pkg; /* first Package value, for messages; may be empty */
	struct field f[F_COUNT];
};

static bool is_blank_char(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char to_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* True when s[0..n) equals the NUL-terminated lit, ignoring ASCII case. */
static bool mem_ieq(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lit[i] == '\0' || to_lower(s[i]) != to_lower(lit[i]))
			return false;
	return lit[n] == '\0';
}

static bool is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_blank_char(s[i]))
			return false;
	return true;
}

static struct span trim(const char *s, size_t n)
{
	while (n && is_blank_char(*s)) {
		s++;
		n--;
	}
	while (n && is_blank_char(s[n - 1]))
		n--;
	return (struct span){ s, n };
}

/* Index of the '\n' ending the line at pos, or len for the last line. */
static size_t line_end(const struct parser *p, size_t pos)
{
	const char *nl = memchr(p->data + pos, '\n', p->len - pos);

	return nl ? (size_t)(nl - p->data) : p->len;
}

static size_t next_line(const struct parser *p, size_t eol)
{
	return eol < p->len ? eol + 1 : eol;
}

/*
 * Fails with "<file>: line N: package 'x': field 'F': <message>"; the
 * package part is left out while the stanza has no (non-empty) Package,
 * the field part when field is NULL.
 */
__attribute__((format(printf, 5, 6)))
static int fail(const struct parser *p, int code, size_t line, const char *field,
		const char *fmt, ...)
{
	char msg[512], name[SHOW_MAX], pkgpart[SHOW_MAX + 16] = "", fieldpart[32] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->pkg.len)
		snprintf(pkgpart, sizeof(pkgpart), "package '%s': ",
			 show_bytes(name, p->pkg.p, p->pkg.len));
	if (field)
		snprintf(fieldpart, sizeof(fieldpart), "field '%s': ", field);
	return err_set(p->e, code, "%s: line %zu: %s%s%s", p->filename, line,
		       pkgpart, fieldpart, msg);
}

static int fail_long_line(const struct parser *p, size_t line)
{
	return fail(p, ERR_NOMEM, line, NULL, "line longer than the limit of %u bytes",
		    DPKG_LINE_MAX);
}

static enum field_id field_lookup(const char *name, size_t n)
{
	for (int i = 0; i < F_COUNT; i++)
		if (mem_ieq(name, n, field_names[i]))
			return (enum field_id)i;
	return F_OTHER;
}

/*
 * deb822 field names: printable ASCII without space or colon, not starting
 * with '#' or '-'. Returns the index of the first bad byte, or n when the
 * name is good (an empty name is bad at 0).
 */
static size_t field_name_bad(const char *s, size_t n)
{
	if (!n || s[0] == '#' || s[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f)
			return i;
	return n;
}

/*
 * Package names as dpkg's status parser accepts them (pkg_name_is_illegal):
 * a letter or digit, then letters, digits and "-+._". Debian policy is
 * stricter (lower case, no '_', two characters at least), but dpkg
 * installs locally built packages that break it, and refusing the whole
 * inventory of such a host would hide every other package from the scan.
 * Returns the index of the first bad byte, or n when the name is good.
 */
static size_t pkg_name_bad(const char *s, size_t n)
{
	if (!n || !is_alnum(s[0]))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '+' && s[i] != '.' &&
		    s[i] != '_')
			return i;
	return n;
}

/* Architectures as dpkg_arch_name_is_illegal() accepts them. */
static size_t arch_bad(const char *s, size_t n)
{
	if (!n || !is_alnum(s[0]))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!is_alnum(s[i]) && s[i] != '-')
			return i;
	return n;
}

/* Checks a package name (of Package or Source) and explains the problem. */
static int check_name(const struct parser *p, enum field_id id, struct span name,
		      size_t line)
{
	char shown[SHOW_MAX], bad[SHOW_MAX];
	size_t at = pkg_name_bad(name.p, name.len);

	if (at == name.len && name.len)
		return 0;
	if (!name.len)
		return fail(p, ERR_INPUT, line, field_names[id], "empty package name");
	return fail(p, ERR_INPUT, line, field_names[id],
		    "invalid package name '%s': character '%s' not allowed (%s)",
		    show_bytes(shown, name.p, name.len), show_bytes(bad, name.p + at, 1),
		    at ? "only letters, digits and -+._" : "must start with a letter or digit");
}

static int check_version(const struct parser *p, enum field_id id, struct span v,
			 size_t line)
{
	char shown[SHOW_MAX];
	const char *reason = "invalid";

	if (deb_version_valid(v.p, v.len, &reason))
		return 0;
	return fail(p, ERR_INPUT, line, field_names[id], "invalid version '%s': %s",
		    show_bytes(shown, v.p, v.len), reason);
}

/* Finds w (ASCII case ignored) in the NULL-terminated list words. */
static bool word_in(struct span w, const char *const *words)
{
	for (; *words; words++)
		if (mem_ieq(w.p, w.len, *words))
			return true;
	return false;
}

/*
 * Reads "want flag status", with dpkg's words (case ignored, as dpkg
 * does). A package is reported when its status word is "installed",
 * whatever the want: "hold ok installed" is held but present, and
 * "deinstall ok installed" or "purge ok installed" is still fully on disk
 * until dpkg acts on the request. The flag "reinstreq" means dpkg wants to
 * reinstall it; its files are present, so it is reported too.
 * "triggers-pending" and "triggers-awaited" packages are configured and
 * in use, only waiting for a trigger to run (typically after an
 * interrupted apt run): they are reported too, or a scan would miss
 * vulnerable code that is on disk and running. Unpacked and half-
 * configured packages are not: their version is in transition.
 */
static int read_status(const struct parser *p, bool *ret_installed)
{
	static const char *const wants[] = {
		"unknown", "install", "hold", "deinstall", "purge", NULL,
	};
	static const char *const flags[] = { "ok", "reinstreq", NULL };
	static const char *const states[] = {
		"not-installed", "config-files", "half-installed", "unpacked",
		"half-configured", "triggers-awaited", "triggers-pending",
		"installed", NULL,
	};
	static const char *const *const lists[3] = { wants, flags, states };
	static const char *const what[3] = { "want", "flag", "status" };
	const struct field *f = &p->f[F_STATUS];
	struct span w[3];
	size_t i = 0, n = 0, start;
	char shown[SHOW_MAX], word[SHOW_MAX];

	if (!f->seen) {
		*ret_installed = false; /* dpkg's default: not-installed */
		return 0;
	}
	while (i < f->val.len) {
		if (is_blank_char(f->val.p[i])) {
			i++;
			continue;
		}
		start = i;
		while (i < f->val.len && !is_blank_char(f->val.p[i]))
			i++;
		if (n < 3)
			w[n] = (struct span){ f->val.p + start, i - start };
		n++;
	}
	if (n != 3)
		return fail(p, ERR_INPUT, f->line, "Status",
			    "invalid status '%s': expected three words (want, flag, status)",
			    show_bytes(shown, f->val.p, f->val.len));
	for (n = 0; n < 3; n++)
		if (!word_in(w[n], lists[n]))
			return fail(p, ERR_INPUT, f->line, "Status",
				    "invalid status '%s': unknown %s word '%s'",
				    show_bytes(shown, f->val.p, f->val.len), what[n],
				    show_bytes(word, w[n].p, w[n].len));
	*ret_installed = mem_ieq(w[2].p, w[2].len, "installed") ||
			 mem_ieq(w[2].p, w[2].len, "triggers-pending") ||
			 mem_ieq(w[2].p, w[2].len, "triggers-awaited");
	return 0;
}

/*
 * "Source: name" or "Source: name (version)", as dpkg-gencontrol writes it
 * when the source differs from the binary in name or version.
 */
static int read_source(const struct parser *p, struct span *ret_name,
		       struct span *ret_version)
{
	const struct field *f = &p->f[F_SOURCE];
	const char *s = f->val.p, *end = f->val.p + f->val.len, *q, *close;
	struct span name, version = { NULL, 0 };
	char shown[SHOW_MAX];
	int r;

	for (q = s; q < end && !is_blank_char(*q) && *q != '('; q++)
		;
	name = (struct span){ s, (size_t)(q - s) };
	r = check_name(p, F_SOURCE, name, f->line);
	if (r)
		return r;
	while (q < end && is_blank_char(*q))
		q++;
	if (q < end) {
		if (*q != '(')
			return fail(p, ERR_INPUT, f->line, "Source",
				    "malformed value '%s': expected 'name' or 'name (version)'",
				    show_bytes(shown, s, f->val.len));
		close = memchr(q, ')', (size_t)(end - q));
		if (!close)
			return fail(p, ERR_INPUT, f->line, "Source",
				    "malformed value '%s': no ')' after the version",
				    show_bytes(shown, s, f->val.len));
		if (close + 1 != end)
			return fail(p, ERR_INPUT, f->line, "Source",
				    "malformed value '%s': text after ')'",
				    show_bytes(shown, s, f->val.len));
		version = trim(q + 1, (size_t)(close - q - 1));
		r = check_version(p, F_SOURCE, version, f->line);
		if (r)
			return r;
	}
	*ret_name = name;
	*ret_version = version;
	return 0;
}

/* Validates the stanza whose fields were collected and reports it. */
static int finish_stanza(const struct parser *p, size_t line, dpkg_pkg_cb cb, void *ctx)
{
	const struct field *pk = &p->f[F_PACKAGE], *ver = &p->f[F_VERSION];
	const struct field *arch = &p->f[F_ARCH];
	struct span src, src_ver = { NULL, 0 };
	struct dpkg_pkg pkg;
	bool installed = false;
	char shown[SHOW_MAX], bad[SHOW_MAX];
	size_t at;
	int r;

	if (!pk->seen)
		return fail(p, ERR_INPUT, line, NULL, "stanza has no 'Package' field");
	r = check_name(p, F_PACKAGE, pk->val, pk->line);
	if (!r)
		r = read_status(p, &installed);
	if (r || !installed)
		return r;

	if (!ver->seen)
		return fail(p, ERR_INPUT, line, "Version",
			    "missing (required for an installed package)");
	r = check_version(p, F_VERSION, ver->val, ver->line);
	if (r)
		return r;
	if (arch->seen) {
		at = arch_bad(arch->val.p, arch->val.len);
		if (at != arch->val.len || !arch->val.len)
			return fail(p, ERR_INPUT, arch->line, "Architecture",
				    "invalid architecture '%s' (at '%s')",
				    show_bytes(shown, arch->val.p, arch->val.len),
				    show_bytes(bad, arch->val.p + at, at < arch->val.len));
	}
	src = pk->val;
	if (p->f[F_SOURCE].seen) {
		r = read_source(p, &src, &src_ver);
		if (r)
			return r;
	}
	if (!src_ver.p)
		src_ver = ver->val;

	pkg = (struct dpkg_pkg){
		.name = pk->val.p, .name_len = pk->val.len,
		.version = ver->val.p, .version_len = ver->val.len,
		.arch = arch->seen ? arch->val.p : "", .arch_len = arch->seen ? arch->val.len : 0,
		.source = src.p, .source_len = src.len,
		.source_version = src_ver.p, .source_version_len = src_ver.len,
		.line = line,
	};
	return cb(&pkg, ctx, p->e);
}

/*
 * Finds the end of the stanza starting at pos (a non-blank line): the
 * offset of the blank line after it, or len. Notes its first Package value
 * for messages and counts its lines.
 */
static size_t stanza_bounds(struct parser *p, size_t pos, size_t *ret_lines)
{
	size_t eol, n = 0;
	const char *s, *colon;

	p->pkg = (struct span){ NULL, 0 };
	for (; pos < p->len; pos = next_line(p, eol), n++) {
		eol = line_end(p, pos);
		s = p->data + pos;
		if (is_blank(s, eol - pos))
			break;
		if (p->pkg.p || is_blank_char(*s))
			continue;
		colon = memchr(s, ':', eol - pos);
		if (colon && mem_ieq(s, (size_t)(colon - s), "Package"))
			p->pkg = trim(colon + 1, (size_t)(p->data + eol - colon - 1));
	}
	*ret_lines = n;
	return pos;
}

/* Parses the lines of one stanza, data[pos..end), the first being line. */
static int parse_stanza(struct parser *p, size_t pos, size_t end, size_t line,
			dpkg_pkg_cb cb, void *ctx)
{
	enum field_id last = F_NONE, id;
	size_t first = line, eol, at;
	const char *s, *colon;
	char shown[SHOW_MAX], bad[SHOW_MAX];

	memset(p->f, 0, sizeof(p->f));
	for (; pos < end; pos = next_line(p, eol), line++) {
		eol = line_end(p, pos);
		s = p->data + pos;
		if (eol - pos > DPKG_LINE_MAX)
			return fail_long_line(p, line);
		if (is_blank_char(*s)) {
			/* Description, Conffiles and the like continue this way. */
			if (last == F_NONE)
				return fail(p, ERR_INPUT, line, NULL,
					    "continuation line before any field");
			if (last != F_OTHER)
				return fail(p, ERR_INPUT, line, field_names[last],
					    "continuation line: this field has a single line");
			continue;
		}
		colon = memchr(s, ':', eol - pos);
		if (!colon)
			return fail(p, ERR_INPUT, line, NULL,
				    "expected 'Field: value', found a line with no colon: '%s'",
				    show_bytes(shown, s, eol - pos));
		at = field_name_bad(s, (size_t)(colon - s));
		if (colon == s || at != (size_t)(colon - s))
			return fail(p, ERR_INPUT, line, NULL,
				    "invalid field name '%s' (at '%s')",
				    show_bytes(shown, s, (size_t)(colon - s)),
				    show_bytes(bad, s + at, colon > s));
		id = field_lookup(s, (size_t)(colon - s));
		if (id != F_OTHER) {
			if (p->f[id].seen)
				return fail(p, ERR_INPUT, line, field_names[id],
					    "duplicate field (first on line %zu)",
					    p->f[id].line);
			p->f[id] = (struct field){
				.val = trim(colon + 1, (size_t)(p->data + eol - colon - 1)),
				.line = line,
				.seen = true,
			};
		}
		last = id;
	}
	return finish_stanza(p, first, cb, ctx);
}

int dpkg_status_parse(const char *data, size_t len, const char *filename,
		      dpkg_pkg_cb cb, void *ctx, struct err *e)
{
	struct parser p = { .data = data, .len = len, .filename = filename, .e = e };
	size_t pos = 0, line = 1, eol, end, nlines;
	int r;

	if (len > DPKG_STATUS_MAX)
		return err_set(e, ERR_NOMEM, "%s: larger than the limit of %u MiB",
			       filename, DPKG_STATUS_MAX >> 20);
	while (pos < len) {
		eol = line_end(&p, pos);
		if (is_blank(data + pos, eol - pos)) {
			if (eol - pos > DPKG_LINE_MAX)
				return fail_long_line(&p, line);
			pos = next_line(&p, eol);
			line++;
			continue;
		}
		end = stanza_bounds(&p, pos, &nlines);
		r = parse_stanza(&p, pos, end, line, cb, ctx);
		if (r)
			return r;
		pos = end;
		line += nlines;
		p.pkg = (struct span){ NULL, 0 }; /* messages between stanzas name none */
	}
	return 0;
}
