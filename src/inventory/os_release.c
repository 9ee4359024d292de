/*
 * Parser of os-release(5); the contract is in os_release.h.
 *
 * One pass over the lines, nothing allocated: values of the five keys hfx
 * uses are decoded straight into a copy of the result, which replaces *ret
 * only when the whole file is good; other values are decoded without being
 * stored, so that a broken line is reported wherever it is.
 *
 * Leniency follows systemd's reader, which is what the distributions test
 * their files against: blanks around the key and after '=' are skipped, a
 * '\r' before the '\n' is ignored, and a bare value may contain blanks.
 * What the shell would read differently from systemd (a quote inside a bare
 * value, text after a closing quote, a backslash ending the line) is an
 * error rather than a guess.
 */
#include "inventory/os_release.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct target {
	const char *key;
	size_t off;
	size_t size;
};

#define TARGET(k, field) \
	{ k, offsetof(struct os_release, field), sizeof(((struct os_release *)0)->field) }

static const struct target targets[] = {
	TARGET("ID", id),
	TARGET("VERSION_ID", version_id),
	TARGET("VERSION_CODENAME", version_codename),
	TARGET("PRETTY_NAME", pretty_name),
	TARGET("ID_LIKE", id_like),
};

/* Where a value goes: out[0..cap) (NULL to check the syntax only). */
struct sink {
	char *out;
	size_t cap;
	size_t len;
};

struct line_ctx {
	const char *filename;
	size_t line;
	const char *key; /* NULL before the key is read */
	size_t key_len;
	struct err *e;
};

static bool is_blank_char(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_key_char(char c, bool first)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

/* Keys are shown at most this long in messages (they are [A-Za-z0-9_]). */
#define KEY_SHOW 64

static int line_fail(const struct line_ctx *c, const char *msg)
{
	if (c->key)
		return err_set(c->e, ERR_INPUT, "%s: line %zu: %.*s: %s", c->filename, c->line,
			       (int)(c->key_len < KEY_SHOW ? c->key_len : KEY_SHOW), c->key, msg);
	return err_set(c->e, ERR_INPUT, "%s: line %zu: %s", c->filename, c->line, msg);
}

static int emit(const struct line_ctx *c, struct sink *s, char ch)
{
	/* "non-printable characters should not be used" (os-release(5)); a
	 * NUL would also cut the C string short without anyone noticing. */
	if (((unsigned char)ch < 0x20 && ch != '\t') || ch == 0x7f)
		return line_fail(c, "control character in value");
	if (s->out) {
		if (s->len + 1 >= s->cap) {
			char msg[64];

			snprintf(msg, sizeof(msg), "value longer than %zu bytes", s->cap - 1);
			return line_fail(c, msg);
		}
		s->out[s->len] = ch;
	}
	s->len++;
	return 0;
}

/* A value in quotes, v[0] being the quote; only blanks or a comment may follow. */
static int decode_quoted(const struct line_ctx *c, const char *v, size_t n, struct sink *s)
{
	char q = v[0], ch;
	size_t i, after;
	int r;

	for (i = 1;; i++) {
		if (i == n)
			return line_fail(c, q == '"' ? "unterminated double quote" :
					    "unterminated single quote");
		ch = v[i];
		if (ch == q)
			break;
		/* Inside double quotes the shell gives a backslash a meaning only
		 * before these four; elsewhere it stays as it is. */
		if (q == '"' && ch == '\\' && i + 1 < n &&
		    (v[i + 1] == '"' || v[i + 1] == '\\' || v[i + 1] == '$' || v[i + 1] == '`'))
			ch = v[++i];
		r = emit(c, s, ch);
		if (r)
			return r;
	}
	after = ++i;
	while (i < n && is_blank_char(v[i]))
		i++;
	/* As in the shell, '#' starts a comment only after a blank. */
	if (i < n && (v[i] != '#' || i == after))
		return line_fail(c, "text after the closing quote (concatenation is not supported)");
	return 0;
}

/*
 * A bare value: a backslash escapes the next byte, blanks at the end are
 * dropped. Blanks are held back until something follows them, so that
 * trailing ones never count against the field's size.
 */
static int decode_bare(const struct line_ctx *c, const char *v, size_t n, struct sink *s)
{
	size_t pending = 0; /* unescaped blanks just before v[i] */
	char ch;
	int r = 0;

	for (size_t i = 0; i < n && !r; i++) {
		ch = v[i];
		if (is_blank_char(ch)) {
			pending++;
			continue;
		}
		if (ch == '#' && pending)
			break; /* a comment, as in the shell */
		if (ch == '"' || ch == '\'')
			return line_fail(c, "quote inside an unquoted value (concatenation is not supported)");
		for (size_t b = i - pending; b < i && !r; b++)
			r = emit(c, s, v[b]);
		pending = 0;
		if (ch == '\\') {
			if (i + 1 == n)
				return line_fail(c, "backslash at the end of the line (continuation lines are not supported)");
			ch = v[++i];
		}
		if (!r)
			r = emit(c, s, ch);
	}
	return r;
}

static const struct target *target_find(const char *key, size_t n)
{
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		if (strlen(targets[i].key) == n && !memcmp(targets[i].key, key, n))
			return &targets[i];
	return NULL;
}

/* Parses one line, s[0..n) without its '\n', into tmp. */
static int parse_line(struct line_ctx *c, const char *s, size_t n, struct os_release *tmp)
{
	const struct target *t;
	struct sink sink = { NULL, 0, 0 };
	size_t i = 0, k;
	int r;

	if (n && s[n - 1] == '\r')
		n--;
	while (i < n && is_blank_char(s[i]))
		i++;
	if (i == n || s[i] == '#')
		return 0;
	if (!memchr(s + i, '=', n - i))
		return line_fail(c, "expected KEY=value, found no '='");
	for (k = i; k < n && is_key_char(s[k], k == i); k++)
		;
	if (k == i || (s[k] != '=' && !is_blank_char(s[k])))
		return line_fail(c, "invalid variable name (a letter or '_', then letters, digits and '_')");
	c->key = s + i;
	c->key_len = k - i;
	for (i = k; i < n && is_blank_char(s[i]); i++)
		;
	if (i == n || s[i] != '=')
		return line_fail(c, "expected '=' after the variable name");
	for (i++; i < n && is_blank_char(s[i]); i++)
		;
	t = target_find(c->key, c->key_len);
	if (t)
		sink = (struct sink){ (char *)tmp + t->off, t->size, 0 };
	if (i < n && (s[i] == '"' || s[i] == '\''))
		r = decode_quoted(c, s + i, n - i, &sink);
	else
		r = decode_bare(c, s + i, n - i, &sink);
	if (r)
		return r;
	if (sink.out)
		sink.out[sink.len] = '\0'; /* the last assignment wins */
	return 0;
}

/* True when s is printable ASCII, and so safe to show in a message. */
static bool printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s >= 0x7f)
			return false;
	return true;
}

/* os-release(5): ID is "0-9, a-z, '.', '_' and '-'", and is never empty here. */
static bool id_valid(const char *id)
{
	for (; *id; id++)
		if (!((*id >= 'a' && *id <= 'z') || (*id >= '0' && *id <= '9') ||
		      *id == '.' || *id == '_' || *id == '-'))
			return false;
	return true;
}

int os_release_parse(const char *data, size_t len, const char *filename,
		     struct os_release *ret, struct err *e)
{
	struct os_release tmp;
	struct line_ctx c = { .filename = filename, .line = 1, .e = e };
	size_t pos = 0, eol;
	const char *nl;
	bool have_id = false;
	int r;

	if (len > OS_RELEASE_MAX)
		return err_set(e, ERR_NOMEM, "%s: larger than the limit of %u KiB",
			       filename, OS_RELEASE_MAX >> 10);
	memset(&tmp, 0, sizeof(tmp));
	for (; pos < len; pos = eol + 1, c.line++) {
		nl = memchr(data + pos, '\n', len - pos);
		eol = nl ? (size_t)(nl - data) : len;
		c.key = NULL;
		r = parse_line(&c, data + pos, eol - pos, &tmp);
		if (r)
			return r;
		if (c.key && c.key_len == 2 && !memcmp(c.key, "ID", 2))
			have_id = true;
	}
	if (!have_id)
		return err_set(e, ERR_INPUT, "%s: no ID= line", filename);
	if (!tmp.id[0])
		return err_set(e, ERR_INPUT, "%s: ID is empty", filename);
	if (!id_valid(tmp.id))
		return err_set(e, ERR_INPUT, "%s: ID '%s' is not made of 0-9 a-z . _ -",
			       filename, printable(tmp.id) ? tmp.id : "(not printable)");
	*ret = tmp;
	return 0;
}
