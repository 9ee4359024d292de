/*
 * Maintenance windows (src/core/window.c): every form of the syntax and
 * every error, the canonical text, and occurrences in real zones: across
 * midnight and the end of the week, on the days the clocks change in
 * Berlin and New York (gaps, overlaps, windows the clocks skip), the day
 * Samoa skipped, from inside a window, and walks over a whole year.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "base/timefmt.h"
#include "base/tz.h"
#include "core/window.h"
#include "testutil.h"

static int64_t utc(const char *s)
{
	struct instant t;

	assert_true(rfc3339_parse(s, &t));
	return t.sec;
}

static struct tz *zone(const char *name)
{
	struct tz *z = NULL;
	struct err e = { "" };

	if (strcmp(name, "UTC") != 0 && access("/usr/share/zoneinfo/Europe/Berlin", R_OK) != 0) {
		fprintf(stderr, "SKIP: no /usr/share/zoneinfo\n");
		skip();
	}
	if (tz_load(name, &z, &e) != 0)
		fail_msg("tz_load(%s): %s", name, e.msg);
	return z;
}

static struct window_set parse(const char *s)
{
	struct window_set ws;
	struct err e = { "" };
	char *copy = exact_copy(s, strlen(s));

	if (window_parse(copy, strlen(s), &ws, &e) != 0)
		fail_msg("window_parse('%s'): %s", s, e.msg);
	free(copy);
	return ws;
}

/* Parses s and checks its canonical text. */
static void canonical(const char *s, const char *want)
{
	struct window_set ws = parse(s), again;
	char text[WINDOW_TEXT_MAX];

	window_format(&ws, text, sizeof(text));
	assert_string_equal(text, want);
	again = parse(text);
	assert_int_equal(again.n, ws.n);
	assert_memory_equal(again.w, ws.w, sizeof(ws.w));
}

static void expect_error(const char *s, size_t len, const char *msg)
{
	struct window_set ws, sentinel;
	struct err e = { "" };
	char *copy = exact_copy(s, len);

	memset(&ws, 0x5a, sizeof(ws));
	sentinel = ws;
	assert_int_equal(window_parse(copy, len, &ws, &e), ERR_INPUT);
	assert_memory_equal(&ws, &sentinel, sizeof(ws));
	if (strcmp(e.msg, msg) != 0)
		fail_msg("window_parse('%s'): expected \"%s\", got \"%s\"", s, msg, e.msg);
	free(copy);
}

static void test_syntax(void **state)
{
	struct window_set ws;

	(void)state;
	ws = parse("mon 02:00-04:00");
	assert_int_equal(ws.n, 1);
	assert_int_equal(ws.w[0].days, 1 << WINDOW_MON);
	assert_int_equal(ws.w[0].start, 120);
	assert_int_equal(ws.w[0].end, 240);
	ws = parse("fri-mon 22:00-02:00");
	assert_int_equal(ws.w[0].days, 1 << WINDOW_FRI | 1 << WINDOW_SAT | 1 << WINDOW_SUN |
					       1 << WINDOW_MON);
	assert_int_equal(ws.w[0].end, 120); /* before the start: the next day */
	ws = parse("daily 03:00-04:00");
	assert_int_equal(ws.w[0].days, 0x7f);
	ws = parse("sat 22:00-00:00");
	assert_int_equal(ws.w[0].end, 1440);
	canonical("mon 02:00-04:00", "mon 02:00-04:00");
	canonical("MON-Fri 02:00-04:00", "mon-fri 02:00-04:00");
	canonical("fri-mon 22:00-02:00", "fri-mon 22:00-02:00");
	canonical("Daily 03:00-04:00", "daily 03:00-04:00");
	canonical("sat 22:00-00:00", "sat 22:00-24:00");
	canonical("sun 00:00-24:00", "sun 00:00-24:00");
	canonical("sun 23:59-00:01", "sun 23:59-00:01");
	canonical(" \tmon\t 01:00-02:00 ,tue 01:00-02:00\t, wed 01:00-02:00 ",
		  "mon 01:00-02:00, tue 01:00-02:00, wed 01:00-02:00");
	/* Sorted by first day, start, end, number of days; "daily" after a range. */
	canonical("sun 23:00-01:00, daily 02:00-03:00, mon 05:00-06:00, Mon 01:00-02:00, "
		  "fri-mon 22:00-02:00, mon-sun 02:00-03:00, mon 01:00-03:00, mon-tue 01:00-02:00",
		  "mon 01:00-02:00, mon-tue 01:00-02:00, mon 01:00-03:00, mon-sun 02:00-03:00, "
		  "daily 02:00-03:00, mon 05:00-06:00, fri-mon 22:00-02:00, sun 23:00-01:00");
	/* Sixteen windows, the longest text there is. */
	canonical("mon-fri 00:00-24:00,tue-fri 00:00-24:00,wed-fri 00:00-24:00,"
		  "thu-fri 00:00-24:00,fri-sat 00:00-24:00,sat-sun 00:00-24:00,"
		  "sun-mon 00:00-24:00,mon-tue 00:00-24:00,tue-wed 00:00-24:00,"
		  "wed-thu 00:00-24:00,thu-sat 00:00-24:00,fri-sun 00:00-24:00,"
		  "sat-mon 00:00-24:00,sun-tue 00:00-24:00,mon-wed 00:00-24:00,"
		  "tue-thu 00:00-24:00",
		  "mon-tue 00:00-24:00, mon-wed 00:00-24:00, mon-fri 00:00-24:00, "
		  "tue-wed 00:00-24:00, tue-thu 00:00-24:00, tue-fri 00:00-24:00, "
		  "wed-thu 00:00-24:00, wed-fri 00:00-24:00, thu-fri 00:00-24:00, "
		  "thu-sat 00:00-24:00, fri-sat 00:00-24:00, fri-sun 00:00-24:00, "
		  "sat-sun 00:00-24:00, sat-mon 00:00-24:00, sun-mon 00:00-24:00, "
		  "sun-tue 00:00-24:00");
}

static void test_errors(void **state)
{
	static const struct {
		const char *in, *msg;
	} cases[] = {
		{ "", "no maintenance window given" },
		{ " \t ", "no maintenance window given" },
		{ "mon 01:00-02:00,", "window 2 is empty" },
		{ "mon 01:00-02:00, ", "window 2 is empty" },
		{ ",mon 01:00-02:00", "window 1 is empty" },
		{ "mon 01:00-02:00, ,tue 01:00-02:00", "window 2 is empty" },
		{ "sat 25:00-26:00", "window 'sat 25:00-26:00': hour 25 is not 0-24" },
		{ "sat 01:00-99:00", "window 'sat 01:00-99:00': hour 99 is not 0-24" },
		{ "sat 10:60-11:00", "window 'sat 10:60-11:00': minute 60 is not 0-59" },
		{ "sat 22:00-24:30", "window 'sat 22:00-24:30': 24:30 is after midnight" },
		{ "sat 24:00-02:00", "window 'sat 24:00-02:00': a window cannot start at 24:00" },
		{ "sat 02:00-02:00",
		  "window 'sat 02:00-02:00': the end is the start (for a whole day write "
		  "00:00-24:00)" },
		{ "sat 00:00-00:00",
		  "window 'sat 00:00-00:00': the end is the start (for a whole day write "
		  "00:00-24:00)" },
		{ "mon-mon 01:00-02:00",
		  "window 'mon-mon 01:00-02:00': range 'mon-mon' is one day or the whole week: "
		  "write 'mon' or 'daily'" },
		{ "mo 01:00-02:00",
		  "window 'mo 01:00-02:00': unknown days 'mo' (mon..sun, a range like mon-fri, or "
		  "daily)" },
		{ "monday 01:00-02:00",
		  "window 'monday 01:00-02:00': unknown days 'monday' (mon..sun, a range like "
		  "mon-fri, or daily)" },
		{ "mon-xyz 01:00-02:00",
		  "window 'mon-xyz 01:00-02:00': unknown days 'mon-xyz' (mon..sun, a range like "
		  "mon-fri, or daily)" },
		{ "mon,fri 01:00-02:00", "window 'mon': expected 'DAYS HH:MM-HH:MM'" },
		{ "mon", "window 'mon': expected 'DAYS HH:MM-HH:MM'" },
		{ "mon-fri02:00-04:00", "window 'mon-fri02:00-04:00': expected 'DAYS HH:MM-HH:MM'" },
		{ "mon 1:00-2:00", "window 'mon 1:00-2:00': times '1:00-2:00' are not HH:MM-HH:MM" },
		{ "mon 01:00 - 02:00",
		  "window 'mon 01:00 - 02:00': times '01:00 - 02:00' are not HH:MM-HH:MM" },
		{ "mon 01:00-02:00 x",
		  "window 'mon 01:00-02:00 x': times '01:00-02:00 x' are not HH:MM-HH:MM" },
		{ "mon 01:00-02:00; tue 01:00-02:00",
		  "window 'mon 01:00-02:00; tue 01:00-02:00': times '01:00-02:00; tue 01:00-02:00' "
		  "are not HH:MM-HH:MM" },
		{ "mon 01:00-02:00, MON 01:00-02:00 ", "window 'MON 01:00-02:00' is given twice" },
		{ "mon\x1b[2J 01:00-02:00",
		  "window 'mon\\x1b[2J 01:00-02:00': unknown days 'mon\\x1b[2J' (mon..sun, a "
		  "range like mon-fri, or daily)" },
	};
	char many[512];
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_error(cases[i].in, strlen(cases[i].in), cases[i].msg);
	/* A NUL byte is not the end. */
	expect_error("mon 01:00-02:00\0", 16,
		     "window 'mon 01:00-02:00\\x00': times '01:00-02:00\\x00' are not "
		     "HH:MM-HH:MM");
	for (int i = 0; i < 17; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "%smon %02d:00-%02d:30",
				      i ? "," : "", i, i);
	expect_error(many, n, "more than 16 windows");
	many[n - 16] = '\0'; /* sixteen are fine */
	assert_int_equal(parse(many).n, 16);
}

static void test_format_short_buffer(void **state)
{
	struct window_set ws = parse("mon 01:00-02:00, tue 01:00-02:00");
	char buf[20];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	window_format(&ws, buf, sizeof(buf));
	assert_string_equal(buf, "mon 01:00-02:00, tu");
	window_format(&ws, buf, 1);
	assert_string_equal(buf, "");
}

/* The next occurrence, as "start end" in RFC 3339 (UTC). */
static void expect_next(const struct window_set *ws, const struct tz *z, const char *from,
			const char *start, const char *end)
{
	struct window_occ o;

	assert_int_equal(window_next(ws, z, utc(from), &o), 0);
	if (o.start != utc(start) || o.end != utc(end))
		fail_msg("from %s: got %lld-%lld, want %s-%s", from, (long long)o.start,
			 (long long)o.end, start, end);
}

static void test_midnight_and_week(void **state)
{
	struct tz *u = zone("UTC"), *b = zone("Europe/Berlin");
	struct window_set ws = parse("sat 22:00-02:00");
	struct window_occ o;

	(void)state;
	/* Across midnight: Saturday 22:00 to Sunday 02:00. */
	expect_next(&ws, u, "2026-03-02T00:00:00Z", "2026-03-07T22:00:00Z", "2026-03-08T02:00:00Z");
	/* From inside it, even on the next day: the real start. */
	expect_next(&ws, u, "2026-03-08T01:00:00Z", "2026-03-07T22:00:00Z", "2026-03-08T02:00:00Z");
	/* At its end it is over. */
	expect_next(&ws, u, "2026-03-08T02:00:00Z", "2026-03-14T22:00:00Z", "2026-03-15T02:00:00Z");
	/* Across the end of the week, in Berlin (CEST): Sunday 23:00 to Monday 01:00. */
	ws = parse("sun 23:00-01:00");
	expect_next(&ws, b, "2026-05-03T22:30:00Z" /* Monday 00:30 */, "2026-05-03T21:00:00Z",
		    "2026-05-03T23:00:00Z");
	expect_next(&ws, b, "2026-05-03T23:00:00Z", "2026-05-10T21:00:00Z", "2026-05-10T23:00:00Z");
	/* A daily window. */
	ws = parse("daily 03:00-04:00");
	expect_next(&ws, u, "2026-01-01T03:30:00Z", "2026-01-01T03:00:00Z", "2026-01-01T04:00:00Z");
	expect_next(&ws, u, "2026-01-01T04:00:00Z", "2026-01-02T03:00:00Z", "2026-01-02T04:00:00Z");
	expect_next(&ws, u, "2025-12-31T23:59:59Z", "2026-01-01T03:00:00Z", "2026-01-01T04:00:00Z");
	/* A range over the weekend, and which window it was. */
	ws = parse("mon 10:00-11:00, fri-mon 22:00-02:00");
	expect_next(&ws, u, "2026-03-09T01:00:00Z", "2026-03-08T22:00:00Z", "2026-03-09T02:00:00Z");
	assert_int_equal(window_next(&ws, u, utc("2026-03-09T02:00:00Z"), &o), 0);
	assert_int_equal(o.start, utc("2026-03-09T10:00:00Z"));
	assert_int_equal(o.window, 0);
	expect_next(&ws, u, "2026-03-09T11:00:00Z", "2026-03-09T22:00:00Z", "2026-03-10T02:00:00Z");
	expect_next(&ws, u, "2026-03-10T02:00:00Z", "2026-03-13T22:00:00Z", "2026-03-14T02:00:00Z");
	tz_free(u);
	tz_free(b);
}

static void test_dst_berlin(void **state)
{
	struct tz *b = zone("Europe/Berlin");
	struct window_set ws = parse("sun 02:00-04:00");

	(void)state;
	/* 2026-03-29, 02:00 -> 03:00: starts 03:00 CEST, ends 04:00 CEST: 1 hour. */
	expect_next(&ws, b, "2026-03-28T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z");
	/* An ordinary Sunday: 2 hours. */
	expect_next(&ws, b, "2026-03-29T02:00:00Z", "2026-04-05T00:00:00Z", "2026-04-05T02:00:00Z");
	/* 2026-10-25, 03:00 -> 02:00: from the first 02:00 (CEST) to 04:00 CET: 3 hours. */
	expect_next(&ws, b, "2026-10-24T00:00:00Z", "2026-10-25T00:00:00Z", "2026-10-25T03:00:00Z");
	/* An end in the overlap takes the later instant: 01:00 CEST to the second 02:30. */
	ws = parse("sun 01:00-02:30");
	expect_next(&ws, b, "2026-10-24T00:00:00Z", "2026-10-24T23:00:00Z", "2026-10-25T01:30:00Z");
	/* A start in the gap moves forward by the jump: 02:30 -> 03:30 CEST. */
	ws = parse("sun 02:30-04:00");
	expect_next(&ws, b, "2026-03-28T00:00:00Z", "2026-03-29T01:30:00Z", "2026-03-29T02:00:00Z");
	/* An end in the gap too: Saturday 23:00 CET to 02:30 -> 03:30 CEST. */
	ws = parse("sat 23:00-02:30");
	expect_next(&ws, b, "2026-03-28T00:00:00Z", "2026-03-28T22:00:00Z", "2026-03-29T01:30:00Z");
	/* A window the clocks skip does not happen that day. */
	ws = parse("sun 02:15-03:00");
	expect_next(&ws, b, "2026-03-28T00:00:00Z", "2026-04-05T00:15:00Z", "2026-04-05T01:00:00Z");
	tz_free(b);
}

static void test_dst_new_york(void **state)
{
	struct tz *ny = zone("America/New_York");
	struct window_set ws = parse("sun 02:00-04:00");

	(void)state;
	/* 2026-03-08, 02:00 -> 03:00 EDT: 03:00 to 04:00 EDT, 1 hour. */
	expect_next(&ws, ny, "2026-03-07T00:00:00Z", "2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z");
	expect_next(&ws, ny, "2026-03-08T08:00:00Z", "2026-03-15T06:00:00Z", "2026-03-15T08:00:00Z");
	/* 2026-11-01, 02:00 EDT -> 01:00 EST: 02:00-04:00 no longer touches the overlap. */
	expect_next(&ws, ny, "2026-10-31T00:00:00Z", "2026-11-01T07:00:00Z", "2026-11-01T09:00:00Z");
	/* 01:00-03:00 starts at the first 01:00 (EDT) and lasts 3 hours. */
	ws = parse("sun 01:00-03:00");
	expect_next(&ws, ny, "2026-10-31T00:00:00Z", "2026-11-01T05:00:00Z", "2026-11-01T08:00:00Z");
	tz_free(ny);
}

/* Samoa skipped 2011-12-30: its window lands on the 31st's, reported once. */
static void test_skipped_day(void **state)
{
	struct tz *z = zone("Pacific/Apia");
	struct window_set ws = parse("daily 10:00-12:00");
	static const char *const want[] = {
		"2011-12-28T20:00:00Z", /* 12-28 10:00 -10 */
		"2011-12-29T20:00:00Z", /* 12-29 10:00 -10 */
		"2011-12-30T20:00:00Z", /* 12-31 10:00 +14 (and 12-30's, moved) */
		"2011-12-31T20:00:00Z", /* 2012-01-01 10:00 +14 */
	};
	struct window_occ o;
	int64_t from = utc("2011-12-28T10:00:00Z"); /* 12-28 00:00 local */

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(window_next(&ws, z, from, &o), 0);
		assert_int_equal(o.start, utc(want[i]));
		assert_int_equal(o.end - o.start, 7200);
		from = o.end;
	}
	tz_free(z);
}

/* Every occurrence from local 2026-01-01 00:00 to 2027-01-01 00:00. */
static int walk_year(const struct window_set *ws, const struct tz *z, int64_t *ret_total)
{
	int64_t from = utc("2025-12-31T23:00:00Z"), end = utc("2026-12-31T23:00:00Z");
	struct window_occ o;
	int n = 0;

	*ret_total = 0;
	for (;;) {
		assert_int_equal(window_next(ws, z, from, &o), 0);
		assert_true(o.end > from && o.start < o.end);
		if (o.start >= end)
			break;
		n++;
		*ret_total += o.end - o.start;
		from = o.end;
	}
	return n;
}

static void test_year(void **state)
{
	struct tz *b = zone("Europe/Berlin");
	struct window_set ws;
	int64_t total;

	(void)state;
	/* 2026 starts on a Thursday: 53 Thursdays, 52 Mondays. */
	ws = parse("thu 02:00-04:00");
	assert_int_equal(walk_year(&ws, b, &total), 53);
	assert_int_equal(total, 53 * 7200);
	ws = parse("mon 02:00-04:00");
	assert_int_equal(walk_year(&ws, b, &total), 52);
	/* Every Sunday 02:00-04:00: one hour short in March, one long in October. */
	ws = parse("sun 02:00-04:00");
	assert_int_equal(walk_year(&ws, b, &total), 52);
	assert_int_equal(total, 52 * 7200);
	ws = parse("daily 02:00-04:00");
	assert_int_equal(walk_year(&ws, b, &total), 365);
	assert_int_equal(total, 365 * 7200);
	/* The skipped Sunday in March is missing. */
	ws = parse("sun 02:15-03:00");
	assert_int_equal(walk_year(&ws, b, &total), 51);
	/* Overlapping windows: one inside another is skipped, others follow. */
	ws = parse("mon 01:00-05:00, mon 02:00-03:00");
	assert_int_equal(walk_year(&ws, b, &total), 52);
	assert_int_equal(total, 52 * 4 * 3600);
	ws = parse("mon 01:00-03:00, mon 02:00-05:00");
	assert_int_equal(walk_year(&ws, b, &total), 104);
	tz_free(b);
}

static void test_next_edges(void **state)
{
	struct tz *u = zone("UTC");
	struct window_set ws = parse("mon-sun 02:00-03:00, daily 02:00-03:00"), none;
	struct window_occ o;

	(void)state;
	/* The same occurrence twice: the window first in the set. */
	assert_int_equal(window_next(&ws, u, utc("2026-01-01T00:00:00Z"), &o), 0);
	assert_int_equal(o.window, 0);
	memset(&none, 0, sizeof(none));
	assert_int_equal(window_next(&none, u, 0, &o), ERR_INPUT);
	assert_int_equal(window_next(&ws, u, INT64_MAX, &o), ERR_INPUT);
	assert_int_equal(window_next(&ws, u, INT64_MIN, &o), ERR_INPUT);
	assert_int_equal(window_next(&ws, u, utc("9999-12-31T23:59:59Z"), &o), 0);
	assert_int_equal(window_next(&ws, u, utc("0001-01-01T00:00:00Z"), &o), 0);
	assert_int_equal(o.start, utc("0001-01-01T02:00:00Z"));
	tz_free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_format_short_buffer),
		cmocka_unit_test(test_midnight_and_week),
		cmocka_unit_test(test_dst_berlin),
		cmocka_unit_test(test_dst_new_york),
		cmocka_unit_test(test_skipped_day),
		cmocka_unit_test(test_year),
		cmocka_unit_test(test_next_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
