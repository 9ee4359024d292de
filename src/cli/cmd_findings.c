/*
 * hfx findings: the open findings as a table, JSON or CSV. The columns are
 * documented in docs/OUTPUT.md; the CSV header is a stable interface.
 */
#include "cli/cli.h"

#include <string.h>

#include <jansson.h>

#include "scan/scan.h"
#include "store/finding_store.h"

enum format { FORMAT_TABLE, FORMAT_JSON, FORMAT_CSV };

struct out {
	struct store *s;
	enum format format;
	bool explain;
	long rows;
};

/* RFC 4180: quote fields containing a comma, quote or line break. */
static void csv_field(const char *s, bool last)
{
	if (!s)
		s = "";
	if (strpbrk(s, ",\"\r\n")) {
		putchar('"');
		for (; *s; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	} else {
		fputs(s, stdout);
	}
	putchar(last ? '\n' : ',');
}

static const char *const csv_columns[] = {
	"host", "advisory", "aliases", "package", "arch", "installed_version", "source",
	"source_version", "fixed_version", "status", "first_seen", "explanation",
};
#define NCOLS (sizeof(csv_columns) / sizeof(csv_columns[0]))

static void row_values(const struct finding_row *r, const char *why, const char *v[NCOLS])
{
	const char *vals[NCOLS] = { r->host, r->advisory, r->aliases, r->package, r->arch,
				    r->installed_version, r->source, r->source_version,
				    r->fixed_version, r->status, r->first_seen, why };

	memcpy(v, vals, sizeof(vals));
}

/* One object per row, streamed: the array is never held in memory. */
static int json_row(struct out *o, const char *v[NCOLS], struct err *e)
{
	json_t *obj = json_object();
	size_t n = o->explain ? NCOLS : NCOLS - 1;
	int rc = 0;

	if (!obj)
		return err_set(e, ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		json_object_set_new(obj, csv_columns[i], v[i] ? json_string(v[i]) : json_null());
	fputs(o->rows > 1 ? ",\n  " : "[\n  ", stdout);
	if (json_dumpf(obj, stdout, JSON_PRESERVE_ORDER | JSON_COMPACT) != 0)
		rc = err_set(e, ERR_IO, "cannot write the output");
	json_decref(obj);
	return rc;
}

static int print_row(const struct finding_row *r, void *ctx, struct err *e)
{
	struct out *o = ctx;
	const char *v[NCOLS];
	size_t n = o->explain ? NCOLS : NCOLS - 1;
	char why[512] = "";

	if (o->explain && scan_explain(o->s, r->ecosystem, r->advisory_id, r->matched_package,
				       r->matched_version, why, sizeof(why), e))
		return ERR_DB;
	row_values(r, why, v);
	o->rows++;
	switch (o->format) {
	case FORMAT_JSON:
		return json_row(o, v, e);
	case FORMAT_CSV:
		for (size_t i = 0; i < n; i++)
			csv_field(v[i], i == n - 1);
		return 0;
	case FORMAT_TABLE:
		printf("%-16s %-22s %-28s %-26s %-26s %s\n", r->host, r->advisory, r->package,
		       r->installed_version, r->fixed_version ? r->fixed_version : "-", r->status);
		if (o->explain)
			printf("    %s %s %s: %s\n", strcmp(r->matched_package, r->package) ?
			       "source" : "package", r->matched_package, r->matched_version, why);
		return 0;
	}
	return 0;
}

static const struct cli_option options[] = {
	{ "host", "NAME", "only this host's findings" },
	{ "format", "FORMAT", "table (default), json or csv" },
	{ "explain", NULL, "say why each row matched: which range, which comparison" },
	{ NULL, NULL, NULL },
};

static int parse_format(const char *name, enum format *ret, struct err *e)
{
	if (!name || !strcmp(name, "table"))
		*ret = FORMAT_TABLE;
	else if (!strcmp(name, "json"))
		*ret = FORMAT_JSON;
	else if (!strcmp(name, "csv"))
		*ret = FORMAT_CSV;
	else
		return err_set(e, ERR_INPUT, "--format '%s': expected table, json or csv", name);
	return 0;
}

static void header(const struct out *o)
{
	size_t n = o->explain ? NCOLS : NCOLS - 1;

	if (o->format == FORMAT_CSV)
		for (size_t i = 0; i < n; i++)
			csv_field(csv_columns[i], i == n - 1);
	else if (o->format == FORMAT_TABLE)
		printf("%-16s %-22s %-28s %-26s %-26s %s\n", "HOST", "ADVISORY", "PACKAGE",
		       "INSTALLED", "FIXED", "STATUS");
}

static int run(const struct cli_args *a, struct err *e)
{
	struct out o = { .explain = a->values[2] != NULL };
	struct store *s = NULL;
	int rc = parse_format(a->values[1], &o.format, e);

	if (!rc)
		rc = cli_open_store(a, &s, e);
	if (rc)
		return rc;
	o.s = s;
	header(&o);
	rc = finding_list(s, a->values[0], print_row, &o, e);
	if (!rc && o.format == FORMAT_JSON)
		fputs(o.rows ? "\n]\n" : "[]\n", stdout);
	store_close(s);
	return rc;
}

const struct cli_command cmd_findings = {
	.name = "findings",
	.summary = "list the open findings: one row per host, advisory and binary package",
	.details = "status is 'fixable' (a fixed version exists: fixed_version) or "
		   "'no-fix-yet'. aliases lists the CVE ids of the advisory. The columns are "
		   "described in docs/OUTPUT.md.",
	.max_pos = 0,
	.options = options,
	.run = run,
};
