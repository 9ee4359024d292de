/*
 * FIRST EPSS CSV parser; see epss.h.
 *
 * A push parser: bytes arrive in whatever chunks the decompressor yields,
 * and are cut into lines in a fixed buffer. A line that fits entirely in
 * the chunk is parsed in place without copying; only a line split across
 * chunks is assembled in p->buf. The format has no quoting (CVE ids and
 * decimals never contain commas), so a line splits on commas.
 */
#include "feed/epss.h"

#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/cve.h"

#define EPSS_HEADER "cve,epss,percentile"

enum {
	STATE_FIRST,  /* nothing seen yet: metadata line or header */
	STATE_HEADER, /* metadata line seen: header next */
	STATE_ROWS,
};

/*
 * strtod() follows LC_NUMERIC, and a program that calls setlocale() under
 * a decimal-comma locale would read "0.5" as 0. The file's decimals are
 * always C-locale, so they are read with a C locale of their own.
 */
static locale_t c_locale = (locale_t)0;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void c_locale_init(void)
{
	c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

/*
 * At most 40 bytes of a bad value, for messages, with anything unprintable
 * made '?' so that a hostile file cannot put escapes on a terminal.
 */
struct excerpt {
	char s[44];
};

static const char *excerpt(struct excerpt *x, const char *s, size_t len)
{
	size_t n = len > 40 ? 40 : len;

	for (size_t i = 0; i < n; i++)
		x->s[i] = ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f) ? '?' : s[i];
	memcpy(x->s + n, len > n ? "..." : "", len > n ? 4 : 1);
	return x->s;
}

static int fail(struct epss_parser *p, int code)
{
	p->failed = code;
	return code;
}

/* A decimal in [0,1], as "0.00043", "1", "1e-05". */
static int parse_score(struct epss_parser *p, const char *field, const char *s,
		       size_t len, double *ret, struct err *e)
{
	struct excerpt x;
	char tmp[32];
	char *end = NULL;
	double v;

	if (len == 0)
		return fail(p, err_set(e, ERR_INPUT, "%s: line %zu: field '%s': empty",
				       p->filename, p->line, field));
	if (len >= sizeof(tmp))
		goto bad;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	/* strtod also takes " 1", "0x1p-1", "nan" and "infinity": not decimals. */
	if (strspn(tmp, "0123456789.eE+-") != len)
		goto bad;
	pthread_once(&c_locale_once, c_locale_init);
	v = c_locale ? strtod_l(tmp, &end, c_locale) : strtod(tmp, &end);
	if (end != tmp + len || !(v >= 0.0 && v <= 1.0))
		goto bad;
	*ret = v;
	return 0;
bad:
	return fail(p, err_set(e, ERR_INPUT,
			       "%s: line %zu: field '%s': expected a decimal between 0 and 1, got '%s'",
			       p->filename, p->line, field, excerpt(&x, s, len)));
}

static int parse_row(struct epss_parser *p, const char *s, size_t len, struct err *e)
{
	const char *c1, *c2, *epss, *pct;
	size_t epss_len, pct_len;
	struct epss_row row;
	struct excerpt x;
	int r;

	c1 = memchr(s, ',', len);
	if (!c1)
		return fail(p, err_set(e, ERR_INPUT, "%s: line %zu: field 'epss': missing",
				       p->filename, p->line));
	epss = c1 + 1;
	c2 = memchr(epss, ',', (size_t)(s + len - epss));
	if (!c2)
		return fail(p, err_set(e, ERR_INPUT, "%s: line %zu: field 'percentile': missing",
				       p->filename, p->line));
	epss_len = (size_t)(c2 - epss);
	pct = c2 + 1;
	pct_len = (size_t)(s + len - pct);
	if (memchr(pct, ',', pct_len))
		return fail(p, err_set(e, ERR_INPUT,
				       "%s: line %zu: more than 3 fields (cve,epss,percentile)",
				       p->filename, p->line));
	if (!cve_id_valid(s, (size_t)(c1 - s)))
		return fail(p, err_set(e, ERR_INPUT,
				       "%s: line %zu: field 'cve': expected a CVE id CVE-YYYY-NNNN, got '%s'",
				       p->filename, p->line, excerpt(&x, s, (size_t)(c1 - s))));
	memcpy(row.cve, s, (size_t)(c1 - s));
	row.cve[c1 - s] = '\0';
	r = parse_score(p, "epss", epss, epss_len, &row.epss, e);
	if (!r)
		r = parse_score(p, "percentile", pct, pct_len, &row.percentile, e);
	if (r)
		return r;
	row.line = p->line;
	r = p->cb(&row, p->ctx, e);
	if (r)
		return fail(p, r);
	p->rows++;
	return 0;
}

/* Copies the value of "key:value" into dst, which must hold it whole. */
static int meta_value(struct epss_parser *p, const char *key, const char *v, size_t len,
		      char *dst, size_t size, struct err *e)
{
	bool printable = true;

	for (size_t i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			printable = false;
	if (!printable || len == 0 || len >= size)
		return fail(p, err_set(e, ERR_INPUT,
				       "%s: line %zu: %s: expected 1 to %zu printable characters",
				       p->filename, p->line, key, size - 1));
	memcpy(dst, v, len);
	dst[len] = '\0';
	return 0;
}

/* "#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000". */
static int parse_meta(struct epss_parser *p, const char *s, size_t len, struct err *e)
{
	const char *end = s + len, *item, *comma, *colon;
	size_t ilen;
	int r = 0;

	for (item = s + 1; item < end && !r; item = comma + 1) {
		comma = memchr(item, ',', (size_t)(end - item));
		if (!comma)
			comma = end;
		ilen = (size_t)(comma - item);
		colon = memchr(item, ':', ilen);
		if (!colon) /* not key:value: no metadata hfx uses */
			continue;
		if (colon - item == 13 && memcmp(item, "model_version", 13) == 0)
			r = meta_value(p, "model_version", colon + 1,
				       (size_t)(comma - colon - 1), p->model_version,
				       sizeof(p->model_version), e);
		else if (colon - item == 10 && memcmp(item, "score_date", 10) == 0)
			r = meta_value(p, "score_date", colon + 1,
				       (size_t)(comma - colon - 1), p->score_date,
				       sizeof(p->score_date), e);
	}
	return r;
}

static int too_long(struct epss_parser *p, struct err *e)
{
	return fail(p, err_set(e, ERR_INPUT, "%s: line %zu: longer than %d bytes",
			       p->filename, p->line, EPSS_LINE_MAX));
}

static int parse_line(struct epss_parser *p, const char *s, size_t len, struct err *e)
{
	struct excerpt x;

	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (len > EPSS_LINE_MAX)
		return too_long(p, e);
	if (p->line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		len -= 3;
	}
	if (len == 0) /* a blank line carries nothing; tolerate it */
		return 0;
	switch (p->state) {
	case STATE_FIRST:
		if (s[0] == '#') {
			p->state = STATE_HEADER;
			return parse_meta(p, s, len, e);
		}
		/* fall through */
	case STATE_HEADER:
		if (len != strlen(EPSS_HEADER) || memcmp(s, EPSS_HEADER, len) != 0)
			return fail(p, err_set(e, ERR_INPUT,
					       "%s: line %zu: expected the header '%s', got '%s'",
					       p->filename, p->line, EPSS_HEADER, excerpt(&x, s, len)));
		p->state = STATE_ROWS;
		return 0;
	default:
		return parse_row(p, s, len, e);
	}
}

void epss_parser_init(struct epss_parser *p, const char *filename,
		      epss_row_fn *cb, void *ctx)
{
	memset(p, 0, sizeof(*p));
	p->filename = filename ? filename : "EPSS file";
	p->cb = cb;
	p->ctx = ctx;
	p->line = 1;
	p->state = STATE_FIRST;
}

static int refuse(const struct epss_parser *p, struct err *e)
{
	return err_set(e, ERR_STATE, "%s: parser stopped after an earlier error",
		       p->filename);
}

int epss_parser_feed(struct epss_parser *p, const char *data, size_t len,
		     struct err *e)
{
	const char *end = data + len, *nl;
	size_t n;
	int r;

	if (p->failed)
		return refuse(p, e);
	while (data < end) {
		nl = memchr(data, '\n', (size_t)(end - data));
		n = (size_t)((nl ? nl : end) - data);
		if (!nl || p->len > 0) {
			/* buf holds a whole line plus the CR of a CRLF. */
			if (n > sizeof(p->buf) - p->len)
				return too_long(p, e);
			memcpy(p->buf + p->len, data, n);
			p->len += n;
			if (!nl)
				return 0;
			r = parse_line(p, p->buf, p->len, e);
			p->len = 0;
		} else {
			r = parse_line(p, data, n, e); /* whole in this chunk */
		}
		if (r)
			return r;
		p->line++;
		data = nl + 1;
	}
	return 0;
}

int epss_parser_finish(struct epss_parser *p, struct err *e)
{
	int r;

	if (p->failed)
		return refuse(p, e);
	if (p->len > 0) {
		r = parse_line(p, p->buf, p->len, e);
		p->len = 0;
		if (r)
			return r;
	}
	if (p->state != STATE_ROWS)
		return fail(p, err_set(e, ERR_INPUT, "%s: no header '%s' (empty file?)",
				       p->filename, EPSS_HEADER));
	return 0;
}

bool epss_looks_like(const char *data, size_t len)
{
	size_t n = len < 1024 ? len : 1024;
	size_t h = strlen(EPSS_HEADER);
	const char *s = data, *end = data + n, *nl;

	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	if ((size_t)(end - s) >= 15 && memcmp(s, "#model_version:", 15) == 0)
		return true;
	if (s < end && *s == '#') {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			return false;
		s = nl + 1;
	}
	if ((size_t)(end - s) < h || memcmp(s, EPSS_HEADER, h) != 0)
		return false;
	s += h;
	return s == end || *s == '\r' || *s == '\n';
}
