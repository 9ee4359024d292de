/*
 * hfx findings: the open findings, most urgent first, as a table, JSON or
 * CSV. The columns are documented in docs/OUTPUT.md; the CSV header is a
 * stable interface.
 */
#include "cli/cli.h"

#include <string.h>

#include <jansson.h>

#include "assess/explain.h"
#include "base/timefmt.h"
#include "decide/decide.h"
#include "scan/scan.h"
#include "store/finding_store.h"

enum format { FORMAT_TABLE, FORMAT_JSON, FORMAT_CSV };

struct out {
	struct store *s;
	const struct policy *policy;
	enum format format;
	bool explain;
	char today[DATE_LEN + 1];
	struct buf why;
	struct decide_view view;
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

/* The explanation columns come last, and only with --explain. */
static const char *const csv_columns[] = {
	"host", "advisory", "aliases", "package", "arch", "installed_version", "source",
	"source_version", "fixed_version", "status", "first_seen", "priority", "due", "overdue",
	"cvss", "kev", "epss", "decision", "explanation", "assessment",
};
#define NCOLS (sizeof(csv_columns) / sizeof(csv_columns[0]))
#define NEXPLAIN 2
/* In JSON, an empty value of these columns (from "priority" on) is null. */
#define FIRST_RANK_COLUMN 11

static size_t ncols(const struct out *o)
{
	return o->explain ? NCOLS : NCOLS - NEXPLAIN;
}

/* The rank columns, formatted into the caller's buffers. */
struct rank_text {
	char cvss[8], epss[16], decision[160];
	const char *priority, *overdue;
};

static void rank_text(struct out *o, const struct finding_row *r, struct rank_text *t)
{
	struct decide_state st;

	t->priority = r->priority < 0 ? "" : ssvc_priority_name((enum ssvc_priority)r->priority);
	t->overdue = r->due && strcmp(r->due, o->today) < 0 ? "yes" : "no";
	t->cvss[0] = t->epss[0] = '\0';
	if (r->cvss >= 0)
		snprintf(t->cvss, sizeof(t->cvss), "%.1f", r->cvss);
	if (r->epss >= 0)
		snprintf(t->epss, sizeof(t->epss), "%.5f", r->epss);
	decide_view_state(&o->view, r->host_id, r->advisory, r->aliases, r->priority, &st);
	decide_state_text(&st, t->decision, sizeof(t->decision));
}

static void row_values(const struct finding_row *r, const struct rank_text *t,
		       const char *why, const char *assessment, const char *v[NCOLS])
{
	const char *vals[NCOLS] = { r->host, r->advisory, r->aliases, r->package, r->arch,
				    r->installed_version, r->source, r->source_version,
				    r->fixed_version, r->status, r->first_seen, t->priority,
				    r->due, t->overdue, t->cvss, r->kev_cve, t->epss, t->decision,
				    why, assessment };

	memcpy(v, vals, sizeof(vals));
}

/* One object per row, streamed: the array is never held in memory. */
static int json_row(struct out *o, const char *v[NCOLS], struct err *e)
{
	json_t *obj = json_object();
	int rc = 0;

	if (!obj)
		return err_set(e, ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < ncols(o); i++)
		json_object_set_new(obj, csv_columns[i], v[i] && (v[i][0] || i < FIRST_RANK_COLUMN) ?
				    json_string(v[i]) : json_null());
	fputs(o->rows > 1 ? ",\n  " : "[\n  ", stdout);
	if (json_dumpf(obj, stdout, JSON_PRESERVE_ORDER | JSON_COMPACT) != 0)
		rc = err_set(e, ERR_IO, "cannot write the output");
	json_decref(obj);
	return rc;
}

static int explain(struct out *o, const struct finding_row *r, char *why, size_t len,
		   struct err *e)
{
	struct rank_seen seen = { r->priority, r->due, r->since };

	buf_reset(&o->why);
	if (scan_explain(o->s, r->ecosystem, r->advisory_id, r->matched_package,
			 r->matched_version, why, len, e))
		return ERR_DB;
	if (assess_explain(o->s, o->policy, r->host, r->advisory_id, &seen, &o->why, e))
		return ERR_DB;
	return buf_append(&o->why, "", 1, e);
}

static void table_row(const struct out *o, const struct finding_row *r,
		      const struct rank_text *t, const char *why)
{
	printf("%-12s %-10s %-3s %-16s %-22s %-28s %-26s %-26s %s%s%s\n", t->priority,
	       r->due ? r->due : "-", strcmp(t->overdue, "yes") ? "" : "(!)", r->host,
	       r->advisory, r->package, r->installed_version,
	       r->fixed_version ? r->fixed_version : "-", r->status, t->decision[0] ? "; " : "",
	       t->decision);
	if (o->explain)
		printf("    %s %s %s: %s\n    %s\n", strcmp(r->matched_package, r->package) ?
		       "source" : "package", r->matched_package, r->matched_version, why,
		       o->why.data);

}

static int print_row(const struct finding_row *r, void *ctx, struct err *e)
{
	struct out *o = ctx;
	const char *v[NCOLS];
	struct rank_text t;
	char why[1200] = "";

	if (o->explain && explain(o, r, why, sizeof(why), e))
		return ERR_DB;
	if (o->explain && r->reopen_reason) {
		size_t n = strlen(why);

		snprintf(why + n, sizeof(why) - n, "; %s: %s", r->status, r->reopen_reason);
	}
	rank_text(o, r, &t);
	row_values(r, &t, why, o->explain ? o->why.data : "", v);
	o->rows++;
	switch (o->format) {
	case FORMAT_JSON:
		return json_row(o, v, e);
	case FORMAT_CSV:
		for (size_t i = 0; i < ncols(o); i++)
			csv_field(v[i], i == ncols(o) - 1);
		return 0;
	case FORMAT_TABLE:
		table_row(o, r, &t, why);
		return 0;
	}
	return 0;
}

static const struct cli_option options[] = {
	{ "host", "NAME", "only this host's findings" },
	{ "format", "FORMAT", "table (default), json or csv" },
	{ "explain", NULL, "say why each row matched (which range, which comparison) and why "
	  "it has its priority and due date (every SSVC input and its source)" },
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
	if (o->format == FORMAT_CSV)
		for (size_t i = 0; i < ncols(o); i++)
			csv_field(csv_columns[i], i == ncols(o) - 1);
	else if (o->format == FORMAT_TABLE)
		printf("%-12s %-10s %-3s %-16s %-22s %-28s %-26s %-26s %s\n", "PRIORITY", "DUE", "",
		       "HOST", "ADVISORY", "PACKAGE", "INSTALLED", "FIXED", "STATUS");
}

static int run(const struct cli_args *a, struct err *e)
{
	struct out o = { .explain = a->values[2] != NULL };
	struct store *s = NULL;
	struct policy p;
	char now[32];
	int rc = parse_format(a->values[1], &o.format, e);

	store_now(now);
	snprintf(o.today, sizeof(o.today), "%.10s", now);
	buf_init(&o.why, 1u << 16);
	o.policy = &p;
	if (!rc)
		rc = cli_open_ranked(a, &p, &s, e);
	if (!rc)
		rc = decide_view_load(&o.view, s, &p, e);
	if (!rc) {
		o.s = s;
		header(&o);
		rc = finding_list(s, a->values[0], print_row, &o, e);
	}
	if (!rc && o.format == FORMAT_JSON)
		fputs(o.rows ? "\n]\n" : "[]\n", stdout);
	buf_release(&o.why);
	decide_view_release(&o.view);
	store_close(s);
	return rc;
}

const struct cli_command cmd_findings = {
	.name = "findings",
	.summary = "list the open findings, most urgent first: one row per host, advisory and "
		   "binary package",
	.details = "Sorted by SSVC priority (immediate, out-of-cycle, scheduled, defer), then "
		   "due date. status is 'fixable' (a fixed version exists: fixed_version), "
		   "'no-fix-yet', 'reissued' (the host has a fix that a revised advisory "
		   "superseded) or 'regressed' (the host had the fix and lost it); overdue says the due date has passed; decision is the "
		   "decision that stands for the row, a pending or expired one, or the "
		   "auto-approval rule that applies. aliases lists the CVE ids of the advisory. The columns are described in docs/OUTPUT.md; the "
		   "ranking rules and the policy in docs/POLICY.md.",
	.max_pos = 0,
	.options = options,
	.run = run,
};
