/*
 * The remediation report as text (for people), CSV (one number a row,
 * with the dimensions it is broken down by: for spreadsheets) and JSON
 * (for programs). docs/REPORT.md describes each layout; the CSV header
 * and the JSON fields are stable interfaces.
 */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static const char *priority_name_at(int i)
{
	return report_priority_name(report_priority_order[i]);
}

static const struct report_priority *prio_at(const struct report *r, int i)
{
	return &r->prio[report_priority_order[i]];
}

static int io_result(FILE *f, struct err *e)
{
	return ferror(f) ? err_set(e, ERR_IO, "cannot write the report") : 0;
}

/* ---- text ---- */

static void text_open(const struct report *r, FILE *f)
{
	struct report_priority t;

	report_total(r, &t);
	fprintf(f, "Open findings by priority and age (days since first seen)\n");
	fprintf(f, "  %-14s %7s %8s %7s %7s %7s %7s\n", "PRIORITY", "OPEN", "OVERDUE", "0-7",
		"8-30", "31-90", ">90");
	for (int i = 0; i <= REPORT_PRIORITIES; i++) {
		const struct report_priority *p = i < REPORT_PRIORITIES ? prio_at(r, i) : &t;

		fprintf(f, "  %-14s %7ld %8ld %7ld %7ld %7ld %7ld\n",
			i < REPORT_PRIORITIES ? priority_name_at(i) : "total", p->open, p->overdue,
			p->ages[0], p->ages[1], p->ages[2], p->ages[3]);
	}
	fprintf(f, "  Open again: %ld reissued, %ld regressed. Closed as withdrawn: %ld.\n\n",
		r->reissued, r->regressed, r->withdrawn);
}

static void text_overdue(const struct report *r, FILE *f)
{
	struct report_priority t;

	report_total(r, &t);
	fprintf(f, "Overdue findings: %ld", t.overdue);
	if ((long)r->noverdue < t.overdue)
		fprintf(f, " (the %zu most overdue listed)", r->noverdue);
	fprintf(f, "\n");
	if (r->noverdue)
		fprintf(f, "  %5s %-10s %-12s %-16s %-10s %-8s %-24s %-20s %s -> %s\n", "DAYS",
			"DUE", "PRIORITY", "HOST", "GROUP", "RING", "ADVISORY", "PACKAGE", "VERSION",
			"FIXED");
	for (size_t i = 0; i < r->noverdue; i++) {
		const struct report_overdue *o = &r->overdue[i];

		fprintf(f, "  %5ld %-10s %-12s %-16s %-10s %-8s %-24s %-20s %s -> %s\n",
			o->days_overdue, o->due, report_priority_name(o->priority), o->host,
			o->group, o->ring, o->advisory, o->package, o->version,
			o->fixed_version ? o->fixed_version : "(no fix yet)");
	}
	fprintf(f, "\n");
}

static void text_remediation(const struct report *r, FILE *f)
{
	struct report_priority t;
	char a[32], b[32];

	report_total(r, &t);
	fprintf(f, "Remediation (fixed findings) and exposure (days)\n");
	fprintf(f, "  %-14s %7s %11s %15s\n", "PRIORITY", "FIXED", "MTTR DAYS", "EXPOSURE DAYS");
	for (int i = 0; i <= REPORT_PRIORITIES; i++) {
		const struct report_priority *p = i < REPORT_PRIORITIES ? prio_at(r, i) : &t;

		fprintf(f, "  %-14s %7ld %11s %15s\n",
			i < REPORT_PRIORITIES ? priority_name_at(i) : "total", p->fixed,
			report_days_text(report_mttr_days(p), a, sizeof(a)),
			report_days_text(report_exposure_days(p), b, sizeof(b)));
	}
	fprintf(f, "\n");
}

static void text_shares(const char *what, const struct report_share *items, size_t n,
			bool truncated, FILE *f)
{
	char q[32];

	fprintf(f, "  %-14s %7s %7s %7s\n", what, "JUDGED", "WITHIN", "SHARE");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %-14s %7ld %7ld %7s\n", items[i].name, items[i].eligible,
			items[i].within, report_share_text(&items[i], q, sizeof(q)));
	if (truncated)
		fprintf(f, "  (only the first %d listed)\n", REPORT_SHARES_MAX);
}

int report_write_text(const struct report *r, FILE *f, struct err *e)
{
	char q[32];

	fprintf(f, "hfx remediation report, %s: %s%s, %ld host%s (default ring %s)\n\n", r->now,
		r->group[0] ? "group " : "all hosts", r->group, r->hosts, r->hosts == 1 ? "" : "s",
		r->default_ring);
	text_open(r, f);
	text_overdue(r, f);
	text_remediation(r, f);
	fprintf(f, "Fixed within the due date: %ld of %ld judged, %s\n", r->all.within,
		r->all.eligible, report_share_text(&r->all, q, sizeof(q)));
	text_shares("GROUP", r->groups, r->ngroups, r->groups_truncated, f);
	text_shares("RING", r->rings, r->nrings, r->rings_truncated, f);
	return io_result(f, e);
}

/* ---- CSV ---- */

/* One number a row; the columns from priority to due say what it counts
 * (empty: not broken down by that). */
static const char *const csv_header[] = {
	"metric", "priority", "age", "group", "ring", "host", "advisory", "package", "version",
	"due", "value",
};
#define CSV_COLS (sizeof(csv_header) / sizeof(csv_header[0]))
enum { C_METRIC, C_PRIORITY, C_AGE, C_GROUP, C_RING, C_HOST, C_ADVISORY, C_PACKAGE,
       C_VERSION, C_DUE, C_VALUE };

/* RFC 4180: a field with a comma, quote or line break is quoted. */
static void csv_put(FILE *f, const char *s)
{
	if (!s || !strpbrk(s, ",\"\r\n")) {
		fputs(s ? s : "", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void csv_row(FILE *f, const char *const v[CSV_COLS])
{
	for (size_t i = 0; i < CSV_COLS; i++) {
		if (i)
			fputc(',', f);
		csv_put(f, v[i]);
	}
	fputc('\n', f);
}

/* A row of metric with one dimension set (col, may be C_METRIC for none). */
static void csv_num(FILE *f, const char *metric, int col, const char *key, const char *value)
{
	const char *v[CSV_COLS] = { metric };

	if (col != C_METRIC)
		v[col] = key;
	v[C_VALUE] = value;
	csv_row(f, v);
}

static void csv_long(FILE *f, const char *metric, int col, const char *key, long n)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%ld", n);
	csv_num(f, metric, col, key, buf);
}

/* Days with four decimals; empty for a mean of nothing. */
static void csv_days(FILE *f, const char *metric, int col, const char *key, double days)
{
	char buf[32] = "";

	if (days >= 0)
		snprintf(buf, sizeof(buf), "%.4f", days);
	csv_num(f, metric, col, key, buf);
}

static void csv_priority(FILE *f, const char *name, const struct report_priority *p,
			 bool cells)
{
	int col = name ? C_PRIORITY : C_METRIC;

	for (int a = 0; cells && a < REPORT_AGES; a++) {
		const char *v[CSV_COLS] = { "open", name, report_age_name(a) };
		char buf[24];

		snprintf(buf, sizeof(buf), "%ld", p->ages[a]);
		v[C_VALUE] = buf;
		csv_row(f, v);
	}
	csv_long(f, "open", col, name, p->open);
	csv_long(f, "overdue", col, name, p->overdue);
	csv_long(f, "fixed", col, name, p->fixed);
	csv_days(f, "mttr_days", col, name, report_mttr_days(p));
	csv_days(f, "exposure_days", col, name, report_exposure_days(p));
}

static void csv_share(FILE *f, int col, const struct report_share *s)
{
	const char *key = col == C_METRIC ? NULL : s->name;
	double q = report_share_ratio(s);

	csv_long(f, "due_judged", col, key, s->eligible);
	csv_long(f, "due_within", col, key, s->within);
	csv_days(f, "due_share", col, key, q);
}

static void csv_overdue(FILE *f, const struct report_overdue *o)
{
	char days[24];
	const char *v[CSV_COLS] = {
		[C_METRIC] = "days_overdue", [C_PRIORITY] = report_priority_name(o->priority),
		[C_GROUP] = o->group, [C_RING] = o->ring, [C_HOST] = o->host,
		[C_ADVISORY] = o->advisory, [C_PACKAGE] = o->package, [C_VERSION] = o->version,
		[C_DUE] = o->due, [C_VALUE] = days,
	};

	snprintf(days, sizeof(days), "%ld", o->days_overdue);
	csv_row(f, v);
}

int report_write_csv(const struct report *r, FILE *f, struct err *e)
{
	struct report_priority t;

	report_total(r, &t);
	csv_row(f, csv_header);
	csv_long(f, "hosts", r->group[0] ? C_GROUP : C_METRIC, r->group, r->hosts);
	for (int a = 0; a < REPORT_AGES; a++)
		csv_long(f, "open", C_AGE, report_age_name(a), t.ages[a]);
	for (int i = 0; i < REPORT_PRIORITIES; i++)
		csv_priority(f, priority_name_at(i), prio_at(r, i), true);
	csv_priority(f, NULL, &t, false);
	csv_long(f, "reissued", C_METRIC, NULL, r->reissued);
	csv_long(f, "regressed", C_METRIC, NULL, r->regressed);
	csv_long(f, "withdrawn", C_METRIC, NULL, r->withdrawn);
	csv_share(f, C_METRIC, &r->all);
	for (size_t i = 0; i < r->ngroups; i++)
		csv_share(f, C_GROUP, &r->groups[i]);
	for (size_t i = 0; i < r->nrings; i++)
		csv_share(f, C_RING, &r->rings[i]);
	for (size_t i = 0; i < r->noverdue; i++)
		csv_overdue(f, &r->overdue[i]);
	return io_result(f, e);
}

/* ---- JSON ---- */

/* A JSON string of s (NULL: null). Bytes that are not UTF-8 become '?',
 * so that the document stays valid whatever a feed put in a name. */
static json_t *jstr(const char *s)
{
	char clean[1024];
	size_t n = 0;
	json_t *j;

	if (!s)
		return json_null();
	if ((j = json_string(s)))
		return j;
	/* Names in the database are far shorter than clean. */
	for (; s[n] && n < sizeof(clean) - 1; n++)
		clean[n] = (unsigned char)s[n] > 0x7f ? '?' : s[n];
	clean[n] = '\0';
	return json_string(clean);
}

/* Days or a share (>= 0), rounded to 4 decimals (without libm); null
 * for -1, a mean of nothing. */
static json_t *jround(double x)
{
	return x < 0 ? json_null() : json_real((double)(int64_t)(x * 1e4 + 0.5) / 1e4);
}

static json_t *json_ages(const long ages[REPORT_AGES])
{
	json_t *o = json_object();

	for (int a = 0; o && a < REPORT_AGES; a++)
		json_object_set_new(o, report_age_name(a), json_integer(ages[a]));
	return o;
}

static json_t *json_open(const struct report *r, const struct report_priority *t)
{
	json_t *o = json_object(), *by = json_object();

	for (int i = 0; by && i < REPORT_PRIORITIES; i++) {
		const struct report_priority *p = prio_at(r, i);

		json_object_set_new(by, priority_name_at(i),
				    json_pack("{s:I, s:I, s:o}", "open", (json_int_t)p->open,
					      "overdue", (json_int_t)p->overdue, "by_age",
					      json_ages(p->ages)));
	}
	json_object_set_new(o, "total", json_integer(t->open));
	json_object_set_new(o, "overdue", json_integer(t->overdue));
	json_object_set_new(o, "reissued", json_integer(r->reissued));
	json_object_set_new(o, "regressed", json_integer(r->regressed));
	json_object_set_new(o, "by_age", json_ages(t->ages));
	json_object_set_new(o, "by_priority", by);
	return o;
}

static json_t *json_overdue_item(const struct report_overdue *d)
{
	json_t *o = json_object();

	json_object_set_new(o, "host", jstr(d->host));
	json_object_set_new(o, "group", jstr(d->group));
	json_object_set_new(o, "ring", jstr(d->ring));
	json_object_set_new(o, "advisory", jstr(d->advisory));
	json_object_set_new(o, "package", jstr(d->package));
	json_object_set_new(o, "version", jstr(d->version));
	json_object_set_new(o, "fixed_version", jstr(d->fixed_version));
	json_object_set_new(o, "priority", d->priority < 0 ? json_null() :
			    json_string(report_priority_name(d->priority)));
	json_object_set_new(o, "first_seen", jstr(d->first_seen));
	json_object_set_new(o, "due", jstr(d->due));
	json_object_set_new(o, "days_overdue", json_integer(d->days_overdue));
	return o;
}

static json_t *json_overdue(const struct report *r, const struct report_priority *t)
{
	json_t *items = json_array();

	for (size_t i = 0; items && i < r->noverdue; i++)
		json_array_append_new(items, json_overdue_item(&r->overdue[i]));
	return json_pack("{s:I, s:I, s:o}", "total", (json_int_t)t->overdue, "listed",
			 (json_int_t)r->noverdue, "items", items);
}

/* Fixed counts, their seconds and mean (MTTR); exposure seconds and days. */
static json_t *json_times(const struct report_priority *p)
{
	return json_pack("{s:I, s:I, s:o, s:I, s:o}", "fixed", (json_int_t)p->fixed,
			 "fixed_seconds", (json_int_t)p->fixed_seconds, "mttr_days",
			 jround(report_mttr_days(p)), "exposure_seconds",
			 (json_int_t)p->exposure_seconds, "exposure_days",
			 jround(report_exposure_days(p)));
}

static json_t *json_remediation(const struct report *r, const struct report_priority *t)
{
	json_t *o = json_times(t), *by = json_object();

	for (int i = 0; by && i < REPORT_PRIORITIES; i++)
		json_object_set_new(by, priority_name_at(i), json_times(prio_at(r, i)));
	json_object_set_new(o, "withdrawn", json_integer(r->withdrawn));
	json_object_set_new(o, "by_priority", by);
	return o;
}

static json_t *json_share(const struct report_share *s, const char *key)
{
	json_t *o = json_object();

	if (key)
		json_object_set_new(o, key, jstr(s->name));
	json_object_set_new(o, "judged", json_integer(s->eligible));
	json_object_set_new(o, "within", json_integer(s->within));
	json_object_set_new(o, "share", jround(report_share_ratio(s)));
	return o;
}

static json_t *json_shares(const struct report_share *items, size_t n, const char *key)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_share(&items[i], key));
	return a;
}

static json_t *json_within(const struct report *r)
{
	return json_pack("{s:o, s:o, s:b, s:o, s:b}", "all", json_share(&r->all, NULL), "groups",
			 json_shares(r->groups, r->ngroups, "group"), "groups_truncated",
			 r->groups_truncated, "rings", json_shares(r->rings, r->nrings, "ring"),
			 "rings_truncated", r->rings_truncated);
}

int report_write_json(const struct report *r, FILE *f, struct err *e)
{
	struct report_priority t;
	json_t *root;
	int rc = 0;

	report_total(r, &t);
	root = json_pack("{s:s, s:s, s:o, s:s, s:I, s:o, s:o, s:o, s:o}", "generated_at", r->now,
			 "today", r->today, "group", r->group[0] ? jstr(r->group) : json_null(),
			 "default_ring", r->default_ring, "hosts", (json_int_t)r->hosts, "open",
			 json_open(r, &t), "overdue", json_overdue(r, &t), "remediation",
			 json_remediation(r, &t), "within_due", json_within(r));
	if (!root)
		return err_set(e, ERR_NOMEM, "out of memory writing the report");
	if (json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)))
		rc = err_set(e, ERR_IO, "cannot write the report");
	fputc('\n', f);
	json_decref(root);
	return rc ? rc : io_result(f, e);
}
