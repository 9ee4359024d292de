/*
 * hosts.csv parsing; see hosts_csv.h. A record is read into a bounded
 * cell buffer by a small state machine over (data, len), so quoted cells
 * may hold commas and line breaks and nothing is ever read past len.
 */
#include "inventory/hosts_csv.h"

#include <stdbool.h>
#include <string.h>

#include "base/show.h"
#include "store/host_store.h"

#define COLUMNS_MAX (HOST_ATTR_N + 1)
#define CELL_MAX HOST_ATTR_VALUE_MAX

struct record {
	int ncells;
	size_t len[COLUMNS_MAX];
	char cell[COLUMNS_MAX][CELL_MAX + 1];
	long line;       /* where it starts */
};

struct cursor {
	const char *p;
	size_t len, at;
	long line;
};

static int cell_add(struct record *r, char c, struct err *e)
{
	size_t *n = &r->len[r->ncells - 1];

	if (*n == CELL_MAX)
		return err_set(e, ERR_INPUT, "line %ld: column %d: longer than %d bytes", r->line,
			       r->ncells, CELL_MAX);
	r->cell[r->ncells - 1][(*n)++] = c;
	return 0;
}

static int cell_start(struct record *r, struct err *e)
{
	if (r->ncells == COLUMNS_MAX)
		return err_set(e, ERR_INPUT, "line %ld: more than %d columns", r->line,
			       COLUMNS_MAX);
	r->len[r->ncells++] = 0;
	return 0;
}

/* One quoted cell's content, after its opening quote. */
static int read_quoted(struct cursor *c, struct record *r, struct err *e)
{
	while (c->at < c->len) {
		char ch = c->p[c->at++];

		if (ch == '"') {
			if (c->at < c->len && c->p[c->at] == '"')
				c->at++;
			else
				return 0;
		} else if (ch == '\n') {
			c->line++;
		}
		if (cell_add(r, ch, e))
			return ERR_INPUT;
	}
	return err_set(e, ERR_INPUT, "line %ld: column %d: unterminated quote", r->line,
		       r->ncells);
}

/* Reads the next record; false at the end of the data. */
static int read_record(struct cursor *c, struct record *r, bool *ret_more, struct err *e)
{
	r->ncells = 0;
	r->line = c->line;
	*ret_more = c->at < c->len;
	if (!*ret_more || cell_start(r, e))
		return *ret_more ? ERR_INPUT : 0;
	while (c->at < c->len) {
		char ch = c->p[c->at++];

		if (ch == '\n' || (ch == '\r' && c->at < c->len && c->p[c->at] == '\n')) {
			c->at += ch == '\r';
			break;
		}
		if (ch == ',') {
			if (cell_start(r, e))
				return ERR_INPUT;
		} else if (ch == '"' && r->len[r->ncells - 1] == 0) {
			if (read_quoted(c, r, e))
				return ERR_INPUT;
			if (c->at < c->len && !strchr(",\r\n", c->p[c->at]))
				return err_set(e, ERR_INPUT, "line %ld: column %d: text after the "
					       "closing quote", r->line, r->ncells);
		} else if (ch == '\0' || ch == '"') {
			return err_set(e, ERR_INPUT, "line %ld: column %d: %s", r->line, r->ncells,
				       ch ? "quote inside an unquoted cell" : "NUL byte");
		} else if (cell_add(r, ch, e)) {
			return ERR_INPUT;
		}
	}
	c->line++;
	for (int i = 0; i < r->ncells; i++)
		r->cell[i][r->len[i]] = '\0';
	return 0;
}

/* The header's column -> attribute map; column 0 is the host name. */
static int read_header(const struct record *h, int *map, struct err *e)
{
	char shown[SHOW_MAX];

	if (strcmp(h->cell[0], "name") && strcmp(h->cell[0], "host"))
		return err_set(e, ERR_INPUT, "line %ld: the first column must be 'name', not '%s'",
			       h->line, show_bytes(shown, h->cell[0], h->len[0]));
	for (int i = 1; i < h->ncells; i++) {
		map[i] = host_attr_lookup(h->cell[i], h->len[i]);
		if (map[i] < 0)
			return err_set(e, ERR_INPUT, "line %ld: column %d: unknown host attribute "
				       "'%s'", h->line, i + 1,
				       show_bytes(shown, h->cell[i], h->len[i]));
		for (int j = 1; j < i; j++)
			if (map[j] == map[i])
				return err_set(e, ERR_INPUT, "line %ld: column '%s' given twice",
					       h->line, h->cell[i]);
	}
	return 0;
}

static bool blank(const struct record *r)
{
	return r->ncells == 1 && r->len[0] == 0;
}

static int row(const struct record *r, const struct record *h, const int *map,
	       struct host_attrs *attrs, struct err *e)
{
	char shown[SHOW_MAX];

	if (r->ncells != h->ncells)
		return err_set(e, ERR_INPUT, "line %ld: %d cells, the header has %d", r->line,
			       r->ncells, h->ncells);
	if (!host_name_valid(r->cell[0]) || strlen(r->cell[0]) != r->len[0])
		return err_set(e, ERR_INPUT, "line %ld: column 1: '%s' is not a host name", r->line,
			       show_bytes(shown, r->cell[0], r->len[0]));
	memset(attrs->set, 0, sizeof(attrs->set));
	for (int i = 1; i < r->ncells; i++)
		if (host_attr_set(attrs, (enum host_attr)map[i], r->cell[i], r->len[i], e))
			return err_prefix(e, ERR_INPUT, "line %ld: column %d", r->line, i + 1);
	return 0;
}

int hosts_csv_parse(const char *data, size_t len, hosts_csv_cb cb, void *ctx, struct err *e)
{
	struct record h, r;     /* about 6 KiB each */
	struct host_attrs attrs;
	struct cursor c = { data, len, 0, 1 };
	int map[COLUMNS_MAX] = { 0 };
	bool more;
	int rc;

	if (len > HOSTS_CSV_MAX)
		return err_set(e, ERR_INPUT, "%zu bytes, more than the limit of %u", len,
			       HOSTS_CSV_MAX);
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3)) /* spreadsheets write a BOM */
		c.at = 3;
	do {
		rc = read_record(&c, &h, &more, e);
	} while (!rc && more && blank(&h));
	if (rc || !more)
		return rc ? rc : err_set(e, ERR_INPUT, "empty: no header line");
	rc = read_header(&h, map, e);
	while (!rc) {
		rc = read_record(&c, &r, &more, e);
		if (rc || !more)
			break;
		if (blank(&r))
			continue;
		rc = row(&r, &h, map, &attrs, e);
		if (!rc)
			rc = cb(r.cell[0], &attrs, r.line, ctx, e);
	}
	return rc;
}
