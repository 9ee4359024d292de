/*
 * hfx report: the remediation report, as text, CSV, JSON or one HTML page
 * (report/report.h; every number is defined in docs/REPORT.md).
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "report/report.h"

enum { OPT_FORMAT, OPT_GROUP, OPT_OUTPUT };

static const struct cli_option options[] = {
	[OPT_FORMAT] = { "format", "FORMAT", "text (default), json, csv or html" },
	[OPT_GROUP] = { "group", "G", "only the hosts of group G (hfx host set NAME group=G)" },
	[OPT_OUTPUT] = { "output", "FILE", "write the report to FILE (replaced whole, only once "
			 "complete) instead of standard output" },
	{ NULL, NULL, NULL },
};

typedef int (*report_writer)(const struct report *r, FILE *f, struct err *e);

static const struct {
	const char *name;
	report_writer write;
} formats[] = {
	{ "text", report_write_text },
	{ "json", report_write_json },
	{ "csv", report_write_csv },
	{ "html", report_write_html },
};

static report_writer writer_named(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(formats[i].name, name))
			return formats[i].write;
	return NULL;
}

struct output {
	const struct report *r;
	report_writer write;
};

static int write_output(const void *ctx, FILE *f, struct err *e)
{
	const struct output *o = ctx;

	return o->write(o->r, f, e);
}

static int run(const struct cli_args *a, struct err *e)
{
	const char *format = a->values[OPT_FORMAT] ? a->values[OPT_FORMAT] : "text";
	const char *group = a->values[OPT_GROUP], *output = a->values[OPT_OUTPUT];
	report_writer write = writer_named(format);
	struct store *s = NULL;
	struct report r = { 0 };
	struct policy p;
	int rc;

	if (!write)
		return err_set(e, ERR_INPUT, "--format '%s': expected text, json, csv or html",
			       format);
	if (group && !group[0])
		return err_set(e, ERR_INPUT, "--group: expected a group name");
	rc = cli_open_ranked(a, &p, &s, e);
	if (!rc)
		rc = report_load(&r, s, &p, group, e);
	if (!rc && output)
		rc = cli_write_output(output, write_output, &(struct output){ &r, write }, e);
	else if (!rc)
		rc = write(&r, stdout, e);
	if (!rc && output)
		printf("%s report written to %s\n", format, output);
	report_release(&r);
	store_close(s);
	return rc;
}

const struct cli_command cmd_report = {
	.name = "report",
	.summary = "report on remediation: open findings by priority and age, overdue ones, "
		   "mean time to remediate, the share fixed within the due date, exposure-days",
	.details = "Open findings by priority and by age (0-7, 8-30, 31-90, more than 90 days "
		   "since first seen), how many are overdue (the most overdue listed), reissued "
		   "or regressed; the mean time to remediate the fixed findings and the "
		   "exposure-days, overall and per priority; the share of the findings fixed "
		   "within their due date, overall, per group and per ring. Ranks are brought "
		   "up to date first. --format html writes one self-contained page with SVG "
		   "charts (no script). Every number is defined in docs/REPORT.md.",
	.max_pos = 0,
	.role = ROLE_VIEWER,
	.options = options,
	.run = run,
};
