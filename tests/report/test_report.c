/*
 * Unit tests for the report writers (src/report/report_text.c and
 * report_html.c), given a report filled here: HTML escaping of every text
 * from data, the SVG bars' geometry (in the chart, proportional to the
 * values, nothing for zero, no NaN for an empty report), the CSV header
 * and quoting, the JSON fields and their values, and equal reports
 * giving equal bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "testutil.h"
#include "core/ssvc.h"
#include "report/report.h"

#define HOSTILE "ADV-<script>alert(1)</script>&\"'"

static struct report_overdue overdue[2] = {
	{ .host = "web1", .group = "a&b", .ring = "test", .advisory = HOSTILE,
	  .package = "zip,unzip", .version = "3.0-13", .fixed_version = "3.0-13+deb12u1",
	  .due = "2026-10-01", .first_seen = "2026-09-01T09:00:00Z", .priority = SSVC_IMMEDIATE,
	  .days_overdue = 40 },
	{ .host = "db\xff" "1", .group = "(none)", .ring = "broad", .advisory = "DEBIAN-CVE-1",
	  .package = "tar", .version = "1.34", .fixed_version = NULL, .due = "2026-10-20",
	  .first_seen = "2026-09-01T09:00:00Z", .priority = -1, .days_overdue = 21 },
};
static struct report_share groups[2] = { { "(none)", 0, 0 }, { "a&b", 4, 2 } };
static struct report_share rings[1] = { { "test", 3, 3 } };

/* Immediate: 50 open, scheduled: 100 open (the most), defer none; fixed
 * ones: 2 immediate in 3 days in all. */
static void fill(struct report *r)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->now, sizeof(r->now), "2026-11-10T09:00:00Z");
	snprintf(r->today, sizeof(r->today), "2026-11-10");
	snprintf(r->group, sizeof(r->group), "a&b");
	snprintf(r->default_ring, sizeof(r->default_ring), "broad");
	r->hosts = 2;
	r->prio[SSVC_IMMEDIATE] = (struct report_priority){ .open = 50, .overdue = 1,
		.ages = { 10, 20, 0, 20 }, .fixed = 2, .fixed_seconds = 3 * 86400,
		.exposure_seconds = 86400 * 10 };
	r->prio[SSVC_SCHEDULED] = (struct report_priority){ .open = 100, .ages = { 100 },
		.exposure_seconds = 43200 };
	r->prio[REPORT_UNRANKED] = (struct report_priority){ .open = 1, .overdue = 1,
		.ages = { 0, 0, 1, 0 } };
	r->reissued = 3;
	r->regressed = 4;
	r->withdrawn = 5;
	r->overdue = overdue;
	r->noverdue = 2;
	r->all = (struct report_share){ "", 7, 5 };
	r->groups = groups;
	r->ngroups = 2;
	r->rings = rings;
	r->nrings = 1;
}

/* The writer's output, NUL-terminated; the caller frees it. */
static char *render(int (*write)(const struct report *, FILE *, struct err *),
		    const struct report *r)
{
	struct err e = { "" };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	if (write(r, f, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(fclose(f), 0);
	return text;
}

static void test_html_escaping(void **state)
{
	struct report r;
	char *html;

	(void)state;
	fill(&r);
	html = render(report_write_html, &r);
	assert_null(strstr(html, "<script"));
	assert_non_null(strstr(html, "ADV-&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;"));
	assert_non_null(strstr(html, "<title>hfx remediation report: a&amp;b, 2026-11-10</title>"));
	assert_non_null(strstr(html, "<td>a&amp;b</td>"));
	assert_null(strstr(html, "a&b"));
	/* Self-contained: nothing is fetched or run. */
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "href="));
	assert_non_null(strstr(html, "<h1>Remediation report</h1>"));
	free(html);
}

/* The width of the bar whose tooltip starts with tip in the chart id. */
static double bar_width_of(const char *html, const char *id, const char *tip)
{
	char key[128];
	const char *chart, *end, *t;
	double x, w;

	snprintf(key, sizeof(key), "id=\"%s\"", id);
	chart = strstr(html, key);
	assert_non_null(chart);
	end = strstr(chart, "</svg>");
	snprintf(key, sizeof(key), "<title>%s", tip);
	t = strstr(chart, key);
	assert_true(t && t < end);
	while (t > chart && strncmp(t, "<rect", 5))
		t--;
	assert_int_equal(sscanf(t, "<rect class=\"%*[a-z]\" x=\"%lf\" y=\"%*d\" width=\"%lf\"",
				&x, &w), 2);
	assert_true(x >= 150 && x + w <= 640 - 130 + 0.05);
	return w;
}

/* Every rect of every chart lies inside its chart. */
static void check_rects(const char *html)
{
	for (const char *p = html; (p = strstr(p, "<rect ")); p++) {
		double x, w;
		int y, h;

		assert_int_equal(sscanf(p, "<rect class=\"%*[a-z]\" x=\"%lf\" y=\"%d\" width=\"%lf\" "
					"height=\"%d\"", &x, &y, &w, &h), 4);
		assert_true(x >= 0 && w >= 0 && x + w <= 640 && y >= 0 && h > 0);
	}
	assert_null(strstr(html, "nan"));
	assert_null(strstr(html, "inf\""));
}

static void test_svg_geometry(void **state)
{
	struct report r, empty = { .today = "2026-11-10", .now = "2026-11-10T09:00:00Z" };
	char *html;

	(void)state;
	fill(&r);
	html = render(report_write_html, &r);
	check_rects(html);
	/* The largest value fills the plot; the others are in proportion. */
	assert_float_equal(bar_width_of(html, "chart-open", "scheduled"), 360, 0.05);
	assert_float_equal(bar_width_of(html, "chart-open", "immediate"), 180, 0.05);
	assert_float_equal(bar_width_of(html, "chart-open", "defer"), 0, 0.05);
	/* Shares on a 0-100% scale: 2 of 4 is half the plot, 3 of 3 all. */
	assert_float_equal(bar_width_of(html, "chart-groups", "a&amp;b"), 180, 0.05);
	assert_float_equal(bar_width_of(html, "chart-rings", "test"), 360, 0.05);
	/* Stacked ages: immediate's 10 + 20 + 0 + 20 on the scale of 100. */
	assert_float_equal(bar_width_of(html, "chart-ages", "immediate: 20 open, &gt;90"), 72,
			   0.05);
	assert_non_null(strstr(html, "<svg class=\"chart\" id=\"chart-ages\""));
	free(html);

	/* Nothing at all: no NaN, no bar wider than nothing. */
	html = render(report_write_html, &empty);
	check_rects(html);
	assert_non_null(strstr(html, "No finding can be judged yet"));
	free(html);
}

static void test_csv(void **state)
{
	struct report r;
	char *csv;

	(void)state;
	fill(&r);
	csv = render(report_write_csv, &r);
	assert_memory_equal(csv, "metric,priority,age,group,ring,host,advisory,package,version,"
			    "due,value\n", 71);
	assert_non_null(strstr(csv, "\nhosts,,,a&b,,,,,,,2\n"));
	assert_non_null(strstr(csv, "\nopen,immediate,>90,,,,,,,,20\n"));
	assert_non_null(strstr(csv, "\nopen,,,,,,,,,,151\n"));
	assert_non_null(strstr(csv, "\nmttr_days,immediate,,,,,,,,,1.5000\n"));
	/* A mean of nothing is empty, not zero. */
	assert_non_null(strstr(csv, "\nmttr_days,scheduled,,,,,,,,,\n"));
	assert_non_null(strstr(csv, "\ndue_share,,,a&b,,,,,,,0.5000\n"));
	assert_non_null(strstr(csv, "\ndue_within,,,,test,,,,,,3\n"));
	/* RFC 4180 quoting of a comma and of quotes. */
	assert_non_null(strstr(csv, "\ndays_overdue,immediate,,a&b,test,web1,"
				"\"ADV-<script>alert(1)</script>&\"\"'\",\"zip,unzip\",3.0-13,"
				"2026-10-01,40\n"));
	free(csv);
}

static void test_json(void **state)
{
	struct report r;
	json_error_t je;
	json_t *root, *item;
	char *text;

	(void)state;
	fill(&r);
	text = render(report_write_json, &r);
	root = json_loads(text, 0, &je);
	if (!root)
		fail_msg("invalid JSON: %s: %s", je.text, text);
	assert_string_equal(json_string_value(json_object_get(root, "group")), "a&b");
	assert_int_equal(json_integer_value(json_object_get(root, "hosts")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "open"),
							    "total")), 151);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "open"),
							    "regressed")), 4);
	json_t *rem = json_object_get(root, "remediation");
	assert_float_equal(json_real_value(json_object_get(rem, "mttr_days")), 1.5, 1e-9);
	assert_float_equal(json_real_value(json_object_get(rem, "exposure_days")), 10.5, 1e-9);
	assert_int_equal(json_integer_value(json_object_get(rem, "withdrawn")), 5);
	assert_true(json_is_null(json_object_get(json_object_get(json_object_get(rem,
		"by_priority"), "scheduled"), "mttr_days")));
	json_t *all = json_object_get(json_object_get(root, "within_due"), "all");
	assert_float_equal(json_real_value(json_object_get(all, "share")), 0.7143, 1e-9);
	json_t *none = json_array_get(json_object_get(json_object_get(root, "within_due"),
						      "groups"), 0);
	assert_string_equal(json_string_value(json_object_get(none, "group")), "(none)");
	assert_true(json_is_null(json_object_get(none, "share")));
	item = json_array_get(json_object_get(json_object_get(root, "overdue"), "items"), 0);
	assert_string_equal(json_string_value(json_object_get(item, "advisory")), HOSTILE);
	assert_string_equal(json_string_value(json_object_get(item, "priority")), "immediate");
	item = json_array_get(json_object_get(json_object_get(root, "overdue"), "items"), 1);
	/* Not UTF-8: replaced, so that the document stays valid. */
	assert_string_equal(json_string_value(json_object_get(item, "host")), "db?1");
	assert_true(json_is_null(json_object_get(item, "priority")));
	assert_true(json_is_null(json_object_get(item, "fixed_version")));
	json_decref(root);
	free(text);
}

static void test_text_and_determinism(void **state)
{
	int (*const writers[])(const struct report *, FILE *, struct err *) = {
		report_write_text, report_write_csv, report_write_json, report_write_html,
	};
	struct report r;
	char *text;

	(void)state;
	fill(&r);
	text = render(report_write_text, &r);
	assert_non_null(strstr(text, "Fixed within the due date: 5 of 7 judged, 71.4%"));
	assert_non_null(strstr(text, "  total              151        2"));
	assert_non_null(strstr(text, "(no fix yet)"));
	free(text);
	for (size_t i = 0; i < sizeof(writers) / sizeof(writers[0]); i++) {
		char *a = render(writers[i], &r), *b = render(writers[i], &r);

		assert_string_equal(a, b);
		free(a);
		free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_escaping),
		cmocka_unit_test(test_svg_geometry),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_text_and_determinism),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
