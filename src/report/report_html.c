/*
 * The remediation report as one self-contained HTML page: inline CSS and
 * SVG charts drawn here (open findings by priority, their ages as stacked
 * bars, exposure-days, the share fixed within the due date per group and
 * per ring), and the tables behind them. No script, no external file, no
 * font: the page renders the same offline, in a mail client or archived.
 *
 * Every text that comes from data (host, group, ring, advisory, package,
 * version names) is HTML-escaped; the output depends only on the report,
 * so that equal reports give equal bytes.
 */
#include "report/report.h"

#include <string.h>

/* The charts' geometry, in SVG user units. */
#define CHART_W 640
#define LABEL_W 150   /* labels right-aligned left of the bars */
#define VALUE_W 130   /* the value right of a bar */
#define PLOT_W (CHART_W - LABEL_W - VALUE_W)
#define ROW_H 24
#define BAR_H 16
#define TOP 8
#define LEGEND_H 24

/* By priority index (0 defer .. 3 immediate, 4 unranked). */
static const char *const priority_color[REPORT_PRIORITIES] = {
	"#8c96a0", "#4a90c8", "#e08a2c", "#c0392b", "#c8ccd0",
};
static const char *const age_color[REPORT_AGES] = { "#9ccc65", "#fdd835", "#fb8c00", "#c62828" };

static void html_put(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* A horizontal bar of a chart. */
struct bar {
	const char *label;
	double value;       /* >= 0 */
	const char *text;   /* shown right of the bar and in its tooltip */
	const char *color;
};

/* The width of value on a plot whose widest bar is max, in [0, PLOT_W]. */
static double bar_width(double value, double max)
{
	if (max <= 0 || value <= 0)
		return 0;
	return value >= max ? PLOT_W : PLOT_W * value / max;
}

static void svg_open(FILE *f, const char *id, const char *title, int height)
{
	fprintf(f, "<svg class=\"chart\" id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" "
		"width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
		"aria-labelledby=\"%s-title\">\n<title id=\"%s-title\">", id, CHART_W, height,
		CHART_W, height, id, id);
	html_put(f, title);
	fputs("</title>\n", f);
}

static void svg_label(FILE *f, int y, const char *label)
{
	fprintf(f, "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">", LABEL_W - 6,
		y + BAR_H - 4);
	html_put(f, label);
	fputs("</text>\n", f);
}

static void svg_rect(FILE *f, double x, int y, double w, const char *cls, const char *color,
		     const char *tip1, const char *tip2)
{
	fprintf(f, "<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
		"fill=\"%s\"><title>", cls, x, y, w, BAR_H, color);
	html_put(f, tip1);
	fputs(": ", f);
	html_put(f, tip2);
	fputs("</title></rect>\n", f);
}

/* One bar a row, scaled so that the largest value (or max, if larger)
 * fills the plot. */
static void svg_bars(FILE *f, const char *id, const char *title, const struct bar *bars,
		     size_t n, double max)
{
	for (size_t i = 0; i < n; i++)
		if (bars[i].value > max)
			max = bars[i].value;
	svg_open(f, id, title, TOP * 2 + (int)n * ROW_H);
	for (size_t i = 0; i < n; i++) {
		int y = TOP + (int)i * ROW_H;
		double w = bar_width(bars[i].value, max);

		svg_label(f, y, bars[i].label);
		svg_rect(f, LABEL_W, y, w, "bar", bars[i].color, bars[i].label, bars[i].text);
		fprintf(f, "<text class=\"value\" x=\"%.1f\" y=\"%d\">", LABEL_W + w + 6,
			y + BAR_H - 4);
		html_put(f, bars[i].text);
		fputs("</text>\n", f);
	}
	fputs("</svg>\n", f);
}

/* Each priority's open findings as one bar stacked by age bucket, all
 * on the scale of the priority with the most. */
static void svg_ages(FILE *f, const struct report *r)
{
	long max = 0;

	for (int i = 0; i < REPORT_PRIORITIES; i++)
		if (r->prio[i].open > max)
			max = r->prio[i].open;
	svg_open(f, "chart-ages", "Open findings by priority and age",
		 LEGEND_H + TOP * 2 + REPORT_PRIORITIES * ROW_H);
	for (int a = 0; a < REPORT_AGES; a++) {
		fprintf(f, "<rect class=\"legend\" x=\"%d\" y=\"4\" width=\"12\" height=\"12\" "
			"fill=\"%s\"/><text class=\"label\" x=\"%d\" y=\"14\">", LABEL_W + a * 100,
			age_color[a], LABEL_W + a * 100 + 16);
		html_put(f, report_age_name(a));
		fputs(" days</text>\n", f);
	}
	for (int i = 0; i < REPORT_PRIORITIES; i++) {
		const struct report_priority *p = &r->prio[report_priority_order[i]];
		const char *name = report_priority_name(report_priority_order[i]);
		int y = LEGEND_H + TOP + i * ROW_H;
		double x = LABEL_W;
		char tip[64];

		svg_label(f, y, name);
		for (int a = 0; a < REPORT_AGES; a++) {
			double w = bar_width((double)p->ages[a], (double)max);

			if (!p->ages[a])
				continue;
			snprintf(tip, sizeof(tip), "%ld open, %s days", p->ages[a],
				 report_age_name(a));
			svg_rect(f, x, y, w, "seg", age_color[a], name, tip);
			x += w;
		}
		fprintf(f, "<text class=\"value\" x=\"%.1f\" y=\"%d\">%ld</text>\n", x + 6,
			y + BAR_H - 4, p->open);
	}
	fputs("</svg>\n", f);
}

/* Bars by priority of one number; text[i] holds bar i's value as shown. */
static void svg_by_priority(FILE *f, const char *id, const char *title,
			    const double value[REPORT_PRIORITIES],
			    char text[REPORT_PRIORITIES][32])
{
	struct bar bars[REPORT_PRIORITIES];

	for (int i = 0; i < REPORT_PRIORITIES; i++) {
		int p = report_priority_order[i];

		bars[i] = (struct bar){ report_priority_name(p), value[i], text[i],
					priority_color[p] };
	}
	svg_bars(f, id, title, bars, REPORT_PRIORITIES, 0);
}

static void chart_open(FILE *f, const struct report *r)
{
	double v[REPORT_PRIORITIES];
	char t[REPORT_PRIORITIES][32];

	for (int i = 0; i < REPORT_PRIORITIES; i++) {
		long n = r->prio[report_priority_order[i]].open;

		v[i] = (double)n;
		snprintf(t[i], sizeof(t[i]), "%ld", n);
	}
	svg_by_priority(f, "chart-open", "Open findings by priority", v, t);
}

static void chart_exposure(FILE *f, const struct report *r)
{
	double v[REPORT_PRIORITIES];
	char t[REPORT_PRIORITIES][32];

	for (int i = 0; i < REPORT_PRIORITIES; i++) {
		v[i] = report_exposure_days(&r->prio[report_priority_order[i]]);
		snprintf(t[i], sizeof(t[i]), "%.2f days", v[i]);
	}
	svg_by_priority(f, "chart-exposure", "Exposure-days by priority", v, t);
}

/* The share within due of each group or ring, on a 0-100% scale. */
static void chart_shares(FILE *f, const char *id, const char *title,
			 const struct report_share *items, size_t n)
{
	struct bar bars[REPORT_SHARES_MAX];
	char text[REPORT_SHARES_MAX][48];

	if (!n) {
		fputs("<p class=\"none\">No finding can be judged yet: none was fixed and no due "
		      "date has passed.</p>\n", f);
		return;
	}
	for (size_t i = 0; i < n && i < REPORT_SHARES_MAX; i++) {
		char q[32];
		double ratio = report_share_ratio(&items[i]);

		snprintf(text[i], sizeof(text[i]), "%s (%ld of %ld)",
			 report_share_text(&items[i], q, sizeof(q)), items[i].within,
			 items[i].eligible);
		bars[i] = (struct bar){ items[i].name, ratio < 0 ? 0 : ratio, text[i],
					ratio >= 0.9 ? "#2e7d32" : ratio >= 0.5 ? "#f9a825" :
					"#c62828" };
	}
	svg_bars(f, id, title, bars, n, 1.0);
}

/* ---- tables ---- */

static void td(FILE *f, const char *s, bool num)
{
	fputs(num ? "<td class=\"num\">" : "<td>", f);
	html_put(f, s);
	fputs("</td>", f);
}

static void td_long(FILE *f, long n)
{
	fprintf(f, "<td class=\"num\">%ld</td>", n);
}

static void th_row(FILE *f, const char *const *cols, size_t n)
{
	fputs("<thead><tr>", f);
	for (size_t i = 0; i < n; i++) {
		fputs("<th>", f);
		html_put(f, cols[i]);
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n", f);
}

static void table_priorities(FILE *f, const struct report *r)
{
	static const char *const cols[] = { "priority", "open", "overdue", "0-7 days",
					     "8-30 days", "31-90 days", ">90 days", "fixed",
					     "MTTR (days)", "exposure-days" };
	struct report_priority t;
	char a[32], b[32];

	report_total(r, &t);
	fputs("<table>\n", f);
	th_row(f, cols, sizeof(cols) / sizeof(cols[0]));
	fputs("<tbody>\n", f);
	for (int i = 0; i <= REPORT_PRIORITIES; i++) {
		const struct report_priority *p = i < REPORT_PRIORITIES ?
						  &r->prio[report_priority_order[i]] : &t;

		fputs(i < REPORT_PRIORITIES ? "<tr>" : "<tr class=\"total\">", f);
		td(f, i < REPORT_PRIORITIES ? report_priority_name(report_priority_order[i]) :
		   "total", false);
		td_long(f, p->open);
		td_long(f, p->overdue);
		for (int g = 0; g < REPORT_AGES; g++)
			td_long(f, p->ages[g]);
		td_long(f, p->fixed);
		td(f, report_days_text(report_mttr_days(p), a, sizeof(a)), true);
		td(f, report_days_text(report_exposure_days(p), b, sizeof(b)), true);
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

static void table_overdue(FILE *f, const struct report *r)
{
	static const char *const cols[] = { "days overdue", "due", "priority", "host", "group",
					     "ring", "advisory", "package", "version", "fixed version" };
	struct report_priority t;

	report_total(r, &t);
	fprintf(f, "<p>%ld open finding%s past the due date", t.overdue, t.overdue == 1 ? "" : "s");
	if ((long)r->noverdue < t.overdue)
		fprintf(f, "; the %zu most overdue are listed", r->noverdue);
	fputs(".</p>\n", f);
	if (!r->noverdue)
		return;
	fputs("<table>\n", f);
	th_row(f, cols, sizeof(cols) / sizeof(cols[0]));
	fputs("<tbody>\n", f);
	for (size_t i = 0; i < r->noverdue; i++) {
		const struct report_overdue *o = &r->overdue[i];

		fputs("<tr>", f);
		td_long(f, o->days_overdue);
		td(f, o->due, false);
		td(f, report_priority_name(o->priority), false);
		td(f, o->host, false);
		td(f, o->group, false);
		td(f, o->ring, false);
		td(f, o->advisory, false);
		td(f, o->package, false);
		td(f, o->version, false);
		td(f, o->fixed_version ? o->fixed_version : "(no fix yet)", false);
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

static void table_shares(FILE *f, const char *what, const struct report_share *items,
			 size_t n, bool truncated)
{
	const char *cols[] = { what, "judged", "fixed within due", "share" };
	char q[32];

	if (!n)
		return;
	fputs("<table>\n", f);
	th_row(f, cols, sizeof(cols) / sizeof(cols[0]));
	fputs("<tbody>\n", f);
	for (size_t i = 0; i < n; i++) {
		fputs("<tr>", f);
		td(f, items[i].name, false);
		td_long(f, items[i].eligible);
		td_long(f, items[i].within);
		td(f, report_share_text(&items[i], q, sizeof(q)), true);
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
	if (truncated)
		fprintf(f, "<p class=\"none\">Only the first %d are listed.</p>\n",
			REPORT_SHARES_MAX);
}

static const char style[] =
	"body{font-family:sans-serif;margin:2em auto;max-width:72em;color:#222;padding:0 1em}"
	"h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}"
	"table{border-collapse:collapse;margin:1em 0;font-size:.9em}"
	"th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;white-space:nowrap}"
	"td.num{text-align:right;font-variant-numeric:tabular-nums}"
	"tr.total td{font-weight:bold}.meta,.none{color:#555}"
	"svg.chart{display:block;margin:1em 0;font-size:12px}"
	"svg .label,svg .value{fill:#222}";

static void head(FILE *f, const struct report *r)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>"
	      "hfx remediation report: ", f);
	html_put(f, r->group[0] ? r->group : "all hosts");
	fputs(", ", f);
	html_put(f, r->today);
	fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n", style);
	fputs("<h1>Remediation report</h1>\n<p class=\"meta\">", f);
	html_put(f, r->group[0] ? "Group " : "All hosts");
	if (r->group[0])
		html_put(f, r->group);
	fprintf(f, ", %ld host%s, as of ", r->hosts, r->hosts == 1 ? "" : "s");
	html_put(f, r->now);
	fputs(". Hosts without a ring count in the default ring, ", f);
	html_put(f, r->default_ring);
	fputs(". Every number is defined in hfx's docs/REPORT.md.</p>\n", f);
}

int report_write_html(const struct report *r, FILE *f, struct err *e)
{
	struct report_priority t;
	char q[32], x[32];

	report_total(r, &t);
	head(f, r);
	fprintf(f, "<h2 id=\"open\">Open findings</h2>\n<p>%ld open: %ld reissued and %ld "
		"regressed among them; %ld closed because their advisory was withdrawn.</p>\n",
		t.open, r->reissued, r->regressed, r->withdrawn);
	chart_open(f, r);
	fputs("<h2 id=\"ages\">Age of the open findings</h2>\n", f);
	svg_ages(f, r);
	table_priorities(f, r);
	fputs("<h2 id=\"overdue\">Overdue findings</h2>\n", f);
	table_overdue(f, r);
	fprintf(f, "<h2 id=\"remediation\">Time to remediate and exposure</h2>\n<p>%ld "
		"finding%s fixed, in %s days on average; %s exposure-days in all.</p>\n", t.fixed,
		t.fixed == 1 ? "" : "s", report_days_text(report_mttr_days(&t), q, sizeof(q)),
		report_days_text(report_exposure_days(&t), x, sizeof(x)));
	chart_exposure(f, r);
	fprintf(f, "<h2 id=\"within-due\">Fixed within the due date</h2>\n<p>%ld of %ld judged "
		"findings fixed within their due date (", r->all.within, r->all.eligible);
	html_put(f, report_share_text(&r->all, q, sizeof(q)));
	fputs(").</p>\n<h3>By group</h3>\n", f);
	chart_shares(f, "chart-groups", "Share fixed within the due date by group", r->groups,
		     r->ngroups);
	table_shares(f, "group", r->groups, r->ngroups, r->groups_truncated);
	fputs("<h3>By ring</h3>\n", f);
	chart_shares(f, "chart-rings", "Share fixed within the due date by ring", r->rings,
		     r->nrings);
	table_shares(f, "ring", r->rings, r->nrings, r->rings_truncated);
	fputs("</body>\n</html>\n", f);
	return ferror(f) ? err_set(e, ERR_IO, "cannot write the report") : 0;
}
