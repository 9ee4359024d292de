/*
 * Parser of apk's installed database; the contract is in apk_installed.h.
 *
 * The whole file is in memory and nothing is allocated: the four fields
 * hfx uses (P, V, A, o) are kept as spans into the input, and every other
 * line is only checked for the "X:" shape. Each stanza is walked twice,
 * first to find where it ends and its P line, so that every error can name
 * the package even when the broken line comes before P (apk writes C:
 * first), then line by line.
 *
 * Where we differ from apk-tools' own reader, we are stricter, because a
 * scan that silently reads a damaged database reports a wrong inventory:
 * apk keeps the last of duplicate P/V/A/o lines, and we reject them; apk
 * loads a package with an invalid version, and we reject it, because a
 * version hfx cannot compare is one it cannot match. Values are taken
 * exactly as written (apk does not trim them either), so a CRLF file fails
 * on its first value rather than yielding names that end in '\r'.
 */
#include "inventory/apk_installed.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/show.h"
#include "core/version.h"

enum field_id {
	F_NAME,
	F_VERSION,
	F_ARCH,
	F_ORIGIN,
	F_COUNT,
};

/* The keys, in enum order; anything else is ignored. */
static const char field_keys[F_COUNT] = { 'P', 'V', 'A', 'o' };
static const char *const field_names[F_COUNT] = { "P", "V", "A", "o" };
static const char *const field_what[F_COUNT] = {
	"package name", "version", "architecture", "origin",
};

struct span {
	const char *p;
	size_t len;
};

struct field {
	struct span val;
	size_t line;
	bool seen;
};

struct parser {
	const char *data;
	size_t len;
	const char *filename;
	struct err *e;
	/* The stanza being parsed. */
	struct span pkg; /* first P value, for messages; may be empty */
	struct field f[F_COUNT];
};

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
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

/* A line of the form "X:..." with X an ASCII letter. */
static bool is_key_line(const char *s, size_t n)
{
	return n >= 2 && is_letter(s[0]) && s[1] == ':';
}

/*
 * Fails with "<file>: line N: package 'x': field 'F': <message>"; the
 * package part is left out while the stanza has no (non-empty) P, the
 * field part when field is NULL.
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
		    APK_LINE_MAX);
}

static enum field_id field_lookup(char key)
{
	for (int i = 0; i < F_COUNT; i++)
		if (field_keys[i] == key)
			return (enum field_id)i;
	return F_COUNT;
}

/*
 * Names, origins and architectures: printable ASCII without spaces. apk's
 * documentation restricts names further ([a-zA-Z0-9.+_-], starting with a
 * letter or digit), but apk itself installs locally built packages that
 * break it, and refusing such a host's whole inventory would hide every
 * other package from the scan; what is refused here is what no apk
 * database holds unless damaged (blanks, control bytes, '\r', non-ASCII).
 * Returns the index of the first bad byte, or n when the value is good
 * (an empty value is bad at 0).
 */
static size_t word_bad(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f)
			return i;
	return n;
}

static int check_word(const struct parser *p, enum field_id id)
{
	const struct field *f = &p->f[id];
	char shown[SHOW_MAX], bad[SHOW_MAX];
	size_t at = word_bad(f->val.p, f->val.len);

	if (at == f->val.len && f->val.len)
		return 0;
	if (!f->val.len)
		return fail(p, ERR_INPUT, f->line, field_names[id], "empty %s",
			    field_what[id]);
	return fail(p, ERR_INPUT, f->line, field_names[id],
		    "invalid %s '%s': character '%s' not allowed", field_what[id],
		    show_bytes(shown, f->val.p, f->val.len),
		    show_bytes(bad, f->val.p + at, 1));
}

/* Validates the stanza whose fields were collected and reports it. */
static int finish_stanza(const struct parser *p, size_t line, apk_pkg_cb cb, void *ctx)
{
	const struct field *name = &p->f[F_NAME], *ver = &p->f[F_VERSION];
	const struct field *arch = &p->f[F_ARCH], *origin = &p->f[F_ORIGIN];
	char shown[SHOW_MAX];
	struct apk_pkg pkg;
	int r;

	if (!name->seen)
		return fail(p, ERR_INPUT, line, "P", "missing: every stanza needs a package name");
	r = check_word(p, F_NAME);
	if (r)
		return r;
	if (!ver->seen)
		return fail(p, ERR_INPUT, line, "V", "missing: every stanza needs a version");
	if (!apk_version_valid(ver->val.p, ver->val.len))
		return fail(p, ERR_INPUT, ver->line, "V",
			    "invalid version '%s': not of the form digits{.digits}[letter]"
			    "{_suffix[N]}[~hash][-rN]",
			    show_bytes(shown, ver->val.p, ver->val.len));
	r = arch->seen ? check_word(p, F_ARCH) : 0;
	if (!r && origin->seen)
		r = check_word(p, F_ORIGIN);
	if (r)
		return r;

	pkg = (struct apk_pkg){
		.name = name->val.p, .name_len = name->val.len,
		.version = ver->val.p, .version_len = ver->val.len,
		.arch = arch->seen ? arch->val.p : "", .arch_len = arch->seen ? arch->val.len : 0,
		.origin = origin->seen ? origin->val.p : name->val.p,
		.origin_len = origin->seen ? origin->val.len : name->val.len,
		.line = line,
	};
	return cb(&pkg, ctx, p->e);
}

/*
 * Finds the end of the stanza starting at pos (a non-empty line): the
 * offset of the empty line after it, or len. Notes its first P value for
 * messages and counts its lines.
 */
static size_t stanza_bounds(struct parser *p, size_t pos, size_t *ret_lines)
{
	size_t eol, n = 0;
	const char *s;

	p->pkg = (struct span){ NULL, 0 };
	for (; pos < p->len; pos = next_line(p, eol), n++) {
		eol = line_end(p, pos);
		if (eol == pos)
			break;
		s = p->data + pos;
		if (!p->pkg.p && eol - pos >= 2 && s[0] == 'P' && s[1] == ':')
			p->pkg = (struct span){ s + 2, eol - pos - 2 };
	}
	*ret_lines = n;
	return pos;
}

/* Parses the lines of one stanza, data[pos..end), the first being line. */
static int parse_stanza(struct parser *p, size_t pos, size_t end, size_t line,
			apk_pkg_cb cb, void *ctx)
{
	size_t first = line, eol;
	enum field_id id;
	const char *s;
	char shown[SHOW_MAX];

	memset(p->f, 0, sizeof(p->f));
	for (; pos < end; pos = next_line(p, eol), line++) {
		eol = line_end(p, pos);
		s = p->data + pos;
		if (eol - pos > APK_LINE_MAX)
			return fail_long_line(p, line);
		if (!is_key_line(s, eol - pos))
			return fail(p, ERR_INPUT, line, NULL,
				    "expected 'X:value' (a letter, then a colon), found '%s'",
				    show_bytes(shown, s, eol - pos));
		id = field_lookup(s[0]);
		if (id == F_COUNT)
			continue; /* a key hfx does not read */
		if (p->f[id].seen)
			return fail(p, ERR_INPUT, line, field_names[id],
				    "duplicate field (first on line %zu)", p->f[id].line);
		p->f[id] = (struct field){
			.val = { s + 2, eol - pos - 2 },
			.line = line,
			.seen = true,
		};
	}
	return finish_stanza(p, first, cb, ctx);
}

int apk_installed_parse(const char *data, size_t len, const char *filename,
			apk_pkg_cb cb, void *ctx, struct err *e)
{
	struct parser p = { .data = data, .len = len, .filename = filename, .e = e };
	size_t pos = 0, line = 1, end, nlines;
	int r;

	if (len > APK_INSTALLED_MAX)
		return err_set(e, ERR_NOMEM, "%s: larger than the limit of %u MiB",
			       filename, APK_INSTALLED_MAX >> 20);
	while (pos < len) {
		if (data[pos] == '\n') {
			/* Stanzas are separated by one empty line; more are harmless. */
			pos++;
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

bool apk_installed_looks_like(const char *data, size_t len)
{
	const char *nl;
	size_t pos = 0, n;

	if (!data)
		return false;
	while (pos < len && data[pos] == '\n')
		pos++;
	if (len - pos < 2 || (data[pos] != 'C' && data[pos] != 'P') || data[pos + 1] != ':')
		return false;
	nl = memchr(data + pos, '\n', len - pos);
	if (!nl)
		return true;
	pos = (size_t)(nl - data) + 1;
	nl = memchr(data + pos, '\n', len - pos);
	n = nl ? (size_t)(nl - data) - pos : len - pos;
	/* A single-line input, or one whose first stanza has one line. */
	return n == 0 || is_key_line(data + pos, n);
}
