/*
 * The INI tokenizer; see ini.h for the syntax.
 *
 * The text is cut into lines with memchr and each line is parsed with
 * explicit lengths, never as a C string, so NUL bytes and a missing final
 * newline need no special care. Every name and value is copied into a
 * fixed buffer of the parser state; nothing is allocated.
 */
#include "base/ini.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/show.h"

struct ini_state {
	const char *file;
	int line;
	bool in_section;
	bool has_sub;
	char section[INI_NAME_MAX + 1];
	char subsection[INI_NAME_MAX + 1];
	char key[INI_NAME_MAX + 1];
	char value[INI_VALUE_MAX + 1];
};

static int bad(const struct ini_state *st, struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sets "FILE:LINE: <what>" and returns ERR_INPUT. */
static int bad(const struct ini_state *st, struct err *e, const char *fmt, ...)
{
	char what[sizeof(e->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return err_set(e, ERR_INPUT, "%s:%d: %s", st->file, st->line, what);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* ASCII only, whatever the locale: names are part of the file format. */
static bool is_name_char(char c, bool subsection)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '-')
		return true;
	return subsection && (c == '.' || c == '_');
}

static bool is_comment_char(char c)
{
	return c == '#' || c == ';';
}

static size_t skip_blanks(const char *s, size_t len, size_t i)
{
	while (i < len && is_blank(s[i]))
		i++;
	return i;
}

static size_t name_end(const char *s, size_t len, size_t i, bool subsection)
{
	while (i < len && is_name_char(s[i], subsection))
		i++;
	return i;
}

/* Copies a non-empty name into dst (INI_NAME_MAX + 1 bytes). */
static int copy_name(const struct ini_state *st, char *dst, const char *s, size_t n,
		     const char *what, struct err *e)
{
	char shown[SHOW_MAX];

	if (n > INI_NAME_MAX)
		return bad(st, e, "%s '%s' longer than %d bytes", what, show_bytes(shown, s, n),
			   INI_NAME_MAX);
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

/* A line's length and bytes, before anything else is looked at. */
static int check_line(const struct ini_state *st, const char *s, size_t len, struct err *e)
{
	char shown[SHOW_MAX];

	if (len > INI_LINE_MAX)
		return bad(st, e, "line longer than %d bytes", INI_LINE_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0)
			return bad(st, e, "NUL byte in line");
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return bad(st, e, "control byte %s in line", show_bytes(shown, s + i, 1));
	}
	return 0;
}

/* "[section]" or "[section "subsection"]", then blanks or a comment. */
static int parse_header(struct ini_state *st, const char *s, size_t len, struct err *e)
{
	char shown[SHOW_MAX];
	size_t i, j;
	int r;

	i = skip_blanks(s, len, 1);
	j = name_end(s, len, i, false);
	if (j == i)
		goto malformed;
	r = copy_name(st, st->section, s + i, j - i, "section name", e);
	if (r)
		return r;
	i = skip_blanks(s, len, j);
	st->has_sub = i < len && s[i] == '"';
	if (st->has_sub) {
		j = name_end(s, len, i + 1, true);
		if (j == i + 1 || j >= len || s[j] != '"')
			goto malformed;
		r = copy_name(st, st->subsection, s + i + 1, j - i - 1, "subsection", e);
		if (r)
			return r;
		i = skip_blanks(s, len, j + 1);
	}
	if (i >= len || s[i] != ']')
		goto malformed;
	i = skip_blanks(s, len, i + 1);
	if (i < len && !is_comment_char(s[i]))
		goto malformed;
	st->in_section = true;
	return 0;
malformed:
	return bad(st, e,
		   "malformed section header '%s' (expected [name] or [name \"subsection\"]; "
		   "names of A-Z a-z 0-9 -, subsections of A-Z a-z 0-9 . _ -)",
		   show_bytes(shown, s, len));
}

static int value_too_long(const struct ini_state *st, struct err *e)
{
	return bad(st, e, "value of '%s' longer than %d bytes", st->key, INI_VALUE_MAX);
}

/* A quoted value; s starts after the opening quote. */
static int parse_quoted(struct ini_state *st, const char *s, size_t len, struct err *e)
{
	char shown[SHOW_MAX];
	size_t i = 0, n = 0;

	for (;;) {
		char c;

		if (i >= len)
			return bad(st, e, "unterminated quote in the value of '%s'", st->key);
		c = s[i++];
		if (c == '"')
			break;
		if (c == '\\') {
			if (i >= len)
				return bad(st, e, "unterminated quote in the value of '%s'", st->key);
			c = s[i++];
			if (c != '"' && c != '\\')
				return bad(st, e,
					   "unknown escape '\\%s' in the value of '%s' "
					   "(only \\\" and \\\\ are escapes)",
					   show_bytes(shown, s + i - 1, 1), st->key);
		}
		if (n == INI_VALUE_MAX)
			return value_too_long(st, e);
		st->value[n++] = c;
	}
	st->value[n] = '\0';
	i = skip_blanks(s, len, i);
	if (i < len && !is_comment_char(s[i]))
		return bad(st, e, "text '%s' after the closing quote of the value of '%s'",
			   show_bytes(shown, s + i, len - i), st->key);
	return 0;
}

/* An unquoted value: up to a comment, trailing blanks trimmed. */
static int parse_plain(struct ini_state *st, const char *s, size_t len, struct err *e)
{
	size_t n = 0;

	while (n < len && !(is_comment_char(s[n]) && (n == 0 || is_blank(s[n - 1])))) {
		if (s[n] == '"')
			return bad(st, e,
				   "'\"' inside the unquoted value of '%s' (quote the whole value)",
				   st->key);
		n++;
	}
	while (n > 0 && is_blank(s[n - 1]))
		n--;
	if (n > INI_VALUE_MAX)
		return value_too_long(st, e);
	memcpy(st->value, s, n);
	st->value[n] = '\0';
	return 0;
}

/* "key = value"; s starts at the key. */
static int parse_entry(struct ini_state *st, const char *s, size_t len, ini_cb cb, void *ctx,
		       struct err *e)
{
	struct ini_entry entry;
	char shown[SHOW_MAX];
	size_t i, j;
	int r;

	j = name_end(s, len, 0, false);
	i = skip_blanks(s, len, j);
	if (j == 0 || i >= len || s[i] != '=')
		return bad(st, e, "malformed line '%s' (expected key = value, a [section] or a comment)",
			   show_bytes(shown, s, len));
	r = copy_name(st, st->key, s, j, "key", e);
	if (r)
		return r;
	if (!st->in_section)
		return bad(st, e, "key '%s' outside any section (expected a [section] line before it)",
			   st->key);
	i = skip_blanks(s, len, i + 1);
	if (i < len && s[i] == '"')
		r = parse_quoted(st, s + i + 1, len - i - 1, e);
	else
		r = parse_plain(st, s + i, len - i, e);
	if (r)
		return r;
	entry.section = st->section;
	entry.subsection = st->has_sub ? st->subsection : NULL;
	entry.key = st->key;
	entry.value = st->value;
	entry.line = st->line;
	return cb(&entry, ctx, e);
}

static int parse_line(struct ini_state *st, const char *s, size_t len, ini_cb cb, void *ctx,
		      struct err *e)
{
	size_t i;
	int r;

	r = check_line(st, s, len, e);
	if (r)
		return r;
	i = skip_blanks(s, len, 0);
	if (i == len || is_comment_char(s[i]))
		return 0;
	if (s[i] == '[')
		return parse_header(st, s + i, len - i, e);
	return parse_entry(st, s + i, len - i, cb, ctx, e);
}

int ini_parse(const char *text, size_t len, const char *file, ini_cb cb, void *ctx,
	      struct err *e)
{
	struct ini_state st;
	size_t pos = 0;

	memset(&st, 0, sizeof(st));
	st.file = file ? file : "<input>";
	if (len > INI_TEXT_MAX)
		return err_set(e, ERR_INPUT, "%s: longer than %d bytes", st.file, INI_TEXT_MAX);
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		int r;

		pos += nl ? n + 1 : n;
		st.line++;
		if (n > 0 && s[n - 1] == '\r')
			n--;
		r = parse_line(&st, s, n, cb, ctx, e);
		if (r)
			return r;
	}
	return 0;
}
